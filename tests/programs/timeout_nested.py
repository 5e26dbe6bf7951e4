# Nested timeouts: only the one that expired turns CancelledError into TimeoutError.
# (Deadlines 0.45 s apart: 40 ms was not enough on a machine at load 10, under either loop.)
import asyncio


async def main():
    try:
        async with asyncio.timeout(0.5) as outer:
            try:
                async with asyncio.timeout(0.05) as inner:
                    await asyncio.sleep(5)
            except TimeoutError:
                print("inner expired:", inner.expired(), "outer expired:", outer.expired())
            await asyncio.sleep(5)
    except TimeoutError:
        print("outer expired:", outer.expired())

    try:
        async with asyncio.timeout(0.05) as outer:
            try:
                async with asyncio.timeout(0.5) as inner:
                    await asyncio.sleep(5)
            except TimeoutError:
                print("wrong: inner caught the outer timeout")
            print("not reached")
    except TimeoutError:
        print("outer fired through inner; inner expired:", inner.expired(), "outer:", outer.expired())
    print("task cancelling count:", asyncio.current_task().cancelling())


asyncio.run(main())
