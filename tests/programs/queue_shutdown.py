# requires-python: 3.13 Queue.shutdown and QueueShutDown (gh-96471)
"""Queue.shutdown(): waiting getters and putters wake to QueueShutDown; immediate drops the items and ends join()."""
import asyncio
async def main():
    q = asyncio.Queue(2)
    async def getter(n):
        try:
            while True:
                print(n, "got", await q.get()); q.task_done()
        except asyncio.QueueShutDown:
            print(n, "shut down")
    async def putter():
        try:
            for i in range(10):
                await q.put(i)
        except asyncio.QueueShutDown:
            print("putter shut down at", i)
    ts = [asyncio.create_task(getter(i)) for i in range(2)]
    p = asyncio.create_task(putter())
    await asyncio.sleep(0)
    print(q)
    q.shutdown()
    print(repr(q).split(" at ")[0], str(q))
    await asyncio.gather(*ts, p)
    q2 = asyncio.Queue(); q2.put_nowait(1); q2.put_nowait(2)
    j = asyncio.create_task(q2.join())
    q2.shutdown(immediate=True)
    await j
    print("joined", q2.qsize())
    try: q2.put_nowait(3)
    except asyncio.QueueShutDown as e: print("put_nowait", type(e).__name__)
    try: q2.get_nowait()
    except asyncio.QueueShutDown as e: print("get_nowait", type(e).__name__)
asyncio.run(main())
