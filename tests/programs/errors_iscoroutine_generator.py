"""asyncio.iscoroutine() of a plain generator: True up to 3.11, False from 3.12 (gh-102748)."""
import asyncio
import types


def gen():
    yield


@types.coroutine
def old_style():
    yield


async def native():
    pass


coro = native()
print("native coroutine:", asyncio.iscoroutine(coro))
coro.close()
print("plain generator:", asyncio.iscoroutine(gen()))
print("@types.coroutine generator:", asyncio.iscoroutine(old_style()))
print("function:", asyncio.iscoroutine(native))
