"""StreamReader: a byte buffer that a protocol fills and tasks read from.

`feed_data()` (called by the protocol when bytes arrive) appends to the
buffer; `read()`, `readline()`, `readexactly()` and `readuntil()` take from
it. When the buffer cannot satisfy a read, the reading task waits on one
future, `_waiter`, which the next `feed_data()` or `feed_eof()` resolves;
the read then looks at the buffer again.

The limit protects memory. `readline`/`readuntil` refuse a line longer
than `limit` (LimitOverrunError, or ValueError from readline). And past
2 * limit buffered bytes the reader pauses its transport: the kernel's
buffer then fills and TCP tells the peer to slow down. A read that brings
the buffer back to the limit resumes it.
"""

from __future__ import annotations

from typing import Any

from . import events, versions
from .exceptions import IncompleteReadError, LimitOverrunError

__all__ = ("StreamReader",)

_DEFAULT_LIMIT = 2**16  # 64 KiB: the longest line readline() accepts, and half the read buffer


def _fd_of(transport: Any) -> str:
    """'fd 7' for a trace label, from whatever transport there is."""
    fd = getattr(transport, "_sock_fd", None)  # a socket
    if fd is None:
        fd = getattr(transport, "_fileno", None)  # a pipe (a subprocess's stdout, ...)
    if fd is None and transport is not None:
        sock = transport.get_extra_info("socket")  # TLS: the socket underneath
        fd = None if sock is None else sock.fileno()
    return "(no transport)" if fd is None else f"fd {fd}"


