"""What to draw at one zoom: the segments of each lane, wake-up marks, axis ticks.

A layout knows every step; a picture `width` pixels (or characters) wide can
show at most one thing per pixel. This module is the one place that decides
what is visible, for every renderer: text lanes, SVG, the widget.

A task's lane reads left to right as::

    queued ▸ step ▸ wait "sleep 0.5" ▸ step ▸ queued ("ready": a bare yield) ▸ step ▸ end

Steps closer than a pixel merge into one segment that counts them (a busy
lane in a 100k-event trace becomes a few hundred segments, not 30,000), and
the waits between merged steps disappear with them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from .layout_model import DEFAULT_WIDTH, Bar, Layout

__all__ = (
    "Segment",
    "WakeMark",
    "visible_bars",
    "lane_segments",
    "loop_segments",
    "wake_marks",
    "ticks",
    "fmt_time",
    "lane_title",
    "end_text",
)


@dataclass(slots=True)
class Segment:
    kind: str  # step / callback / wait / queued / select / idle
    x0: float
    x1: float
    label: str = ""  # what a wait was for, a callback's name, a select's timeout
    detail: str = ""  # the hover text
    iteration: int = 0
    count: int = 1  # steps merged into this one
    blocked: bool = False  # a step that held the loop (time.sleep in async code?)
    outputs: tuple = ()  # lines printed during it
    cleanup: bool = False  # a step of the clean-up after a deadlock (the loop cancels a stuck task)


@dataclass(slots=True)
class WakeMark:
    src_lane: int  # the lane whose step resolved the future (0: the loop)
    src_x: float
    dst_lane: int
    dst_x: float
    cause: str
    iteration: int
    cleanup: bool = False  # the wake-up is the clean-up after a deadlock cancelling the task


def visible_bars(layout: Layout, lane: int, axis: str = "iteration", width: float = DEFAULT_WIDTH) -> list[Bar]:
    """The bars of one lane as drawn at `width` pixels: neighbours closer than a pixel merge.

    A merged bar is a copy spanning its members, with `count` of them and
    their outputs; the layout's own bars are never changed. Kept on the layout
    (why: a finished cell draws each picture twice, for the widget and for the
    saved page, and a million bars take a second to merge); read-only.
    """
    zooms = layout._visible.setdefault((lane, axis), {})  # width -> bars
    found = zooms.get(width)
    if found is None:
        # A coarser zoom starts from a finer one already merged, if any (why: the text
        # lanes after the pictures; merging merged bars merges their members alike).
        finer = [w for w in zooms if w > width]
        bars = zooms[min(finer)] if finer else layout.by_lane.get(lane, ())
        found = zooms[width] = _visible_bars(layout, bars, axis, width)
    return found


def _visible_bars(layout: Layout, bars: Any, axis: str, width: float) -> list[Bar]:
    px = _px(layout, axis, width)
    extent = attrgetter("t0", "t1") if axis == "time" else attrgetter("x0", "x1")
    out: list[Bar] = []
    run: list[Bar] = []  # neighbours that draw as one bar
    run_lo = run_hi = 0.0
    for bar in bars:
        lo, hi = extent(bar)
        if run:
            # Merge slivers that touch at this zoom, and rows of slivers a few pixels apart
            # (why: drawn apart they only make a dotted line, and cost one element each).
            sliver, run_sliver = hi - lo < px, run_hi - run_lo < px
            gap = lo - run_hi
            if (gap < px and (sliver or run_sliver)) or (gap < 3 * px and sliver and run_sliver):
                run.append(bar)
                run_hi = hi
                continue
            out.append(run[0] if len(run) == 1 else _merged(run))
        run = [bar]
        run_lo, run_hi = lo, hi
    if run:
        out.append(run[0] if len(run) == 1 else _merged(run))
    return out


def _merged(run: list[Bar]) -> Bar:
    """One bar standing for a run of neighbours: a copy (the layout's own bars stay untouched)."""
    a, b = run[0], run[-1]
    merged = Bar(a.lane, a.kind, a.t0, b.t1, a.iteration, a.x0, b.x1, why=a.why, cause=a.cause, desc=a.desc,
                 resumed=a.resumed, wait=b.wait, end=next((m.end for m in reversed(run) if m.end), ""),
                 end_detail=next((m.end_detail for m in reversed(run) if m.end_detail), ""),
                 blocked=max(m.blocked for m in run), cleanup=any(m.cleanup for m in run))  # fmt: skip
    merged.count = sum(m.count for m in run)
    outputs: list = []
    for m in run:  # a merged bar keeps a sample of what its steps printed
        if m.outputs and len(outputs) < 50:
            outputs += m.outputs
    if outputs:
        merged.outputs = outputs
    return merged


def _px(layout: Layout, axis: str, width: float) -> float:
    """One pixel, in axis units."""
    return (layout.extent(axis) or 1.0) / max(width, 1.0)


def lane_segments(layout: Layout, lane_id: int, axis: str = "iteration", width: float = DEFAULT_WIDTH) -> list[Segment]:
    """A task lane at this zoom: queued, steps, labelled waits, idle polls, in order."""
    if lane_id == 0:
        return loop_segments(layout, axis, width)
    lane = layout.lanes[lane_id]
    time_axis = axis == "time"
    end = layout.extent(axis)
    out: list[Segment] = []
    prev: Bar | None = None
    prev_x1 = 0.0
    pos = lane.created_t if time_axis else lane.created_x
    px = _px(layout, axis, width)
    for bar in visible_bars(layout, lane_id, axis, width):
        x0, x1 = (bar.t0, bar.t1) if time_axis else _inset(bar, px)
        if prev is None:
            if x0 > pos:
                out.append(Segment("queued", pos, x0, "ready", "created; waits in the ready queue", bar.iteration))
        else:
            out.append(_wait(prev, prev_x1, x0, bar))
        out.append(_step(layout, bar, x0, x1))
        prev, prev_x1 = bar, x1
    if prev is None:
        out.append(Segment("queued", pos, end, "ready", "created; never ran", lane.created_iter))
    elif prev.wait:
        out.append(_wait(prev, prev_x1, max(end, prev_x1), None))
    out.extend(_idle_segments(layout, lane_id, axis))
    return out


def _inset(bar: Bar, px: float) -> tuple[float, float]:
    """On the iteration axis a step fills its share of an iteration; drawn a little narrower,
    two steps in a row still read as two (why: each share is a turn, not a duration)."""
    x0, x1 = bar.x0, bar.x1
    if bar.count > 1 or x1 - x0 < 4 * px:
        return x0, x1
    pad = (x1 - x0) * 0.12
    return x0 + pad, x1 - pad


def _wait(prev: Bar, x0: float, x1: float, nxt: Bar | None) -> Segment:
    queued = prev.wait == "ready"
    label = "ready" if queued else prev.wait
    if nxt is None:
        woke = "still waiting when the trace ends"
    else:
        woke = f"woken: {nxt.cause}" if nxt.cause else "its turn came"
    what = "back in the ready queue (a bare yield)" if queued else f"waits on {label}"
    return Segment("queued" if queued else "wait", x0, x1, label, f"{what}; {woke}", prev.iteration)


def _step(layout: Layout, bar: Bar, x0: float, x1: float) -> Segment:
    name = layout.lanes[bar.lane].name
    if bar.count > 1:
        detail = f"{name}: {bar.count} steps, iterations {bar.iteration}..; {fmt_time(bar.t1 - bar.t0)}"
    else:
        why = {"start": "first step", "wakeup": "woken", "yield": "after a bare yield", "throw": "exception thrown in"}
        detail = f"{name}: {why.get(bar.why, bar.why)}"
        if bar.cause:
            detail += f" ({bar.cause})"
        detail += f"; iteration {bar.iteration}; {fmt_time(bar.t0)}, took {fmt_time(bar.t1 - bar.t0)}"
    if bar.blocked:
        detail += f"; held the loop for {fmt_time(bar.blocked)}"
    if bar.cleanup:
        detail += "; clean-up after the deadlock: the loop cancels this stuck task"
    if bar.end:
        detail += f"; {bar.end} {bar.end_detail}" if bar.end_detail != bar.end else f"; {bar.end}"
    elif bar.wait and bar.count == 1:
        detail += f"; then waits on {bar.wait}" if bar.wait != "ready" else "; then yields"
    outputs = tuple(text.rstrip("\n") for text in bar.outputs or ())
    if outputs:
        detail += "; printed: " + " | ".join(outputs[:5]) + (" ..." if len(outputs) > 5 else "")
    return Segment("step", x0, x1, "", detail, bar.iteration, bar.count, bar.blocked > 0, outputs, bar.cleanup)


def loop_segments(layout: Layout, axis: str = "iteration", width: float = DEFAULT_WIDTH) -> list[Segment]:
    """The loop's lane: callbacks it ran, and the time it spent waiting in select()."""
    from .layout import loop_waited

    time_axis = axis == "time"
    px = _px(layout, axis, width)
    out: list[Segment] = []
    for it in layout.iterations:
        if not loop_waited(it):
            continue
        if time_axis:
            x0, x1 = it.t0, it.wait_t1
        else:
            slots = len(it.pops) + 1
            x0, x1 = it.col, it.col + 1 / slots
        timeout = it.select_timeout
        label = "select" if timeout is None else (f"select {fmt_time(timeout)}" if timeout > 0 else "clock jump")
        detail = f"iteration {it.n}: the loop waits ({label}); {fmt_time(it.wait_t1 - it.t0)}"
        if it.fired or it.io:
            woke = [f"{len(it.fired)} timer(s) fired"] if it.fired else []
            woke += [f"fd {fd} ready" for fd in it.io or ()]
            detail += "; then " + ", ".join(woke)
        last = out[-1] if out else None
        if (
            last is not None
            and last.kind == "select"
            and x0 - last.x1 < px
            and (x1 - x0 < px or last.x1 - last.x0 < px)
        ):
            last.x1, last.count, last.label = x1, last.count + 1, "select"
            last.detail = f"{last.count} waits in select, iterations {last.iteration}..{it.n}"
            continue
        out.append(Segment("select", x0, x1, label, detail, it.n))
    for bar in visible_bars(layout, 0, axis, width):
        x0, x1 = (bar.t0, bar.t1) if time_axis else _inset(bar, px)
        name = bar.desc.split("(", 1)[0]
        detail = f"callback {bar.desc}" if bar.count == 1 else f"{bar.count} callbacks, from iteration {bar.iteration}"
        outputs = tuple(text.rstrip("\n") for text in bar.outputs or ())
        out.append(Segment("callback", x0, x1, name, detail, bar.iteration, bar.count, bar.blocked > 0, outputs))
    out.sort(key=lambda s: s.x0)
    return out


def _idle_segments(layout: Layout, lane_id: int, axis: str) -> list[Segment]:
    """Idle polls: on the iteration axis, the column of the run of idle turns; in time, how long they went on."""
    out: list[Segment] = []
    iterations = layout.iterations
    first_n = iterations[0].n if iterations else 0
    for tid, n, t0, t1, polls in layout.idle_polls:
        if tid != lane_id or not iterations:
            continue
        if axis == "time":
            x0, x1 = t0, t1
        else:
            col = iterations[min(max(n - first_n, 0), len(iterations) - 1)].col
            x0, x1 = col, col + 1
        last = out[-1] if out else None
        if last is not None and x0 <= last.x1:  # runs that touch read as one stretch of busy polling
            last.x1, last.count = max(last.x1, x1), last.count + polls
            last.label = last.detail = f"polled {last.count} times without progress"
            continue
        text = f"polled {polls} time{'s' if polls > 1 else ''} without progress"
        out.append(Segment("idle", x0, x1, text, text, n, polls))
    return out


def wake_marks(
    layout: Layout, axis: str = "iteration", width: float = DEFAULT_WIDTH, limit: int = 2000
) -> list[WakeMark]:
    """Wake-up arrows, at most one per target pixel per lane, and at most `limit`."""
    px = _px(layout, axis, width)
    seen: set[tuple[int, int]] = set()
    out: list[WakeMark] = []
    for wake in layout.wakes:
        dst = wake.target
        dst_x = dst.t0 if axis == "time" else dst.x0
        key = (dst.lane, int(dst_x / px))
        if key in seen:
            continue
        seen.add(key)
        src = wake.source
        if src is not None:
            src_lane, src_x = src.lane, (src.t1 if axis == "time" else src.x1)
        else:
            src_lane, src_x = 0, (wake.t if axis == "time" else dst_x)
        out.append(WakeMark(src_lane, src_x, dst.lane, dst_x, wake.cause, dst.iteration, dst.cleanup))
        if len(out) >= limit:
            break
    return out


def ticks(layout: Layout, axis: str = "iteration", most: int = 10) -> list[tuple[float, str]]:
    """Axis ticks: iteration numbers at their columns, or round times."""
    if axis == "time":
        span = layout.t_end or 1e-6
        step = _nice(span / most)
        return [(k * step, fmt_time(k * step)) for k in range(int(span / step) + 1)]
    iterations = layout.iterations
    if not iterations:
        return []
    step = max(1, int(_nice(len(iterations) / most)))
    out, last_col = [], -1.0
    for it in iterations[::step]:
        if it.col != last_col:
            out.append((it.col, str(it.n)))
            last_col = it.col
    return out


def _nice(x: float) -> float:
    """The smallest of 1, 2, 5 times a power of ten that is at least x."""
    if x <= 0:
        return 1.0
    base = 10.0 ** math.floor(math.log10(x))
    return next(m * base for m in (1, 2, 5, 10) if m * base >= x * (1 - 1e-9))


def fmt_time(seconds: float) -> str:
    if seconds == 0:
        return "0"  # an axis starts at 0, not "0 µs"
    if seconds >= 100:
        return f"{seconds:,.0f} s"  # 3,600 s, not 3.6e+03 s
    if seconds >= 1:
        return f"{seconds:.3g} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"


def lane_title(layout: Layout, lane_id: int) -> str:
    """How a lane is named at its left: "Task-1 · main" (the name, then the coroutine when it differs)."""
    lane = layout.lanes[lane_id]
    coro = lane.coro.rpartition(".")[2]  # "main.<locals>.worker" reads as "worker"
    if lane_id == 0 or not coro or coro == lane.name:
        return lane.name
    return f"{lane.name} · {coro}"


def end_text(layout: Layout, lane_id: int) -> str:
    lane = layout.lanes[lane_id]
    if not lane.end:
        return "" if lane_id == 0 else "(still pending)"
    return lane.end if lane.end_detail in ("", lane.end) else f"{lane.end} {lane.end_detail}"


_TITLES = {"tinyloop": "tinyloop timeline", "generator": "generator loop timeline", "asyncio": "asyncio timeline"}


def timeline_title(layout: Layout) -> str:
    """Which loop drew this: 'tinyloop timeline', 'generator loop timeline', 'asyncio timeline'."""
    mode = getattr(layout.trace, "meta", {}).get("mode", "tinyloop")
    return _TITLES.get(mode, f"{mode} timeline")
