# set_exception: exception() returns it, result() raises it; classes are instantiated.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    f1 = loop.create_future()
    f1.set_exception(ValueError("boom"))
    print("exception():", repr(f1.exception()))
    try:
        f1.result()
    except ValueError as e:
        print("result() raised", type(e).__name__, e)
    f2 = loop.create_future()
    f2.set_exception(KeyError)
    print("class became instance:", type(f2.exception()).__name__, f2.exception().args)
    f3 = loop.create_future()
    try:
        f3.set_exception(StopIteration("no"))
    except TypeError as e:
        print(type(e).__name__, e)
    print("f3 still pending:", not f3.done())
    f4 = loop.create_future()
    loop.call_later(0.01, f4.set_exception, RuntimeError("later"))
    try:
        await f4
    except RuntimeError as e:
        print("await raised", e)
    f3.cancel()


asyncio.run(main())
