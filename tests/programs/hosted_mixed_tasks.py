# Tasks made by loop.create_task and by asyncio.Task() directly, awaiting and cancelling each other.
# (Hosted on loop_impl's loop the first kind are loop_impl Tasks, the second asyncio's own:
# cancellation, current_task, all_tasks and the exceptions must work across the two.)
import asyncio


async def sleeper(tag, delay):
    try:
        await asyncio.sleep(delay)
        return f"{tag} woke"
    except asyncio.CancelledError:
        print(tag, "cancelled, current task is me:", asyncio.current_task().get_name() == tag)
        raise


async def waits_for(other):
    return "got " + await other


async def main():
    loop = asyncio.get_running_loop()
    made = loop.create_task(sleeper("made", 0.01), name="made")
    direct = asyncio.Task(waits_for(made), name="direct")
    print(await direct)
    print(sorted(t.get_name() for t in asyncio.all_tasks()))

    victim = asyncio.Task(sleeper("victim", 5), name="victim")
    watcher = loop.create_task(waits_for(victim), name="watcher")
    await asyncio.sleep(0)
    victim.cancel("stop")
    for task in (victim, watcher):
        try:
            await task
        except asyncio.CancelledError:
            print(task.get_name(), "ended cancelled:", task.cancelled())

    queue = asyncio.Queue(maxsize=1)
    queue.put_nowait(1)
    try:
        queue.put_nowait(2)
    except asyncio.QueueFull:
        print("QueueFull caught")
    try:
        async with asyncio.timeout(0.01):
            await asyncio.Task(sleeper("timed", 5))
    except TimeoutError:
        print("timeout reached across task kinds")
    future = loop.create_future()
    loop.call_soon(future.cancel)
    try:
        await asyncio.Task(waits_for(future))
    except asyncio.CancelledError:
        print("a cancelled future cancels the asyncio Task awaiting it")
    print("main is current:", asyncio.current_task().get_name())


asyncio.run(main())
