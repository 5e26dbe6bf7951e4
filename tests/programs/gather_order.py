# gather returns results in argument order, whatever order the children finish.
import asyncio


async def job(name, delay):
    print("start", name)
    await asyncio.sleep(delay)
    print("finish", name)
    return name.upper()


async def main():
    r = await asyncio.gather(job("slow", 0.04), job("fast", 0.01), job("mid", 0.02), job("now", 0))
    print(r)
    t = asyncio.create_task(job("task", 0.01))
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    loop.call_later(0.02, f.set_result, "future")
    print(await asyncio.gather(f, t, job("coro", 0)))


asyncio.run(main())
