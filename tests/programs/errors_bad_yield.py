# A coroutine that yields something other than a future: the task gets a RuntimeError.
import asyncio
import types


@types.coroutine
def yield_value(v):
    yield v


@types.coroutine
def yield_generator():
    def gen():
        yield 1

    yield gen()


async def bad(kind):
    try:
        if kind == "value":
            await yield_value(42)
        elif kind == "string":
            await yield_value("a string")
        else:
            await yield_generator()
    except RuntimeError as e:
        msg = str(e)
        print(kind, "->", msg.split(" in task")[0].split(":")[0])
    return kind


async def main():
    print(await asyncio.gather(bad("value"), bad("string"), bad("generator")))
    print("bare yield is sleep(0):", await asyncio.create_task(bare()))


@types.coroutine
def bare_yield():
    yield


async def bare():
    await bare_yield()
    return "fine"


asyncio.run(main())
