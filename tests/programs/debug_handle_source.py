"""Debug mode: a Handle remembers where it was scheduled (the caller's line, not the loop's),
shows it in its repr as "created at", keeps its repr once cancelled, and hands it to the
exception handler as source_traceback, for call_soon, call_soon_threadsafe, call_later, call_at."""

import asyncio
import re


def noop(*args):
    pass


def fail():
    raise ValueError("boom")


def short(handle):
    text = re.sub(r"\S*/(\w+\.py)", r"\1", repr(handle))  # file names without their folders
    if " when=" in text:  # a TimerHandle: its deadline differs run to run
        head, _, rest = text.partition(" when=")
        text = head + " when=..." + rest[rest.index(" "):]
    return text


def handler(loop, context):
    frame = context["source_traceback"][-1]
    print("handler:", context["message"].split(" at ")[0], "| made at line", frame.lineno, "in", frame.name)


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    print(short(loop.call_soon(noop, 1)))
    # (its class name is left out: 3.14's call_soon_threadsafe returns a _ThreadSafeHandle)
    print("threadsafe:", short(loop.call_soon_threadsafe(noop, 2)).split(" ", 1)[1])
    later = loop.call_later(10, noop, 3)
    print(short(later))
    at = loop.call_at(loop.time() + 10, noop)
    print(short(at))
    later.cancel()
    print("cancelled:", short(later))
    at.cancel()
    loop.call_soon(fail)
    await asyncio.sleep(0)
    print("plain Handle:", short(asyncio.Handle(noop, (4,), loop)))


asyncio.run(main(), debug=True)
