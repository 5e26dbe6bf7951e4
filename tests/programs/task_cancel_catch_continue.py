# A task that swallows CancelledError keeps running and returns normally.
import asyncio


async def swallow():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("swallowed")
    await asyncio.sleep(0.01)
    return "normal result"


async def main():
    t = asyncio.create_task(swallow())
    await asyncio.sleep(0)
    t.cancel()
    r = await t
    print(r, "cancelled:", t.cancelled(), "cancel() now:", t.cancel())


asyncio.run(main())
