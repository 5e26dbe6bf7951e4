"""TCP connections and servers: `create_connection`, `create_server`, `Server`.

This is the loop-side half of streams, a mixin of EventLoop (as
SelectorIO is). Both directions end the same way: a connected,
non-blocking socket is handed to a `_SelectorSocketTransport` with the
protocol `protocol_factory()` returns (transports.py).

* Client: resolve the address, `sock_connect` each candidate in turn until
  one succeeds, then build the transport and wait for its `waiter`.
* Server: bind, listen, and `add_reader(listening_fd, _accept_connection)`.
  Each time the listening socket is readable, accept every pending
  connection and start one small task per connection that builds its
  transport. `Server` (servers.py) counts those transports so that
  `wait_closed()` can tell when the last one is gone.

The number of tasks and loop turns each step takes is asyncio's (one task
per accepted connection, a `gather` in create_server, a `sleep(0)` after
start_serving), since that decides the order in which programs print.
With `ssl=`, a TLS protocol sits between the socket transport and yours
(transports/tls.py). No happy eyeballs.
"""

from __future__ import annotations

import collections.abc
import errno
import itertools
import os
import socket
import sys
from collections.abc import Callable
from typing import Any

from . import capabilities, tasks, versions
from .protocols import TransportSocket
from .transports.server import Server
from .transports.socket import _SelectorSocketTransport

__all__ = ("Server", "SocketConnections")

ProtocolFactory = Callable[[], Any]  # a class or function that returns a new protocol
ACCEPT_RETRY_DELAY = 1.0  # seconds to wait after accept() ran out of fds


