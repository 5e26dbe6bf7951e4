# gather() of nothing is an already-finished future; gathers nest.
import asyncio


async def leaf(x):
    await asyncio.sleep(0.01 * x)
    print("leaf", x)
    return x


async def main():
    empty = asyncio.gather()
    print("empty done?", empty.done(), "result", empty.result())
    print(await empty)
    nested = await asyncio.gather(asyncio.gather(leaf(3), leaf(1)), leaf(2), asyncio.gather(leaf(0)))
    print(nested)


asyncio.run(main())
