"""Real asyncio, instrumented to report the same trace as loop_impl.

Nothing of asyncio is copied or replaced: its loop, Futures and (C) Tasks do
all the work. We only stand at the places where asyncio hands things over,
and report what passes to a `trace.Recorder`:

* the ready queue: `loop._ready` becomes a `RecordingDeque`. Everything the
  loop will run passes through `append` (a callback scheduled, a timer that
  fired, a task step) and `popleft` (it is about to run);
* a task's steps: `TracedTask` gives the Task a `TracedCoro`, a wrapper
  around the coroutine whose send/throw are the steps (asyncio_tasks.py);
* timers: `call_at` / `call_later` / `_timer_handle_cancelled`;
* waiting: the selector is a `TracedSelector`, so each `select()` is seen
  with its timeout and the fds that came back ready. Before blocking with
  no timeout it asks loop_impl's question: could anything ever wake us? If
  not, it raises loop_impl's `DeadlockError` (tasks wait) or stops the loop
  (`run_forever()` with nothing to do) instead of hanging;
* futures from `loop.create_future()` report when they are resolved, and are
  labelled with what they stand for (sleep, Lock, Queue.get, ...), read from
  the asyncio function that created them.

The loop, the wrapper and the recorder all live in one thread, the one that
runs the loop; appends from other threads (`call_soon_threadsafe`) are
reported when the loop wakes up.
"""

from __future__ import annotations

import asyncio
import collections
import selectors
import sys
import threading
import time
from asyncio import futures as aio_futures
from typing import Any

from loop_impl import diagnostics
from loop_impl.exceptions import DeadlockError
from loop_impl.trace import Why, describe_callback

from .asyncio_tasks import FIRST, TracedCoro, TracedFuture, TracedTask, describe_wait, label, label_by_creator
from .virtual_time import JobTracking, VirtualTimeMixin, VirtualTimeSelector, WrappedSelector

__all__ = ("InstrumentedLoop", "TracedTask", "TracedCoro", "ForeignStep", "describe_wait")


class RecordingDeque(collections.deque):
    """The loop's ready queue, reporting every entry that joins it and leaves it."""

    def __init__(self, loop: Any) -> None:
        super().__init__()
        self._loop = loop
        self._rec = loop._tl_recorder
        self.io_handles: set[int] = set()  # ids of fd callbacks the selector already reported
        self.foreign: list = []  # appended by other threads, reported when the loop wakes
        self._open: float | None = None  # start of the plain callback now running

    def append(self, handle: Any) -> None:
        super().append(handle)
        rec = self._rec
        if rec.thread_id != threading.get_ident():
            self.foreign.append(handle)
        elif isinstance(handle, asyncio.TimerHandle):
            rec.timer_fired(handle)
        elif id(handle) in self.io_handles:
            self.io_handles.discard(id(handle))
        else:
            self.report_scheduled(handle, Why.CALLBACK)

    def report_scheduled(self, handle: Any, why: int) -> None:
        callback = handle._callback
        task = getattr(callback, "__self__", None)
        wrapper = getattr(task, "_coro", None) if isinstance(task, TracedTask) else None
        if isinstance(wrapper, TracedCoro):
            name = task.get_name()
            if getattr(callback, "__name__", "") == "task_wakeup":
                self._rec.scheduled(task, f"{name}.wakeup", Why.WAKEUP)
            elif wrapper._last is FIRST:
                self._rec.scheduled(task, f"{name}.step", Why.START)
            elif wrapper._last is None:
                pass  # after a bare yield: its STEP_END was this push (see trace.py, REQUEUED)
            else:
                self._rec.scheduled(task, f"{name}.step", Why.THROW)
        else:  # (an asyncio Task made without the loop, `asyncio.Task(...)`, is traced as on loop_impl's loop)
            diagnostics.trace_scheduled(self._rec, callback, handle._args, why)

    def popleft(self) -> Any:
        handle = super().popleft()
        self.end_callback()
        rec = self._rec
        if handle._cancelled:
            rec.skipped()
            return handle
        owner = getattr(handle._callback, "__self__", None)
        if isinstance(getattr(owner, "_coro", None), TracedCoro):
            return handle  # (a task step reports its own STEP_START, from TracedCoro)
        # A Task the loop did not make (aiohttp makes `asyncio.Task(..., eager_start=True)`):
        # its steps are recorded around the handle, as loop_impl's loop records a hosted one.
        foreign = diagnostics._task_of_callback(handle._callback) if owner is not None else None
        if foreign is not None:
            return ForeignStep(handle, foreign[0], foreign[1], rec)
        rec.callback_start(describe_callback(handle._callback, handle._args))
        self._open = time.perf_counter()
        return handle

    def end_callback(self) -> None:
        """The plain callback popped last has returned (we learn it at the next pop or select)."""
        started = self._open
        if started is not None:
            self._open = None
            self._rec.callback_end()
            elapsed = time.perf_counter() - started
            if elapsed >= self._loop.slow_callback_duration:
                self._rec.blocked(None, elapsed)


