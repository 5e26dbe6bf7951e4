# A child that is cancelled (not the gather) makes the gather raise CancelledError,
# or, with return_exceptions, return a CancelledError in its place.
import asyncio


async def child(name, delay):
    await asyncio.sleep(delay)
    print(name, "finished")
    return name


async def main():
    a = asyncio.create_task(child("a", 0.1))
    b = asyncio.create_task(child("b", 1))
    g = asyncio.gather(a, b)
    await asyncio.sleep(0)
    b.cancel("only b")
    try:
        await g
    except asyncio.CancelledError as e:
        print("gather raised CancelledError", repr(e.args))
    print("gather cancelled()", g.cancelled(), "done", g.done())

    c = asyncio.create_task(child("c", 0.1))
    d = asyncio.create_task(child("d", 1))
    g2 = asyncio.gather(c, d, return_exceptions=True)
    await asyncio.sleep(0)
    d.cancel("only d")
    res = await g2
    print([type(r).__name__ for r in res], repr(res[1].args))


asyncio.run(main())
