# When a task finishes, its awaiter and its done-callbacks wake in registration order.
import asyncio


async def child():
    await asyncio.sleep(0.01)
    print("child returns")
    return "c"


async def awaiter(t, name):
    r = await t
    print(name, "got", r)


async def main():
    t = asyncio.create_task(child())
    t.add_done_callback(lambda f: print("callback before awaiters"))
    a1 = asyncio.create_task(awaiter(t, "a1"))
    await asyncio.sleep(0)
    t.add_done_callback(lambda f: print("callback between awaiters"))
    a2 = asyncio.create_task(awaiter(t, "a2"))
    await asyncio.sleep(0)
    r = await t
    print("main got", r)
    await asyncio.gather(a1, a2)


asyncio.run(main())
