"""The interactive timeline: the lanes on two axes, Play and a slider over loop iterations, and
the loop's state at each iteration.

Built from stock ipywidgets 8 so that it needs no front-end build and keeps
working with no kernel (a notebook opened later, the kernel busy or gone):
everything that moves is linked in the browser with `jslink`::

    axis buttons ──index──▶ Stack of two pictures (iteration axis, time axis)
    Play ──value──▶ slider over iterations ──index──▶ Stack of state panels

    ┌ tinyloop timeline · 4 tasks · 13 loop iterations · 36 ms ───────────┐
    │ [loop iterations | time]                                            │
    │ lanes (SVG): one per task and one for the loop; the current         │
    │ iteration is a yellow band, its steps outlined                      │
    │ legend                                                              │
    │ ▶ ■   iteration ────●──────── 5                                      │
    │ Iteration 5 of 13 · at 11.2 ms                                      │
    │ event loop → beta.step → worker → ... → event loop                  │
    │ ready queue │ timer heap │ selector │ tasks (start → end)            │
    │ ▸ control transfers                                                 │
    └─────────────────────────────────────────────────────────────────────┘

How the picture follows the slider without any JavaScript of ours: a Stack
shows only its selected child, so each state panel carries a small `<style>`
that places the band and outlines that iteration's steps; it applies while
its panel is the one shown (rules scoped to this widget's own class).

Frames come from `Layout.frames()`; a long run is sampled to `max_frames`
panels (each says which iteration it shows). While a run goes on,
`on_progress` redraws the pictures (the magic's live hook); `finish()` adds
the panels.
"""

from __future__ import annotations

import itertools
import time
from html import escape
from typing import Any

import ipywidgets as widgets

from loop_impl.diagnostics import collector_paused

from .frames import Frame
from .layout import Layout, build_layout
from .render_svg import CSS, PLOT_WIDTH, iteration_span, label_width, legend_html, legend_keys_for, render_svg
from .segments import fmt_time, timeline_title

__all__ = ("TimelineWidget", "panel_html", "PANEL_CSS")

PANEL_STEPS = 24  # control transfers a panel lists (a busy iteration has hundreds; the rest are counted)
PANEL_LIST = 12  # ready-queue entries and timers a panel lists
GROUP_NAMES = 4  # names shown for a group of tasks in the same state
MAX_FRAMES = (
    200  # panels sent to the browser; a longer run is sampled (why: a panel is a few KB; 100k events stay near 2 MB)
)
LIVE_SHARE = 0.05  # at most this share of a live run's time goes to redrawing the picture (it pauses the run)
# A live picture lays out the latest events only (why: laying out the whole growing trace
# again and again made a 1M-switch cell's redraws cost more than its run; the finished
# timeline shows everything).
LIVE_EVENTS = 40_000
_ids = itertools.count(1)

# A reopened notebook draws the saved widget with no kernel behind it; ipywidgets then
# marks every part "disconnected". Not shown (why: Play, the slider and the axis switch are
# linked in the browser, so the timeline works fully without a kernel).
NO_DISCONNECTED_MARKS = (
    ".tinyloop-timeline-widget.jupyter-widgets-disconnected::before,"
    ".tinyloop-timeline-widget .jupyter-widgets-disconnected::before{content:none;display:none}"
)

