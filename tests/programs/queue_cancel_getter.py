"""Cancelling queue waiters: a woken-then-cancelled getter hands the item to the next."""
import asyncio


async def getter(name, q, log):
    try:
        item = await q.get()
        log.append(f"{name} got {item}")
    except asyncio.CancelledError:
        log.append(f"{name} cancelled (qsize={q.qsize()})")
        raise


async def putter(name, q, item, log):
    try:
        await q.put(item)
        log.append(f"{name} put {item}")
    except asyncio.CancelledError:
        log.append(f"{name} cancelled (qsize={q.qsize()})")
        raise


async def main():
    log = []
    q = asyncio.Queue()

    # 1. Cancel a waiting getter; the next put goes to the one after it.
    gs = [asyncio.create_task(getter(f"g{i}", q, log)) for i in range(3)]
    await asyncio.sleep(0)
    gs[0].cancel()
    await asyncio.sleep(0)
    q.put_nowait("item1")
    await asyncio.sleep(0)

    # 2. put wakes g2, which is cancelled before it runs: the items stay queued.
    q.put_nowait("item2")
    q.put_nowait("item3")
    gs[2].cancel()
    res = await asyncio.gather(*gs, return_exceptions=True)
    log.append(f"left in queue: {q.qsize()}")
    log.append(str([type(r).__name__ for r in res]))

    # 3. Two getters woken by one put each, the first cancelled: the item is not lost.
    q = asyncio.Queue()
    hs = [asyncio.create_task(getter(f"h{i}", q, log)) for i in range(3)]
    await asyncio.sleep(0)
    q.put_nowait("only")
    hs[0].cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log.append(f"h1 done={hs[1].done()} h2 done={hs[2].done()}")
    hs[2].cancel()
    await asyncio.gather(*hs, return_exceptions=True)

    # 4. Putters on a full queue: cancel the one a get() just woke.
    q = asyncio.Queue(maxsize=1)
    q.put_nowait("first")
    ps = [asyncio.create_task(putter(f"p{i}", q, f"v{i}", log)) for i in range(3)]
    await asyncio.sleep(0)
    log.append(f"main got {q.get_nowait()}")
    ps[0].cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log.append(f"main got {q.get_nowait()}")
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log.append(f"main got {q.get_nowait()}")
    await asyncio.gather(*ps, return_exceptions=True)
    for line in log:
        print(line)


asyncio.run(main())
