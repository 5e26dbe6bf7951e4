"""Two timelines on one axis, with the steps where they part ways marked.

`%%tinyloop --compare asyncio` runs a cell twice (tinyloop, then real
asyncio); their timelines are drawn one above the other on the same
iteration axis (the longer run sets the scale, both title columns are as
wide), so the same step sits at the same place. Steps are matched by their
position in the run: the k-th step of one run against the k-th of the other,
tasks numbered in the order they were created (why: task names and ids differ
between backends; the order of creation does not). A step whose task differs
is a divergence: its bar is marked (`data-diverge`), and the first one is
named above.

In a kernel the view is a widget: Play and a slider over the steps, linked
in the browser to a line saying what each run did at that step, with each
run's current step outlined in its picture (the same `<style>`-per-panel
trick as widget.py). Elsewhere: the static HTML, or the verdict as text.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from html import escape
from typing import Any

from .layout import Layout, build_layout
from .render_svg import (
    CSS,
    DIVERGE_KEY,
    PLOT_WIDTH,
    iteration_span,
    label_width,
    legend_html,
    legend_keys_for,
    render_svg,
)  # fmt: skip
from .render_text import render_text

__all__ = ("CompareView", "step_numbers", "divergences")

MAX_STEPS = 300  # step panels sent to the browser; a longer run is sampled
_ids = itertools.count(1)


def step_numbers(layout: Layout) -> list[tuple[int, int, int]]:
    """(task number in creation order, lane id, iteration) for each step, in run order."""
    number = {lane_id: k for k, lane_id in enumerate(sorted(i for i in layout.lanes if i), 1)}
    return [(number[b.lane], b.lane, b.iteration) for b in layout.bars if b.kind == "step"]


def divergences(left: Layout, right: Layout) -> list[int]:
    """Indexes of the steps at which the two runs ran different tasks (or one run had no step)."""
    a, b = step_numbers(left), step_numbers(right)
    out = [k for k in range(min(len(a), len(b))) if a[k][0] != b[k][0]]
    out += list(range(min(len(a), len(b)), max(len(a), len(b))))
    return out


@dataclass
class CompareView:
    """Displays as the two aligned timelines (a widget in a kernel, else HTML), or as a short text verdict."""

    left: Any  # a Trace or a Layout
    right: Any
    labels: tuple[str, str] = ("tinyloop", "asyncio")
    width: int = PLOT_WIDTH

    def __post_init__(self) -> None:
        self.left = self.left if isinstance(self.left, Layout) else build_layout(self.left)
        self.right = self.right if isinstance(self.right, Layout) else build_layout(self.right)

    def verdict(self) -> str:
        diverged = divergences(self.left, self.right)
        if not diverged:
            return f"{self.labels[0]} and {self.labels[1]} ran the same tasks in the same order"
        k = diverged[0]
        steps = step_numbers(self.left), step_numbers(self.right)
        said = [f"{label} ran task {s[k][0]}" if k < len(s) else f"{label} had no step" for label, s in zip(self.labels, steps)]  # fmt: skip
        return f"first divergence at step {k + 1}: {', '.join(said)}; {len(diverged)} steps differ"

    def __repr__(self) -> str:
        return self.verdict()

    def text(self, width: int = 72) -> str:
        """The verdict, then each run's text lanes."""
        parts = [self.verdict()]
        for label, layout in zip(self.labels, (self.left, self.right), strict=True):
            parts.append(f"── {label} ──\n{render_text(layout, axis='iteration', width=width)}")
        return "\n".join(parts)

    def _pictures(self, cursor: bool = False) -> list[str]:
        extent = max(self.left.ncols, self.right.ncols) or 1.0
        label_w = label_width(self.left, self.right)
        diverged = set(divergences(self.left, self.right))
        parts = []
        for label, layout in zip(self.labels, (self.left, self.right), strict=True):
            marked = {(lane, it) for k, (_n, lane, it) in enumerate(step_numbers(layout)) if k in diverged}
            svg = render_svg(layout, "iteration", self.width, extent=extent, marked=marked, label_w=label_w, cursor=cursor)  # fmt: skip
            side = escape(label, quote=True)
            parts.append(f'<div class="tl-compare-side" data-side="{side}"><b>{escape(label)}</b>{svg}</div>')
        return parts

    def _legend(self) -> str:
        drawn = set(legend_keys_for(self.left)) | set(legend_keys_for(self.right))  # what either side draws
        return legend_html(more_keys=(DIVERGE_KEY,), drawn=tuple(drawn))

    def _repr_html_(self) -> str:
        head = f'<div class="tl-head"><b>compare</b> · {escape(self.verdict())}</div>'
        legend = self._legend()
        body = "\n".join(self._pictures())
        return f'<style>{CSS}</style><div class="tinyloop-timeline tl-compare">{head}\n{body}\n{legend}</div>'

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        from .timeline import VIEW_MIME, _in_kernel

        bundle: dict[str, Any] = {"text/plain": self.text(), "text/html": self._repr_html_()}
        if _in_kernel():
            try:
                view = self.widget()._repr_mimebundle_() or {}
            except Exception:  # no widget front end: the fallbacks are the whole output
                view = {}
            if VIEW_MIME in view:
                bundle[VIEW_MIME] = view[VIEW_MIME]
        return bundle

    def widget(self, interval_ms: int = 700) -> Any:
        """Both pictures with Play and a slider over steps, each run's k-th step outlined (linked in the browser)."""
        import ipywidgets as widgets

        scope = f"tl-c{next(_ids)}"
        head = widgets.HTML(f'<div class="tl-head"><b>compare</b> · {escape(self.verdict())}</div>')
        pictures = widgets.HTML(f'<div class="tinyloop-timeline tl-compare">{"".join(self._pictures(cursor=True))}</div>')  # fmt: skip
        legend = widgets.HTML(f'<div class="tinyloop-timeline">{self._legend()}</div>')
        panels = [widgets.HTML(html) for html in self._step_panels(scope)]
        if not panels:
            panels = [widgets.HTML('<div class="tl-compare-step tl-empty">no task steps in either run</div>')]
        stack = widgets.Stack(panels, selected_index=0)
        play = widgets.Play(min=0, max=len(panels) - 1, interval=interval_ms, description="Play", show_repeat=False)
        slider = widgets.IntSlider(min=0, max=len(panels) - 1, description="step", readout=False)
        slider.layout.width = "60%"
        links = [widgets.jslink((play, "value"), (slider, "value")), widgets.jslink((slider, "value"), (stack, "selected_index"))]  # fmt: skip
        style = widgets.HTML(f"<style>{CSS}{_STEP_CSS}</style>")
        box = widgets.VBox([style, head, pictures, legend, widgets.HBox([play, slider]), stack])
        box.add_class("tinyloop-compare-widget")
        box.add_class(scope)
        box._tl_links = links  # kept with the box (the links are widgets of their own)
        return box

    def _step_panels(self, scope: str) -> list[str]:
        """One line per step: what each run did, the two steps outlined in their pictures."""
        runs = list(zip(self.labels, (self.left, self.right), strict=True))
        steps = [step_numbers(layout) for _label, layout in runs]
        count = max(len(s) for s in steps)
        diverged = set(divergences(self.left, self.right))
        picked = sorted({round(k * (count - 1) / (MAX_STEPS - 1)) for k in range(MAX_STEPS)}) if count > MAX_STEPS else range(count)  # fmt: skip
        extent = max(self.left.ncols, self.right.ncols) or 1.0
        label_w = label_width(self.left, self.right)
        out = []
        for k in picked:
            rules, said = [], []
            for (label, layout), run in zip(runs, steps, strict=True):
                side = escape(label, quote=True)
                if k >= len(run):
                    said.append(f"<b>{escape(label)}</b>: no step {k + 1}")
                    continue
                number, lane, iteration = run[k]
                index = next(i for i, it in enumerate(layout.iterations) if it.n == iteration)
                v0, v1 = iteration_span(layout, index, "iteration")
                x0, w = label_w + v0 / extent * self.width, max((v1 - v0) / extent * self.width, 3.0)
                rules.append(
                    f'.{scope} [data-side="{side}"] .tl-cursor{{opacity:1;transform:translate({x0:.2f}px,0) scale({w:.2f},1)}}'
                    f'.{scope} [data-side="{side}"] .tl-bar[data-lane="{lane}"][data-iter="{iteration}"]{{stroke:#111;stroke-width:2}}'
                )  # fmt: skip
                name = escape(layout.lanes[lane].name)
                said.append(f"<b>{escape(label)}</b> ran {name} (task {number}) in iteration {iteration}")
            mark = (
                '<span class="tl-differ">differ</span>' if k in diverged else '<span class="tl-agree">same task</span>'
            )
            out.append(
                f"<style>{''.join(rules)}</style>"
                f'<div class="tl-compare-step" data-step="{k + 1}" data-diverge="{int(k in diverged)}">'
                f"Step {k + 1} of {count}: {' · '.join(said)} {mark}</div>"
            )
        return out


_STEP_CSS = """
.tl-compare-step{font:12.5px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;padding:4px 8px;border:1px solid #dde3ea;border-radius:4px}
.tl-compare-step .tl-differ{background:#2b2f36;color:#fff;border-radius:3px;padding:0 5px;margin-left:6px}
.tl-compare-step .tl-agree{background:#d3f0dc;color:#11643a;border-radius:3px;padding:0 5px;margin-left:6px}
.tinyloop-compare-widget .tl-compare-side{margin-top:4px}
"""
