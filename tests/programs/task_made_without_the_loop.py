"""A Task constructed directly, asyncio.Task(coro, loop=loop), as aiohttp makes its
request handlers: it steps on the loop like one from create_task, and is one of
all_tasks(); the loop never saw it being made."""
import asyncio


async def handler(name, rounds):
    for i in range(rounds):
        print(name, "step", i)
        await asyncio.sleep(0)
    return name


async def main():
    loop = asyncio.get_running_loop()
    made = asyncio.Task(handler("direct", 3), loop=loop)
    usual = asyncio.create_task(handler("usual", 2))
    print("direct among all_tasks:", made in asyncio.all_tasks())
    print(await asyncio.gather(made, usual))
    waiter = asyncio.Task(asyncio.sleep(0.01, "slept"), loop=loop)
    print(await waiter)


asyncio.run(main())
