"""Around the naive loop: limits, statistics, tracing (generator_loop.py's tools).

generator_loop.py is the loop a learner reads; this is what the %%tinyloop
magic and the tests need around it, kept apart so that the loop stays short.

The API (what the %%tinyloop magic calls)
-------------------------------------
run(main, *, recorder=None, virtual_time=False, max_polls=None, timeout=None)
    Runs `main` (coroutine or generator) and the tasks it creates until the
    queue is empty (the seeds' rule: unlike asyncio.run, tasks still running
    when main returns are not cancelled); returns or raises main's outcome.
EventLoop(*, recorder=None, virtual_time=False): create_task(), run(max_polls=,
    timeout=) -> RunStats, run_until_complete(main, ...), stop(), time(); the
    counters polls, idle_polls, tasks_created; stats (its last RunStats).
    last_run_stats() is the last run's in this process.
virtual_time: the clock starts at 0 and stands still while tasks run; after a
    whole round of idle polls it jumps to the earliest end of a sleep.
max_polls, timeout (wall-clock seconds), stop(): end a program that never
    ends (seed 002's `while True` tasks): unfinished coroutines are closed
    (their `finally` blocks run) and `LimitReached` (with `.stats`) is raised.
    KeyboardInterrupt gets the same cleanup and propagates. A whole idle round
    with no sleep running (every task waits for another) is a deadlock: a real
    naive loop spins forever, this one raises `DeadlockError`.
run_defaults(**options): defaults for those four options, for the runs
    started inside the block (e.g. by a program's own asyncio.run()).
recorder (loop_impl.trace): TASK_CREATED, SCHEDULED (Why.START; Why.POLL when
    a task that moved goes back in the queue), STEP_START/STEP_END (what it
    now waits for: "sleep 1", "Task Task-2"), TASK_DONE, NOTE. An idle poll is
    only `rec.idle_poll(task)` (it pops and pushes the same task), which the
    recorder run-length compresses. Without a recorder: one `is None` per poll.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .exceptions import CancelledError
from .trace import Outcome, Recorder, Why

if TYPE_CHECKING:
    from .generator_loop import Task

__all__ = ("RunStats", "LimitReached", "LoopInstruments", "describe_wait", "run_defaults")

logger = logging.getLogger("loop_impl.generator_loop")
_defaults: dict[str, Any] = {}  # set by run_defaults()


@dataclass
class RunStats:
    polls: int  # every coro.send(None)
    idle_polls: int  # polls that found the task where it was
    tasks: int  # tasks created on the loop, sleep tasks included
    wall_time: float
    cpu_time: float  # process CPU time: busy polling shows here
    loop_time: float  # how far the loop's clock moved (virtual time: simulated seconds)

    @property
    def steps(self) -> int:
        return self.polls - self.idle_polls


class LimitReached(RuntimeError):
    """run() stopped a program that had not finished (max_polls, timeout or stop())."""

    def __init__(self, message: str, stats: RunStats) -> None:
        super().__init__(message)
        self.stats = stats


def describe_wait(waiting_on: Any) -> str:
    """What a task waits for: a sleep's label, "Task Task-2", or "ready"."""
    label = getattr(waiting_on, "label", None)  # a sleep's deadline
    if label is not None:
        return label
    if waiting_on is None:
        return "ready"
    return waiting_on._label or f"Task {waiting_on._name}"


class LoopInstruments:
    """Mixin of generator_loop.EventLoop: the traced poll, limits, cleanup, statistics."""

    def _poll_traced(self, task: Task, rec: Recorder) -> bool:
        """_poll, reported: a step as STEP_START/STEP_END, an idle poll as IDLE_POLL alone."""
        waiting_on = task._waiting_on
        # Is the wait over? If not, the poll will be idle, and must not open a
        # step (why: so that a run of idle polls compresses into one event).
        expect_idle = waiting_on is not None and not self._wait_over(waiting_on)
        if not expect_idle:
            rec.step_start(task, Why.POLL, waiting_on if hasattr(waiting_on, "_coro") else None)
        if self._poll(task):
            rec.idle_poll(task)
            return True
        if expect_idle:  # a sleep ran out between our look at the clock and its own: a step after all
            rec.step_start(task, Why.POLL)
        waiting_on = task._waiting_on
        if not task._finished:
            rec.step_end(task, describe_wait(waiting_on), waiting_on if hasattr(waiting_on, "_coro") else None)
            rec.scheduled(task, f"{task._name}.poll", Why.POLL)  # run() puts it back in the queue
        else:
            rec.step_end(task, "")
            exc = task._exception
            if exc is not None:
                rec.task_done(task, Outcome.RAISED, f"{type(exc).__name__}: {exc}")
            else:
                rec.task_done(task, Outcome.RETURNED, f"{task._result!r:.60}")
        return False

    def _limit_reached(self, max_polls: int | None, timeout: float | None, started: tuple) -> None:
        if self._stopping:
            why = "stop()"
        elif self.polls - started[3] == max_polls:
            why = f"max_polls={max_polls}"
        else:
            why = f"timeout={timeout} s"
        names = ", ".join(f"{t._name} ({describe_wait(t._waiting_on)})" for t in self._queue)
        message = f"the generator loop stopped after {why}; {len(self._queue)} task(s) unfinished: {names}"
        if self._recorder is not None:
            self._recorder.note(message)
        raise LimitReached(message, self._stats_since(started))

    def _close_all(self, tasks: list[Task]) -> None:
        """Close unfinished coroutines: their `finally` blocks run (the generator loop's cancel)."""
        rec = self._recorder
        for task in tasks:
            try:
                task._coro.close()
            except Exception:  # e.g. a `finally` that awaits: it cannot, the loop is gone
                logger.exception("error while closing %s", task._name)
            task._finish(None, CancelledError())
            task._retrieved = True
            if rec is not None:
                rec.task_done(task, Outcome.CANCELLED, "closed")
        self._queue.clear()

    def _stats_since(self, started: tuple) -> RunStats:
        wall, cpu, clock, polls, idle = started
        now = time.monotonic()
        return RunStats(self.polls - polls, self.idle_polls - idle, self.tasks_created, now - wall,
                        time.process_time() - cpu, self.time() - clock)  # fmt: skip


@contextlib.contextmanager
def run_defaults(**options: Any) -> Iterator[None]:
    """Defaults (recorder, virtual_time, max_polls, timeout) for every run started in the block."""
    if unknown := set(options) - {"recorder", "virtual_time", "max_polls", "timeout"}:
        raise TypeError(f"run_defaults() got unexpected options: {', '.join(sorted(unknown))}")
    saved = dict(_defaults)
    _defaults.update(options)
    try:
        yield
    finally:
        _defaults.clear()
        _defaults.update(saved)
