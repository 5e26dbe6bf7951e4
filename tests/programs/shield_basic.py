# shield: cancelling the waiter does not cancel the shielded task.
import asyncio


async def important():
    print("important: start")
    await asyncio.sleep(0.1)
    print("important: finished")
    return "saved"


async def caller(t):
    try:
        return await asyncio.shield(t)
    except asyncio.CancelledError:
        print("caller: cancelled, inner still running:", not t.done())
        raise


async def main():
    t = asyncio.create_task(important())
    c = asyncio.create_task(caller(t))
    await asyncio.sleep(0.02)
    c.cancel()
    await asyncio.gather(c, return_exceptions=True)
    print("caller cancelled:", c.cancelled(), "inner cancelled:", t.cancelled())
    print("inner result:", await t)
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    done.set_result(1)
    print("shield of a done future is itself:", asyncio.shield(done) is done)
    inner2 = asyncio.create_task(asyncio.sleep(1))
    s = asyncio.shield(inner2)
    await asyncio.sleep(0)
    inner2.cancel()
    try:
        await s
    except asyncio.CancelledError:
        print("inner cancelled -> shield cancelled:", s.cancelled())


asyncio.run(main())
