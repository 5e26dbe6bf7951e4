"""Transports and protocols: the callback layer under streams.

asyncio splits a connection in two halves that call each other:

* the **transport** owns the socket. It reads when the selector says the fd
  is readable, and it sends what you `write()`: at once if the kernel takes
  it, otherwise into a buffer that is flushed when the fd becomes writable.
* the **protocol** is your code, told what happened: `connection_made`,
  `data_received`, `eof_received`, `connection_lost`, and, for flow
  control, `pause_writing`/`resume_writing` when the transport's write
  buffer grows past a high-water mark or shrinks back under a low one.

Streams (streams.py) are one such protocol that turns the callbacks into
`await reader.readline()`. `_SelectorSocketTransport` follows CPython's
class of the same name callback for callback, because the *order* in which
`connection_made`, the reader registration and the waiter happen decides
which task prints first. SSL, sendfile and UDP are left out.
"""

from __future__ import annotations

import socket
import warnings
from typing import Any

from .diagnostics import logger

__all__ = ("BaseProtocol", "Protocol", "BaseTransport", "Transport", "TransportSocket")

MAX_RECV = 256 * 1024  # bytes asked of each recv(), as asyncio's max_size
LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5  # writes after the connection died before we complain


class BaseProtocol:
    """What a transport tells its owner. Every method may be overridden; none must."""

    __slots__ = ()

    def connection_made(self, transport: Any) -> None:
        """The connection is up; `transport` is how to write to it."""

    def connection_lost(self, exc: BaseException | None) -> None:
        """The connection is closed (exc is None for a clean close or EOF)."""

    def pause_writing(self) -> None:
        """The transport's write buffer went over the high-water mark."""

    def resume_writing(self) -> None:
        """The transport's write buffer drained to the low-water mark."""


class Protocol(BaseProtocol):
    """A protocol for a byte stream (TCP)."""

    __slots__ = ()

    def data_received(self, data: bytes) -> None:
        """Some bytes arrived."""

    def eof_received(self) -> bool | None:
        """The peer will send nothing more. Return a true value to keep writing."""


class BaseTransport:
    """The owner of one connection; `get_extra_info` answers questions about it."""

    __slots__ = ("_extra",)

    def __init__(self, extra: dict | None = None) -> None:
        self._extra = {} if extra is None else extra

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        """'peername', 'sockname', 'socket', ... or `default`."""
        return self._extra.get(name, default)

    def is_closing(self) -> bool:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def set_protocol(self, protocol: BaseProtocol) -> None:
        raise NotImplementedError

    def get_protocol(self) -> BaseProtocol:
        raise NotImplementedError


class Transport(BaseTransport):
    """A bidirectional byte-stream transport."""

    __slots__ = ()

    def write(self, data: bytes) -> None:
        raise NotImplementedError

    def writelines(self, list_of_data: Any) -> None:
        """Write each chunk; asyncio joins them and makes one write() of it."""
        self.write(b"".join(list_of_data))

    def write_eof(self) -> None:
        raise NotImplementedError

    def can_write_eof(self) -> bool:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError


class TransportSocket:
    """A view of a transport's socket that cannot disturb it (no close, no recv).

    What `get_extra_info('socket')` and `Server.sockets` hand out.
    """

    __slots__ = ("_sock",)

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    family = property(lambda self: self._sock.family)
    type = property(lambda self: self._sock.type)
    proto = property(lambda self: self._sock.proto)

    def __repr__(self) -> str:
        text = f"<asyncio.TransportSocket fd={self.fileno()}, family={self.family!s}, type={self.type!s}, proto={self.proto}"
        if self.fileno() != -1:
            for label, get in (("laddr", self._sock.getsockname), ("raddr", self._sock.getpeername)):
                try:
                    addr = get()
                except OSError:
                    continue
                if addr:
                    text += f", {label}={addr}"
        return text + ">"

    def fileno(self) -> int:
        return self._sock.fileno()

    def dup(self) -> socket.socket:
        return self._sock.dup()

    def get_inheritable(self) -> bool:
        return self._sock.get_inheritable()

    def shutdown(self, how: int) -> None:
        self._sock.shutdown(how)

    def getsockopt(self, *args: Any) -> Any:
        return self._sock.getsockopt(*args)

    def setsockopt(self, *args: Any) -> None:
        self._sock.setsockopt(*args)

    def getpeername(self) -> Any:
        return self._sock.getpeername()

    def getsockname(self) -> Any:
        return self._sock.getsockname()

    def gettimeout(self) -> float:
        return 0

    def settimeout(self, value: float | None) -> None:
        if value == 0:
            return
        raise ValueError("settimeout(): only 0 timeout is allowed on transport sockets")

    def setblocking(self, flag: bool) -> None:
        if not flag:
            return
        raise ValueError("setblocking(): transport sockets cannot be blocking")


