# An exception in a callback goes to the loop's exception handler; the loop goes on.
import asyncio


def handler(loop, context):
    exc = context.get("exception")
    print("handler:", type(exc).__name__, exc, "| has handle:", "handle" in context)


async def main():
    loop = asyncio.get_running_loop()
    print("default handler:", loop.get_exception_handler())
    loop.set_exception_handler(handler)
    print("handler set:", loop.get_exception_handler() is handler)

    def bad(x):
        raise ValueError(f"bad {x}")

    loop.call_soon(bad, 1)
    loop.call_soon(print, "after bad 1")
    loop.call_later(0.01, bad, 2)
    await asyncio.sleep(0.02)
    try:
        loop.set_exception_handler(42)
    except TypeError as e:
        print(type(e).__name__, e)
    loop.call_exception_handler({"message": "manual", "exception": KeyError("k")})
    print("main done")


asyncio.run(main())
