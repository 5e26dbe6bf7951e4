# An exception escaping main leaves asyncio.run after cleanup: the program dies of it.
import asyncio


async def bystander():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("bystander cancelled during shutdown")
        raise


async def main():
    asyncio.create_task(bystander())
    await asyncio.sleep(0)
    print("main raises")
    raise ValueError("main failed: 42")


asyncio.run(main())
print("not reached")
