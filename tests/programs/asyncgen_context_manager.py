# asynccontextmanager and async with: enter, exit, exceptions inside.
import asyncio
import contextlib


@contextlib.asynccontextmanager
async def managed(name):
    print("enter", name)
    await asyncio.sleep(0)
    try:
        yield name.upper()
    except KeyError as e:
        print("manager saw", repr(e))
    finally:
        await asyncio.sleep(0)
        print("exit", name)


async def main():
    async with managed("a") as v:
        print("inside", v)
    async with managed("b"):
        raise KeyError("swallowed")
    try:
        async with managed("c"):
            raise ValueError("propagates")
    except ValueError as e:
        print("outside got", e)


asyncio.run(main())
