"""Pipes: one end of an `os.pipe()` (or a FIFO, a tty) as a transport.

A pipe has a read end and a write end, so there are two transports:

* the read end: when its fd is readable, one `os.read()` goes to
  `protocol.data_received`; b"" means the writer closed it, so the protocol
  hears `eof_received()` then `connection_lost(None)`.
* the write end: `write()` tries `os.write()` at once and buffers what the
  pipe refuses (with flow control, as the socket transport). It also
  watches its *own* fd for readability: a write end becomes "readable" when
  the reader has gone away, which is how it learns the pipe is broken.

A subprocess's stdin, stdout and stderr are these same transports
(transports/subprocess.py), so on the timeline a child's output is a
`read fd N` wait like any socket.
"""

from __future__ import annotations

import os
import stat
import warnings
from collections.abc import Callable
from typing import Any

from ..diagnostics import logger
from ..protocols import ReadTransport, WriteTransport
from .base import _FlowControlMixin, _set_result_unless_cancelled

__all__ = ("PipeConnections",)

MAX_READ = 256 * 1024  # bytes asked of each os.read(), as asyncio's max_size
LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5


class _UnixReadPipeTransport(ReadTransport):
    """The read end of a pipe, driven by the selector."""

    def __init__(self, loop: Any, pipe: Any, protocol: Any, waiter: Any = None, extra: dict | None = None) -> None:
        super().__init__(extra)
        self._extra["pipe"] = pipe
        self._loop = loop
        self._pipe = pipe
        self._fileno = pipe.fileno()
        self._protocol = protocol
        self._closing = False
        self._paused = False
        mode = os.fstat(self._fileno).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISCHR(mode)):
            self._pipe = self._fileno = self._protocol = None
            raise ValueError("Pipe transport is for pipes/sockets only.")
        os.set_blocking(self._fileno, False)
        loop.call_soon(protocol.connection_made, self)
        loop.call_soon(self._add_reader, self._fileno, self._read_ready)  # after connection_made (asyncio's order)
        if waiter is not None:
            loop.call_soon(_set_result_unless_cancelled, waiter, None)

    def __repr__(self) -> str:
        state = "closed" if self._pipe is None else "closing" if self._closing else "open"
        return f"<{type(self).__name__} {state} fd={self._fileno}>"

    def _add_reader(self, fd: int, callback: Callable[[], Any]) -> None:
        if self.is_reading():
            self._loop._add_reader(fd, callback)

    def is_reading(self) -> bool:
        return not self._paused and not self._closing

    def _read_ready(self) -> None:
        try:
            data = os.read(self._fileno, MAX_READ)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            self._fatal_error(exc, "Fatal read error on pipe transport")
            return
        if data:
            self._protocol.data_received(data)
            return
        # The writer closed its end: EOF, then the transport is done.
        self._closing = True
        self._loop._remove_reader(self._fileno)
        self._loop.call_soon(self._protocol.eof_received)
        self._loop.call_soon(self._call_connection_lost, None)

    def pause_reading(self) -> None:
        if not self.is_reading():
            return
        self._paused = True
        self._loop._remove_reader(self._fileno)

    def resume_reading(self) -> None:
        if self._closing or not self._paused:
            return
        self._paused = False
        self._loop._add_reader(self._fileno, self._read_ready)

    def set_protocol(self, protocol: Any) -> None:
        self._protocol = protocol

    def get_protocol(self) -> Any:
        return self._protocol

    def is_closing(self) -> bool:
        return self._closing

    def close(self) -> None:
        if not self._closing:
            self._close(None)

    def __del__(self, _warn: Any = warnings.warn) -> None:
        if getattr(self, "_pipe", None) is not None:
            _warn(f"unclosed transport {self!r}", ResourceWarning, source=self)
            self._pipe.close()

    def _fatal_error(self, exc: BaseException, message: str = "Fatal error on pipe transport") -> None:
        if not isinstance(exc, OSError):  # an OSError is the pipe's fate, not a bug
            self._loop.call_exception_handler(
                {"message": message, "exception": exc, "transport": self, "protocol": self._protocol}
            )
        self._close(exc)

    def _close(self, exc: BaseException | None) -> None:
        self._closing = True
        self._loop._remove_reader(self._fileno)
        self._loop.call_soon(self._call_connection_lost, exc)

    def _call_connection_lost(self, exc: BaseException | None) -> None:
        try:
            self._protocol.connection_lost(exc)
        finally:
            self._pipe.close()
            self._pipe = self._protocol = self._loop = None


