"""The timeline as static HTML/SVG: what nbconvert, nbviewer and GitHub show.

No JavaScript: hovering any element shows its `<title>` (a step's cause,
what it printed, what it then waited for), and the second axis sits in a
`<details>` block. The CSS is inline and scoped under `.tinyloop-timeline`.

Elements carry stable classes and data attributes, for tests and for
anyone styling the picture::

    <rect class="tl-bar" data-task="Task-2" data-iter="3" data-count="1">   a step
    <rect class="tl-wait" data-task="Task-1" data-label="sleep 0.5">        a wait
    <path class="tl-wake" data-task="Task-1" data-cause="timer fired">      a wake-up arrow
    <text class="tl-end" data-task="Task-1" data-outcome="returned">        how the task ended

The picture comes from `segments.py`, the same one the text lanes draw.
"""

from __future__ import annotations

import itertools
from html import escape
from typing import Any

from .layout import Layout, build_layout
from .segments import end_text, fmt_time, lane_segments, lane_title, ticks, timeline_title, wake_marks

__all__ = (
    "render_svg",
    "render_html",
    "legend_html",
    "label_width",
    "iteration_span",
    "PLOT_WIDTH",
    "MAX_LANES",
    "SEGMENT_BUDGET",
)

SEGMENT_BUDGET = 12_000  # lane elements drawn in one picture, about
MAX_LANES = 120  # lanes drawn; the rest are counted (why: a page of 10,000 lanes helps nobody)
PLOT_WIDTH = 720  # pixels of axis; with titles and end labels the picture fits a notebook's output area
_LANE_H, _BAR_H, _LABEL_W, _TOP, _CHAR_W, _END_W = 24, 14, 190, 26, 6.2, 118
_FEW_WAKES, _NEAR_LANES = 40, 6  # wake-ups drawn as whole arrows from their source: this many, this close
_TITLE_CHARS, _TITLE_CHAR_W = 28, 6.6  # lane titles are clipped to this many characters (the full one on hover)
_ids = itertools.count(1)  # a prefix per picture, so two timelines in one page keep their own <defs>
_END_MARK = {"returned": "✓", "raised": "✗", "cancelled": "⊘"}

CSS = """
.tinyloop-timeline{font:12px/1.3 system-ui,-apple-system,'Segoe UI',sans-serif;color:#222;max-width:100%;overflow-x:auto}
.tinyloop-timeline svg{display:block}
.tinyloop-timeline .tl-lane-bg{fill:#eef1f5;opacity:.6}
.tinyloop-timeline .tl-lane-label{font-size:12px;fill:#222}
.tinyloop-timeline .tl-bar{fill:#3b7dd8}
.tinyloop-timeline .tl-bar[data-blocked]{fill:#d8453b}
.tinyloop-timeline .tl-bar:not([data-count="1"]){fill-opacity:.7}
.tinyloop-timeline .tl-bar[data-cleanup]{fill:#9aa5b1}
.tinyloop-timeline .tl-wake[data-cleanup]{stroke:#9aa5b1;stroke-dasharray:3 2}
.tinyloop-timeline .tl-bar[data-diverge]{fill:#2b2f36;stroke:#000;stroke-width:1}
.tinyloop-timeline .tl-callback{fill:#8a63d2}
.tinyloop-timeline .tl-select{fill:#c9d3e0}
.tinyloop-timeline .tl-queued{fill:#e3c770;opacity:.55}
.tinyloop-timeline .tl-idle{fill:#f0a04b;opacity:.6}
.tinyloop-timeline .tl-wait-line{stroke:#9aa5b1;stroke-dasharray:2 3}
.tinyloop-timeline .tl-gap-label{font-size:10px;fill:#56616e}
.tinyloop-timeline .tl-output{fill:#1f9d55}
.tinyloop-timeline .tl-wake{fill:none;stroke:#1f9d55;stroke-width:1.2;opacity:.8}
.tinyloop-timeline .tl-end{font-size:11px;fill:#333}
.tinyloop-timeline .tl-end[data-outcome=raised]{fill:#d8453b}
.tinyloop-timeline .tl-end[data-outcome=cancelled]{fill:#8a6d00}
.tinyloop-timeline .tl-tick{font-size:10px;fill:#6b7682}
.tinyloop-timeline .tl-tick-line{stroke:#d5dbe2}
.tinyloop-timeline .tl-iter-line{stroke:#e4e8ed}
.tinyloop-timeline .tl-view-pause{fill-opacity:.45}
.tinyloop-timeline .tl-legend{margin:4px 0 0;color:#56616e;font-size:11px}
.tinyloop-timeline .tl-legend{display:flex;flex-wrap:wrap;row-gap:2px}
.tinyloop-timeline .tl-legend i{display:inline-block;width:10px;height:10px;margin:0 4px 0 0;vertical-align:-1px}
.tinyloop-timeline details{margin-top:6px}
.tinyloop-timeline .tl-svg{max-width:100%;height:auto}
.tinyloop-timeline .tl-axis-title{font-size:10px;font-weight:600;fill:#56616e;letter-spacing:.03em}
.tinyloop-timeline .tl-cursor{fill:#ffd43b;fill-opacity:.3;stroke:#e8a200;stroke-width:1;vector-effect:non-scaling-stroke;pointer-events:none;opacity:0}
.tinyloop-timeline .tl-legend span{white-space:nowrap;margin-right:6px}
.tinyloop-timeline .tl-head{margin:2px 0 4px}
"""


