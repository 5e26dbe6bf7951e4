"""The naive polling loop of the classic tutorials (seeds 002 and 003).

What it is
----------
The loop of the "recreate asyncio with generators" blog posts: a FIFO queue
of Tasks, polled round-robin until it is empty. Polling a task means
`coro.send(None)`: it runs to its next `yield` and goes to the back of the
queue. Nobody tells this loop when a task *could* make progress, so it asks
every task, every turn:

* `await task` is `Task.__await__`: `while not task.done(): yield task`, so
  the awaiting task is polled again and again, yielding the same task back.
* `sleep(s)` creates a task running `_sleep`, a generator that reads the
  clock each time it is polled and yields until the time is up. A sleeping
  program keeps the CPU busy asking "is it time yet?".

A poll that finds the task where it was (it yields again the very task or
sleep it yielded last time) is an *idle poll*. They are counted because
showing that waste is why this module exists. Contrast loop_impl/loop.py
(asyncio's design): a waiting task is on no queue at all, a future's
done-callback puts it back, and the loop sleeps in `select()`, using no CPU.

Using it
--------
`import loop_impl.generator_loop as asyncio`, then `asyncio.run(main())`
with `create_task`, `sleep`, `gather`, `current_task`, `Task`. Plain
generator tasks work too (`yield`, `yield from sleep(1)`)::

    loop = EventLoop()
    loop.create_task(task1()); loop.create_task(task2())
    loop.run(max_polls=10_000)

The rest of asyncio (Lock, Queue, wait_for, ...) is absent on purpose: looking
it up raises AttributeError pointing to loop_impl. Limits, statistics and
tracing live in generator_loop_tools.py (its docstring is the API reference).
"""

from __future__ import annotations

import collections.abc
import itertools
import logging
import threading
import time
import types
from collections import deque
from collections.abc import Generator
from typing import Any, NamedTuple

from .coroutines import never_resumed
from .exceptions import DeadlockError, InvalidStateError
from .generator_loop_tools import LimitReached, LoopInstruments, RunStats, _defaults, describe_wait, run_defaults
from .trace import Recorder, Why

__all__ = ("EventLoop", "Task", "RunStats", "LimitReached", "DeadlockError", "run", "create_task", "sleep",
           "gather", "current_task", "get_running_loop", "last_run_stats", "run_defaults")  # fmt: skip

logger = logging.getLogger("loop_impl.generator_loop")
_task_counter = itertools.count(1).__next__  # Task-1, Task-2, ... as asyncio names them
_running = threading.local()  # .loop: the loop running in this thread
_last_stats: RunStats | None = None


class _Deadline(NamedTuple):
    """What `_sleep` yields while it waits: "poll me again, I wake at `when`"."""

    when: float
    label: str


class Task:
    """A coroutine or generator that the loop polls until it finishes."""

    def __init__(self, coro: Any, *, loop: EventLoop | None = None, name: Any = None) -> None:
        if not isinstance(coro, (collections.abc.Coroutine, collections.abc.Generator)):
            raise TypeError(f"a coroutine was expected, got {coro!r}")
        self._loop = get_running_loop() if loop is None else loop
        self._coro = coro
        self._name = f"Task-{_task_counter()}" if name is None else str(name)
        self._label: str | None = None  # how a trace names a wait on this task (sleep tasks: "sleep 1")
        self._finished = False
        self._result: Any = None
        self._exception: BaseException | None = None
        self._retrieved = False  # was the outcome looked at? (else its error is logged)
        self._waiting_on: Task | _Deadline | None = None  # what its last poll yielded
        self._loop._enqueue_new(self)

    def __repr__(self) -> str:
        state = "finished" if self._finished else "pending"
        return f"<Task {state} name={self._name!r} coro={self._coro!r}>"

    def __await__(self) -> Generator[Task, None, Any]:
        while not self.done():
            yield self  # not done: back to the loop, which will poll us again (seed 002)
        return self.result()

    __iter__ = __await__  # so a plain generator task can `yield from task`

    def done(self) -> bool:
        return self._finished

    def result(self) -> Any:
        if not self._finished:
            raise InvalidStateError("Result is not set.")
        self._retrieved = True
        if self._exception is not None:
            raise self._exception
        return self._result

    def get_name(self) -> str:
        return self._name

    def _finish(self, result: Any, exception: BaseException | None) -> None:
        self._finished, self._result, self._exception = True, result, exception
        self._waiting_on = None


