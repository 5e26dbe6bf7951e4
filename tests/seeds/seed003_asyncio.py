# seed: 003 "Asyncio from scratch", Putting it all together, written against asyncio
# modes: asyncio, tinyloop, generator
# changed: the seed's Task.new / sleep / run become asyncio.create_task / asyncio.sleep / asyncio.run;
#   sleep(1) and sleep(2) -> sleep(0.05) and sleep(0.1)
# expect:
#   Task 1
#   Task 2
#   Task 1
#   Task 2
#   Task 2
#   done
import asyncio


async def task1():
    for _ in range(2):
        print("Task 1")
        await asyncio.sleep(0.05)


async def task2():
    for _ in range(3):
        print("Task 2")
        await asyncio.sleep(0.1)


async def main():
    one = asyncio.create_task(task1())
    two = asyncio.create_task(task2())
    await one
    await two
    print("done")


if __name__ == "__main__":
    asyncio.run(main())
