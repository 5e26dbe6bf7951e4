# The same awaitable twice in one gather is run once and reported twice.
import asyncio

runs = 0


async def counted(x):
    global runs
    runs += 1
    await asyncio.sleep(0)
    return x


async def main():
    c = counted("c")
    print(await asyncio.gather(c, c, counted("d")), "runs", runs)
    t = asyncio.create_task(counted("t"))
    print(await asyncio.gather(t, t, t), "runs", runs)
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    loop.call_soon(f.set_result, "f")
    print(await asyncio.gather(f, t, f))


asyncio.run(main())
