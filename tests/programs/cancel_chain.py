# Cancelling a task that awaits another task cancels the inner one too;
# cancelling the inner one propagates outwards as CancelledError.
import asyncio


async def inner(name):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as e:
        print(name, "inner cancelled", repr(e.args))
        raise


async def outer(name, t):
    try:
        await t
    except asyncio.CancelledError as e:
        print(name, "outer cancelled", repr(e.args))
        raise


async def main():
    i1 = asyncio.create_task(inner("A"))
    o1 = asyncio.create_task(outer("A", i1))
    await asyncio.sleep(0)
    o1.cancel("from main")
    await asyncio.gather(o1, return_exceptions=True)
    print("A:", "inner cancelled", i1.cancelled(), "outer cancelled", o1.cancelled())

    i2 = asyncio.create_task(inner("B"))
    o2 = asyncio.create_task(outer("B", i2))
    await asyncio.sleep(0)
    i2.cancel("inner only")
    res = await asyncio.gather(o2, return_exceptions=True)
    print("B:", "inner cancelled", i2.cancelled(), "outer cancelled", o2.cancelled(), type(res[0]).__name__)


asyncio.run(main())
