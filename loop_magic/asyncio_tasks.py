"""Real asyncio's Tasks and Futures, reporting their steps to a trace recorder.

A Task drives its coroutine with `coro.send(None)` and `coro.throw(exc)`:
each call is one step. `TracedTask` hands the (C) Task a `TracedCoro`, a
wrapper whose send/throw report STEP_START, then STEP_END with what the step
yielded (a Future: the task now waits for it; None: a bare yield, back to
the ready queue), or TASK_DONE. Why the step ran is read from what the
previous one yielded, since the Task does not say: after a bare yield it is
YIELD, after a Future that is done it is WAKEUP (by that future), otherwise
an error thrown in (THROW).

`TracedFuture`s (from the instrumented loop's `create_future()`) report when
they are resolved, and `describe_wait` names what a task waits for as
loop_impl does ("sleep 0.5", "Lock", "Task Task-2", "gather(3)").
"""

from __future__ import annotations

import asyncio
import collections.abc
import threading
import time
import weakref
from asyncio import tasks as aio_tasks
from typing import Any

from loop_impl.trace import Outcome, Why

__all__ = (
    "TracedTask", "TracedCoro", "TracedFuture", "describe_wait", "label", "label_by_creator", "creator_label", "FIRST",
)  # fmt: skip

_FIRST = object()  # TracedCoro._last before the first step

# Futures made by loop.create_future(), labelled by the asyncio function that made them.
_CREATOR_LABELS = {
    "Lock.acquire": "Lock",
    "Event.wait": "Event",
    "Condition.wait": "Condition",
    "Semaphore.acquire": "Semaphore",
    "BoundedSemaphore.acquire": "Semaphore",
    "Queue.get": "Queue.get",
    "Queue.put": "Queue.put",
    "shield": "shield",
    "TaskGroup.__aexit__": "TaskGroup",
}


def describe_wait(fut: Any) -> str:
    """What a trace says a task waits for: 'sleep 0.5', 'Task Task-2', 'gather(3)', 'Future'."""
    label = _labels.get(fut)
    if label:
        return label
    if isinstance(fut, asyncio.Task):
        return f"Task {fut.get_name()}"
    if isinstance(fut, aio_tasks._GatheringFuture):
        return f"gather({len(fut._children)})"
    return type(fut).__name__ if not isinstance(fut, TracedFuture) else "Future"


_labels: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class TracedFuture(asyncio.Future):
    """A Future that reports when it is resolved (FUTURE_DONE)."""

    def _tl_report(self, outcome: int) -> None:
        if not self.done():
            rec = getattr(self.get_loop(), "_tl_recorder", None)
            if rec is not None and rec.thread_id == threading.get_ident():
                rec.future_done(self, outcome)

    def set_result(self, result: Any) -> None:
        self._tl_report(Outcome.RETURNED)
        super().set_result(result)

    def set_exception(self, exception: Any) -> None:
        self._tl_report(Outcome.RAISED)
        super().set_exception(exception)

    def cancel(self, msg: Any = None) -> bool:
        self._tl_report(Outcome.CANCELLED)
        return super().cancel(msg=msg)


# Reprs and logged messages say "Future" and "Task", as asyncio's own do
# (why: programs print them, and must print what they print under asyncio).
TracedFuture.__name__ = TracedFuture.__qualname__ = "Future"


