# Awaiting a coroutine does not yield to the loop unless something inside suspends.
import asyncio


async def no_suspend(depth):
    if depth == 0:
        return "bottom"
    return f"{depth}/" + await no_suspend(depth - 1)


async def other():
    print("other runs")


async def main():
    t = asyncio.create_task(other())
    r = await no_suspend(5)
    print("deep await finished before other ran:", not t.done(), r)
    await t
    f = asyncio.get_running_loop().create_future()
    f.set_result("already")
    t2 = asyncio.create_task(other())
    print("awaiting a done future:", await f, "other done?", t2.done())
    await t2


asyncio.run(main())
