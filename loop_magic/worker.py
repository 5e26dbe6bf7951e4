"""Where a run's loop runs: a worker thread that the kernel's thread can give up on.

Every mode runs the cell in a worker thread of its own; the kernel's thread
only waits, keeps the clock of `--timeout`, and turns a kernel interrupt into
a stop of the worker. Three rules follow from "the kernel is never lost":

1. A stop never depends on the cell cooperating. The kernel's thread sends
   the stop (stopping.py), repeats it while the run goes on, and once
   `STOP_GRACE` seconds have passed it stops waiting: the cell returns, and
   its summary says what was left running (a thread in `time.sleep`, a job
   in an executor, a task that swallows every stop).
2. Clean-up of a run happens in the worker, never in the kernel's thread
   (why: the kernel's thread runs ipykernel's own asyncio loop; closing a
   loop or clearing "the running loop" from there would break the kernel).
3. An abandoned run keeps everything it owns alive, in `left_running`
   (why: a coroutine collected in the kernel's thread is finalised there,
   and a finaliser that swallows GeneratorExit can spin for ever).

`WORKER_THREADS` is the one switch for a Python without threads (Pyodide):
then the cell runs in the calling thread, as before, and only a stop it lets
through can end it.
"""

from __future__ import annotations

import contextvars
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from . import browser
from .cell_code import location
from .stopping import ASK_WAIT, RunInterrupted, RunTimedOut

__all__ = ("WORKER_THREADS", "STOP_GRACE", "STOP_REPEAT", "run_in_worker", "left_running")

WORKER_THREADS = not browser.NO_THREADS_HERE  # Pyodide has no threads: run inline there
STOP_GRACE = 1.0  # seconds a stopped run gets to end before the kernel's thread stops waiting
STOP_REPEAT = 0.4  # seconds between two stops (why again: a task may catch the first one; why not
# sooner: a loop that is handling the first stop, closing its tasks, must not be cut short)
_POLL = 0.05  # seconds between two looks at the worker (why not join(): see the wait below)

left_running: list[Any] = []  # sessions of abandoned runs, kept alive on purpose (rule 3)


def run_in_worker(body: Callable[[], None], session: Any, timeout: float | None) -> None:
    """Run `body()` in a worker thread and wait for it, within a deadline.

    Returns when the body has finished, or when a stop (the timeout, a kernel
    interrupt) has not ended it within STOP_GRACE; then `session.abandoned`
    is True and the worker is left to finish on its own.
    """
    if not WORKER_THREADS:
        # The kernel's own loop and task step aside meanwhile; time.sleep() blocks, as on a desktop.
        with browser.outside_the_kernels_loop(), browser.sleep_blocks_the_thread():
            body()
        return
    finished = threading.Event()

    def work() -> None:
        try:
            body()
        finally:
            finished.set()

    # A copy of the context (why: ipykernel routes output by context variables,
    # so what the worker prints lands in this cell).
    worker = threading.Thread(target=contextvars.copy_context().run, args=(work,), name="tinyloop-run", daemon=True)
    session.worker = worker
    worker.start()
    guard = session.guard
    deadline = time.monotonic() + timeout if timeout is not None else None
    stop: type | None = None  # the stop under way
    interrupted = False
    give_up_at = next_stop_at = 0.0
    while not finished.is_set():
        now = time.monotonic()
        if stop is None and deadline is not None and now >= deadline:
            stop, give_up_at, next_stop_at = RunTimedOut, deadline + STOP_GRACE, now
        if stop is not None:
            if now >= give_up_at:
                _abandon(session)
                return
            if now >= next_stop_at and guard.stop(stop, while_running=True):
                next_stop_at = now + (ASK_WAIT if guard.asking else STOP_REPEAT)
        wait = _POLL if stop is None else max(0.0, min(_POLL, give_up_at - now))
        if deadline is not None and stop is None:
            wait = max(0.0, min(wait, deadline - now))
        # Wait on an Event, not on worker.join(timeout) (why: in 3.11 a
        # KeyboardInterrupt inside join() can mark a live thread as stopped).
        try:
            finished.wait(wait)
        except KeyboardInterrupt:  # the kernel was interrupted (SIGINT lands in this thread)
            now = time.monotonic()
            if interrupted:
                give_up_at = now  # a second interrupt: stop waiting at once
            else:
                interrupted = True
                give_up_at = min(give_up_at, now + STOP_GRACE) if stop is not None else now + STOP_GRACE
                stop, next_stop_at = RunInterrupted, now
    worker.join()


def _abandon(session: Any) -> None:
    session.abandoned = True
    session.left_running = describe_worker(session.worker)
    session.recorder.on_progress.clear()  # (it must not redraw a later cell's output)
    left_running.append(session)


def describe_worker(worker: threading.Thread | None) -> str:
    """Where the worker is stuck, as a learner can find it: the innermost line of the cell."""
    frame = sys._current_frames().get(worker.ident) if worker is not None and worker.ident else None
    if frame is None:
        return "the run's thread"
    cell_frame = None
    while frame is not None:
        if not _is_library(frame.f_code.co_filename):
            cell_frame = cell_frame or frame
        frame = frame.f_back
    if cell_frame is None:
        return "the run's thread (inside the loop's own code)"
    return f"the run's thread, at {location(cell_frame.f_code.co_filename, cell_frame.f_lineno)}"


_LIBRARY_DIRS = tuple(
    os.path.dirname(path) + os.sep
    for path in (
        os.path.abspath(__file__),
        os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "loop_impl", "__init__.py")),
        os.path.abspath(threading.__file__),
    )
)


def _is_library(filename: str) -> bool:
    return filename.startswith(_LIBRARY_DIRS) or filename.startswith("<frozen")
