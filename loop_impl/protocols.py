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
protocols.py, transports.py and trsock.py do). The one transport loop_impl
has, for TCP sockets, is in transports.py; streams.py is a protocol.
"""

from __future__ import annotations

import socket
from typing import Any

__all__ = ("BaseProtocol", "Protocol", "BaseTransport", "Transport", "TransportSocket")


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
