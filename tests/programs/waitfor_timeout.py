# wait_for on timeout cancels the inner task and waits until it is done.
import asyncio


async def slow():
    try:
        await asyncio.sleep(1)
        return "slow result"
    except asyncio.CancelledError:
        print("slow: cancelled, cleaning up")
        await asyncio.sleep(0.01)
        print("slow: cleanup finished")
        raise


async def main():
    t = asyncio.create_task(slow())
    try:
        await asyncio.wait_for(t, timeout=0.02)
    except asyncio.TimeoutError as e:
        print("main: timeout", type(e).__name__, "is builtin:", asyncio.TimeoutError is TimeoutError)
    print("inner cancelled:", t.cancelled())
    try:
        await asyncio.wait_for(slow(), 0.01)
    except TimeoutError as e:
        print("coroutine version timed out too; cause:", type(e.__cause__).__name__)


asyncio.run(main())
