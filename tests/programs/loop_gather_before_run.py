# gather() and ensure_future() called before the loop runs use the current loop.
import asyncio


async def job(x):
    await asyncio.sleep(0.1 * x)  # 0.1 s apart: a loaded machine must not wake two jobs in one iteration
    print("job", x)
    return x


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
g = asyncio.gather(job(2), job(1))
t = asyncio.ensure_future(job(3))
print("task on the current loop:", t.get_loop() is loop)
print(loop.run_until_complete(g))
print(loop.run_until_complete(t))
done = loop.create_future()
done.set_result("already done")
loop.call_soon(print, "queued before run_until_complete")
print(loop.run_until_complete(done))
loop.close()
asyncio.set_event_loop(None)
