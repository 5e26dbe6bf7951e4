"""task_done() and join(): several joiners wake when the last item is done."""
import asyncio


async def worker(name, q, log):
    while True:
        item = await q.get()
        log.append(f"{name} working on {item}")
        for _ in range(item):  # item i takes i loop iterations
            await asyncio.sleep(0)
        log.append(f"{name} done with {item}")
        q.task_done()


async def joiner(name, q, log):
    log.append(f"{name} joins")
    await q.join()
    log.append(f"{name} returns from join")


async def main():
    q = asyncio.Queue()
    log = []
    await q.join()  # nothing unfinished: returns at once
    log.append("empty join returned")
    for i in range(5):
        q.put_nowait(i)
    workers = [asyncio.create_task(worker(f"w{i}", q, log)) for i in range(2)]
    joiners = [asyncio.create_task(joiner(f"j{i}", q, log)) for i in range(2)]
    await q.join()
    log.append("main returns from join")
    await asyncio.gather(*joiners)
    for w in workers:
        w.cancel()
    res = await asyncio.gather(*workers, return_exceptions=True)
    for line in log:
        print(line)
    print([type(r).__name__ for r in res])

    try:
        q.task_done()
    except ValueError as e:
        print("extra task_done:", repr(e))

    # get() without task_done keeps join() waiting.
    q.put_nowait("x")
    q.get_nowait()
    j = asyncio.create_task(q.join())
    await asyncio.sleep(0)
    print("join done before task_done:", j.done())
    q.task_done()
    await asyncio.sleep(0)
    print("join done after task_done:", j.done())


asyncio.run(main())
