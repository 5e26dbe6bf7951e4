# return_exceptions=True: errors come back as values, in order, nothing is cancelled.
import asyncio


async def ok(x):
    await asyncio.sleep(0.01 * x)
    print("ok", x)
    return x


async def bad(x):
    await asyncio.sleep(0.01 * x)
    print("bad", x)
    raise ValueError(f"bad {x}")


async def cancelled_child():
    await asyncio.sleep(0)
    asyncio.current_task().cancel("self-cancelled")
    await asyncio.sleep(0)


async def main():
    results = await asyncio.gather(ok(3), bad(1), ok(2), bad(4), cancelled_child(), return_exceptions=True)
    for r in results:
        print(type(r).__name__, r if not isinstance(r, BaseException) else repr(r.args))


asyncio.run(main())
