# When main returns, asyncio.run cancels the task left behind and lets it clean up.
import asyncio


async def forever():
    try:
        print("forever starts")
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        print("forever cancelled", repr(e.args))
        await asyncio.sleep(0)
        print("cleanup awaited")
        raise
    finally:
        print("forever finally")


async def quick():
    print("quick done")


async def main():
    asyncio.create_task(forever())
    asyncio.create_task(quick())
    await asyncio.sleep(0.01)
    print("main returns")
    return "main result"


print(asyncio.run(main()))
