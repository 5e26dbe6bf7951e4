"""Lock: contended acquires are served first come, first served."""
import asyncio


async def worker(name, lock, log, rounds):
    for r in range(rounds):
        log.append(f"{name} wants the lock (round {r}, locked={lock.locked()})")
        async with lock:
            log.append(f"{name} holds the lock (round {r})")
            await asyncio.sleep(0)
            await asyncio.sleep(0)
        log.append(f"{name} released (round {r})")


async def main():
    lock = asyncio.Lock()
    log = []
    print("locked at start:", lock.locked())
    await asyncio.gather(*(worker(f"t{i}", lock, log, 2) for i in range(4)))
    for line in log:
        print(line)
    print("locked at end:", lock.locked())

    # acquire() returns True; an uncontended acquire doesn't yield.
    print("acquire ->", await lock.acquire())
    print("locked:", lock.locked())
    lock.release()
    try:
        lock.release()
    except RuntimeError as e:
        print("second release:", repr(e))


asyncio.run(main())
