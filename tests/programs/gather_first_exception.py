# Without return_exceptions the first error is raised at once, siblings keep running.
import asyncio


async def worker(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        print(name, "raises")
        raise RuntimeError(name)
    print(name, "finishes")
    return name


async def main():
    a = asyncio.create_task(worker("a", 0.15))
    b = asyncio.create_task(worker("b", 0.05, fail=True))
    c = asyncio.create_task(worker("c", 0.25))
    d = asyncio.create_task(worker("d", 0.1, fail=True))
    try:
        await asyncio.gather(a, b, c, d)
    except RuntimeError as e:
        print("gather raised", e)
    print("siblings cancelled?", a.cancelled(), c.cancelled(), "done?", a.done(), c.done())
    await asyncio.sleep(0.3)
    print("later:", a.result(), c.result(), repr(d.exception()))


asyncio.run(main())
