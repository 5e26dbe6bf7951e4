# asyncio.run and run_until_complete cannot be called while a loop is running.
import asyncio


async def inner():
    return "inner"


async def main():
    c = inner()
    try:
        asyncio.run(c)
    except RuntimeError as e:
        print("run:", e)
    c.close()
    loop = asyncio.get_running_loop()
    c = inner()
    try:
        loop.run_until_complete(c)
    except RuntimeError as e:
        print("run_until_complete:", e)
    c.close()
    try:
        loop.run_forever()
    except RuntimeError as e:
        print("run_forever:", e)
    other = asyncio.new_event_loop()
    c = inner()
    try:
        other.run_until_complete(c)
    except RuntimeError as e:
        print("another loop:", e)
    c.close()
    other.close()
    print("main ok")


asyncio.run(main())
