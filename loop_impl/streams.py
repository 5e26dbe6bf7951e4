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

StreamReader itself, the buffer and its read methods, is in stream_reader.py.
"""

from __future__ import annotations

import collections
import warnings
import weakref
from collections.abc import Callable
from typing import Any

from . import events, versions
from .protocols import Protocol
from .stream_reader import _DEFAULT_LIMIT, StreamReader, _fd_of
from .tasks import iscoroutine, sleep

__all__ = (
    "StreamReader", "StreamWriter", "StreamReaderProtocol", "open_connection", "start_server",
    "open_unix_connection", "start_unix_server",
)  # fmt: skip


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


async def open_unix_connection(path: Any = None, *, limit: int = _DEFAULT_LIMIT, **kwds: Any) -> tuple:
    """Connect to the unix socket at path; return a (reader, writer) pair."""
    loop = events.get_running_loop()
    reader = StreamReader(limit=limit, loop=loop)
    protocol = StreamReaderProtocol(reader, loop=loop)
    transport, _ = await loop.create_unix_connection(lambda: protocol, path, **kwds)
    writer = StreamWriter(transport, protocol, reader, loop)
    return reader, writer


async def start_unix_server(client_connected_cb: Callable[..., Any], path: Any = None, *,
                            limit: int = _DEFAULT_LIMIT, **kwds: Any) -> Any:  # fmt: skip
    """Listen on the unix socket at path; call client_connected_cb(reader, writer) for each client."""
    loop = events.get_running_loop()

    def factory() -> StreamReaderProtocol:
        reader = StreamReader(limit=limit, loop=loop)
        return StreamReaderProtocol(reader, client_connected_cb, loop=loop)

    return await loop.create_unix_server(factory, path, **kwds)


class FlowControlMixin(Protocol):
    """The protocol side of drain(): park writers while the transport is paused."""

    def __init__(self, loop: Any = None) -> None:
        self._loop = events.get_event_loop() if loop is None else loop
        self._paused = False
        self._drain_waiters: collections.deque = collections.deque()
        self._connection_lost = False
        self._drain_label = "drain"  # what a trace says a task in drain() waits for

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
        waiter._label = self._drain_label
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
        self._over_ssl = False
        self._closed = self._loop.create_future()  # resolved by connection_lost; wait_closed() awaits it
        self._closed._label = "stream closed"

    @property
    def _stream_reader(self) -> StreamReader | None:
        return None if self._stream_reader_wr is None else self._stream_reader_wr()

    def _replace_writer(self, writer: StreamWriter) -> None:
        """After start_tls: the writer now writes to the TLS transport."""
        self._stream_writer = writer
        self._transport = writer.transport
        self._over_ssl = writer.transport.get_extra_info("sslcontext") is not None

    def connection_made(self, transport: Any) -> None:
        self._transport = transport
        self._over_ssl = transport.get_extra_info("sslcontext") is not None
        self._closed._label = f"wait_closed {_fd_of(transport)}"
        self._drain_label = f"drain {_fd_of(transport)}"
        reader = self._stream_reader
        if reader is not None:
            reader.set_transport(transport)
        if self._client_connected_cb is None:
            return
        writer = StreamWriter(transport, self, reader, self._loop)
        if not versions.SERVER_PROTOCOL_DROPS_WRITER:  # 3.13: the callback alone holds it
            self._stream_writer = writer
        res = self._client_connected_cb(reader, writer)
        del writer  # (why, 3.13: a writer the callback dropped unclosed is collected and warns)
        if iscoroutine(res):

            def callback(task: Any) -> None:
                if versions.CLIENT_CALLBACK_CANCEL_CLOSES and task.cancelled():
                    transport.close()  # 3.13: cancelled is not an error to report
                    return
                exc = task.exception()
                if exc is not None:
                    message = "Unhandled exception in client_connected_cb"
                    self._loop.call_exception_handler({"message": message, "exception": exc, "transport": transport})
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
        if self._over_ssl:
            return False  # TLS cannot half-close (why: SSLProtocol would warn that True has no effect)
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

    async def start_tls(self, sslcontext: Any, *, server_hostname: Any = None, ssl_handshake_timeout: Any = None,
                        **kwargs: Any) -> None:  # fmt: skip
        """Upgrade this connection to TLS (the reader and writer stay the same objects)."""
        timeouts = {"ssl_handshake_timeout": ssl_handshake_timeout}
        if versions.STREAM_START_TLS_SHUTDOWN_TIMEOUT:
            timeouts["ssl_shutdown_timeout"] = kwargs.pop("ssl_shutdown_timeout", None)
        if kwargs:
            raise TypeError(f"start_tls() got an unexpected keyword argument {next(iter(kwargs))!r}")
        server_side = self._protocol._client_connected_cb is not None
        protocol = self._protocol
        await self.drain()  # what was written in clear goes out in clear, before the handshake
        self._transport = await self._loop.start_tls(self._transport, protocol, sslcontext, server_side=server_side,
                                                     server_hostname=server_hostname, **timeouts)  # fmt: skip
        protocol._replace_writer(self)

    def __del__(self) -> None:
        transport = getattr(self, "_transport", None)
        if transport is not None and not transport.is_closing():
            if self._loop.is_closed():
                warnings.warn("loop is closed", ResourceWarning, stacklevel=2)
            else:
                self.close()
                warnings.warn(f"unclosed {self!r}", ResourceWarning, stacklevel=2)
