# call_soon callbacks run first-in first-out, with their arguments.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    for i in range(6):
        loop.call_soon(print, "soon", i, "of", 6)
    h = loop.call_soon(print, "never")
    h.cancel()
    loop.call_soon(print, "after cancelled one")
    print("main before yield")
    await asyncio.sleep(0)
    print("main after yield")


asyncio.run(main())
