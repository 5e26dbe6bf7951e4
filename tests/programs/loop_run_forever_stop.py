# run_forever until a callback calls stop(); stop() finishes the current iteration.
import asyncio

loop = asyncio.new_event_loop()
counter = {"n": 0}


def tick():
    counter["n"] += 1
    print("tick", counter["n"])
    if counter["n"] == 3:
        loop.stop()
        loop.call_soon(print, "queued after stop: runs in the next run_forever")
    else:
        loop.call_soon(tick)


loop.call_soon(tick)
loop.call_soon(print, "second callback")
loop.run_forever()
print("run_forever returned, running?", loop.is_running())
loop.call_soon(loop.stop)
loop.run_forever()
print("second run done")


async def stopper():
    asyncio.get_running_loop().stop()
    print("stopper called stop")
    await asyncio.sleep(0)
    print("stopper resumed")


t = loop.create_task(stopper())
loop.run_forever()
print("stopped; task done?", t.done())
loop.run_until_complete(t)
print("task done?", t.done())
loop.stop()  # stop before run_forever: the next run does one iteration
loop.call_soon(print, "one iteration")
loop.run_forever()
loop.close()
