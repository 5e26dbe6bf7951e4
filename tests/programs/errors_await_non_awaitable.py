# Awaiting something that is not awaitable is a TypeError at the await.
import asyncio


class NotAwaitable:
    pass


class BadAwait:
    def __await__(self):
        return 42  # not an iterator


async def main():
    for obj in (42, None, "text", NotAwaitable()):
        try:
            await obj
        except TypeError as e:
            print(type(obj).__name__, "->", type(e).__name__, e)
    try:
        await BadAwait()
    except TypeError as e:
        print("BadAwait ->", type(e).__name__, e)
    try:
        await asyncio.gather(42)
    except TypeError as e:
        print("gather(42) ->", type(e).__name__, e)
    try:
        await asyncio.wait_for(42, 1)
    except TypeError as e:
        print("wait_for(42) ->", type(e).__name__, e)
    try:
        asyncio.ensure_future(42)
    except TypeError as e:
        print("ensure_future(42) ->", type(e).__name__, e)
    print("main survives")


asyncio.run(main())
