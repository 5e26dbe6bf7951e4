# Callbacks left on a loop survive until its next run; timers keep their deadlines.
import asyncio

loop = asyncio.new_event_loop()


async def first():
    loop.call_soon(print, "queued during first run")
    loop.call_later(0.2, print, "timer from first run")  # (0.2 s: a loaded machine must not reach it in the first run)
    print("first returns")


loop.run_until_complete(first())
print("between runs")


async def second():
    await asyncio.sleep(0.4)
    print("second done")


loop.run_until_complete(second())
loop.close()