class ForeignStep:
    """The ready queue's handle for one step of a Task the loop did not make: run, it is
    recorded as a step (everything else, `_cancelled` and what a debug log reads, is the handle's)."""

    __slots__ = ("_handle", "_task", "_why", "_rec")

    def __init__(self, handle: Any, task: Any, why: int, rec: Any) -> None:
        self._handle, self._task, self._why, self._rec = handle, task, why, rec

    def _run(self) -> None:
        diagnostics.run_foreign_step(self._handle, self._task, self._why, self._rec)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __repr__(self) -> str:
        return repr(self._handle)


class TracedSelector(WrappedSelector):
    """The loop's selector: reports iterations, select() calls, ready fds and registrations."""

    def __init__(self, inner: selectors.BaseSelector) -> None:
        super().__init__(inner)
        self._self_fd = -1

    def bind(self, loop: Any) -> None:
        self._loop = loop
        # The self-pipe: the loop's own, never reported (none in the browser, see browser.py).
        self._self_fd = loop._ssock.fileno() if loop._ssock is not None else -1

    def _watch(self, key: selectors.SelectorKey, mask: int) -> None:
        loop = self._loop
        if loop is not None and key.fd != self._self_fd and loop._tl_recorder.thread_id == threading.get_ident():
            loop._tl_recorder.fd_watch(key.fd, mask)

    def register(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        key = self._inner.register(fileobj, events, data)
        self._watch(key, events)
        return key

    def unregister(self, fileobj: Any) -> selectors.SelectorKey:
        key = self._inner.unregister(fileobj)
        self._watch(key, 0)
        return key

    def modify(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        key = self._inner.modify(fileobj, events, data)
        self._watch(key, events)
        return key

    def select(self, timeout: float | None = None) -> list:
        loop = self._loop
        rec = loop._tl_recorder
        ready = loop._ready
        ready.end_callback()
        rec.iteration_start(len(ready))
        user_fds = len(self._inner.get_map()) - (self._self_fd >= 0)
        if timeout is None and not user_fds and not loop._tl_jobs_pending():
            if not diagnostics.threads_could_call_in(loop, main_thread_waits=True):
                loop._tl_stuck()
                return []
        # asyncio polls even when there is nothing to poll; loop_impl skips that
        # syscall, and so does the trace (why: the two traces stay comparable).
        quiet = timeout == 0 and not user_fds
        if not quiet:
            rec.select_enter(timeout, user_fds)
        events = self._inner.select(timeout)
        io = [(key.fd, mask) for key, mask in events if key.fd != self._self_fd]
        if not quiet:
            rec.select_leave(io)
        if ready.foreign:
            foreign, ready.foreign = ready.foreign, []
            for handle in foreign:
                ready.report_scheduled(handle, Why.THREADSAFE)
        for key, mask in events:
            if key.fd == self._self_fd:
                continue
            reader, writer = key.data
            # Readers before writers, as the loop queues them (asyncio's _process_events).
            if mask & selectors.EVENT_READ and reader is not None and not reader._cancelled:
                ready.io_handles.add(id(reader))
                rec.io_ready(key.fd, selectors.EVENT_READ)
            if mask & selectors.EVENT_WRITE and writer is not None and not writer._cancelled:
                ready.io_handles.add(id(writer))
                rec.io_ready(key.fd, selectors.EVENT_WRITE)
        return events


class InstrumentedLoop(VirtualTimeMixin, JobTracking, asyncio.SelectorEventLoop):
    """asyncio's SelectorEventLoop, reporting to `recorder` (see the module docstring);
    on a virtual clock if `virtual_time` (see virtual_time.py)."""

    # A future a socket operation waits on is named as loop_impl names it ("read fd 7")
    # (why: else a --compare shows the same wait as "read fd 7" in one run, "Future" in the other).
    def _add_reader(self, fd: Any, callback: Any, *args: Any) -> Any:
        _label_fd_future(args, "accept" if "accept" in getattr(callback, "__name__", "") else "read", fd)
        return super()._add_reader(fd, callback, *args)

    def _add_writer(self, fd: Any, callback: Any, *args: Any) -> Any:
        _label_fd_future(args, "connect" if "connect" in getattr(callback, "__name__", "") else "write", fd)
        return super()._add_writer(fd, callback, *args)

    def __init__(self, recorder: Any, *, virtual_time: bool = False) -> None:
        self._tl_recorder = recorder
        self._tl_run_until: Any = None
        recorder.thread_id = threading.get_ident()
        inner: selectors.BaseSelector = selectors.DefaultSelector()
        if virtual_time:
            self._virtual_now = 0.0
            inner = VirtualTimeSelector(inner)
        selector = TracedSelector(inner)
        super().__init__(selector)
        if virtual_time:
            inner.bind(self)
        self._ready = RecordingDeque(self)  # empty still: the self-pipe adds a reader, not a callback
        selector.bind(self)
        recorder.attach_clock(self.time)

    # -- tasks and futures ----------------------------------------------------------
    def create_task(self, coro: Any, *, name: Any = None, context: Any = None) -> asyncio.Task:
        if self.get_task_factory() is not None:
            return super().create_task(coro, name=name, context=context)
        self._check_closed()
        return TracedTask(coro, loop=self, name=name, context=context)

    def create_future(self) -> asyncio.Future:
        future = TracedFuture(loop=self)
        label_by_creator(future, sys._getframe(1))
        return future

    # -- timers -----------------------------------------------------------------------
    def call_later(self, delay: float, callback: Any, *args: Any, context: Any = None) -> asyncio.TimerHandle:
        if callback is aio_futures._set_result_unless_cancelled and args:
            label(args[0], f"sleep {delay:g}")  # asyncio.sleep's future: say so
        return super().call_later(delay, callback, *args, context=context)

    def call_at(self, when: float, callback: Any, *args: Any, context: Any = None) -> asyncio.TimerHandle:
        timer = super().call_at(when, callback, *args, context=context)
        rec = self._tl_recorder
        if rec.thread_id == threading.get_ident():
            rec.timer_scheduled(timer, when)
        return timer

    def _timer_handle_cancelled(self, handle: Any) -> None:
        if handle._scheduled and self._tl_recorder.thread_id == threading.get_ident():
            self._tl_recorder.timer_cancelled(handle)
        super()._timer_handle_cancelled(handle)

    # -- running ------------------------------------------------------------------------
    def run_forever(self) -> None:
        self._threads_at_start = {t.ident for t in threading.enumerate()}  # see _tl_stuck
        self._tl_recorder.thread_id = threading.get_ident()
        try:
            super().run_forever()
        finally:
            self._ready.end_callback()

    def run_until_complete(self, future: Any) -> Any:
        self._check_closed()
        self._check_running()  # (before wrapping a coroutine in a task, as asyncio checks)
        new_task = not asyncio.isfuture(future)
        self._tl_run_until = future = asyncio.ensure_future(future, loop=self)
        try:
            return super().run_until_complete(future)
        except BaseException:
            if new_task and future.done() and not future.cancelled():
                future.exception()  # it propagates: not "never retrieved" (asyncio's rule)
            raise
        finally:
            self._tl_run_until = None

    def _tl_stuck(self) -> None:
        """Nothing is ready, no timer is set, no fd or thread could wake the loop."""
        waiting = sorted(asyncio.all_tasks(self), key=diagnostics.task_number)
        main = self._tl_run_until
        if waiting or (main is not None and not main.done()):
            report = diagnostics.deadlock_report(waiting, main, describe_wait)
            self._tl_recorder.note(report)
            raise DeadlockError(report)
        message = diagnostics.idle_forever_message()
        self._tl_recorder.note(message)
        diagnostics.notes.warning("%s", message, extra=diagnostics.NOTE)
        self.stop()


def _label_fd_future(args: tuple, how: str, fd: Any) -> None:
    if args and isinstance(args[0], asyncio.Future) and not args[0].done():
        label(args[0], f"{how} fd {fd if isinstance(fd, int) else fd.fileno()}")
