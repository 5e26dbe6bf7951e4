"""A listening server: its sockets and the connections they accepted (asyncio.Server).

The loop's accept callback (connections.py) builds one transport per
accepted connection; each transport attaches itself to its Server when born
and detaches when it dies, so that `wait_closed()` can tell when the last
one is gone and (3.13) `close_clients()` can reach them all.
"""

from __future__ import annotations

import socket
import weakref
from typing import Any

from .. import tasks, versions
from ..events import AbstractServer
from ..exceptions import CancelledError
from ..protocols import TransportSocket

__all__ = ("Server",)


class Server(AbstractServer):
    """Listening sockets plus the connections they accepted (asyncio.Server)."""

    def __init__(self, loop: Any, sockets: list, protocol_factory: Any, backlog: int) -> None:
        self._loop = loop
        self._sockets: list[socket.socket] | None = sockets  # None once closed
        self._active_count = 0  # transports alive that this server accepted
        self._waiters: list | None = []  # wait_closed() futures; None once woken
        self._protocol_factory = protocol_factory
        self._backlog = backlog
        self._serving = False
        self._serving_forever_fut = None
        self._ssl: tuple | None = None  # (context, handshake timeout, shutdown timeout) for TLS servers
        self._clients: weakref.WeakSet = weakref.WeakSet()  # the transports alive that it accepted

    def __repr__(self) -> str:
        return f"<{type(self).__name__} sockets={self.sockets!r}>"

    async def __aenter__(self) -> Server:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.close()
        await self.wait_closed()

    # Called by each transport the server accepted, when it is born and when it dies.
    def _attach(self, transport: Any = None) -> None:
        self._active_count += 1
        if transport is not None:
            self._clients.add(transport)

    def _detach(self, transport: Any = None) -> None:
        self._active_count -= 1
        if transport is not None:
            self._clients.discard(transport)
        if self._active_count == 0 and self._sockets is None:
            self._wakeup()

    def _wakeup(self) -> None:
        waiters = self._waiters
        self._waiters = None
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(waiter)

    def _start_serving(self) -> None:
        if self._serving:
            return
        self._serving = True
        for sock in self._sockets:
            sock.listen(self._backlog)
            self._loop._start_serving(self._protocol_factory, sock, self, self._backlog)

    def get_loop(self) -> Any:
        return self._loop

    def is_serving(self) -> bool:
        return self._serving

    @property
    def sockets(self) -> tuple[TransportSocket, ...]:
        if self._sockets is None:
            return ()
        return tuple(TransportSocket(s) for s in self._sockets)

    def close(self) -> None:
        """Stop listening. Connections already accepted stay open."""
        sockets = self._sockets
        if sockets is None:
            return
        self._sockets = None
        for sock in sockets:
            self._loop._stop_serving(sock)
        self._serving = False
        if self._serving_forever_fut is not None and not self._serving_forever_fut.done():
            self._serving_forever_fut.cancel()
            self._serving_forever_fut = None
        if self._active_count == 0:
            self._wakeup()

    if versions.SERVER_CLOSE_CLIENTS:

        def close_clients(self) -> None:
            """Close every connection this server accepted (they flush first)."""
            for transport in self._clients.copy():
                transport.close()

        def abort_clients(self) -> None:
            """Abort every connection this server accepted (unsent data is dropped)."""
            for transport in self._clients.copy():
                transport.abort()

    async def start_serving(self) -> None:
        self._start_serving()
        await tasks.sleep(0)  # one turn, so that the add_reader calls take effect

    async def serve_forever(self) -> None:
        """Accept connections until cancelled; then close and wait for the server."""
        if self._serving_forever_fut is not None:
            raise RuntimeError(f"server {self!r} is already being awaited on serve_forever()")
        if self._sockets is None:
            raise RuntimeError(f"server {self!r} is closed")
        self._start_serving()
        self._serving_forever_fut = fut = self._loop.create_future()
        fut._label = "serve_forever"
        try:
            await fut
        except CancelledError:
            try:
                self.close()
                await self.wait_closed()
            finally:
                raise
        finally:
            self._serving_forever_fut = None

    async def wait_closed(self) -> None:
        """Wait until the server is closed and its last connection is gone.

        3.11 returns at once once close() was called, even with connections
        open; 3.12.0 also when none is open yet; 3.12.1+ waits for both (gh-79033)."""
        if self._waiters is None or (
            not versions.SERVER_WAIT_CLOSED_WAITS
            and (self._sockets is None if versions.SERVER_WAIT_CLOSED_3_11 else self._active_count == 0)
        ):
            return
        waiter = self._loop.create_future()
        waiter._label = "server wait_closed"
        self._waiters.append(waiter)
        await waiter
