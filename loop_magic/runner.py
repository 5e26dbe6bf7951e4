"""run_cell: run one cell's code on a backend and collect a RunResult.

The steps of a run, in order:

1. compile the cell (cell_code.py); a SyntaxError ends the run at once;
2. bind `asyncio` in the namespace to a fresh copy of the backend's module
   (why a copy per run: `asyncio.sleep = fake` in one cell must not patch
   the next cell, nor a module the whole process shares), and redirect
   `import asyncio` written in the cell to it; replace sys.stdout by a tee
   that also records each printed line for the trace;
3. in a worker thread (worker.py; why: the kernel's thread must stay free to
   keep the time limit and to give up on a run that ignores a stop):
   evaluate the code. A cell with top-level await gives a coroutine, which
   runs as the main task of a new loop, under asyncio.run()'s contract; a
   cell without one simply runs (and may call asyncio.run() itself);
4. still in the worker, whatever happened: close every loop the cell made.
   After an interrupt, a timeout or a deadlock the leftover tasks are
   cancelled and given `CLEANUP_BUDGET` seconds to finish, then the loop is
   closed regardless and what never finished is closed there too;
5. in the caller's thread: undo step 2, turn the trace into a summary, keep
   the result as `last_run()`.

Stops from outside (a kernel interrupt, --timeout) are stopping.py's and worker.py's;
closing the loops (step 4) is cleanup.py's.
"""

from __future__ import annotations

import builtins
import inspect
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from loop_impl.trace import Ev

from . import backends, browser
from .capture import OutputTee, RunRecorder, cpu_clock
from .cell_code import VALUE_NAME, asyncio_redirect, cache_source, cell_traceback, compile_cell
from .cleanup import CLEANUP_BUDGET, close_loops, force_close, keep_unfinished, retrieve_interrupts, snapshot
from .result import RunResult, summarize
from .stopping import Guard, RunInterrupted, RunTimedOut, StopRun, Watchdog
from .worker import STOP_GRACE, WORKER_THREADS, run_in_worker

# In the browser (no threads, see browser.py): no watchdog thread (and capture.cpu_clock reads the process's CPU).
_Watchdog = browser.ClockWatchdog if browser.NO_THREADS_HERE else Watchdog

__all__ = ("run_cell", "last_run", "CellTimeout", "CLEANUP_BUDGET", "STOP_GRACE")

_MISSING = object()
_last: list[RunResult] = []


class CellTimeout(TimeoutError):
    """The cell ran longer than its --timeout and was stopped."""


def last_run() -> RunResult | None:
    """The result of the last cell run (magic or run_cell), or None."""
    return _last[0] if _last else None


class Session:
    """One run under way: its backend, recorder, loops and stop switch."""

    def __init__(self, backend: backends.Backend, recorder: RunRecorder, virtual_time: bool) -> None:
        self.backend = backend
        self.module = backend.module_for_run()  # what `asyncio` means in this run's cell
        self.recorder = recorder
        self.virtual_time = virtual_time
        self.loops: list[Any] = []  # every loop the cell made, closed at the end
        self.current_asyncio_loop: Any = None  # what set_event_loop() chose (asyncio backend)
        self.guard = Guard(self.wake, recorder.ask_to_stop)
        recorder.stop_taken = self.guard.taken
        self.worker: threading.Thread | None = None
        self.abandoned = False  # the worker did not end within STOP_GRACE of a stop: left behind
        self.left_running = ""  # what an abandoned worker was doing
        self.executor_jobs_left = 0  # executor jobs still running when the run was stopped
        self.main_done = False  # the cell's main coroutine has returned (its shutdown may go on)
        self.unfinished_tasks = 0  # tasks that did not finish once cancelled: kept, never resumed

    def new_loop(self) -> Any:
        return self.backend.new_loop(self)

    def wake(self) -> None:
        """Wake every loop of the run from select() (through its self-pipe)."""
        for loop in list(self.loops):
            if not loop.is_closed():
                try:
                    loop._write_to_self()
                except Exception:
                    pass


