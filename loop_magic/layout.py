"""The timeline's layout: one pass over a trace gives everything the views draw.

A trace (`loop_impl/trace.py`, the one schema) is a flat log of small events.
A picture needs more: which step each printed line belongs to, what a task
waited for between two steps, what woke it, where each step sits on the two
axes. `build_layout(trace)` works all of that out once; the text lanes, the
static SVG, the Chrome trace export and the widget all read the `Layout` and
never the raw events (why: one place decides what the picture says, so the
views cannot disagree).

What a Layout holds
-------------------
* `lanes`: lane 0 is the loop itself, then one per task in creation order.
* `bars`: one per task step or loop callback (`kind` "step" or "callback"),
  with its times, its iteration and its place inside it, the lines printed
  during it, why it ran and what woke it.
* `gaps`: the stretch between two steps of one task, labelled with what the
  task waited for (the STEP_END text: "sleep 0.5", "Task worker", "Lock");
  made from the bars when asked (why: one object per switch that few views read).
* `wakes`: from the bar that resolved a future to the bar it woke, with the
  cause in words ("timer fired", "fd 7 ready", "future resolved by task X").
* `iterations`: the second axis. Every iteration is one unit wide; its pops
  share that unit. Runs of iterations that only polled idle tasks share one.
* per-iteration state panels and the narration of control transfers come
  from `frames.py` and `narration.py`, built lazily from this layout.

Scale: the pass is linear and allocates one object per step; `visible_bars`
merges what would be narrower than a pixel, so a 100k-event trace lays out
and draws quickly.
"""

from __future__ import annotations

from typing import Any

from loop_impl.diagnostics import collector_paused
from loop_impl.trace import REQUEUED, Ev, Outcome, Why

from .layout_model import DEFAULT_WIDTH, Bar, Gap, Iteration, Lane, Layout, Timer, Wake, mark_cleanup
from .segments import visible_bars

__all__ = ("Lane", "Bar", "Gap", "Wake", "Iteration", "Timer", "Layout", "build_layout", "visible_bars", "DEFAULT_WIDTH")  # fmt: skip

# The event kinds as plain ints (why: comparing ints is the cheapest test in the hot loop).
_ITER, _SEL_IN, _SEL_OUT, _IO = int(Ev.ITERATION), int(Ev.SELECT_ENTER), int(Ev.SELECT_LEAVE), int(Ev.IO_READY)  # fmt: skip
_FIRED, _SCHED, _SKIP, _START = int(Ev.TIMER_FIRED), int(Ev.SCHEDULED), int(Ev.SKIPPED), int(Ev.STEP_START)  # fmt: skip
_END, _CREATED, _DONE, _RENAMED = int(Ev.STEP_END), int(Ev.TASK_CREATED), int(Ev.TASK_DONE), int(Ev.TASK_RENAMED)  # fmt: skip
_CB_START, _CB_END, _FUT, _T_SET = int(Ev.CALLBACK_START), int(Ev.CALLBACK_END), int(Ev.FUTURE_DONE), int(Ev.TIMER_SCHEDULED)  # fmt: skip
_T_CANCEL, _FD, _OUT, _BLOCKED = int(Ev.TIMER_CANCELLED), int(Ev.FD_WATCH), int(Ev.OUTPUT), int(Ev.BLOCKED)  # fmt: skip
_IDLE, _NOTE = int(Ev.IDLE_POLL), int(Ev.NOTE)

OUTCOMES = {int(Outcome.RETURNED): "returned", int(Outcome.RAISED): "raised", int(Outcome.CANCELLED): "cancelled"}
_WHY = {int(w): w.name.lower() for w in Why}


def build_layout(trace: Any) -> Layout:
    """Lay out a `loop_impl.trace.Trace` (see the module docstring).

    With the garbage collector paused (why: the pass makes a few objects per event
    and no cycles, and the collector's passes over them cost more than the pass
    itself: 2.4 -> 0.9 s for 200k switches)."""
    with collector_paused():
        return _build_layout(trace)


