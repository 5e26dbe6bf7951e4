# sleep(0) is exactly one loop iteration: callbacks queued before it run first.
import asyncio


async def ticker(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0)


async def main():
    loop = asyncio.get_running_loop()

    def cb(label):
        print("callback", label)
        if label < 3:
            loop.call_soon(cb, label + 1)

    loop.call_soon(cb, 0)
    a = asyncio.create_task(ticker("A", 4))
    b = asyncio.create_task(ticker("B", 3))
    print("main yields")
    await asyncio.sleep(0)
    print("main after 1")
    await asyncio.sleep(0)
    print("main after 2")
    await a
    await b
    print("main done")


asyncio.run(main())
