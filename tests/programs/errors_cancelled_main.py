# main cancelled from a callback: asyncio.run raises CancelledError, uncaught.
import asyncio


async def main():
    me = asyncio.current_task()
    asyncio.get_running_loop().call_later(0.01, me.cancel)
    print("main sleeps")
    await asyncio.sleep(1)


asyncio.run(main())
