# SystemExit raised in a task stops the loop and leaves asyncio.run: the exit code is kept.
# (Only main is left to cancel: with more, run() would cancel them in set order.)
import asyncio


async def quitter():
    await asyncio.sleep(0)
    print("quitter raises SystemExit(3)")
    raise SystemExit(3)


async def main():
    t = asyncio.create_task(quitter())
    try:
        await asyncio.sleep(1)
    finally:
        print("main finally; quitter done:", t.done())


try:
    asyncio.run(main())
finally:
    print("after run")
