# Several tasks await one future: they wake in the order they started waiting.
import asyncio


async def waiter(fut, name):
    print(name, "waits")
    value = await fut
    print(name, "woke with", value)


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    tasks = [asyncio.create_task(waiter(fut, f"w{i}")) for i in range(4)]
    fut.add_done_callback(lambda f: print("plain callback"))
    loop.call_later(0.01, fut.set_result, "ping")
    await asyncio.gather(*tasks)
    print("awaiting the done future again:", await fut)
    print("isfuture:", asyncio.isfuture(fut), asyncio.isfuture(tasks[0]), asyncio.isfuture(42))
    print("ensure_future of a future is itself:", asyncio.ensure_future(fut) is fut)
    print("get_loop:", fut.get_loop() is loop)


asyncio.run(main())
