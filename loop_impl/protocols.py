"""The interfaces between a connection and your code: protocols and transports.

asyncio splits a connection in two halves that call each other:

* the **transport** owns the socket. It reads when the selector says the fd
  is readable, and it sends what you `write()`: at once if the kernel takes
  it, otherwise into a buffer that is flushed when the fd becomes writable.
* the **protocol** is your code, told what happened: `connection_made`,
  `data_received`, `eof_received`, `connection_lost`, and, for flow
  control, `pause_writing`/`resume_writing` when the transport's write
  buffer grows past a high-water mark or shrinks back under a low one.

This module only defines what each side may call (as CPython's
protocols.py, transports.py and trsock.py do), with asyncio's hierarchy:
a `Transport` is both a `ReadTransport` and a `WriteTransport`; datagrams
and subprocesses have their own kinds. The transports themselves live in
the `transports/` package; streams.py is a protocol.

As with the exceptions, at run time these classes are asyncio's own (the seam,
asyncio_seam.py, puts them in place before the rest of the package is
imported), so that a library's protocol or transport checks and ours agree.
`TransportSocket` is loop_impl's alone.
"""

from __future__ import annotations

import socket
from typing import Any

__all__ = (
    "BaseProtocol", "Protocol", "BufferedProtocol", "DatagramProtocol", "SubprocessProtocol",
    "BaseTransport", "ReadTransport", "WriteTransport", "Transport", "DatagramTransport",
    "SubprocessTransport", "TransportSocket",
)  # fmt: skip

SHARED_WITH_ASYNCIO = __all__[:-1]  # every class here but TransportSocket


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


class BufferedProtocol(BaseProtocol):
    """A stream protocol that lends the transport its own buffer (no bytes object per read).

    The transport asks `get_buffer(sizehint)` for a writable buffer, receives
    into it, then calls `buffer_updated(nbytes)`.
    """

    __slots__ = ()

    def get_buffer(self, sizehint: int) -> Any:
        """A writable buffer of any non-zero size (sizehint: what the transport would like)."""

    def buffer_updated(self, nbytes: int) -> None:
        """The first nbytes of the buffer now hold received data."""

    def eof_received(self) -> bool | None:
        """The peer will send nothing more. Return a true value to keep writing."""


class DatagramProtocol(BaseProtocol):
    """A protocol for datagrams (UDP): one call per packet, with its sender."""

    __slots__ = ()

    def datagram_received(self, data: bytes, addr: Any) -> None:
        """A datagram arrived from addr."""

    def error_received(self, exc: OSError) -> None:
        """A send or receive failed (e.g. ICMP port unreachable); the endpoint stays open."""


class SubprocessProtocol(BaseProtocol):
    """What a subprocess transport tells its owner."""

    __slots__ = ()

    def pipe_data_received(self, fd: int, data: bytes) -> None:
        """The child wrote data to its stdout (fd 1) or stderr (fd 2)."""

    def pipe_connection_lost(self, fd: int, exc: BaseException | None) -> None:
        """One of the child's pipes (fd 0, 1 or 2) closed."""

    def process_exited(self) -> None:
        """The child exited (its pipes may still hold data)."""


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


class ReadTransport(BaseTransport):
    """The reading half: the protocol can ask it to stop and start reading."""

    __slots__ = ()

    def is_reading(self) -> bool:
        raise NotImplementedError

    def pause_reading(self) -> None:
        """Stop calling data_received until resume_reading() (the reader is full)."""
        raise NotImplementedError

    def resume_reading(self) -> None:
        raise NotImplementedError


class WriteTransport(BaseTransport):
    """The writing half, with its buffer and high/low water marks."""

    __slots__ = ()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        raise NotImplementedError

    def get_write_buffer_size(self) -> int:
        raise NotImplementedError

    def get_write_buffer_limits(self) -> tuple[int, int]:
        raise NotImplementedError

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


class Transport(ReadTransport, WriteTransport):
    """A bidirectional byte-stream transport."""

    __slots__ = ()


class DatagramTransport(BaseTransport):
    """A datagram endpoint: sendto() one packet at a time."""

    __slots__ = ()

    def sendto(self, data: bytes, addr: Any = None) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError


class SubprocessTransport(BaseTransport):
    """A child process and its pipes."""

    __slots__ = ()

    def get_pid(self) -> int:
        raise NotImplementedError

    def get_returncode(self) -> int | None:
        raise NotImplementedError

    def get_pipe_transport(self, fd: int) -> Any:
        raise NotImplementedError

    def send_signal(self, signal: int) -> None:
        raise NotImplementedError

    def terminate(self) -> None:
        raise NotImplementedError

    def kill(self) -> None:
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
        text = f"<asyncio.TransportSocket fd={self.fileno()}, family={self.family!s}, "
        text += f"type={self.type!s}, proto={self.proto}"
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
