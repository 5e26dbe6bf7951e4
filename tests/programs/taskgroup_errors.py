"""TaskGroup: the first failure cancels the siblings and the body; errors come out grouped.

The order in which asyncio cancels several siblings follows a set's order
(memory addresses), so sibling cancellations are collected and printed sorted.
"""
import asyncio

cancelled = []


async def fails(name, after, exc, log):
    for _ in range(after):
        await asyncio.sleep(0)
    log.append(f"{name} raises {exc!r}")
    raise exc


async def sleeper(name, log):
    try:
        log.append(f"{name} sleeps")
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append("a sibling is cancelled")
        cancelled.append(name)
        raise


async def main():
    log = []
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(sleeper("s1", log))
            tg.create_task(fails("f1", 1, ValueError("boom"), log))
            tg.create_task(sleeper("s2", log))
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                log.append("body cancelled by the group")
                raise
    except* ValueError as eg:
        log.append(f"caught {eg!r}")
    task = asyncio.current_task()
    log.append(f"main cancelling()={task.cancelling()}")
    for line in log:
        print(line)
    print("siblings cancelled:", sorted(cancelled))

    # Two children fail in the same iteration: both errors, in completion order.
    log.clear()
    cancelled.clear()
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fails("x", 1, KeyError("k"), log))
            tg.create_task(fails("y", 1, TypeError("t"), log))
            tg.create_task(sleeper("z", log))
    except ExceptionGroup as eg:
        log.append(f"{eg.message}: {[repr(e) for e in eg.exceptions]}")
    print(log, sorted(cancelled))

    # The body itself raises: children are cancelled, the error joins the group.
    log.clear()
    cancelled.clear()
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(sleeper("c", log))
            await asyncio.sleep(0)
            raise RuntimeError("body failed")
    except ExceptionGroup as eg:
        log.append(f"{[repr(e) for e in eg.exceptions]}")
    print(log)

    # A child that swallows the cancellation still lets the group finish.
    log.clear()
    cancelled.clear()

    async def stubborn():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log.append("stubborn swallows the cancel")
        return "kept"

    try:
        async with asyncio.TaskGroup() as tg:
            st = tg.create_task(stubborn())
            tg.create_task(fails("f", 1, OSError("io"), log))
    except* OSError as eg:
        log.append(f"{len(eg.exceptions)} OSError, stubborn result={st.result()}")
    print(log)


asyncio.run(main())
