"""The event loop.

What it is
----------
An event loop is a `while` loop that owns three queues and one question.

* `_ready`: a FIFO of things to run now: callbacks (`Handle`s) and tasks
  waiting for their next step.
* `_scheduled`: a heap of (deadline, `TimerHandle`) pairs: "run this at
  time t" (`call_later`, `call_at`, and so `sleep`).
* the selector: file descriptors we wait on, each with the callback to queue
  when it becomes readable or writable (`add_reader`, `add_writer`).

The question, asked once per turn (`_run_once`): *how long may I sleep?*
Zero if something is ready; until the earliest deadline if there are timers;
forever if there is only I/O to wait for. The loop then blocks in
`selector.select(timeout)`, so a sleeping loop uses no CPU: the kernel
wakes it when an fd is ready or the timeout runs out.

The rules it keeps (each one is asyncio's, and each has its reason)
-------------------------------------------------------------------
1. One iteration runs exactly the entries that were ready when it began.
   What they schedule waits for the next iteration (why: no task can starve
   the others by rescheduling itself, and `sleep(0)` means "one iteration").
2. I/O callbacks join the ready queue before expired timers, and both after
   what was already there (why: asyncio's order, so programs print the same).
3. Callbacks are only ever *called* here, in `_run_once`; everywhere else
   they are *scheduled* (why: whoever resolves a future never runs its
   waiters' code in the middle of its own).
4. Nothing is polled. A task waiting on a future is off every queue until
   the future's done-callback puts it back.

What it adds to asyncio
-----------------------
* When nothing is ready, no timer is set, no fd is watched and no thread
  could call in, yet tasks wait, asyncio hangs forever. This loop raises
  `DeadlockError` naming each task and what it waits for.
* A step or callback that holds the loop longer than
  `slow_callback_duration` (e.g. `time.sleep()` in a task) is reported.
* Every event can go to a `trace.Recorder`; with none attached the cost
  is one `is None` test per step.
* `virtual_time=True`: the clock jumps to the next deadline instead of
  sleeping, so `sleep(3600)` is instant and every run is identical.
"""

from __future__ import annotations

import concurrent.futures
import heapq
import sys
import threading
import time
import warnings
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any

from . import debug_mode, diagnostics, events, versions
from .abstract_loop import AbstractEventLoop
from .connections import SocketConnections
from .futures import Future, isfuture
from .handles import Handle, TimerHandle, _ThreadSafeHandle
from .loop_services import LoopServices
from .selector_io import SelectorIO
from .tasks import Task, ensure_future
from .trace import Recorder, Why
from .transports import TransportServices

__all__ = ("EventLoop",)

_MIN_SCHEDULED_TIMER_HANDLES = 100  # below this many timers, never rebuild the heap
_MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5
MAXIMUM_SELECT_TIMEOUT = 24 * 3600  # selectors reject huge timeouts
_THREADSAFE_HANDLE = _ThreadSafeHandle if versions.THREADSAFE_HANDLE else Handle  # 3.14 (gh-128340)


