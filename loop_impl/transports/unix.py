"""Unix sockets: stream connections through a path in the file system.

A unix socket is a socket whose address is a path (`/tmp/app.sock`)
instead of host:port. Once connected it is a byte stream like TCP, so the
loop reuses everything TCP has: `sock_connect`, the socket transport, the
`Server` and its accept loop. Only the address handling is new: the server
binds a path (removing a stale socket file left by a dead server first)
and, from Python 3.13, unlinks it again when it closes.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
from collections.abc import Callable
from typing import Any

from .. import capabilities, tasks, versions
from ..diagnostics import logger

__all__ = ("UnixConnections",)


class UnixConnections:
    """Mixin of EventLoop: create_unix_connection and create_unix_server."""

    async def create_unix_connection(
        self, protocol_factory: Callable[[], Any], path: Any = None, *, ssl: Any = None,
        sock: socket.socket | None = None, server_hostname: str | None = None,
        ssl_handshake_timeout: float | None = None, ssl_shutdown_timeout: float | None = None,
    ) -> tuple[Any, Any]:  # fmt: skip
        """Connect to the unix socket at path; return (transport, protocol)."""
        capabilities.require_sockets("a unix socket connection (open_unix_connection)")
        if ssl:
            if server_hostname is None:
                raise ValueError("you have to pass server_hostname when using ssl")
        else:
            for name, value in (("server_hostname", server_hostname), ("ssl_handshake_timeout", ssl_handshake_timeout),
                                ("ssl_shutdown_timeout", ssl_shutdown_timeout)):  # fmt: skip
                if value is not None:
                    raise ValueError(f"{name} is only meaningful with ssl")
        if path is not None:
            if sock is not None:
                raise ValueError("path and sock can not be specified at the same time")
            path = os.fspath(path)
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM, 0)
            try:
                sock.setblocking(False)
                await self.sock_connect(sock, path)
            except BaseException:
                sock.close()
                raise
        else:
            if sock is None:
                raise ValueError("no path and sock were specified")
            if sock.family != socket.AF_UNIX or sock.type != socket.SOCK_STREAM:
                raise ValueError(f"A UNIX Domain Stream Socket was expected, got {sock!r}")
            sock.setblocking(False)
        return await self._create_connection_transport(
            sock, protocol_factory, ssl, server_hostname, ssl_handshake_timeout, ssl_shutdown_timeout
        )

    async def create_unix_server(
        self, protocol_factory: Callable[[], Any], path: Any = None, *, sock: socket.socket | None = None,
        backlog: int = 100, ssl: Any = None, ssl_handshake_timeout: float | None = None,
        ssl_shutdown_timeout: float | None = None, start_serving: bool = True, **kwargs: Any,
    ) -> Any:  # fmt: skip
        """Listen on the unix socket at path; return a Server."""
        capabilities.require_sockets("a unix socket server (start_unix_server)")
        cleanup_socket = _cleanup_argument(kwargs)
        if isinstance(ssl, bool):
            raise TypeError("ssl argument must be an SSLContext or None")
        for name, value in (("ssl_handshake_timeout", ssl_handshake_timeout),
                            ("ssl_shutdown_timeout", ssl_shutdown_timeout)):  # fmt: skip
            if value is not None and not ssl:
                raise ValueError(f"{name} is only meaningful with ssl")
        if path is not None:
            if sock is not None:
                raise ValueError("path and sock can not be specified at the same time")
            path = os.fspath(path)
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            if path[0] not in (0, "\x00"):  # not an abstract socket: it is a file
                _remove_stale_socket(path)
            try:
                sock.bind(path)
            except OSError as exc:
                sock.close()
                if exc.errno == errno.EADDRINUSE:
                    raise OSError(errno.EADDRINUSE, f"Address {path!r} is already in use") from None
                raise
            except BaseException:
                sock.close()
                raise
        else:
            if sock is None:
                raise ValueError("path was not specified, and no sock specified")
            if sock.family != socket.AF_UNIX or sock.type != socket.SOCK_STREAM:
                raise ValueError(f"A UNIX Domain Stream Socket was expected, got {sock!r}")
        if cleanup_socket:
            name = sock.getsockname()
            if name and name[0] not in (0, "\x00"):
                try:
                    self._unix_socket_inodes()[sock] = os.stat(name).st_ino
                except FileNotFoundError:
                    pass
        sock.setblocking(False)
        server = self._make_server([sock], protocol_factory, backlog, ssl, ssl_handshake_timeout, ssl_shutdown_timeout)
        if start_serving:
            server._start_serving()
            await tasks.sleep(0)  # one turn, so that the add_reader calls take effect
        return server

    def _unix_socket_inodes(self) -> dict:
        """Listening unix sockets to unlink on close, with the inode bound (why: unlink only our own file)."""
        inodes = self.__dict__.get("_unix_server_sockets")
        if inodes is None:
            inodes = self._unix_server_sockets = {}
        return inodes

    def _stop_serving(self, sock: socket.socket) -> None:
        inode = self._unix_socket_inodes().pop(sock, None)
        if inode is not None:
            path = sock.getsockname()
            try:
                if os.stat(path).st_ino == inode:
                    os.unlink(path)
            except FileNotFoundError:
                pass
            except OSError as err:
                logger.error("Unable to clean up listening UNIX socket %r: %r", path, err)
        super()._stop_serving(sock)


def _cleanup_argument(kwargs: dict) -> bool:
    """cleanup_socket= exists from 3.13; before, it is an unknown argument as in asyncio."""
    if versions.UNIX_SERVER_CLEANUP_SOCKET:
        cleanup = kwargs.pop("cleanup_socket", True)
    else:
        cleanup = False
    if kwargs:
        name = next(iter(kwargs))
        raise TypeError(f"create_unix_server() got an unexpected keyword argument {name!r}")
    return cleanup


def _remove_stale_socket(path: str) -> None:
    """A socket file left by a dead server would make bind() fail: remove it (only if it is a socket)."""
    try:
        if stat.S_ISSOCK(os.stat(path).st_mode):
            os.remove(path)
    except FileNotFoundError:
        pass
    except OSError as err:
        logger.error("Unable to check or remove stale UNIX socket %r: %r", path, err)
