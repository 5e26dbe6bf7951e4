"""Condition.wait_for: each consumer waits for its own predicate."""
import asyncio


async def main():
    cond = asyncio.Condition()
    state = {"n": 0}
    log = []

    async def wait_until(k):
        async with cond:
            result = await cond.wait_for(lambda: state["n"] >= k and f"n={state['n']}")
            log.append(f"waiter({k}) sees {result}")

    async def producer():
        for _ in range(5):
            async with cond:
                state["n"] += 1
                log.append(f"producer: n={state['n']}")
                cond.notify_all()
            await asyncio.sleep(0)

    ws = [asyncio.create_task(wait_until(k)) for k in (3, 1, 5, 3)]
    await asyncio.sleep(0)
    await asyncio.gather(producer(), *ws)
    for line in log:
        print(line)

    # A predicate already true returns at once, without waiting.
    async with cond:
        print("immediate:", await cond.wait_for(lambda: state["n"]))


asyncio.run(main())
