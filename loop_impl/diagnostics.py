"""What the loop tells you that asyncio doesn't: deadlocks, blocking steps.

Also the traced variant of the loop's inner run loop (kept here so that
loop.py shows the untraced path alone), and asyncio's way of logging an
error nobody handled ("Task exception was never retrieved").
"""

from __future__ import annotations

import contextlib
import gc
import linecache
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import reprs
from .debug_mode import format_source_traceback
from .exceptions import DeadlockError
from .trace import Recorder, Why, describe_callback

__all__ = ("DeadlockError", "BlockingReport", "logger", "notes", "collector_paused")

# Errors nobody handled go where asyncio documents they go, the "asyncio" logger
# (a name, not an import: the logging module makes it on first use).
logger = logging.getLogger("asyncio")
# loop_impl's own reports, which asyncio lacks (blocking steps, an idle run_forever).
notes = logging.getLogger("loop_impl")
# Marks the log records that a trace also keeps (blocking steps, an idle
# run_forever): a viewer that shows the trace can filter them out of stderr.
NOTE = {"tl_note": True}


# -- tracing helpers used by the loop ------------------------------------------


def _task_of_callback(callback: Any, Task: type | None = None) -> tuple[Any, int] | None:  # noqa: N803
    """(task, why) if the callback is a task's wakeup or step, else None (`Task`: loop_impl's, when
    the caller has it at hand: why, an import per callback costs a traced loop ~8%)."""
    if Task is None:
        from .tasks import Task

    owner = getattr(callback, "__self__", None)
    if isinstance(owner, Task):
        func = callback.__func__
        if func is Task._Task__wakeup:
            return owner, Why.WAKEUP
        if func is Task._Task__step:
            return owner, Why.THROW
        return None
    if owner is not None and hasattr(owner, "_fut_waiter") and hasattr(owner, "get_coro"):
        return _foreign_task_callback(owner, callback)
    return None


# The callbacks by which another library's Task (asyncio's own, hosted on this
# loop: see asyncio_seam.py) asks for its next step: its C Task's step wrapper
# and wakeup method, or the pure-Python Task's __step and __wakeup.
_FOREIGN_WAKEUPS = ("task_wakeup", "__wakeup", "_Task__wakeup")
_FOREIGN_STEPS = ("TaskStepMethWrapper", "__step", "_Task__step", "__step_run_and_handle_result")


def _foreign_task_callback(task: Any, callback: Any) -> tuple[Any, int] | None:
    name = getattr(callback, "__name__", None) or type(callback).__name__
    if name in _FOREIGN_WAKEUPS:
        return task, Why.WAKEUP
    if name in _FOREIGN_STEPS or type(callback).__name__ in _FOREIGN_STEPS:
        return task, Why.YIELD  # (its first step is recorded as START by the recorder)
    return None


def _see_foreign_task(rec: Recorder, task: Any) -> None:
    """A foreign task gets its lane the first time the loop sees it (it never reports itself)."""
    if rec.id_of(task) not in rec.trace.task_names:
        rec.task_created(task, task.get_name())


def trace_scheduled(rec: Recorder, callback: Any, args: tuple, why: int) -> None:
    found = _task_of_callback(callback)
    if found is not None:
        task, task_why = found
        if not hasattr(task, "_tl_id"):
            _see_foreign_task(rec, task)
        rec.scheduled(task, None, task_why)
    else:
        rec.scheduled(None, describe_callback(callback, args), why)


def run_foreign_step(handle: Any, task: Any, why: int, rec: Recorder) -> None:
    """One step of a foreign task, recorded as our Task records its own steps."""
    from .reprs import describe_wait
    from .trace import Outcome

    _see_foreign_task(rec, task)
    rec.step_start(task, why)
    try:
        handle._run()
    finally:
        if not task.done():
            waiter = task._fut_waiter
            rec.step_end(task, describe_wait(waiter) if waiter is not None else "ready", waiter)
        else:
            rec.step_end(task, "")
            if task.cancelled():
                rec.task_done(task, Outcome.CANCELLED, "cancelled")
            elif task.exception() is not None:
                error = task.exception()
                rec.task_done(task, Outcome.RAISED, f"{type(error).__name__}: {error}")
            else:
                text = repr(task.result())
                rec.task_done(task, Outcome.RETURNED, text if len(text) <= 60 else text[:57] + "...")


