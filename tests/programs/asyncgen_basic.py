# Async generators: async for, asend, athrow, comprehensions.
import asyncio


async def ticks(n):
    for i in range(n):
        await asyncio.sleep(0)
        yield i


async def echo():
    received = None
    while True:
        try:
            received = yield f"echo {received}"
        except ValueError as e:
            yield f"caught {e}"


async def other():
    for i in range(4):
        print("other", i)
        await asyncio.sleep(0)


async def main():
    t = asyncio.create_task(other())
    async for i in ticks(3):
        print("tick", i)
    print([x async for x in ticks(4) if x % 2 == 0])
    g = echo()
    print(await g.asend(None))
    print(await g.asend("hello"))
    print(await g.athrow(ValueError("oops")))
    await g.aclose()
    try:
        await g.asend("closed")
    except StopAsyncIteration:
        print("closed generator: StopAsyncIteration")
    await t


asyncio.run(main())
