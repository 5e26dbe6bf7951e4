# requires-python: 3.13 as_completed as an async iterator (gh-77714)
"""`async for` over as_completed() yields the tasks themselves, in the order they finish."""
import asyncio


async def job(name, delay):
    await asyncio.sleep(delay)
    if name == "bad":
        raise ValueError(name)
    return name


async def main():
    tasks = [asyncio.create_task(job(n, d), name=n) for n, d in (("slow", 0.3), ("fast", 0.1), ("bad", 0.2))]
    async for task in asyncio.as_completed(tasks):
        print("finished:", task.get_name(), "is one of ours:", task in tasks, end=" ")
        print("->", repr(task.exception()) if task.exception() else task.result())
    coros_done = []
    async for task in asyncio.as_completed([job("a", 0.2), job("b", 0.1)]):
        coros_done.append(await task)
    print("from coroutines:", coros_done)
    try:
        async for task in asyncio.as_completed([job("late", 1)], timeout=0.05):
            print("never", task)
    except TimeoutError:
        print("timeout: TimeoutError")
    it = asyncio.as_completed([])
    print("same object for both protocols:", iter(it) is it, aiter(it) is it)


asyncio.run(main())
