# hosted-xfail-on 3.11: asyncio.Future.set_exception is a C method: called unbound, it refuses loop_impl's Task (not a C instance, though isinstance() counts it as an asyncio.Future) (on 3.12+ the program's new_event_loop() is asyncio's own: no policy hosts it)
# A task completed by Future.set_exception(task, ...) behind its back: awaiting
# it raises that exception, and the step it can no longer take is reported to
# the exception handler as an InvalidStateError.
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
asyncio.Future.set_exception(task, Boom("set from outside"))
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
