# all_tasks() holds pending tasks only; current_task() inside and outside tasks.
import asyncio


async def short():
    await asyncio.sleep(0)


async def long():
    await asyncio.sleep(0.05)


async def main():
    me = asyncio.current_task()
    print("main in all_tasks:", me in asyncio.all_tasks())
    s = asyncio.create_task(short(), name="short")
    l = asyncio.create_task(long(), name="long")
    print(sorted(t.get_name() for t in asyncio.all_tasks()))
    await s
    print(sorted(t.get_name() for t in asyncio.all_tasks()))
    await l
    print(sorted(t.get_name() for t in asyncio.all_tasks()))
    loop = asyncio.get_running_loop()
    seen = []
    loop.call_soon(lambda: seen.append(asyncio.current_task()))
    await asyncio.sleep(0)
    print("current_task in a callback:", seen)


asyncio.run(main())
