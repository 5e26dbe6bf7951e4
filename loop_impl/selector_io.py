"""Waiting on file descriptors: the selector half of the loop.

`add_reader(fd, callback)` means "when fd is readable, queue callback". The
loop keeps one selector (epoll on Linux) with, for each fd, a pair
(reader Handle, writer Handle). `_poll_selector(timeout)` is the only place
the loop ever sleeps.

The `sock_*` coroutines are built on that: try the non-blocking call first;
if it would block, register a callback that retries it when the fd is
ready, and await a future that callback resolves.

The loop may also own a socketpair, the "self-pipe": another thread that
calls `call_soon_threadsafe` writes a byte into it, which wakes `select()`.
It is made only when the loop is about to block while another thread exists
(see `_make_self_pipe`), so a loop that never meets a thread never opens a
socket: that is what lets it run where there are none (Pyodide in a browser).
"""

from __future__ import annotations

import functools
import selectors
import socket
import threading
import weakref
from collections.abc import Callable
from typing import Any

from . import capabilities
from .futures import Future
from .handles import Handle

__all__ = ("SelectorIO",)

EVENT_READ = selectors.EVENT_READ
EVENT_WRITE = selectors.EVENT_WRITE


class SelectorIO:
    """Mixin of EventLoop: the selector, fd callbacks and socket coroutines."""

    _selector: selectors.BaseSelector
    _user_fds: int  # fds watched for the program (the self-pipe not counted)

    def _init_selector(self, selector: selectors.BaseSelector | None = None) -> None:
        # asyncio's SelectorEventLoop(selector): any selectors.BaseSelector will do.
        self._selector = selectors.DefaultSelector() if selector is None else selector
        self._user_fds = 0
        self._transports: weakref.WeakValueDictionary = weakref.WeakValueDictionary()  # fd -> its transport
        self._ssock: socket.socket | None = None
        self._csock: socket.socket | None = None
        self._ssock_fd = -1

    def _make_self_pipe(self) -> None:
        """Make the socketpair another thread writes into to wake select().

        Called before each blocking select() while other threads are alive
        (why then, not in __init__: only another thread can need it, a thread
        can only appear while the loop runs code, and a Python without
        sockets, Pyodide, could not make one at all).
        """
        self._ssock, self._csock = socket.socketpair()
        self._ssock.setblocking(False)
        self._csock.setblocking(False)
        self._ssock_fd = self._ssock.fileno()
        self._selector.register(self._ssock_fd, EVENT_READ, None)

    def _close_selector(self) -> None:
        if self._selector is not None:
            self._selector.close()
            self._selector = None
        for sock in (self._ssock, self._csock):
            if sock is not None:
                sock.close()
        self._ssock = self._csock = None
        self._ssock_fd = -1
        self._user_fds = 0

    def _poll_selector(self, timeout: float | None, *, record: bool = True) -> list[tuple[int, int]]:
        """select(timeout), then queue each ready fd's callback. Returns the ready (fd, mask)s."""
        if timeout != 0 and self._ssock is None:
            if threading.active_count() > 1:
                self._make_self_pipe()  # we may block, and another thread may call in
            if self._ready:
                timeout = 0  # a thread (maybe ended since) queued work before a pipe could wake us
        rec = self._recorder
        if rec is not None and record:
            rec.select_enter(timeout, self._user_fds)
        event_list = self._selector.select(timeout)
        ssock_fd = self._ssock_fd
        ready_fds = []
        for key, mask in event_list:
            if key.fd == ssock_fd:
                self._drain_self_pipe()
                continue
            reader, writer = key.data
            ready_fds.append((key.fd, mask))
            # Readers before writers, fds in the selector's order (as asyncio).
            if mask & EVENT_READ and reader is not None:
                if reader._cancelled:
                    self._remove_reader(key.fd)
                else:
                    self._ready.append(reader)
                    if rec is not None:
                        rec.io_ready(key.fd, EVENT_READ)
            if mask & EVENT_WRITE and writer is not None:
                if writer._cancelled:
                    self._remove_writer(key.fd)
                else:
                    self._ready.append(writer)
                    if rec is not None:
                        rec.io_ready(key.fd, EVENT_WRITE)
        if rec is not None and record:
            rec.select_leave(ready_fds)
        return ready_fds

    def _drain_self_pipe(self) -> None:
        while True:
            try:
                data = self._ssock.recv(4096)
            except InterruptedError:
                continue
            except BlockingIOError:
                break
            if not data:
                break
            self._process_self_data(data)  # signal numbers, if any (transports/signals.py)

    def _process_self_data(self, data: bytes) -> None:
        """What the self-pipe carried: only wake-up bytes here (signals.py reads signal numbers)."""

    # -- fd callbacks ----------------------------------------------------
    def add_reader(self, fd: Any, callback: Callable[..., Any], *args: Any) -> None:
        """Queue callback(*args) each time fd is readable, until remove_reader(fd)."""
        self._ensure_fd_no_transport(fd)
        self._check_closed()
        self._add_reader(fd, callback, *args)

    def add_writer(self, fd: Any, callback: Callable[..., Any], *args: Any) -> None:
        """Queue callback(*args) each time fd is writable, until remove_writer(fd)."""
        self._ensure_fd_no_transport(fd)
        self._check_closed()
        self._add_writer(fd, callback, *args)

    def remove_reader(self, fd: Any) -> bool:
        self._ensure_fd_no_transport(fd)
        return self._remove_reader(fd)

    def remove_writer(self, fd: Any) -> bool:
        self._ensure_fd_no_transport(fd)
        return self._remove_writer(fd)

    def _ensure_fd_no_transport(self, fd: Any) -> None:
        """An fd a transport owns is not yours to watch (why: two callbacks would fight over its bytes)."""
        transport = self._transports.get(_fileno(fd))
        if transport is not None and not transport.is_closing():
            raise RuntimeError(f"File descriptor {fd!r} is used by transport {transport!r}")

    def _add_reader(self, fd: Any, callback: Callable[..., Any], *args: Any) -> Handle:
        return self._add_handler(fd, EVENT_READ, Handle(callback, args, self, None))

    def _add_writer(self, fd: Any, callback: Callable[..., Any], *args: Any) -> Handle:
        return self._add_handler(fd, EVENT_WRITE, Handle(callback, args, self, None))

    def _add_handler(self, fd: Any, event: int, handle: Handle) -> Handle:
        fd = _fileno(fd)
        try:
            key = self._selector.get_key(fd)
        except KeyError:
            data = (handle, None) if event == EVENT_READ else (None, handle)
            self._selector.register(fd, event, data)
            self._user_fds += 1
            self._trace_fd(fd, event)
            return handle
        reader, writer = key.data
        old = reader if event == EVENT_READ else writer
        data = (handle, writer) if event == EVENT_READ else (reader, handle)
        self._selector.modify(fd, key.events | event, data)
        self._trace_fd(fd, key.events | event)
        if old is not None:
            old.cancel()
        return handle

    def _remove_reader(self, fd: Any) -> bool:
        return self._remove_handler(fd, EVENT_READ)

    def _remove_writer(self, fd: Any) -> bool:
        return self._remove_handler(fd, EVENT_WRITE)

    def _remove_handler(self, fd: Any, event: int) -> bool:
        if self.is_closed():
            return False
        fd = _fileno(fd)
        try:
            key = self._selector.get_key(fd)
        except KeyError:
            return False
        reader, writer = key.data
        mask = key.events & ~event
        if not mask:
            self._selector.unregister(fd)
            self._user_fds -= 1
        else:
            data = (None, writer) if event == EVENT_READ else (reader, None)
            self._selector.modify(fd, mask, data)
        self._trace_fd(fd, mask)
        old = reader if event == EVENT_READ else writer
        if old is not None:
            old.cancel()
            return True
        return False

    def _trace_fd(self, fd: int, mask: int) -> None:
        rec = self._recorder
        if rec is not None:
            rec.fd_watch(fd, mask)

    # -- socket coroutines -------------------------------------------------
    async def sock_recv(self, sock: socket.socket, n: int) -> bytes:
        """Receive up to n bytes, waiting (without blocking the loop) for data.

        (`n`, as asyncio's selector loop names it; only its abstract
        interface says `nbytes`, and a program calling `sock_recv(s, nbytes=1)`
        fails on the real loop.)
        """
        return await self._sock_read(sock, sock.recv, n)

    async def sock_recv_into(self, sock: socket.socket, buf: Any) -> int:
        """Receive into buf, waiting (without blocking the loop) for data."""
        return await self._sock_read(sock, sock.recv_into, buf)

    async def _sock_read(self, sock: socket.socket, read: Callable[[Any], Any], arg: Any) -> Any:
        self._check_socket(sock)
        try:
            return read(arg)  # data may be there already: no need to wait
        except (BlockingIOError, InterruptedError):
            pass
        fd = sock.fileno()
        self._ensure_fd_no_transport(fd)
        fut = self._fd_future(f"read fd {fd}")
        handle = self._add_reader(fd, self._sock_read_ready, fut, read, arg)
        fut.add_done_callback(functools.partial(self._sock_read_done, fd, handle=handle))
        return await fut

    def _sock_read_ready(self, fut: Future, read: Callable[[Any], Any], arg: Any) -> None:
        if fut.done():
            return
        try:
            data = read(arg)
        except (BlockingIOError, InterruptedError):
            return  # spurious wakeup: stay registered
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            fut.set_exception(exc)
        else:
            fut.set_result(data)

    def _sock_read_done(self, fd: int, fut: Future, handle: Handle | None = None) -> None:
        if handle is None or not handle.cancelled():
            self.remove_reader(fd)

    def _sock_write_done(self, fd: int, fut: Future, handle: Handle | None = None) -> None:
        if handle is None or not handle.cancelled():
            self.remove_writer(fd)

    async def sock_sendall(self, sock: socket.socket, data: bytes) -> None:
        """Send all of data, waiting for the socket to drain when it is full."""
        self._check_socket(sock)
        try:
            n = sock.send(data)
        except (BlockingIOError, InterruptedError):
            n = 0
        if n == len(data):
            return
        fut = self._fd_future(f"write fd {sock.fileno()}")
        fd = sock.fileno()
        self._ensure_fd_no_transport(fd)
        pos = [n]
        handle = self._add_writer(fd, self._sock_sendall, fut, sock, memoryview(data), pos)
        fut.add_done_callback(functools.partial(self._sock_write_done, fd, handle=handle))
        return await fut

    def _sock_sendall(self, fut: Future, sock: socket.socket, view: memoryview, pos: list) -> None:
        if fut.done():
            return
        start = pos[0]
        try:
            n = sock.send(view[start:])
        except (BlockingIOError, InterruptedError):
            return
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            fut.set_exception(exc)
            return
        start += n
        if start == len(view):
            fut.set_result(None)
        else:
            pos[0] = start

    async def sock_connect(self, sock: socket.socket, address: Any) -> None:
        """Connect a non-blocking socket, waiting until it is writable."""
        self._check_socket(sock)
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            infos = await self.getaddrinfo(*address[:2], family=sock.family, type=sock.type, proto=sock.proto)
            address = infos[0][4]
        fut = self._fd_future(f"connect fd {sock.fileno()}")
        try:
            sock.connect(address)
        except (BlockingIOError, InterruptedError):
            fd = sock.fileno()
            self._ensure_fd_no_transport(fd)
            handle = self._add_writer(fd, self._sock_connect_cb, fut, sock, address)
            fut.add_done_callback(functools.partial(self._sock_write_done, fd, handle=handle))
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            fut.set_exception(exc)
        else:
            fut.set_result(None)
        try:
            return await fut
        finally:
            fut = None  # break the cycle through the traceback

    def _sock_connect_cb(self, fut: Future, sock: socket.socket, address: Any) -> None:
        if fut.done():
            return
        try:
            err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err != 0:
                raise OSError(err, f"Connect call failed {address}")
        except (BlockingIOError, InterruptedError):
            pass
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            fut.set_exception(exc)
        else:
            fut.set_result(None)

    async def sock_accept(self, sock: socket.socket) -> tuple[socket.socket, Any]:
        """Accept a connection; the new socket is non-blocking."""
        self._check_socket(sock)
        fut = self._fd_future(f"accept fd {sock.fileno()}")
        self._sock_accept(fut, sock)
        return await fut

    def _sock_accept(self, fut: Future, sock: socket.socket) -> None:
        fd = sock.fileno()
        try:
            conn, address = sock.accept()
            conn.setblocking(False)
        except (BlockingIOError, InterruptedError):
            self._ensure_fd_no_transport(fd)
            handle = self._add_reader(fd, self._sock_accept, fut, sock)
            fut.add_done_callback(functools.partial(self._sock_read_done, fd, handle=handle))
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            fut.set_exception(exc)
        else:
            fut.set_result((conn, address))

    async def getaddrinfo(
        self, host: Any, port: Any, *, family: int = 0, type: int = 0, proto: int = 0, flags: int = 0
    ) -> list:
        """Resolve an address. Numeric hosts are resolved inline; names in a thread."""
        try:
            return socket.getaddrinfo(host, port, family, type, proto, flags | socket.AI_NUMERICHOST)
        except socket.gaierror:
            pass
        return await self.run_in_executor(None, socket.getaddrinfo, host, port, family, type, proto, flags)

    async def getnameinfo(self, sockaddr: tuple, flags: int = 0) -> tuple[str, str]:
        """The host and port names of an address (in a thread: it may ask DNS)."""
        return await self.run_in_executor(None, socket.getnameinfo, sockaddr, flags)

    def _check_socket(self, sock: socket.socket) -> None:
        capabilities.require_sockets("a socket operation (loop.sock_*)")
        # Only in debug mode, as asyncio (why: a blocking socket that happens to
        # be ready works there; the blocking-step report catches one that is not).
        if self._debug:
            _check_nonblocking(sock)

    def _fd_future(self, label: str) -> Future:
        fut = self.create_future()
        fut._label = label
        return fut


def _fileno(fileobj: Any) -> int:
    if isinstance(fileobj, int):
        fd = fileobj
    else:
        try:
            fd = int(fileobj.fileno())
        except (AttributeError, TypeError, ValueError):
            raise ValueError(f"Invalid file object: {fileobj!r}") from None
    if fd < 0:
        raise ValueError(f"Invalid file descriptor: {fd}")
    return fd


def _check_nonblocking(sock: socket.socket) -> None:
    if sock.gettimeout() != 0:
        raise ValueError("the socket must be non-blocking")
