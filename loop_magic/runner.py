"""run_cell: run one cell's code on a backend and collect a RunResult.

The steps of a run, in order:

1. compile the cell (cell_code.py); a SyntaxError ends the run at once;
2. bind `asyncio` in the namespace to the backend's module, and redirect
   `import asyncio` written in the cell to it; replace sys.stdout by a tee
   that also records each printed line for the trace;
3. in the backend's thread (the kernel's, or a worker for real asyncio):
   evaluate the code. A cell with top-level await gives a coroutine, which
   runs as the main task of a new loop, under asyncio.run()'s contract; a
   cell without one simply runs (and may call asyncio.run() itself);
4. whatever happened, close every loop the cell made. After an interrupt,
   a timeout or a deadlock the leftover tasks are cancelled and given
   `CLEANUP_BUDGET` seconds to finish, then the loop is closed regardless;
5. undo step 2, turn the trace into a summary, keep the result as `last_run()`.

Stops from outside (a kernel interrupt, --timeout) are stopping.py's.
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
from .capture import OutputTee, RunRecorder
from .cell_code import VALUE_NAME, asyncio_redirect, cache_source, cell_traceback, compile_cell
from .result import RunResult, summarize
from .stopping import CleanupOverdue, Guard, RunInterrupted, RunTimedOut, StopRun, Watchdog

# In the browser (no threads, see browser.py): no watchdog thread, no per-thread CPU clock.
_Watchdog = browser.ClockWatchdog if browser.NO_THREADS_HERE else Watchdog
_cpu_clock = getattr(time, "thread_time", time.process_time)

__all__ = ("run_cell", "last_run", "CellTimeout", "CLEANUP_BUDGET")

CLEANUP_BUDGET = 0.5  # seconds cancelled tasks get to finish after an interrupt or a timeout
WORKER_GRACE = 1.0  # seconds the kernel's thread waits for the asyncio worker to stop
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
        self.recorder = recorder
        self.virtual_time = virtual_time
        self.loops: list[Any] = []  # every loop the cell made, closed at the end
        self.current_asyncio_loop: Any = None  # what set_event_loop() chose (asyncio backend)
        self.guard = Guard(self.wake)
        self.worker: threading.Thread | None = None
        self.abandoned = False  # the worker could not be stopped (blocked in a C call)

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

    def interrupt_worker(self, finished: threading.Event) -> None:
        """Kernel interrupt while the asyncio backend's worker runs: stop it, wait a bounded time."""
        self.guard.stop(RunInterrupted)
        deadline = time.monotonic() + WORKER_GRACE
        while not finished.is_set() and time.monotonic() < deadline:
            try:
                finished.wait(0.05)
            except KeyboardInterrupt:
                self.guard.stop(RunInterrupted)
        if not finished.is_set():
            self.abandoned = True
            raise KeyboardInterrupt()


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
    namespace["asyncio"] = backend.module
    sys.stdout = tee
    backends.active.session = session
    wall = time.perf_counter()
    outcome: dict[str, Any] = {}
    try:
        with asyncio_redirect(filename, backend.module), backend.activate(session):
            try:
                backend.execute(lambda: _in_run_thread(session, compiled, namespace, timeout, tee, outcome), session)
            except KeyboardInterrupt:
                outcome.setdefault("error", KeyboardInterrupt())
    finally:
        wall = time.perf_counter() - wall
        for loop in session.loops:  # (a second interrupt may have cut the clean-up short)
            if not loop.is_closed():
                _force_close(loop, session)
        backends.active.session = None
        if sys.stdout is tee:
            sys.stdout = tee.wrapped
        namespace.pop(VALUE_NAME, None)
        if saved_asyncio is _MISSING:
            namespace.pop("asyncio", None)
        else:
            namespace["asyncio"] = saved_asyncio
    recorder.finish()
    _fill_result(result, session, outcome, timeout)
    result.summary = summarize(recorder.trace, wall, outcome.get("cpu", 0.0))
    result.stdout = "".join(recorder.stdout)
    if callbacks:
        recorder.progress()
    _last[:] = [result]
    return result


