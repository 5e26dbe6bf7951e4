# What print() shows for futures and tasks in their different states.
import asyncio


def on_done(fut):
    pass


async def worker():
    await asyncio.sleep(0.01)
    return 42


async def failing():
    raise ValueError("bad")


async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    print(f)
    f.add_done_callback(on_done)
    print(f)
    f.add_done_callback(lambda fut: None)
    f.add_done_callback(on_done)
    print(f)  # three callbacks: the middle one is summarised
    f.set_result([1, 2, 3])
    print(f)
    g = loop.create_future()
    g.set_exception(KeyError("k"))
    print(g)
    g.exception()
    h = loop.create_future()
    h.cancel()
    print(h)
    t = asyncio.create_task(worker(), name="worker")
    print(t)
    await asyncio.sleep(0)
    print(t)
    await t
    print(t)
    u = asyncio.create_task(failing(), name="failing")
    await asyncio.sleep(0)
    print(u)
    u.exception()
    v = asyncio.create_task(worker(), name="cancelme")
    await asyncio.sleep(0)
    v.cancel()
    print(v)
    await asyncio.sleep(0)
    print(v)
    print(repr(loop.call_soon(print, "x")).split(" at ")[0])


asyncio.run(main())
