# shield passes the inner result or exception through unchanged.
import asyncio


async def fails():
    await asyncio.sleep(0.01)
    raise KeyError("inner")


async def main():
    try:
        await asyncio.shield(fails())
    except KeyError as e:
        print("got", repr(e))
    print(await asyncio.shield(asyncio.sleep(0.01, "value")))
    t = asyncio.create_task(fails())
    outer = asyncio.shield(t)
    outer.cancel()
    await asyncio.sleep(0.02)
    print("outer cancelled", outer.cancelled(), "inner exception", repr(t.exception()))


asyncio.run(main())
