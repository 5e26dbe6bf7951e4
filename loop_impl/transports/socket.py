"""The socket transport: a TCP connection driven by the loop's selector.

`_SelectorSocketTransport` follows CPython's class of the same name callback
for callback, because the *order* in which `connection_made`, the reader
registration and the waiter happen decides which task prints first:

* reading: when the fd is readable, one `recv()`, handed to
  `protocol.data_received` (b"" means EOF: `protocol.eof_received`);
* writing: `write()` calls `send()` at once; only what the kernel refuses
  is buffered, with `add_writer` to flush it when the fd is writable again.
  Past the high-water mark the protocol is told `pause_writing()`;
* closing: `close()` stops reading, waits for the buffer to flush, and
  calls `protocol.connection_lost` a loop turn later.

The interfaces it implements are in protocols.py. It carries TCP and unix
stream sockets alike; a `BufferedProtocol` is handed its own buffer to
receive into (`get_buffer`/`buffer_updated`) instead of a bytes object.
"""

from __future__ import annotations

import socket
import warnings
from typing import Any

from ..diagnostics import logger
from ..protocols import BufferedProtocol, Protocol, Transport, TransportSocket
from .base import _FlowControlMixin, _set_result_unless_cancelled

__all__ = ()

MAX_RECV = 256 * 1024  # bytes asked of each recv(), as asyncio's max_size
LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5  # writes after the connection died before we complain


class _SelectorSocketTransport(_FlowControlMixin, Transport):
    """A TCP connection driven by the loop's selector (CPython's class of the same name)."""

    __slots__ = ("_loop", "_sock", "_sock_fd", "_protocol", "_server", "_buffer", "_conn_lost", "_closing",
                 "_paused", "_eof", "_protocol_paused", "_high_water", "_low_water", "_empty_waiter",
                 "__weakref__")  # fmt: skip
    _sendfile_compatible = "native"  # loop.sendfile() may use os.sendfile on our socket (sendfile.py)
    _start_tls_compatible = True  # loop.start_tls() may layer TLS on us (tls_loop.py)

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
        loop._transports[self._sock_fd] = self  # the fd is ours: loop.add_reader(fd) now refuses
        self._protocol = protocol
        self._server = server
        self._buffer = bytearray()  # bytes write() could not send yet
        self._conn_lost = 0  # > 0 once connection_lost is scheduled
        self._closing = False
        self._paused = False  # pause_reading() was called
        self._eof = False  # write_eof() was called
        self._init_flow_control()
        self._empty_waiter: Any = None  # resolved when the write buffer is empty (sendfile waits on it)
        if server is not None:
            server._attach(self)
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
        info = [type(self).__name__]
        if self._sock is None:
            info.append("closed")
        elif self._closing:
            info.append("closing")
        info.append(f"fd={self._sock_fd}")
        loop = self._loop
        if loop is not None and not loop.is_closed():
            key = loop._selector.get_map().get(self._sock_fd)
            watched = 0 if key is None else key.events  # 1: read, 2: write
            info.append("read=polling" if watched & 1 else "read=idle")
            info.append(f"write=<{'polling' if watched & 2 else 'idle'}, bufsize={len(self._buffer)}>")
        return "<{}>".format(" ".join(info))

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
        if isinstance(self._protocol, BufferedProtocol):
            self._read_ready__get_buffer()
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

    def _read_ready__get_buffer(self) -> None:
        """A BufferedProtocol lends its buffer: recv_into it, then say how much came."""
        try:
            buf = self._protocol.get_buffer(-1)
            if not len(buf):
                raise RuntimeError("get_buffer() returned an empty buffer")
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._fatal_error(exc, "Fatal error: protocol.get_buffer() call failed.")
            return
        try:
            nbytes = self._sock.recv_into(buf)
        except (BlockingIOError, InterruptedError):
            return
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._fatal_error(exc, "Fatal read error on socket transport")
            return
        if not nbytes:
            self._read_ready__on_eof()
            return
        try:
            self._protocol.buffer_updated(nbytes)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._fatal_error(exc, "Fatal error: protocol.buffer_updated() call failed.")

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
        if self._empty_waiter is not None:
            raise RuntimeError("unable to write; sendfile is in progress")
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
            if self._empty_waiter is not None:
                self._empty_waiter.set_exception(exc)
        else:
            if n:
                del self._buffer[:n]
            self._maybe_resume_protocol()  # the protocol may write more here
            if not self._buffer:
                self._loop._remove_writer(self._sock_fd)
                if self._empty_waiter is not None:
                    self._empty_waiter.set_result(None)
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

    def _make_empty_waiter(self) -> Any:
        """A future resolved once everything written so far has been sent (sendfile goes after it)."""
        if self._empty_waiter is not None:
            raise RuntimeError("Empty waiter is already set")
        self._empty_waiter = self._loop.create_future()
        self._empty_waiter._label = f"write buffer of fd {self._sock_fd} empty"
        if not self._buffer:
            self._empty_waiter.set_result(None)
        return self._empty_waiter

    def _reset_empty_waiter(self) -> None:
        self._empty_waiter = None

    def get_write_buffer_size(self) -> int:
        return len(self._buffer)

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
        if self._empty_waiter is not None and not self._empty_waiter.done():
            self._empty_waiter.set_exception(ConnectionError("Connection is closed by peer"))
        try:
            self._protocol.connection_lost(exc)
        finally:
            self._sock.close()
            self._sock = None
            self._protocol = None
            self._loop = None
            server = self._server
            if server is not None:
                server._detach(self)
                self._server = None




def _set_nodelay(sock: socket.socket) -> None:
    if (
        sock.family in (socket.AF_INET, socket.AF_INET6)
        and sock.type == socket.SOCK_STREAM
        and sock.proto == socket.IPPROTO_TCP
    ):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
