"""RunResult: everything one run of a cell left behind.

`loop_magic.run_cell(...)` returns one, the `%%tinyloop` magic keeps the last
one (`loop_magic.last_run()`). It holds what the learner saw (printed output,
the value of the last expression, the error) and what the loop did (the
trace), and from the trace a one-line summary::

    tinyloop: 4 tasks, 11 steps, 9 loop iterations, wall 1.003 s, CPU 2.1 ms, 0 idle polls, 0 blocking steps
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any

from loop_impl.trace import Ev, Trace

from .cell_code import cell_locations

__all__ = ("RunResult", "Summary", "summarize")


@dataclass
class Summary:
    """Counts for the summary line under every run."""

    tasks: int = 0  # tasks created (the generator loop's sleep tasks included)
    steps: int = 0  # task steps that ran (idle polls not counted)
    iterations: int = 0  # turns of the event loop (0 for the generator loop, which has none)
    wall_time: float = 0.0  # seconds, start of the run to its end
    cpu_time: float = 0.0  # CPU seconds of the thread that ran the loop, the live view's left out
    view_time: float = 0.0  # seconds the live view took from the run's thread (in wall_time: the loop waited)
    idle_polls: int = 0  # polls that found a task where it was (the generator loop's waste)
    blocking_steps: int = 0  # steps or callbacks that held the loop too long (time.sleep in a task)

    def line(self, mode: str = "") -> str:
        head = f"{mode}: " if mode else ""
        iterations = f", {self.iterations} loop iterations" if self.iterations else ""
        # The live view draws from the run's thread, pausing the loop: its time is said apart.
        drawing = f"live view {_seconds(self.view_time)}, " if self.view_time >= 0.001 else ""
        return (
            f"{head}{_n(self.tasks, 'task')}, {_n(self.steps, 'step')}{iterations}, "
            f"wall {_seconds(self.wall_time)}, CPU {_seconds(self.cpu_time)}, {drawing}"
            f"{_n(self.idle_polls, 'idle poll')}, {_n(self.blocking_steps, 'blocking step')}"
        )


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _seconds(value: float) -> str:
    return f"{value:.3f} s" if value >= 0.1 else f"{value * 1000:.1f} ms"


def summarize(trace: Trace, wall_time: float = 0.0, cpu_time: float = 0.0, view_time: float = 0.0) -> Summary:
    """Count tasks, steps, iterations, idle polls and blocking steps in a trace."""
    summary = Summary(wall_time=wall_time, cpu_time=cpu_time, view_time=view_time)
    for event in trace:
        kind = event.kind
        if kind == Ev.STEP_START:
            summary.steps += 1
        elif kind == Ev.ITERATION:
            summary.iterations += 1
        elif kind == Ev.TASK_CREATED:
            summary.tasks += 1
        elif kind == Ev.IDLE_POLL:
            summary.idle_polls += event.a
        elif kind == Ev.BLOCKED:
            summary.blocking_steps += 1
    return summary


@dataclass
class RunResult:
    """The outcome of running one cell on one backend."""

    source: str
    mode: str = "tinyloop"
    virtual_time: bool = False
    stdout: str = ""
    value: Any = None  # the last bare expression's value (None if there is none)
    error: BaseException | None = None  # what the cell raised (its traceback points at the cell)
    trace: Trace = field(default_factory=Trace)
    summary: Summary = field(default_factory=Summary)
    interrupted: bool = False  # stopped by KeyboardInterrupt (kernel interrupt)
    timed_out: bool = False  # stopped by --timeout
    notes: list[str] = field(default_factory=list)  # NOTE events, in order (deadlock report, interrupt, ...)

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary_line(self) -> str:
        return self.summary.line(self.mode)

    def error_text(self) -> str:
        """The error as Python prints it (its traceback already shows only the cell's frames)."""
        if self.error is None:
            return ""
        return cell_locations("".join(traceback.format_exception(self.error)))

    def blocking_reports(self) -> list[str]:
        """One line per step or callback that held the loop too long."""
        lines = []
        for event in self.trace:
            if event.kind == Ev.BLOCKED:
                who = f"task {self.trace.task_names.get(event.task, '?')!r}" if event.task else "a callback"
                lines.append(
                    f"blocking step: {who} held the loop for {event.a / 1e9:.3f} s; nothing else could run "
                    "meanwhile (a blocking call such as time.sleep() in async code?)"
                )
        return lines

    def steps(self) -> list[tuple[int, str]]:
        """The order of task steps: (task number in creation order, task name) per step."""
        return step_order(self.trace)

    def timeline(self) -> Any:
        """The timeline of this run: the widget when the timeline views are installed."""
        try:
            from loop_magic.timeline import Timeline
        except ImportError:
            Timeline = None
        if Timeline is not None:
            return Timeline(self.trace)
        try:
            from loop_magic.render_text import render_text
        except ImportError:
            return _PlainTimeline(self.trace)
        return _TextTimeline(render_text(self.trace))

    def to_chrome_trace(self, path: str) -> str:
        """Write the trace as Chrome trace JSON (Perfetto opens it): one track per task."""
        from loop_magic.chrome_trace import to_chrome_trace

        return to_chrome_trace(self.trace, path)

    def __repr__(self) -> str:
        error = f", error={type(self.error).__name__}" if self.error is not None else ""
        return f"<RunResult {self.summary_line()}{error}>"


def step_order(trace: Trace) -> list[tuple[int, str]]:
    """(task number, name) for each STEP_START; tasks numbered 1, 2, ... in creation order.

    Why numbers: the recorder's ids count futures and timers too, so they
    differ between backends; the creation order of tasks does not.
    """
    number: dict[int, int] = {}
    order = []
    for event in trace:
        if event.kind == Ev.TASK_CREATED:
            number.setdefault(event.task, len(number) + 1)
        elif event.kind == Ev.STEP_START:
            tid = event.task
            order.append((number.setdefault(tid, len(number) + 1), trace.task_names.get(tid, "?")))
    return order


class _TextTimeline:
    """The text lanes, shown as plain text in a notebook and in a terminal."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        import html

        return f"<pre>{html.escape(self.text)}</pre>"


class _PlainTimeline(_TextTimeline):
    """A minimal timeline (used only when the timeline views are not installed)."""

    def __init__(self, trace: Trace) -> None:
        lines = []
        for tid, name in sorted(trace.task_names.items()):
            steps = sum(1 for e in trace if e.kind == Ev.STEP_START and e.task == tid)
            lines.append(f"{name:<16} {'#' * min(steps, 60)} {steps} steps")
        super().__init__("\n".join(lines) or "(no task ran)")
