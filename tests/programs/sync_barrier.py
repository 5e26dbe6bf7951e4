"""Barrier (3.11): n tasks meet; arrival indexes; rounds; reset and abort break waiters."""
import asyncio


async def main():
    log = []
    barrier = asyncio.Barrier(3)
    print("parties:", barrier.parties, "n_waiting:", barrier.n_waiting, "broken:", barrier.broken)

    async def party(name, rounds, delay_steps):
        for r in range(rounds):
            for _ in range(delay_steps):
                await asyncio.sleep(0)
            log.append(f"{name} arrives for round {r} (n_waiting={barrier.n_waiting})")
            index = await barrier.wait()
            log.append(f"{name} passes round {r} with index {index}")

    await asyncio.gather(party("a", 2, 0), party("b", 2, 2), party("c", 2, 1))
    for line in log:
        print(line)
    print("n_waiting after:", barrier.n_waiting)

    # async with gives the index too.
    log.clear()
    b2 = asyncio.Barrier(2)

    async def using_with(name):
        async with b2 as index:
            log.append(f"{name} index {index}")

    await asyncio.gather(using_with("x"), using_with("y"))
    print(log)

    # reset() while two wait for a third: both get BrokenBarrierError; it is usable again.
    log.clear()
    b3 = asyncio.Barrier(3)

    async def waiter(name):
        try:
            await b3.wait()
            log.append(f"{name} passed")
        except asyncio.BrokenBarrierError as e:
            log.append(f"{name}: {type(e).__name__}: {e}")

    ws = [asyncio.create_task(waiter(f"w{i}")) for i in range(2)]
    await asyncio.sleep(0)
    await b3.reset()
    await asyncio.gather(*ws)
    log.append(f"after reset: broken={b3.broken} n_waiting={b3.n_waiting}")
    await asyncio.gather(*(waiter(f"v{i}") for i in range(3)))
    print(log)

    # abort(): waiting and future waiters are refused.
    log.clear()
    ws = [asyncio.create_task(waiter(f"u{i}")) for i in range(2)]
    await asyncio.sleep(0)
    await b3.abort()
    await asyncio.gather(*ws)
    await waiter("late")
    print(log, "broken:", b3.broken)
    try:
        asyncio.Barrier(0)
    except ValueError as e:
        print("Barrier(0):", repr(e))
    print("is RuntimeError:", issubclass(asyncio.BrokenBarrierError, RuntimeError))


asyncio.run(main())
