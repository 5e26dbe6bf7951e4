# seed: 004 "A conceptual overview of the ideas and objects which power Python's asyncio",
#   `await`-ing Tasks, Futures & coroutines: "Unlike Tasks and Futures, `await`-ing a coroutine
#   does not cede control!"
# modes: asyncio, tinyloop, generator
# changed: the seed's snippet (`await simple_func()`, then `await Task(coro=simple_func())`) with
#   prints, and another task that can only run when main cedes control
# expect:
#   simple_func: awaited as a coroutine
#   main: back, and the other task has not run yet
#   other task: runs while main waits for the Task
#   simple_func: wrapped in a Task
#   main: back from the Task
import asyncio


async def simple_func(how):
    print(f"simple_func: {how}")


async def other():
    print("other task: runs while main waits for the Task")


async def main():
    asyncio.create_task(other())
    # This will invoke simple_func() without yielding to the event-loop.
    await simple_func("awaited as a coroutine")
    print("main: back, and the other task has not run yet")
    # Instantiating the Task queues it; awaiting it cedes control to the event-loop.
    await asyncio.Task(coro=simple_func("wrapped in a Task"))
    print("main: back from the Task")


asyncio.run(main())
