"""Streams: `await reader.readline()` on top of transport callbacks.

A transport (transports.py) *calls* its protocol when bytes arrive. A task
wants to *await* them instead. `StreamReaderProtocol` bridges the two:

    socket readable ─▶ transport._read_ready ─▶ protocol.data_received
        ─▶ reader.feed_data: append to the buffer, resolve reader._waiter
        ─▶ the task blocked in `await reader.read()` is scheduled again

So a reading task waits on one future (`_waiter`), created when the buffer
cannot satisfy it and resolved by `feed_data` or `feed_eof`. Writing is the
other way round: `writer.write()` hands bytes to the transport at once, and
`await writer.drain()` only waits (on a future resolved by the protocol's
`resume_writing`) when the transport's buffer went over its high-water mark.
That is flow control: a fast writer is held back to the speed of the peer.

The reader applies the same idea to reading: past 2 * limit buffered bytes
it pauses the transport (the kernel's buffer then fills and TCP tells the
peer to slow down), and resumes once a read takes the buffer back under it.
"""

from __future__ import annotations

import collections
import warnings
import weakref
from collections.abc import Callable
from typing import Any

from . import events
from .exceptions import IncompleteReadError, LimitOverrunError
from .tasks import iscoroutine, sleep
from .transports import Protocol

__all__ = ("StreamReader", "StreamWriter", "StreamReaderProtocol", "open_connection", "start_server")

_DEFAULT_LIMIT = 2**16  # 64 KiB: the longest line readline() accepts, and half the read buffer


async def open_connection(
    host: Any = None, port: Any = None, *, limit: int = _DEFAULT_LIMIT, **kwds: Any
) -> tuple[StreamReader, StreamWriter]:
    """Connect to host:port; return a (reader, writer) pair."""
    loop = events.get_running_loop()
    reader = StreamReader(limit=limit, loop=loop)
    protocol = StreamReaderProtocol(reader, loop=loop)
    transport, _ = await loop.create_connection(lambda: protocol, host, port, **kwds)
    writer = StreamWriter(transport, protocol, reader, loop)
    return reader, writer


async def start_server(client_connected_cb: Callable[..., Any], host: Any = None, port: Any = None, *,
                       limit: int = _DEFAULT_LIMIT, **kwds: Any) -> Any:  # fmt: skip
    """Listen on host:port; call client_connected_cb(reader, writer) for each client.

    The callback may be a plain function or a coroutine function; a
    coroutine is run as a new task.
    """
    loop = events.get_running_loop()

    def factory() -> StreamReaderProtocol:
        reader = StreamReader(limit=limit, loop=loop)
        return StreamReaderProtocol(reader, client_connected_cb, loop=loop)

    return await loop.create_server(factory, host, port, **kwds)


def _fd_of(transport: Any) -> str:
    """'fd 7' for a trace label, from whatever transport there is."""
    fd = getattr(transport, "_sock_fd", None)
    return "(no transport)" if fd is None else f"fd {fd}"


class FlowControlMixin(Protocol):
    """The protocol side of drain(): park writers while the transport is paused."""

    def __init__(self, loop: Any = None) -> None:
        self._loop = events.get_event_loop() if loop is None else loop
        self._paused = False
        self._drain_waiters: collections.deque = collections.deque()
        self._connection_lost = False

    def pause_writing(self) -> None:
        assert not self._paused
        self._paused = True

    def resume_writing(self) -> None:
        assert self._paused
        self._paused = False
        for waiter in self._drain_waiters:
            if not waiter.done():
                waiter.set_result(None)

    def connection_lost(self, exc: BaseException | None) -> None:
        self._connection_lost = True
        if not self._paused:
            return  # nobody can be waiting in drain()
        for waiter in self._drain_waiters:
            if not waiter.done():
                if exc is None:
                    waiter.set_result(None)
                else:
                    waiter.set_exception(exc)

    async def _drain_helper(self) -> None:
        if self._connection_lost:
            raise ConnectionResetError("Connection lost")
        if not self._paused:
            return
        waiter = self._loop.create_future()
        waiter._label = f"drain {_fd_of(getattr(self, '_transport', None))}"
        self._drain_waiters.append(waiter)
        try:
            await waiter
        finally:
            self._drain_waiters.remove(waiter)

    def _get_close_waiter(self, stream: StreamWriter) -> Any:
        raise NotImplementedError


