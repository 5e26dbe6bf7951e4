# A Task's own result is off-limits; create_task wants a coroutine.
import asyncio


async def coro():
    return 1


async def main():
    t = asyncio.create_task(coro())
    for label, fn in [("set_result", lambda: t.set_result(1)), ("set_exception", lambda: t.set_exception(ValueError()))]:
        try:
            fn()
        except RuntimeError as e:
            print(label, type(e).__name__, e)
    print(await t)
    for bad in (42, None, "text", coro):
        try:
            asyncio.create_task(bad)
        except TypeError as e:
            print("create_task", type(bad).__name__, type(e).__name__, str(e).split(",")[0])
    print("get_coro is coroutine:", asyncio.iscoroutine(t.get_coro()))
    print("iscoroutinefunction:", asyncio.iscoroutinefunction(coro), asyncio.iscoroutinefunction(print))


asyncio.run(main())
