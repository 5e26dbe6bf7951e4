# async-timeout: a deadline around an await; its timer must fire on the loop that runs the task.
import asyncio

import async_timeout


async def main():
    try:
        async with async_timeout.timeout(0.05) as deadline:
            await asyncio.sleep(5)
        print("finished in time")
    except asyncio.TimeoutError:
        print("timed out:", deadline.expired())
    async with async_timeout.timeout(1) as deadline:
        await asyncio.sleep(0.01)
    print("fast one expired:", deadline.expired())


asyncio.run(main())
