"""TaskGroup edge cases: shutting down, timeouts while exiting, return values, nesting."""
import asyncio


async def main():
    log = []

    # create_task on an aborting group is refused (the coroutine is closed by us).
    async def spawner(tg):
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            coro = asyncio.sleep(0)
            try:
                tg.create_task(coro)
            except RuntimeError as e:
                log.append(f"spawn while aborting: {str(e).split(' is ')[-1]}")
                coro.close()
            raise

    async def fail_soon():
        await asyncio.sleep(0)
        raise ValueError("first")

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(spawner(tg))
            tg.create_task(fail_soon())
    except ExceptionGroup as eg:
        log.append(f"group: {[repr(e) for e in eg.exceptions]}")

    # The deadline passes while the group waits for its children in __aexit__.
    async def slow(n):
        try:
            await asyncio.sleep(10)
        finally:
            log.append(f"slow{n} finally")

    try:
        async with asyncio.timeout(0.01):
            async with asyncio.TaskGroup() as tg:
                tg.create_task(slow(1))
            log.append("not reached")
    except TimeoutError:
        log.append(f"timed out while exiting, cancelling()={asyncio.current_task().cancelling()}")

    # A child's CancelledError (cancelled on its own) does not fail the group.
    async with asyncio.TaskGroup() as tg:
        t = tg.create_task(asyncio.sleep(10))
        other = tg.create_task(asyncio.sleep(0, result="fine"))
        await asyncio.sleep(0)
        t.cancel()
    log.append(f"child cancelled alone: cancelled={t.cancelled()}, other={other.result()}")

    # A child that fails after the body is done, while __aexit__ waits.
    async def fail_later():
        await asyncio.sleep(0.001)
        raise KeyError("late")

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail_later())
            tg.create_task(slow(2))
        log.append("not reached")
    except* KeyError as eg:
        log.append(f"late failure: {eg.exceptions!r}")
    log.append(f"cancelling() after: {asyncio.current_task().cancelling()}")

    # The body catches the group's cancellation and carries on: the group
    # still raises the child's error at the end of the block.
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail_soon())
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                log.append("body swallows the cancel")
            log.append("body goes on")
    except ExceptionGroup as eg:
        log.append(f"then: {eg.exceptions!r}")

    for line in log:
        print(line)


asyncio.run(main())
