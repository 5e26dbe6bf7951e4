"""Two timelines on one axis, with the steps where they part ways marked.

`%%tinyloop --compare asyncio` runs a cell twice (tinyloop, then real
asyncio); their timelines are drawn one above the other on the same
iteration axis (the longer run sets the scale), so the same step sits at
the same place. Steps are matched by their position in the run: the k-th
step of one run against the k-th of the other, tasks numbered in the order
they were created (why: task names and ids differ between backends; the
order of creation does not). A step whose task differs is a divergence:
its bar is marked (`data-diverge`), and the first one is named above.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from .layout import Layout, build_layout
from .layout_model import DEFAULT_WIDTH
from .render_svg import CSS, render_svg

__all__ = ("CompareView", "step_numbers", "divergences")


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
    """Displays as the two aligned timelines (HTML), or as a short text verdict."""

    left: Any  # a Trace or a Layout
    right: Any
    labels: tuple[str, str] = ("tinyloop", "asyncio")
    width: int = DEFAULT_WIDTH

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

    def _repr_html_(self) -> str:
        extent = max(self.left.ncols, self.right.ncols) or 1.0
        diverged = set(divergences(self.left, self.right))
        parts = [f"<style>{CSS}</style>", '<div class="tinyloop-timeline tl-compare">']
        parts.append(f'<div class="tl-head"><b>compare</b> · {escape(self.verdict())}</div>')
        for label, layout in zip(self.labels, (self.left, self.right), strict=True):
            marked = {(lane, it) for k, (_n, lane, it) in enumerate(step_numbers(layout)) if k in diverged}
            parts.append(f'<div class="tl-compare-side" data-side="{escape(label, quote=True)}"><b>{escape(label)}</b>')
            parts.append(render_svg(layout, "iteration", self.width, extent=extent, marked=marked))
            parts.append("</div>")
        parts.append("</div>")
        return "\n".join(parts)
