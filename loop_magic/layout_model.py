"""The shapes a timeline layout is made of, and how bars merge at a zoom.

`layout.build_layout` fills these from a trace; every view (text, SVG,
Chrome trace, widget) reads them. They are plain data: a renderer needs no
knowledge of the trace's events.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

__all__ = ("Lane", "States", "Bar", "Gap", "Wake", "Iteration", "Timer", "Layout", "DEFAULT_WIDTH", "mark_cleanup")

DEFAULT_WIDTH = 960  # pixels the default rendering spans; bars are merged below one pixel of it


class States:
    """A task's state through the trace: (event index, state) each time it changed,
    packed (why: a task changes state twice a step; as tuples that was ~170 bytes a step)."""

    __slots__ = ("evs", "texts")

    def __init__(self) -> None:
        self.evs = array("q")
        self.texts: list[str] = []

    def add(self, ev: int, text: str) -> None:
        self.evs.append(ev)
        self.texts.append(text)

    def at(self, ev: int) -> str:
        """The last state set before event index `ev` ("" if none yet)."""
        k = bisect_left(self.evs, ev) - 1  # (a state set at `ev` itself comes after it)
        return self.texts[k] if k >= 0 else ""

    def __len__(self) -> int:
        return len(self.evs)


@dataclass(slots=True)
class Lane:
    id: int  # task id (0: the loop)
    name: str  # the task's name, as get_name() last said
    coro: str = ""  # the coroutine's qualname, when the recorder kept it
    label: str = ""  # the name narration uses: the task's own name ("event loop" for lane 0)
    parent: int = 0
    created_t: float = 0.0
    created_iter: int = 0
    created_x: float = 0.0  # where it was created on the iteration axis (the end of the creating step)
    end: str = ""  # "returned" / "raised" / "cancelled", "" while running
    end_detail: str = ""  # the result's repr or the exception
    end_t: float = 0.0
    nbars: int = 0
    # (event index, state) each time the task's state changed: "ready", "running", "waiting on X", "done: ..."
    states: States = field(default_factory=States)


class Bar:
    """One task step or loop callback, where it sits on both axes and what it did.

    The fields every step has are slots; the ones few steps set are class-level
    defaults, stored in the instance's own dict only when set (why: a million-step
    layout, about 60 bytes a step less).
    """

    __slots__ = (
        "lane",  # the task's lane (0: the loop)
        "kind",  # "step" (a task step) or "callback" (a plain callback, on the loop lane)
        "t0", "t1",  # when it began and ended (trace time)
        "iteration",
        "x0", "x1",  # on the iteration axis, in iteration units
        "why",  # for steps: start / yield / wakeup / throw / poll
        "cause",  # what woke it, in words
        "desc",  # for callbacks: the callback's description
        "resumed",  # what the task had waited for before this step ("" for a first step)
        "resumed_fid",
        "wait",  # what it waits for after this step ("ready" after a bare yield, "" when it ended)
        "wait_fid",
        "scheduled",  # (task id or 0, description) of what it put on the ready queue (read-only)
        "origin",  # for callbacks: what queued it (see _origin_text)
        "__dict__",  # the rarely set ones below, when set
    )  # fmt: skip

    end: str = ""  # returned / raised / cancelled when the task ended in this step
    end_detail: str = ""
    outputs: list | None = None  # lines printed during this step
    created: list | None = None  # task ids created during it
    resolved: list | None = None  # (future id, outcome) it resolved
    # For a step that ended its task: how many `scheduled` entries came before (the rest are its done callbacks).
    done_at: int = -1
    blocked: float = 0.0  # seconds it held the loop, when reported as blocking
    cleanup: bool = False  # a step of the clean-up after a deadlock: the loop cancelling a stuck task
    count: int = 1  # how many bars this one stands for (after merging)

    def __init__(
        self, lane: int, kind: str, t0: float, t1: float, iteration: int, x0: float = 0.0, x1: float = 0.0,
        why: str = "", cause: str = "", desc: str = "", resumed: str = "", resumed_fid: int = 0, wait: str = "",
        wait_fid: int = 0, scheduled: Any = None, origin: tuple = (), **rare: Any,
    ) -> None:  # fmt: skip
        self.lane, self.kind, self.t0, self.t1, self.iteration, self.x0, self.x1 = lane, kind, t0, t1, iteration, x0, x1
        self.why, self.cause, self.desc, self.resumed, self.resumed_fid = why, cause, desc, resumed, resumed_fid
        self.wait, self.wait_fid, self.scheduled, self.origin = wait, wait_fid, scheduled, origin
        for name, value in rare.items():
            if not hasattr(Bar, name) or name in Bar.__slots__:
                raise TypeError(f"Bar() got an unexpected keyword argument {name!r}")
            if value != getattr(Bar, name):
                setattr(self, name, value)

    def __repr__(self) -> str:
        return f"Bar({self.kind} lane={self.lane} iteration={self.iteration} t={self.t0:.6f}..{self.t1:.6f} wait={self.wait!r})"


@dataclass(slots=True, eq=False)
class Gap:
    lane: int
    before: Bar  # the step that ended with the wait
    after: Bar | None  # the step the wait ended with (None: still waiting at the end)
    label: str  # what the task waited for
    fid: int = 0
    cause: str = ""  # what woke it


@dataclass(slots=True, eq=False)
class Wake:
    source: Bar | None  # the bar in which the future was resolved (None: the loop, outside any bar)
    target: Bar  # the step it woke
    cause: str
    t: float  # when the future was resolved


@dataclass(slots=True, eq=False)
class Iteration:
    n: int
    t0: float
    t1: float
    ev0: int  # index of its ITERATION event
    ev1: int = 0  # index one past its last event
    ready_len: int = 0  # length of the ready queue when it began
    snap_ev: int = 0  # event index of the state panel's snapshot: after select and timers, before the first pop
    ready_lo: int = 0  # the ready queue at the snapshot: pushes[ready_lo:ready_hi]
    ready_hi: int = 0
    select_timeout: float | None = -1.0  # -1: no select; None: blocked until an fd was ready
    select_t0: float = 0.0
    select_t1: float = 0.0
    wait_t1: float = 0.0  # when the loop phase (select, timers) ended: the first pop, or the iteration's end
    io: list | None = None  # "7r" fds reported ready
    fired: list | None = None  # timer ids that fired
    pops: list = field(default_factory=list)  # bars in the order the loop ran them (None: a skipped handle)
    idle: dict | None = None  # task id -> idle polls counted in this iteration
    notes: list | None = None
    col: float = 0.0  # its left edge on the iteration axis (collapsed idle runs share a column)


@dataclass(slots=True, eq=False)
class Timer:
    id: int
    deadline: float  # loop-clock seconds (see Layout.clock_t0 to place it on the trace's axis)
    task: int  # the task that set it (0: a callback or the program)
    set_ev: int  # event index of TIMER_SCHEDULED
    end_ev: int = -1  # event index of TIMER_FIRED / TIMER_CANCELLED (-1: still set at the end)
    state: str = ""  # "fired" / "cancelled"
    end_t: float = 0.0
    desc: str = ""  # its callback, once the loop ran it


@dataclass(slots=True, eq=False)
class Layout:
    lanes: dict[int, Lane]
    bars: list[Bar]
    wakes: list[Wake]
    iterations: list[Iteration]
    outputs: list[tuple[float, int, int, str]]  # (t, lane, iteration, text), in order
    notes: list[tuple[float, int, str]]  # (t, iteration, text)
    idle_polls: list[list]  # [lane, iteration, t0, t1, polls] per IDLE_POLL: a task polled in vain `polls` times
    pushes: list[tuple[int, str, tuple]]  # every ready-queue push: (task id, description, origin)
    timers: dict[int, Timer]
    fd_changes: list[tuple[int, int, int, int]]  # (event index, fd, mask, task)
    t_end: float = 0.0
    clock_t0: float = 0.0  # the loop clock's reading at trace time 0 (timer deadlines are on the loop clock)
    view_pauses: list = field(default_factory=list)  # (t0, t1): the run paused while a live view drew it
    ncols: float = 0.0  # width of the iteration axis
    prelude: list = field(default_factory=list)  # tasks created before the first iteration
    by_lane: dict = field(default_factory=dict)  # lane id -> its bars, in order
    trace: Any = None
    _frames: Any = None
    _visible: dict = field(default_factory=dict)  # (lane, axis) -> {width: segments.visible_bars' answer}

    def lane_order(self) -> list[Lane]:
        """The loop lane first, then tasks in creation order."""
        return [self.lanes[k] for k in sorted(self.lanes)]

    def frames(self) -> Any:
        """Per-iteration state panels and narration (built on first use)."""
        if self._frames is None:
            from .frames import Frames

            self._frames = Frames(self)
        return self._frames

    @property
    def gaps(self) -> list[Gap]:
        """Every wait between two steps of a task (or after its last), in the order they began."""
        found = []
        for lane, bars in self.by_lane.items():
            if lane == 0:
                continue
            for bar, after in zip(bars, [*bars[1:], None], strict=True):
                if bar.wait:
                    found.append(Gap(lane, bar, after, bar.wait, bar.wait_fid, after.cause if after is not None else ""))
        found.sort(key=lambda gap: gap.before.t1)
        return found

    def position(self, bar: Bar, axis: str) -> tuple[float, float]:
        return (bar.t0, bar.t1) if axis == "time" else (bar.x0, bar.x1)

    def extent(self, axis: str) -> float:
        return self.t_end if axis == "time" else self.ncols


def mark_cleanup(bars: list[Bar], notes: list[tuple[float, int, str]]) -> None:
    """Mark the steps after a deadlock was reported: they are the loop cancelling the stuck
    tasks, not the program going on (why: drawn as ordinary wake-ups they would tell a story
    of tasks woken by what they waited for)."""
    found = next((t for t, _n, text in notes if text.startswith("deadlock")), None)
    if found is None:
        return
    for bar in bars:
        if bar.kind == "step" and bar.t0 >= found:
            bar.cleanup = True
