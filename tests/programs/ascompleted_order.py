# as_completed yields results in completion order.
import asyncio


async def job(name, delay):
    await asyncio.sleep(delay)
    print("finished", name)
    return name


async def main():
    coros = [job("c", 0.15), job("a", 0.05), job("d", 0.2), job("b", 0.1)]
    for i, next_done in enumerate(asyncio.as_completed(coros)):
        print(i, "got", await next_done)
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_result("ready")
    for aw in asyncio.as_completed([f]):
        print("already done:", await aw)


asyncio.run(main())
