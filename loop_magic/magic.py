"""The `%%tinyloop` cell magic: the IPython side of loop_magic.

`%load_ext loop_magic` registers it. `%%tinyloop?` shows this help (built by
IPython's magic_arguments from the options below)::

    %%tinyloop [--mode {tinyloop,generator,asyncio}] [--compare [MODE]]
               [--virtual-time] [--no-timeline] [--timeout SECONDS]
               [--export PATH]

The magic only translates: options to `run_cell`/`compare` arguments, the
result to what a notebook shows (output, a live summary line, the timeline,
the last expression's value as Out[n], errors as IPython shows them). The
running itself is runner.py's.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import traceback
from collections.abc import Iterator
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from . import browser
from .backends import MODES
from .cell_code import cell_locations
from .chrome_trace import check_writable
from .live import SHOW_RUNNING_AFTER, LiveOutput, LiveSummary
from .result import RunResult
from .runner import run_cell
from .timeline import LiveTimeline
from .worker import STOP_GRACE

__all__ = ("TinyloopMagics",)


@magics_class
class TinyloopMagics(Magics):
    """Registers %%tinyloop."""

    @magic_arguments()
    @argument(
        "--mode",
        choices=MODES,
        default="tinyloop",
        help="the loop to run the cell on: tinyloop (loop_impl, the default), generator "
        "(the tutorials' polling loop) or asyncio (the real library, instrumented)",
    )
    @argument(
        "--compare",
        nargs="?",
        const="asyncio",
        default=None,
        choices=MODES,
        metavar="MODE",
        help="run the cell on tinyloop and on MODE (default: asyncio) and show a verdict: "
        "same output, value, exception and order of task steps, or the first difference",
    )
    @argument(
        "--virtual-time",
        action="store_true",
        help="the clock jumps to the next timer when nothing is ready: sleep(3600) costs "
        "nothing and every run gives the same trace",
    )
    @argument("--no-timeline", action="store_true", help="show only the one-line run summary, no timeline")
    @argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help=f"stop the run after SECONDS: its tasks are cancelled, the partial timeline is kept, and "
        f"the cell returns within SECONDS + {STOP_GRACE:g} s (the grace); what cannot be stopped (a "
        f"task in time.sleep(), an executor job) is left running and named in the summary. inf: no limit",
    )
    @argument(
        "--export",
        metavar="PATH",
        help="also write the trace as Chrome trace JSON to PATH (open it in Perfetto); the path is "
        "checked before the run, and the file replaced whole",
    )
    @cell_magic
    def tinyloop(self, line: str, cell: str) -> Any:
        """Run an asyncio cell on a from-scratch event loop, and show what the loop did.

        The cell is ordinary asyncio code with top-level ``await``. Inside it
        ``asyncio`` (and ``import asyncio``) means the chosen loop; names the
        cell defines stay defined, and a last bare expression is shown as Out[n].
        Under the output: a summary line (tasks, steps, loop iterations, wall
        and CPU time, idle polls, blocking steps) and the timeline.

        Example::

            %%tinyloop --virtual-time
            async def worker(name, delay):
                await asyncio.sleep(delay)
                print(name, "done")

            await asyncio.gather(worker("a", 2), worker("b", 1))

        Programmatic use, without IPython: ``loop_magic.run_cell(source, mode=...)``,
        ``loop_magic.compare(source, mode)`` and ``loop_magic.last_run()``.
        """
        args = parse_argstring(self.tinyloop, line)
        if args.timeout is not None and not args.timeout > 0:
            raise UsageError(f"--timeout must be a positive number of seconds, not {args.timeout:g}")
        if args.export:
            try:  # before the run (why: a bad path found after it would hide the cell's own outcome)
                check_writable(args.export)
            except ValueError as exc:
                raise UsageError(f"--export: {exc}") from None
        shell = self.shell
        # The cell's text as tracebacks show it, magic line included (why: then
        # "line 3" in a traceback is line 3 of the cell the learner sees).
        shown = f"%%tinyloop {line}".rstrip() + "\n" + cell
        # The number of the cell running now (IPython 9 counts the next one already).
        number = getattr(shell.displayhook, "prompt_count", shell.execution_count)
        filename = shell.compile.cache(shown, number, raw_code=shown)
        if browser.NO_THREADS_HERE and not args.virtual_time:
            _note_virtual_time_once()
        options = dict(
            virtual_time=args.virtual_time or browser.NO_THREADS_HERE,
            timeout=args.timeout,
            namespace=shell.user_ns,
            filename=filename,
            line_offset=1,
        )
        if args.compare:
            from .compare import compare, show_comparison

            try:
                with _notes_only_in_summary():
                    comparison = compare(cell, args.compare, left=args.mode, **options)
            except KeyboardInterrupt:
                raise _interrupted() from None
            show_comparison(comparison, timelines=not args.no_timeline)
            if args.export:
                _export(comparison.left, args.export)
            _fail_if_either_failed(comparison)  # (so that Run All stops here, as for any failing cell)
            return None
        live = LiveSummary(args.mode)
        # The timeline appears once the run has gone on a moment, and grows (the summary line first,
        # and above both what the cell prints from then on).
        view = None if args.no_timeline else LiveTimeline(show_after=SHOW_RUNNING_AFTER)
        printed = LiveOutput()
        hooks = [printed.on_progress, live.on_progress] + ([view.on_progress] if view is not None else [])
        with _notes_only_in_summary():
            result = run_cell(cell, args.mode, on_progress=hooks, **options)
        if isinstance(result.error, SyntaxError):
            raise_cell_error(shell, result)  # nothing ran: no summary, no timeline
        # What the cell printed goes out before the summary (why: ipykernel sends
        # text from other threads late; a flush from this thread waits for it).
        sys.stdout.flush()
        sys.stderr.flush()
        printed.finish()
        live.finish(result)
        if view is not None:
            _show_timeline(result, view)
        if args.export:
            _export(result, args.export)
        if result.error is not None:
            raise_cell_error(shell, result)
        if _ends_with_semicolon(cell):
            return None  # `x;` shows nothing, as in a normal cell
        return result.value


_noted: list[str] = []


def _note_virtual_time_once() -> None:
    if not _noted:
        _noted.append(browser.VIRTUAL_TIME_NOTE)
        print(browser.VIRTUAL_TIME_NOTE, file=sys.stderr)


@contextlib.contextmanager
def _notes_only_in_summary() -> Iterator[None]:
    """loop_impl also logs blocking steps and idle stops to stderr; the summary line
    says them already, so during a cell they are not logged twice."""
    logger = logging.getLogger("loop_impl")
    drop = _DropNotes()
    logger.addFilter(drop)
    try:
        yield
    finally:
        logger.removeFilter(drop)


class _DropNotes(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, "tl_note", False)


def _ends_with_semicolon(cell: str) -> bool:
    from IPython.core.displayhook import DisplayHook

    try:
        return DisplayHook.semicolon_at_end_of_expression(cell)
    except Exception:  # (tokenize errors: the cell compiled, so this is only prudence)
        return False


def _export(result: RunResult, path: str) -> None:
    try:
        result.to_chrome_trace(path)
    except Exception as exc:  # (the cell's own outcome comes next and must not be replaced)
        print(f"--export: the trace could not be written to {path}: {exc}", file=sys.stderr)
        return
    print(f"trace written to {path} (open it in https://ui.perfetto.dev)")


def _fail_if_either_failed(comparison: Any) -> None:
    runs = (comparison.left, comparison.right)
    if any(run.interrupted for run in runs):
        raise _interrupted()
    failed = [f"{run.mode}: {type(run.error).__name__}" for run in runs if run.error is not None]
    if failed:
        raise CompareFailed(f"the cell failed ({', '.join(failed)}; shown above)")


class CompareFailed(Exception):
    """A --compare cell whose code failed in either run: the cell fails too (one line, the
    tracebacks are shown above it)."""

    def _render_traceback_(self) -> list[str]:
        return [f"CompareFailed: {self}"]


def _show_timeline(result: RunResult, view: LiveTimeline) -> None:
    try:
        view.finish(result.trace)  # completes the live timeline, or shows it now (nothing if nothing ran)
    except Exception as exc:  # a view failing must not hide the run's own outcome
        print(f"(timeline unavailable: {exc!r})")


def raise_cell_error(shell: Any, result: RunResult) -> None:
    """Raise the cell's error so that IPython shows it as for a normal cell."""
    error = result.error
    if isinstance(error, SyntaxError):
        lines = shell.SyntaxTB.structured_traceback(type(error), error, [])
        raise CellSyntaxError(error, lines)
    if result.interrupted:
        raise _interrupted()
    if _holds_a_group(error):
        # IPython prints exception groups with Python's own formatting, from the
        # raise in this magic (its frames, IPython's): shown here as cut, instead.
        raise _shown_as(error, cell_locations("".join(traceback.format_exception(error))).splitlines())
    lines = shell.InteractiveTB.structured_traceback(type(error), error, error.__traceback__)
    try:
        # Shown as it was cut (the cell's frames only), not with the frames it
        # gathers on its way out through the magic.
        error._render_traceback_ = lambda: lines
    except AttributeError:
        pass
    raise error


def _holds_a_group(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, BaseExceptionGroup):
            return True
        error = error.__context__
    return False


def _shown_as(error: BaseException, lines: list[str]) -> Exception:
    """An exception IPython shows as `lines`, named as `error` is (why a stand-in: IPython
    ignores _render_traceback_ for exception groups). The real one is its `original`."""
    stand_in = type(type(error).__name__, (Exception,), {"_render_traceback_": lambda self: lines})(str(error))
    stand_in.original = error
    return stand_in


def _interrupted() -> KeyboardInterrupt:
    """The KeyboardInterrupt a stopped run raises: one line, no frames of the magic."""
    stopped = KeyboardInterrupt()
    stopped._render_traceback_ = lambda: [
        "KeyboardInterrupt: the run was interrupted; its tasks were cancelled (the timeline shows where)"
    ]
    return stopped


class CellSyntaxError(Exception):
    """A SyntaxError in a %%tinyloop cell, shown as IPython shows one (no stack)."""

    def __init__(self, error: SyntaxError, lines: list[str]) -> None:
        super().__init__(f"{error.msg} ({error.filename}, line {error.lineno})")
        self.syntax_error = error
        self._lines = lines

    def _render_traceback_(self) -> list[str]:
        return self._lines
