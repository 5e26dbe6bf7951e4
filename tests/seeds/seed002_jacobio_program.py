# ruff: noqa
# fmt: off
# seed: 002 "How Python Asyncio Works: Recreating it from Scratch", Yield to Await: the program on jacobio
# modes: plain (jacobio = seed002_jacobio.py), generator (jacobio = loop_impl.generator_loop)
# changed: jacobio.sleep(1) -> jacobio.sleep(0.05)
# expect:
#   Task 1
#   Task 2
#   Task 2
#   Task 2
#   Task 1
#   done
import jacobio

async def task1():
    for _ in range(2):
        print('Task 1')
        await jacobio.sleep(0.05)

async def task2():
    for _ in range(3):
        print('Task 2')
        await jacobio.sleep(0)

async def main():
    one = jacobio.create_task(task1())
    two = jacobio.create_task(task2())

    await one
    await two
    
    print('done')


if __name__ == '__main__':
    jacobio.run(main())
