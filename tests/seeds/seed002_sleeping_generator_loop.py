# seed: 002 "How Python Asyncio Works: Recreating it from Scratch", Sleeping
# modes: generator
# changed: the seed's tasks as written, on loop_impl.generator_loop instead of the seed's own
#   `while True: for task in event_loop: next(task)` and sleep generator
# expect-prefix:
#   Task 1
#   Task 2
#   Task 1
#   Task 1
#   Task 1
#   Task 1
#   Task 2
#   Task 1
from loop_impl.generator_loop import EventLoop, sleep


def task1():
    while True:
        print("Task 1")
        yield from sleep(1)


def task2():
    while True:
        print("Task 2")
        yield from sleep(5)


event_loop = EventLoop()
event_loop.create_task(task1())
event_loop.create_task(task2())
event_loop.run()