class EventLoop(LoopInstruments):
    """A round-robin queue of tasks, each polled in turn until the queue is empty."""

    def __init__(self, *, recorder: Recorder | None = None, virtual_time: bool = False) -> None:
        recorder = recorder or _defaults.get("recorder")
        self._queue: deque[Task] = deque()  # the seeds' Queue: FIFO, so polling is round-robin
        self._virtual_now: float | None = 0.0 if virtual_time or _defaults.get("virtual_time") else None
        self._recorder = recorder
        self._current: Task | None = None
        self._stopping = False
        self._failed: list[Task] = []  # tasks that raised: logged at the end unless looked at
        self.polls = 0
        self.idle_polls = 0
        self.tasks_created = 0
        self.stats: RunStats | None = None
        if recorder is not None:
            recorder.attach_clock(self.time)

    def time(self) -> float:
        now = self._virtual_now
        return time.monotonic() if now is None else now

    def create_task(self, coro: Any, *, name: Any = None) -> Task:
        return Task(coro, loop=self, name=name)

    def stop(self) -> None:
        """Stop after the current poll: run() closes what is left and raises LimitReached."""
        self._stopping = True

    def _enqueue_new(self, task: Task) -> None:
        self.tasks_created += 1
        self._queue.append(task)  # a new task waits its turn (why: as in asyncio, no task runs inside create_task)
        rec = self._recorder
        if rec is not None:
            rec.task_created(task, task._name, self._current)
            rec.scheduled(task, f"{task._name}.poll", Why.START)

    def run_until_complete(self, main: Any, *, max_polls: int | None = None, timeout: float | None = None) -> Any:
        task = main if isinstance(main, Task) else self.create_task(main)
        task._retrieved = True  # its outcome is returned or raised right here
        self.run(max_polls=max_polls, timeout=timeout)
        return task.result()

    def run(self, *, max_polls: int | None = None, timeout: float | None = None) -> RunStats:
        """Poll the tasks round-robin until the queue is empty (seed 002's `while not event_loop.empty()`)."""
        global _last_stats
        if getattr(_running, "loop", None) is not None:
            raise RuntimeError("Cannot run the event loop while another loop is running")
        max_polls = max_polls if max_polls is not None else _defaults.get("max_polls")
        timeout = timeout if timeout is not None else _defaults.get("timeout")
        started = (time.monotonic(), time.process_time(), self.time(), self.polls, self.idle_polls)
        deadline = None if timeout is None else started[0] + timeout
        last_poll = None if max_polls is None else self.polls + max_polls  # the counters add up over runs
        queue = self._queue
        idle_in_a_row = 0  # a whole round of idle polls: no task can move until a sleep ends
        task = None
        _running.loop = self
        try:
            while queue:
                if self._stopping or self.polls == last_poll or (deadline and time.monotonic() >= deadline):
                    self._limit_reached(max_polls, timeout, started)
                task = queue.popleft()
                rec = self._recorder
                idle = self._poll(task) if rec is None else self._poll_traced(task, rec)
                if not task.done():
                    queue.append(task)
                idle_in_a_row = idle_in_a_row + 1 if idle else 0
                if idle and idle_in_a_row >= len(queue):
                    self._on_idle_round()
                    idle_in_a_row = 0
            for failed in self._failed:  # asyncio logs these when the task is garbage-collected
                if not failed._retrieved:
                    logger.error("Task exception was never retrieved: %s", failed._name, exc_info=failed._exception)
            self._failed.clear()
        except BaseException as exc:
            if self._recorder is not None and not isinstance(exc, (LimitReached, DeadlockError)):
                self._recorder.note(f"run stopped by {type(exc).__name__}")
            unfinished = [t for t in (task, *queue) if t is not None and not t.done()]
            self._close_all(list(dict.fromkeys(unfinished)))
            raise
        finally:
            _running.loop = None
            self._stopping = False
            self.stats = _last_stats = self._stats_since(started)
        return self.stats

    def _poll(self, task: Task) -> bool:
        """One coro.send(None). True if the poll was idle (the task yielded the same wait again)."""
        self.polls += 1
        waiting_on = task._waiting_on
        self._current = task
        yielded = None
        try:
            yielded = task._coro.send(None)
        except StopIteration as stop:
            task._finish(stop.value, None)
        except (KeyboardInterrupt, SystemExit) as exc:
            if not never_resumed(task._coro):  # (else it stays unfinished: the run closes it)
                task._finish(None, exc)
            raise  # the run ends: interrupts are the caller's, not the task's (asyncio's rule)
        except BaseException as exc:
            task._finish(None, exc)
            self._failed.append(task)
        finally:
            self._current = None
        if not task._finished:
            task._waiting_on = yielded if isinstance(yielded, (Task, _Deadline)) else None
        idle = waiting_on is not None and yielded is waiting_on
        if idle:
            self.idle_polls += 1
        return idle

    def _wait_over(self, waiting_on: Task | _Deadline) -> bool:
        if isinstance(waiting_on, Task):
            return waiting_on._finished
        return self.time() >= waiting_on.when

    def _on_idle_round(self) -> None:
        """Every task was polled once and none moved: only the end of a sleep can change that."""
        wakeups = [t._waiting_on.when for t in self._queue if isinstance(t._waiting_on, _Deadline)]
        if not wakeups:
            lines = [f"  {t._name} waits for {describe_wait(t._waiting_on)}" for t in self._queue]
            report = "deadlock: every task waits for another task and no sleep is running\n" + "\n".join(lines)
            if self._recorder is not None:
                self._recorder.note(report)
            raise DeadlockError(report)
        if self._virtual_now is not None:
            # Virtual time: skip the polls that would only watch the clock go by.
            self._virtual_now = max(self._virtual_now, min(wakeups))


