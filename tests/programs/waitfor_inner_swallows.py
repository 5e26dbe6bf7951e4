# If the inner task swallows the cancellation and returns, wait_for returns its value.
import asyncio


async def stubborn():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("stubborn: ignoring cancellation")
    return "stubborn value"


async def failing_cleanup():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        raise ValueError("cleanup failed")


async def main():
    r = await asyncio.wait_for(stubborn(), 0.01)
    print("wait_for returned", r)
    try:
        await asyncio.wait_for(failing_cleanup(), 0.01)
    except Exception as e:
        print("wait_for raised", type(e).__name__, e)


asyncio.run(main())
