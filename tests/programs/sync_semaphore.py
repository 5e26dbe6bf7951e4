"""Semaphore(2): at most two workers inside; the rest enter in arrival order."""
import asyncio


async def worker(name, sem, log, inside, hold):
    log.append(f"{name} arrives (locked={sem.locked()})")
    async with sem:
        inside.append(name)
        log.append(f"{name} enters, inside={sorted(inside)}")
        for _ in range(hold):
            await asyncio.sleep(0)
        inside.remove(name)
    log.append(f"{name} leaves")


async def main():
    sem = asyncio.Semaphore(2)
    log, inside = [], []
    holds = [3, 1, 2, 1, 2, 1]
    await asyncio.gather(*(worker(f"w{i}", sem, log, inside, h) for i, h in enumerate(holds)))
    for line in log:
        print(line)
    print("locked at end:", sem.locked())

    # Several releases at once wake several waiters, still in order.
    sem = asyncio.Semaphore(0)
    log.clear()

    async def taker(name):
        await sem.acquire()
        log.append(f"{name} acquired")

    tasks = [asyncio.create_task(taker(f"k{i}")) for i in range(4)]
    await asyncio.sleep(0)
    print("locked with value 0:", sem.locked())
    sem.release()
    sem.release()
    sem.release()
    await asyncio.sleep(0)
    log.append("after one iteration")
    sem.release()
    await asyncio.gather(*tasks)
    print(log)

    # A waiter woken by release() and cancelled before running gives its
    # slot back to the next in line.
    sem = asyncio.Semaphore(1)
    log.clear()
    await sem.acquire()

    async def user(name):
        async with sem:
            log.append(f"{name} acquired")
            await asyncio.sleep(0)
        log.append(f"{name} released")

    tasks = [asyncio.create_task(user(f"c{i}")) for i in range(3)]
    await asyncio.sleep(0)
    sem.release()
    tasks[0].cancel()
    res = await asyncio.gather(*tasks, return_exceptions=True)
    print(log, [type(r).__name__ for r in res])
    print("locked:", sem.locked())

    # Two releases while the only waiter is woken but has not run yet: the
    # second slot stays free, a newcomer still queues behind the woken waiter,
    # and the woken waiter passes the spare slot on when it runs.
    sem = asyncio.Semaphore(0)
    log.clear()
    a = asyncio.create_task(taker("A"))
    await asyncio.sleep(0)
    sem.release()
    sem.release()
    log.append(f"two releases: locked={sem.locked()}")
    await taker("main")  # waits in line behind A, in the same step
    await a
    print(log, "locked:", sem.locked())

    try:
        asyncio.Semaphore(-1)
    except ValueError as e:
        print("Semaphore(-1):", repr(e))


asyncio.run(main())
