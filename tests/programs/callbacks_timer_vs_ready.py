# Expired timers join the ready queue behind what is already there.
# (Deadlines 0.1 s apart and after the first loop turns: a loaded machine cannot reorder them.)
import asyncio
import time


async def busy(name):
    print(name, "blocks the loop a little")
    time.sleep(0.3)  # deliberately: the timers below expire meanwhile
    await asyncio.sleep(0)
    print(name, "after sleep(0)")


async def main():
    loop = asyncio.get_running_loop()
    loop.call_later(0.1, print, "timer 0.1")
    loop.call_later(0.2, print, "timer 0.2")
    t = asyncio.create_task(busy("busy"))
    loop.call_soon(print, "soon 1")
    await asyncio.sleep(0)
    print("main after sleep(0)")
    loop.call_soon(print, "soon 2")
    await t
    await asyncio.sleep(0)
    print("main done")


asyncio.run(main())
