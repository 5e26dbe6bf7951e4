# A task runs to completion even if nobody awaits it; its result is kept.
import asyncio


async def compute(x):
    await asyncio.sleep(0)
    print("computing", x)
    return x * x


async def main():
    tasks = [asyncio.create_task(compute(i)) for i in range(3)]
    print("done right away?", [t.done() for t in tasks])
    try:
        tasks[0].result()
    except asyncio.InvalidStateError as e:
        print("result too early:", e)
    await asyncio.sleep(0)
    print("after one iteration", [t.done() for t in tasks])
    await asyncio.sleep(0)
    print("after two", [t.done() for t in tasks], [t.result() for t in tasks])
    print("exceptions", [t.exception() for t in tasks])


asyncio.run(main())
