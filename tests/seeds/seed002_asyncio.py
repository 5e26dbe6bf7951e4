# ruff: noqa
# fmt: off
# seed: 002 "How Python Asyncio Works: Recreating it from Scratch", Await with AsyncIO
# modes: asyncio, tinyloop, generator
# changed: asyncio.sleep(1) -> asyncio.sleep(0.05)
# expect:
#   Task 1
#   Task 2
#   Task 2
#   Task 2
#   Task 1
#   done
import asyncio

async def task1():
    for _ in range(2):
        print('Task 1')
        await asyncio.sleep(0.05)

async def task2():
    for _ in range(3):
        print('Task 2')
        await asyncio.sleep(0)

async def main():
    one = asyncio.create_task(task1())
    two = asyncio.create_task(task2())

    await one
    await two
    
    print('done')


if __name__ == '__main__':
    asyncio.run(main())
