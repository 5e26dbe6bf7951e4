"""BoundedSemaphore: releasing more than acquired is an error; Semaphore allows it."""
import asyncio


async def main():
    bs = asyncio.BoundedSemaphore(2)
    await bs.acquire()
    print("acquired one, locked:", bs.locked())
    bs.release()
    try:
        bs.release()
    except ValueError as e:
        print("extra release:", repr(e))

    s = asyncio.Semaphore(1)
    s.release()
    s.release()
    got = 0
    while not s.locked():
        await s.acquire()
        got += 1
    print("plain Semaphore(1) after two extra releases gives", got)

    # The bound still allows waiters to be woken normally.
    bs = asyncio.BoundedSemaphore(1)
    order = []

    async def job(name):
        async with bs:
            order.append(f"{name} in")
            await asyncio.sleep(0)
            order.append(f"{name} out")

    await asyncio.gather(*(job(f"j{i}") for i in range(3)))
    print(order)
    try:
        bs.release()
    except ValueError as e:
        print("after all done:", e)


asyncio.run(main())
