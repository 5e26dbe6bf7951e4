# CancelledError arrives exactly at the await the task is suspended in;
# finally blocks run and may still await.
import asyncio


async def worker():
    print("worker: step 1")
    await asyncio.sleep(0)
    print("worker: step 2, now a long sleep")
    try:
        await asyncio.sleep(1)
        print("not reached")
    finally:
        print("worker: finally, awaiting cleanup")
        await asyncio.sleep(0.01)
        print("worker: cleanup done")


async def main():
    t = asyncio.create_task(worker())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("main: cancelling")
    t.cancel()
    print("main: cancel() returned, task done?", t.done())
    try:
        await t
    except asyncio.CancelledError:
        print("main: task cancelled", t.cancelled())


asyncio.run(main())
