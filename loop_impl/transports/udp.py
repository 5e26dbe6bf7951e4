"""UDP: datagram endpoints, and the datagram socket coroutines.

A datagram socket has no connection and no stream: each `recvfrom()` returns
one whole packet and who sent it. So the transport is simple: when the fd
is readable, one `recvfrom()` becomes one `protocol.datagram_received(data,
addr)`; `sendto()` sends at once, and only when the kernel's buffer is full
does it queue the packet and watch the fd for writability. Errors such as
"port unreachable" are not fatal: the protocol hears `error_received(exc)`
and the endpoint stays open.

`create_datagram_endpoint` makes the socket (binding to local_addr,
connecting to remote_addr if given) and wires it to a transport and the
protocol `protocol_factory()` returns, as asyncio does.
"""

from __future__ import annotations

import collections
import functools
import os
import socket
import stat
import warnings
from collections.abc import Callable
from typing import Any

from .. import capabilities, versions
from ..diagnostics import logger
from ..protocols import DatagramTransport, Transport, TransportSocket
from .base import _FlowControlMixin, _set_result_unless_cancelled

__all__ = ("DatagramEndpoints",)

MAX_DATAGRAM = 256 * 1024  # bytes asked of each recvfrom(), as asyncio's max_size
HEADER_SIZE = 8  # what 3.13 counts for each buffered datagram
LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5


# asyncio's datagram transport has always been a Transport (its selector
# base class is); from 3.12 it is a DatagramTransport too.
_BASES = (_FlowControlMixin, Transport) + (
    (DatagramTransport,) if versions.DATAGRAM_TRANSPORT_SUBCLASSES_DATAGRAMTRANSPORT else ()
)


class _SelectorDatagramTransport(*_BASES):
    """One UDP (or unix datagram) socket driven by the selector."""

    __slots__ = ("_loop", "_sock", "_sock_fd", "_protocol", "_address", "_buffer", "_buffer_size",
                 "_conn_lost", "_closing", "_protocol_paused", "_high_water", "_low_water", "__weakref__")  # fmt: skip

    def __init__(self, loop: Any, sock: socket.socket, protocol: Any, address: Any = None, waiter: Any = None,
                 extra: dict | None = None) -> None:  # fmt: skip
        super().__init__(extra)
        self._extra["socket"] = TransportSocket(sock)
        self._extra["sockname"] = _try(sock.getsockname)
        self._extra.setdefault("peername", _try(sock.getpeername))
        self._loop = loop
        self._sock: socket.socket | None = sock
        self._sock_fd = sock.fileno()
        self._protocol = protocol
        loop._transports[self._sock_fd] = self  # the fd is ours: loop.add_reader(fd) now refuses
        self._address = address  # the connected peer, if remote_addr was given
        self._buffer: collections.deque = collections.deque()  # (bytes, addr) the kernel refused so far
        self._buffer_size = 0
        self._conn_lost = 0
        self._closing = False
        self._init_flow_control()
        # The protocol hears connection_made before the first datagram, and
        # the creator wakes only after that (why: asyncio's order).
        loop.call_soon(protocol.connection_made, self)
        loop.call_soon(self._start_reading)
        if waiter is not None:
            loop.call_soon(_set_result_unless_cancelled, waiter, None)

    def __repr__(self) -> str:
        state = "closed" if self._sock is None else "closing" if self._closing else "open"
        return f"<{type(self).__name__} {state} fd={self._sock_fd}>"

    def get_protocol(self) -> Any:
        return self._protocol

    def set_protocol(self, protocol: Any) -> None:
        self._protocol = protocol

    def is_closing(self) -> bool:
        return self._closing

    def get_write_buffer_size(self) -> int:
        return self._buffer_size

    def _start_reading(self) -> None:
        if not self._closing:
            self._loop._add_reader(self._sock_fd, self._read_ready)

    def _read_ready(self) -> None:
        """The fd is readable: one packet, handed to the protocol with its sender."""
        if self._conn_lost:
            return
        try:
            data, addr = self._sock.recvfrom(MAX_DATAGRAM)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            self._protocol.error_received(exc)  # e.g. ICMP "port unreachable": not fatal
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._fatal_error(exc, "Fatal read error on datagram transport")
        else:
            self._protocol.datagram_received(data, addr)

    def sendto(self, data: bytes | bytearray | memoryview, addr: Any = None) -> None:
        """Send one datagram now if the kernel takes it; else queue it."""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data argument must be a bytes-like object, not {type(data).__name__!r}")
        if not data and not versions.DATAGRAM_SENDS_EMPTY:
            return
        if self._address:
            if addr not in (None, self._address):
                raise ValueError(f"Invalid address: must be None or {self._address}")
            addr = self._address
        if self._conn_lost and self._address:
            if self._conn_lost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES:
                logger.warning("socket.send() raised exception.")
            self._conn_lost += 1
            return
        if not self._buffer:
            try:
                self._send(data, addr)
                return
            except (BlockingIOError, InterruptedError):
                self._loop._add_writer(self._sock_fd, self._sendto_ready)
            except OSError as exc:
                self._protocol.error_received(exc)
                return
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as exc:
                self._fatal_error(exc, "Fatal write error on datagram transport")
                return
        self._buffer.append((bytes(data), addr))  # a copy: the caller may reuse its buffer
        self._buffer_size += len(data) + (HEADER_SIZE if versions.DATAGRAM_SENDS_EMPTY else 0)
        self._maybe_pause_protocol()

    def _send(self, data: Any, addr: Any) -> None:
        if self._extra["peername"]:
            self._sock.send(data)
        else:
            self._sock.sendto(data, addr)

    def _sendto_ready(self) -> None:
        """The fd is writable again: send the queued datagrams in order."""
        while self._buffer:
            data, addr = self._buffer.popleft()
            self._buffer_size -= len(data)
            try:
                self._send(data, addr)
            except (BlockingIOError, InterruptedError):
                self._buffer.appendleft((data, addr))
                self._buffer_size += len(data)
                break
            except OSError as exc:
                self._protocol.error_received(exc)
                return
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as exc:
                self._fatal_error(exc, "Fatal write error on datagram transport")
                return
        self._maybe_resume_protocol()
        if not self._buffer:
            self._loop._remove_writer(self._sock_fd)
            if self._closing:
                self._call_connection_lost(None)

    def close(self) -> None:
        if self._closing:
            return
        self._closing = True
        self._loop._remove_reader(self._sock_fd)
        if not self._buffer:
            self._conn_lost += 1
            self._loop.call_soon(self._call_connection_lost, None)

    def abort(self) -> None:
        self._force_close(None)

    def _fatal_error(self, exc: BaseException, message: str) -> None:
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
            self._buffer_size = 0
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

    def __del__(self, _warn: Any = warnings.warn) -> None:
        sock = getattr(self, "_sock", None)
        if sock is not None:
            _warn(f"unclosed transport {self!r}", ResourceWarning, source=self)
            sock.close()