class TracedCoro(collections.abc.Coroutine):
    """Wraps a task's coroutine: each send/throw from the Task is one traced step."""

    __slots__ = ("_coro", "_task", "_rec", "_slow", "_last")

    def __init__(self, coro: Any, rec: Any, slow: float) -> None:
        self._coro = coro
        self._rec = rec
        self._slow = slow
        self._task: Any = None
        self._last: Any = _FIRST  # what the previous step yielded

    def send(self, value: Any) -> Any:
        return self._step(self._coro.send, value)

    def throw(self, typ: Any, val: Any = None, tb: Any = None) -> Any:
        if val is None and tb is None:
            return self._step(self._coro.throw, typ)
        return self._step(lambda _: self._coro.throw(typ, val, tb), None)

    def close(self) -> None:
        self._coro.close()

    def __await__(self) -> Any:
        return self._coro.__await__()

    def __getattr__(self, name: str) -> Any:
        # cr_frame, cr_await, cr_code, __qualname__, ...: the coroutine's (reprs and reports read them)
        return getattr(self._coro, name)

    def _step(self, method: Any, arg: Any) -> Any:
        rec, task, last = self._rec, self._task, self._last
        # Why this step runs, read from what the previous one yielded (the C Task does not say).
        if last is None:
            rec.step_start(task, Why.YIELD)
        elif last is _FIRST:
            rec.step_start(task, Why.START)
        elif getattr(last, "_asyncio_future_blocking", None) is not None and last.done():
            rec.step_start(task, Why.WAKEUP, last)  # (not done: an error thrown in, e.g. "cannot await on itself")
        else:
            rec.step_start(task, Why.THROW)
        started = time.perf_counter()
        try:
            result = method(arg)
        except StopIteration as stop:
            cancelled = task._must_cancel  # cancelled during its last step: the cancel wins
            self._finish(Outcome.CANCELLED if cancelled else Outcome.RETURNED, stop.value)
            raise
        except asyncio.CancelledError:
            self._finish(Outcome.CANCELLED, None)
            raise
        except BaseException as exc:
            self._finish(Outcome.RAISED, exc)
            raise
        else:
            self._last = result
            if result is not None and getattr(result, "_asyncio_future_blocking", False):
                rec.step_end(task, describe_wait(result), result)
            else:  # a bare yield: the Task queues its next step at once (recorded as this event: trace.py)
                rec.step_end(task, "ready", requeued=result is None)
            return result
        finally:
            elapsed = time.perf_counter() - started
            if elapsed >= self._slow:
                rec.blocked(task, elapsed)

    def _finish(self, outcome: int, detail: Any) -> None:
        rec, task = self._rec, self._task
        self._last = None
        rec.future_done(task, outcome)
        rec.step_end(task, "")
        if outcome == Outcome.CANCELLED:
            rec.task_done(task, outcome, "cancelled")
        elif outcome == Outcome.RAISED:
            rec.task_done(task, outcome, f"{type(detail).__name__}: {detail}")
        else:
            text = repr(detail)
            rec.task_done(task, outcome, text if len(text) <= 60 else text[:57] + "...")


class TracedTask(asyncio.Task):
    """An asyncio Task (the C one) whose steps are reported, when its loop records."""

    def __init__(self, coro: Any, *, loop: Any = None, name: Any = None, context: Any = None, **kwargs: Any) -> None:
        if loop is None:
            loop = asyncio.get_event_loop()
        rec = getattr(loop, "_tl_recorder", None)
        if rec is not None and asyncio.iscoroutine(coro):
            if name is None:
                name = rec.next_task_name()  # Task-1, Task-2 ... per run, as in a fresh process
            wrapper = TracedCoro(coro, rec, loop.slow_callback_duration)
            wrapper._task = self
            rec.task_created(self, str(name), aio_tasks._current_tasks.get(loop), coro=coro)
            coro = wrapper
        super().__init__(coro, loop=loop, name=name, context=context, **kwargs)  # kwargs: 3.12's eager_start

    def get_stack(self, *, limit: int | None = None) -> list:
        """asyncio's get_stack, without the wrapper's frames (they are not the program's)."""
        if not self.done() or self.cancelled() or self.exception() is None:
            return super().get_stack(limit=limit)
        frames = [f for f in super().get_stack() if f.f_code.co_filename != __file__]
        return frames if limit is None else frames[: max(limit, 0)]

    def set_name(self, value: Any) -> None:
        super().set_name(value)
        rec = getattr(self.get_loop(), "_tl_recorder", None)
        if rec is not None:
            rec.task_renamed(self, str(value))


TracedTask.__name__ = TracedTask.__qualname__ = "Task"


def label(future: Any, text: str) -> None:
    """Name what `future` stands for, in traces (asyncio's sleep futures: "sleep 0.5")."""
    _labels[future] = text


def creator_label(frame: Any) -> str | None:
    """What to call a future made by loop.create_future(), after the asyncio function
    (the frame) that called it: 'Lock', 'Queue.get', 'wait_for 0.5'... or None.
    (Shared by both traced loops: asyncio's, and loop_impl's hosting real asyncio.)"""
    creator = frame.f_code.co_qualname
    text = _CREATOR_LABELS.get(creator)
    if text is None and creator == "wait_for":
        text = f"wait_for {frame.f_locals.get('timeout'):g}"
    elif text is None and creator == "_wait":
        text = f"wait({len(frame.f_locals.get('fs', ()))})"
    return text


def label_by_creator(future: Any, frame: Any) -> None:
    """Label a future made by loop.create_future() after the asyncio function that called it."""
    text = creator_label(frame)
    if text is not None:
        _labels[future] = text


FIRST = _FIRST
