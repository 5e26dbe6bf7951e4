"""Task: a coroutine driven step by step by the loop.

A Task is a Future whose result is its coroutine's return value. The loop
never runs a coroutine itself; it runs `Task.__step`, which sends one value
into the coroutine (`coro.send(None)`) and looks at what comes back:

* `StopIteration(value)`: the coroutine returned; the task's result is value.
* an exception: the task failed with it (CancelledError: it was cancelled).
* a Future with `_asyncio_future_blocking` set: the coroutine is waiting for
  it. The task adds `__wakeup` as the future's done-callback and is off the
  ready queue until then: nothing polls it.
* `None` (a bare yield, as `sleep(0)` does): the task goes straight back to
  the end of the ready queue, and others run first.
* anything else: a programming error, thrown back into the coroutine.

Invariant: a pending task is in exactly one of three places — on the ready
queue (about to step), parked on one future (`_fut_waiter`), or running
(it is `current_task()`).
"""

from __future__ import annotations

import contextvars
import inspect
import itertools
import sys
import types
import weakref
from collections.abc import Generator
from typing import Any

from . import debug_mode, events, versions
from . import futures as _futures_module
from .coroutines import iscoroutine, iscoroutinefunction, never_resumed
from .exceptions import CancelledError, InvalidStateError
from .futures import Future, _get_loop, _set_result_unless_cancelled, isfuture
from .reprs import print_task_stack, sleep_label, task_repr_info, task_stack
from .trace import Why

__all__ = (
    "Task", "create_task", "ensure_future", "current_task", "all_tasks", "sleep",
    "iscoroutine", "iscoroutinefunction",
)  # fmt: skip

_task_name_counter = itertools.count(1).__next__
# Every pending task, by id, as a weak reference (why weak: asyncio lets an
# unreferenced pending task be garbage-collected, with a warning; why not a
# WeakSet: its Python-level add() cost more than creating the task).
_all_tasks: dict[int, weakref.ref] = {}
# Plain ints for the hot path (why: an IntEnum member lookup costs more than a step's bookkeeping).
_YIELD, _WAKEUP, _THROW = int(Why.YIELD), int(Why.WAKEUP), int(Why.THROW)


