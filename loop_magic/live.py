"""What the magic shows while a run goes on: the printed lines kept in place, the summary line.

* `LiveOutput` keeps a long run's printed lines above its live summary and
  timeline (why: a stream output that comes after a display is drawn below
  it, so the lines would read out of order around the live view);
* `LiveSummary` is the summary line under the cell, counting as the run goes.

Both are run_cell progress hooks: they run in the run's worker thread.
"""

from __future__ import annotations

import html
import sys
import time
from typing import Any

from IPython.display import display

from loop_impl.trace import Ev

from .result import RunResult

__all__ = ("LiveOutput", "LiveSummary", "SHOW_RUNNING_AFTER")

SHOW_RUNNING_AFTER = 0.3  # seconds a run goes on before its live summary line appears
_LANES_WATCHED = 64  # IDLE_POLL events re-read on each update (one per task polling idle)
_IDLE_POLL = bytes([Ev.IDLE_POLL])


class LiveOutput:
    """Keeps what a long run prints above its live summary and timeline.

    Once the live view is about to appear, the run's printed text stops going
    to the cell's stream: it goes to one text output shown just before the
    view and updated in place (why: a stream output that comes after a display
    is drawn below it, so the lines would read out of order around the view).
    """

    def __init__(self) -> None:
        self.handle: Any = None
        self._text: list[str] = []
        self._shown = 0
        self._started = time.perf_counter()

    def on_progress(self, trace: Any) -> None:
        if self.handle is None:
            if time.perf_counter() - self._started < SHOW_RUNNING_AFTER or not _in_kernel():
                return
            from . import backends

            session = backends.active.session
            if session is None:
                return
            sys.stdout.flush()  # what was printed so far goes out first, as a stream
            self.handle = display(_Printed(""), display_id=True)
            session.recorder.sink = self._text.append
        elif len(self._text) != self._shown:
            self._update()

    def finish(self) -> None:
        if self.handle is not None:
            self._update()

    def _update(self) -> None:
        self._shown = len(self._text)
        self.handle.update(_Printed("".join(self._text[: self._shown])))


class _Printed:
    """Printed text shown as a display (plain text, as a stream shows it)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        # (marked, so that a reader of the saved notebook can tell printed text from a value)
        return {"text/plain": self.text}, {"tinyloop": {"printed": True}}


def _in_kernel() -> bool:
    from IPython import get_ipython

    return getattr(get_ipython(), "kernel", None) is not None


class LiveSummary:
    """The summary line under the cell, updated while the run goes on.

    on_progress runs in the loop's thread and reads only events it has not
    seen yet (why: a long run's trace is big, and this runs every 100 ms).
    """

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.seen = 0
        self.counts = {"tasks": 0, "steps": 0, "iterations": 0, "idle": 0}
        self.handle: Any = None
        self._started = time.perf_counter()
        self._idle_events: dict[int, int] = {}  # IDLE_POLL event index -> count already added
        self._shown = ""

    def on_progress(self, trace: Any) -> None:
        if time.perf_counter() - self._started < SHOW_RUNNING_AFTER:
            return  # a short run shows its final summary only, without flicker
        counts = self.counts
        # An IDLE_POLL event counts on in place while its task keeps being
        # polled idle: look again at the ones that may still be counting.
        for index, seen in self._idle_events.items():
            counts["idle"] += trace._a[index] - seen
        self._idle_events = {}
        # Counted in the kind column itself (why: an Event object per event cost a 1M-switch
        # cell 2 s of its run; array.count is C).
        end = len(trace._kind)
        kinds = trace._kind[self.seen : end]
        counts["steps"] += kinds.count(Ev.STEP_START)
        counts["iterations"] += kinds.count(Ev.ITERATION)
        counts["tasks"] += kinds.count(Ev.TASK_CREATED)
        raw, at = kinds.tobytes(), -1
        while (at := raw.find(_IDLE_POLL, at + 1)) >= 0:
            index = self.seen + at
            polls = trace._a[index]
            counts["idle"] += polls
            self._idle_events[index] = polls
        self.seen = end
        for index in list(self._idle_events)[:-_LANES_WATCHED]:
            del self._idle_events[index]  # only the last few can still be counting
        text = (
            f"{self.mode}: running… {counts['tasks']} tasks, {counts['steps']} steps, "
            f"{counts['iterations']} loop iterations, {counts['idle']} idle polls"
        )
        if text != self._shown:
            self._show(_Line(text))

    def finish(self, result: RunResult) -> None:
        lines = [result.summary_line(), *result.blocking_reports()]
        lines += [f"note: {note}" for note in result.notes if not _in_error(note, result)]
        self._show(_Line("\n".join(lines)))

    def _show(self, line: _Line) -> None:
        self._shown = line.text
        if self.handle is None:
            self.handle = display(line, display_id=True)
        else:
            self.handle.update(line)


def _in_error(note: str, result: RunResult) -> bool:
    """A note the error message already says (the deadlock report) is not repeated."""
    return result.error is not None and note in str(result.error)


class _Line:
    """Plain text in a terminal, small grey text in a notebook."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f'<pre style="color:#666;font-size:85%;margin:2px 0">{html.escape(self.text)}</pre>'
