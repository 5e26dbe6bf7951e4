# A custom task factory makes every task; names and Task-N numbers as in asyncio.
import asyncio

made = []


def factory(loop, coro, **kwargs):
    task = asyncio.Task(coro, loop=loop, **kwargs)
    made.append(task.get_name())
    return task


async def child(x):
    await asyncio.sleep(0)
    return x


async def main():
    loop = asyncio.get_running_loop()
    print("factory before:", loop.get_task_factory())
    loop.set_task_factory(factory)
    print("factory set:", loop.get_task_factory() is factory)
    tasks = [
        asyncio.create_task(child(1)),
        asyncio.create_task(child(2), name="named"),
        loop.create_task(child(3)),
        loop.create_task(child(4), name="loop-named"),
        asyncio.ensure_future(child(5)),
    ]
    print(await asyncio.gather(*tasks, child(6)))
    print("factory saw:", made)
    print("final names:", [t.get_name() for t in tasks])
    loop.set_task_factory(None)
    after = asyncio.create_task(child(7))
    print("without factory:", after.get_name(), await after)
    try:
        loop.set_task_factory(42)
    except TypeError as e:
        print("TypeError:", e)


asyncio.run(main())
