"""Condition.wait cancelled: the task gets the lock back before CancelledError leaves wait()."""
import asyncio


async def main():
    cond = asyncio.Condition()
    log = []

    async def waiter(name):
        async with cond:
            try:
                await cond.wait()
                log.append(f"{name} notified")
            except asyncio.CancelledError:
                log.append(f"{name} cancelled, holds lock={cond.locked()}")
                raise
            finally:
                log.append(f"{name} leaves the block")

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await asyncio.sleep(0)

    # Cancel `a` while main holds the lock: `a` must wait for the lock.
    async with cond:
        a.cancel()
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        log.append(f"main still holds lock, a done={a.done()}")
        cond.notify()  # a is cancelled already: b is the one notified
    res = await asyncio.gather(a, b, return_exceptions=True)
    log.append(f"results: {[type(r).__name__ if r else r for r in res]}")

    # Notified, then cancelled before re-acquiring the lock.
    c = asyncio.create_task(waiter("c"))
    d = asyncio.create_task(waiter("d"))
    await asyncio.sleep(0)
    async with cond:
        cond.notify(2)
        c.cancel()
    res = await asyncio.gather(c, d, return_exceptions=True)
    log.append(f"results: {[type(r).__name__ if r else r for r in res]}")

    # Notified, then cancelled while waiting to re-acquire the lock: wait()
    # still takes the lock back first, then raises CancelledError.
    e = asyncio.create_task(waiter("e"))
    await asyncio.sleep(0)
    async with cond:
        cond.notify()
        await asyncio.sleep(0)  # e runs: it now waits for the lock main holds
        e.cancel()
        await asyncio.sleep(0)
        log.append(f"main releases, e done={e.done()}")
    res = await asyncio.gather(e, return_exceptions=True)
    log.append(f"results: {[type(r).__name__ if r else r for r in res]}")
    for line in log:
        print(line)
    print("locked at end:", cond.locked())


asyncio.run(main())
