# Many cancelled timers make the loop rebuild its heap (asyncio's rule: more than
# 100 timers, more than half cancelled); tied deadlines then fire in the order
# the rebuilt heap gives, in asyncio as here.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    when = loop.time() + 0.02
    handles = [loop.call_at(when, print, "tie", i) for i in range(150)]
    for i, h in enumerate(handles):
        if i % 3:
            h.cancel()
    # Fewer cancelled: no rebuild, cancelled ones are dropped from the top only.
    when2 = when + 0.02
    more = [loop.call_at(when2, print, "tie2", i) for i in range(30)]
    for i, h in enumerate(more):
        if i % 4 == 0:
            h.cancel()
    await asyncio.sleep(0.06)
    print("done")


asyncio.run(main())
