"""%%tinyloop where Python runs in a browser tab: Pyodide, in JupyterLite (or under Node.js).

There Python is CPython 3.14 compiled to WebAssembly, with one thread, no
sockets, no subprocesses, and no way to sleep: `select()` returns at once, so
a real-time sleep spins the CPU until its deadline. loop_impl itself runs
unchanged (its self-pipe is only made when a thread exists, and what it cannot
do is refused in one line, see loop_impl/capabilities.py). The magic needs
what is in this module, switched on by `NO_THREADS_HERE`:

* the asyncio mode runs the cell in the kernel's own thread instead of a
  worker thread. The kernel itself runs the cell inside a task of its own
  asyncio loop, so the run first steps out of that task, then out of that
  loop, and steps back in afterwards, in the reverse order (the other order
  fails: "loop ... is not the running loop");
* that mode's loop has no self-pipe (no thread could ever write into it, and
  `socket.socketpair()` does not exist there);
* `--timeout` is watched on the clock at each loop iteration instead of by a
  watchdog thread;
* cells run on virtual time, so `sleep(3)` costs nothing instead of three
  seconds of a spinning CPU; the magic says so once (`VIRTUAL_TIME_NOTE`).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

from loop_impl import capabilities

__all__ = ("NO_THREADS_HERE", "VIRTUAL_TIME_NOTE", "ClockWatchdog", "outside_the_kernels_loop", "without_self_pipe")

# The switch: True in WebAssembly, where no thread can be started.
NO_THREADS_HERE = capabilities.WEBASSEMBLY

VIRTUAL_TIME_NOTE = (
    "tinyloop in the browser: cells run on virtual time (sleeps cost nothing), since Python here "
    "cannot wait without spinning the CPU; threads, sockets and subprocesses need a desktop Python."
)


@contextlib.contextmanager
def outside_the_kernels_loop() -> Iterator[None]:
    """Run a loop of our own to completion, here, although the kernel's loop is running."""
    import asyncio

    loop = asyncio.events._get_running_loop()
    task = asyncio.current_task(loop) if loop is not None else None
    if task is not None:
        asyncio.tasks._leave_task(loop, task)  # first the task (why: it checks that its loop runs)
    asyncio.events._set_running_loop(None)
    try:
        yield
    finally:
        asyncio.events._set_running_loop(loop)
        if task is not None:
            asyncio.tasks._enter_task(loop, task)


_PIPELESS: dict[type, type] = {}


def without_self_pipe(loop_class: type) -> type:
    """A subclass of an asyncio selector loop class that makes no self-pipe."""
    pipeless = _PIPELESS.get(loop_class)
    if pipeless is None:

        class Pipeless(loop_class):  # type: ignore[valid-type, misc]
            # One thread: nobody can call in while the loop sleeps, so nothing
            # needs waking (asyncio's _write_to_self already skips a missing pipe).
            def _make_self_pipe(self) -> None:
                self._ssock = self._csock = None

            def _close_self_pipe(self) -> None:
                pass

        Pipeless.__name__ = Pipeless.__qualname__ = loop_class.__name__
        pipeless = _PIPELESS[loop_class] = Pipeless
    return pipeless


class ClockWatchdog:
    """--timeout without a thread: the run's recorder looks at the clock each loop iteration
    and, once `seconds` have passed, raises exc_type there (a KeyboardInterrupt, which both
    loops let out of a step, as a watchdog thread's stop would)."""

    def __init__(self, guard: Any, seconds: float, exc_type: type[BaseException]) -> None:
        from .backends import active

        self._guard = guard
        self._deadline = time.monotonic() + seconds
        self._exc_type = exc_type
        self._recorder = active.session.recorder
        self._recorder.on_progress.append(self._check)
        self.fired = False

    def _check(self, trace: Any) -> None:
        if time.monotonic() >= self._deadline and self._guard.armed:
            self.fired = True
            if self._guard.reason is None:
                self._guard.reason = self._exc_type
            raise self._exc_type()

    def cancel(self) -> None:
        if self._check in self._recorder.on_progress:
            self._recorder.on_progress.remove(self._check)

    def __enter__(self) -> ClockWatchdog:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.cancel()
