# asyncio.run closes async generators left open, running their finally blocks.
import asyncio


async def resource(name):
    print(name, "open")
    try:
        for i in range(100):
            yield i
            await asyncio.sleep(0)
    finally:
        print(name, "finally: closing")
        await asyncio.sleep(0)
        print(name, "closed")


gens = []


async def main():
    g = resource("kept")
    gens.append(g)  # a live reference: closed only by asyncio.run's shutdown
    print("first value", await g.__anext__())
    async for v in resource("broken-loop"):
        if v == 1:
            break
    print("after break; explicit aclose:")
    h = resource("explicit")
    await h.__anext__()
    await h.aclose()
    print("main returns")


asyncio.run(main())
print("after run")
