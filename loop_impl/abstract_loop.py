"""AbstractEventLoop: the interface every asyncio event loop offers, as asyncio states it.

Each method only raises NotImplementedError; a real loop overrides what it
provides (`EventLoop` inherits from this class, last, so its own methods win).
Reading the list is the quickest way to see what "an event loop" promises:
running, scheduling callbacks, futures and tasks, threads, network connections,
low-level sockets and fds, pipes and subprocesses, signals, error handling.
Whatever loop_impl does not provide yet stays here and says so when called,
as asyncio's own interface does, instead of an AttributeError.
"""

from __future__ import annotations

from typing import Any

__all__ = ("AbstractEventLoop",)


class AbstractEventLoop:
    """The event loop interface (asyncio.AbstractEventLoop)."""

    # -- running and stopping
    def run_forever(self) -> None:
        raise NotImplementedError

    def run_until_complete(self, future: Any) -> Any:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def is_running(self) -> bool:
        raise NotImplementedError

    def is_closed(self) -> bool:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    async def shutdown_asyncgens(self) -> None:
        raise NotImplementedError

    async def shutdown_default_executor(self, *args: Any) -> None:
        raise NotImplementedError

    # -- callbacks, the clock, futures and tasks
    def _timer_handle_cancelled(self, handle: Any) -> None:
        raise NotImplementedError

    def call_soon(self, callback: Any, *args: Any, context: Any = None) -> Any:
        raise NotImplementedError

    def call_later(self, delay: float, callback: Any, *args: Any, context: Any = None) -> Any:
        raise NotImplementedError

    def call_at(self, when: float, callback: Any, *args: Any, context: Any = None) -> Any:
        raise NotImplementedError

    def time(self) -> float:
        raise NotImplementedError

    def create_future(self) -> Any:
        raise NotImplementedError

    def create_task(self, coro: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def set_task_factory(self, factory: Any) -> None:
        raise NotImplementedError

    def get_task_factory(self) -> Any:
        raise NotImplementedError

    # -- threads
    def call_soon_threadsafe(self, callback: Any, *args: Any, context: Any = None) -> Any:
        raise NotImplementedError

    def run_in_executor(self, executor: Any, func: Any, *args: Any) -> Any:
        raise NotImplementedError

    def set_default_executor(self, executor: Any) -> None:
        raise NotImplementedError

    # -- names and network connections
    async def getaddrinfo(self, host: Any, port: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def getnameinfo(self, sockaddr: Any, flags: int = 0) -> Any:
        raise NotImplementedError

    async def create_connection(self, protocol_factory: Any, host: Any = None, port: Any = None, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def create_server(self, protocol_factory: Any, host: Any = None, port: Any = None, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def sendfile(self, transport: Any, file: Any, offset: int = 0, count: Any = None, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def start_tls(self, transport: Any, protocol: Any, sslcontext: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def create_unix_connection(self, protocol_factory: Any, path: Any = None, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def create_unix_server(self, protocol_factory: Any, path: Any = None, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def connect_accepted_socket(self, protocol_factory: Any, sock: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def create_datagram_endpoint(self, protocol_factory: Any, local_addr: Any = None, **kwargs: Any) -> Any:
        raise NotImplementedError

    # -- pipes and subprocesses
    async def connect_read_pipe(self, protocol_factory: Any, pipe: Any) -> Any:
        raise NotImplementedError

    async def connect_write_pipe(self, protocol_factory: Any, pipe: Any) -> Any:
        raise NotImplementedError

    async def subprocess_shell(self, protocol_factory: Any, cmd: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def subprocess_exec(self, protocol_factory: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    # -- file descriptors and low-level sockets
    def add_reader(self, fd: Any, callback: Any, *args: Any) -> None:
        raise NotImplementedError

    def remove_reader(self, fd: Any) -> bool:
        raise NotImplementedError

    def add_writer(self, fd: Any, callback: Any, *args: Any) -> None:
        raise NotImplementedError

    def remove_writer(self, fd: Any) -> bool:
        raise NotImplementedError

    async def sock_recv(self, sock: Any, nbytes: int) -> bytes:
        raise NotImplementedError

    async def sock_recv_into(self, sock: Any, buf: Any) -> int:
        raise NotImplementedError

    async def sock_recvfrom(self, sock: Any, bufsize: int) -> Any:
        raise NotImplementedError

    async def sock_recvfrom_into(self, sock: Any, buf: Any, nbytes: int = 0) -> Any:
        raise NotImplementedError

    async def sock_sendall(self, sock: Any, data: Any) -> None:
        raise NotImplementedError

    async def sock_sendto(self, sock: Any, data: Any, address: Any) -> int:
        raise NotImplementedError

    async def sock_connect(self, sock: Any, address: Any) -> None:
        raise NotImplementedError

    async def sock_accept(self, sock: Any) -> Any:
        raise NotImplementedError

    async def sock_sendfile(self, sock: Any, file: Any, offset: int = 0, count: Any = None, **kwargs: Any) -> Any:
        raise NotImplementedError

    # -- signals
    def add_signal_handler(self, sig: int, callback: Any, *args: Any) -> None:
        raise NotImplementedError

    def remove_signal_handler(self, sig: int) -> bool:
        raise NotImplementedError

    # -- errors and debug mode
    def get_exception_handler(self) -> Any:
        raise NotImplementedError

    def set_exception_handler(self, handler: Any) -> None:
        raise NotImplementedError

    def default_exception_handler(self, context: dict) -> None:
        raise NotImplementedError

    def call_exception_handler(self, context: dict) -> None:
        raise NotImplementedError

    def get_debug(self) -> bool:
        raise NotImplementedError

    def set_debug(self, enabled: bool) -> None:
        raise NotImplementedError
