# Cancelled handles and timers never run; cancelled() and when() report state.
# (Margins of 0.1 s and more between deadlines: a loaded machine must not reorder them.)
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    h1 = loop.call_soon(print, "h1")
    h2 = loop.call_soon(print, "h2 (cancelled)")
    t1 = loop.call_later(0.01, print, "t1")
    t2 = loop.call_later(0.02, print, "t2 (cancelled)")
    t3 = loop.call_at(loop.time() + 0.3, print, "t3")
    h2.cancel()
    t2.cancel()
    t2.cancel()  # twice is fine
    print("cancelled:", h1.cancelled(), h2.cancelled(), t1.cancelled(), t2.cancelled())
    print("t3 when is a float:", isinstance(t3.when(), float))
    loop.call_later(0.1, t3.cancel)
    await asyncio.sleep(0.4)
    h1.cancel()  # after it ran: harmless
    print("h1 cancelled after run:", h1.cancelled())
    many = [loop.call_later(0.01 + i / 1000, print, "many", i) for i in range(200)]
    for i, h in enumerate(many):
        if i % 3:
            h.cancel()
    await asyncio.sleep(0.3)
    print("done")


asyncio.run(main())
