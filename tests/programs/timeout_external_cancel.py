# A cancellation from outside inside a timeout block stays a CancelledError.
import asyncio


async def guarded():
    try:
        async with asyncio.timeout(1):
            await asyncio.sleep(1)
    except TimeoutError:
        print("wrong: TimeoutError")
    except asyncio.CancelledError:
        print("guarded: CancelledError passed through")
        raise


async def main():
    t = asyncio.create_task(guarded())
    await asyncio.sleep(0.01)
    t.cancel()
    await asyncio.gather(t, return_exceptions=True)
    print("cancelled:", t.cancelled())


asyncio.run(main())
