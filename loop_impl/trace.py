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
    STEP_END         task, a=sid of what it now waits for ("" when done), b=future id,
                     or REQUEUED (-1): a bare yield, the task is queued again at the
                     back (this event is that push: no SCHEDULED for it, why: a third
                     of the events of every sleep(0) switch)
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
trace's axis), "coro_names" (task id -> its coroutine's qualname),
"timer_labels" (timer id -> its callback's description) and "view_pauses"
((t, seconds) per pause of the run while a live view drew it, on the trace's clock).

Ready-queue replay: SCHEDULED, IO_READY, TIMER_FIRED and a STEP_END with
b=REQUEUED push one entry onto a FIFO; STEP_START (from the queue),
CALLBACK_START and SKIPPED pop one. A view
can rebuild the ready queue, the timer heap (TIMER_* events) and the
selector's registrations (FD_WATCH) at any iteration from the log alone.

`Recorder` (recorder.py) writes this schema; loops call it only when one is
attached. Storage is compact: one typed array per field, 29 bytes per event; runs of identical idle polls collapse
into one event. With no recorder attached a loop pays one `is None` check.
"""

from __future__ import annotations

import enum
from array import array
from collections.abc import Iterator
from typing import Any, NamedTuple

from .reprs import describe_callback  # re-exported: a trace's callback descriptions

__all__ = ("Ev", "Why", "Outcome", "Event", "Trace", "Recorder", "describe_callback", "REQUEUED", "pushes_ready")


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


REQUEUED = -1  # STEP_END's b after a bare yield: the task queued itself again


def pushes_ready(kind: int, b: int) -> bool:
    """Whether an event puts an entry on the ready queue (the replay rule above)."""
    return kind == Ev.SCHEDULED or kind == Ev.IO_READY or kind == Ev.TIMER_FIRED or (kind == Ev.STEP_END and b == REQUEUED)


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
        self._own_labels: dict[tuple[str, int], str] = {}  # scheduled_label's "Task-1.step" strings
        self.meta: dict[str, Any] = {}

    # -- writing --------------------------------------------------------
    def intern(self, text: str) -> int:
        sid = self._string_ids.get(text)
        if sid is None:
            # The string first, then its id (why: a stop can land between the two; this
            # way round it leaves a spare string, never an id that points past the list).
            self.strings.append(text)
            sid = self._string_ids[text] = len(self.strings) - 1
        return sid

    def store(self, text: str) -> int:
        """Like intern(), but without looking for an equal string first (why: for task
        names, unique in practice, the lookup table's entry would cost more than the name)."""
        self.strings.append(text)
        return len(self.strings) - 1

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
        if a or not task:  # (a task's own step: a SCHEDULED with a=0, or a STEP_END that requeued it)
            return self.strings[a]
        name = self.task_names.get(task, f"task {task}")
        # One string per task and kind (why: a million switches would otherwise make a million copies).
        label = self._own_labels.get((name, why))
        if label is None:
            label = self._own_labels[(name, why)] = f"{name}.{'wakeup' if why == Why.WAKEUP else 'step'}"
        return label

    def tail(self, events: int) -> Trace:
        """The latest `events` events or so, as a trace of their own: from the first
        ITERATION among them, if any (strings, task names and meta shared, not copied).
        meta["first_event"] says where it starts in this one."""
        start = max(0, len(self._kind) - events)
        if start:
            try:
                start = self._kind.index(Ev.ITERATION, start)
            except ValueError:
                pass  # (no iteration starts there, e.g. the generator loop's: cut where it falls)
        part = Trace()
        part._kind, part._t, part._task, part._a, part._b = (
            c[start:] for c in (self._kind, self._t, self._task, self._a, self._b)
        )
        part.strings, part._string_ids, part.task_names, part._own_labels = (
            self.strings, self._string_ids, self.task_names, self._own_labels,
        )  # fmt: skip
        part.meta = {**self.meta, "first_event": start}
        return part

    def nbytes(self) -> int:
        """Bytes held by the packed event columns (the string table aside)."""
        cols = (self._kind, self._t, self._task, self._a, self._b)
        return sum(c.itemsize * len(c) for c in cols)


# The writer of this schema. (At the end: recorder.py imports the names above.)
from .recorder import Recorder  # noqa: E402
