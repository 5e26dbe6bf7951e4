# Small API promises found by CPython's own test_asyncio: a failed task re-raised
# without growing its traceback; Future[int]; an uninitialised Future; TimerHandle
# hashing and comparison; iscoroutinefunction of mocks; AbstractEventLoop as an interface.
import asyncio
import traceback
import types
from unittest import mock


async def fail():
    raise ValueError("boom")


async def main():
    task = asyncio.create_task(fail())
    lengths = []
    for _ in range(3):
        try:
            await task
        except ValueError as e:
            lengths.append(len(traceback.extract_tb(e.__traceback__)))
    print("awaiting a failed task again, the traceback grows:", lengths[1] != lengths[2])

    alias = asyncio.Future[int]
    print("Future[int]:", isinstance(alias, types.GenericAlias), alias.__args__, asyncio.Task[str].__args__)

    class Lazy(asyncio.Future):
        def __init__(self):
            pass  # never calls super().__init__()

    lazy = Lazy()
    try:
        lazy.get_loop()
    except RuntimeError as e:
        print("uninitialised get_loop ->", e)
    try:
        lazy.result()
    except asyncio.InvalidStateError as e:
        print("uninitialised result -> InvalidStateError", e)

    loop = asyncio.get_running_loop()
    h1 = loop.call_at(loop.time() + 100, print)
    h2 = loop.call_at(h1.when(), print)
    print("TimerHandle hash is its deadline's:", hash(h1) == hash(h1.when()), "equal handles:", h1 == h2)
    try:
        h1 < (1, 2)
    except TypeError:
        print("TimerHandle < tuple -> TypeError")
    print("TimerHandle == tuple:", h1 == (1, 2))
    h1.cancel()
    h2.cancel()

    print("iscoroutinefunction(Mock()):", asyncio.iscoroutinefunction(mock.Mock()))
    print("iscoroutinefunction(AsyncMock()):", asyncio.iscoroutinefunction(mock.AsyncMock()))
    print("loop is an AbstractEventLoop:", isinstance(loop, asyncio.AbstractEventLoop))
    for name in ("run_forever", "time", "create_future"):
        try:
            getattr(asyncio.AbstractEventLoop(), name)()
        except NotImplementedError:
            print(f"AbstractEventLoop().{name}() -> NotImplementedError")

    try:
        loop.set_default_executor(object())
    except TypeError as e:
        print("set_default_executor(object()) ->", e)
    loop.set_debug(True)
    try:
        loop.run_in_executor(None, fail)
    except TypeError as e:
        print("run_in_executor(coroutine function) in debug mode ->", e)
    loop.set_debug(False)


asyncio.run(main())