def _build_layout(trace: Any) -> Layout:
    strings = trace.strings
    coros = trace.meta.get("coro_names", {})
    lanes: dict[int, Lane] = {0: Lane(0, "event loop", label="event loop")}
    bars: list[Bar] = []
    wakes: list[Wake] = []
    iters: list[Iteration] = []
    outputs: list = []
    notes: list = []
    pushes: list = []
    timers: dict[int, Timer] = {}
    fd_changes: list = []
    idle_polls: list = []
    prelude: list = []
    last_bar: dict[int, Bar] = {}
    resolved_by: dict[int, tuple] = {}  # future id -> (bar or None, resolver task, outcome, origin)
    requeues: dict[int, tuple] = {}  # task id -> (push, `scheduled` entry) of its bare yields
    waiting: dict[str, str] = {}  # "sleep 0.5" -> "waiting on sleep 0.5", made once
    npops = 0
    cur: Bar | None = None  # the step or callback running now
    it: Iteration | None = None
    snapped = True
    t = 0.0

    def lane_for(tid: int, t: float, i: int) -> Lane:
        lane = lanes.get(tid)
        if lane is None:
            name = trace.task_names.get(tid, f"task {tid}")
            lane = lanes[tid] = Lane(tid, name, coros.get(tid, ""), created_t=t, created_iter=it.n if it else 0)
            lane.states.add(i, "ready")
        return lane

    # The generator loop reports no iterations: there, each poll is a turn of its own.
    synthetic = not _has_iterations(trace)
    open_idle = 0  # IDLE_POLL runs whose end is the next event of another kind
    for i, (kind, t, task, a, b) in enumerate(_columns(trace)):
        if open_idle and kind != _IDLE:
            for run in idle_polls[-open_idle:]:
                run[3] = t
            open_idle = 0
        if kind == _ITER or synthetic and (kind == _START or kind == _IDLE):
            if it is not None:
                it.t1, it.ev1 = t, i
                if not snapped:
                    it.snap_ev, it.ready_lo, it.ready_hi = i, npops, len(pushes)
            ready = b if kind == _ITER else len(pushes) - npops
            it = Iteration(a if kind == _ITER else len(iters) + 1, t, t, i, ready_len=ready)
            iters.append(it)
            snapped = False
            cur = None
            if kind == _ITER:
                continue
        if not snapped and kind in (_START, _CB_START, _SKIP):
            # The state panel shows the loop after select and timers, before it runs anything.
            it.snap_ev, it.ready_lo, it.ready_hi, snapped = i, npops, len(pushes), True
        if kind == _START:
            lane = lane_for(task, t, i)
            npops += 1
            bar = Bar(task, "step", t, t, it.n if it else 0, why=_WHY.get(a, str(a)))
            prev = last_bar.get(task)
            waited = prev.wait if prev is not None else ""  # (the gap between them: Layout.gaps)
            if waited:
                bar.resumed, bar.resumed_fid = waited, prev.wait_fid
            if b:
                found = resolved_by.get(b)
                if found is not None:
                    src, resolver, outcome, origin = found
                    bar.cause = _cause(b, resolver, outcome, origin, lanes)
                    wakes.append(Wake(src, bar, bar.cause, src.t1 if src else t))
                else:
                    bar.cause = "future resolved"
            elif a == Why.THROW and prev is not None:
                bar.cause = "error thrown in"
            elif a == Why.POLL and waited.startswith("sleep"):
                bar.cause = "sleep over (seen by polling)"
            bars.append(bar)
            lane.nbars += 1
            lane.states.add(i, "running")
            last_bar[task] = cur = bar
            if it:
                it.pops.append(bar)
        elif kind == _END:
            requeued = b == REQUEUED
            if requeued:  # a bare yield: this event is also the push of its next step (trace.py)
                b = 0
                # The same entries for every yield of a task (why: a million yields, not a million tuples).
                push, alone = requeues.get(task) or requeues.setdefault(task, _requeue(trace, task))
                pushes.append(push)
                if cur is not None:
                    if cur.scheduled is None:
                        cur.scheduled = alone  # (shared and read-only: _add copies it before adding to it)
                    else:
                        _add(cur, "scheduled", alone[0])
            bar = cur if cur is not None and cur.lane == task else last_bar.get(task)
            if bar is not None:
                bar.t1 = t
                bar.wait, bar.wait_fid = strings[a], b
                if bar.wait:
                    state = waiting.get(bar.wait)
                    if state is None:
                        state = waiting[bar.wait] = "ready" if bar.wait == "ready" else f"waiting on {bar.wait}"
                    lanes[task].states.add(i, state)
            cur = None
        elif kind == _SCHED:
            origin = _origin(cur, it)
            label = trace.scheduled_label(task, a, b)
            pushes.append((task, label, origin + (b,)))
            if cur is not None:
                _add(cur, "scheduled", (task, label))
            if task and task in lanes and (cur is None or cur.lane != task):
                # Woken: in the ready queue from now on (why: else the panel says "waiting on sleep"
                # for a task whose wakeup the ready queue beside it already holds).
                lanes[task].states.add(i, "ready")
        elif kind == _FUT:
            resolver = cur.lane if cur is not None else task
            origin = cur.origin if cur is not None and cur.kind == "callback" else ()
            resolved_by[a] = (cur, resolver, b, origin)
            if cur is not None and cur.lane != a:
                _add(cur, "resolved", (a, b))
            elif cur is not None:
                cur.done_at = len(cur.scheduled or ())  # what it schedules from here on are its done callbacks
        elif kind == _CB_START:
            npops += 1
            origin = pushes[npops - 1][2] if npops <= len(pushes) else ()
            cur = Bar(0, "callback", t, t, it.n if it else 0, desc=strings[a], origin=origin)
            bars.append(cur)
            lanes[0].nbars += 1
            last_bar[0] = cur
            if origin and origin[0] == "timer" and origin[1] in timers:
                timers[origin[1]].desc = strings[a]
            if it:
                it.pops.append(cur)
        elif kind == _CB_END:
            if cur is not None:
                cur.t1 = t
            cur = None
        elif kind == _CREATED:
            lane = lane_for(task, t, i)
            lane.name, lane.parent, lane.created_t = strings[a], b, t
            if cur is not None:
                _add(cur, "created", task)
            elif it is None:
                prelude.append(task)
        elif kind == _DONE:
            lane = lane_for(task, t, i)
            lane.end, lane.end_detail, lane.end_t = OUTCOMES.get(a, str(a)), strings[b], t
            shown = "" if lane.end_detail == lane.end else f" {lane.end_detail}"
            lane.states.add(i, f"done: {lane.end}{shown}")
            bar = last_bar.get(task)
            if bar is not None:
                bar.end, bar.end_detail = lane.end, lane.end_detail
            # A loop without FUTURE_DONE (the generator loop) still says who ended a task awaited by others.
            resolved_by.setdefault(task, (bar, task, a, ()))
        elif kind == _T_SET:
            timers[a] = Timer(a, b / 1e9, cur.lane if cur is not None else task, i)
        elif kind == _FIRED:
            pushes.append((0, "", ("timer", a)))
            timer = timers.get(a)
            if timer is not None:
                timer.end_ev, timer.state, timer.end_t = i, "fired", t
            if it:
                _add(it, "fired", a)
        elif kind == _T_CANCEL:
            timer = timers.get(a)
            if timer is not None and timer.end_ev < 0:
                timer.end_ev, timer.state, timer.end_t = i, "cancelled", t
        elif kind == _OUT:
            text = strings[a]
            outputs.append((t, cur.lane if cur is not None else task, it.n if it else 0, text))
            if cur is not None:
                _add(cur, "outputs", text)
        elif kind == _SEL_IN:
            if it:
                it.select_timeout, it.select_t0, it.select_t1 = (None if a < 0 else a / 1e9), t, t
        elif kind == _SEL_OUT:
            if it:
                it.select_t1 = t
                if b:
                    it.io = strings[a].split()
        elif kind == _IO:
            pushes.append((0, "", ("io", a, b)))
        elif kind == _SKIP:
            npops += 1
            if it:
                it.pops.append(None)
        elif kind == _FD:
            fd_changes.append((i, a, b, task))
        elif kind == _BLOCKED:
            bar = last_bar.get(task)
            if bar is not None:
                bar.blocked = a / 1e9
        elif kind == _IDLE:
            lane_for(task, t, i)
            if it:
                it.idle = it.idle or {}
                it.idle[task] = it.idle.get(task, 0) + a
            # The polls it counts went on until the next other event (filled in below).
            idle_polls.append([task, it.n if it else 0, t, t, a])
            open_idle += 1
        elif kind == _NOTE:
            notes.append((t, it.n if it else 0, strings[a]))
            if it:
                _add(it, "notes", strings[a])
        elif kind == _RENAMED:
            lane_for(task, t, i).name = strings[a]
    for run in idle_polls[len(idle_polls) - open_idle :]:
        run[3] = t
    if cur is not None:
        cur.t1 = t  # the trace ended inside a step: it is still running
    if it is not None:
        it.t1, it.ev1 = t, len(trace)
        if not snapped:
            it.snap_ev, it.ready_lo, it.ready_hi = len(trace), npops, len(pushes)
    mark_cleanup(bars, notes)
    layout = Layout(lanes, bars, wakes, iters, outputs, notes, idle_polls, pushes, timers, fd_changes, t_end=t)
    layout.prelude, layout.trace = prelude, trace
    layout.clock_t0 = _clock_t0(trace, timers)
    layout.view_pauses = [(t0, t0 + d) for t0, d in trace.meta.get("view_pauses", ()) if t0 <= t]
    for bar in bars:
        layout.by_lane.setdefault(bar.lane, []).append(bar)
    _place_iterations(layout)
    _label_lanes(lanes)
    return layout


