# Wrong argument types fail with the same exception type as in asyncio.
import asyncio


async def coro():
    return 1


async def main():
    loop = asyncio.get_running_loop()
    checks = [
        ("sleep('1')", lambda: asyncio.sleep("1")),
        ("call_later('1')", lambda: loop.call_later("1", print)),
        ("wait_for(timeout='x')", lambda: asyncio.wait_for(coro(), "x")),
    ]
    for label, make in checks:
        try:
            obj = make()
            if asyncio.iscoroutine(obj):
                await obj
            print(label, "ok")
        except Exception as e:
            print(label, "->", type(e).__name__)
    other = asyncio.new_event_loop()
    fut = other.create_future()
    try:
        await fut
    except RuntimeError as e:
        print("await a future of another loop -> RuntimeError", "attached to a different loop" in str(e))
    try:
        asyncio.ensure_future(fut, loop=loop)
    except ValueError as e:
        print("ensure_future(loop=other) -> ValueError", e)
    other.close()
    print("current_task of an idle loop:", asyncio.current_task(other))


asyncio.run(main())
