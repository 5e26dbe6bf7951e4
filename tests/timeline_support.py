"""Traces of known programs for the timeline tests (test_layout.py, test_render.py).

Each program runs on loop_impl with a recorder attached, as the %%tinyloop
magic would run it: printed lines become OUTPUT events attributed to the
step that printed them, and each task's coroutine name is kept in
`trace.meta["coro_names"]` (the lanes show it beside the task's name).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any

import loop_impl
from loop_impl.trace import Recorder, Trace


class NamingRecorder(Recorder):
    """A Recorder that also keeps each task's coroutine name, as the magic's recorder does."""

    def __init__(self) -> None:
        super().__init__()
        self.trace.meta["coro_names"] = {}
        self._line = ""

    def task_created(self, task: Any, name: str, parent: Any = None, *args: Any, **kwargs: Any) -> None:
        super().task_created(task, name, parent, *args, **kwargs)
        coro = task.get_coro() if hasattr(task, "get_coro") else getattr(task, "_coro", None)
        qualname = getattr(coro, "__qualname__", None)
        if qualname:
            self.trace.meta["coro_names"][self.id_of(task)] = qualname

    def write(self, text: str) -> int:
        """sys.stdout stand-in: one OUTPUT event per printed line, in the step that printed it."""
        lines = (self._line + text).split("\n")
        self._line = lines.pop()
        for line in lines:
            self.output(line + "\n")
        return len(text)

    def flush(self) -> None:
        pass


def record(main: Any, *, forever: bool = False, setup: Any = None) -> Trace:
    """Run `main()` on a fresh loop_impl loop with a recorder; return the trace.

    forever=True runs it as seed 004 does: `Task(main(), loop=loop)` then
    `loop.run_forever()` (the loop stops itself when nothing could ever wake it).
    """
    rec = NamingRecorder()
    loop = loop_impl.new_event_loop()
    if setup is not None:
        setup(loop)
    loop.set_recorder(rec)
    loop_impl.set_event_loop(loop)
    try:
        with contextlib.redirect_stdout(rec):
            if forever:
                loop_impl.Task(main(), loop=loop)
                loop.run_forever()
            else:
                loop.run_until_complete(main())
    finally:
        loop_impl.set_event_loop(None)
        loop.close()
    return rec.trace


# -- seed 004's program (/work/shared/seeds/004_*.txt, "program.py") ------------------


async def triple(val: int) -> int:
    return val * 3


async def main() -> int:
    triple_task = loop_impl.Task(coro=triple(val=5))
    tripled_val = await triple_task
    return tripled_val + 2


# -- one program per kind of wait -----------------------------------------------------

FDS: dict[str, int] = {}  # the fd the reader waited on, for the expected labels


async def waits_main() -> None:
    """sleep, a Future another task resolves, gather, read fd, call_soon_threadsafe, a task: each wait once."""
    loop = loop_impl.get_running_loop()
    handoff = loop.create_future()

    async def holder() -> None:
        print("holder sleeps")
        await loop_impl.sleep(0.01)
        handoff.set_result("go")

    async def waiter() -> None:
        print("waiter got", await handoff)

    await loop_impl.gather(
        loop_impl.create_task(holder(), name="holder"), loop_impl.create_task(waiter(), name="waiter")
    )
    a, b = socket.socketpair()
    a.setblocking(False)
    b.setblocking(False)
    FDS["reader"] = a.fileno()

    async def reader() -> None:
        data = await loop.sock_recv(a, 10)
        print("read", data)

    task = loop_impl.create_task(reader(), name="reader")
    await loop_impl.sleep(0)
    b.send(b"hi")
    await task
    fut = loop.create_future()
    threading.Thread(target=loop.call_soon_threadsafe, args=(fut.set_result, 1)).start()
    await fut
    a.close()
    b.close()


async def lock_main() -> None:
    """Two tasks taking turns on a Lock."""
    lock = loop_impl.Lock()

    async def worker(n: int) -> None:
        async with lock:
            await loop_impl.sleep(0.001 * n)

    await loop_impl.gather(
        loop_impl.create_task(worker(1), name="first"), loop_impl.create_task(worker(2), name="second")
    )


async def ends_main() -> None:
    """Three tasks ending three ways: returned, raised, cancelled."""

    async def ok() -> int:
        return 42

    async def boom() -> None:
        raise ValueError("boom")

    async def forever() -> None:
        await loop_impl.sleep(3600)

    tasks = [loop_impl.create_task(c(), name=n) for c, n in ((ok, "ok"), (boom, "boom"), (forever, "forever"))]
    await loop_impl.sleep(0)
    tasks[2].cancel()
    await loop_impl.gather(*tasks, return_exceptions=True)


async def blocking_main() -> None:
    """A step that calls time.sleep: it holds the loop."""
    time.sleep(0.03)
    await loop_impl.sleep(0)


def spin_trace(tasks: int = 50, turns: int = 400) -> Trace:
    """Many tasks yielding to each other: a large trace (about 3 events per step)."""

    async def spin() -> None:
        for _ in range(turns):
            await loop_impl.sleep(0)

    async def spin_main() -> None:
        await loop_impl.gather(*(spin() for _ in range(tasks)))

    return record(spin_main)
