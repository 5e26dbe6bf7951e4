"""Event: waiters wake in the order they started waiting; clear() after set()."""
import asyncio


async def waiter(name, ev, log):
    log.append(f"{name} waits (is_set={ev.is_set()})")
    result = await ev.wait()
    log.append(f"{name} woke with {result}")


async def main():
    log = []
    ev = asyncio.Event()
    tasks = [asyncio.create_task(waiter(f"w{i}", ev, log)) for i in range(4)]
    await asyncio.sleep(0)
    log.append("main sets the event")
    ev.set()
    ev.set()  # a second set() is a no-op
    log.append(f"set done, is_set={ev.is_set()}")
    # clear() right after set(): the tasks already woken still return True.
    ev.clear()
    log.append(f"cleared, is_set={ev.is_set()}")
    await asyncio.gather(*tasks)
    for line in log:
        print(line)

    # A wait() on a set event returns at once, without giving up the loop.
    ev.set()
    order = []

    async def other():
        order.append("other ran")

    t = asyncio.create_task(other())
    order.append(f"wait on set event -> {await ev.wait()}")
    await t
    print(order)

    # A cancelled waiter does not stop the others from waking.
    ev.clear()
    log.clear()
    tasks = [asyncio.create_task(waiter(f"c{i}", ev, log)) for i in range(3)]
    await asyncio.sleep(0)
    tasks[1].cancel()
    await asyncio.sleep(0)
    ev.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for line in log:
        print(line)
    print([type(r).__name__ for r in results])


asyncio.run(main())
