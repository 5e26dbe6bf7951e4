"""`async with timeout(delay):` a deadline for a block of code.

On entry it arms a timer; if the timer fires first it cancels the current
task, and on exit it turns that CancelledError into TimeoutError. Task
cancel counts (`cancelling()`/`uncancel()`) tell "our" cancellation from
one that came from outside, which must propagate unchanged.
"""

from __future__ import annotations

import enum
from types import TracebackType
from typing import Any

from . import events, versions
from .exceptions import CancelledError
from .tasks import current_task

__all__ = ("Timeout", "timeout", "timeout_at")


class _State(enum.Enum):
    CREATED = "created"
    ENTERED = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    EXITED = "finished"


class Timeout:
    """An async context manager that cancels its task at a deadline."""

    def __init__(self, when: float | None) -> None:
        self._state = _State.CREATED
        self._timeout_handler: Any = None
        self._task: Any = None
        self._when = when
        self._cancelling = 0

    def when(self) -> float | None:
        return self._when

    def reschedule(self, when: float | None) -> None:
        """Move the deadline (None: no deadline)."""
        if self._state is not _State.ENTERED:
            if self._state is _State.CREATED:
                raise RuntimeError("Timeout has not been entered")
            raise RuntimeError(f"Cannot change state of {self._state.value} Timeout")
        self._when = when
        if self._timeout_handler is not None:
            self._timeout_handler.cancel()
        if when is None:
            self._timeout_handler = None
        else:
            loop = events.get_running_loop()
            if when <= loop.time():
                self._timeout_handler = loop.call_soon(self._on_timeout)
            else:
                self._timeout_handler = loop.call_at(when, self._on_timeout)

    def expired(self) -> bool:
        return self._state in (_State.EXPIRING, _State.EXPIRED)

    def __repr__(self) -> str:
        info = [""]
        if self._state is _State.ENTERED:
            when = round(self._when, 3) if self._when is not None else None
            info.append(f"when={when}")
        return f"<Timeout [{self._state.value}]{' '.join(info)}>"

    async def __aenter__(self) -> Timeout:
        # Checked before any state changes (why: a misuse must leave the Timeout as it was).
        if self._state is not _State.CREATED:
            raise RuntimeError("Timeout has already been entered")
        task = current_task()
        if task is None:
            raise RuntimeError("Timeout should be used inside a task")
        self._state = _State.ENTERED
        self._task = task
        self._cancelling = self._task.cancelling()
        self.reschedule(self._when)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> bool | None:
        assert self._state in (_State.ENTERED, _State.EXPIRING)
        if self._timeout_handler is not None:
            self._timeout_handler.cancel()
            self._timeout_handler = None
        if self._state is _State.EXPIRING:
            self._state = _State.EXPIRED
            # Only our own cancellation becomes TimeoutError; any other
            # pending cancel request must go on as CancelledError.
            if self._task.uncancel() <= self._cancelling and exc_type is not None:
                if issubclass(exc_type, CancelledError) and (exc_type is CancelledError or versions.TIMEOUT_MARKS_FOREIGN_ERRORS):
                    raise TimeoutError from exc_val
                if exc_val is not None and versions.TIMEOUT_MARKS_FOREIGN_ERRORS:
                    # 3.13: another error raised while our cancellation unwound the block:
                    # the TimeoutError goes into its chain, between it and the CancelledError.
                    for error in (exc_val, *getattr(exc_val, "exceptions", ())):
                        _insert_timeout_error(error)
        elif self._state is _State.ENTERED:
            self._state = _State.EXITED
        return None

    def _on_timeout(self) -> None:
        assert self._state is _State.ENTERED
        self._task.cancel()
        self._state = _State.EXPIRING
        self._timeout_handler = None


def _insert_timeout_error(error: BaseException) -> None:
    while error.__context__ is not None:
        if isinstance(error.__context__, CancelledError):
            timed_out = TimeoutError()
            timed_out.__context__ = timed_out.__cause__ = error.__context__
            error.__context__ = timed_out
            return
        error = error.__context__


def timeout(delay: float | None) -> Timeout:
    """Cancel the block after `delay` seconds (None: never) and raise TimeoutError."""
    loop = events.get_running_loop()
    return Timeout(loop.time() + delay if delay is not None else None)


def timeout_at(when: float | None) -> Timeout:
    """Like timeout(), with an absolute deadline in loop.time()."""
    return Timeout(when)
