"""The loop's services around its core: errors, threads, async generators.

Nothing here decides *when* something runs (that is loop.py). These are the
loop's duties toward the rest of the program:

* errors nobody handled go to `call_exception_handler` (asyncio's API), whose
  default logs them the way asyncio does;
* `run_in_executor` runs a blocking function in a thread pool and hands the
  result back to the loop through `call_soon_threadsafe`;
* async generators abandoned mid-iteration are closed by a task, since their
  `finally` blocks may await;
* when nothing could ever wake the loop, it says so (a deadlock report)
  instead of sleeping forever.
"""

from __future__ import annotations

import concurrent.futures
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

from . import capabilities, debug_mode, diagnostics, timeouts, versions
from .futures import Future, _set_result_unless_cancelled, wrap_future

__all__ = ("LoopServices",)


class LoopServices:
    """Mixin of EventLoop: exception handling, executors, async generators."""

    # -- errors ------------------------------------------------------------------
    def get_exception_handler(self) -> Callable[..., Any] | None:
        return self._exception_handler

    def set_exception_handler(self, handler: Callable[..., Any] | None) -> None:
        if handler is not None and not callable(handler):
            raise TypeError(f"A callable object or None is expected, got {handler!r}")
        self._exception_handler = handler

    def default_exception_handler(self, context: dict) -> None:
        diagnostics.log_exception_context(context)

    def call_exception_handler(self, context: dict) -> None:
        if self._exception_handler is None:
            try:
                self.default_exception_handler(context)
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException:
                diagnostics.logger.error("Exception in default exception handler", exc_info=True)
            return
        try:
            run_in = _context_of_the_failure(context) if versions.EXCEPTION_HANDLER_IN_FAILURE_CONTEXT else None
            if run_in is not None:
                run_in.run(self._exception_handler, self, context)
            else:
                self._exception_handler(self, context)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            try:
                self.default_exception_handler(
                    {"message": "Unhandled error in exception handler", "exception": exc, "context": context}
                )
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException:
                diagnostics.logger.error(
                    "Exception in default exception handler while handling an unexpected error "
                    "in custom exception handler",
                    exc_info=True,
                )

    def _check_callback(self, callback: Any, method: str) -> None:
        """Debug mode only, as in asyncio: reject what could never be called."""
        from .coroutines import iscoroutine, iscoroutinefunction

        if iscoroutine(callback) or iscoroutinefunction(callback):
            raise TypeError(f"coroutines cannot be used with {method}()")
        if not callable(callback):
            raise TypeError(f"a callable object was expected by {method}(), got {callback!r}")

    def get_debug(self) -> bool:
        return self._debug

    def set_debug(self, enabled: bool) -> None:
        self._debug = enabled
        if self.is_running():  # as asyncio: origin tracking follows at the next turn
            self.call_soon_threadsafe(debug_mode.set_origin_tracking, self, enabled)

    # -- threads -------------------------------------------------------------------
    def run_in_executor(self, executor: Any, func: Callable[..., Any], *args: Any) -> Future:
        """Run func(*args) in a thread; the returned future resolves in the loop."""
        self._check_closed()
        capabilities.require_threads("loop.run_in_executor()")
        if self._debug:
            self._check_callback(func, "run_in_executor")
        if executor is None:
            if self._executor_shutdown_called:
                raise RuntimeError("Executor shutdown has been called")
            executor = self._default_executor
            if executor is None:
                # asyncio's prefix (why: a program that prints its worker
                # thread's name, "asyncio_0", prints the same under both).
                executor = concurrent.futures.ThreadPoolExecutor(thread_name_prefix="asyncio")
                self._default_executor = executor
        job = executor.submit(func, *args)
        future = wrap_future(job, loop=self)
        # Counted as "could still call in" until done (see _nothing_could_wake).
        self._pending_jobs.add(job)
        job.add_done_callback(self._pending_jobs.discard)
        return future

    def set_default_executor(self, executor: Any) -> None:
        if not isinstance(executor, concurrent.futures.ThreadPoolExecutor):
            raise TypeError("executor must be ThreadPoolExecutor instance")
        self._default_executor = executor

    async def shutdown_default_executor(self, timeout: float | None = None) -> None:
        """Wait, without blocking the loop, for the default executor's threads.

        `timeout` (3.12, gh-82448): give up after that many seconds with a
        RuntimeWarning. It only works from 3.12.3 (gh-111358); before, the wait
        for the threads came after they had finished anyway."""
        if timeout is not None and not versions.SHUTDOWN_EXECUTOR_TIMEOUT:
            raise TypeError("BaseEventLoop.shutdown_default_executor() got an unexpected keyword argument 'timeout'")
        self._executor_shutdown_called = True
        if self._default_executor is None:
            return
        future = self.create_future()
        future._label = "executor shutdown"
        thread = threading.Thread(target=self._do_shutdown, args=(future,), name="loop_impl-shutdown")
        thread.start()
        if not versions.SHUTDOWN_EXECUTOR_TIMEOUT_WORKS:
            try:
                await future
            finally:
                thread.join(timeout)
            if thread.is_alive():
                self._executor_not_joined(timeout)
            return
        try:
            async with timeouts.timeout(timeout):
                await future
        except TimeoutError:
            self._executor_not_joined(timeout)
        else:
            thread.join()

    def _executor_not_joined(self, timeout: float | None) -> None:
        message = f"The executor did not finishing joining its threads within {timeout} seconds."
        warnings.warn(message, RuntimeWarning, stacklevel=3)
        self._default_executor.shutdown(wait=False)

    def _do_shutdown(self, future: Future) -> None:
        try:
            self._default_executor.shutdown(wait=True)
            if not self.is_closed():
                self.call_soon_threadsafe(_set_result_unless_cancelled, future, None)
        except Exception as ex:
            if not self.is_closed():
                self.call_soon_threadsafe(future.set_exception, ex)

    # -- async generators -----------------------------------------------------------
    def _asyncgen_firstiter_hook(self, agen: Any) -> None:
        if self._asyncgens_shutdown_called:
            warnings.warn(
                f"asynchronous generator {agen!r} was scheduled after loop.shutdown_asyncgens() call",
                ResourceWarning,
                stacklevel=2,
                source=self,
            )
        self._asyncgens.add(agen)

    def _asyncgen_finalizer_hook(self, agen: Any) -> None:
        # An abandoned async generator is closed by a task (why: its finally
        # blocks may await, so closing it needs the loop).
        self._asyncgens.discard(agen)
        if not self.is_closed():
            self.call_soon_threadsafe(self.create_task, agen.aclose())

    async def shutdown_asyncgens(self) -> None:
        """Close every async generator still open, as asyncio.run() does at the end."""
        self._asyncgens_shutdown_called = True
        if not len(self._asyncgens):
            return
        closing = list(self._asyncgens)
        self._asyncgens.clear()
        from .gathering import gather

        results = await gather(*[ag.aclose() for ag in closing], return_exceptions=True)
        for result, agen in zip(results, closing):
            if isinstance(result, Exception):
                self.call_exception_handler(
                    {
                        "message": f"an error occurred during closing of asynchronous generator {agen!r}",
                        "exception": result,
                        "asyncgen": agen,
                    }
                )

    # -- the self-pipe ----------------------------------------------------------------
    def _write_to_self(self) -> None:
        csock = self._csock
        if csock is None:
            return  # no pipe: the loop never blocked while another thread lived, so it is awake
        try:
            csock.send(b"\0")
        except OSError:
            pass  # the pipe is full: the loop is already going to wake up

    # -- task factory and blocking steps -------------------------------------------
    def set_task_factory(self, factory: Callable[..., Any] | None) -> None:
        if factory is not None and not callable(factory):
            raise TypeError("task factory must be a callable or None")
        self._task_factory = factory

    def get_task_factory(self) -> Callable[..., Any] | None:
        return self._task_factory

    def _report_blocking(self, handle: Any, seconds: float) -> None:
        now = time.perf_counter()  # (first: the step just ended, it ran in [now - seconds, now])
        report = diagnostics.BlockingReport.of(handle, seconds)
        rec = self._recorder
        if rec is not None:  # (the whole time: a recorder keeps its own account of the collector's pauses)
            rec.blocked(report.task, seconds)
        report.seconds = seconds - diagnostics.gc_clock.seconds_within(now - seconds, now)
        if report.seconds >= self.slow_callback_duration:  # (else the garbage collector's pause, not the step's)
            self.blocking_reports.append(report)
            diagnostics.notes.warning("%s", report, extra=diagnostics.NOTE)
        if self._debug:
            debug_mode.log_slow_callback(handle, seconds)  # asyncio's own warning, timed as asyncio times it

    # -- when nothing can happen any more ----------------------------------------
    def _nothing_could_wake(self) -> bool:
        # Threads first, then the queues (why: a worker thread queues its
        # result before it counts as finished, so this order cannot miss it).
        if self._pending_jobs or diagnostics.threads_could_call_in(self, main_thread_waits=self._main_thread_waits):
            return False
        if self._ready or self._user_fds or self._stopping:
            return False
        if self.__dict__.get("_signal_handlers"):
            return False  # a signal may still come (transports/signals.py)
        return not any(not timer._cancelled for _, timer in self._scheduled)

    def _on_stuck(self) -> None:
        waiting = diagnostics.waiting_tasks(self)
        if waiting or (self._run_until is not None and not self._run_until.done()):
            report = diagnostics.deadlock_report(waiting, self._run_until)
            if self._recorder is not None:
                self._recorder.note(report)
            raise diagnostics.DeadlockError(report)
        message = diagnostics.idle_forever_message()
        if self._recorder is not None:
            self._recorder.note(message)
        diagnostics.notes.warning("%s", message, extra=diagnostics.NOTE)
        self._stopping = True


def _context_of_the_failure(context: dict) -> Any:
    """3.12+: a custom handler runs in the contextvars of the task or callback that failed
    (why: a request id set in a ContextVar is then there for the handler that logs it)."""
    failed = context.get("task") or context.get("future") or context.get("handle")
    get_context = getattr(failed, "get_context", None)
    found = get_context() if get_context is not None else None
    return found if hasattr(found, "run") else None
