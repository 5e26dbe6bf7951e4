# sleep(delay, result) returns result; zero and negative delays act as sleep(0).
import asyncio


async def other():
    for i in range(3):
        print("other", i)
        await asyncio.sleep(0)


async def main():
    t = asyncio.create_task(other())
    print(await asyncio.sleep(0, "zero"))
    print(await asyncio.sleep(-1, "negative"))
    print(await asyncio.sleep(0.01, result=[1, 2]))
    print(await asyncio.sleep(0))
    await t


asyncio.run(main())
