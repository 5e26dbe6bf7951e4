"""The trace schema: every event a loop reports, in one place.

Every backend (loop_impl's loop, the generator loop, instrumented real
asyncio) reports to a `Recorder`, and every view (timeline widget, static
SVG, text lanes, Chrome trace export) reads the `Trace` it fills. Nothing
else defines an event.

An event is five numbers::

    kind  what happened (an `Ev` member)
    t     loop time, in seconds since the recorder was attached
    task  the task it concerns (a task id, 1, 2, ...), or 0 for the loop itself
    a, b  two integers whose meaning depends on `kind` (the table below);
          "sid" means an index into the trace's string table

The events, in the order a loop iteration produces them::

    ITERATION        a=iteration number, b=length of the ready queue
    SELECT_ENTER     a=timeout in ns (-1: block until an fd is ready), b=fds watched
    SELECT_LEAVE     a=sid of the ready fds ("7r 8w"), b=number ready
    IO_READY         a=fd, b=mask (1 read, 2 write): its callback joins the ready queue
    TIMER_FIRED      a=timer id: its callback joins the ready queue
    SCHEDULED        task=the task to step (0 for a plain callback), a=sid of the
                     callback's description (0 for a task's own step or wakeup:
                     see Trace.scheduled_label), b=why (a `Why` member)
    SKIPPED          a cancelled handle left the front of the ready queue unrun
    STEP_START       task, a=cause (a `Why` member), b=future id that woke it (0: none)
    STEP_END         task, a=sid of what it now waits for ("" when done), b=future id
    TASK_CREATED     task, a=sid of its name, b=id of the creating task (0: none)
    TASK_DONE        task, a=outcome (an `Outcome` member), b=sid of result/exception
    TASK_RENAMED     task, a=sid of the new name
    CALLBACK_START   a=sid of the callback's description
    CALLBACK_END     (no fields)
    FUTURE_DONE      task=the task running when it was resolved (0: a callback or the
                     loop), a=future id, b=outcome
    TIMER_SCHEDULED  a=timer id, b=deadline in ns of loop time, task=the task that asked
    TIMER_CANCELLED  a=timer id
    FD_WATCH         a=fd, b=mask now watched (0: no longer watched)
    OUTPUT           task=the task (or 0) that printed, a=sid of the text
    BLOCKED          task=the task (or 0) whose step held the loop, a=duration in ns
    IDLE_POLL        task=the polled task, a=how many identical polls in a row
    NOTE             a=sid of a message (deadlock report, interrupt, timeout, ...)

Beside the events, `Trace.meta` holds what has no room in five numbers:
"clock_t0" (the loop clock's reading at t=0, to place timer deadlines on the
trace's axis), "coro_names" (task id -> its coroutine's qualname) and
"timer_labels" (timer id -> its callback's description).

Ready-queue replay: SCHEDULED, IO_READY and TIMER_FIRED push one entry onto a
FIFO; STEP_START (from the queue), CALLBACK_START and SKIPPED pop one. A view
can rebuild the ready queue, the timer heap (TIMER_* events) and the
selector's registrations (FD_WATCH) at any iteration from the log alone.

Storage is compact: one typed array per field, 29 bytes per event; runs of identical idle polls collapse
into one event. With no recorder attached a loop pays one `is None` check.
"""

from __future__ import annotations

import enum
import re
import threading
import weakref
from array import array
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

__all__ = ("Ev", "Why", "Outcome", "Event", "Trace", "Recorder", "describe_callback")


class Ev(enum.IntEnum):
    ITERATION = 1
    SELECT_ENTER = 2
    SELECT_LEAVE = 3
    IO_READY = 4
    TIMER_FIRED = 5
    SCHEDULED = 6
    SKIPPED = 7
    STEP_START = 8
    STEP_END = 9
    TASK_CREATED = 10
    TASK_DONE = 11
    TASK_RENAMED = 12
    CALLBACK_START = 13
    CALLBACK_END = 14
    FUTURE_DONE = 15
    TIMER_SCHEDULED = 16
    TIMER_CANCELLED = 17
    FD_WATCH = 18
    OUTPUT = 19
    BLOCKED = 20
    IDLE_POLL = 21
    NOTE = 22


class Why(enum.IntEnum):
    """Why a task step or a callback was put on the ready queue."""

    START = 1  # a new task's first step
    YIELD = 2  # the task yielded bare (sleep(0)) and goes to the back of the queue
    WAKEUP = 3  # a future the task awaited was resolved
    THROW = 4  # the loop throws an error into the task (bad yield, cancellation)
    CALLBACK = 5  # call_soon of a plain callback
    THREADSAFE = 6  # call_soon_threadsafe, from another thread
    POLL = 7  # the generator loop polls a task again


class Outcome(enum.IntEnum):
    RETURNED = 0
    RAISED = 1
    CANCELLED = 2


class Event(NamedTuple):
    kind: Ev
    t: float
    task: int
    a: int
    b: int