def run_cell(
    source: str,
    mode: str = "tinyloop",
    *,
    virtual_time: bool = False,
    timeout: float | None = None,
    namespace: dict | None = None,
    on_progress: Callable[[Any], None] | list | None = None,
    filename: str | None = None,
    line_offset: int = 0,
    echo: bool = True,
) -> RunResult:
    """Run a cell's source on a backend and return a RunResult (no IPython needed).

    mode: "tinyloop" (loop_impl), "generator" (the tutorials' polling loop) or
    "asyncio" (the real library, instrumented). virtual_time: the clock jumps
    to the next timer instead of waiting. timeout: stop the run after this many
    seconds. namespace: the globals the cell runs in (a fresh one if None);
    names it defines stay there. on_progress: called with the trace at most
    every 100 ms while the run goes on, and once at the end. echo: let printed
    output through to sys.stdout as well.
    """
    backend = backends.get_backend(mode)
    if timeout is not None and not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    if timeout == float("inf"):
        timeout = None  # (no limit, as written)
    if backends.active.session is not None:
        raise RuntimeError("a %%tinyloop run is already under way (runs cannot nest)")
    callbacks = on_progress if isinstance(on_progress, list) else [on_progress] if on_progress else []
    recorder = RunRecorder(callbacks)
    recorder.trace.meta.update(mode=mode, virtual_time=virtual_time)
    result = RunResult(source=source, mode=mode, virtual_time=virtual_time, trace=recorder.trace)
    if namespace is None:
        namespace = {"__name__": "__main__", "__builtins__": builtins}
    filename = filename or cache_source(source)
    try:
        compiled = compile_cell(source, filename, line_offset)
    except SyntaxError as error:
        result.error = error
        _last[:] = [result]
        return result

    session = Session(backend, recorder, virtual_time)
    tee = OutputTee(sys.stdout, echo=echo)
    saved_asyncio = namespace.get("asyncio", _MISSING)
    namespace["asyncio"] = session.module
    sys.stdout = tee
    backends.active.session = session
    wall = time.perf_counter()
    outcome: dict[str, Any] = {}
    # Without threads the run keeps its own clock (a Watchdog); with them the caller's thread does.
    inline_timeout = None if WORKER_THREADS else timeout
    try:
        with asyncio_redirect(filename, session.module), backend.activate(session):
            try:
                run_in_worker(
                    lambda: _in_run_thread(session, compiled, namespace, inline_timeout, tee, outcome), session, timeout
                )
            except KeyboardInterrupt:  # (without threads: a Ctrl-C that hit the clean-up)
                outcome.setdefault("error", RunInterrupted())
    finally:
        wall = time.perf_counter() - wall
        if not WORKER_THREADS:  # the loops live in this thread: a second interrupt may have cut the clean-up short
            for loop in session.loops:
                force_close(loop, session)
        backends.active.session = None
        if sys.stdout is tee:
            sys.stdout = tee.wrapped
        namespace.pop(VALUE_NAME, None)
        if saved_asyncio is _MISSING:
            namespace.pop("asyncio", None)
        else:
            namespace["asyncio"] = saved_asyncio
    if session.abandoned:
        # The worker goes on writing its own copies: the result gets what was there when it was left.
        outcome = {"error": (session.guard.reason or RunInterrupted)()}
        result.trace = recorder.trace = snapshot(recorder.trace)
    else:
        recorder.finish()
    _fill_result(result, session, outcome, timeout)
    result.summary = summarize(
        recorder.trace, wall, max(0.0, outcome.get("cpu", 0.0) - recorder.view_cpu), recorder.view_wall
    )
    result.stdout = "".join(recorder.stdout)
    if callbacks and not session.abandoned:
        recorder.progress()
    _last[:] = [result]
    return result


def _in_run_thread(
    session: Session, compiled: Any, namespace: dict, timeout: float | None, tee: OutputTee, outcome: dict
) -> None:
    """Steps 3 and 4, in the thread the run's loops live in."""
    me = threading.get_ident()
    recorder = session.recorder
    recorder.thread_id = me
    tee.route(me, recorder)
    cpu = cpu_clock()
    guard = session.guard
    error: BaseException | None = None
    with session.backend.run_thread_context(session):
        guard.arm()
        watchdog = _Watchdog(guard, timeout, RunTimedOut) if timeout else None
        stopped_after_the_end = False
        try:
            outcome["value"] = _execute(session, compiled, namespace)
        except StopRun as exc:
            if session.main_done:  # the cell had finished; the stop hit the loop's shutdown
                stopped_after_the_end = True
                outcome["value"] = namespace.pop(VALUE_NAME, None) if compiled.has_value else None
            else:
                error = exc
        except BaseException as exc:
            error = _the_stop_behind(exc)
        finally:
            # Close the stop window first (why: a stop sent now but delivered later
            # would land in our clean-up). A stop that arrives as the cell has just
            # ended is withdrawn: the cell finished, its value is the outcome.
            while True:
                try:
                    guard.disarm()
                    break
                except StopRun:
                    pass
        if watchdog is not None:
            watchdog.cancel()
        if error is None and compiled.awaits and compiled.has_value:
            _show_value_on_main_lane(recorder, outcome.get("value"))
        if stopped_after_the_end:
            recorder.note("the stop came after the cell had finished, as its loop shut down: its value is kept")
        try:
            _clean_up(session, error, stopped_after_the_end)
        finally:
            outcome["cpu"] = cpu_clock() - cpu
            tee.route(me, None)
            if error is not None:
                outcome["error"] = error


