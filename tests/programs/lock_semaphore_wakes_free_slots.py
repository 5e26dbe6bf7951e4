"""Semaphore(0): c1 waits; c2 releases three slots, then asks for one itself; c3 waits.
The slots are reserved in FIFO order (c1, c2, c3). From 3.13 the first to get its slot
also wakes as many more waiters as there are free slots, so c3 runs before the task c1
created (before 3.13, after it)."""

import asyncio


async def main():
    sem = asyncio.Semaphore(0)
    order = []

    async def c1():
        await sem.acquire()
        order.append("c1")
        asyncio.create_task(c4())

    async def c2():
        sem.release()
        sem.release()
        sem.release()
        print("locked after three releases:", sem.locked())
        await sem.acquire()
        order.append("c2")

    async def c3():
        await sem.acquire()
        order.append("c3")

    async def c4():
        order.append("c4")

    tasks = [asyncio.create_task(c()) for c in (c1, c2, c3)]
    for step in range(1, 6):
        await asyncio.sleep(0)
        print("after", step, "iterations:", order)
    await asyncio.gather(*tasks)


asyncio.run(main())
