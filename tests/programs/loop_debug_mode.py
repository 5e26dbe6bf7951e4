# In debug mode asyncio refuses a coroutine or a non-callable as a callback at once.
import asyncio


async def coro_fn():
    pass


def plain():
    pass


async def main():
    loop = asyncio.get_running_loop()
    print("debug:", loop.get_debug())
    checks = [
        ("call_soon(coroutine function)", lambda: loop.call_soon(coro_fn)),
        ("call_soon(42)", lambda: loop.call_soon(42)),
        ("call_later(1, 42)", lambda: loop.call_later(1, 42)),
        ("call_soon_threadsafe(42)", lambda: loop.call_soon_threadsafe(42)),
        ("call_soon(plain)", lambda: loop.call_soon(plain)),
    ]
    for label, fn in checks:
        try:
            fn().cancel()
            print(label, "accepted")
        except TypeError as e:
            print(label, "TypeError:", e)
    loop.set_debug(False)
    print("debug now:", loop.get_debug())
    h = loop.call_soon(42)
    h.cancel()
    print("call_soon(42) without debug: accepted")


asyncio.run(main(), debug=True)