PANEL_CSS = """
.tl-panel{font:12px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;color:#222;border:1px solid #dde3ea;border-radius:4px;padding:6px 8px;min-height:150px;background:#fff}
.tl-panel .tl-panel-head{font-weight:600;margin:0 0 4px;font-size:12.5px}
.tl-panel .tl-panel-head small{font-weight:400;color:#56616e}
.tl-panel .tl-line{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11.5px;background:#f3f5f8;padding:3px 6px;border-radius:3px;white-space:normal}
.tl-panel .tl-cols{display:flex;flex-wrap:wrap;gap:6px 18px;margin-top:6px}
.tl-panel .tl-cols>div{min-width:140px;max-width:340px;overflow-wrap:anywhere}
.tl-panel h4{margin:0 0 2px;font-size:10.5px;text-transform:uppercase;letter-spacing:.05em;color:#56616e}
.tl-panel ol,.tl-panel ul{margin:0;padding-left:18px}
.tl-panel .tl-empty{color:#8a949e;font-style:italic}
.tl-panel .tl-steps{margin-top:6px;font-size:11.5px}
.tl-panel .tl-steps summary{cursor:pointer;color:#56616e;font-weight:600}
.tl-panel .tl-steps ol{max-height:220px;overflow-y:auto;padding-left:4px}
.tl-panel .tl-steps li{list-style:none;margin:1px 0}
.tl-panel .tl-steps b{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}
.tl-panel .tl-fires{color:#1f9d55;font-weight:600}
.tl-panel .tl-tasks ul{list-style:none;padding-left:0}
.tl-panel .tl-printed{margin-top:6px}
.tl-panel .tl-printed pre{margin:0;padding:3px 6px;background:#eefaf2;border-left:3px solid #1f9d55;font-size:11.5px;white-space:pre-wrap}
.tl-panel .tl-state{display:inline-block;padding:0 5px;border-radius:3px;font-size:11px;background:#eef1f5;color:#394452}
.tl-panel .tl-state[data-state=running]{background:#3b7dd8;color:#fff}
.tl-panel .tl-state[data-state=ready]{background:#f6e7b0;color:#5c4a00}
.tl-panel .tl-state[data-state=waiting]{background:#e4e8ed;color:#394452}
.tl-panel .tl-state[data-state=done]{background:#d3f0dc;color:#11643a}
.tl-panel .tl-state[data-state=new]{background:none;color:#8a949e;font-style:italic}
.tinyloop-timeline-widget .widget-toggle-buttons .widget-toggle-button{width:auto;padding:0 10px}
.tinyloop-timeline-widget .tl-widget-head{font:12.5px system-ui,-apple-system,'Segoe UI',sans-serif;color:#222}
.tinyloop-timeline-widget .tl-pictures{max-height:560px;overflow-y:auto}
.tinyloop-timeline-widget .tl-panels .tl-panel:not(.tl-empty){height:380px;overflow-y:auto;box-sizing:border-box}
"""
# (the last two rules: many lanes scroll inside the picture, so Play and the slider stay
# near them; every panel is one height, so the widget does not jump while stepping)


def _state(text: str) -> str:
    """A task state as a coloured chip (data-state: new / ready / running / waiting / done)."""
    kind = "new" if text.startswith("not created") else text.split(" ", 1)[0].rstrip(":")
    return f'<span class="tl-state" data-state="{escape(kind, quote=True)}">{escape(text)}</span>'


def _task_rows(tasks: list[tuple[str, str, str]]) -> list[str]:
    """One row per task, or per group of tasks that went the same way (why: forty spinning tasks
    read better as one row, and a long run's panels stay small)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for name, before, after in tasks:
        groups.setdefault((before, after), []).append(name)
    rows = []
    for (before, after), names in groups.items():
        shown = ", ".join(escape(n) for n in names[:GROUP_NAMES])
        if len(names) > GROUP_NAMES:
            shown += f" <small>and {len(names) - GROUP_NAMES} more ({len(names)} tasks)</small>"
        change = f" → {_state(after)}" if after != before else ""
        rows.append(f"<li><b>{shown}</b> {_state(before)}{change}</li>")
    return rows


def panel_html(frame: Frame, total: int, sampled: bool = False, printed: list[str] | None = None) -> str:
    """One frame's state panel (`total`: iterations in the run; `printed`: "task: line" printed in it)."""
    e = escape
    out = ""
    if printed:
        shown = "\n".join(e(line) for line in printed[:PANEL_LIST])
        more = f"\n… {len(printed) - PANEL_LIST} more lines" if len(printed) > PANEL_LIST else ""
        out = f'<div class="tl-printed"><h4>printed in this iteration</h4><pre>{shown}{more}</pre></div>'
    # (an empty queue is said, not numbered: "1. empty" would read as one entry)
    ready = (
        "".join(f"<li>{e(r)}</li>" for r in frame.ready[:PANEL_LIST])
        or '<li class="tl-empty" style="list-style:none">empty</li>'
    )
    if len(frame.ready) > PANEL_LIST:
        ready += f'<li class="tl-empty">… {len(frame.ready) - PANEL_LIST} more</li>'
    timers = (
        "".join(
            f"<li>due {fmt_time(due)}: {e(what)}"
            + (f' <span class="tl-fires">{e(note)}</span>' if note else "")
            + "</li>"
            for due, what, note in frame.timers[:PANEL_LIST]
        )
        or '<li class="tl-empty">none</li>'
    )
    if len(frame.timers) > PANEL_LIST:
        timers += f'<li class="tl-empty">… {len(frame.timers) - PANEL_LIST} more, due later</li>'
    fds = "".join(f"<li>fd {fd}: {e(mode)}</li>" for fd, mode in frame.fds) or '<li class="tl-empty">none</li>'
    tasks = "".join(_task_rows(frame.tasks)) or '<li class="tl-empty">none</li>'
    more = "".join(f"; {n} more {what} not shown" for what, n in frame.more.items())
    steps = "".join(
        f'<li style="padding-left:{12 * t.depth}px"><b>{e(t.place)}</b>: {e(t.detail)}</li>'
        for t in frame.narration[:PANEL_STEPS]
    )
    if len(frame.narration) > PANEL_STEPS:
        hidden = len(frame.narration) - PANEL_STEPS - (1 if "steps" in frame.more else 0)  # (the summary line aside)
        rest = f", then the other {frame.more['steps']:,} ready entries, run the same way" if "steps" in frame.more else ""
        steps += f'<li class="tl-empty">… {hidden} more transfers{rest}</li>'
    note = " · sampled: not every iteration has a panel" if sampled else ""
    return (
        f'<div class="tl-panel" data-iter="{frame.iteration}" data-frame="{frame.index}">'
        f'<div class="tl-panel-head">Iteration {frame.iteration} of {total} '
        f"<small>· state when the loop has waited and is about to run what is ready, at {fmt_time(frame.t)}"
        f"{e(more)}{note}</small></div>"
        f'<div class="tl-line" title="where control went in this iteration">{e(frame.line)}</div>{out}'
        '<div class="tl-cols">'
        f'<div class="tl-ready"><h4>ready queue</h4><ol>{ready}</ol></div>'
        f'<div class="tl-timers"><h4>timer heap</h4><ul>{timers}</ul></div>'
        f'<div class="tl-fds"><h4>selector</h4><ul>{fds}</ul></div>'
        f'<div class="tl-tasks"><h4>tasks: start → end of iteration</h4><ul>{tasks}</ul></div>'
        "</div>"
        f'<details class="tl-steps" open><summary>control transfers, step by step</summary><ol>{steps}</ol></details>'
        "</div>"
    )