class Trace:
    """The events of one run, stored column by column, and its string table."""

    def __init__(self) -> None:
        # One typed array per field (why: 29 bytes an event, nothing for the
        # garbage collector to scan, and an append is cheaper than a tuple).
        self._kind = array("B")
        self._t = array("d")
        self._task = array("I")
        self._a = array("q")
        self._b = array("q")
        self.strings: list[str] = [""]
        self._string_ids: dict[str, int] = {"": 0}
        self.task_names: dict[int, str] = {}
        self.meta: dict[str, Any] = {}

    # -- writing --------------------------------------------------------
    def intern(self, text: str) -> int:
        sid = self._string_ids.get(text)
        if sid is None:
            sid = self._string_ids[text] = len(self.strings)
            self.strings.append(text)
        return sid

    def append(self, kind: int, t: float, task: int, a: int, b: int) -> None:
        self._kind.append(kind)
        self._t.append(t)
        self._task.append(task)
        self._a.append(a)
        self._b.append(b)

    def _flush(self) -> None:
        """Nothing is buffered any more; kept for readers that call it."""

    # -- reading --------------------------------------------------------
    def __len__(self) -> int:
        return len(self._kind)

    def __iter__(self) -> Iterator[Event]:
        kinds = [Ev(k) for k in range(1, len(Ev) + 1)]
        for k, t, task, a, b in zip(self._kind, self._t, self._task, self._a, self._b):
            yield Event(kinds[k - 1], t, task, a, b)

    def __getitem__(self, i: int) -> Event:
        return Event(Ev(self._kind[i]), self._t[i], self._task[i], self._a[i], self._b[i])

    def string(self, sid: int) -> str:
        return self.strings[sid]

    def scheduled_label(self, task: int, a: int, why: int) -> str:
        """What a SCHEDULED event queued: its description, or a task's own step."""
        if a or not task:
            return self.strings[a]
        name = self.task_names.get(task, f"task {task}")
        return f"{name}.{'wakeup' if why == Why.WAKEUP else 'step'}"

    def nbytes(self) -> int:
        """Bytes held by the packed event columns (the string table aside)."""
        cols = (self._kind, self._t, self._task, self._a, self._b)
        return sum(c.itemsize * len(c) for c in cols)

    def kinds(self) -> list[Ev]:
        return [e.kind for e in self]


def describe_callback(callback: Callable[..., Any], args: tuple = ()) -> str:
    """A short, stable name for a callback: `Task.__wakeup`, `on_timer(1, 2)`."""
    func = getattr(callback, "func", None)  # functools.partial
    if func is not None and hasattr(callback, "args"):
        return describe_callback(func, tuple(callback.args) + tuple(args))
    name = getattr(callback, "__qualname__", None) or getattr(callback, "__name__", None)
    if name is None:
        name = type(callback).__name__
    if args:
        shown = ", ".join(_short_repr(a) for a in args[:3])
        if len(args) > 3:
            shown += ", ..."
        return f"{name}({shown})"
    return f"{name}()"


def _short_repr(value: Any) -> str:
    """Stable across runs: no memory addresses, tasks and futures by name."""
    get_name = getattr(value, "get_name", None)
    if get_name is not None and hasattr(value, "_asyncio_future_blocking"):
        return f"<Task {get_name()}>"
    if hasattr(value, "_asyncio_future_blocking"):
        label = getattr(value, "_label", None)
        return f"<{type(value).__name__} {label}>" if label else f"<{type(value).__name__}>"
    text = _ADDRESS.sub("", repr(value))
    return text if len(text) <= 40 else text[:37] + "..."


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


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
        self._started: set[int] = set()  # tasks that have had their first step
        self._owner: int | None = None  # the loop's thread (set at its first iteration)
        self._from_threads: deque = deque()  # events reported by other threads, not yet stored

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
            self.trace.meta.setdefault("timer_labels", {})[tid] = describe_callback(callback, timer._args or ())
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
        self._emit(Ev.TASK_CREATED, tid, self.trace.intern(name), pid)

    def task_renamed(self, task: Any, name: str) -> None:
        tid = self.id_of(task)
        self.trace.task_names[tid] = name
        self._emit(Ev.TASK_RENAMED, tid, self.trace.intern(name))

    # The three events of every task switch write their columns inline (why:
    # one Python call less per event; tracing must stay cheap enough to leave on).
    def step_start(self, task: Any, why: int, woken_by: Any = None) -> None:
        tid = getattr(task, "_tl_id", 0) or self.id_of(task)
        self.current_task = tid
        if tid not in self._started:
            self._started.add(tid)
            why = Why.START
        if self._idle_window:
            self._idle_window = {}
        self._append_kind(8)  # Ev.STEP_START
        self._append_t(self._clock() - self._t0)
        self._append_task(tid)
        self._append_a(why)
        self._append_b(self.id_of(woken_by) if woken_by is not None else 0)

    def step_end(self, task: Any, waiting_on: str, future: Any = None) -> None:
        if self._idle_window:
            self._idle_window = {}
        self._append_kind(9)  # Ev.STEP_END
        self._append_t(self._clock() - self._t0)
        self._append_task(getattr(task, "_tl_id", 0) or self.id_of(task))
        self._append_a(self.trace.intern(waiting_on))
        self._append_b(self.id_of(future) if future is not None else 0)
        self.current_task = 0

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
