"""PriorityQueue gives the smallest item first; LifoQueue the newest."""
import asyncio


async def main():
    pq = asyncio.PriorityQueue()
    for item in [(3, "low"), (1, "urgent"), (2, "normal"), (1, "also urgent"), (5, "later")]:
        pq.put_nowait(item)
    print("priority:", [pq.get_nowait() for _ in range(pq.qsize())])

    lq = asyncio.LifoQueue()
    for i in range(5):
        await lq.put(i)
    print("lifo:", [await lq.get() for _ in range(5)])

    # Blocked getters: each put wakes the oldest getter, which takes whatever
    # the queue's order gives it at that moment.
    log = []

    async def getter(name, q):
        item = await q.get()
        log.append(f"{name} got {item}")

    pq = asyncio.PriorityQueue(maxsize=3)
    gs = [asyncio.create_task(getter(f"g{i}", pq)) for i in range(3)]
    await asyncio.sleep(0)
    for item in (5, 1, 3):
        pq.put_nowait(item)
    log.append(f"put 5, 1, 3 (qsize={pq.qsize()})")
    await asyncio.gather(*gs)
    print(log)

    log.clear()
    lq = asyncio.LifoQueue(maxsize=2)
    lq.put_nowait("a")
    lq.put_nowait("b")
    putter = asyncio.create_task(lq.put("c"))
    await asyncio.sleep(0)
    log.append(f"full={lq.full()}")
    log.append(f"get -> {await lq.get()}")
    await putter
    log.append(f"after putter: {[lq.get_nowait() for _ in range(lq.qsize())]}")
    print(log)

    pq = asyncio.PriorityQueue()
    pq.put_nowait((1, "a"))
    try:
        pq.put_nowait((1, {"no": "order"}))
        pq.put_nowait((1, {"dicts": "cannot compare"}))
    except TypeError as e:
        print("TypeError:", e)


asyncio.run(main())
