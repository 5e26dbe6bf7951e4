"""Condition.wait(): a waiter notified and then cancelled before it runs. From 3.13
(gh-112202) it hands the wakeup on to the next waiter; before, that wakeup is lost and
the next waiter sleeps on until cancelled."""

import asyncio


async def main():
    cond = asyncio.Condition()
    woke = []

    async def waiter(name):
        async with cond:
            try:
                await cond.wait()
                woke.append(name)
            except asyncio.CancelledError as exc:
                print(name, "cancelled:", exc.args)
                raise

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await asyncio.sleep(0)
    async with cond:
        cond.notify(1)  # a is notified...
        a.cancel("stop a")  # ...and cancelled before it runs
    for _ in range(5):
        await asyncio.sleep(0)
    print("woken:", woke)
    b.cancel()
    results = await asyncio.gather(a, b, return_exceptions=True)
    print("a:", type(results[0]).__name__, "- b:", type(results[1]).__name__ if results[1] else results[1])


asyncio.run(main())
