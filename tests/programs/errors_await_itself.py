# A task that awaits itself gets RuntimeError at that await.
import asyncio


async def selfish():
    me = asyncio.current_task()
    try:
        await me
    except RuntimeError as e:
        print("RuntimeError:", str(e).split(":")[0])
        return "recovered"


async def main():
    t = asyncio.create_task(selfish())
    print(await t)


asyncio.run(main())
