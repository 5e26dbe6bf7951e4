# Tasks wake in deadline order, whatever order they started sleeping in.
import asyncio


async def sleeper(name, delay):
    print("sleep", name, delay)
    await asyncio.sleep(delay)
    print("woke", name)
    return name


async def main():
    order = []
    tasks = [
        asyncio.create_task(sleeper("c", 0.06)),
        asyncio.create_task(sleeper("a", 0.02)),
        asyncio.create_task(sleeper("d", 0.08)),
        asyncio.create_task(sleeper("b", 0.04)),
        asyncio.create_task(sleeper("zero", 0)),
    ]
    for t in tasks:
        t.add_done_callback(lambda t: order.append(t.result()))
    await asyncio.sleep(0.5)  # far past every sleeper, so a stalled machine cannot reorder
    print("done order", order)


asyncio.run(main())
