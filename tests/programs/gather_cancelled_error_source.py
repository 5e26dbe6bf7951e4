# A cancelled gather(return_exceptions=True) raises a CancelledError that asyncio
# takes from the *last* child in argument order (not from the child that just
# finished): with a finished last child the error has no message.
import asyncio


async def blocked(fut, name):
    try:
        await fut
    except asyncio.CancelledError as e:
        print(name, "cancelled with", e.args)
        raise


async def quick():
    return "quick"


async def parent(order, fut):
    a = asyncio.create_task(blocked(fut, "a"))
    b = asyncio.create_task(quick())
    children = (a, b) if order == "a, b" else (b, a)
    try:
        await asyncio.gather(*children, return_exceptions=True)
    except asyncio.CancelledError as e:
        print(f"gather({order}) raised CancelledError{e.args}")
        raise


async def main():
    loop = asyncio.get_running_loop()
    for order in ("a, b", "b, a"):
        p = asyncio.create_task(parent(order, loop.create_future()))
        for _ in range(3):
            await asyncio.sleep(0)
        p.cancel("stop")
        await asyncio.gather(p, return_exceptions=True)
        print("parent cancelled:", p.cancelled())


asyncio.run(main())