class Task(Future):
    """Runs a coroutine on the loop, one step per turn, until it finishes."""

    __slots__ = ("_coro", "_context", "_name", "_fut_waiter", "_must_cancel",
                 "_num_cancels_requested", "_log_destroy_pending", "_waking_from")  # fmt: skip

    # Why a class attribute: a task queued for its next step sits in the
    # loop's ready queue itself, in place of a Handle, and the loop skips
    # entries whose _cancelled is set. A task step is never cancelled that way.
    _cancelled = False

    def __init__(
        self,
        coro: Any,
        *,
        loop: Any = None,
        name: Any = None,
        context: contextvars.Context | None = None,
        eager_start: bool = False,
    ) -> None:
        if eager_start and not versions.EAGER_TASKS:
            raise TypeError("'eager_start' is an invalid keyword argument for Task()")
        if not iscoroutine(coro):
            raise TypeError(f"a coroutine was expected, got {coro!r}")
        if loop is None:
            loop = events.get_event_loop()
        if loop._closed:
            raise RuntimeError("Event loop is closed")
        # Future.__init__'s fields, set inline (why: creating a task is the
        # hot path of spawn-heavy programs; a super() call costs a frame).
        self._loop = loop
        self._state = "PENDING"
        self._result = self._exception = self._exception_tb = self._callbacks = self._callback0 = self._context0 = None
        self._cancel_message = self._cancelled_exc = self._label = None
        self._asyncio_future_blocking = self._log_traceback = False
        self._tl_id = 0
        self._log_destroy_pending = True
        # Only an unnamed task takes a number (why: asyncio 3.11's Task does;
        # asyncio.create_task(name=) uses one up because it renames, see create_task).
        self._name = f"Task-{_task_name_counter()}" if name is None else str(name)
        self._num_cancels_requested = 0
        self._must_cancel = False
        self._fut_waiter: Any = None
        self._waking_from: Future | None = None  # see Future._schedule_callbacks
        self._coro = coro
        self._context = contextvars.copy_context() if context is None else context
        if loop._debug:  # debug mode: remember where it was made (asyncio drops Task.__init__ itself)
            self._source_traceback = debug_mode.extract_stack(sys._getframe(1))
        _all_tasks[id(self)] = weakref.ref(self)
        rec = loop._recorder
        if rec is not None:
            rec.task_created(self, self._name, loop._current_task)
        if eager_start and loop.is_running():
            self._eager_start()
            return
        # A new task only joins the queue; it first runs when its creator
        # yields (why: asyncio never steps a task inside create_task).
        loop._ready.append(self)
        if rec is not None:
            rec.scheduled(self, None, Why.START)

    def __del__(self) -> None:
        state = getattr(self, "_state", None)  # None: __init__ failed half-way
        if state == "PENDING":
            _all_tasks.pop(id(self), None)
        if state == "PENDING" and getattr(self, "_log_destroy_pending", False):  # False: __init__ refused its coro
            context = {"task": self, "message": "Task was destroyed but it is pending!"}
            if self._source_traceback:
                context["source_traceback"] = self._source_traceback
            self._loop.call_exception_handler(context)
        super().__del__()

    def __repr__(self) -> str:
        info = task_repr_info(self)
        return f"<{type(self).__name__} {' '.join(info)}>"

    # -- the public API ------------------------------------------------
    def get_coro(self) -> Any:
        return self._coro

    def get_context(self) -> contextvars.Context:
        return self._context

    def get_name(self) -> str:
        return self._name

    def set_name(self, value: Any) -> None:
        self._name = str(value)
        rec = self._loop._recorder
        if rec is not None:
            rec.task_renamed(self, self._name)

    def set_result(self, result: Any) -> None:
        raise RuntimeError("Task does not support set_result operation")

    def set_exception(self, exception: Any) -> None:
        raise RuntimeError("Task does not support set_exception operation")

    def get_stack(self, *, limit: int | None = None) -> list:
        """The frames of the suspended coroutine, or of the exception it ended with."""
        return task_stack(self, limit, Task._Task__step.__code__)

    def print_stack(self, *, limit: int | None = None, file: Any = None) -> None:
        """Print get_stack() as a traceback (to stderr by default), as asyncio does."""
        print_task_stack(self, limit, file)

    def cancel(self, msg: Any = None) -> bool:
        """Ask the task to cancel: CancelledError arrives at its current await."""
        self._log_traceback = False
        if self.done():
            return False
        self._num_cancels_requested += 1
        if self._fut_waiter is not None:
            if self._fut_waiter.cancel(msg=msg):
                # The future we wait on is cancelled; its callback wakes us
                # with CancelledError at the await (why: asyncio delivers
                # cancellation through the awaited future, not directly).
                return True
        # Not parked on a cancellable future: throw on our next step.
        self._must_cancel = True
        self._cancel_message = msg
        return True

    def cancelling(self) -> int:
        return self._num_cancels_requested

    def uncancel(self) -> int:
        if self._num_cancels_requested > 0:
            self._num_cancels_requested -= 1
            if self._num_cancels_requested == 0 and versions.TASKGROUP_RESTORES_CANCELLING:
                self._must_cancel = False  # 3.13: no request left, so no cancel still due at the next step
        return self._num_cancels_requested

    # -- stepping --------------------------------------------------------
    def _run(self) -> None:
        """Called by the loop when this task's turn in the ready queue comes."""
        future = self._waking_from
        try:
            if future is None:
                self._context.run(self.__step)
            else:  # queued by a future it waited on, in place of a Handle for __wakeup
                self._waking_from = None
                self._context.run(self.__wakeup, future)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:  # a step that cannot run (a task finished behind its back): as a Handle's error
            self._loop.call_exception_handler({"message": "Exception in callback Task.__step()", "exception": exc})
        del self, future  # (see the end of __step: no reference from this frame either)

    def _eager_start(self) -> None:
        """3.12 (gh-97696): the first step runs now, inside create_task, as the current task."""
        loop = self._loop
        creator, loop._current_task = loop._current_task, None  # the creator steps aside meanwhile
        hosted = creator is not None and loop._asyncio_enter_task is not None  # (in asyncio's table too)
        if hosted:
            loop._asyncio_leave_task(loop, creator)
        try:
            self._context.run(self.__step)
        finally:
            loop._current_task = creator
            if hosted:
                loop._asyncio_enter_task(loop, creator)

    def __step(self, exc: BaseException | None = None, why: int = _YIELD, woken_by: Any = None) -> None:
        if self._state != "PENDING":
            raise InvalidStateError(f"_step(): already done: {self!r}, {exc!r}")
        if self._must_cancel:
            if not isinstance(exc, CancelledError):
                exc = self._make_cancelled_error()
            self._must_cancel = False
        self._fut_waiter = None
        loop = self._loop
        rec = loop._recorder
        if rec is not None:
            rec.step_start(self, why, woken_by)
        if loop._current_task is not None:
            raise RuntimeError(
                f"Cannot enter into task {self!r} while another task {loop._current_task!r} is being executed."
            )
        hosted = loop._asyncio_enter_task  # asyncio's current-task table, when asyncio runs on this loop (the seam)
        if hosted is not None:
            hosted(loop, self)  # (first: if asyncio refuses, nothing of ours is left half-set)
        loop._current_task = self
        requeued = False
        try:
            if exc is None:
                result = self._coro.send(None)
            else:
                result = self._coro.throw(exc)
        except StopIteration as stop:
            _all_tasks.pop(id(self), None)
            if self._must_cancel:
                # Cancelled while finishing: the cancel wins (as in asyncio).
                self._must_cancel = False
                Future.cancel(self, msg=self._cancel_message)
            else:
                # Future.set_result, inline (why: every task ends here).
                self._result = stop.value
                self._state = "FINISHED"
                self._schedule_callbacks()
        except CancelledError as cancelled:
            _all_tasks.pop(id(self), None)
            self._cancelled_exc = cancelled  # kept to chain the next raise to it
            Future.cancel(self)
        except (KeyboardInterrupt, SystemExit) as interrupt:
            if never_resumed(self._coro):
                # (it arrived just around send/throw): the step is due again, so a
                # cancel() after the interrupt still reaches the coroutine
                loop.call_soon(self.__step, exc, why, woken_by, context=self._context)
                raise
            _all_tasks.pop(id(self), None)
            Future.set_exception(self, interrupt)
            raise
        except BaseException as error:
            _all_tasks.pop(id(self), None)
            Future.set_exception(self, error)
        else:
            if result is None:
                # A bare yield: back to the end of the ready queue (why: this
                # is sleep(0), "let everyone already waiting run first").
                loop._ready.append(self)
                requeued = True  # (a trace records this push with the step's end: one event, not two)
            else:
                self.__park_on(result)
        finally:
            loop._current_task = None
            if hosted is not None:
                loop._asyncio_leave_task(loop, self)
            if rec is not None:
                rec.task_step_ended(self, requeued)
        # A failed task keeps its exception, whose traceback keeps this frame: drop
        # the frame's references to the task and to the exception thrown in (why:
        # else they form a cycle with it, and what they hold, "exception was never
        # retrieved" included, waits for the GC, not for the last reference as in
        # asyncio, whose step is C code without a frame).
        del self, exc, woken_by

    def __park_on(self, result: Any) -> None:
        """The coroutine yielded `result`: decide when this task runs next."""
        loop = self._loop
        blocking = getattr(result, "_asyncio_future_blocking", None)
        if blocking is not None:
            if getattr(result, "_loop", None) is not loop and _get_loop(result) is not loop:
                error = RuntimeError(f"Task {self!r} got Future {result!r} attached to a different loop")
                loop.call_soon(self.__step, error, _THROW, context=self._context)
            elif blocking:
                if result is self:
                    error = RuntimeError(f"Task cannot await on itself: {self!r}")
                    loop.call_soon(self.__step, error, _THROW, context=self._context)
                else:
                    result._asyncio_future_blocking = False
                    result.add_done_callback(self.__wakeup, context=self._context)
                    self._fut_waiter = result
                    if self._must_cancel:
                        if self._fut_waiter.cancel(msg=self._cancel_message):
                            self._must_cancel = False
            else:
                error = RuntimeError(f"yield was used instead of yield from in task {self!r} with {result!r}")
                loop.call_soon(self.__step, error, _THROW, context=self._context)
        elif inspect.isgenerator(result):
            error = RuntimeError(f"yield was used instead of yield from for generator in task {self!r} with {result!r}")
            loop.call_soon(self.__step, error, _THROW, context=self._context)
        else:
            error = RuntimeError(f"Task got bad yield: {result!r}")
            loop.call_soon(self.__step, error, _THROW, context=self._context)

    def __wakeup(self, future: Future) -> None:
        """Done-callback of the future we were parked on: step again."""
        error = None  # (no value to pass: Future.__await__ reads future.result() itself)
        try:
            future.result()
        except BaseException as exc:
            error = exc  # stepped outside this handler: else the coroutine's own errors would chain to it
        self.__step(error, _WAKEUP, future)
        # (why: this frame is in the traceback of what future.result() raised, which the task keeps: see __step)
        del self, future, error


