"""TaskGroup when the task running it is cancelled from outside.

asyncio cancels several children in a set's order (memory addresses), so
children log anonymously and their names are printed sorted.
"""
import asyncio

names = []


async def child(name, log):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append("a child is cancelled")
        await asyncio.sleep(0)  # cleanup that awaits
        log.append("a child cleaned up")
        names.append(name)
        raise


async def runner(log):
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("a", log))
            tg.create_task(child("b", log))
            log.append("body waits")
            await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append(f"runner sees CancelledError, cancelling()={asyncio.current_task().cancelling()}")
        raise


async def exit_waiter(log):
    # Cancelled while the group waits for its children in __aexit__.
    async with asyncio.TaskGroup() as tg:
        tg.create_task(child("late", log))
        log.append("exit_waiter body done")
    log.append("never printed")


async def main():
    log = []
    t = asyncio.create_task(runner(log))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log.append(f"main: runner cancelled={t.cancelled()}")

    t = asyncio.create_task(exit_waiter(log))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    t.cancel()
    await asyncio.gather(t, return_exceptions=True)
    log.append(f"main: exit_waiter cancelled={t.cancelled()}")

    # timeout() around a TaskGroup: our own cancellation becomes TimeoutError.
    try:
        async with asyncio.timeout(0.01):
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child("t1", log))
                tg.create_task(child("t2", log))
    except TimeoutError:
        log.append(f"timeout, cancelling()={asyncio.current_task().cancelling()}")

    async def crash():
        await asyncio.sleep(0)
        raise ValueError("crash")

    async def both(first_crash):
        async with asyncio.TaskGroup() as tg:
            tg.create_task(first_crash())
            tg.create_task(child("c", log))
            await asyncio.sleep(10)

    # Cancelled from outside before the child could crash: the crash never happens.
    t = asyncio.create_task(both(crash))
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except BaseException as e:
        log.append(f"both (cancel first): {type(e).__name__}")

    # The child crashed, then the parent is cancelled from outside too: the
    # error wins over the cancellation (3.11).
    async def crash_now():
        log.append("crash_now raises")
        raise ValueError("crash now")

    t = asyncio.create_task(both(crash_now))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log.append(f"main cancels both, cancelling()={t.cancelling()}")
    t.cancel()
    try:
        await t
    except BaseException as e:
        log.append(f"both (crash first): {e!r}, cancelling()={t.cancelling()}")

    # Nested groups: the inner failure cancels the outer siblings too.
    async def nested():
        async with asyncio.TaskGroup() as outer:
            outer.create_task(child("outer-sibling", log))
            async with asyncio.TaskGroup() as inner:
                inner.create_task(child("inner-sibling", log))
                inner.create_task(crash())

    try:
        await nested()
    except ExceptionGroup as eg:
        log.append(f"nested: {eg!r}")
    for line in log:
        print(line)
    print("children cancelled:", sorted(names))


asyncio.run(main())
