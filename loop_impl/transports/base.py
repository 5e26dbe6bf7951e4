"""What every transport with a write buffer shares: flow control.

A transport buffers what the kernel will not take yet. When that buffer
grows past the high-water mark, the transport tells its protocol
`pause_writing()`; when it drains to the low-water mark, `resume_writing()`.
That is how `await writer.drain()` holds a fast writer back to the speed of
its peer. The socket, pipe and TLS transports all keep these rules (as
asyncio's `_FlowControlMixin`).
"""

from __future__ import annotations

from typing import Any

from ..protocols import WriteTransport

__all__ = ()

DEFAULT_HIGH_WATER = 64 * 1024


class _FlowControlMixin(WriteTransport):
    """High/low water marks over `get_write_buffer_size()`."""

    __slots__ = ()
    _loop: Any
    _protocol: Any
    _high_water: int
    _low_water: int
    _protocol_paused: bool

    def _init_flow_control(self) -> None:
        self._protocol_paused = False  # we told the protocol pause_writing()
        self._high_water = DEFAULT_HIGH_WATER
        self._low_water = DEFAULT_HIGH_WATER // 4

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return (self._low_water, self._high_water)

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._high_water, self._low_water = water_marks(high, low, DEFAULT_HIGH_WATER)
        self._maybe_pause_protocol()

    def _maybe_pause_protocol(self) -> None:
        # Called inline, not via call_soon (why: a writer that never yields
        # must still be told to stop, or the buffer grows without bound).
        if self.get_write_buffer_size() <= self._high_water or self._protocol_paused:
            return
        self._protocol_paused = True
        self._call_protocol("pause_writing")

    def _maybe_resume_protocol(self) -> None:
        if self._protocol_paused and self.get_write_buffer_size() <= self._low_water:
            self._protocol_paused = False
            self._call_protocol("resume_writing")

    def _call_protocol(self, method: str) -> None:
        try:
            getattr(self._protocol, method)()
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            context = {"message": f"protocol.{method}() failed", "exception": exc, "transport": self}
            context["protocol"] = self._protocol
            self._loop.call_exception_handler(context)


def water_marks(high: int | None, low: int | None, default_high: int) -> tuple[int, int]:
    """(high, low) water marks, each defaulting from the other as asyncio's do."""
    if high is None:
        high = default_high if low is None else 4 * low
    if low is None:
        low = high // 4
    if not high >= low >= 0:
        raise ValueError(f"high ({high!r}) must be >= low ({low!r}) must be >= 0")
    return high, low


def _set_result_unless_cancelled(fut: Any, result: Any) -> None:
    """Resolve fut unless someone cancelled it meanwhile (e.g. a timeout)."""
    if fut.cancelled():
        return
    fut.set_result(result)