def _clock_t0(trace: Any, timers: dict[int, Timer]) -> float:
    """The loop clock at trace time 0, to put timer deadlines on the trace's axis.

    The recorder may say (meta "clock_t0"); otherwise a fired timer bounds it:
    it fired at or after its deadline, so clock_t0 >= deadline - fire time,
    and the latest such bound is off by one timer's lateness at most.
    """
    known = trace.meta.get("clock_t0")
    if known is not None:
        return float(known)
    bounds = [tm.deadline - tm.end_t for tm in timers.values() if tm.state == "fired"]
    return max(bounds) if bounds else 0.0


def _has_iterations(trace: Any) -> bool:
    kinds = getattr(trace, "_kind", None)
    if kinds is not None:
        return _ITER in kinds  # a C-speed scan of the packed kind column
    return any(e.kind == Ev.ITERATION for e in trace)


def _columns(trace: Any) -> Any:
    """The events as plain tuples of ints and floats (fast: no Event objects)."""
    if getattr(trace, "_kind", None) is not None:
        return zip(trace._kind, trace._t, trace._task, trace._a, trace._b, strict=True)
    return ((int(e.kind), e.t, e.task, e.a, e.b) for e in trace)


def _add(obj: Any, name: str, value: Any) -> None:
    """Append to a list attribute that stays None until it has something (most stay empty)."""
    items = getattr(obj, name)
    if items is None:
        setattr(obj, name, [value])
    elif type(items) is tuple:  # a shared one (see _requeue): copied, never changed
        setattr(obj, name, [*items, value])
    else:
        items.append(value)


