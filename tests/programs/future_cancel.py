# Cancelling a future wakes its awaiter with CancelledError carrying the message.
import asyncio


async def waiter(fut, name):
    try:
        await fut
    except asyncio.CancelledError as e:
        print(name, "got CancelledError", repr(e.args))
        return "handled"


async def main():
    loop = asyncio.get_running_loop()
    f1 = loop.create_future()
    f2 = loop.create_future()
    t1 = asyncio.create_task(waiter(f1, "w1"))
    t2 = asyncio.create_task(waiter(f2, "w2"))
    await asyncio.sleep(0)
    print("cancel f1:", f1.cancel())
    print("cancel f2 with msg:", f2.cancel("stop now"))
    print("states:", f1.cancelled(), f2.cancelled(), f1.done())
    print(await t1, await t2)
    print("tasks were not cancelled:", t1.cancelled(), t2.cancelled())


asyncio.run(main())
