"""An error raised after catching a task's CancelledError has no stray __context__: the task that woke
with the exception runs its next lines outside any exception handler (as asyncio's C Task does)."""
import asyncio


async def child():
    await asyncio.sleep(1)


async def failing():
    raise KeyError("child failed")


async def main():
    t = asyncio.create_task(child())
    await asyncio.sleep(0)
    t.cancel("stop")
    try:
        await t
    except asyncio.CancelledError as e:
        print("caught", repr(e), "context", repr(e.__context__))
    f = asyncio.get_running_loop().create_future()
    f.cancel("m")
    try:
        f.result()
    except asyncio.CancelledError as e:
        print("then", repr(e), "context", repr(e.__context__))
    try:
        await asyncio.create_task(failing())
    except KeyError as e:
        print("caught", repr(e))
    try:
        raise ValueError("later")
    except ValueError as e:
        print("later error context:", repr(e.__context__))


asyncio.run(main())
