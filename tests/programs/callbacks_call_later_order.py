# call_later fires in deadline order; call_later(0) waits for the timer phase.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.call_later(0.05, print, "later 0.05")
    loop.call_later(0.01, print, "later 0.01")
    loop.call_later(0.03, print, "later 0.03")
    loop.call_later(0, print, "later 0")
    loop.call_later(-1, print, "later -1")
    loop.call_soon(print, "soon")
    loop.call_later(0.07, done.set_result, None)
    print("scheduled")
    await done
    print("all fired")


asyncio.run(main())