# Futures recognise a task's wakeup among their done-callbacks (why: they can
# then queue the task itself instead of a Handle; see Future._schedule_callbacks).
_futures_module._TASK_WAKEUP = Task._Task__wakeup


# -- module-level functions ---------------------------------------------


def create_task(coro: Any, *, name: Any = None, context: contextvars.Context | None = None) -> Task:
    """Wrap the coroutine in a Task on the running loop; it starts when you yield."""
    loop = events.get_running_loop()
    if name is not None and loop.get_task_factory() is None and not versions.NAMED_TASK_KEEPS_NUMBER:
        # 3.11/3.12 create the task unnamed, then rename it: a Task-N number is used up even
        # so (why: later tasks get asyncio's numbers; with a factory, its unnamed Task takes it).
        _task_name_counter()
    return loop.create_task(coro, name=name, context=context)


def ensure_future(coro_or_future: Any, *, loop: Any = None) -> Any:
    """Return the future itself, or a Task running the coroutine or awaitable."""
    if type(coro_or_future) is types.CoroutineType and loop is not None:
        try:
            return loop.create_task(coro_or_future)  # the common case, first
        except RuntimeError:
            coro_or_future.close()  # a closed loop: no "never awaited" warning on top of the error
            raise
    if isfuture(coro_or_future):
        if loop is not None and loop is not _get_loop(coro_or_future):
            raise ValueError("The future belongs to a different loop than the one specified as the loop argument")
        return coro_or_future
    should_close = True
    if not iscoroutine(coro_or_future):
        if inspect.isawaitable(coro_or_future):
            coro_or_future = _wrap_awaitable(coro_or_future)
            should_close = False
        else:
            raise TypeError("An asyncio.Future, a coroutine or an awaitable is required")
    if loop is None:
        loop = events.get_event_loop()
    try:
        return loop.create_task(coro_or_future)
    except RuntimeError:
        if should_close:
            coro_or_future.close()
        raise


