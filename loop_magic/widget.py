"""The interactive timeline: Play and a slider over loop iterations, and the loop's state at each.

Built from stock ipywidgets 8 so that it needs no front-end build and keeps
working with no kernel (a static export with widget state, a notebook
opened later): the slider is linked to Play and to a `Stack` of one state
panel per frame with `jslink`, so scrubbing happens in the browser alone.

    ┌ timeline (the static SVG, iteration axis) ──────────────────────────┐
    │ ▶ ⏸ ■   ───────●────────────  iteration                             │
    │ Iteration 3 · 0.21 ms  event loop → main_task.step → ... → event loop │
    │ ready queue │ timer heap │ selector │ tasks (before → after) │ steps  │
    └─────────────────────────────────────────────────────────────────────┘

Frames come from `Layout.frames()`; a long run is sampled to `max_frames`
panels (each panel says which iteration it shows). `refresh()` lays the
trace out again: the magic's progress hook calls it while a run grows.
"""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as widgets

from .frames import Frame
from .layout import Layout, build_layout
from .render_svg import CSS, render_svg
from .segments import fmt_time

__all__ = ("TimelineWidget", "panel_html", "PANEL_CSS")

PANEL_STEPS = 40  # control transfers a panel lists (a busy iteration has hundreds)
MAX_FRAMES = 300  # panels sent to the browser; a longer run is sampled (each panel is a few KB)

PANEL_CSS = """
.tl-panel{font:12px/1.35 system-ui,-apple-system,'Segoe UI',sans-serif;color:#222}
.tl-panel .tl-panel-head{font-weight:600;margin:2px 0 4px}
.tl-panel .tl-line{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11.5px;background:#f3f5f8;padding:3px 6px;border-radius:3px;white-space:normal}
.tl-panel .tl-cols{display:flex;flex-wrap:wrap;gap:14px;margin-top:6px}
.tl-panel .tl-cols>div{min-width:150px;max-width:320px}
.tl-panel h4{margin:0 0 2px;font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#56616e}
.tl-panel ol,.tl-panel ul{margin:0;padding-left:18px}
.tl-panel .tl-empty{color:#8a949e;font-style:italic}
.tl-panel .tl-steps{margin-top:6px;font-size:11.5px}
.tl-panel .tl-steps li{list-style:none;margin:1px 0}
.tl-panel .tl-steps b{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}
.tl-panel .tl-fires{color:#1f9d55;font-weight:600}
.tl-panel .tl-pos{height:4px;background:#e4e8ed;margin:4px 0;position:relative}
.tl-panel .tl-pos span{position:absolute;top:-2px;width:3px;height:8px;background:#d8453b}
"""