class _SelectorSocketTransport(Transport):
    """A TCP connection driven by the loop's selector (CPython's class of the same name)."""

    __slots__ = ("_loop", "_sock", "_sock_fd", "_protocol", "_server", "_buffer", "_conn_lost", "_closing",
                 "_paused", "_eof", "_protocol_paused", "_high_water", "_low_water", "__weakref__")  # fmt: skip

    def __init__(self, loop: Any, sock: socket.socket, protocol: Protocol, waiter: Any = None,
                 extra: dict | None = None, server: Any = None) -> None:  # fmt: skip
        super().__init__(extra)
        self._extra["socket"] = TransportSocket(sock)
        try:
            self._extra["sockname"] = sock.getsockname()
        except OSError:
            self._extra["sockname"] = None
        if "peername" not in self._extra:
            try:
                self._extra["peername"] = sock.getpeername()
            except OSError:
                self._extra["peername"] = None
        self._loop = loop
        self._sock: socket.socket | None = sock
        self._sock_fd = sock.fileno()
        self._protocol = protocol
        self._server = server
        self._buffer = bytearray()  # bytes write() could not send yet
        self._conn_lost = 0  # > 0 once connection_lost is scheduled
        self._closing = False
        self._paused = False  # pause_reading() was called
        self._eof = False  # write_eof() was called
        self._protocol_paused = False  # we told the protocol pause_writing()
        self._high_water = 64 * 1024
        self._low_water = self._high_water // 4
        if server is not None:
            server._attach()
        _set_nodelay(sock)  # small writes leave at once instead of waiting for an ACK

        # Three callbacks, in this order (why: asyncio's order, which decides
        # what prints first): the protocol learns of the connection before a
        # single byte is read, and the task awaiting `waiter` wakes up only
        # after connection_made has run.
        loop.call_soon(protocol.connection_made, self)
        loop.call_soon(self._add_reader, self._sock_fd, self._read_ready)
        if waiter is not None:
            loop.call_soon(_set_result_unless_cancelled, waiter, None)

    def __repr__(self) -> str:
        state = "closed" if self._sock is None else "closing" if self._closing else "open"
        return f"<{type(self).__name__} fd={self._sock_fd} {state} bufsize={len(self._buffer)}>"

    def __del__(self, _warn: Any = warnings.warn) -> None:
        sock = getattr(self, "_sock", None)  # None too if __init__ failed early
        if sock is not None:
            _warn(f"unclosed transport {self!r}", ResourceWarning, source=self)
            sock.close()

    # -- the protocol side -------------------------------------------------
    def set_protocol(self, protocol: Protocol) -> None:
        self._protocol = protocol

    def get_protocol(self) -> Protocol:
        return self._protocol

    def is_closing(self) -> bool:
        return self._closing

    # -- reading -----------------------------------------------------------
    def is_reading(self) -> bool:
        return not self._closing and not self._paused

    def pause_reading(self) -> None:
        """Stop watching the fd for reading (the reader's buffer is full)."""
        if not self.is_reading():
            return
        self._paused = True
        self._loop._remove_reader(self._sock_fd)

    def resume_reading(self) -> None:
        if self._closing or not self._paused:
            return
        self._paused = False
        self._add_reader(self._sock_fd, self._read_ready)

    def _add_reader(self, fd: int, callback: Any) -> None:
        if not self.is_reading():
            return  # closed or paused before this scheduled registration ran
        self._loop._add_reader(fd, callback)

    def _read_ready(self) -> None:
        """The fd is readable: one recv(), handed to the protocol."""
        if self._conn_lost:
            return
        try:
            data = self._sock.recv(MAX_RECV)
        except (BlockingIOError, InterruptedError):
            return
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._fatal_error(exc, "Fatal read error on socket transport")
            return
        if not data:
            self._read_ready__on_eof()
            return
        try:
            self._protocol.data_received(data)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._fatal_error(exc, "Fatal error: protocol.data_received() call failed.")

    def _read_ready__on_eof(self) -> None:
        try:
            keep_open = self._protocol.eof_received()
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._fatal_error(exc, "Fatal error: protocol.eof_received() call failed.")
            return
        if keep_open:
            # The protocol may still write, but there is nothing more to read.
            self._loop._remove_reader(self._sock_fd)
        else:
            self.close()

    # -- writing -----------------------------------------------------------
    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Send now what the kernel takes; buffer the rest and watch for writability."""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data argument must be a bytes-like object, not {type(data).__name__!r}")
        if self._eof:
            raise RuntimeError("Cannot call write() after write_eof()")
        if not data:
            return
        if self._conn_lost:
            if self._conn_lost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES:
                logger.warning("socket.send() raised exception.")
            self._conn_lost += 1
            return
        if not self._buffer:
            # Nothing queued ahead of us: try to send right now (why: most
            # writes fit in the kernel's buffer and need no loop turn at all).
            try:
                n = self._sock.send(data)
            except (BlockingIOError, InterruptedError):
                pass
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as exc:
                self._fatal_error(exc, "Fatal write error on socket transport")
                return
            else:
                data = data[n:]
                if not data:
                    return
            self._loop._add_writer(self._sock_fd, self._write_ready)
        self._buffer.extend(data)
        self._maybe_pause_protocol()

    def _write_ready(self) -> None:
        """The fd is writable again: send from the buffer."""
        if self._conn_lost:
            return
        try:
            n = self._sock.send(self._buffer)
        except (BlockingIOError, InterruptedError):
            pass
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._loop._remove_writer(self._sock_fd)
            self._buffer.clear()
            self._fatal_error(exc, "Fatal write error on socket transport")
        else:
            if n:
                del self._buffer[:n]
            self._maybe_resume_protocol()  # the protocol may write more here
            if not self._buffer:
                self._loop._remove_writer(self._sock_fd)
                if self._closing:
                    self._call_connection_lost(None)  # close() was waiting for the flush
                elif self._eof:
                    self._sock.shutdown(socket.SHUT_WR)

    def write_eof(self) -> None:
        """Half-close: send FIN once the buffer is flushed; reading goes on."""
        if self._closing or self._eof:
            return
        self._eof = True
        if not self._buffer:
            self._sock.shutdown(socket.SHUT_WR)

    def can_write_eof(self) -> bool:
        return True

    # -- write flow control (asyncio's _FlowControlMixin) ------------------
    def get_write_buffer_size(self) -> int:
        return len(self._buffer)

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return (self._low_water, self._high_water)

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        if high is None:
            high = 64 * 1024 if low is None else 4 * low
        if low is None:
            low = high // 4
        if not high >= low >= 0:
            raise ValueError(f"high ({high!r}) must be >= low ({low!r}) must be >= 0")
        self._high_water = high
        self._low_water = low
        self._maybe_pause_protocol()

    def _maybe_pause_protocol(self) -> None:
        # Called inline, not via call_soon (why: a writer that never yields
        # must still be told to stop, or the buffer grows without bound).
        if len(self._buffer) <= self._high_water or self._protocol_paused:
            return
        self._protocol_paused = True
        self._call_protocol("pause_writing")

    def _maybe_resume_protocol(self) -> None:
        if self._protocol_paused and len(self._buffer) <= self._low_water:
            self._protocol_paused = False
            self._call_protocol("resume_writing")

    def _call_protocol(self, method: str) -> None:
        try:
            getattr(self._protocol, method)()
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._loop.call_exception_handler(
                {
                    "message": f"protocol.{method}() failed",
                    "exception": exc,
                    "transport": self,
                    "protocol": self._protocol,
                }  # fmt: skip
            )

    # -- closing -----------------------------------------------------------
    def close(self) -> None:
        """Stop reading; once the write buffer is flushed, close and tell the protocol."""
        if self._closing:
            return
        self._closing = True
        self._loop._remove_reader(self._sock_fd)
        if not self._buffer:
            self._conn_lost += 1
            self._loop._remove_writer(self._sock_fd)
            # connection_lost comes a turn later (why: asyncio never calls a
            # protocol back from inside the code that closed it).
            self._loop.call_soon(self._call_connection_lost, None)

    def abort(self) -> None:
        """Close now, dropping whatever is still buffered."""
        self._force_close(None)

    def _fatal_error(self, exc: BaseException, message: str) -> None:
        # A socket error is the connection's fate, not a bug: only the
        # protocol hears of it. Anything else is reported as well.
        if not isinstance(exc, OSError):
            self._loop.call_exception_handler(
                {"message": message, "exception": exc, "transport": self, "protocol": self._protocol}
            )
        self._force_close(exc)

    def _force_close(self, exc: BaseException | None) -> None:
        if self._conn_lost:
            return
        if self._buffer:
            self._buffer.clear()
            self._loop._remove_writer(self._sock_fd)
        if not self._closing:
            self._closing = True
            self._loop._remove_reader(self._sock_fd)
        self._conn_lost += 1
        self._loop.call_soon(self._call_connection_lost, exc)

    def _call_connection_lost(self, exc: BaseException | None) -> None:
        try:
            self._protocol.connection_lost(exc)
        finally:
            self._sock.close()
            self._sock = None
            self._protocol = None
            self._loop = None
            server = self._server
            if server is not None:
                server._detach()
                self._server = None


def _set_result_unless_cancelled(fut: Any, result: Any) -> None:
    """Resolve fut unless someone cancelled it meanwhile (e.g. a timeout)."""
    if fut.cancelled():
        return
    fut.set_result(result)


def _set_nodelay(sock: socket.socket) -> None:
    if (
        sock.family in (socket.AF_INET, socket.AF_INET6)
        and sock.type == socket.SOCK_STREAM
        and sock.proto == socket.IPPROTO_TCP
    ):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
