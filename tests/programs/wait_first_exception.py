# wait(FIRST_EXCEPTION) returns at the first error, or when all are done.
import asyncio


async def job(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        raise ValueError(name)
    return name


def names(tasks):
    return sorted(t.get_name() for t in tasks)


async def main():
    tasks = [
        asyncio.create_task(job("ok1", 0.05), name="ok1"),
        asyncio.create_task(job("bad", 0.1, fail=True), name="bad"),
        asyncio.create_task(job("ok2", 0.2), name="ok2"),
    ]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    print("done", names(done), "pending", names(pending))
    for t in sorted(done, key=lambda t: t.get_name()):
        print(t.get_name(), repr(t.exception()))
    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
    print("no error: waited for all:", names(done), names(pending))


asyncio.run(main())
