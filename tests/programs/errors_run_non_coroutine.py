# asyncio.run() of a non-coroutine is a ValueError, uncaught here on purpose.
import asyncio


async def main():
    return 1


for bad in (main, 42):
    try:
        asyncio.run(bad)
    except ValueError as e:
        print(type(e).__name__, str(e).split(" at 0x")[0])
asyncio.run(None)