class SocketConnections:
    """Mixin of EventLoop: TCP clients and servers on top of the selector."""

    # -- client side -------------------------------------------------------
    async def create_connection(
        self, protocol_factory: ProtocolFactory, host: Any = None, port: Any = None, *,
        ssl: Any = None, family: int = 0, proto: int = 0, flags: int = 0, sock: socket.socket | None = None,
        local_addr: Any = None, server_hostname: Any = None, ssl_handshake_timeout: Any = None,
        ssl_shutdown_timeout: Any = None, happy_eyeballs_delay: Any = None, interleave: Any = None,
        all_errors: bool = False,
    ) -> tuple[Any, Any]:  # fmt: skip
        """Connect to host:port over TCP (with TLS if ssl is given); return (transport, protocol)."""
        if all_errors and not versions.CREATE_CONNECTION_ALL_ERRORS:
            raise TypeError("create_connection() got an unexpected keyword argument 'all_errors'")
        capabilities.require_sockets("a TCP connection (open_connection, create_connection)")
        if server_hostname is None and ssl:
            # The name the certificate must carry: the host we dialled, unless told otherwise.
            if not host:
                raise ValueError("You must set server_hostname when using ssl without a host")
            server_hostname = host
        _check_ssl_arguments(ssl, ssl_handshake_timeout, ssl_shutdown_timeout, server_hostname)
        if happy_eyeballs_delay is not None or interleave is not None:
            raise NotImplementedError("loop_impl tries addresses one by one: no happy_eyeballs_delay/interleave")

        if host is not None or port is not None:
            if sock is not None:
                raise ValueError("host/port and sock can not be specified at the same time")
            infos = await self.getaddrinfo(host, port, family=family, type=socket.SOCK_STREAM, proto=proto, flags=flags)
            if not infos:
                raise OSError("getaddrinfo() returned empty list")
            laddr_infos = None
            if local_addr is not None:
                laddr_infos = await self.getaddrinfo(
                    *local_addr[:2], family=family, type=socket.SOCK_STREAM, proto=proto, flags=flags
                )
                if not laddr_infos:
                    raise OSError("getaddrinfo() returned empty list")
            # Try each address in turn; remember why each one failed.
            exceptions: list[list[OSError]] = []
            for addrinfo in infos:
                try:
                    sock = await self._connect_sock(exceptions, addrinfo, laddr_infos)
                    break
                except OSError:
                    continue
            if sock is None:
                errors = [exc for sub in exceptions for exc in sub]
                try:
                    if all_errors:  # 3.12+: every failure, as an ExceptionGroup
                        raise ExceptionGroup("create_connection failed", errors)
                    if len(errors) == 1 or all(str(exc) == str(errors[0]) for exc in errors):
                        raise errors[0]
                    raise OSError("Multiple exceptions: {}".format(", ".join(str(exc) for exc in errors)))
                finally:
                    errors = exceptions = None  # break the cycle through the traceback
        else:
            if sock is None:
                raise ValueError("host and port was not specified and no sock specified")
            if sock.type != socket.SOCK_STREAM:
                raise ValueError(f"A Stream Socket was expected, got {sock!r}")
        return await self._create_connection_transport(
            sock, protocol_factory, ssl, server_hostname, ssl_handshake_timeout, ssl_shutdown_timeout
        )

    async def _connect_sock(self, exceptions: list, addr_info: tuple, local_addr_infos: list | None = None) -> Any:
        """Create, bind (if asked) and connect one socket."""
        my_exceptions: list[OSError] = []
        exceptions.append(my_exceptions)
        family, type_, proto, _, address = addr_info
        sock = None
        try:
            sock = socket.socket(family=family, type=type_, proto=proto)
            sock.setblocking(False)
            if local_addr_infos is not None:
                for lfamily, _, _, _, laddr in local_addr_infos:
                    if lfamily != family:
                        continue
                    try:
                        sock.bind(laddr)
                        break
                    except OSError as exc:
                        msg = f"error while attempting to bind on address {laddr!r}: {_bind_error_text(exc)}"
                        my_exceptions.append(OSError(exc.errno, msg))
                else:
                    if my_exceptions:
                        raise my_exceptions.pop()
                    raise OSError(f"no matching local address with {family=} found")
            await self.sock_connect(sock, address)
            return sock
        except OSError as exc:
            my_exceptions.append(exc)
            if sock is not None:
                sock.close()
            raise
        except BaseException:
            if sock is not None:
                sock.close()
            raise
        finally:
            exceptions = my_exceptions = None

    async def _create_connection_transport(
        self, sock: socket.socket, protocol_factory: ProtocolFactory, ssl: Any = None, server_hostname: Any = None,
        ssl_handshake_timeout: Any = None, ssl_shutdown_timeout: Any = None, server_side: bool = False,
    ) -> tuple:  # fmt: skip
        sock.setblocking(False)
        protocol = protocol_factory()
        waiter = self.create_future()
        waiter._label = f"connection_made fd {sock.fileno()}"
        if ssl:  # TLS is a protocol between the socket transport and yours (transports/tls.py)
            sslcontext = None if isinstance(ssl, bool) else ssl
            ssl_timeouts = (ssl_handshake_timeout, ssl_shutdown_timeout)
            transport = self._make_ssl_transport(sock, protocol, sslcontext, waiter, server_side, server_hostname,
                                                 *ssl_timeouts)  # fmt: skip
        else:
            transport = _SelectorSocketTransport(self, sock, protocol, waiter)
        try:
            await waiter
        except BaseException:
            transport.close()
            raise
        return transport, protocol

    async def connect_accepted_socket(
        self, protocol_factory: ProtocolFactory, sock: socket.socket, *,
        ssl: Any = None, ssl_handshake_timeout: Any = None, ssl_shutdown_timeout: Any = None,
    ) -> tuple[Any, Any]:  # fmt: skip
        """Wrap a socket accepted elsewhere in a transport and protocol."""
        if sock.type != socket.SOCK_STREAM:
            raise ValueError(f"A Stream Socket was expected, got {sock!r}")
        _check_ssl_arguments(ssl, ssl_handshake_timeout, ssl_shutdown_timeout)
        return await self._create_connection_transport(
            sock, protocol_factory, ssl, "", ssl_handshake_timeout, ssl_shutdown_timeout, server_side=True
        )

    # -- server side -------------------------------------------------------
    async def create_server(
        self, protocol_factory: ProtocolFactory, host: Any = None, port: Any = None, *,
        family: int = socket.AF_UNSPEC, flags: int = socket.AI_PASSIVE, sock: socket.socket | None = None,
        backlog: int = 100, ssl: Any = None, reuse_address: bool | None = None, reuse_port: bool | None = None,
        ssl_handshake_timeout: Any = None, ssl_shutdown_timeout: Any = None, start_serving: bool = True,
    ) -> Server:  # fmt: skip
        """Listen on host:port (each of several hosts, if a list); return a Server."""
        capabilities.require_sockets("a socket server (start_server, create_server)")
        if isinstance(ssl, bool):
            raise TypeError("ssl argument must be an SSLContext or None")
        _check_ssl_arguments(ssl, ssl_handshake_timeout, ssl_shutdown_timeout)
        if host is not None or port is not None:
            if sock is not None:
                raise ValueError("host/port and sock can not be specified at the same time")
            if reuse_address is None:
                reuse_address = os.name == "posix" and sys.platform != "cygwin"
            if host == "":
                hosts = [None]
            elif isinstance(host, str) or not isinstance(host, collections.abc.Iterable):
                hosts = [host]
            else:
                hosts = host
            # One task per host resolves it (why: asyncio gathers coroutines
            # here, so the tasks and loop turns are counted the same).
            from .gathering import gather

            fs = [self._create_server_getaddrinfo(h, port, family=family, flags=flags) for h in hosts]
            infos = set(itertools.chain.from_iterable(await gather(*fs)))  # one socket per distinct address
            sockets = self._bind_server_sockets(infos, reuse_address, reuse_port)
        else:
            if sock is None:
                raise ValueError("Neither host/port nor sock were specified")
            if sock.type != socket.SOCK_STREAM:
                raise ValueError(f"A Stream Socket was expected, got {sock!r}")
            sockets = [sock]
        for s in sockets:
            s.setblocking(False)
        server = self._make_server(sockets, protocol_factory, backlog, ssl, ssl_handshake_timeout, ssl_shutdown_timeout)
        if start_serving:
            server._start_serving()
            await tasks.sleep(0)  # one turn, so that the add_reader calls take effect
        return server

    def _make_server(self, sockets: list, protocol_factory: ProtocolFactory, backlog: int, ssl: Any = None,
                     ssl_handshake_timeout: Any = None, ssl_shutdown_timeout: Any = None) -> Server:  # fmt: skip
        server = Server(self, sockets, protocol_factory, backlog)
        server._ssl = (ssl, ssl_handshake_timeout, ssl_shutdown_timeout) if ssl else None
        return server

    async def _create_server_getaddrinfo(self, host: Any, port: Any, family: int, flags: int) -> list:
        infos = await self.getaddrinfo(host, port, family=family, type=socket.SOCK_STREAM, flags=flags)
        if not infos:
            raise OSError(f"getaddrinfo({host!r}) returned empty list")
        return infos

    def _bind_server_sockets(self, infos: set, reuse_address: bool, reuse_port: bool | None) -> list[socket.socket]:
        sockets: list[socket.socket] = []
        completed = False
        try:
            for af, socktype, proto, _canonname, sa in infos:
                try:
                    sock = socket.socket(af, socktype, proto)
                except OSError:
                    continue  # a family this machine lacks (e.g. no IPv6)
                sockets.append(sock)
                if reuse_address:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
                if reuse_port:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                if af == socket.AF_INET6:
                    # One socket per family (why: Linux would otherwise let the
                    # IPv6 socket take the IPv4 port too, and the next bind fail).
                    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, True)
                try:
                    sock.bind(sa)
                except OSError as err:
                    msg = f"error while attempting to bind on address {sa!r}: {_bind_error_text(err)}"
                    raise OSError(err.errno, msg) from None
            completed = True
        finally:
            if not completed:
                for sock in sockets:
                    sock.close()
        return sockets

    def _start_serving(self, protocol_factory: ProtocolFactory, sock: Any, server: Server, backlog: int) -> None:
        self._add_reader(sock.fileno(), self._accept_connection, protocol_factory, sock, server, backlog)

    def _stop_serving(self, sock: socket.socket) -> None:
        self._remove_reader(sock.fileno())
        sock.close()

    def _accept_connection(self, protocol_factory: ProtocolFactory, sock: Any, server: Server, backlog: int) -> None:
        """The listening socket is readable: accept every pending connection.

        Each one gets a task that builds its transport (why: asyncio does
        so, and the tasks' names and order show in programs).
        """
        for _ in range(backlog):
            try:
                conn, addr = sock.accept()
                conn.setblocking(False)
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                return  # nobody else is waiting
            except OSError as exc:
                if exc.errno not in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    raise  # the loop reports it as a failed callback
                # Out of fds: the fd would stay readable and spin the loop,
                # so stop listening for a while, then try again.
                message = "socket.accept() out of system resource"
                self.call_exception_handler({"message": message, "exception": exc, "socket": TransportSocket(sock)})
                self._remove_reader(sock.fileno())
                self.call_later(ACCEPT_RETRY_DELAY, self._start_serving, protocol_factory, sock, server, backlog)
                return
            else:
                self.create_task(self._accept_connection2(protocol_factory, conn, {"peername": addr}, server))

    async def _accept_connection2(self, protocol_factory: ProtocolFactory, conn: Any, extra: dict, server: Any) -> None:
        protocol = transport = None
        try:
            protocol = protocol_factory()
            waiter = self.create_future()
            waiter._label = f"connection_made fd {conn.fileno()}"
            if server._ssl is not None:
                sslcontext, handshake_timeout, shutdown_timeout = server._ssl
                transport = self._make_ssl_transport(conn, protocol, sslcontext, waiter, True, None,
                                                     handshake_timeout, shutdown_timeout, extra, server)  # fmt: skip
            else:
                transport = _SelectorSocketTransport(self, conn, protocol, waiter, extra, server)
            try:
                await waiter
            except BaseException:
                transport.close()
                raise
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            if transport is None:
                conn.close()  # no transport owns it yet: don't leave the fd open
            if self.get_debug():
                context = {"message": "Error on transport creation for incoming connection", "exception": exc}
                if protocol is not None:
                    context["protocol"] = protocol
                if transport is not None:
                    context["transport"] = transport
                self.call_exception_handler(context)


def _check_ssl_arguments(ssl: Any, handshake_timeout: Any, shutdown_timeout: Any, hostname: Any = None) -> None:
    """asyncio's checks: the TLS-only arguments mean nothing without ssl."""
    for name, value in (("server_hostname", hostname), ("ssl_handshake_timeout", handshake_timeout),
                        ("ssl_shutdown_timeout", shutdown_timeout)):  # fmt: skip
        if value is not None and not ssl:
            raise ValueError(f"{name} is only meaningful with ssl")


def _bind_error_text(exc: OSError) -> str:
    # 3.13 lowercases the whole OSError text ("[errno 98] address already in use").
    return str(exc).lower() if versions.BIND_ERROR_LOWERCASES_WHOLE_OSERROR else exc.strerror.lower()