class StreamReaderProtocol(FlowControlMixin, Protocol):
    """Feeds a StreamReader from transport callbacks; on a server, starts the client callback."""

    def __init__(self, stream_reader: StreamReader | None, client_connected_cb: Callable[..., Any] | None = None,
                 loop: Any = None) -> None:  # fmt: skip
        super().__init__(loop=loop)
        # A weak reference (why: a reader nobody holds any more should be
        # collected, not kept alive by the transport's protocol).
        self._stream_reader_wr = None if stream_reader is None else weakref.ref(stream_reader)
        if client_connected_cb is not None:
            # Until the connection is made only this protocol knows the reader.
            self._strong_reader = stream_reader
        self._stream_writer: StreamWriter | None = None
        self._task = None
        self._transport = None
        self._client_connected_cb = client_connected_cb
        self._closed = self._loop.create_future()  # resolved by connection_lost; wait_closed() awaits it
        self._closed._label = "stream closed"

    @property
    def _stream_reader(self) -> StreamReader | None:
        return None if self._stream_reader_wr is None else self._stream_reader_wr()

    def connection_made(self, transport: Any) -> None:
        self._transport = transport
        self._closed._label = f"wait_closed {_fd_of(transport)}"
        reader = self._stream_reader
        if reader is not None:
            reader.set_transport(transport)
        if self._client_connected_cb is None:
            return
        self._stream_writer = StreamWriter(transport, self, reader, self._loop)
        res = self._client_connected_cb(reader, self._stream_writer)
        if iscoroutine(res):

            def callback(task: Any) -> None:
                exc = task.exception()
                if exc is not None:
                    self._loop.call_exception_handler(
                        {
                            "message": "Unhandled exception in client_connected_cb",
                            "exception": exc,
                            "transport": transport,
                        }  # fmt: skip
                    )
                    transport.close()

            self._task = self._loop.create_task(res)
            self._task.add_done_callback(callback)
        self._strong_reader = None

    def connection_lost(self, exc: BaseException | None) -> None:
        reader = self._stream_reader
        if reader is not None:
            if exc is None:
                reader.feed_eof()
            else:
                reader.set_exception(exc)
        if not self._closed.done():
            if exc is None:
                self._closed.set_result(None)
            else:
                self._closed.set_exception(exc)
        super().connection_lost(exc)
        self._stream_reader_wr = None
        self._stream_writer = None
        self._task = None
        self._transport = None

    def data_received(self, data: bytes) -> None:
        reader = self._stream_reader
        if reader is not None:
            reader.feed_data(data)

    def eof_received(self) -> bool:
        reader = self._stream_reader
        if reader is not None:
            reader.feed_eof()
        return True  # keep the transport open: we may still want to write

    def _get_close_waiter(self, stream: StreamWriter) -> Any:
        return self._closed

    def __del__(self) -> None:
        # A close that failed was already reported by the transport: mark the
        # exception retrieved so it is not logged a second time.
        closed = getattr(self, "_closed", None)
        if closed is not None and closed.done() and not closed.cancelled():
            closed.exception()


class StreamWriter:
    """The writing end: write() at once, `await drain()` for flow control."""

    def __init__(self, transport: Any, protocol: Any, reader: StreamReader | None, loop: Any) -> None:
        self._transport = transport
        self._protocol = protocol
        assert reader is None or isinstance(reader, StreamReader)
        self._reader = reader
        self._loop = loop

    def __repr__(self) -> str:
        info = [type(self).__name__, f"transport={self._transport!r}"]
        if self._reader is not None:
            info.append(f"reader={self._reader!r}")
        return "<{}>".format(" ".join(info))

    @property
    def transport(self) -> Any:
        return self._transport

    def write(self, data: bytes) -> None:
        self._transport.write(data)

    def writelines(self, data: Any) -> None:
        self._transport.writelines(data)

    def write_eof(self) -> None:
        return self._transport.write_eof()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def close(self) -> None:
        return self._transport.close()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    async def wait_closed(self) -> None:
        await self._protocol._get_close_waiter(self)

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    async def drain(self) -> None:
        """Wait until the transport's write buffer is back under its low-water mark."""
        if self._reader is not None:
            exc = self._reader.exception()
            if exc is not None:
                raise exc
        if self._transport.is_closing():
            # Give connection_lost a turn to run (why: else a loop of
            # write(); await drain() on a closed socket never sees the error).
            await sleep(0)
        await self._protocol._drain_helper()

    def __del__(self) -> None:
        transport = getattr(self, "_transport", None)
        if transport is not None and not transport.is_closing():
            if self._loop.is_closed():
                warnings.warn("loop is closed", ResourceWarning, stacklevel=2)
            else:
                self.close()
                warnings.warn(f"unclosed {self!r}", ResourceWarning, stacklevel=2)


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
        self._waiter._label = f"read {_fd_of(self._transport)}"
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

    async def readuntil(self, separator: bytes = b"\n") -> bytes:
        """Read up to and including `separator`.

        EOF first: IncompleteReadError (with what was read, buffer cleared).
        More than `limit` bytes without it: LimitOverrunError (data kept).
        """
        seplen = len(separator)
        if seplen == 0:
            raise ValueError("Separator should be at least one-byte string")
        if self._exception is not None:
            raise self._exception
        # `offset`: how far the buffer is known not to hold the separator,
        # so each wake-up only searches the new bytes (plus seplen - 1).
        offset = 0
        while True:
            buflen = len(self._buffer)
            if buflen - offset >= seplen:
                isep = self._buffer.find(separator, offset)
                if isep != -1:
                    break
                offset = buflen + 1 - seplen
                if offset > self._limit:
                    raise LimitOverrunError("Separator is not found, and chunk exceed the limit", offset)
            # EOF is checked after the search (why: the last chunk may have
            # completed the separator together with the EOF).
            if self._eof:
                chunk = bytes(self._buffer)
                self._buffer.clear()
                raise IncompleteReadError(chunk, None)
            await self._wait_for_data("readuntil")
        if isep > self._limit:
            raise LimitOverrunError("Separator is found, but chunk is longer than limit", isep)
        chunk = self._buffer[: isep + seplen]
        del self._buffer[: isep + seplen]
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
