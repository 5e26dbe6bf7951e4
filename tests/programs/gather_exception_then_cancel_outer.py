# After the first error resolved the gather, cancelling it changes nothing.
import asyncio


async def fails():
    await asyncio.sleep(0)
    raise ValueError("first")


async def slow():
    try:
        await asyncio.sleep(0.05)
        print("slow finished normally")
    except asyncio.CancelledError:
        print("slow cancelled")
        raise


async def main():
    s = asyncio.create_task(slow())
    g = asyncio.gather(fails(), s)
    try:
        await g
    except ValueError as e:
        print("caught", e)
    print("cancel after done:", g.cancel())
    await s
    print("slow done, cancelled:", s.cancelled())


asyncio.run(main())
