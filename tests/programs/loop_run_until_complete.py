# new_event_loop + run_until_complete + close, without asyncio.run.
import asyncio


async def add(a, b):
    await asyncio.sleep(0.01)
    return a + b


loop = asyncio.new_event_loop()
print("running?", loop.is_running(), "closed?", loop.is_closed())
print(loop.run_until_complete(add(1, 2)))
fut = loop.create_future()
loop.call_soon(fut.set_result, "future value")
print(loop.run_until_complete(fut))
task = loop.create_task(add(3, 4))
print(loop.run_until_complete(task), task.done())


async def report():
    return asyncio.get_running_loop() is loop, loop.is_running()


print(loop.run_until_complete(report()))
try:
    loop.run_until_complete(asyncio.sleep(0.01, "x"))
    print("sleep ok")
except Exception as e:
    print(type(e).__name__, e)


async def boom():
    raise KeyError("boom")


try:
    loop.run_until_complete(boom())
except KeyError as e:
    print("propagated", repr(e))
loop.close()
print("closed?", loop.is_closed())
