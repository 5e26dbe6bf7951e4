# Task.get_stack() shows the frames of a suspended task, outermost first.
import asyncio


async def inner(ev):
    await ev


async def outer(ev):
    await inner(ev)


async def fails():
    await asyncio.sleep(0)
    raise ValueError("with a traceback")


async def main():
    loop = asyncio.get_running_loop()
    ev = loop.create_future()
    t = asyncio.create_task(outer(ev))
    print("before start:", [f.f_code.co_name for f in t.get_stack()])
    await asyncio.sleep(0)
    print("suspended:", [f.f_code.co_name for f in t.get_stack()])
    print("limit=1:", [f.f_code.co_name for f in t.get_stack(limit=1)])
    ev.set_result(None)
    await t
    print("finished:", t.get_stack())
    u = asyncio.create_task(outer(loop.create_future()))
    await asyncio.sleep(0)
    u.cancel()
    await asyncio.gather(u, return_exceptions=True)
    print("cancelled:", u.get_stack())
    w = asyncio.create_task(fails())
    await asyncio.gather(w, return_exceptions=True)
    print("raised:", [f.f_code.co_name for f in w.get_stack()])
    print("raised, limit=1:", [f.f_code.co_name for f in w.get_stack(limit=1)])


asyncio.run(main())