def run_ready_traced(loop: Any, ntodo: int, rec: Recorder) -> None:
    """The loop's run step with a recorder: same order, every pop reported."""
    import time

    from .tasks import Task

    ready = loop._ready
    clock = time.perf_counter
    slow = loop.slow_callback_duration
    for _ in range(ntodo):
        handle = ready.popleft()
        if handle._cancelled:
            rec.skipped()
            continue
        started = clock()
        is_task = isinstance(handle, Task)
        found = None if is_task else _task_of_callback(handle._callback, Task)
        if is_task or (found is not None and isinstance(found[0], Task)):
            handle._run()  # the task's step reports STEP_START itself
        elif found is not None:
            run_foreign_step(handle, found[0], found[1], rec)  # asyncio's own Task, hosted
        else:
            rec.callback_start(describe_callback(handle._callback, handle._args))
            try:
                handle._run()
            finally:
                rec.callback_end()
        elapsed = clock() - started
        if elapsed >= slow:
            loop._report_blocking(handle, elapsed)
    handle = None  # as in the loop's _run_once: no reference kept to a failed task


# -- blocking steps ----------------------------------------------------------------


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection inside (and as it was afterwards, however left)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class GcClock:
    """When the garbage collector ran, from gc.callbacks (one for the process: a
    collection pauses every thread alike). A step that happened to hold a long
    collection did not block the loop itself: no time.sleep() to look for there."""

    def __init__(self) -> None:
        self._started = 0.0
        # (start, end) of the latest collections, perf_counter (why so many: a step that
        # allocates much runs many young collections after the long one that matters).
        self._recent: deque = deque(maxlen=1024)
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self._recent.append((self._started, time.perf_counter()))

    def seconds_within(self, start: float, end: float) -> float:
        """Seconds of collection inside [start, end] (perf_counter), among the latest collections."""
        recent = tuple(self._recent)  # (a copy: a collection run while we sum appends to the deque)
        return sum(max(0.0, min(b, end) - max(a, start)) for a, b in recent)


gc_clock = GcClock()


@dataclass
class BlockingReport:
    """A step or callback that kept the loop from doing anything else."""

    what: str  # "task 'worker' (worker() at prog.py:7)" or "callback tick()"
    seconds: float
    task: Any = None

    @classmethod
    def of(cls, handle: Any, seconds: float) -> BlockingReport:
        from .tasks import Task

        task = handle if isinstance(handle, Task) else None
        if task is None and not isinstance(handle, Task):
            found = _task_of_callback(getattr(handle, "_callback", None))
            task = found[0] if found else None
        if task is not None and task.done():
            what = f"task {task.get_name()!r} (its last step, in {_coro_name(task)}())"
        elif task is not None:
            what = f"task {task.get_name()!r} (the step that ended at {_where(task)})"
        else:
            what = f"callback {describe_callback(handle._callback, handle._args) if handle._callback else '?'}"
        return cls(what, seconds, task)

    def __str__(self) -> str:
        return (
            f"Blocking step: {self.what} held the loop for {self.seconds:.3f} s; "
            "nothing else could run meanwhile (a blocking call such as time.sleep() in async code?)"
        )


# -- deadlocks -----------------------------------------------------------------------