def _in_run_thread(
    session: Session, compiled: Any, namespace: dict, timeout: float | None, tee: OutputTee, outcome: dict
) -> None:
    """Steps 3 and 4, in the thread the backend's loops live in."""
    me = threading.get_ident()
    recorder = session.recorder
    recorder.thread_id = me
    tee.route(me, recorder)
    cpu = _cpu_clock()
    guard = session.guard
    guard.arm()
    watchdog = _Watchdog(guard, timeout, RunTimedOut) if timeout else None
    error: BaseException | None = None
    try:
        outcome["value"] = _execute(session, compiled, namespace)
    except BaseException as exc:
        error = exc
    finally:
        # Close the stop window first (why: a stop sent now but delivered later
        # would land in our clean-up, or in the kernel's code after the run).
        while True:
            try:
                guard.disarm()
                break
            except StopRun as late:  # a stop that arrived just as the run ended
                error = error or late
    if watchdog is not None:
        watchdog.cancel()
    try:
        if isinstance(error, KeyboardInterrupt):
            reason = "--timeout" if guard.reason is RunTimedOut else "kernel interrupt"
            pending = sum(1 for task in list(recorder.tasks.values()) if not task.done())
            recorder.note(
                f"stopped by {reason}"
                + (f": cancelling {pending} pending task{'s' if pending != 1 else ''}" if pending else "")
            )
        _close_loops(session, stopping=error is not None)
        if isinstance(error, KeyboardInterrupt):
            session.backend.after_stop(session)
            recorder.tidy_after_stop(error)
            _retrieve_interrupts(recorder)
    finally:
        outcome["cpu"] = _cpu_clock() - cpu
        tee.route(me, None)
        if error is not None:
            outcome["error"] = error


def _retrieve_interrupts(recorder: RunRecorder) -> None:
    """The task whose step the interrupt hit holds it as its exception: mark it seen
    (why: else it is logged as "exception was never retrieved" when collected)."""
    for task in list(recorder.tasks.values()):
        try:
            if task.done() and not task.cancelled():
                task.exception()
        except Exception:
            pass


def _execute(session: Session, compiled: Any, namespace: dict) -> Any:
    value = eval(compiled.code, namespace)
    if compiled.awaits:
        try:
            session.backend.run_main(value, session)
        finally:
            if inspect.getcoroutinestate(value) == inspect.CORO_CREATED:
                value.close()  # never started (no loop could be made): no "never awaited" warning
    return namespace.pop(VALUE_NAME, None) if compiled.has_value else None


def _pending(loop: Any, session: Session) -> list:
    try:
        return list(session.backend.module.all_tasks(loop))
    except Exception:
        return []


def _close_loops(session: Session, stopping: bool) -> None:
    """Close every loop of the run; after a failure, cancel leftovers within CLEANUP_BUDGET."""
    module = session.backend.module
    for loop in session.loops:
        if loop.is_closed():
            continue
        if stopping and not loop.is_running() and _pending(loop, session):
            guard = session.guard
            guard.arm()
            watchdog = _Watchdog(guard, CLEANUP_BUDGET, CleanupOverdue)
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
        _force_close(loop, session)


def _force_close(loop: Any, session: Session) -> None:
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


def _fill_result(result: RunResult, session: Session, outcome: dict, timeout: float | None) -> None:
    error = outcome.get("error")
    result.value = outcome.get("value")
    if isinstance(error, KeyboardInterrupt):
        if session.guard.reason is RunTimedOut or isinstance(error, RunTimedOut):
            result.timed_out = True
            error = CellTimeout(
                f"the cell ran longer than --timeout {timeout:g} s: it was stopped and its tasks cancelled"
            )
        else:
            result.interrupted = True
            error = KeyboardInterrupt()
        if session.abandoned:
            result.notes.append(
                "the asyncio worker thread is blocked in a call that cannot be interrupted; it was left behind"
            )
    elif error is not None:
        error = cell_traceback(error)
    result.error = error
    trace = result.trace
    result.notes.extend(trace.string(e.a) for e in trace if e.kind == Ev.NOTE)
