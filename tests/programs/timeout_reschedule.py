# Timeout.reschedule() moves the deadline; timeout_at() takes loop.time() values.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(None) as cm:
            print("no deadline:", cm.when())
            cm.reschedule(loop.time() + 0.02)
            await asyncio.sleep(1)
    except TimeoutError:
        print("rescheduled timeout fired")
    async with asyncio.timeout(0.01) as cm:
        cm.reschedule(None)
        await asyncio.sleep(0.03)
    print("reschedule(None) cancelled the deadline; expired?", cm.expired())
    try:
        async with asyncio.timeout_at(loop.time() + 0.04) as cm:
            await asyncio.sleep(0.01)
            cm.reschedule(cm.when() + 0.06)  # now 0.1 after the start
            await asyncio.sleep(0.05)  # past the original deadline, well before the new one
            print("survived the original deadline")
            await asyncio.sleep(1)
    except TimeoutError:
        print("timeout_at fired after reschedule")
    try:
        cm.reschedule(loop.time() + 1)
    except RuntimeError as e:
        print("reschedule after exit:", e)


asyncio.run(main())
