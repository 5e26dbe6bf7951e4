# What isinstance() says of the loop's futures and tasks, as code written for asyncio asks it.
# (Hosted on loop_impl's loop these are loop_impl's own objects: they must still count as
# asyncio.Future / asyncio.Task, and the unnamed ones share asyncio's Task-N sequence.)
import asyncio
import collections.abc


async def child(x):
    await asyncio.sleep(0)
    return x


def kinds(obj):
    return (
        isinstance(obj, asyncio.Future),
        isinstance(obj, asyncio.Task),
        asyncio.isfuture(obj),
        isinstance(obj, collections.abc.Awaitable),
    )


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    task = asyncio.create_task(child(1))
    direct = asyncio.Task(child(2))  # asyncio's own class on a hosted loop
    outer = asyncio.gather(child(3), child(4))
    shielded = asyncio.shield(child(5))
    executor = loop.run_in_executor(None, sum, [1, 2])
    for name, obj in [("create_future", fut), ("create_task", task), ("asyncio.Task()", direct),
                      ("gather", outer), ("shield", shielded), ("run_in_executor", executor),
                      ("current_task", asyncio.current_task())]:
        print(f"{name:16} Future/Task/isfuture/Awaitable: {kinds(obj)}")
    coro = child(0)
    print("a coroutine is none of them:", kinds(coro)[:3])
    coro.close()
    print("names, one sequence:", [t.get_name() for t in (asyncio.current_task(), task, direct)])
    fut.set_result("set")
    print(await fut, await task, await direct, await outer, await shielded, await executor)


asyncio.run(main())
