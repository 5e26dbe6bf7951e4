"""The exceptions of loop_impl, named and shaped as asyncio's.

`CancelledError` is a `BaseException` (as in asyncio since 3.8), so a broad
`except Exception` in user code does not swallow a cancellation.
`TimeoutError` is the builtin, as in asyncio since 3.11.
"""

from __future__ import annotations

__all__ = (
    "CancelledError",
    "InvalidStateError",
    "TimeoutError",
    "IncompleteReadError",
    "LimitOverrunError",
    "DeadlockError",
    "SendfileNotAvailableError",
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


class DeadlockError(RuntimeError):
    """Tasks are waiting, yet nothing could ever wake them.

    Real asyncio would hang here. loop_impl raises this instead; its message
    names every pending task and what it waits for (see diagnostics.py).
    """


class SendfileNotAvailableError(RuntimeError):
    """os.sendfile() cannot be used here (not a regular file, not a socket...).

    `sendfile(..., fallback=True)` catches it and copies with read + send.
    """