def cursor_style(scope: str, layout: Layout, index: int, width: int, label_w: int) -> str:
    """The `<style>` a panel carries: the band on iteration `index` in both pictures, its steps outlined."""
    rules = []
    for axis in ("iteration", "time"):
        v0, v1 = iteration_span(layout, index, axis)
        extent = layout.extent(axis) or 1.0
        x0 = label_w + v0 / extent * width
        w = max((v1 - v0) / extent * width, 3.0)  # a microsecond-long iteration still shows
        rules.append(
            f".{scope} .tl-cursor[data-axis={axis}]{{opacity:1;transform:translate({x0:.2f}px,0) scale({w:.2f},1)}}"
        )
    n = layout.iterations[index].n
    rules.append(f'.{scope} .tl-svg [data-iter="{n}"]:is(.tl-bar,.tl-callback){{stroke:#111;stroke-width:1.5}}')
    return f"<style>{''.join(rules)}</style>"


class TimelineWidget(widgets.VBox):
    """The timeline with an axis switch, Play, a slider over iterations and a state panel per iteration."""

    def __init__(
        self, source: Any = None, *, max_frames: int = MAX_FRAMES, interval_ms: int = 700, width: int = PLOT_WIDTH
    ) -> None:
        self._source = source
        self.max_frames = max_frames
        self.width = width
        self.scope = f"tl-w{next(_ids)}"  # this widget's class: panel styles touch only its pictures
        self._next_live = 0.0
        self.header = widgets.HTML('<div class="tl-widget-head"><b>tinyloop timeline</b> · waiting for the loop…</div>')
        self.axis = widgets.ToggleButtons(
            options=["loop iterations", "time"],
            tooltips=["every iteration the same width", "real (or virtual) time: sleeps dominate"],
        )
        self.axis.add_class("tl-axis-switch")
        self.pictures = widgets.Stack([widgets.HTML(), widgets.HTML()], selected_index=0)
        self.pictures.add_class("tl-pictures")
        self.legend = widgets.HTML(f'<div class="tinyloop-timeline">{legend_html()}</div>')
        self.play = widgets.Play(min=0, max=0, step=1, interval=interval_ms, description="Play", show_repeat=False)
        self.slider = widgets.SelectionSlider(options=["–"], description="iteration", continuous_update=True)
        self.slider.layout.width = "60%"
        placeholder = widgets.HTML('<div class="tl-panel tl-empty" style="min-height:0">the state panels come when the run ends</div>')  # fmt: skip
        self.panels = widgets.Stack([placeholder], selected_index=0)
        self.panels.add_class("tl-panels")
        self._replaced: list[Any] = [placeholder]  # models no longer shown, closed with the rest by release()
        # Linked in the browser (why: scrubbing must work with no kernel, and while it is busy).
        self._links = [
            widgets.jslink((self.axis, "index"), (self.pictures, "selected_index")),
            widgets.jslink((self.play, "value"), (self.slider, "index")),
            widgets.jslink((self.slider, "index"), (self.panels, "selected_index")),
        ]
        style = widgets.HTML(f"<style>{CSS}{PANEL_CSS}{NO_DISCONNECTED_MARKS}</style>")
        controls = widgets.HBox([self.play, self.slider])
        super().__init__([style, self.header, self.axis, self.pictures, self.legend, controls, self.panels])
        self.add_class("tinyloop-timeline-widget")
        self.add_class(self.scope)
        if source is not None:
            self.refresh()

    @property
    def layout_data(self) -> Layout | None:
        source = self._source
        if source is None:
            return None
        return source if isinstance(source, Layout) else build_layout(source)

    def refresh(self, trace: Any = None, panels: bool = True) -> None:
        """Lay the trace out again (it may have grown); redraw the pictures, and the panels unless told not to."""
        if trace is not None:
            self._source = trace
        layout = self.layout_data
        if layout is None:
            return
        label_w = label_width(layout)
        for child, axis in zip(self.pictures.children, ("iteration", "time"), strict=True):
            svg = render_svg(layout, axis, self.width, label_w=label_w, cursor=True)
            child.value = f'<div class="tinyloop-timeline">{svg}</div>'
        tasks, total = len(layout.lanes) - 1, len(layout.iterations)
        running = "" if panels else " · <i>running…</i>"
        if not panels and getattr(layout.trace, "meta", {}).get("first_event"):
            running = " · <i>running… (the latest iterations)</i>"
        header = (
            f'<div class="tl-widget-head"><b>{timeline_title(layout)}</b> · {tasks} task{"s" if tasks != 1 else ""} · '
            f"{total} loop iteration{'s' if total != 1 else ''} · {fmt_time(layout.t_end)}{running}</div>"
        )
        legend = f'<div class="tinyloop-timeline">{legend_html(drawn=legend_keys_for(layout))}</div>'
        if self.legend.value != legend:
            self.legend.value = legend
        if panels:
            self._build_panels(layout, total, label_w)
        # The header last (why: the browser applies updates in order, so a header
        # that no longer says "running…" means the panels are there too).
        self.header.value = header
        if isinstance(self._source, Layout) and self._source.trace is not None:
            self._source = self._source.trace  # keep the trace, not its layout (many times bigger)

    def _build_panels(self, layout: Layout, total: int, label_w: float) -> None:
        frames = layout.frames()
        # Frames and its layout refer to each other: a cycle only the cyclic GC would free,
        # some time later (a 1M-switch layout is a gigabyte). The panels need it no more.
        layout._frames = None
        built = frames.build(frames.sample(self.max_frames))
        if not built:
            return  # nothing to step through: the placeholder panel stays
        sampled = len(built) < len(frames)
        self.panels.selected_index = 0  # valid for any number of children
        self._replaced.extend(self.panels.children)
        printed: dict[int, list[str]] = {}
        for _t, lane, n, text in layout.outputs:
            who = layout.lanes[lane].name if lane in layout.lanes and lane else "loop"
            printed.setdefault(n, []).append(f"{who}: {text.rstrip()}")
        self.panels.children = [
            widgets.HTML(
                cursor_style(self.scope, layout, f.index, self.width, label_w)
                + panel_html(f, total, sampled, printed.get(f.iteration))
            )
            for f in built
        ]
        self.slider.options = [str(f.iteration) for f in built]
        self.play.max = len(built) - 1
        self.slider.description = "iteration" if not sampled else "iteration (sampled)"

    def on_progress(self, trace: Any) -> None:
        """The magic's live hook, called as the run goes: the pictures grow; panels wait for finish().

        A redraw that took d seconds is not repeated for d / LIVE_SHARE seconds
        (why: laying out a long trace again every 100 ms would slow the run it shows).
        """
        now = time.perf_counter()
        if now < self._next_live:
            self._source = trace
            return
        with collector_paused():  # (see LiveTimeline.finish)
            self.refresh(trace.tail(LIVE_EVENTS) if len(trace) > LIVE_EVENTS else trace, panels=False)
        self._next_live = now + (time.perf_counter() - now) / LIVE_SHARE

    def charge(self, seconds: float) -> None:
        """`seconds` more went to showing this view (making and displaying it): the next live
        redraw waits for them too (why: the first showing costs most, and pauses the run alike)."""
        self._next_live = max(self._next_live, time.perf_counter() + seconds / LIVE_SHARE)

    def finish(self, trace: Any = None) -> None:
        """The run is over: the complete pictures and every panel."""
        self.refresh(trace)

    def release(self) -> None:
        """Close every model this view made (its children, their layouts and styles, the
        links), and let go of the trace: the kernel keeps nothing of it afterwards."""
        todo: list[Any] = [self, *self._links, *self._replaced]
        seen: set[int] = set()
        while todo:
            widget = todo.pop()
            if id(widget) in seen or not isinstance(widget, widgets.Widget):
                continue
            seen.add(id(widget))
            todo.extend(getattr(widget, "children", ()))
            todo.extend(getattr(widget, name, None) for name in ("layout", "style"))
            widget.close()
        self._links = self._replaced = []
        self._source = None
