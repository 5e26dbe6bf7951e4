"""Condition: notify(n) wakes the n oldest waiters; each re-takes the lock in turn."""
import asyncio


async def consumer(name, cond, log):
    async with cond:
        log.append(f"{name} waits")
        r = await cond.wait()
        log.append(f"{name} woke ({r}), holds lock={cond.locked()}")
        await asyncio.sleep(0)
        log.append(f"{name} releases")


async def main():
    cond = asyncio.Condition()
    log = []
    tasks = [asyncio.create_task(consumer(f"c{i}", cond, log)) for i in range(5)]
    await asyncio.sleep(0)
    async with cond:
        log.append("notify(1)")
        cond.notify()
    await asyncio.sleep(0)
    async with cond:
        log.append("notify(2)")
        cond.notify(2)
        log.append("still holding the lock after notify")
        await asyncio.sleep(0)
        log.append("main releases")
    await asyncio.sleep(0)
    async with cond:
        log.append("notify_all()")
        cond.notify_all()
    await asyncio.gather(*tasks)
    for line in log:
        print(line)

    # Misuse without holding the lock.
    for what, call in (("notify", cond.notify), ("notify_all", cond.notify_all)):
        try:
            call()
        except RuntimeError as e:
            print(what, "unlocked:", repr(e))
    try:
        await cond.wait()
    except RuntimeError as e:
        print("wait unlocked:", repr(e))
    async with cond:
        cond.notify(3)  # nobody waiting: no-op
        print("notify with no waiters is fine")


asyncio.run(main())