class DatagramEndpoints:
    """Mixin of EventLoop: UDP endpoints and the datagram socket coroutines."""

    async def sock_sendto(self, sock: socket.socket, data: bytes, address: Any) -> int:
        """Send one datagram to address, waiting while the socket's buffer is full."""
        self._check_socket(sock)
        try:
            return sock.sendto(data, address)
        except (BlockingIOError, InterruptedError):
            pass
        return await self._wait_fd(sock, "write", _call_method(sock, "sendto", data, address))

    async def sock_recvfrom(self, sock: socket.socket, bufsize: int) -> tuple[bytes, Any]:
        """Receive one datagram (up to bufsize bytes) and its sender's address."""
        self._check_socket(sock)
        try:
            return sock.recvfrom(bufsize)
        except (BlockingIOError, InterruptedError):
            pass
        return await self._wait_fd(sock, "read", _call_method(sock, "recvfrom", bufsize))

    async def sock_recvfrom_into(self, sock: socket.socket, buf: Any, nbytes: int = 0) -> tuple[int, Any]:
        """Receive one datagram into buf; return (nbytes, address)."""
        self._check_socket(sock)
        nbytes = nbytes or len(buf)
        try:
            return sock.recvfrom_into(buf, nbytes)
        except (BlockingIOError, InterruptedError):
            pass
        return await self._wait_fd(sock, "read", _call_method(sock, "recvfrom_into", buf, nbytes))

    async def _wait_fd(self, sock: socket.socket, direction: str, attempt: Callable[[], Any]) -> Any:
        """Retry attempt() each time sock is ready, until it neither blocks nor fails."""
        fd = sock.fileno()
        self._ensure_fd_no_transport(fd)
        fut = self._fd_future(f"{direction} fd {fd}")
        if direction == "read":
            handle = self._add_reader(fd, _retry, fut, attempt)
            fut.add_done_callback(functools.partial(self._sock_read_done, fd, handle=handle))
        else:
            handle = self._add_writer(fd, _retry, fut, attempt)
            fut.add_done_callback(functools.partial(self._sock_write_done, fd, handle=handle))
        return await fut

    async def create_datagram_endpoint(
        self, protocol_factory: Callable[[], Any], local_addr: Any = None, remote_addr: Any = None, *,
        family: int = 0, proto: int = 0, flags: int = 0, reuse_port: bool | None = None,
        allow_broadcast: bool | None = None, sock: socket.socket | None = None,
    ) -> tuple[Any, Any]:  # fmt: skip
        """Make a datagram endpoint; return (transport, protocol)."""
        capabilities.require_sockets("a UDP endpoint (create_datagram_endpoint)")
        if sock is not None:
            if versions.DATAGRAM_REJECTS_ONLY_STREAM_SOCKETS and sock.type == socket.SOCK_STREAM:
                raise ValueError(f"A datagram socket was expected, got {sock!r}")
            if not versions.DATAGRAM_REJECTS_ONLY_STREAM_SOCKETS and sock.type != socket.SOCK_DGRAM:
                raise ValueError(f"A UDP Socket was expected, got {sock!r}")
            given = dict(local_addr=local_addr, remote_addr=remote_addr, family=family, proto=proto,
                         flags=flags, reuse_port=reuse_port, allow_broadcast=allow_broadcast)  # fmt: skip
            if any(given.values()):
                problems = ", ".join(f"{k}={v}" for k, v in given.items() if v)
                raise ValueError(
                    f"socket modifier keyword arguments can not be used when sock is specified. ({problems})"
                )
            sock.setblocking(False)
            r_addr = None
        else:
            sock, r_addr = await self._open_datagram_socket(
                local_addr, remote_addr, family, proto, flags, reuse_port, allow_broadcast
            )
        protocol = protocol_factory()
        waiter = self.create_future()
        waiter._label = f"connection_made fd {sock.fileno()}"
        transport = _SelectorDatagramTransport(self, sock, protocol, r_addr, waiter)
        try:
            await waiter
        except BaseException:
            transport.close()
            raise
        return transport, protocol

    async def _open_datagram_socket(self, local_addr: Any, remote_addr: Any, family: int, proto: int, flags: int,
                                    reuse_port: bool | None, allow_broadcast: bool | None) -> tuple:  # fmt: skip
        if not (local_addr or remote_addr):
            if family == 0:
                raise ValueError("unexpected address family")
            candidates = [((family, proto), (None, None))]
        elif hasattr(socket, "AF_UNIX") and family == socket.AF_UNIX:
            for addr in (local_addr, remote_addr):
                if addr is not None and not isinstance(addr, (str, bytes)):
                    raise TypeError("string is expected")
            _remove_stale_unix_socket(local_addr)
            candidates = [((family, proto), (local_addr, remote_addr))]
        else:
            candidates = await self._datagram_candidates(local_addr, remote_addr, family, proto, flags)
        exceptions: list[OSError] = []
        for (family, proto), (laddr, raddr) in candidates:
            sock = None
            try:
                sock = socket.socket(family=family, type=socket.SOCK_DGRAM, proto=proto)
                if reuse_port:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                if allow_broadcast:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
                sock.setblocking(False)
                if local_addr:
                    sock.bind(laddr)
                if remote_addr:
                    if not allow_broadcast:
                        await self.sock_connect(sock, raddr)
                    return sock, raddr
                return sock, None
            except OSError as exc:
                if sock is not None:
                    sock.close()
                exceptions.append(exc)
            except BaseException:
                if sock is not None:
                    sock.close()
                raise
        raise exceptions[0]

    async def _datagram_candidates(self, local_addr: Any, remote_addr: Any, family: int, proto: int,
                                   flags: int) -> list:  # fmt: skip
        """(family, proto) -> [local, remote] address pairs that both sides can use, as asyncio pairs them."""
        addr_infos: dict = {}
        for idx, addr in ((0, local_addr), (1, remote_addr)):
            if addr is None:
                continue
            if not (isinstance(addr, tuple) and len(addr) == 2):
                raise TypeError("2-tuple is expected")
            infos = await self.getaddrinfo(*addr, family=family, type=socket.SOCK_DGRAM, proto=proto, flags=flags)
            if not infos:
                raise OSError("getaddrinfo() returned empty list")
            for fam, _, pro, _, address in infos:
                addr_infos.setdefault((fam, pro), [None, None])[idx] = address
        pairs = [
            (key, pair) for key, pair in addr_infos.items()
            if not ((local_addr and pair[0] is None) or (remote_addr and pair[1] is None))
        ]  # fmt: skip
        if not pairs:
            raise ValueError("can not get address information")
        return pairs


