# A pending task that nothing references any more is collected, and reported:
# "Task was destroyed but it is pending!"
import asyncio
import gc


def handler(loop, context):
    print("handler:", context["message"], "| task given:", "task" in context)


async def waits_forever():
    try:
        await asyncio.get_running_loop().create_future()
    finally:
        print("waits_forever: finally runs when the coroutine is closed")


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    asyncio.create_task(waits_forever())  # no reference kept
    await asyncio.sleep(0)
    print("collecting")
    gc.collect()
    print("collected; tasks left:", len(asyncio.all_tasks()))


asyncio.run(main())
