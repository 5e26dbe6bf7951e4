"""Queue(maxsize=2): producers block on put() and resume in arrival order."""
import asyncio


async def producer(name, q, items, log):
    for item in items:
        log.append(f"{name} putting {item} (full={q.full()})")
        await q.put(item)
        log.append(f"{name} put {item} (qsize={q.qsize()})")


async def main():
    q = asyncio.Queue(maxsize=2)
    log = []
    prods = [
        asyncio.create_task(producer("P1", q, ["a", "b", "c"], log)),
        asyncio.create_task(producer("P2", q, ["x", "y"], log)),
    ]
    for _ in range(3):
        await asyncio.sleep(0)
    log.append(f"main: full={q.full()} qsize={q.qsize()}")
    got = []
    while len(got) < 5:
        got.append(await q.get())
        log.append(f"main got {got[-1]} (qsize={q.qsize()})")
        if len(got) == 2:
            await asyncio.sleep(0)
    await asyncio.gather(*prods)
    for line in log:
        print(line)
    print("order:", got)

    # put_nowait() does not queue behind a waiting putter: woken by get_nowait(),
    # the waiter only runs later, and by then the newcomer took the free slot.
    q2 = asyncio.Queue(maxsize=1)
    q2.put_nowait("first")
    waiting = asyncio.create_task(q2.put("from waiter"))
    await asyncio.sleep(0)
    print("get_nowait ->", q2.get_nowait())
    q2.put_nowait("newcomer")
    print("full:", q2.full())
    print("get_nowait ->", q2.get_nowait())
    await waiting
    print("get_nowait ->", q2.get_nowait())


asyncio.run(main())
