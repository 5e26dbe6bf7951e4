"""sendfile: copy a file to a socket without passing it through Python.

`os.sendfile(sock_fd, file_fd, offset, count)` asks the kernel to copy
straight from the page cache to the socket: no bytes object, no user-space
buffer. On a non-blocking socket it sends what fits and returns; the loop
then waits for the socket to be writable (`write fd N` on the timeline) and
goes on from the new offset.

When the kernel cannot (a file that is not a regular file, a TLS
transport that must encrypt every byte), `SendfileNotAvailableError` is
raised, and with `fallback=True` (the default) the loop copies the slow way
instead: read a block (in a thread: file reads block), send it, repeat.

* `loop.sock_sendfile(sock, file)`: on a raw socket.
* `loop.sendfile(transport, file)`: on a transport. Its write buffer is
  drained first and reading paused, so the file's bytes do not overtake
  what was written before (why: the peer must get them in order).
"""

from __future__ import annotations

import io
import os
import socket
from typing import Any

from ..exceptions import SendfileNotAvailableError
from ..protocols import Protocol

__all__ = ("SendfileServices",)

FALLBACK_BLOCK = 256 * 1024  # bytes read and sent per round in the fallback (asyncio's)


class SendfileServices:
    """Mixin of EventLoop: sock_sendfile and sendfile."""

    async def sock_sendfile(self, sock: socket.socket, file: Any, offset: int = 0, count: int | None = None, *,
                            fallback: bool = True) -> int:  # fmt: skip
        """Send file (from offset, count bytes or to its end) on sock; return the bytes sent."""
        if self._debug and sock.gettimeout() != 0:
            raise ValueError("the socket must be non-blocking")
        if type(sock).__name__ == "SSLSocket":
            raise TypeError("Socket cannot be of type SSLSocket")
        _check_sendfile_params(sock, file, offset, count)
        try:
            return await self._sock_sendfile_native(sock, file, offset, count)
        except SendfileNotAvailableError:
            if not fallback:
                raise
        return await self._sock_sendfile_fallback(sock, file, offset, count)

    async def _sock_sendfile_native(self, sock: socket.socket, file: Any, offset: int, count: int | None) -> int:
        try:
            fileno = file.fileno()
        except (AttributeError, io.UnsupportedOperation):
            raise SendfileNotAvailableError("not a regular file")
        try:
            fsize = os.fstat(fileno).st_size
        except OSError:
            raise SendfileNotAvailableError("not a regular file")
        blocksize = count if count else fsize
        if not blocksize:
            return 0  # an empty file: nothing to send
        total_sent = 0
        try:
            while True:
                want = min(count - total_sent, blocksize) if count else blocksize
                if want <= 0:
                    return total_sent
                try:
                    sent = os.sendfile(sock.fileno(), fileno, offset + total_sent, want)
                except (BlockingIOError, InterruptedError):
                    await self._wait_writable(sock)
                    continue
                except OSError as exc:
                    if total_sent == 0 and _not_supported(exc):
                        raise SendfileNotAvailableError("os.sendfile call failed") from exc
                    raise
                if sent == 0:
                    return total_sent  # end of file
                total_sent += sent
        finally:
            if total_sent > 0:
                os.lseek(fileno, offset + total_sent, os.SEEK_SET)  # the file position moves, as with read()

    async def _wait_writable(self, sock: socket.socket) -> None:
        fd = sock.fileno()
        fut = self._fd_future(f"write fd {fd}")
        self._add_writer(fd, _resolve, fut)
        try:
            await fut
        finally:
            self._remove_writer(fd)

    async def _sock_sendfile_fallback(self, sock: socket.socket, file: Any, offset: int, count: int | None) -> int:
        if offset:
            file.seek(offset)
        blocksize = min(count, FALLBACK_BLOCK) if count else FALLBACK_BLOCK
        buf = bytearray(blocksize)
        total_sent = 0
        try:
            while True:
                if count:
                    blocksize = min(count - total_sent, blocksize)
                    if blocksize <= 0:
                        break
                view = memoryview(buf)[:blocksize]
                read = await self.run_in_executor(None, file.readinto, view)
                if not read:
                    break
                await self.sock_sendall(sock, view[:read])
                total_sent += read
            return total_sent
        finally:
            if total_sent > 0 and hasattr(file, "seek"):
                file.seek(offset + total_sent)

    async def sendfile(self, transport: Any, file: Any, offset: int = 0, count: int | None = None, *,
                       fallback: bool = True) -> int:  # fmt: skip
        """Send file on a transport; return the bytes sent."""
        if transport.is_closing():
            raise RuntimeError("Transport is closing")
        mode = getattr(transport, "_sendfile_compatible", None)  # "native", "fallback" or None
        if mode is None:
            raise RuntimeError(f"sendfile is not supported for transport {transport!r}")
        if mode == "native":
            try:
                return await self._sendfile_native(transport, file, offset, count)
            except SendfileNotAvailableError:
                if not fallback:
                    raise
        if not fallback:
            raise RuntimeError(f"fallback is disabled and native sendfile is not supported for transport {transport!r}")
        return await self._sendfile_fallback(transport, file, offset, count)

    async def _sendfile_native(self, transport: Any, file: Any, offset: int, count: int | None) -> int:
        resume_reading = transport.is_reading()
        transport.pause_reading()
        await transport._make_empty_waiter()  # what was written before goes first
        try:
            return await self.sock_sendfile(transport._sock, file, offset, count, fallback=False)
        finally:
            transport._reset_empty_waiter()
            if resume_reading:
                transport.resume_reading()

    async def _sendfile_fallback(self, transport: Any, file: Any, offset: int, count: int | None) -> int:
        if offset:
            file.seek(offset)
        blocksize = min(count, FALLBACK_BLOCK) if count else FALLBACK_BLOCK
        buf = bytearray(blocksize)
        total_sent = 0
        proto = _SendfileFallbackProtocol(transport)
        try:
            while True:
                if count:
                    blocksize = min(count - total_sent, blocksize)
                    if blocksize <= 0:
                        return total_sent
                view = memoryview(buf)[:blocksize]
                read = await self.run_in_executor(None, file.readinto, view)
                if not read:
                    return total_sent
                await proto.drain()
                transport.write(view[:read])
                total_sent += read
        finally:
            if total_sent > 0 and hasattr(file, "seek"):
                file.seek(offset + total_sent)
            await proto.restore()