async def _wrap_awaitable(awaitable: Any) -> Any:
    return await awaitable


def current_task(loop: Any = None) -> Task | None:
    """The task whose step is running on `loop` (default: the running loop)."""
    if loop is None:
        loop = events.get_running_loop()
    return getattr(loop, "_current_task", None)


def all_tasks(loop: Any = None) -> set[Task]:
    """The tasks of `loop` (default: the running loop) that are not done yet."""
    if loop is None:
        loop = events.get_running_loop()
    tasks = [ref() for ref in list(_all_tasks.values())]  # a copy: it may change meanwhile
    return {t for t in tasks if t is not None and t._loop is loop and not t.done()}


@types.coroutine
def _sleep0() -> Generator[None, None, None]:
    """One bare yield: the task goes to the back of the ready queue."""
    yield


async def sleep(delay: float, result: Any = None) -> Any:
    """Suspend for `delay` seconds. sleep(0) is exactly one loop iteration."""
    if delay <= 0:
        await _sleep0()
        return result
    if versions.SLEEP_REJECTS_NAN and delay != delay:  # NaN: no deadline could ever come
        raise ValueError("Invalid delay: NaN (not a number)")
    loop = events.get_running_loop()
    future = loop.create_future()
    future._label = sleep_label(delay)
    handle = loop.call_later(delay, _set_result_unless_cancelled, future, result)
    try:
        return await future
    finally:
        handle.cancel()  # a no-op if it fired; frees the timer if we were cancelled
