# seed: 001 "Tiny-asyncio", Keyword Under the Hood / await: `await foo()` where foo yields 1, 2, 3
# modes: asyncio, tinyloop, generator
# seed-says:
#   "If `await` on a coroutine object, it's equavallent to invokes its underlying generator. [...]
#   It's like `yield from foo()` [...] it's `eventloop` received those values (e.g. 1,2,3)"
# changed: main() is run with asyncio.run and the error printed. Python disagrees with the seed:
#   an `async def` with `yield` is an async generator, not a coroutine, and cannot be awaited.
# expect:
#   TypeError: object async_generator can't be used in 'await' expression
import asyncio


async def foo():
    yield 1
    yield 2
    yield 3


async def main():
    await foo()


try:
    asyncio.run(main())
except TypeError as error:
    print(f"TypeError: {error}")
