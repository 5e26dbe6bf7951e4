"""Queue: two producers, three consumers; getters are served oldest first."""
import asyncio


async def producer(name, q, n, log):
    for i in range(n):
        item = f"{name}-{i}"
        await q.put(item)
        log.append(f"{name} put {item} (qsize={q.qsize()})")
        if i % 2:
            await asyncio.sleep(0)


async def consumer(name, q, log):
    while True:
        item = await q.get()
        if item is None:
            log.append(f"{name} stops")
            return
        log.append(f"{name} got {item}")
        await asyncio.sleep(0)


async def main():
    q = asyncio.Queue()
    log = []
    consumers = [asyncio.create_task(consumer(f"c{i}", q, log)) for i in range(3)]
    await asyncio.sleep(0)  # all three wait in get()
    log.append(f"waiting consumers, empty={q.empty()}")
    await asyncio.gather(producer("A", q, 4, log), producer("B", q, 3, log))
    for _ in consumers:
        await q.put(None)
    await asyncio.gather(*consumers)
    for line in log:
        print(line)
    print("empty at end:", q.empty(), "qsize:", q.qsize(), "maxsize:", q.maxsize)


asyncio.run(main())
