# A task completed by its Future base's set_exception, behind its back: awaiting
# it raises that exception, and the step it can no longer take is reported to
# the exception handler as an InvalidStateError. (Task.set_exception refuses, so
# the program goes through the base class of the task's own class: the C Future
# for asyncio's C Task, loop_impl's Future for loop_impl's. Calling asyncio's C
# method unbound on a task that is not a C instance is a TypeError on any loop
# but asyncio's own; tests/test_asyncio_seam.py holds that limit.)
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
super(type(task), task).set_exception(Boom("set from outside"))
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
