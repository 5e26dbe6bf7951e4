# Cancelling a task that is on the ready queue (after sleep(0)): it is thrown
# into at its next step, and cancelling it twice still counts two requests.
import asyncio


async def spinner():
    n = 0
    try:
        while True:
            n += 1
            await asyncio.sleep(0)
    except asyncio.CancelledError as e:
        print("spinner cancelled after", n, "spins", repr(e.args))
        raise


async def main():
    t = asyncio.create_task(spinner())
    for _ in range(3):
        await asyncio.sleep(0)
    print(t.cancel("one"), t.cancel("two"), "cancelling", t.cancelling())
    try:
        await t
    except asyncio.CancelledError as e:
        print("main sees", repr(e.args))


asyncio.run(main())
