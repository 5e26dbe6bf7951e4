# A task completed by its Future base's set_exception, behind its back: awaiting
# it raises that exception, and the step it can no longer take is reported to
# the exception handler as an InvalidStateError. Task.set_exception refuses, so
# the program calls the set_exception of the Future class the task's class is
# built on, the last before object: asyncio's C Future under asyncio (also when
# the timeline traces a subclass of its Task), loop_impl's Future for loop_impl's
# Task. (Naming asyncio.Future instead would reach a C method that only takes a C
# instance: loop_impl's Task hosted on 3.11 by the policy is not one, and
# tests/test_asyncio_seam.py holds that limit.)
import asyncio
import gc
import warnings


class Boom(Exception):
    pass


async def sleeper():
    await asyncio.sleep(0.1)
    return 10


def handler(loop, context):
    exc = context.get("exception")
    print("handler:", type(exc).__name__, "already done" in str(exc))


loop = asyncio.new_event_loop()
loop.set_exception_handler(handler)
coro = sleeper()
task = loop.create_task(coro)
future_base = type(task).__mro__[-2]
future_base.set_exception(task, Boom("set from outside"))
try:
    loop.run_until_complete(task)
except Boom as e:
    print("run_until_complete ->", repr(e))
coro.close()

closed = asyncio.new_event_loop()
closed.close()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        asyncio.ensure_future(sleeper(), loop=closed)
    except RuntimeError as e:
        print("ensure_future on a closed loop ->", e)
    gc.collect()
print("warnings (a never-awaited coroutine would be one):", len(caught))
loop.close()
