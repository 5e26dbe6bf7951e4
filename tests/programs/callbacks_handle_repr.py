# What print() shows for handles and timer handles.
import asyncio
import functools


def cb(*args):
    pass


async def main():
    loop = asyncio.get_running_loop()
    print(loop.call_soon(cb, 1, "x"))
    print(loop.call_soon(functools.partial(cb, 2)))
    h = loop.call_later(10, cb)
    print(repr(h).replace(str(h.when()), "WHEN"))
    h.cancel()
    print(repr(h).replace(str(h.when()), "WHEN"))
    print(loop.call_soon(print, "builtin"))


asyncio.run(main())
