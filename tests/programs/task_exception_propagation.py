# An exception leaves the task, is stored, and is raised again to every awaiter.
import asyncio


async def fail(n):
    await asyncio.sleep(0)
    raise ValueError(f"fail {n}")


async def middle():
    try:
        await fail(1)
    except ValueError as e:
        print("middle caught", e)
        raise KeyError("from middle") from e


async def main():
    t = asyncio.create_task(middle())
    try:
        await t
    except KeyError as e:
        print("main caught", repr(e), "cause:", repr(e.__cause__))
    print("done", t.done(), "exception:", repr(t.exception()))
    try:
        await t
    except KeyError as e:
        print("second await raises again", repr(e))
    u = asyncio.create_task(fail(2))
    w1 = asyncio.create_task(asyncio.wait_for(u, None))
    await asyncio.sleep(0.01)
    print("u exception", repr(u.exception()), "w1 exception", repr(w1.exception()))


asyncio.run(main())
