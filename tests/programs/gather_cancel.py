# Cancelling the gather cancels every child still running.
import asyncio


async def child(name, delay):
    try:
        await asyncio.sleep(delay)
        print(name, "finished")
        return name
    except asyncio.CancelledError as e:
        print(name, "cancelled", repr(e.args))
        raise


async def main():
    fast = asyncio.create_task(child("fast", 0.01))
    g = asyncio.gather(fast, child("slow1", 1), child("slow2", 1))
    await asyncio.sleep(0.02)
    print("cancel gather:", g.cancel("stop"))
    try:
        await g
    except asyncio.CancelledError as e:
        print("gather cancelled", type(e).__name__)
    print("gather cancelled()", g.cancelled(), "fast result", fast.result())
    print("cancel again:", g.cancel())

    g2 = asyncio.gather(child("x", 1), child("y", 1), return_exceptions=True)
    await asyncio.sleep(0)
    g2.cancel()
    try:
        print("g2 returned", await g2)
    except asyncio.CancelledError:
        print("g2 raised CancelledError despite return_exceptions")


asyncio.run(main())
