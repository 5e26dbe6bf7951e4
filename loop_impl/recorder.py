"""Recorder: how a loop writes the trace schema of trace.py.

Loops call a Recorder's methods only when one is attached (`loop.set_recorder`),
so an untraced loop pays one `is None` test per step. Each method encodes one
event into the trace's columns; the schema itself (what each field means) is
documented in trace.py, the one place that defines it.
"""

from __future__ import annotations

import threading
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any

from .reprs import describe_callback, describe_wait, shorten
from .trace import REQUEUED, Ev, Outcome, Trace, Why

__all__ = ("Recorder",)


class Recorder:
    """Receives a loop's events and stores them in a `Trace`.

    Loops call these methods only when a recorder is attached; each method
    encodes its arguments into one event. Objects (tasks, futures, timers)
    get small integer ids on first sight.
    """

    def __init__(self, clock: Callable[[], float] | None = None) -> None:
        self.trace = trace = Trace()
        # The five column appends, bound once (why: they run for every event).
        self._append_kind, self._append_t = trace._kind.append, trace._t.append
        self._append_task, self._append_a, self._append_b = trace._task.append, trace._a.append, trace._b.append
        self._clock: Callable[[], float] = clock or _no_clock
        self._t0 = 0.0
        self._t0_set = False
        if clock is not None:
            self._set_t0()
        self._next_id = 1
        self._foreign_ids: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.current_task = 0  # the task whose step is running, 0 between steps
        self._idle_window: dict[int, int] = {}  # task id -> index of its IDLE_POLL event
        self.iteration = 0
        # [task id] = 1 once the task has had its first step (why a byte per id, not a
        # set of ids: a set costs ~100 bytes a task, a tenth of a traced task's whole trace).
        self._started = bytearray(1024)
        self._owner: int | None = None  # the loop's thread (set at its first iteration)
        self._from_threads: deque = deque()  # events reported by other threads, not yet stored
        self._ready_sid = trace.intern("ready")  # what a step that waits for nothing ends with

    def attach_clock(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        if not self._t0_set:
            self._set_t0()

    def _set_t0(self) -> None:
        self._t0 = self._clock()
        self._t0_set = True
        self.trace.meta["clock_t0"] = self._t0

    def now(self) -> float:
        if not self._t0_set and self._clock is not _no_clock:
            self._set_t0()
        return self._clock() - self._t0

    def _emit(self, kind: int, task: int = 0, a: int = 0, b: int = 0) -> None:
        if self._idle_window:
            self._idle_window = {}
        self._append_kind(kind)
        self._append_t(self._clock() - self._t0)
        self._append_task(task)
        self._append_a(a)
        self._append_b(b)

    def _emit_from_any_thread(self, kind: int, task: int, a: int, b: int) -> None:
        """Another thread must not write the columns while the loop does: it
        leaves its event for the loop thread to store at its next look."""
        if self._owner is None or threading.get_ident() == self._owner:
            self._emit(kind, task, a, b)
        else:
            self._from_threads.append((kind, task, a, b))

    def _store_from_threads(self) -> None:
        pending = self._from_threads
        while pending:
            self._emit(*pending.popleft())

    def id_of(self, obj: Any) -> int:
        """A small, stable id for a task, future or timer (assigned on first sight)."""
        try:
            oid = obj._tl_id
        except AttributeError:
            oid = self._foreign_ids.get(obj, 0) if _weakrefable(obj) else 0
        else:
            if oid:
                return oid
        if oid:
            return oid
        oid = self._next_id
        self._next_id += 1
        try:
            obj._tl_id = oid
        except AttributeError:
            if _weakrefable(obj):
                self._foreign_ids[obj] = oid
        return oid

    # -- the loop's iteration ------------------------------------------
    def iteration_start(self, ready: int) -> None:
        if self._owner is None:
            self._owner = threading.get_ident()
        if self._from_threads:
            self._store_from_threads()
        self.iteration += 1
        self._emit(Ev.ITERATION, 0, self.iteration, ready)

    def select_enter(self, timeout: float | None, nfds: int) -> None:
        self._emit(Ev.SELECT_ENTER, 0, -1 if timeout is None else int(timeout * 1e9), nfds)

    def select_leave(self, ready: list[tuple[int, int]]) -> None:
        if self._from_threads:
            self._store_from_threads()  # what other threads did while we slept
        text = " ".join(f"{fd}{'r' if m & 1 else ''}{'w' if m & 2 else ''}" for fd, m in ready)
        self._emit(Ev.SELECT_LEAVE, 0, self.trace.intern(text), len(ready))

    def io_ready(self, fd: int, mask: int) -> None:
        self._emit(Ev.IO_READY, 0, fd, mask)

    def fd_watch(self, fd: int, mask: int) -> None:
        self._emit(Ev.FD_WATCH, self.current_task, fd, mask)

    # -- timers --------------------------------------------------------
    def timer_scheduled(self, timer: Any, when: float) -> None:
        tid = self.id_of(timer)
        callback = getattr(timer, "_callback", None)
        if callback is not None:
            args = timer._args or ()
            label = getattr(args[0], "_label", None) if args else None
            if getattr(callback, "__name__", "") == "_set_result_unless_cancelled" and label:
                text = f"end of {label}"  # sleep()'s timer: say what it is for
            else:
                text = describe_callback(callback, args)
            self.trace.meta.setdefault("timer_labels", {})[tid] = text
        self._emit(Ev.TIMER_SCHEDULED, self.current_task, tid, int(when * 1e9))

    def timer_fired(self, timer: Any) -> None:
        self._emit(Ev.TIMER_FIRED, 0, self.id_of(timer))

    def timer_cancelled(self, timer: Any) -> None:
        self._emit(Ev.TIMER_CANCELLED, self.current_task, self.id_of(timer))

    # -- the ready queue -----------------------------------------------
    def scheduled(self, task: Any, what: str | None, why: int) -> None:
        """`what` None: a task's own step or wakeup (named from the task, no string stored)."""
        tid = (getattr(task, "_tl_id", 0) or self.id_of(task)) if task is not None else 0
        sid = self.trace.intern(what) if what else 0
        if why == Why.THREADSAFE:
            self._emit_from_any_thread(Ev.SCHEDULED, tid, sid, why)
            return
        if self._idle_window:
            self._idle_window = {}
        self._append_kind(6)  # Ev.SCHEDULED
        self._append_t(self._clock() - self._t0)
        self._append_task(tid)
        self._append_a(sid)
        self._append_b(why)

    def skipped(self) -> None:
        self._emit(Ev.SKIPPED)

    def callback_start(self, what: str) -> None:
        self._emit(Ev.CALLBACK_START, 0, self.trace.intern(what))

    def callback_end(self) -> None:
        self._emit(Ev.CALLBACK_END)

    # -- tasks ---------------------------------------------------------
    def task_created(self, task: Any, name: str, parent: Any = None) -> None:
        tid = self.id_of(task)
        self.trace.task_names[tid] = name
        # `_coro` first (why: a Task subclass may report itself before Task.__init__ has run,
        # and C asyncio's get_coro() on an uninitialised Task dereferences NULL: a segfault).
        coro = task._coro if hasattr(task, "_coro") else getattr(task, "get_coro", lambda: None)()
        qualname = getattr(coro, "__qualname__", None) or getattr(coro, "__name__", None)
        if qualname:
            self.trace.meta.setdefault("coro_names", {})[tid] = qualname
        pid = self.id_of(parent) if parent is not None else 0
        self._emit(Ev.TASK_CREATED, tid, self.trace.store(name), pid)

    def task_renamed(self, task: Any, name: str) -> None:
        tid = self.id_of(task)
        self.trace.task_names[tid] = name
        self._emit(Ev.TASK_RENAMED, tid, self.trace.intern(name))

    # The three events of every task switch write their columns inline (why:
    # one Python call less per event; tracing must stay cheap enough to leave on).
    def step_start(self, task: Any, why: int, woken_by: Any = None) -> None:
        tid = getattr(task, "_tl_id", 0) or self.id_of(task)
        self.current_task = tid
        started = self._started
        if tid >= len(started) or not started[tid]:
            if tid >= len(started):
                started.extend(bytes(tid + 1024 - len(started)))
            started[tid] = 1
            why = Why.START
        if self._idle_window:
            self._idle_window = {}
        self._append_kind(8)  # Ev.STEP_START
        self._append_t(self._clock() - self._t0)
        self._append_task(tid)
        self._append_a(why)
        self._append_b(self.id_of(woken_by) if woken_by is not None else 0)

    def step_end(self, task: Any, waiting_on: str, future: Any = None, requeued: bool = False) -> None:
        """`requeued`: the step was a bare yield and the task is back in the ready queue (see trace.py)."""
        if self._idle_window:
            self._idle_window = {}
        self._append_kind(9)  # Ev.STEP_END
        self._append_t(self._clock() - self._t0)
        self._append_task(getattr(task, "_tl_id", 0) or self.id_of(task))
        self._append_a(self.trace.intern(waiting_on))
        self._append_b(REQUEUED if requeued else self.id_of(future) if future is not None else 0)
        self.current_task = 0

    def task_step_ended(self, task: Any, requeued: bool = False) -> None:
        """A loop_impl Task's step ended: what it now waits for, or how it ended."""
        state = task._state
        if state == "PENDING":  # (step_end inline: one Python call less per switch)
            waiter = task._fut_waiter
            if self._idle_window:
                self._idle_window = {}
            self._append_kind(9)  # Ev.STEP_END
            self._append_t(self._clock() - self._t0)
            self._append_task(getattr(task, "_tl_id", 0) or self.id_of(task))
            if waiter is None:
                self._append_a(self._ready_sid)
                self._append_b(REQUEUED if requeued else 0)
            else:
                self._append_a(self.trace.intern(describe_wait(waiter)))
                self._append_b(self.id_of(waiter))
            self.current_task = 0
            return
        self.step_end(task, "")
        if state == "CANCELLED":
            self.task_done(task, Outcome.CANCELLED, "cancelled")
        elif task._exception is not None:
            self.task_done(task, Outcome.RAISED, f"{type(task._exception).__name__}: {task._exception}")
        else:
            self.task_done(task, Outcome.RETURNED, shorten(repr(task._result)))

    def task_done(self, task: Any, outcome: int, detail: str) -> None:
        self._emit(Ev.TASK_DONE, self.id_of(task), outcome, self.trace.intern(detail))

    def future_done(self, future: Any, outcome: int) -> None:
        self._emit(Ev.FUTURE_DONE, self.current_task, self.id_of(future), outcome)

    # -- what the run shows the learner ---------------------------------
    def output(self, text: str) -> None:
        self._emit_from_any_thread(Ev.OUTPUT, self.current_task, self.trace.intern(text), 0)

    def blocked(self, task: Any, seconds: float) -> None:
        tid = self.id_of(task) if task is not None else 0
        self._emit(Ev.BLOCKED, tid, int(seconds * 1e9))

    def idle_poll(self, task: Any) -> None:
        """A poll that made no progress.

        Between two other events, each task's idle polls count into one
        IDLE_POLL event: a stretch of busy polling A, B, A, B, ... is stored as
        two events, "A polled n times" and "B polled m times".
        """
        tid = self.id_of(task)
        trace = self.trace
        index = self._idle_window.get(tid)
        if index is not None:
            trace._a[index] += 1
            return
        window = self._idle_window
        self._idle_window = {}  # _emit clears the window; keep ours
        self._emit(Ev.IDLE_POLL, tid, 1, 0)
        window[tid] = len(trace._kind) - 1
        self._idle_window = window

    def note(self, text: str) -> None:
        self._emit(Ev.NOTE, self.current_task, self.trace.intern(text))


def _no_clock() -> float:
    return 0.0


def _weakrefable(obj: Any) -> bool:
    try:
        weakref.ref(obj)
    except TypeError:
        return False
    return True
