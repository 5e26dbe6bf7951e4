# add_done_callback / remove_done_callback: order, duplicates, counts.
import asyncio


def cb_a(f):
    print("a", f.result())


def cb_b(f):
    print("b", f.result())


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fut.add_done_callback(cb_a)
    fut.add_done_callback(cb_b)
    fut.add_done_callback(cb_a)
    fut.add_done_callback(lambda f: print("lambda", f.result()))
    print("removed a:", fut.remove_done_callback(cb_a))
    print("removed a again:", fut.remove_done_callback(cb_a))
    fut.add_done_callback(cb_a)
    loop.call_soon(print, "call_soon queued before set_result")
    fut.set_result(1)
    loop.call_soon(print, "call_soon queued after set_result")
    print("removed b after done:", fut.remove_done_callback(cb_b))
    await asyncio.sleep(0)
    print("---")
    other = loop.create_future()
    for i in range(4):
        other.add_done_callback(lambda f, i=i: print("cb", i, f.cancelled()))
    other.cancel()
    await asyncio.sleep(0)
    print("end")


asyncio.run(main())
