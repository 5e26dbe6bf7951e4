"""Lock: cancelling waiters, including one that was already woken."""
import asyncio


async def user(name, lock, log):
    try:
        log.append(f"{name} waits")
        async with lock:
            log.append(f"{name} got the lock")
            await asyncio.sleep(0)
        log.append(f"{name} done")
    except asyncio.CancelledError:
        log.append(f"{name} cancelled (lock locked={lock.locked()})")
        raise


async def main():
    lock = asyncio.Lock()
    log = []

    # 1. Cancel a waiter in the middle of the line.
    await lock.acquire()
    tasks = [asyncio.create_task(user(f"a{i}", lock, log)) for i in range(3)]
    await asyncio.sleep(0)
    tasks[1].cancel()
    await asyncio.sleep(0)
    lock.release()
    res = await asyncio.gather(*tasks, return_exceptions=True)
    print([type(r).__name__ if r else r for r in res])

    # 2. The head of the line is woken by release(), then cancelled before
    #    it runs: the wakeup must pass on to the next waiter.
    await lock.acquire()
    tasks = [asyncio.create_task(user(f"b{i}", lock, log)) for i in range(3)]
    await asyncio.sleep(0)
    lock.release()  # wakes b0
    tasks[0].cancel()  # ...which is cancelled before it runs
    res = await asyncio.gather(*tasks, return_exceptions=True)
    print([type(r).__name__ if r else r for r in res])

    # 3. All waiters cancelled: a newcomer takes the free lock at once.
    await lock.acquire()
    tasks = [asyncio.create_task(user(f"c{i}", lock, log)) for i in range(2)]
    await asyncio.sleep(0)
    for t in tasks:
        t.cancel()
    lock.release()
    log.append(f"main acquires directly -> {await lock.acquire()}")
    lock.release()
    res = await asyncio.gather(*tasks, return_exceptions=True)
    print([type(r).__name__ if r else r for r in res])
    print("locked at end:", lock.locked())
    for line in log:
        print(line)


asyncio.run(main())
