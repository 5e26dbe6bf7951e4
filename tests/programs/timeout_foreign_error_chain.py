"""A timeout() expires, and while its cancellation unwinds the block another error is
raised (here in a finally). That error escapes; from 3.13 a TimeoutError sits in its
__context__ chain, caused by the CancelledError (before, the CancelledError directly)."""

import asyncio


async def crash():
    try:
        await asyncio.sleep(1)
    finally:
        1 / 0


async def main():
    try:
        async with asyncio.timeout(0.01):
            await crash()
    except ZeroDivisionError as exc:
        chain = []
        while exc is not None:
            chain.append(type(exc).__name__ + (" (its cause: " + type(exc.__cause__).__name__ + ")" if exc.__cause__ else ""))
            exc = exc.__context__
        print(" <- ".join(chain))


asyncio.run(main())
