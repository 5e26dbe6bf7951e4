"""Condition(lock): two conditions share one lock, and the lock's own users too."""
import asyncio


async def main():
    lock = asyncio.Lock()
    not_empty = asyncio.Condition(lock)
    not_full = asyncio.Condition(lock)
    items, log = [], []
    cap = 2

    async def producer():
        for i in range(5):
            async with not_full:
                while len(items) >= cap:
                    log.append(f"producer waits (full: {items})")
                    await not_full.wait()
                items.append(i)
                log.append(f"put {i} -> {items}")
                not_empty.notify()

    async def consumer():
        for _ in range(5):
            async with not_empty:
                await not_empty.wait_for(lambda: items)
                x = items.pop(0)
                log.append(f"got {x} -> {items}")
                not_full.notify()
            await asyncio.sleep(0)

    async def bystander():
        # Takes the plain lock: excluded by both conditions' holders.
        for i in range(3):
            async with lock:
                log.append(f"bystander {i}: cond locked={not_empty.locked()}")
            await asyncio.sleep(0)

    await asyncio.gather(consumer(), producer(), bystander())
    for line in log:
        print(line)
    print("lock free at end:", not lock.locked(), not not_empty.locked(), not not_full.locked())


asyncio.run(main())