def label_width(*layouts: Layout) -> int:
    """Pixels for the lane titles at the left: the longest title, within bounds (same for pictures that align)."""
    longest = max(
        (len(lane_title(lay, lane.id)) for lay in layouts for lane in lay.lane_order()[:MAX_LANES]), default=8
    )
    return int(min(_LABEL_W, max(90, min(longest, _TITLE_CHARS) * _TITLE_CHAR_W + 22)))


def iteration_span(layout: Layout, index: int, axis: str) -> tuple[float, float]:
    """Where iteration `index` (position in layout.iterations) sits on the axis, in axis units."""
    its = layout.iterations
    it = its[index]
    if axis == "time":
        return it.t0, max(it.t1, it.t0)
    nxt = next((later.col for later in its[index + 1 :] if later.col > it.col), layout.ncols or it.col + 1)
    return it.col, nxt


def render_svg(
    source: Any,
    axis: str = "iteration",
    width: int = PLOT_WIDTH,
    *,
    extent: float | None = None,
    marked: set[tuple[int, int]] | None = None,
    label_w: int | None = None,
    cursor: bool = False,
) -> str:
    """One `<svg>` of the timeline on the given axis ("iteration" or "time").

    `extent` stretches the axis and `label_w` sets the title column (to align two
    timelines); steps whose (lane, iteration) is in `marked` get `data-diverge`
    (the compare view). `cursor` adds the band the widget moves to the current
    iteration (`tl-cursor`: hidden until a state panel's style places it).
    """
    layout = source if isinstance(source, Layout) else build_layout(source)
    pid = f"tl{next(_ids)}"
    lanes = layout.lane_order()
    hidden = max(0, len(lanes) - MAX_LANES)
    lanes = lanes[:MAX_LANES]
    row = {lane.id: k for k, lane in enumerate(lanes)}
    # Segments are merged at `detail` pixels per lane: the full width for a few lanes, less for
    # many (why: the page must stay a few MB whatever the trace; SEGMENT_BUDGET elements in all).
    detail = min(width, max(60, SEGMENT_BUDGET // (2 * len(lanes))))
    extent = extent or layout.extent(axis) or 1.0
    label_w = label_w or label_width(layout)
    total_w = label_w + width + _END_W
    total_h = _TOP + _LANE_H * len(lanes) + (18 if hidden else 6)

    def x(v: float) -> float:
        return round(label_w + v / extent * width, 2)

    def y(lane_id: int) -> float:
        return _TOP + _LANE_H * row[lane_id]

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tl-svg" data-axis="{axis}" width="{total_w}" '
        f'height="{total_h}" viewBox="0 0 {total_w} {total_h}">',
        f'<defs><marker id="{pid}-arrow" viewBox="0 0 6 6" refX="5" refY="3" markerWidth="6" markerHeight="6" '
        f'orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#1f9d55"/></marker>'
        f'<pattern id="{pid}-paused" width="5" height="5" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="2" height="5" fill="#8a949e"/></pattern></defs>',
    ]
    if axis != "time" and layout.ncols and width / layout.ncols >= 8:  # iteration boundaries, while they stay apart
        for k in range(int(layout.ncols) + 1):
            out.append(f'<line class="tl-iter-line" x1="{x(k)}" y1="{_TOP - 2}" x2="{x(k)}" y2="{total_h - 4}"/>')
    title = "loop iteration →" if axis != "time" else "time →"
    out.append(f'<text class="tl-axis-title" x="4" y="{_TOP - 9}">{title}</text>')
    if axis == "time":  # behind everything: the run stood still there, for tinyloop's sake
        for t0, t1 in layout.view_pauses:
            ms = (t1 - t0) * 1000
            out.append(
                f'<rect class="tl-view-pause" fill="url(#{pid}-paused)" x="{x(t0)}" y="{_TOP - 4}" '
                f'width="{max(1.0, x(t1) - x(t0)):.2f}" '
                f'height="{total_h - _TOP}"><title>tinyloop drew the live timeline here: the run waited '
                f"{ms:.0f} ms</title></rect>"
            )
    for tx, label in ticks(layout, axis, most=max(2, width // 90)):
        out.append(f'<line class="tl-tick-line" x1="{x(tx)}" y1="{_TOP - 6}" x2="{x(tx)}" y2="{total_h - 4}"/>')
        out.append(f'<text class="tl-tick" x="{x(tx) + 2}" y="{_TOP - 9}">{escape(label)}</text>')
    for lane in lanes:
        top, name = y(lane.id), escape(lane.name, quote=True)
        attrs = f'data-task="{name}" data-lane="{lane.id}"'
        out.append(f'<g class="tl-lane" {attrs}>')
        out.append(f'<rect class="tl-lane-bg" x="{label_w}" y="{top + 2}" width="{width}" height="{_LANE_H - 4}"/>')
        title = lane_title(layout, lane.id)
        shown = escape(_clip(title, max(6, int((label_w - 14) / _TITLE_CHAR_W))))
        out.append(
            f'<text class="tl-lane-label" x="4" y="{top + _LANE_H / 2 + 4}">{shown}<title>{escape(title)}</title></text>'
        )
        for seg in lane_segments(layout, lane.id, axis, detail):
            out.append(_segment(seg, attrs, x, top, marked is not None and (lane.id, seg.iteration) in marked))
        if lane.end:
            mark = f"{_END_MARK.get(lane.end, '')} {end_text(layout, lane.id)}"
            out.append(
                f'<text class="tl-end" {attrs} data-outcome="{lane.end}" x="{x(extent) + 6}" '
                f'y="{top + _LANE_H / 2 + 4}">{escape(_clip(mark, 18))}<title>{escape(mark)}</title></text>'
            )
        out.append("</g>")
    marks = [m for m in wake_marks(layout, axis, width) if m.src_lane in row and m.dst_lane in row]
    for mark in marks:
        x0, x1 = x(mark.src_x), x(mark.dst_x)
        down = row[mark.dst_lane] > row[mark.src_lane]
        y0, y1 = y(mark.src_lane) + _LANE_H / 2, y(mark.dst_lane) + (4 if down else _LANE_H - 4)
        if len(marks) > _FEW_WAKES or abs(row[mark.dst_lane] - row[mark.src_lane]) > _NEAR_LANES:
            # Only the arrow's head, into the lane that woke (why: a hundred arrows across
            # a hundred lanes hide the bars; the cause is in the hover text).
            y0 = y1 - 7 if down else y1 + 7
            d = f"M{x1},{y0} L{x1},{y1}"
        else:
            d = f"M{x0},{y0} C{x0},{y1} {x1},{y0} {x1},{y1}"
        task = escape(layout.lanes[mark.dst_lane].name, quote=True)
        cleanup = ' data-cleanup="1"' if mark.cleanup else ""
        why = " (clean-up after the deadlock: the loop cancels it)" if mark.cleanup else ""
        out.append(
            f'<path class="tl-wake" data-task="{task}" data-iter="{mark.iteration}"{cleanup} '
            f'data-cause="{escape(mark.cause, quote=True)}" d="{d}" '
            f'marker-end="url(#{pid}-arrow)"><title>{task} woke: {escape(mark.cause)}{why}</title></path>'
        )
    if hidden:
        out.append(f'<text class="tl-tick" x="4" y="{total_h - 5}">… {hidden} more tasks not drawn</text>')
    if cursor:  # over the bars but see-through, and never in the way of hovering them
        out.append(
            f'<rect class="tl-cursor" data-axis="{axis}" x="0" y="{_TOP - 4}" width="1" height="{total_h - _TOP}"/>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _segment(seg: Any, attrs: str, x: Any, top: float, diverges: bool = False) -> str:
    x0 = x(seg.x0)
    w = round(max(x(seg.x1) - x0, 0.0), 2)
    data = f'{attrs} data-iter="{seg.iteration}"'
    title = f"<title>{escape(seg.detail)}</title>" if seg.detail else ""
    if seg.kind in ("step", "callback"):
        cls = "tl-bar" if seg.kind == "step" else "tl-callback"
        extra = f' data-count="{seg.count}"' + (' data-blocked="1"' if seg.blocked else "")
        extra += ' data-diverge="1"' if diverges and seg.kind == "step" else ""
        extra += ' data-cleanup="1"' if seg.cleanup else ""
        if seg.kind == "callback":
            extra += f' data-label="{escape(seg.label, quote=True)}"'
        w = max(w, 1.5)  # a step is never invisible
        rect = f'<rect class="{cls}" {data}{extra} x="{x0}" y="{top + 5}" width="{w}" height="{_BAR_H}">{title}</rect>'
        if seg.outputs:
            lines = escape("\n".join(seg.outputs[:20]))
            rect += (
                f'<circle class="tl-output" {data} cx="{x0 + w / 2}" cy="{top + 3}" r="3.2">'
                f"<title>printed:\n{lines}</title></circle>"
            )
        return rect
    if seg.kind == "wait":
        label = escape(seg.label, quote=True)
        mid = top + _LANE_H / 2
        text = ""
        if w > (len(seg.label) + 2) * _CHAR_W:
            text = f'<text class="tl-gap-label" x="{x0 + w / 2}" y="{mid - 3}" text-anchor="middle">{escape(seg.label)}</text>'
        return (
            f'<g class="tl-wait" {data} data-label="{label}">{title}'
            f'<line class="tl-wait-line" x1="{x0}" y1="{mid + 3}" x2="{x0 + w}" y2="{mid + 3}"/>{text}</g>'
        )
    cls = {"queued": "tl-queued", "select": "tl-select", "idle": "tl-idle"}[seg.kind]
    return f'<rect class="{cls}" {data} x="{x0}" y="{top + 9}" width="{w}" height="{_BAR_H - 8}">{title}</rect>'


def render_html(source: Any, width: int = PLOT_WIDTH) -> str:
    """The static fallback: the iteration axis, the time axis under <details>, a legend, printed lines."""
    layout = source if isinstance(source, Layout) else build_layout(source)
    tasks = len(layout.lanes) - 1
    head = (
        f"<b>{timeline_title(layout)}</b> · {tasks} task{'s' if tasks != 1 else ''} · "
        f"{len(layout.iterations)} loop iterations · {fmt_time(layout.t_end)}"
    )
    legend = legend_html(drawn=legend_keys_for(layout))
    parts = [
        f'<div class="tinyloop-timeline" data-iterations="{len(layout.iterations)}" data-tasks="{tasks}">',
        f"<style>{CSS}</style>",
        f'<div class="tl-head">{head} · axis: loop iterations (each the same width)</div>',
        render_svg(layout, "iteration", width),
        legend,
        "<details><summary>time axis</summary>",
        render_svg(layout, "time", width),
        "</details>",
    ]
    if layout.outputs:
        shown = layout.outputs[:200]
        rows = "\n".join(
            f"[{n}] {escape(layout.lanes[lane].name if lane in layout.lanes and lane else 'loop')}: "
            f"{escape(text.rstrip())}"
            for _t, lane, n, text in shown
        )
        more = f"\n… {len(layout.outputs) - len(shown)} more lines" if len(layout.outputs) > len(shown) else ""
        parts.append(f'<details class="tl-outputs"><summary>printed lines ([iteration] task)</summary><pre>{rows}{more}</pre></details>')  # fmt: skip
    parts.append("</div>")
    return "\n".join(parts)


DIVERGE_COLOR = "#2b2f36"  # a compare's divergent step: its own colour, far from the red of a blocking step
DIVERGE_KEY = (DIVERGE_COLOR, "", "step where the two runs ran different tasks")


CLEANUP_KEY = ("#9aa5b1", "", "clean-up after a deadlock: the loop cancels the stuck tasks")

# Every mark a picture can draw, with its key (the colours are the CSS's).
_KEYS = {
    "step": ("#3b7dd8", "", "step (the task runs)"),
    "blocked": ("#d8453b", "", "step that blocked the loop"),
    "queued": ("#e3c770", "", "in the ready queue"),
    "wait": ("", "border-top:2px dashed #9aa5b1;height:0;vertical-align:3px", "waiting (labelled: what for)"),
    "callback": ("#8a63d2", "", "loop callback"),
    "select": ("#c9d3e0", "", "loop waits in select"),
    "idle": ("#f0a04b", "", "idle polls"),
    "output": ("#1f9d55", "border-radius:5px", "printed a line"),
    "paused": (
        "",
        "background:repeating-linear-gradient(45deg,#8a949e 0 1.5px,transparent 1.5px 3.5px);opacity:.6",
        "time axis: the run waited while tinyloop drew it live",
    ),
}
_WAKE = '<span><b style="color:#1f9d55">↓</b> wake-up: what ended a wait</span>'


def legend_keys_for(layout: Layout) -> tuple:
    """The kinds of mark this picture draws, and only those (why: a legend of what is not
    there misleads; the generator loop has no select, no callbacks and no wake-ups)."""
    from .layout import loop_waited

    drawn = {
        "step": any(bar.kind == "step" for bar in layout.bars),
        "blocked": any(bar.blocked for bar in layout.bars),
        "queued": bool(layout.pushes) or any(bar.wait == "ready" for bar in layout.bars),
        "wait": any(bar.wait and bar.wait != "ready" for bar in layout.bars),  # (a bar's wait is its gap's label)
        "callback": any(bar.kind == "callback" for bar in layout.bars),
        "select": any(loop_waited(it) for it in layout.iterations),
        "idle": bool(layout.idle_polls),
        "output": bool(layout.outputs),
        "wake": bool(layout.wakes),
        "cleanup": any(bar.cleanup for bar in layout.bars),
        "paused": bool(layout.view_pauses),
    }
    return tuple(kind for kind, there in drawn.items() if there)


def legend_html(extra: str = "", more_keys: tuple = (), drawn: tuple | None = None) -> str:
    """What the marks mean: those in `drawn` (legend_keys_for; None: every kind), then
    `more_keys`, (colour, style, text) of a view's own marks."""
    kinds = tuple(_KEYS) + ("wake", "cleanup") if drawn is None else drawn
    keys = [_KEYS[kind] for kind in _KEYS if kind in kinds]
    keys += [CLEANUP_KEY] if "cleanup" in kinds and drawn is not None else []
    keys += list(more_keys)
    items = "".join(
        f'<span><i style="{f"background:{color};" if color else ""}{style}"></i>{escape(text)}</span>'
        for color, style, text in keys
    )
    arrow = _WAKE if "wake" in kinds else ""
    return f'<div class="tl-legend">{items}{arrow}<span>· hover any mark for details{escape(extra)}</span></div>'


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
