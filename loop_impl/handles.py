"""Handles: a callback the loop has promised to call.

`call_soon` returns a `Handle` (it sits in the loop's ready queue);
`call_later`/`call_at` return a `TimerHandle` (it sits in the timer heap until
its deadline, then moves to the ready queue). Both can be cancelled; the loop
then drops them instead of calling them.

Timer discipline, as in CPython: TimerHandles compare by deadline alone and
live in a `heapq` (as (deadline, handle) pairs, which compare the same way). Two timers with exactly the same deadline therefore leave
the heap in whatever order the heap's shape gives, the same shape asyncio's
heap has after the same pushes and pops, so even ties fire as in asyncio.
"""

from __future__ import annotations

import contextvars
import sys
import threading
from collections.abc import Callable
from typing import Any

from .debug_mode import extract_stack
from .reprs import format_callback_source

__all__ = ("Handle", "TimerHandle")


class Handle:
    """A callback with its arguments, run once by the loop in its context."""

    # _source_traceback: where it was made, in debug mode (else None); _repr: its repr when
    # cancelled in debug mode (why: cancel() drops the callback, a slow-callback report still names it).
    __slots__ = ("_callback", "_args", "_cancelled", "_loop", "_context", "_source_traceback", "_repr", "__weakref__")

    def __init__(
        self,
        callback: Callable[..., Any],
        args: tuple,
        loop: Any,
        context: contextvars.Context | None = None,
    ) -> None:
        if context is None:
            context = contextvars.copy_context()
        self._context = context
        self._loop = loop
        self._callback = callback
        self._args = args
        self._cancelled = False
        # The frame that made it (call_soon and call_at drop their own frames from it, as asyncio's do).
        self._source_traceback = extract_stack(sys._getframe(1)) if loop is not None and loop.get_debug() else None

    def __repr__(self) -> str:
        saved = getattr(self, "_repr", None)
        return saved if saved is not None else "<{}>".format(" ".join(self._repr_info()))

    def _repr_info(self) -> list[str]:
        info = [type(self).__name__]
        if self._cancelled:
            info.append("cancelled")
        if self._callback is not None:
            debug = self._loop is not None and self._loop.get_debug()
            info.append(format_callback_source(self._callback, self._args, debug))
        source_traceback = self._source_traceback
        if source_traceback:  # debug mode
            info.append(f"created at {source_traceback[-1].filename}:{source_traceback[-1].lineno}")
        return info

    def get_context(self) -> contextvars.Context:
        return self._context

    def cancel(self) -> None:
        if not self._cancelled:
            self._cancelled = True
            if self._loop is not None and self._loop.get_debug():
                self._repr = repr(self)
            # Drop references now: a cancelled handle may sit in a queue for a while.
            self._callback = None
            self._args = None

    def cancelled(self) -> bool:
        return self._cancelled

    def _run(self) -> None:
        try:
            self._context.run(self._callback, *self._args)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            context = {
                "message": f"Exception in callback {format_callback_source(self._callback, self._args, self._loop.get_debug())}",
                "exception": exc,
                "handle": self,
            }
            if self._source_traceback:
                context["source_traceback"] = self._source_traceback
            self._loop.call_exception_handler(context)


class _ThreadSafeHandle(Handle):
    """3.14 (gh-128340): what call_soon_threadsafe returns. Another thread may cancel it while
    the loop runs it, so cancel, cancelled and the run itself take one lock."""

    __slots__ = ("_lock",)

    def __init__(self, callback: Callable[..., Any], args: tuple, loop: Any, context: Any = None) -> None:
        super().__init__(callback, args, loop, context)
        if self._source_traceback:
            del self._source_traceback[-1]  # this frame: the caller's line must come last (debug mode)
        self._lock = threading.RLock()

    def cancel(self) -> None:
        with self._lock:
            super().cancel()

    def cancelled(self) -> bool:
        with self._lock:
            return super().cancelled()

    def _run(self) -> None:
        with self._lock:
            if not self._cancelled:  # (cancelled after the loop looked: then it must not run)
                super()._run()


class TimerHandle(Handle):
    """A Handle with a deadline, kept in the loop's timer heap."""

    __slots__ = ("_when", "_scheduled", "_tl_id")

    def __init__(
        self,
        when: float,
        callback: Callable[..., Any],
        args: tuple,
        loop: Any,
        context: contextvars.Context | None = None,
    ) -> None:
        # Handle.__init__'s fields, inline (why: a timer per sleep(); a super() call costs a frame).
        self._context = contextvars.copy_context() if context is None else context
        self._loop = loop
        self._callback = callback
        self._args = args
        self._cancelled = False
        self._when = when
        self._scheduled = False  # True while it sits in the loop's heap
        self._tl_id = 0
        self._source_traceback = extract_stack(sys._getframe(1)) if loop is not None and loop.get_debug() else None

    def _repr_info(self) -> list[str]:
        info = super()._repr_info()
        info.insert(2 if self._cancelled else 1, f"when={self._when}")
        return info

    # The heap compares deadlines only (why: CPython does the same, and equal
    # deadlines must then come out of the heap in the order asyncio's do).
    def __lt__(self, other: object) -> bool:
        if isinstance(other, TimerHandle):
            return self._when < other._when
        return NotImplemented

    def __le__(self, other: object) -> bool:
        if isinstance(other, TimerHandle):
            return self._when < other._when or self.__eq__(other)
        return NotImplemented

    def __gt__(self, other: object) -> bool:
        if isinstance(other, TimerHandle):
            return self._when > other._when
        return NotImplemented

    def __ge__(self, other: object) -> bool:
        if isinstance(other, TimerHandle):
            return self._when > other._when or self.__eq__(other)
        return NotImplemented

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TimerHandle):
            return (
                self._when == other._when
                and self._callback == other._callback
                and self._args == other._args
                and self._cancelled == other._cancelled
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._when)  # asyncio's: equal timers share a deadline

    def when(self) -> float:
        """The absolute deadline, in the loop's time()."""
        return self._when

    def cancel(self) -> None:
        if not self._cancelled:
            self._loop._timer_handle_cancelled(self)
        super().cancel()
