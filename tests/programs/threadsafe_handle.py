# requires-python: 3.14 call_soon_threadsafe returns a thread-safe handle (gh-128340)
"""What call_soon_threadsafe hands back: a Handle that another thread may cancel safely."""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    ran = []
    kept = loop.call_soon_threadsafe(ran.append, "kept")
    dropped = loop.call_soon_threadsafe(ran.append, "dropped")
    print(type(kept).__name__, isinstance(kept, asyncio.Handle), type(loop.call_soon(print, "plain")).__name__)
    dropped.cancel()
    print("cancelled:", kept.cancelled(), dropped.cancelled())
    await asyncio.sleep(0)
    print("ran:", ran)


asyncio.run(main())
