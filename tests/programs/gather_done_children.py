# Children that are already done when gather starts: up to 3.11 they still report
# through the loop, so the gather resolves an iteration later, behind what was queued
# first; from 3.12 (gh-104144) the gather is done at once.
import asyncio


async def ticker():
    for i in range(4):
        print("tick", i)
        await asyncio.sleep(0)


async def main():
    loop = asyncio.get_running_loop()
    f1 = loop.create_future()
    f2 = loop.create_future()
    f1.set_result("f1")
    f2.set_result("f2")
    t = asyncio.create_task(ticker())
    loop.call_soon(print, "callback queued before gather")
    g = asyncio.gather(f1, f2)
    print("gather done at once?", g.done())
    print(await g)
    await t


asyncio.run(main())
