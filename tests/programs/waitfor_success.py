# wait_for returns the result in time; timeout None waits forever; 0 checks once.
import asyncio


async def quick(x):
    await asyncio.sleep(0.01)
    return x


async def main():
    print(await asyncio.wait_for(quick(1), timeout=1))
    print(await asyncio.wait_for(quick(2), timeout=None))
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_result("done future")
    print(await asyncio.wait_for(f, 0))
    try:
        await asyncio.wait_for(quick(3), 0)
    except TimeoutError:
        print("timeout 0 on a pending coroutine: TimeoutError")
    try:
        await asyncio.wait_for(quick(4), -1)
    except TimeoutError:
        print("negative timeout: TimeoutError")
    try:
        await asyncio.wait_for(asyncio.sleep(0, "raises?"), timeout=1)
        print("sleep(0) in wait_for ok")
    except Exception as e:
        print(type(e).__name__, e)


asyncio.run(main())
