"""The exceptions of loop_impl, named and shaped as asyncio's.

`CancelledError` is a `BaseException` (as in asyncio since 3.8), so a broad
`except Exception` in user code does not swallow a cancellation.
`TimeoutError` is the builtin, as in asyncio since 3.11.

Read the classes below to see what each exception is. At run time, though,
loop_impl raises asyncio's own classes: the seam (asyncio_seam.py, imported
first by the package) calls `adopt()` with them before any other module of
loop_impl imports a name from here. Why: a library written for asyncio says
`except asyncio.CancelledError`, and it must catch a cancellation that our
Task delivers, and our `except CancelledError` must catch one from an asyncio
Task; that only works if both are the same class object. asyncio is in every
CPython's standard library (and in Pyodide), so the definitions below are the
readable story, and asyncio's classes (which have the same bases and fields)
are what is raised. `DeadlockError` is ours alone.
"""

from __future__ import annotations

__all__ = (
    "CancelledError",
    "InvalidStateError",
    "TimeoutError",
    "IncompleteReadError",
    "LimitOverrunError",
    "DeadlockError",
    "QueueEmpty",
    "QueueFull",
    "QueueShutDown",
    "BrokenBarrierError",
    "SendfileNotAvailableError",
    "adopt",
)

TimeoutError = TimeoutError  # the builtin: `except asyncio.TimeoutError` catches both


class CancelledError(BaseException):
    """The Future or Task was cancelled."""


class InvalidStateError(Exception):
    """The operation is not allowed in this Future's state."""


class IncompleteReadError(EOFError):
    """The stream ended before the expected number of bytes arrived."""

    def __init__(self, partial: bytes, expected: int | None) -> None:
        r_expected = "undefined" if expected is None else repr(expected)
        super().__init__(f"{len(partial)} bytes read on a total of {r_expected} expected bytes")
        self.partial = partial
        self.expected = expected

    def __reduce__(self):
        return type(self), (self.partial, self.expected)


class LimitOverrunError(Exception):
    """The separator was not found within the stream's buffer limit."""

    def __init__(self, message: str, consumed: int) -> None:
        super().__init__(message)
        self.consumed = consumed

    def __reduce__(self):
        return type(self), (self.args[0], self.consumed)


class QueueEmpty(Exception):
    """get_nowait() on an empty queue."""


class QueueFull(Exception):
    """put_nowait() on a full queue."""


class QueueShutDown(Exception):
    """put() or get() on a queue that was shut down (asyncio 3.13)."""


class BrokenBarrierError(RuntimeError):
    """The Barrier was reset or aborted while tasks waited."""


class SendfileNotAvailableError(RuntimeError):
    """sendfile() cannot be used for this socket or file: the caller falls back to send()."""


class DeadlockError(RuntimeError):
    """Tasks are waiting, yet nothing could ever wake them.

    Real asyncio would hang here. loop_impl raises this instead; its message
    names every pending task and what it waits for (see diagnostics.py).
    """


SHARED_WITH_ASYNCIO = (
    "CancelledError", "InvalidStateError", "IncompleteReadError", "LimitOverrunError", "QueueEmpty",
    "QueueFull", "QueueShutDown", "BrokenBarrierError", "SendfileNotAvailableError",
)  # fmt: skip


def adopt(classes: dict[str, type]) -> None:
    """Use these classes (asyncio's) under their names from now on; see the module docstring."""
    unknown = set(classes) - set(SHARED_WITH_ASYNCIO)
    if unknown:
        raise ValueError(f"not an exception loop_impl shares with asyncio: {sorted(unknown)}")
    globals().update(classes)
