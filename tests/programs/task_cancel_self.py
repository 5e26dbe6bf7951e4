# A task may cancel itself: the CancelledError arrives at its next await.
import asyncio


async def selfish():
    me = asyncio.current_task()
    print("cancel myself:", me.cancel("self"))
    print("still running after cancel()")
    try:
        await asyncio.sleep(0)
        print("not reached")
    except asyncio.CancelledError as e:
        print("caught at the await", repr(e.args))
    print("second await fine")
    await asyncio.sleep(0)
    return "done anyway"


async def main():
    t = asyncio.create_task(selfish())
    print(await t, "cancelled?", t.cancelled(), "cancelling:", t.cancelling())


asyncio.run(main())
