"""Small helpers the course notebooks share: the state panel as text.

Displaying a %%tinyloop timeline in JupyterLab gives the interactive view:
Play, a slider over loop iterations, and a state panel for each iteration
(ready queue, timer heap, selector, tasks, control transfers). The notebooks
also print some of those panels, so that they can be read where widgets do
not run (GitHub, nbconvert, a terminal) and checked by the tests.

    from course_tools import show_state
    timeline = loop_magic.last_run().timeline()
    show_state(timeline.frames()[1])      # the panel of the second iteration
    show_state(frames[1], len(frames))    # ... headed "Iteration 2 of N"

Nothing here runs or re-implements the loop: every value comes from the
frames `loop_magic` builds from the trace of the run.
"""

from __future__ import annotations

from typing import Any

from loop_magic.segments import fmt_time
from loop_magic.widget import PANEL_CSS, panel_html

__all__ = ("StatePanel", "show_state")


class StatePanel:
    """One iteration's state panel: text for print(), the widget's HTML panel in a notebook."""

    def __init__(self, frame: Any, total: int | None = None) -> None:
        self.frame = frame
        self.total = total  # iterations in the run; None: the head names the iteration alone

    def text(self) -> str:
        f = self.frame
        lines = [f"iteration {f.iteration} (at {fmt_time(f.t)})"]
        lines += _rows("ready queue", f.ready or ["empty"])
        timers = [f"{fmt_time(due)}: {what}" + (f"  <- {note}" if note else "") for due, what, note in f.timers]
        lines += _rows("timer heap", timers or ["none"])
        lines += _rows("selector", [f"fd {fd}: {mode}" for fd, mode in f.fds] or ["none"])
        tasks = [f"{name}: {before}" + (f" -> {after}" if after != before else "") for name, before, after in f.tasks]
        lines += _rows("tasks", tasks or ["none"])
        lines += _rows("control", [f.line] if f.line else ["(nothing ran)"])
        for what, count in f.more.items():
            lines.append(f"  ({count} more {what} not shown)")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        html = panel_html(self.frame, self.total or 0)
        if self.total is None:
            # The widget's head reads "Iteration k of N"; a frame alone does not know N (why: say nothing false).
            k = self.frame.iteration
            html = html.replace(f">Iteration {k} of 0 ", f">Iteration {k} ", 1)
        return f"<style>{PANEL_CSS}</style>{html}"


def show_state(frame: Any, total: int | None = None) -> StatePanel:
    """The state panel of one frame (`timeline.frames()[k]`), shown as the last expression of a cell.

    `total`: the number of iterations in the run (`len(timeline.frames())`), for the head's "of N".
    """
    return StatePanel(frame, total)


def _rows(title: str, items: list[str]) -> list[str]:
    head = f"  {title:<12}: "
    pad = " " * len(head)
    return [(head if n == 0 else pad) + item for n, item in enumerate(items)]
