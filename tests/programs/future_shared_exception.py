# Every awaiter of a failed future gets the very same exception object.
import asyncio

seen = []


async def waiter(fut, name):
    try:
        await fut
    except ValueError as e:
        seen.append(e)
        print(name, "got", repr(e))


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    ts = [asyncio.create_task(waiter(fut, f"w{i}")) for i in range(3)]
    await asyncio.sleep(0)
    err = ValueError("shared")
    fut.set_exception(err)
    await asyncio.gather(*ts)
    print("same object:", all(e is err for e in seen))
    t = asyncio.create_task(asyncio.sleep(0))
    await t
    print("task result None:", t.result() is None, "exception None:", t.exception() is None)


asyncio.run(main())
