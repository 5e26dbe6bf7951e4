"""Lock fairness: a task that releases and re-acquires at once goes to the back of the line.

Between release() and the woken waiter's next step the lock is free, yet a
newcomer must not take it while a (non-cancelled) waiter is in line.
"""
import asyncio


async def greedy(lock, log):
    for i in range(3):
        await lock.acquire()
        log.append(f"greedy got it ({i})")
        await asyncio.sleep(0)
        lock.release()
        log.append(f"greedy released ({i}), locked={lock.locked()}")
        # No await between release and acquire: still has to wait in line.


async def polite(name, lock, log):
    async with lock:
        log.append(f"{name} got it")


async def main():
    lock = asyncio.Lock()
    log = []
    g = asyncio.create_task(greedy(lock, log))
    await asyncio.sleep(0)  # greedy takes the lock first
    others = [asyncio.create_task(polite(f"p{i}", lock, log)) for i in range(3)]
    await asyncio.gather(g, *others)
    for line in log:
        print(line)

    # Newcomer vs woken waiter: after release, the lock looks free but a
    # waiter is in line, so the newcomer (an acquire with no waiting) waits.
    log.clear()
    await lock.acquire()
    w = asyncio.create_task(polite("waiter", lock, log))
    await asyncio.sleep(0)
    lock.release()
    log.append(f"after release: locked={lock.locked()}")
    n = asyncio.create_task(polite("newcomer", lock, log))
    await asyncio.gather(w, n)
    for line in log:
        print(line)


asyncio.run(main())
