# Task.cancel(msg): the message reaches the task and whoever awaits it.
import asyncio


async def sleeper():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        print("inside task:", repr(e.args))
        raise


async def main():
    t = asyncio.create_task(sleeper())
    await asyncio.sleep(0)
    print("cancel returns", t.cancel("go away"))
    print("cancel again returns", t.cancel("second"))
    try:
        await t
    except asyncio.CancelledError as e:
        print("awaiter:", repr(e.args))
    print("cancelled:", t.cancelled(), "cancel after done:", t.cancel())
    try:
        t.result()
    except asyncio.CancelledError as e:
        print("result():", type(e).__name__, repr(e.args))


asyncio.run(main())