def _requeue(trace: Any, task: int) -> tuple[tuple, tuple]:
    """A bare yield's ready-queue push, and its step's `scheduled` when that is all it queued
    (a task's yield is in its own step)."""
    label = trace.scheduled_label(task, 0, Why.YIELD)
    return (task, label, ("task", task, int(Why.YIELD))), ((task, label),)


def _origin(cur: Bar | None, it: Iteration | None) -> tuple:
    """Who put an entry on the ready queue: a task's step, a callback, or the program."""
    if cur is None:
        return ("program",) if it is None else ("loop",)
    if cur.kind == "step":
        return ("task", cur.lane)
    return ("callback", cur.origin)


def _cause(fid: int, resolver: int, outcome: int, origin: tuple, lanes: dict[int, Lane]) -> str:
    """Why a waiting task woke, in words."""
    verb = {0: "resolved", 1: "failed", 2: "cancelled"}.get(outcome, "resolved")
    if resolver and resolver == fid and resolver in lanes:
        return f"task {lanes[resolver].name} finished"
    if resolver:
        name = lanes[resolver].name if resolver in lanes else f"task {resolver}"
        return f"future {verb} by task {name}"
    return _origin_text(origin, lanes, verb)


def _origin_text(origin: tuple, lanes: dict[int, Lane], verb: str = "resolved") -> str:
    """What set off a callback: a timer, an fd, another thread, a task."""
    for _ in range(8):  # a callback queued by a callback queued by ...: follow it back a few steps
        if not origin:
            break
        head = origin[0]
        if head == "timer":
            return "timer fired"
        if head == "io":
            return f"fd {origin[1]} ready"
        if len(origin) > 1 and origin[-1] == Why.THREADSAFE:
            return "call_soon_threadsafe"
        if head == "task":
            name = lanes[origin[1]].name if origin[1] in lanes else f"task {origin[1]}"
            return f"future {verb} by task {name}"
        if head == "callback":
            origin = origin[1]
            continue
        break
    return f"future {verb} by the loop"