class _UnixWritePipeTransport(_FlowControlMixin, WriteTransport):
    """The write end of a pipe: write now, buffer the rest, learn of a vanished reader."""

    def __init__(self, loop: Any, pipe: Any, protocol: Any, waiter: Any = None, extra: dict | None = None) -> None:
        super().__init__(extra)
        self._extra["pipe"] = pipe
        self._loop = loop
        self._pipe = pipe
        self._fileno = pipe.fileno()
        self._protocol = protocol
        self._buffer = bytearray()
        self._conn_lost = 0
        self._closing = False  # close() or write_eof() was called
        self._init_flow_control()
        mode = os.fstat(self._fileno).st_mode
        is_socket, is_fifo = stat.S_ISSOCK(mode), stat.S_ISFIFO(mode)
        if not (stat.S_ISCHR(mode) or is_fifo or is_socket):
            self._pipe = self._fileno = self._protocol = None
            raise ValueError("Pipe transport is only for pipes, sockets and character devices")
        os.set_blocking(self._fileno, False)
        loop.call_soon(protocol.connection_made, self)
        if is_socket or is_fifo:
            # Readable means the reader went away (why: the only way a
            # writer hears of it before its next write fails).
            loop.call_soon(loop._add_reader, self._fileno, self._read_ready)
        if waiter is not None:
            loop.call_soon(_set_result_unless_cancelled, waiter, None)

    def __repr__(self) -> str:
        state = "closed" if self._pipe is None else "closing" if self._closing else "open"
        return f"<{type(self).__name__} {state} fd={self._fileno} bufsize={len(self._buffer)}>"

    def get_write_buffer_size(self) -> int:
        return len(self._buffer)

    def _read_ready(self) -> None:
        """The reader closed its end of the pipe."""
        self._close(BrokenPipeError() if self._buffer else None)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            # asyncio asserts here (so a program catching the error sees the same type).
            raise AssertionError(repr(data))
        if isinstance(data, bytearray):
            data = memoryview(data)
        if not data:
            return
        if self._conn_lost or self._closing:
            if self._conn_lost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES:
                logger.warning("pipe closed by peer or os.write(pipe, data) raised exception.")
            self._conn_lost += 1
            return
        if not self._buffer:
            try:
                n = os.write(self._fileno, data)  # most writes fit in the pipe: no loop turn needed
            except (BlockingIOError, InterruptedError):
                n = 0
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as exc:
                self._conn_lost += 1
                self._fatal_error(exc, "Fatal write error on pipe transport")
                return
            if n == len(data):
                return
            data = memoryview(data)[n:]
            self._loop._add_writer(self._fileno, self._write_ready)
        self._buffer += data
        self._maybe_pause_protocol()

    def _write_ready(self) -> None:
        try:
            n = os.write(self._fileno, self._buffer)
        except (BlockingIOError, InterruptedError):
            return
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._buffer.clear()
            self._conn_lost += 1
            self._loop._remove_writer(self._fileno)
            self._fatal_error(exc, "Fatal write error on pipe transport")
            return
        if n < len(self._buffer):
            del self._buffer[:n]
            return
        self._buffer.clear()
        self._loop._remove_writer(self._fileno)
        self._maybe_resume_protocol()  # the protocol may write more here
        if self._closing:
            self._loop._remove_reader(self._fileno)
            self._call_connection_lost(None)

    def can_write_eof(self) -> bool:
        return True

    def write_eof(self) -> None:
        """Close the pipe once the buffer is flushed (the reader then sees EOF)."""
        if self._closing:
            return
        self._closing = True
        if not self._buffer:
            self._loop._remove_reader(self._fileno)
            self._loop.call_soon(self._call_connection_lost, None)

    def set_protocol(self, protocol: Any) -> None:
        self._protocol = protocol

    def get_protocol(self) -> Any:
        return self._protocol

    def is_closing(self) -> bool:
        return self._closing

    def close(self) -> None:
        if self._pipe is not None and not self._closing:
            self.write_eof()  # for a write pipe, EOF is all closing means

    def __del__(self, _warn: Any = warnings.warn) -> None:
        if getattr(self, "_pipe", None) is not None:
            _warn(f"unclosed transport {self!r}", ResourceWarning, source=self)
            self._pipe.close()

    def abort(self) -> None:
        self._close(None)

    def _fatal_error(self, exc: BaseException, message: str = "Fatal error on pipe transport") -> None:
        if not isinstance(exc, OSError):
            self._loop.call_exception_handler(
                {"message": message, "exception": exc, "transport": self, "protocol": self._protocol}
            )
        self._close(exc)

    def _close(self, exc: BaseException | None = None) -> None:
        self._closing = True
        if self._buffer:
            self._loop._remove_writer(self._fileno)
        self._buffer.clear()
        self._loop._remove_reader(self._fileno)
        self._loop.call_soon(self._call_connection_lost, exc)

    def _call_connection_lost(self, exc: BaseException | None) -> None:
        try:
            self._protocol.connection_lost(exc)
        finally:
            self._pipe.close()
            self._pipe = self._protocol = self._loop = None


class PipeConnections:
    """Mixin of EventLoop: connect_read_pipe and connect_write_pipe."""

    async def connect_read_pipe(self, protocol_factory: Callable[[], Any], pipe: Any) -> tuple[Any, Any]:
        """Wrap the read end of a pipe (a file object) in a transport; return (transport, protocol)."""
        return await self._connect_pipe(_UnixReadPipeTransport, protocol_factory, pipe)

    async def connect_write_pipe(self, protocol_factory: Callable[[], Any], pipe: Any) -> tuple[Any, Any]:
        """Wrap the write end of a pipe (a file object) in a transport; return (transport, protocol)."""
        return await self._connect_pipe(_UnixWritePipeTransport, protocol_factory, pipe)

    async def _connect_pipe(self, transport_class: type, protocol_factory: Callable[[], Any], pipe: Any) -> tuple:
        protocol = protocol_factory()
        waiter = self.create_future()
        waiter._label = f"connection_made fd {pipe.fileno()}"
        transport = transport_class(self, pipe, protocol, waiter)
        try:
            await waiter
        except BaseException:
            transport.close()
            raise
        return transport, protocol
