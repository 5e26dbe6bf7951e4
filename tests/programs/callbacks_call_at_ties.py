# Timers with exactly the same deadline fire in the order asyncio's heap gives.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    when = loop.time() + 0.05
    for i in range(12):
        loop.call_at(when, print, "tie", i)
    # A second batch with a later identical deadline, interleaved with an
    # earlier single timer, so the heap's shape after pops matters too.
    when2 = when + 0.1
    for i in range(7):
        loop.call_at(when2, print, "tie2", i)
        if i == 3:
            loop.call_at(when, print, "late joiner to first batch")
    await asyncio.sleep(0.1)
    print("between batches")
    for i in range(5):
        loop.call_at(when2, print, "tie2 added later", i)
    await asyncio.sleep(0.1)
    print("done")


asyncio.run(main())
