"""Step 4 of a run: closing its loops, in the thread that ran them, within a time bound.

After a normal end each loop is simply closed. After a stop or a failure the
leftover tasks are cancelled and given `CLEANUP_BUDGET` seconds to finish;
then the loop is closed regardless (`_force_close` copes with a loop a stop
left half-way through an iteration). The default executor is let go of, not
waited for (a thread cannot be stopped). What still would not finish is kept
alive for good, never finalised (see `keep_unfinished`).

`snapshot` copies a trace that an abandoned run's thread may still write.
"""

from __future__ import annotations

from typing import Any

from loop_impl.trace import Trace

from . import backends, browser
from .capture import RunRecorder
from .stopping import CleanupOverdue, StopRun, Watchdog
from .worker import left_running

__all__ = ("CLEANUP_BUDGET", "close_loops", "force_close", "keep_unfinished", "retrieve_interrupts", "snapshot")

CLEANUP_BUDGET = 0.5  # seconds cancelled tasks get to finish after an interrupt or a timeout (< STOP_GRACE)


def keep_unfinished(session: Any) -> None:
    """Keep, for ever, the coroutine of every task that is still suspended once cancelled.

    Why: a coroutine collected later is finalised (closed) in whatever thread
    drops it, maybe the kernel's, after the cell's names are gone; one that
    catches GeneratorExit in a retry loop would then spin there for ever. Kept,
    it is never resumed and never finalised; the summary says how many.
    """
    kept = 0
    for task in list(session.recorder.tasks.values()):
        # Not task.done() (why: a task whose coroutine ignored GeneratorExit when it was
        # closed is done, with a RuntimeError, yet its coroutine is still suspended).
        coro = task.get_coro() if hasattr(task, "get_coro") else getattr(task, "_coro", None)
        if getattr(coro, "cr_frame", getattr(coro, "gi_frame", None)) is not None:
            left_running.append(coro)
            kept += 1
    session.unfinished_tasks = kept


def retrieve_interrupts(recorder: RunRecorder) -> None:
    """The task whose step the interrupt hit holds it as its exception: mark it seen
    (why: else it is logged as "exception was never retrieved" when collected)."""
    for task in list(recorder.tasks.values()):
        try:
            if task.done() and not task.cancelled():
                task.exception()
        except Exception:
            pass


def _pending(loop: Any, session: Any) -> list:
    try:
        return list(session.backend.module.all_tasks(loop))
    except Exception:
        return []


def close_loops(session: Any, stopping: bool) -> None:
    """Close every loop of the run; after a failure, cancel leftovers within CLEANUP_BUDGET."""
    module = session.backend.module
    for loop in session.loops:
        if loop.is_closed():
            continue
        if stopping:
            session.executor_jobs_left += _let_go_of_executor(loop)
        if stopping and not loop.is_running() and _pending(loop, session):
            guard = session.guard
            guard.arm(cleanup=True)
            watchdog = (browser.ClockWatchdog if browser.NO_THREADS_HERE else Watchdog)(guard, CLEANUP_BUDGET, CleanupOverdue)
            try:
                backends.shutdown(loop, module, quiet=True)
            except BaseException as exc:  # (KeyboardInterrupt, CleanupOverdue, ...)
                session.recorder.note(f"clean-up stopped ({type(exc).__name__}); the loop was closed regardless")
            finally:
                while True:
                    try:
                        guard.disarm()
                        break
                    except StopRun:
                        pass
                watchdog.cancel()
        force_close(loop, session)


def _let_go_of_executor(loop: Any) -> int:
    """After a stop, do not wait for the default executor's jobs (a thread cannot be
    stopped): cancel the queued ones, leave the running ones, and count them."""
    executor = getattr(loop, "_default_executor", None)
    if executor is None:
        return 0
    loop._default_executor = None  # (so close() does not start a thread to wait for it)
    executor.shutdown(wait=False, cancel_futures=True)
    busy = 0
    for thread in list(getattr(executor, "_threads", ())):
        thread.join(0.02)  # an idle one ends at once, now that the executor is shut down
        busy += thread.is_alive()
    return busy


def force_close(loop: Any, session: Any) -> None:
    """Close a loop even if an interrupt left it half-way through an iteration."""
    if loop.is_closed():
        return
    for task in _pending(loop, session):
        task._log_destroy_pending = False  # dropped on purpose: no "destroyed but pending" warning
    if loop.is_running():  # interrupted inside run_forever's own bookkeeping
        loop._thread_id = None
        if session.backend.name == "asyncio":
            import asyncio

            asyncio.events._set_running_loop(None)
        else:
            from loop_impl import events

            events._set_running_loop(None)
    try:
        loop.close()
    except Exception:
        # A stop landed inside an earlier close(), half-way: release what it holds.
        for name in ("_ssock", "_csock", "_selector"):
            resource = getattr(loop, name, None)
            if resource is not None:
                try:
                    resource.close()
                finally:
                    setattr(loop, name, None)
        loop._closed = True


def snapshot(trace: Trace) -> Trace:
    """A copy of a trace another thread may still be writing (cut to the last whole event)."""
    copy = Trace()
    columns = ("_kind", "_t", "_task", "_a", "_b")
    length = min(len(getattr(trace, name)) for name in columns)
    for name in columns:
        setattr(copy, name, getattr(trace, name)[:length])
    copy.strings = list(trace.strings)
    copy._string_ids = dict(trace._string_ids)
    copy.task_names = dict(trace.task_names)
    copy.meta = {key: (dict(value) if isinstance(value, dict) else value) for key, value in trace.meta.items()}
    return copy
