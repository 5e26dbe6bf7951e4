# run() lets the loop finish the iteration in which main returned: a task
# created just before main returns still takes its first step, then is cancelled.
import asyncio


async def late():
    print("late started")
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("late cancelled at shutdown")
        raise


async def main():
    t = asyncio.create_task(late())
    print("main returns")
    return t


t = asyncio.run(main())
print("late cancelled:", t.cancelled(), "done:", t.done())