# Transports first (why: they extend the selector's hooks, the self-pipe's signal bytes
# and a closing loop's clean-up, by overriding); the interface last (it only names methods).
class EventLoop(TransportServices, SelectorIO, SocketConnections, LoopServices, AbstractEventLoop):
    """A from-scratch asyncio event loop: timers, a ready queue and a selector."""

    _asyncio_enter_task = _asyncio_leave_task = None  # set where asyncio runs on this loop (asyncio_seam.py)

    def __init__(self, selector: Any = None, *, virtual_time: bool = False, recorder: Recorder | None = None) -> None:
        self._ready: deque = deque()
        # (when, timer) pairs (why pairs: the heap then compares deadlines in C;
        # on an exact tie it falls back to the handles, which compare as
        # asyncio's do, so the heap keeps the shape asyncio's heap has).
        self._scheduled: list[tuple[float, TimerHandle]] = []
        self._timer_cancelled_count = 0
        self._stopping = False
        self._closed = False
        self._thread_id: int | None = None
        self._clock_resolution = time.get_clock_info("monotonic").resolution
        self._virtual_now: float | None = 0.0 if virtual_time else None
        self._exception_handler: Callable[..., Any] | None = None
        self._debug = debug_mode.is_debug_mode()
        self._coroutine_origin_tracking, self._saved_origin_depth = False, 0
        self._task_factory: Callable[..., Any] | None = None
        self._default_executor: concurrent.futures.Executor | None = None
        self._executor_shutdown_called = False
        self._pending_jobs: set = set()  # executor work in flight: it will call back
        self._asyncgens: weakref.WeakSet = weakref.WeakSet()
        self._asyncgens_shutdown_called = False
        self._run_until: Future | None = None
        self._current_task: Task | None = None  # the task whose step is running
        # (why at creation, not run: a daemon thread started in between may be handed the loop)
        self._threads_at_start: set[int] = {t.ident for t in threading.enumerate()}
        # A host that runs this loop in a worker thread while the main thread only
        # waits for it (loop_magic) says so, so that a deadlock is still seen.
        self._main_thread_waits = False
        self.slow_callback_duration = 0.1  # seconds a step may hold the loop unreported
        self.blocking_reports: list[diagnostics.BlockingReport] = []
        self._recorder: Recorder | None = None
        self._init_selector(selector)
        if recorder is not None:
            self.set_recorder(recorder)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} running={self.is_running()} closed={self._closed} debug={self._debug}>"

    def __del__(self, _warn: Callable[..., Any] = warnings.warn) -> None:
        if not getattr(self, "_closed", True):
            _warn(f"unclosed event loop {self!r}", ResourceWarning, source=self)
            if not self.is_running():
                self.close()

    # -- tracing -----------------------------------------------------------
    def set_recorder(self, recorder: Recorder | None) -> None:
        """Report every event to `recorder` from now on (None: stop reporting)."""
        if recorder is not None:
            # The raw clock when time is real (why: loop.time() is a Python call per event).
            recorder.attach_clock(self.time if self._virtual_now is not None else time.monotonic)
        self._recorder = recorder

    def get_recorder(self) -> Recorder | None:
        return self._recorder

    # -- the clock ---------------------------------------------------------
    def time(self) -> float:
        """The loop's clock: time.monotonic(), or the virtual clock."""
        now = self._virtual_now
        return time.monotonic() if now is None else now

    # -- scheduling ----------------------------------------------------------
    def call_soon(self, callback: Callable[..., Any], *args: Any, context: Any = None) -> Handle:
        """Run callback(*args) in the next iteration, after what is queued."""
        if self._closed:
            raise RuntimeError("Event loop is closed")
        if self._debug:
            debug_mode.check_thread(self)
            self._check_callback(callback, "call_soon")
            return debug_mode.drop_own_frames(self._call_soon(callback, args, context, Why.CALLBACK), 2)
        return self._call_soon(callback, args, context, Why.CALLBACK)

    def _call_soon(self, callback: Callable[..., Any], args: tuple, context: Any, why: int, kind: type = Handle) -> Handle:
        handle = kind(callback, args, self, context)
        self._ready.append(handle)
        rec = self._recorder
        if rec is not None:
            diagnostics.trace_scheduled(rec, callback, args, why)
        return handle

    def call_later(self, delay: float, callback: Callable[..., Any], *args: Any, context: Any = None) -> TimerHandle:
        """Run callback(*args) `delay` seconds from now."""
        if delay is None:
            raise TypeError("delay must not be None")
        return debug_mode.drop_own_frames(self.call_at(self.time() + delay, callback, *args, context=context), 1)

    def call_at(self, when: float, callback: Callable[..., Any], *args: Any, context: Any = None) -> TimerHandle:
        """Run callback(*args) when time() reaches `when`."""
        if when is None:
            raise TypeError("when cannot be None")
        self._check_closed()
        timer = TimerHandle(when, callback, args, self, context)
        if self._debug:
            debug_mode.check_thread(self)
            self._check_callback(callback, "call_at")
            debug_mode.drop_own_frames(timer, 1)
        heapq.heappush(self._scheduled, (when, timer))
        timer._scheduled = True
        rec = self._recorder
        if rec is not None:
            rec.timer_scheduled(timer, when)
        return timer

    def _timer_handle_cancelled(self, handle: TimerHandle) -> None:
        # Cancelled timers stay in the heap until they surface or pile up (why:
        # removing from the middle of a heap is O(n); asyncio waits as well).
        if handle._scheduled:
            self._timer_cancelled_count += 1
            rec = self._recorder
            if rec is not None:
                rec.timer_cancelled(handle)

    def call_soon_threadsafe(self, callback: Callable[..., Any], *args: Any, context: Any = None) -> Handle:
        """call_soon for other threads: also wakes the loop from select()."""
        self._check_closed()
        if self._debug:
            self._check_callback(callback, "call_soon_threadsafe")
        handle = debug_mode.drop_own_frames(self._call_soon(callback, args, context, Why.THREADSAFE, _THREADSAFE_HANDLE), 2)
        self._write_to_self()
        return handle

    # -- futures and tasks ----------------------------------------------------
    def create_future(self) -> Future:
        return Future(loop=self)

    def create_task(self, coro: Any, *, name: Any = None, context: Any = None, **kwargs: Any) -> Task:
        self._check_closed()
        if versions.TASK_FACTORY_GETS_KWARGS:  # 3.14 (gh-128308): every keyword goes on, none is set after
            if name is not None:
                kwargs["name"] = name
            if context is not None:
                kwargs["context"] = context
            factory = self._task_factory
            return Task(coro, loop=self, **kwargs) if factory is None else factory(self, coro, **kwargs)
        if kwargs:
            raise TypeError(f"create_task() got an unexpected keyword argument {next(iter(kwargs))!r}")
        if self._task_factory is None:
            return Task(coro, loop=self, name=name, context=context)
        if context is None:
            task = self._task_factory(self, coro)
        else:
            task = self._task_factory(self, coro, context=context)
        if name is not None or versions.TASK_FACTORY_NAME_BECOMES_NONE:
            task.set_name(name)  # 3.13.0-3.13.2 (gh-130033): even None, so the task is named 'None'
        return task

    # -- running -------------------------------------------------------------
    def run_forever(self) -> None:
        """Run iterations until stop() is called."""
        self._check_closed()
        try:
            self._check_running()
        except RuntimeError:
            if versions.FAILED_RUN_FOREVER_FORGETS_RUNNING_LOOP:
                # 3.13.0-3.13.2: asyncio's cleanup also runs for a run_forever()
                # that never started, so the loop no longer counts as running.
                self._thread_id = None
                events._set_running_loop(None)
            raise
        self._thread_id = threading.get_ident()
        old_agen_hooks = sys.get_asyncgen_hooks()
        sys.set_asyncgen_hooks(firstiter=self._asyncgen_firstiter_hook, finalizer=self._asyncgen_finalizer_hook)
        events._set_running_loop(self)
        debug_mode.set_origin_tracking(self, self._debug)
        try:
            while True:
                self._run_once()
                if self._stopping:
                    break
        finally:
            self._stopping = False
            self._thread_id = None
            events._set_running_loop(None)
            debug_mode.set_origin_tracking(self, False)
            sys.set_asyncgen_hooks(*old_agen_hooks)

    def run_until_complete(self, future: Any) -> Any:
        """Run until `future` (or the coroutine, wrapped in a task) is done."""
        self._check_closed()
        self._check_running()
        new_task = not isfuture(future)
        future = ensure_future(future, loop=self)
        if new_task:
            future._log_destroy_pending = False  # we own it; never warn about it
        future.add_done_callback(_run_until_complete_cb)
        self._run_until = future
        try:
            self.run_forever()
        except BaseException:
            if new_task and future.done() and not future.cancelled():
                future.exception()  # the error propagates; don't also log it
            raise
        finally:
            future.remove_done_callback(_run_until_complete_cb)
            self._run_until = None
        if not future.done():
            raise RuntimeError("Event loop stopped before Future completed.")
        return future.result()

    def stop(self) -> None:
        """Finish the current iteration, then return from run_forever()."""
        self._stopping = True

    def is_running(self) -> bool:
        return self._thread_id is not None

    def is_closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Drop pending callbacks and release the selector and executor."""
        if self.is_running():
            raise RuntimeError("Cannot close a running event loop")
        if self._closed:
            return
        self._closed = True
        self._ready.clear()
        self._scheduled.clear()
        self._executor_shutdown_called = True
        executor = self._default_executor
        if executor is not None:
            self._default_executor = None
            executor.shutdown(wait=False)
        self._close_selector()

    def _check_closed(self) -> None:
        if self._closed:
            raise RuntimeError("Event loop is closed")

    def _check_running(self) -> None:
        if self.is_running():
            raise RuntimeError("This event loop is already running")
        if events._get_running_loop() is not None:
            raise RuntimeError("Cannot run the event loop while another loop is running")

    # -- one iteration ---------------------------------------------------------
    def _run_once(self) -> None:
        """One turn: wait for I/O or the next timer, then run what is ready."""
        rec = self._recorder
        if rec is not None:
            rec.iteration_start(len(self._ready))
        scheduled = self._drop_cancelled_timers()

        if self._ready or self._stopping:
            timeout: float | None = 0
        elif scheduled:
            timeout = min(max(0.0, scheduled[0][0] - self.time()), MAXIMUM_SELECT_TIMEOUT)
        else:
            timeout = None  # only I/O or another thread could wake us
            if self._nothing_could_wake():
                self._on_stuck()
                return
        self._wait_for_io(timeout)

        # Expired timers join the ready queue, earliest deadline first.
        end_time = self.time() + self._clock_resolution
        while scheduled:
            if scheduled[0][0] >= end_time:
                break
            timer = heapq.heappop(scheduled)[1]
            timer._scheduled = False
            self._ready.append(timer)
            if rec is not None:
                rec.timer_fired(timer)

        # Run only what is ready now; what it schedules waits a turn (rule 1).
        ntodo = len(self._ready)
        if rec is not None:
            diagnostics.run_ready_traced(self, ntodo, rec)
            return
        ready = self._ready
        clock = time.perf_counter
        slow = self.slow_callback_duration
        started = clock()
        for _ in range(ntodo):
            handle = ready.popleft()
            if handle._cancelled:
                continue
            handle._run()
            now = clock()
            if now - started >= slow:
                self._report_blocking(handle, now - started)
            started = now
        handle = None  # a failed task's traceback keeps this frame: it must not keep the task (asyncio's rule)

    def _drop_cancelled_timers(self) -> list[tuple[float, TimerHandle]]:
        scheduled = self._scheduled
        count = len(scheduled)
        if (
            count > _MIN_SCHEDULED_TIMER_HANDLES
            and self._timer_cancelled_count / count > _MIN_CANCELLED_TIMER_HANDLES_FRACTION
        ):
            # Many cancelled timers: rebuild the heap without them (asyncio's rule).
            for _when, timer in scheduled:
                timer._scheduled = not timer._cancelled
            kept = [entry for entry in scheduled if entry[1]._scheduled]
            heapq.heapify(kept)
            self._scheduled = scheduled = kept
            self._timer_cancelled_count = 0
        else:
            while scheduled and scheduled[0][1]._cancelled:
                self._timer_cancelled_count -= 1
                heapq.heappop(scheduled)[1]._scheduled = False
        return scheduled

    def _wait_for_io(self, timeout: float | None) -> None:
        """Block in select() for at most `timeout`, then queue the I/O callbacks."""
        if self._virtual_now is not None and timeout:
            # Virtual time: look at the fds without waiting; if nothing can
            # happen before the next deadline, jump the clock there. The trace
            # shows one select() that waited `timeout` virtual seconds.
            rec = self._recorder
            if rec is not None:
                rec.select_enter(timeout, self._user_fds)
            ready_fds = self._poll_selector(0, record=False)
            if not ready_fds and not self._ready:
                if self._pending_jobs:  # a thread will call back at a real moment: wait for real
                    ready_fds = self._poll_selector(min(timeout, 0.05), record=False)
                else:
                    self._virtual_now += timeout
            if rec is not None:
                rec.select_leave(ready_fds)
            return
        if timeout == 0 and not self._user_fds:
            return  # nothing to poll and no reason to wait: skip the syscall
        self._poll_selector(timeout)


def _run_until_complete_cb(fut: Future) -> None:
    if not fut.cancelled():
        exc = fut.exception()
        if isinstance(exc, (SystemExit, KeyboardInterrupt)):
            return  # the loop is already unwinding with it
    fut.get_loop().stop()
