# requires-python: 3.12 eager tasks (gh-97696)
"""eager_task_factory: a task runs its first step inside create_task; one that never waits is done at once."""
import asyncio
async def quick(n):
    print("quick", n, asyncio.current_task().get_name())
    return n
async def slow(n):
    print("slow start", n, asyncio.current_task().get_name())
    await asyncio.sleep(0)
    print("slow end", n)
    return n * 10
async def main():
    loop = asyncio.get_running_loop()
    loop.set_task_factory(asyncio.eager_task_factory)
    t1 = asyncio.create_task(quick(1))
    print("t1 done at once:", t1.done(), t1.result())
    t2 = asyncio.create_task(slow(2), name="named-slow")
    print("t2 done at once:", t2.done(), t2.get_name())
    t3 = loop.create_task(slow(3))
    print(len(asyncio.all_tasks()), "tasks pending")
    print(await asyncio.gather(t1, t2, t3, quick(4)))
    loop.set_task_factory(None)
    t5 = asyncio.Task(slow(5), loop=loop, eager_start=True)
    print("t5 done:", t5.done(), await t5)
    print(asyncio.create_task(quick(6)).get_name())
asyncio.run(main())
