"""Future: a result that is not there yet.

A Future is a box with three states::

    PENDING ──set_result()/set_exception()──▶ FINISHED
       └────────────cancel()────────────────▶ CANCELLED

and a list of done-callbacks. When it leaves PENDING, each callback is
*scheduled* on the loop with `call_soon` — never called inline (why: asyncio
does the same, so a callback never runs in the middle of whoever resolved the
future, and everything that happens next happens in loop order).

`await future` is `Future.__await__`: if the future is pending it sets
`_asyncio_future_blocking = True` and yields itself. That yield travels up
through every `await` to the Task that runs the coroutine; the Task sees the
flag, adds its wakeup as a done-callback, and goes to sleep. This is the
whole trick of asyncio, and the Task side of it is in tasks.py.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import sys
from collections.abc import Callable, Generator
from types import GenericAlias, MethodType
from typing import Any

from . import debug_mode, events, versions
from .exceptions import CancelledError, InvalidStateError
from .handles import Handle
from .reprs import future_repr_info

__all__ = ("Future", "isfuture", "wrap_future")

_TASK_WAKEUP: Any = None  # Task.__wakeup, set by tasks.py (it imports us, not the reverse)

_PENDING = "PENDING"
_CANCELLED = "CANCELLED"
_FINISHED = "FINISHED"


def isfuture(obj: Any) -> bool:
    """True for objects that behave as Futures (ours, or asyncio-compatible ones)."""
    return hasattr(obj.__class__, "_asyncio_future_blocking") and obj._asyncio_future_blocking is not None


class Future:
    """A result that will be set later, with callbacks to run when it is."""

    __slots__ = (
        "_state", "_result", "_exception", "_loop", "_callback0", "_context0", "_callbacks", "_cancel_message",
        "_cancelled_exc", "_asyncio_future_blocking", "_log_traceback", "_label", "_exception_tb",
        "_tl_id", "__weakref__", "__dict__",
    )  # fmt: skip

    _source_traceback = None
    __class_getitem__ = classmethod(GenericAlias)  # Future[int], as asyncio's
    # Another library's class that isinstance() also takes this for (None: only its own).
    # Why: code written for asyncio asks isinstance(fut, asyncio.Future), and on a loop
    # that hosts asyncio ours must answer yes; asyncio_seam names asyncio's classes here.
    # (isinstance() consults __class__ when the real type says no; type() stays the truth.)
    _claimed_class: type | None = None

    @property
    def __class__(self) -> type:  # type: ignore[override]
        return self._claimed_class or type(self)

    def __init__(self, *, loop: Any = None) -> None:
        self._loop = events.get_event_loop() if loop is None else loop
        self._state = _PENDING
        self._result = None
        self._exception: BaseException | None = None
        # Done-callbacks: the first in two fields, the rest as (fn, context) in a
        # list made on demand (why: most futures get one callback or none; as in
        # the C Future, that one costs no list and no tuple to collect later).
        self._callback0: Callable[[Future], Any] | None = None
        self._context0: contextvars.Context | None = None
        self._callbacks: list[tuple[Callable[[Future], Any], contextvars.Context]] | None = None
        self._cancel_message: Any = None
        self._cancelled_exc: CancelledError | None = None
        # The flag Task.__step looks for: "I yielded a future, park me on it".
        self._asyncio_future_blocking = False
        self._log_traceback = False  # True while a set exception was never looked at
        self._label: str | None = None  # what a trace calls this future ("sleep 0.5")
        self._tl_id = 0
        if getattr(self._loop, "_debug", False):  # debug mode: remember where it was made
            self._source_traceback = debug_mode.extract_stack(sys._getframe(1))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {' '.join(future_repr_info(self))}>"

    def __del__(self) -> None:
        if not getattr(self, "_log_traceback", False):
            return  # (also when __init__ failed half-way)
        context = {
            "message": f"{type(self).__name__} exception was never retrieved",
            "exception": self._exception,
            "future": self,
        }
        if self._source_traceback:
            context["source_traceback"] = self._source_traceback
        self._loop.call_exception_handler(context)

    def get_loop(self) -> Any:
        try:
            return self._loop
        except AttributeError:  # __init__ never ran: asyncio's words
            raise RuntimeError("Future object is not initialized.") from None

    # -- state ---------------------------------------------------------
    # A Future whose __init__ never ran (a subclass skipped it) answers as asyncio's does:
    # not done, not cancelled, no result (why try/except, not __getattr__: a class with
    # __getattr__ loses CPython's fast attribute reads, a third of the loop's speed).
    def done(self) -> bool:
        try:
            return self._state != _PENDING
        except AttributeError:
            return False

    def cancelled(self) -> bool:
        try:
            return self._state == _CANCELLED
        except AttributeError:
            return False

    def result(self) -> Any:
        state = _state_of(self)
        if state == _CANCELLED:
            raise self._make_cancelled_error()
        if state != _FINISHED:
            raise InvalidStateError("Result is not set.")
        self._log_traceback = False
        if self._exception is not None:
            # The traceback as it was set (why: raising appends this frame to
            # __traceback__, and each later await would grow it by one more).
            raise self._exception.with_traceback(self._exception_tb)
        return self._result

    def exception(self) -> BaseException | None:
        state = _state_of(self)
        if state == _CANCELLED:
            raise self._make_cancelled_error()
        if state != _FINISHED:
            raise InvalidStateError("Exception is not set.")
        self._log_traceback = False
        return self._exception

    def set_result(self, result: Any) -> None:
        if self._state != _PENDING:
            raise InvalidStateError("invalid state")
        self._result = result
        self._state = _FINISHED
        self._schedule_callbacks()

    def set_exception(self, exception: BaseException | type) -> None:
        if self._state != _PENDING:
            raise InvalidStateError("invalid state")
        if isinstance(exception, type):
            exception = exception()
        if isinstance(exception, StopIteration):
            message = "StopIteration interacts badly with generators and cannot be raised into a Future"
            if not versions.STOPITERATION_BECOMES_RUNTIMEERROR:
                if type(exception) is StopIteration:  # 3.11/3.12: only the exact class is refused
                    raise TypeError(message)
            else:  # 3.13 (gh-112182): stored as a RuntimeError caused by it
                replacement = RuntimeError(message)
                replacement.__cause__ = replacement.__context__ = exception
                exception = replacement
        self._exception = exception
        self._exception_tb = exception.__traceback__
        self._state = _FINISHED
        self._schedule_callbacks()
        self._log_traceback = True

    def cancel(self, msg: Any = None) -> bool:
        self._log_traceback = False
        if self._state != _PENDING:
            return False
        self._state = _CANCELLED
        self._cancel_message = msg
        self._schedule_callbacks()
        return True

    def _make_cancelled_error(self) -> CancelledError:
        """The CancelledError to raise, chained to the one that cancelled us."""
        if self._cancelled_exc is not None:
            exc = self._cancelled_exc
            self._cancelled_exc = None
            return exc
        exc = CancelledError() if self._cancel_message is None else CancelledError(self._cancel_message)
        exc.__context__ = self._cancelled_exc
        self._cancelled_exc = None
        return exc

    # -- callbacks -----------------------------------------------------
    def add_done_callback(self, fn: Callable[[Future], Any], *, context: contextvars.Context | None = None) -> None:
        if self._state != _PENDING:
            self._loop.call_soon(fn, self, context=context)
            return
        if context is None:
            context = contextvars.copy_context()
        if self._callback0 is None and not self._callbacks:
            self._callback0, self._context0 = fn, context
        elif self._callbacks is None:
            self._callbacks = [(fn, context)]
        else:
            self._callbacks.append((fn, context))

    def remove_done_callback(self, fn: Callable[[Future], Any]) -> int:
        removed = 0
        if self._callback0 is not None and self._callback0 == fn:
            self._callback0 = self._context0 = None
            removed = 1
        if self._callbacks:
            kept = [(f, ctx) for (f, ctx) in self._callbacks if f != fn]
            removed += len(self._callbacks) - len(kept)
            self._callbacks[:] = kept
        return removed

    def _done_callbacks(self) -> list[tuple[Callable[[Future], Any], contextvars.Context]]:
        """Every done-callback, in the order they were added."""
        first = [] if self._callback0 is None else [(self._callback0, self._context0)]
        return first + (self._callbacks or [])

    def _schedule_callbacks(self) -> None:
        """(asyncio's __schedule_callbacks) Queue every done-callback on the loop."""
        # Callbacks go to the ready queue in the order they were added (why:
        # asyncio's order; awaiting tasks wake in the order they started waiting).
        loop = self._loop
        rec = loop._recorder
        if rec is not None:
            rec.future_done(self, 2 if self._state == _CANCELLED else int(self._exception is not None))
        callback, ctx = self._callback0, self._context0
        if callback is not None:
            self._callback0 = self._context0 = None
            if rec is None:
                self._queue_callback(loop, callback, ctx)
            else:
                loop.call_soon(callback, self, context=ctx)
        callbacks = self._callbacks
        if not callbacks:
            return
        self._callbacks = None
        for callback, ctx in callbacks:
            if rec is None:
                self._queue_callback(loop, callback, ctx)
            else:
                loop.call_soon(callback, self, context=ctx)

    def _queue_callback(self, loop: Any, callback: Callable[[Future], Any], ctx: contextvars.Context) -> None:
        if type(callback) is MethodType and callback.__func__ is _TASK_WAKEUP:
            # A task waiting on us: queue the task itself, marked to wake
            # from us (why: the hottest callback; a Handle costs more).
            task = callback.__self__
            task._waking_from = self
            loop._ready.append(task)
        else:
            loop._ready.append(Handle(callback, (self,), loop, ctx))  # call_soon, minus its checks

    # -- await -----------------------------------------------------------
    def __await__(self) -> Generator[Future, None, Any]:
        if not self.done():
            self._asyncio_future_blocking = True
            yield self  # up through every await, to the Task running us
        if not self.done():
            raise RuntimeError("await wasn't used with future")
        return self.result()

    __iter__ = __await__


def _state_of(fut: Future) -> str:
    try:
        return fut._state
    except AttributeError:  # __init__ never ran: the C Future's words (asyncio's Future is the C one)
        raise InvalidStateError("Future object is not initialized.") from None


def _get_loop(fut: Any) -> Any:
    get_loop = getattr(fut, "get_loop", None)
    if get_loop is not None:
        return get_loop()
    return fut._loop


def _set_result_unless_cancelled(fut: Future, result: Any) -> None:
    """The callback behind sleep(): resolve unless someone cancelled meanwhile."""
    if fut.cancelled():
        return
    fut.set_result(result)


# -- bridging concurrent.futures (threads) and our Futures ----------------


def _convert_future_exc(exc: BaseException) -> BaseException:
    """A concurrent.futures error as the asyncio error it stands for (asyncio does the same)."""
    if type(exc) is concurrent.futures.CancelledError:
        return CancelledError(*exc.args).with_traceback(exc.__traceback__)
    if type(exc) is concurrent.futures.InvalidStateError:
        return InvalidStateError(*exc.args).with_traceback(exc.__traceback__)
    return exc


def _copy_state(dest: Any, source: Any) -> None:
    if source.cancelled():
        dest.cancel()
        return
    exc = source.exception()
    if exc is not None:
        dest.set_exception(_convert_future_exc(exc))
    else:
        dest.set_result(source.result())


def _chain_future(source: Any, destination: Any) -> None:
    """Make `destination` follow `source`; either may be a concurrent.futures.Future.

    A concurrent future completes in another thread, so its state is copied
    with call_soon_threadsafe, never directly (why: our Future is not thread-safe).
    """
    source_loop = _get_loop(source) if isfuture(source) else None
    dest_loop = _get_loop(destination) if isfuture(destination) else None

    def _set_state(future: Any, other: Any) -> None:
        if isfuture(future):
            _copy_state(future, other)
        else:
            # A cancelled source cancels the concurrent future (why: asyncio's
            # way; the waiting thread then sees fut.cancelled(), not an exception).
            if other.cancelled():
                future.cancel()
            if not future.set_running_or_notify_cancel():
                return
            exc = other.exception()
            if exc is not None:
                future.set_exception(_convert_future_exc(exc))
            else:
                future.set_result(other.result())

    def _call_check_cancel(dest: Any) -> None:
        if dest.cancelled():
            if source_loop is None or source_loop is dest_loop:
                source.cancel()
            else:
                source_loop.call_soon_threadsafe(source.cancel)

    def _call_set_state(source: Any) -> None:
        if destination.cancelled() and dest_loop is not None and dest_loop.is_closed():
            return
        if dest_loop is None or dest_loop is source_loop:
            _set_state(destination, source)
        elif not dest_loop.is_closed():
            dest_loop.call_soon_threadsafe(_set_state, destination, source)

    destination.add_done_callback(_call_check_cancel)
    source.add_done_callback(_call_set_state)


def wrap_future(future: Any, *, loop: Any = None) -> Future:
    """Wrap a concurrent.futures.Future so that it can be awaited."""
    if isfuture(future):
        return future
    if not isinstance(future, concurrent.futures.Future):
        raise TypeError(f"concurrent.futures.Future is expected, got {future!r}")
    if loop is None:
        loop = events.get_event_loop()
    new_future = loop.create_future()
    _chain_future(future, new_future)
    return new_future
