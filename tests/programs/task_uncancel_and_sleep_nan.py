"""3.13 (gh-116720): uncancel() down to zero also drops the cancel still due at the task's
next step (before, the task was cancelled there anyway). 3.13 (gh-105331): sleep(nan)
raises ValueError (before, it slept forever: not run here on older Pythons)."""

import asyncio
import sys


async def worker():
    task = asyncio.current_task()
    task.cancel()
    print("cancelling:", task.cancelling(), "- uncancel() ->", task.uncancel())
    try:
        await asyncio.sleep(0)
        print("the next step ran normally")
    except asyncio.CancelledError:
        print("cancelled at the next step anyway")


async def main():
    await asyncio.create_task(worker())
    if sys.version_info >= (3, 13):
        try:
            await asyncio.sleep(float("nan"))
        except ValueError as exc:
            print("ValueError:", exc)


asyncio.run(main())