def threads_could_call_in(loop: Any, *, main_thread_waits: bool = False) -> bool:
    """Could another thread still wake this loop (call_soon_threadsafe)?

    Threads that already existed when the loop was made and are daemons (a
    Jupyter kernel's) or are idle executor workers are not counted, nor the
    main thread when the caller knows it only waits for this loop's thread.
    """
    import concurrent.futures.thread as cf_thread

    me = threading.current_thread()
    main = threading.main_thread() if main_thread_waits else None
    workers = getattr(cf_thread, "_threads_queues", {})
    for thread in threading.enumerate():
        # The main thread counts when the loop runs in another thread (why: it
        # may still call run_coroutine_threadsafe), unless it only waits for us.
        if thread is me or thread is main or thread in workers or not thread.is_alive():
            continue
        if not thread.daemon or thread.ident not in loop._threads_at_start:
            return True
    return False


def waiting_tasks(loop: Any) -> list[Any]:
    from .tasks import all_tasks

    return sorted(all_tasks(loop), key=task_number)


def task_number(task: Any) -> tuple[int, str]:
    name = task.get_name()
    if name.startswith("Task-") and name[5:].isdigit():
        return (int(name[5:]), name)
    return (1 << 30, name)


def deadlock_report(waiting: list[Any], main: Any, describe: Any = None) -> str:
    """Name every waiting task, what it waits for (`describe`: a future's name) and where."""
    from .reprs import describe_wait

    describe = describe or describe_wait
    lines = [
        f"deadlock: {len(waiting)} task{'s' if len(waiting) != 1 else ''} waiting, and nothing can wake "
        f"{'them' if len(waiting) != 1 else 'it'}: no callback is ready, no timer is set, no file descriptor is watched, "
        "and no other thread could call in. asyncio would hang here."
    ]
    for task in waiting:
        waiter = task._fut_waiter
        what = describe(waiter) if waiter is not None else "its next step"
        lines.append(f"  task {task.get_name()!r} waits for {what} ({_where(task)})")
    if main is not None and not main.done() and main not in waiting:
        lines.append(f"  run_until_complete() waits for {main!r}")
    return "\n".join(lines)


def idle_forever_message() -> str:
    return (
        "run_forever(): nothing is scheduled and nothing could ever wake the loop "
        "(no tasks, timers, file descriptors or threads); stopping it. asyncio would wait forever."
    )


def _coro_name(task: Any) -> str:
    coro = task.get_coro()
    return getattr(coro, "__qualname__", None) or type(coro).__name__


def _where(task: Any) -> str:
    """The task's innermost await in the program's own code (loop_impl's frames
    skipped): 'worker() at prog.py:7: await ev.wait()'."""
    coro = task.get_coro()
    frame = None
    name = getattr(coro, "__qualname__", "?")
    while coro is not None:
        f = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if f is None:
            break
        if not f.f_code.co_filename.startswith(_LIBRARY_DIRS) or frame is None:
            frame, name = f, getattr(coro, "__qualname__", name)
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    if frame is None:
        return f"{name}() not started" if name != "?" else "not started"
    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    where = f"{name}() at {reprs.describe_location(frame.f_code.co_filename, frame.f_lineno)}"
    return f"{where}: {line}" if line else where


# The loops' own code, skipped when a report looks for the program's line:
# this package and the real asyncio (whose tasks the same reports describe).
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_LIBRARY_DIRS = (_PACKAGE_DIR, os.path.join(os.path.dirname(os.path.abspath(os.__file__)), "asyncio") + os.sep)


# -- errors nobody handled --------------------------------------------------------------


def log_exception_context(context: dict) -> None:
    """asyncio's default exception handler: message, sorted details, traceback."""
    message = context.get("message") or "Unhandled exception in event loop"
    exception = context.get("exception")
    exc_info = (type(exception), exception, exception.__traceback__) if exception is not None else False
    lines = [message]
    for key in sorted(context):
        if key in {"message", "exception"}:
            continue
        if key in {"source_traceback", "handle_traceback"}:  # debug mode: where it was made
            lines.append(f"{key}: {format_source_traceback(key, context[key])}")
        else:
            lines.append(f"{key}: {context[key]!r}")
    logger.error("\n".join(lines), exc_info=exc_info)