def panel_html(frame: Frame, position: float) -> str:
    """One frame's state panel (`position`: where the iteration sits on the axis, 0..1)."""
    e = escape
    ready = "".join(f"<li>{e(r)}</li>" for r in frame.ready) or '<li class="tl-empty">empty</li>'
    timers = (
        "".join(
            f"<li>{fmt_time(due)}: {e(what)}" + (f' <span class="tl-fires">{e(note)}</span>' if note else "") + "</li>"
            for due, what, note in frame.timers
        )
        or '<li class="tl-empty">none</li>'
    )
    fds = "".join(f"<li>fd {fd}: {e(mode)}</li>" for fd, mode in frame.fds) or '<li class="tl-empty">none</li>'
    tasks = (
        "".join(
            f"<li><b>{e(name)}</b>: {e(before)}" + (f" → {e(after)}" if after != before else "") + "</li>"
            for name, before, after in frame.tasks
        )
        or '<li class="tl-empty">none</li>'
    )
    more = "".join(f" ({n} more {what} not shown)" for what, n in frame.more.items())
    steps = "".join(
        f'<li style="padding-left:{12 * t.depth}px"><b>{e(t.place)}</b>: {e(t.detail)}</li>'
        for t in frame.narration[:PANEL_STEPS]
    )
    if len(frame.narration) > PANEL_STEPS:
        steps += f'<li class="tl-empty">… {len(frame.narration) - PANEL_STEPS} more transfers in this iteration</li>'

    pos = f'<div class="tl-pos"><span style="left:{100 * position:.2f}%"></span></div>'
    return (
        f'<div class="tl-panel" data-iter="{frame.iteration}" data-frame="{frame.index}">'
        f'<div class="tl-panel-head">Iteration {frame.iteration} · {fmt_time(frame.t)}{e(more)}</div>{pos}'
        f'<div class="tl-line">{e(frame.line)}</div>'
        '<div class="tl-cols">'
        f'<div class="tl-ready"><h4>ready queue</h4><ol>{ready}</ol></div>'
        f'<div class="tl-timers"><h4>timer heap</h4><ul>{timers}</ul></div>'
        f'<div class="tl-fds"><h4>selector</h4><ul>{fds}</ul></div>'
        f'<div class="tl-tasks"><h4>tasks (start → end of iteration)</h4><ul>{tasks}</ul></div>'
        "</div>"
        f'<details class="tl-steps" open><summary>control transfers</summary><ol>{steps}</ol></details>'
        "</div>"
    )


class TimelineWidget(widgets.VBox):
    """The timeline with Play, a slider over iterations and a state panel per iteration."""

    def __init__(self, source: Any, *, max_frames: int = MAX_FRAMES, interval_ms: int = 600) -> None:
        self._source = source
        self.max_frames = max_frames
        self.picture = widgets.HTML()
        self.play = widgets.Play(min=0, max=0, step=1, interval=interval_ms, description="Play")
        self.slider = widgets.IntSlider(min=0, max=0, description="frame", continuous_update=True)
        self.slider.layout.width = "60%"
        placeholder = widgets.HTML('<div class="tl-panel tl-empty">no iteration yet</div>')
        self.panels = widgets.Stack([placeholder], selected_index=0)
        # Linked in the browser (why: scrubbing must work with no kernel, in a static export too).
        self._links = [
            widgets.jslink((self.play, "value"), (self.slider, "value")),
            widgets.jslink((self.slider, "value"), (self.panels, "selected_index")),
        ]
        style = widgets.HTML(f"<style>{CSS}{PANEL_CSS}</style>")
        super().__init__([style, self.picture, widgets.HBox([self.play, self.slider]), self.panels])
        self.add_class("tinyloop-timeline-widget")
        self.refresh()

    @property
    def layout_data(self) -> Layout:
        source = self._source
        return source if isinstance(source, Layout) else build_layout(source)

    def refresh(self, trace: Any = None, panels: bool = True) -> None:
        """Lay the trace out again (it may have grown); redraw the picture, and the panels unless told not to."""
        if trace is not None:
            self._source = trace
        layout = self.layout_data
        self.picture.value = f'<div class="tinyloop-timeline">{render_svg(layout, "iteration")}</div>'
        if not panels:
            return
        frames = layout.frames()
        indexes = frames.sample(self.max_frames)
        built = frames.build(indexes)
        ncols = layout.ncols or 1.0
        if not built:
            return  # nothing to step through yet: the placeholder panel stays
        self.panels.selected_index = 0  # valid for any number of children
        self.panels.children = [widgets.HTML(panel_html(f, layout.iterations[f.index].col / ncols)) for f in built]
        last = len(built) - 1
        self.play.max = self.slider.max = last
        self.slider.description = "frame" if len(built) == len(frames) else "frame (sampled)"

    def on_progress(self, trace: Any) -> None:
        """The magic's live hook, called as the run goes: the picture grows; panels wait for finish()."""
        self.refresh(trace, panels=False)

    def finish(self, trace: Any = None) -> None:
        """The run is over: the complete picture and every panel."""
        self.refresh(trace)
