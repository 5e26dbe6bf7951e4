# wait(FIRST_COMPLETED) returns as soon as one finishes; the rest keep running.
import asyncio


async def job(name, delay):
    await asyncio.sleep(delay)
    print("job", name, "finished")
    return name


def names(tasks):
    return sorted(t.get_name() for t in tasks)


async def main():
    tasks = [asyncio.create_task(job(n, d), name=n) for n, d in [("a", 0.15), ("b", 0.05), ("c", 0.25)]]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print("done", names(done), "pending", names(pending))
    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
    print("done", names(done), "pending", names(pending))
    done, pending = await asyncio.wait(pending)
    print("done", names(done), "pending", names(pending))
    print(asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION, asyncio.ALL_COMPLETED)


asyncio.run(main())
