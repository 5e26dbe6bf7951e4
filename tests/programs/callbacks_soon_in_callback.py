# call_soon from inside a callback lands in the next iteration, after the tasks already queued.
import asyncio


async def task(name):
    for i in range(3):
        print("task", name, i)
        await asyncio.sleep(0)


async def main():
    loop = asyncio.get_running_loop()

    def outer(n):
        print("outer", n)
        loop.call_soon(inner, n)

    def inner(n):
        print("inner", n)

    loop.call_soon(outer, 1)
    t = asyncio.create_task(task("x"))
    loop.call_soon(outer, 2)
    await t
    print("main done")


asyncio.run(main())
