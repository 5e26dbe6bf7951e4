# A created task starts only when its creator yields, in creation order.
import asyncio


async def worker(name):
    print(name, "step 1")
    await asyncio.sleep(0)
    print(name, "step 2")
    await asyncio.sleep(0)
    print(name, "step 3")
    return name


async def main():
    tasks = []
    for name in "abc":
        tasks.append(asyncio.create_task(worker(name)))
        print("created", name)
    print("main before yield")
    await asyncio.sleep(0)
    print("main after one yield")
    late = asyncio.create_task(worker("late"))
    print("created late")
    await asyncio.sleep(0)
    print("main after second yield")
    for t in tasks + [late]:
        print("result", await t)


asyncio.run(main())
