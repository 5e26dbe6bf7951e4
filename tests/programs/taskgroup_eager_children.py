# requires-python: 3.12 eager tasks (gh-97696)
"""A TaskGroup with eager tasks: a child done at once is counted at once, a failing one cancels the body."""
import asyncio
async def quick(n):
    print("quick", n)
    if n == 2:
        raise ValueError(n)
    return n
async def slow(n):
    await asyncio.sleep(0.01)
    print("slow", n)
async def main():
    asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
    try:
        async with asyncio.TaskGroup() as tg:
            t1 = tg.create_task(quick(1))
            print("t1 done inside:", t1.done(), tg)
            tg.create_task(slow(3))
            tg.create_task(quick(2))
            print("after a failing eager child:", asyncio.current_task().cancelling())
            await asyncio.sleep(0)
            print("not reached")
    except* ValueError as eg:
        print("caught", eg.exceptions)
    print("cancelling after:", asyncio.current_task().cancelling())
asyncio.run(main())
