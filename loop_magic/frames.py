"""The state panel: what the loop held at each iteration, rebuilt from the layout.

For every iteration the step-through view shows the ready queue, the timer
heap with deadlines, the selector's registrations, each task's state and the
narration of that iteration. The snapshot is taken where the loop has just
finished waiting (select, expired timers) and is about to run what is ready:
the moment the ready queue says what this iteration will do. The timer
heap is shown as the iteration began, so a timer that fires in it is still
there, marked "fires now" (why: otherwise a sleep's timer would never be seen
in the heap: it is set in one iteration and fires at the start of another).

Only the ready queue is replayed from the events (trace.py's rule), in one
pass for all the frames asked for. For the rest the layout pass already kept:
* for each iteration, the event index of its snapshot;
* every timer with the event indexes at which it was set and fired or was
  cancelled, and every FD_WATCH change;
* each task's state changes, by event index.
A frame is a few lookups in those tables, so frames cost nothing until
asked for, and the data sent to a browser is sampled and capped (`to_data`).
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from loop_impl.trace import REQUEUED, Ev, Why

from .layout import _columns
from .layout_model import Layout
from .narration import Transfer, arrow_line, narrate_iteration, narrate_prelude

__all__ = ("Frame", "Frames", "SHOWN")

LINE_ARROWS = 30  # transfers in a frame's one-line narration
SHOWN = 40  # entries of one list a panel shows; the rest are counted (why: a panel must stay readable and small)


@dataclass(slots=True)
class Frame:
    index: int  # position in layout.iterations
    iteration: int  # the loop's own iteration number
    t: float  # trace time of the snapshot
    ready: list[str]  # the ready queue, front first
    timers: list[tuple[float, str, str]]  # (due at, in trace time; what it runs; "fires now" or ""), earliest first
    fds: list[tuple[int, str]]  # (fd, "read" / "write" / "read+write")
    tasks: list[tuple[str, str, str]]  # (task, state at the snapshot, state when the iteration ended)
    narration: list[Transfer] = field(default_factory=list)
    more: dict[str, int] = field(default_factory=dict)  # how many entries each capped list left out

    @property
    def line(self) -> str:
        """The narration as one line of arrows (the first LINE_ARROWS of a busy iteration)."""
        shown = [t for t in self.narration if t.depth > 0]
        more = len(shown) - LINE_ARROWS
        return arrow_line(shown[:LINE_ARROWS]) + (f" → … ({more} more)" if more > 0 else "")


class Frames:
    """Frames of a layout, indexed like `layout.iterations`."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._timers = sorted(layout.timers.values(), key=lambda tm: tm.set_ev)
        self._fd_evs = [ev for ev, *_ in layout.fd_changes]

    def __len__(self) -> int:
        return len(self.layout.iterations)

    def __getitem__(self, index: int) -> Frame:
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("frame index out of range")
        return self._build([index])[0]

    def sample(self, max_frames: int) -> list[int]:
        """Iteration positions to send when there are too many: evenly spread, first and last kept."""
        n = len(self)
        if n <= max_frames:
            return list(range(n))
        step = (n - 1) / (max_frames - 1)
        return sorted({round(k * step) for k in range(max_frames)})

    def build(self, indexes: list[int]) -> list[Frame]:
        """Frames for increasing iteration positions, in one sweep over the timer table."""
        return self._build(sorted(indexes))

    def _build(self, indexes: list[int]) -> list[Frame]:
        layout = self.layout
        queues = self._replay_ready([layout.iterations[k].snap_ev for k in indexes])
        timers, t_next = {}, 0
        out = []
        for index in indexes:
            it = layout.iterations[index]
            start = it.ev0
            while t_next < len(self._timers) and self._timers[t_next].set_ev < start:
                tm = self._timers[t_next]
                timers[tm.id] = tm
                t_next += 1
            for tid in [k for k, tm in timers.items() if 0 <= tm.end_ev < start]:
                del timers[tid]
            ready, queued = queues[it.snap_ev]
            frame = Frame(index, it.n, _snap_time(it), ready, [], self._fds(it.snap_ev), self._tasks(index))
            heap = sorted(timers.values(), key=lambda tm: tm.deadline)
            frame.timers = [self._timer_row(tm, it) for tm in heap[:SHOWN]]
            narrated = narrate_iteration(layout, index, max_pops=SHOWN)
            frame.narration = (narrate_prelude(layout) if index == 0 else []) + narrated
            if len(it.pops) > SHOWN:
                frame.more["steps"] = len(it.pops) - SHOWN
            for name, total in (("ready", queued), ("timers", len(heap))):
                if total > SHOWN:
                    frame.more[name] = total - SHOWN
            out.append(frame)
        return out

    def _timer_row(self, tm: Any, it: Any) -> tuple[float, str, str]:
        what = tm.desc
        if not what:
            lane = self.layout.lanes.get(tm.task)
            what = f"timer {tm.id}" + (f" (set by {lane.label})" if lane is not None and tm.task else "")
        fires = "fires now" if tm.state == "fired" and tm.end_ev < it.ev1 else ""
        return (tm.deadline - self.layout.clock_t0, what, fires)

    def _replay_ready(self, snaps: list[int]) -> dict[int, tuple[list[str], int]]:
        """The ready queue just before each event index in `snaps`: (first SHOWN entries, length).

        trace.py's rule: SCHEDULED, IO_READY, TIMER_FIRED, a requeuing STEP_END push; STEP_START,
        CALLBACK_START and SKIPPED pop. A step pops its own task's entry (in
        asyncio's loop that is the front; the generator loop's idle polls,
        which move a task to the back unrecorded, make it not always so), and
        an IDLE_POLL moves the task's entry to the back.
        """
        layout = self.layout
        trace = layout.trace
        wanted = sorted(set(snaps))
        result: dict[int, tuple[list[str], int]] = {}
        if not wanted:
            return result
        queue: deque = deque()  # (task id, text)
        w = 0
        kinds = _kinds()
        # (the kinds as locals: this walks every event up to the last snapshot)
        sched, start, end, cb_start, skipped = (kinds[k] for k in ("SCHEDULED", "STEP_START", "STEP_END", "CALLBACK_START", "SKIPPED"))
        fired, io_ready, idle = kinds["TIMER_FIRED"], kinds["IO_READY"], kinds["IDLE_POLL"]
        next_snap = wanted[0]
        for i, (kind, _t, task, a, b) in enumerate(_columns(trace)):
            if i == next_snap:
                while w < len(wanted) and wanted[w] == i:
                    result[i] = (self._shown(queue), len(queue))
                    w += 1
                if w == len(wanted):
                    break
                next_snap = wanted[w]
            if kind == start:
                _take(queue, task)
            elif kind == end:
                if b == REQUEUED:
                    queue.append((task, trace.scheduled_label(task, 0, Why.YIELD)))
            elif kind == sched:
                queue.append((task, trace.scheduled_label(task, a, b)))
            elif kind == cb_start or kind == skipped:
                if queue:
                    queue.popleft()
            elif kind == fired:
                timer = layout.timers.get(a)
                queue.append((0, f"{timer.desc if timer and timer.desc else 'callback'} (timer fired)"))
            elif kind == io_ready:
                queue.append((0, f"fd {a} {'reader' if b == 1 else 'writer'} callback (fd ready)"))
            elif kind == idle:
                entry = _take(queue, task)
                if entry is not None:
                    queue.append(entry)
        for snap in wanted[w:]:
            result[snap] = (self._shown(queue), len(queue))
        return result

    def _shown(self, queue: deque) -> list[str]:
        return [desc for _tid, desc in itertools.islice(queue, SHOWN)]

    def _fds(self, snap: int) -> list[tuple[int, str]]:
        watched: dict[int, int] = {}
        for _, fd, mask, _task in self.layout.fd_changes[: bisect_right(self._fd_evs, snap)]:
            watched[fd] = mask
        names = {1: "read", 2: "write", 3: "read+write"}
        return [(fd, names.get(mask, str(mask))) for fd, mask in sorted(watched.items()) if mask][:SHOWN]

    def _tasks(self, index: int) -> list[tuple[str, str, str]]:
        it = self.layout.iterations[index]
        out = []
        for lane in self.layout.lane_order():
            if lane.id == 0 or not lane.states or lane.states.evs[0] >= it.ev1:
                continue
            before = lane.states.at(it.snap_ev) or "not created yet"
            after = lane.states.at(it.ev1) or before
            if before.startswith("done") and after == before:
                continue  # finished earlier: the panel shows only tasks alive in this iteration
            out.append((lane.label, before, after))
            if len(out) == SHOWN:
                break
        return out

    def to_data(self, max_frames: int = 1000) -> dict[str, Any]:
        """JSON-ready frames for a browser: sampled to `max_frames`, each list capped at SHOWN.

        Strings repeat from frame to frame (task names, states), so they go
        into one table and frames hold indexes into it.
        """
        table: dict[str, int] = {}

        def sid(text: str) -> int:
            return table.setdefault(text, len(table))

        frames = []
        for f in self.build(self.sample(max_frames)):
            frames.append(
                {
                    "i": f.iteration,
                    "t": round(f.t, 6),
                    "ready": [sid(r) for r in f.ready],
                    "timers": [[round(due, 6), sid(what), sid(note)] for due, what, note in f.timers],
                    "fds": [[fd, sid(mode)] for fd, mode in f.fds],
                    "tasks": [[sid(name), sid(before), sid(after)] for name, before, after in f.tasks],
                    "line": sid(f.line),
                    "steps": [[t.depth, sid(t.place), sid(t.detail)] for t in f.narration],
                    "more": f.more,
                }
            )
        return {"strings": list(table), "frames": frames, "total": len(self)}


def _take(queue: deque, task: int) -> tuple | None:
    """Remove and return the queue's first entry for `task` (the front, in asyncio's loop)."""
    if queue and queue[0][0] == task:
        return queue.popleft()
    for k, entry in enumerate(queue):
        if entry[0] == task:
            del queue[k]
            return entry
    return None


def _kinds() -> dict[str, int]:
    return {ev.name: int(ev) for ev in Ev}


def _snap_time(it: Any) -> float:
    first = next((bar for bar in it.pops if bar is not None), None)
    return first.t0 if first is not None else it.t1
