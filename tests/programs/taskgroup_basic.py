"""TaskGroup: the block ends only when every child has finished."""
import asyncio


async def child(name, steps, log):
    log.append(f"{name} starts")
    for _ in range(steps):
        await asyncio.sleep(0)
    log.append(f"{name} ends")
    return name.upper()


async def main():
    log = []
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(child("a", 3, log))
        b = tg.create_task(child("b", 1, log), name="bee")
        log.append("body creates c after one iteration")
        await asyncio.sleep(0)
        c = tg.create_task(child("c", 0, log))
        log.append("body ends")
    log.append("after the block")
    for line in log:
        print(line)
    print(a.result(), b.result(), c.result())
    # Named children still take a Task-N number, as in asyncio 3.11.
    print(a.get_name() == "Task-2", b.get_name(), c.get_name())
    d = asyncio.create_task(child("d", 0, []))
    print("next unnamed task:", d.get_name())
    await d

    # An empty group; a child that creates a sibling while the group is exiting.
    async with asyncio.TaskGroup():
        pass
    log.clear()
    async with asyncio.TaskGroup() as tg:

        async def spawner():
            await asyncio.sleep(0)
            tg.create_task(child("late", 1, log))
            log.append("spawner added a sibling")

        tg.create_task(spawner())
    log.append("group with late child done")
    print(log)

    # Misuse.
    tg = asyncio.TaskGroup()
    coro = child("x", 0, [])
    try:
        tg.create_task(coro)
    except RuntimeError as e:
        print("not entered:", str(e).split(" has ")[1])
    async with tg:
        pass
    try:
        tg.create_task(coro)
    except RuntimeError as e:
        print("finished:", str(e).split(" is ")[1])
    coro.close()
    try:
        async with tg:
            pass
    except RuntimeError as e:
        print("re-entered:", str(e).split(" has ")[1])


asyncio.run(main())
