"""Which task runs a coroutine given to wait_for: a new inner task up to 3.11, the caller's own from 3.12 (gh-96764)."""
import asyncio


async def where(label):
    print(label, "runs in", asyncio.current_task().get_name())
    await asyncio.sleep(0.01)
    return label


async def main():
    print("main is", asyncio.current_task().get_name())
    print(await asyncio.wait_for(where("with timeout"), 1))
    print(await asyncio.wait_for(where("timeout None"), None))
    try:
        await asyncio.wait_for(where("too slow"), 0.001)
    except TimeoutError:
        print("too slow: TimeoutError")
    print("tasks now:", sorted(t.get_name() for t in asyncio.all_tasks()))
    print("next task is", asyncio.create_task(asyncio.sleep(0)).get_name())


asyncio.run(main(), debug=False)