def _place_iterations(layout: Layout) -> None:
    """Give each iteration a column and each bar its place inside it.

    Every iteration is one unit wide, whatever its duration (why: sleeps
    dominate time while steps take microseconds). Inside an iteration its
    pops share the width in the order the loop ran them; a blocking select
    gets the first share. Consecutive iterations that only polled idle tasks
    share one column, so busy-polling does not flood the axis.
    """
    col = -1.0
    prev_idle = False
    lanes = layout.lanes
    for it in layout.iterations:
        idle_only = it.idle is not None and not it.pops
        if not (idle_only and prev_idle):
            col += 1
        prev_idle = idle_only
        it.col = col
        first_pop = next((bar for bar in it.pops if bar is not None), None)
        it.wait_t1 = first_pop.t0 if first_pop is not None else it.t1
        slots = len(it.pops) + (1 if loop_waited(it) or not it.pops else 0)
        first = slots - len(it.pops)
        x0 = col + first / slots
        for k, bar in enumerate(it.pops):
            x1 = col + (first + k + 1) / slots
            if bar is not None:
                bar.x0, bar.x1 = x0, x1  # (a bar's end is its neighbour's start: one float for both)
                for tid in bar.created or ():
                    lanes[tid].created_x = bar.x1
            x0 = x1
    layout.ncols = col + 1 if layout.iterations else 0.0


def loop_waited(it: Iteration) -> bool:
    """Did the loop wait before running this iteration (in select, or its virtual clock jumped)?"""
    if it.select_timeout is None or (it.select_timeout or 0) > 0:
        return True
    if it.idle:
        return False  # busy polling (the generator loop) is the opposite of waiting
    return it.wait_t1 - it.t0 >= 1e-3  # a virtual clock jumps without a select; a millisecond shows it


def _label_lanes(lanes: dict[int, Lane]) -> None:
    """Narration names: a task's own name, the one asyncio prints in reprs and errors
    (why not a nickname such as "main_task": a task with three names reads as three tasks)."""
    for lane in lanes.values():
        if lane.id != 0:
            lane.label = lane.name