class StreamReader:
    """A byte buffer the protocol fills and tasks read from, waiting when it is short."""

    def __init__(self, limit: int = _DEFAULT_LIMIT, loop: Any = None) -> None:
        if limit <= 0:
            raise ValueError("Limit cannot be <= 0")
        self._limit = limit
        self._loop = events.get_event_loop() if loop is None else loop
        self._buffer = bytearray()
        self._eof = False  # feed_eof() was called: no more data will come
        self._waiter = None  # the future a read*() waits on, resolved by feed_*
        self._exception: BaseException | None = None
        self._transport = None
        self._paused = False  # we paused the transport: the buffer is too full
        self._read_label = "read (no transport)"  # what a trace says a waiting reader waits for

    def __repr__(self) -> str:
        info = ["StreamReader"]
        if self._buffer:
            info.append(f"{len(self._buffer)} bytes")
        if self._eof:
            info.append("eof")
        if self._limit != _DEFAULT_LIMIT:
            info.append(f"limit={self._limit}")
        if self._waiter:
            info.append(f"waiter={self._waiter!r}")
        if self._exception:
            info.append(f"exception={self._exception!r}")
        if self._transport:
            info.append(f"transport={self._transport!r}")
        if self._paused:
            info.append("paused")
        return "<{}>".format(" ".join(info))

    def exception(self) -> BaseException | None:
        return self._exception

    def set_exception(self, exc: BaseException) -> None:
        self._exception = exc
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.cancelled():
                waiter.set_exception(exc)

    def _wakeup_waiter(self) -> None:
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.cancelled():
                waiter.set_result(None)

    def set_transport(self, transport: Any) -> None:
        assert self._transport is None, "Transport already set"
        self._transport = transport
        self._read_label = f"read {_fd_of(transport)}"

    def _maybe_resume_transport(self) -> None:
        if self._paused and len(self._buffer) <= self._limit:
            self._paused = False
            self._transport.resume_reading()

    def feed_eof(self) -> None:
        self._eof = True
        self._wakeup_waiter()

    def at_eof(self) -> bool:
        """True once EOF was fed and the buffer is empty."""
        return self._eof and not self._buffer

    def feed_data(self, data: bytes) -> None:
        assert not self._eof, "feed_data after feed_eof"
        if not data:
            return
        self._buffer.extend(data)
        self._wakeup_waiter()
        if self._transport is not None and not self._paused and len(self._buffer) > 2 * self._limit:
            try:
                self._transport.pause_reading()
            except NotImplementedError:
                self._transport = None  # it cannot pause: buffer everything
            else:
                self._paused = True

    async def _wait_for_data(self, func_name: str) -> None:
        """Wait until feed_data() or feed_eof() is called."""
        # One future links feed_data to one reader (why: with two readers
        # waiting, which one gets the bytes would be anybody's guess).
        if self._waiter is not None:
            raise RuntimeError(f"{func_name}() called while another coroutine is already waiting for incoming data")
        assert not self._eof, "_wait_for_data after EOF"
        # Waiting while paused would wait forever (e.g. readexactly(n > limit)).
        if self._paused:
            self._paused = False
            self._transport.resume_reading()
        self._waiter = self._loop.create_future()
        self._waiter._label = self._read_label
        try:
            await self._waiter
        finally:
            self._waiter = None

    async def readline(self) -> bytes:
        """Read up to and including b'\\n'; at EOF, whatever is left (b'' if nothing)."""
        sep = b"\n"
        try:
            return await self.readuntil(sep)
        except IncompleteReadError as e:
            return e.partial
        except LimitOverrunError as e:
            # Drop the over-long line (or the whole buffer), as asyncio does.
            if self._buffer.startswith(sep, e.consumed):
                del self._buffer[: e.consumed + len(sep)]
            else:
                self._buffer.clear()
            self._maybe_resume_transport()
            raise ValueError(e.args[0])

    async def readuntil(self, separator: Any = b"\n") -> bytes:
        """Read up to and including `separator` (3.13+: or the first to end of a tuple of them).

        EOF first: IncompleteReadError (with what was read, buffer cleared).
        More than `limit` bytes without it: LimitOverrunError (data kept).
        """
        if isinstance(separator, tuple) and versions.READUNTIL_TUPLE_SEPARATORS:
            separators = sorted(separator, key=len)  # (why: of two matches ending together, the shorter wins)
            if not separators:
                raise ValueError("Separator should contain at least one element")
        else:
            separators = [separator]
        shortest, longest = len(separators[0]), len(separators[-1])
        if shortest == 0:
            raise ValueError("Separator should be at least one-byte string")
        if self._exception is not None:
            raise self._exception
        # `offset`: how far the buffer is known not to hold a separator,
        # so each wake-up only searches the new bytes (plus longest - 1).
        offset = 0
        while True:
            buflen = len(self._buffer)
            if buflen - offset >= shortest:
                start, end = _first_match_end(self._buffer, separators, offset)
                if end is not None:
                    break
                offset = max(0, buflen + 1 - longest)
                if offset > self._limit:
                    raise LimitOverrunError("Separator is not found, and chunk exceed the limit", offset)
            # EOF is checked after the search (why: the last chunk may have
            # completed the separator together with the EOF).
            if self._eof:
                chunk = bytes(self._buffer)
                self._buffer.clear()
                raise IncompleteReadError(chunk, None)
            await self._wait_for_data("readuntil")
        if start > self._limit:
            raise LimitOverrunError("Separator is found, but chunk is longer than limit", start)
        chunk = self._buffer[:end]
        del self._buffer[:end]
        self._maybe_resume_transport()
        return bytes(chunk)

    async def read(self, n: int = -1) -> bytes:
        """Up to n bytes as soon as any are there; n < 0: everything until EOF."""
        if self._exception is not None:
            raise self._exception
        if n == 0:
            return b""
        if n < 0:
            # Read limit-sized blocks until EOF (why: waiting for EOF with
            # one growing buffer would pause the transport and never resume).
            blocks = []
            while True:
                block = await self.read(self._limit)
                if not block:
                    break
                blocks.append(block)
            return b"".join(blocks)
        if not self._buffer and not self._eof:
            await self._wait_for_data("read")
        data = bytes(self._buffer[:n])
        del self._buffer[:n]
        self._maybe_resume_transport()
        return data

    async def readexactly(self, n: int) -> bytes:
        """Exactly n bytes, or IncompleteReadError (with what came) at EOF."""
        if n < 0:
            raise ValueError("readexactly size can not be less than zero")
        if self._exception is not None:
            raise self._exception
        if n == 0:
            return b""
        while len(self._buffer) < n:
            if self._eof:
                incomplete = bytes(self._buffer)
                self._buffer.clear()
                raise IncompleteReadError(incomplete, n)
            await self._wait_for_data("readexactly")
        data = bytes(self._buffer[:n])
        del self._buffer[:n]
        self._maybe_resume_transport()
        return data

    def __aiter__(self) -> StreamReader:
        return self

    async def __anext__(self) -> bytes:
        val = await self.readline()
        if val == b"":
            raise StopAsyncIteration
        return val


def _first_match_end(buffer: bytearray, separators: list, offset: int) -> tuple:
    """(start, end) of the separator match that ends first, or (None, None)."""
    start = end = None
    for separator in separators:
        found = buffer.find(separator, offset)
        if found != -1 and (end is None or found + len(separator) < end):
            start, end = found, found + len(separator)
    return start, end
