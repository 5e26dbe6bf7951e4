# cancelling() counts pending cancel requests; uncancel() takes one back.
import asyncio


async def stubborn():
    me = asyncio.current_task()
    for round in range(3):
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print("round", round, "cancelling() =", me.cancelling())
            print("uncancel() ->", me.uncancel())
    return "survived"


async def main():
    t = asyncio.create_task(stubborn())
    print("fresh task cancelling():", t.cancelling())
    await asyncio.sleep(0)
    t.cancel()
    t.cancel()
    print("after two cancels:", t.cancelling())
    await asyncio.sleep(0)
    t.cancel()
    await asyncio.sleep(0)
    t.cancel()
    print(await t, "cancelling() at end:", t.cancelling())
    print("uncancel on zero:", t.uncancel())


asyncio.run(main())