class _SendfileFallbackProtocol(Protocol):
    """Stands in for the transport's protocol while the fallback writes: it only waits for drains."""

    def __init__(self, transport: Any) -> None:
        self._transport = transport
        self._proto = transport.get_protocol()
        self._should_resume_reading = transport.is_reading()
        self._should_resume_writing = getattr(transport, "_protocol_paused", False)
        transport.pause_reading()
        transport.set_protocol(self)
        loop = transport._loop
        self._write_ready_fut = loop.create_future() if self._should_resume_writing else None

    async def drain(self) -> None:
        if self._transport.is_closing():
            raise ConnectionError("Connection closed by peer")
        fut = self._write_ready_fut
        if fut is not None:
            await fut

    def connection_made(self, transport: Any) -> None:
        raise RuntimeError("Invalid state: connection should have been established already.")

    def connection_lost(self, exc: BaseException | None) -> None:
        fut = self._write_ready_fut
        if fut is not None:
            fut.set_exception(ConnectionError("Connection is closed by peer") if exc is None else exc)
        self._proto.connection_lost(exc)

    def pause_writing(self) -> None:
        if self._write_ready_fut is None:
            self._write_ready_fut = self._transport._loop.create_future()

    def resume_writing(self) -> None:
        if self._write_ready_fut is not None:
            self._write_ready_fut.set_result(False)
            self._write_ready_fut = None

    def data_received(self, data: bytes) -> None:
        raise RuntimeError("Invalid state: reading should be paused")

    def eof_received(self) -> None:
        raise RuntimeError("Invalid state: reading should be paused")

    async def restore(self) -> None:
        self._transport.set_protocol(self._proto)
        if self._should_resume_reading:
            self._transport.resume_reading()
        if self._write_ready_fut is not None:
            self._write_ready_fut.cancel()  # the transport closed meanwhile
        if self._should_resume_writing:
            self._proto.resume_writing()


def _check_sendfile_params(sock: socket.socket, file: Any, offset: int, count: int | None) -> None:
    if "b" not in getattr(file, "mode", "b"):
        raise ValueError("file should be opened in binary mode")
    if not sock.type == socket.SOCK_STREAM:
        raise ValueError("only SOCK_STREAM type sockets are supported")
    if count is not None:
        if not isinstance(count, int):
            raise TypeError(f"count must be a positive integer (got {count!r})")
        if count <= 0:
            raise ValueError(f"count must be a positive integer (got {count!r})")
    if not isinstance(offset, int):
        raise TypeError(f"offset must be a non-negative integer (got {offset!r})")
    if offset < 0:
        raise ValueError(f"offset must be a non-negative integer (got {offset!r})")


def _not_supported(exc: OSError) -> bool:
    import errno

    return exc.errno in (errno.ENOTSOCK, errno.ENOTSUP, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOSYS)


def _resolve(fut: Any) -> None:
    if not fut.done():
        fut.set_result(None)
