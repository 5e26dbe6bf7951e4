# A task waiting on a plain future: cancelling the task cancels that future.
import asyncio


async def waits_on(fut):
    try:
        await fut
    except asyncio.CancelledError:
        print("task saw CancelledError; future cancelled?", fut.cancelled())
        return "recovered"


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    t = asyncio.create_task(waits_on(fut))
    await asyncio.sleep(0)
    t.cancel()
    print("future cancelled right away?", fut.cancelled())
    print(await t, "task cancelled?", t.cancelled())
    fut2 = loop.create_future()
    fut2.set_result("already")
    t2 = asyncio.create_task(waits_on(fut2))
    t2.cancel()
    try:
        await t2
    except asyncio.CancelledError:
        print("t2 cancelled before it could read a finished future")


asyncio.run(main())
