# async with timeout(): TimeoutError after the delay; expired() and when().
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(0.02) as cm:
            print("inside, expired?", cm.expired(), "when set:", cm.when() is not None)
            await asyncio.sleep(1)
            print("not reached")
    except TimeoutError as e:
        print("TimeoutError", type(e.__cause__).__name__, "expired?", cm.expired())
    async with asyncio.timeout(1) as cm2:
        await asyncio.sleep(0.01)
    print("no timeout, expired?", cm2.expired())
    async with asyncio.timeout(None) as cm3:
        await asyncio.sleep(0.01)
    print("timeout(None) when:", cm3.when())
    try:
        async with asyncio.timeout(0):
            print("timeout(0) body starts")
            await asyncio.sleep(0)
            print("not reached")
    except TimeoutError:
        print("timeout(0) expired at first await")
    try:
        async with asyncio.timeout(-1):
            print("timeout(-1) body, no await")
        print("exited without an await: no error")
    except TimeoutError:
        print("timeout(-1) raised on exit")
    print("cancelling after all:", asyncio.current_task().cancelling())


asyncio.run(main())
