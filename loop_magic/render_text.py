"""The timeline as text: one row per lane, for terminals and `print(result.timeline())`.

    tinyloop timeline · 2 tasks · 4 iterations · 230 µs · axis: loop iterations
                        1              2              3              4
    event loop         |                                                        |
    Task-1 · main      |##############......Task Task-2.......##############    | returned 17
    Task-2 · triple    |              ---------------##############             | returned 15

Each column is a slice of the axis (by default loop iterations, each the
same width). `#` is a step, dots are a wait labelled with what the task
waited for, dashes are time spent queued. Wake-up causes and printed lines
are listed under the lanes, since a row of characters has no room for them.
Everything comes from `segments.py`, the same picture the SVG draws.
"""

from __future__ import annotations

from typing import Any

from .layout import Layout, build_layout
from .segments import end_text, fmt_time, lane_segments, lane_title, ticks, timeline_title

__all__ = ("render_text", "LEGEND")

LEGEND = (
    "legend: # step   . waiting (labelled: what for)   - queued, ready to run   ! step that blocked the loop\n"
    "        + loop callback   ~ loop waiting (select)   * idle polls"
)
_FILL = {"queued": "-", "wait": ".", "idle": "*", "select": "~", "step": "#", "callback": "+"}
_PAINT_ORDER = {"queued": 0, "wait": 0, "select": 0, "idle": 1, "step": 2, "callback": 2}
_LISTED = 12  # wake-ups and output lines listed in full; the rest are counted


def render_text(source: Any, axis: str = "iteration", width: int = 72, listed: int = _LISTED) -> str:
    """Render a Trace (or a Layout) as text lanes `width` characters wide."""
    layout = source if isinstance(source, Layout) else build_layout(source)
    tasks = [lane for lane in layout.lane_order() if lane.id]
    span = fmt_time(layout.t_end)
    axis_name = "time" if axis == "time" else "loop iterations, each the same width"
    head = f"{timeline_title(layout)} · {len(tasks)} task{'s' if len(tasks) != 1 else ''} · "
    head += f"{len(layout.iterations)} iterations · {span} · axis: {axis_name}"
    if not layout.iterations and not tasks:
        return head + "\n(nothing ran)"
    names = {lane.id: lane_title(layout, lane.id) for lane in layout.lane_order()}
    name_w = min(max(len(n) for n in names.values()), 28)
    extent = layout.extent(axis) or 1.0

    def col(x: float) -> int:
        return min(max(int(x / extent * width), 0), width - 1)

    lines = [head, " " * (name_w + 1) + _tick_row(layout, axis, width, col)]
    for lane in layout.lane_order():
        row = [" "] * width
        segments = lane_segments(layout, lane.id, axis, width)
        # Paint order: waits, then idle polls over them, then steps on top, then labels in what dots remain.
        for seg in sorted(segments, key=lambda s: _PAINT_ORDER[s.kind]):
            c0, c1 = col(seg.x0), col(seg.x1)
            if seg.kind in ("step", "callback"):
                c1 = max(c1, c0 + 1)  # a step is never invisible
            char = "!" if seg.blocked else _FILL[seg.kind]
            for c in range(c0, min(c1, width)):
                row[c] = char
        for seg in segments:
            if seg.kind == "wait" and seg.label:
                _write_label(row, col(seg.x0), col(seg.x1), seg.label)
        name = names[lane.id][:name_w].ljust(name_w)
        lines.append(f"{name} |{''.join(row)}| {end_text(layout, lane.id)}".rstrip())
    lines.append(LEGEND)
    lines += _wake_list(layout, axis, listed)
    lines += _output_list(layout, listed)
    for t, n, text in layout.notes[:listed]:
        first = text.splitlines()[0] if text else ""
        lines.append(f"note (iteration {n}, {fmt_time(t)}): {first}")
    return "\n".join(lines)


def _tick_row(layout: Layout, axis: str, width: int, col: Any) -> str:
    row = [" "] * (width + 2)
    for x, label in ticks(layout, axis, most=max(2, width // 12)):
        c = col(x) + 1
        if c + len(label) <= len(row) and all(ch == " " for ch in row[max(c - 1, 0) : c + len(label)]):
            row[c : c + len(label)] = label
    return "".join(row).rstrip()


def _write_label(row: list[str], c0: int, c1: int, label: str) -> None:
    """Put a wait's label in the middle of its longest stretch (dots or idle polls), one char in from each end."""
    best, start = (0, 0), None
    for c in range(c0, min(c1, len(row)) + 1):
        if c < min(c1, len(row)) and row[c] in ".*":  # a wait: dots, or idle polls over them
            start = c if start is None else start
        elif start is not None:
            best = max(best, (c - start, start))
            start = None
    room, first = best[0] - 2, best[1] + 1
    if room < 3:
        return
    text = label if len(label) <= room else label[: room - 1] + "…"
    at = first + (room - len(text)) // 2
    row[at : at + len(text)] = text


def _wake_list(layout: Layout, axis: str, listed: int) -> list[str]:
    wakes = layout.wakes
    if not wakes:
        return []
    out = ["wake-ups:"]
    for wake in wakes[:listed]:
        target = wake.target
        out.append(f"  iteration {target.iteration}: {layout.lanes[target.lane].name} woke, {wake.cause}")
    if len(wakes) > listed:
        out.append(f"  ... {len(wakes) - listed} more")
    return out


def _output_list(layout: Layout, listed: int) -> list[str]:
    outputs = layout.outputs
    if not outputs:
        return []
    out = ["output:"]
    for _t, lane, n, text in outputs[:listed]:
        who = layout.lanes[lane].name if lane in layout.lanes and lane else "loop"
        out.append(f"  iteration {n} · {who}: {text.rstrip()}")
    if len(outputs) > listed:
        out.append(f"  ... {len(outputs) - listed} more lines")
    return out