def _clean_up(session: Session, error: BaseException | None, stopped_after_the_end: bool = False) -> None:
    """Step 4: close the loops; after a stop, cancel what is left and close what never finished."""
    recorder = session.recorder
    stopped = isinstance(error, StopRun) or (isinstance(error, KeyboardInterrupt) and not WORKER_THREADS)
    if stopped:
        reason = "--timeout" if session.guard.reason is RunTimedOut else "kernel interrupt"
        pending = sum(1 for task in list(recorder.tasks.values()) if not task.done())
        recorder.note(
            f"stopped by {reason}"
            + (f": cancelling {pending} pending task{'s' if pending != 1 else ''}" if pending else "")
        )
    try:
        close_loops(session, stopping=error is not None or stopped_after_the_end)
        if isinstance(error, KeyboardInterrupt) or stopped_after_the_end:
            session.backend.after_stop(session)
            recorder.tidy_after_stop(error)
            retrieve_interrupts(recorder)
    finally:  # (even when a second interrupt cut the clean-up short)
        if error is not None:
            keep_unfinished(session)


def _show_value_on_main_lane(recorder: RunRecorder, value: Any) -> None:
    """The cell's main task ends with the value Out[n] shows, not with None (why: the
    cell's code keeps its last expression aside, so its coroutine itself returns None)."""
    trace = recorder.trace
    main = next((tid for tid, name in trace.meta["coro_names"].items() if name == "<module>"), None)
    if main is None:
        return
    for index in range(len(trace) - 1, -1, -1):
        if trace._kind[index] == Ev.TASK_DONE and trace._task[index] == main:
            trace._b[index] = trace.intern(f"{value!r:.60}")
            return


def _the_stop_behind(error: BaseException) -> BaseException:
    """The stop an error came from, if it did (why: a stop delivered inside a finaliser
    or a C call can surface as another error, RuntimeError or even SystemError, with
    the stop in its chain; the run was stopped all the same)."""
    seen: set[int] = set()
    link: BaseException | None = error
    while link is not None and id(link) not in seen:
        if isinstance(link, StopRun):
            return link
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return error


def _execute(session: Session, compiled: Any, namespace: dict) -> Any:
    value = eval(compiled.code, namespace)
    if compiled.awaits:
        try:
            session.backend.run_main(value, session)
        finally:
            if inspect.getcoroutinestate(value) == inspect.CORO_CREATED:
                value.close()  # never started (no loop could be made): no "never awaited" warning
    return namespace.pop(VALUE_NAME, None) if compiled.has_value else None


def _fill_result(result: RunResult, session: Session, outcome: dict, timeout: float | None) -> None:
    error = outcome.get("error")
    result.value = outcome.get("value")
    # A KeyboardInterrupt the cell raised itself is its exception, shown as any other (why:
    # with a worker thread a real interrupt always arrives as a StopRun).
    if isinstance(error, StopRun) or (isinstance(error, KeyboardInterrupt) and not WORKER_THREADS):
        if session.guard.reason is RunTimedOut or isinstance(error, RunTimedOut):
            result.timed_out = True
            error = CellTimeout(
                f"the cell ran longer than --timeout {timeout:g} s: it was stopped and its tasks cancelled"
            )
        else:
            result.interrupted = True
            error = KeyboardInterrupt()
    elif error is not None:
        hint = session.backend.hint_for(error)  # e.g. a Future of another loop: say what to do
        if hint:
            result.notes.append(hint)
        error = cell_traceback(error)
    result.error = error
    trace = result.trace
    result.notes.extend(trace.string(e.a) for e in trace if e.kind == Ev.NOTE)
    if session.abandoned:
        result.notes.append(
            f"left running: {session.left_running} (a call that cannot be interrupted, or code that "
            f"catches every stop); the cell returned {STOP_GRACE:g} s after the stop without it"
        )
    if session.unfinished_tasks:
        count = session.unfinished_tasks
        result.notes.append(
            f"{count} task{'s' if count != 1 else ''} did not finish when cancelled (code that catches "
            f"CancelledError and goes on?): kept suspended, never resumed"
        )
    if session.executor_jobs_left:
        jobs = session.executor_jobs_left
        result.notes.append(
            f"left running: {jobs} executor job{'s' if jobs != 1 else ''} (a thread cannot be stopped; "
            f"it ends when its function returns)"
        )
