"""QueueEmpty and QueueFull, and the size methods."""
import asyncio


async def main():
    q = asyncio.Queue(maxsize=2)
    print("empty:", q.empty(), "full:", q.full(), "qsize:", q.qsize(), "maxsize:", q.maxsize)
    try:
        q.get_nowait()
    except asyncio.QueueEmpty as e:
        print("get_nowait on empty:", repr(e), isinstance(e, Exception))
    q.put_nowait(1)
    q.put_nowait(2)
    print("empty:", q.empty(), "full:", q.full(), "qsize:", q.qsize())
    try:
        q.put_nowait(3)
    except asyncio.QueueFull as e:
        print("put_nowait on full:", repr(e))
    print("str:", str(q))

    # maxsize <= 0 means unbounded.
    for size in (0, -1):
        u = asyncio.Queue(size)
        for i in range(100):
            u.put_nowait(i)
        print(f"maxsize={size}: full={u.full()} qsize={u.qsize()}")

    # wait_for on a get() that never gets an item.
    try:
        await asyncio.wait_for(asyncio.Queue().get(), 0.01)
    except TimeoutError:
        print("get() timed out")
    print("subclass check:", issubclass(asyncio.QueueEmpty, Exception), issubclass(asyncio.QueueFull, Exception))
    print("generic alias:", asyncio.Queue[int].__origin__ is asyncio.Queue, asyncio.Queue[int].__args__)


asyncio.run(main())
