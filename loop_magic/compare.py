"""Run a cell on two backends and say where they differ.

`compare(source, "asyncio")` runs the cell on tinyloop, then on real asyncio,
and checks four things, each a row of the verdict table:

* printed output, line by line;
* the value of the last expression;
* the exception, by type and message;
* the order of task steps: which task ran at each step (tasks are numbered
  in the order they were created, since ids and timings differ by nature).

For each row that differs, the first divergence is pointed out: the output
line number, or the step number and the task each backend ran there. When
all four agree the verdict says so in one sentence.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from .result import RunResult
from .runner import run_cell

__all__ = ("Comparison", "Row", "compare", "show_comparison")


@dataclass
class Row:
    aspect: str  # "printed output", "return value", "exception", "order of task steps"
    same: bool
    detail: str  # "3 lines, identical" or where the first difference is


@dataclass
class Comparison:
    left: RunResult
    right: RunResult
    rows: list[Row] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return all(row.same for row in self.rows)

    def verdict(self) -> str:
        a, b = self.left.mode, self.right.mode
        if self.equal:
            return (
                f"Same results on {a} and {b}: printed output, return value, exception "
                "and order of task steps are identical."
            )
        differing = ", ".join(row.aspect for row in self.rows if not row.same)
        return f"{a} and {b} differ: {differing}."

    def first_divergence(self) -> str | None:
        for row in self.rows:
            if not row.same:
                return f"{row.aspect}: {row.detail}"
        return None

    def table(self) -> str:
        """The verdict as plain text."""
        width = max(len(row.aspect) for row in self.rows)
        lines = [self.verdict()]
        for row in self.rows:
            mark = "same" if row.same else "DIFFERENT"
            lines.append(f"  {row.aspect:<{width}}  {mark:<9}  {row.detail}")
        lines.append(f"  {self.left.summary_line()}")
        lines.append(f"  {self.right.summary_line()}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.table()

    def _repr_html_(self) -> str:
        cells = []
        for row in self.rows:
            color = "#2a7a2a" if row.same else "#b00020"
            mark = "same" if row.same else "different"
            cells.append(
                f"<tr><td>{html.escape(row.aspect)}</td>"
                f'<td style="color:{color};font-weight:bold">{mark}</td>'
                f"<td>{html.escape(row.detail)}</td></tr>"
            )
        summaries = "<br>".join(html.escape(r.summary_line()) for r in (self.left, self.right))
        return (
            f"<div><p><b>{html.escape(self.verdict())}</b></p>"
            f'<table style="border-collapse:collapse">{"".join(cells)}</table>'
            f'<p style="color:#666;font-size:85%">{summaries}</p></div>'
        )


def compare(
    source: str, mode: str = "asyncio", *, left: str = "tinyloop", echo: bool = True, **options: Any
) -> Comparison:
    """Run `source` on `left` (tinyloop) and on `mode`; return the Comparison.

    options go to run_cell (virtual_time, timeout, namespace, ...). A run that
    is interrupted raises KeyboardInterrupt: the second run does not start.
    """
    results = []
    for which in (left, mode):
        if echo:
            print(f"── {which} ──")
        result = run_cell(source, which, echo=echo, **options)
        if result.interrupted:
            raise KeyboardInterrupt()
        results.append(result)
    comparison = Comparison(*results)
    comparison.rows = [
        _compare_output(*results),
        _compare_values(*results),
        _compare_errors(*results),
        _compare_steps(*results),
    ]
    return comparison


def _compare_output(a: RunResult, b: RunResult) -> Row:
    lines_a, lines_b = a.stdout.splitlines(), b.stdout.splitlines()
    if lines_a == lines_b:
        return Row("printed output", True, f"{len(lines_a)} line{'s' if len(lines_a) != 1 else ''}, identical")
    for number, (x, y) in enumerate(zip(lines_a, lines_b), start=1):
        if x != y:
            return Row("printed output", False, f"line {number}: {a.mode} printed {x!r}, {b.mode} printed {y!r}")
    number = min(len(lines_a), len(lines_b)) + 1
    longer, extra = (a, lines_a) if len(lines_a) > len(lines_b) else (b, lines_b)
    shorter = b if longer is a else a
    return Row(
        "printed output",
        False,
        f"line {number}: {longer.mode} printed {extra[number - 1]!r}, {shorter.mode} printed nothing more",
    )


def _same_value(x: Any, y: Any) -> bool:
    try:
        return bool(x == y)
    except Exception:
        return repr(x) == repr(y)


def _compare_values(a: RunResult, b: RunResult) -> Row:
    if _same_value(a.value, b.value):
        return Row("return value", True, _short(repr(a.value)))
    return Row("return value", False, f"{a.mode}: {_short(repr(a.value))}, {b.mode}: {_short(repr(b.value))}")


def _describe_error(error: BaseException | None) -> str:
    return "none" if error is None else f"{type(error).__name__}: {error}"


def _compare_errors(a: RunResult, b: RunResult) -> Row:
    x, y = _describe_error(a.error), _describe_error(b.error)
    if x == y:
        return Row("exception", True, _short(x))
    return Row("exception", False, f"{a.mode}: {_short(x)}; {b.mode}: {_short(y)}")


def _compare_steps(a: RunResult, b: RunResult) -> Row:
    steps_a, steps_b = a.steps(), b.steps()
    # Tasks are told apart by creation number, not by name (why: a Task a library makes
    # itself, as aiohttp does, takes asyncio's own Task-N, which a cell's numbering does not share).
    if [number for number, _ in steps_a] == [number for number, _ in steps_b]:
        return Row(
            "order of task steps",
            True,
            f"{len(steps_a)} step{'s' if len(steps_a) != 1 else ''}, same tasks in the same order",
        )
    for number, (x, y) in enumerate(zip(steps_a, steps_b), start=1):
        if x[0] != y[0]:
            return Row(
                "order of task steps",
                False,
                f"step {number}: {a.mode} ran {_task(x)}, {b.mode} ran {_task(y)}",
            )
    return Row(
        "order of task steps",
        False,
        f"the first {min(len(steps_a), len(steps_b))} steps agree; then {a.mode} ran {len(steps_a)} steps "
        f"in all, {b.mode} {len(steps_b)}",
    )


def _task(step: tuple[int, str]) -> str:
    number, name = step
    return f"{name} (task #{number})"


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def show_comparison(comparison: Comparison, timelines: bool = True) -> None:
    """Display the verdict, each run's error, and both timelines (in a notebook)."""
    from IPython.display import display

    display(comparison)
    for result in (comparison.left, comparison.right):
        if result.error is not None:
            print(f"── {result.mode} raised ──\n{result.error_text()}")
    left, right = comparison.left, comparison.right
    if timelines and (len(left.trace) or len(right.trace)):
        from .compare_view import CompareView

        try:  # both timelines on one axis, the steps where they differ marked
            display(CompareView(left.trace, right.trace, (left.mode, right.mode)))
        except Exception as exc:
            print(f"(timelines unavailable: {exc!r})")