def _call_method(sock: Any, name: str, *args: Any) -> Callable[[], Any]:
    """sock.<name>(*args), the method looked up at each attempt (as asyncio does: it may be replaced meanwhile)."""
    return lambda: getattr(sock, name)(*args)


def _retry(fut: Any, attempt: Callable[[], Any]) -> None:
    if fut.done():
        return
    try:
        result = attempt()
    except (BlockingIOError, InterruptedError):
        return  # spurious wakeup: stay registered
    except (SystemExit, KeyboardInterrupt):
        raise
    except BaseException as exc:
        fut.set_exception(exc)
    else:
        fut.set_result(result)


def _try(get: Callable[[], Any]) -> Any:
    try:
        return get()
    except OSError:
        return None


def _remove_stale_unix_socket(path: Any) -> None:
    """A socket file left by an earlier endpoint would make bind() fail: remove it, as asyncio does
    (only a socket: never a regular file; an abstract name, starting with NUL, has no file)."""
    if not path or path[0] in (0, "\x00"):
        return
    try:
        if stat.S_ISSOCK(os.stat(path).st_mode):
            os.remove(path)
    except FileNotFoundError:
        pass
    except OSError as err:  # a directory may let us create a socket, not look at one
        logger.error("Unable to check or remove stale UNIX socket %r: %r", path, err)