# -- the asyncio-shaped functions ------------------------------------------------


def get_running_loop() -> EventLoop:
    loop = getattr(_running, "loop", None)
    if loop is None:
        raise RuntimeError("no running event loop")
    return loop


def current_task() -> Task | None:
    return get_running_loop()._current


def create_task(coro: Any, *, name: Any = None) -> Task:
    return Task(coro, loop=get_running_loop(), name=name)


def _sleep(delay: float, loop: EventLoop) -> Generator[_Deadline, None, None]:
    # Seed 002's _sleep, reading the loop's clock (why: so virtual time works).
    deadline = _Deadline(loop.time() + delay, f"sleep {delay:g}")
    while loop.time() < deadline.when:
        yield deadline  # not yet: poll me again


@types.coroutine  # a generator that is also awaitable: `await sleep(1)` and `yield from sleep(1)`
def sleep(delay: float, result: Any = None) -> Generator[Task, None, Any]:
    """Wait `delay` seconds the seeds' way: a task that polls the clock, awaited by polling."""
    loop = get_running_loop()
    sleeper = Task(_sleep(delay, loop), loop=loop, name=f"sleep {delay:g}")
    sleeper._label = sleeper._name
    yield from sleeper.__await__()
    return result


async def gather(*aws: Any, return_exceptions: bool = False) -> list[Any]:
    """Run the awaitables as tasks and wait for each in turn (polling, of course)."""
    children = [aw if isinstance(aw, Task) else create_task(aw) for aw in aws]
    results = []
    for child in children:
        try:
            results.append(await child)
        except Exception as exc:
            if not return_exceptions:
                raise
            results.append(exc)
    return results


def run(main: Any, *, recorder: Recorder | None = None, virtual_time: bool = False,
        max_polls: int | None = None, timeout: float | None = None) -> Any:  # fmt: skip
    """Run `main` and every task it creates until the queue is empty; return main's result."""
    if getattr(_running, "loop", None) is not None:
        raise RuntimeError("asyncio.run() cannot be called from a running event loop")
    if not isinstance(main, (collections.abc.Coroutine, collections.abc.Generator)):
        raise ValueError(f"a coroutine was expected, got {main!r}")
    loop = EventLoop(recorder=recorder, virtual_time=virtual_time)
    return loop.run_until_complete(main, max_polls=max_polls, timeout=timeout)


def last_run_stats() -> RunStats | None:
    """Polls, idle polls, tasks, wall and CPU time of the last run in this process."""
    return _last_stats


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import loop_impl

    where = "loop_impl has it" if hasattr(loop_impl, name) else "see loop_impl for the asyncio API"
    raise AttributeError(
        f"the naive generator loop has no {name!r}: it only has run, create_task, sleep, gather, "
        f"current_task and Task, as in the tutorials. {where}: `import loop_impl as asyncio` "
        f"(or %%tinyloop --mode tinyloop)."
    )
