"""Subprocesses as streams: `create_subprocess_exec`, `Process` (asyncio.subprocess).

    proc = await asyncio.create_subprocess_exec("cat", stdin=PIPE, stdout=PIPE)
    out, _ = await proc.communicate(b"hello")

The loop starts the child and connects its pipes (transports/subprocess.py).
This module turns the pipes into the streams you already know:
`proc.stdout` and `proc.stderr` are `StreamReader`s, `proc.stdin` a
`StreamWriter`; `SubprocessStreamProtocol` feeds them, as
`StreamReaderProtocol` does for a socket. `communicate()` writes, reads
both outputs and waits for the exit at the same time (a gather), so a
child that fills one pipe while we wait on the other cannot deadlock.
"""

from __future__ import annotations

import subprocess
from typing import Any

from . import events, versions
from .gathering import gather
from .protocols import SubprocessProtocol
from .stream_reader import _DEFAULT_LIMIT, StreamReader
from .streams import FlowControlMixin, StreamWriter

__all__ = ("create_subprocess_exec", "create_subprocess_shell", "Process", "PIPE", "STDOUT", "DEVNULL")

PIPE = subprocess.PIPE
STDOUT = subprocess.STDOUT
DEVNULL = subprocess.DEVNULL


class SubprocessStreamProtocol(FlowControlMixin, SubprocessProtocol):
    """Feeds the child's stdout/stderr into StreamReaders; its stdin is a StreamWriter."""

    def __init__(self, limit: int, loop: Any) -> None:
        super().__init__(loop=loop)
        self._limit = limit
        self.stdin: StreamWriter | None = None
        self.stdout: StreamReader | None = None
        self.stderr: StreamReader | None = None
        self._transport: Any = None
        self._process_exited = False
        self._pipe_fds: list[int] = []  # output pipes still open
        self._stdin_closed = self._loop.create_future()
        self._stdin_closed._label = "stdin closed"

    def __repr__(self) -> str:
        info = [type(self).__name__]
        for name in ("stdin", "stdout", "stderr"):
            if getattr(self, name) is not None:
                info.append(f"{name}={getattr(self, name)!r}")
        return "<{}>".format(" ".join(info))

    def connection_made(self, transport: Any) -> None:
        self._transport = transport
        for fd in (1, 2):
            pipe = transport.get_pipe_transport(fd)
            if pipe is not None:
                reader = StreamReader(limit=self._limit, loop=self._loop)
                reader.set_transport(pipe)
                setattr(self, "stdout" if fd == 1 else "stderr", reader)
                self._pipe_fds.append(fd)
        stdin = transport.get_pipe_transport(0)
        if stdin is not None:
            self._drain_label = f"drain fd {stdin._fileno}"
            self.stdin = StreamWriter(stdin, protocol=self, reader=None, loop=self._loop)

    def pipe_data_received(self, fd: int, data: bytes) -> None:
        reader = self.stdout if fd == 1 else self.stderr if fd == 2 else None
        if reader is not None:
            reader.feed_data(data)

    def pipe_connection_lost(self, fd: int, exc: BaseException | None) -> None:
        if fd == 0:
            if self.stdin is not None:
                self.stdin.close()
            self.connection_lost(exc)
            if exc is None:
                self._stdin_closed.set_result(None)
            else:
                self._stdin_closed.set_exception(exc)
                self._stdin_closed._log_traceback = False  # wait_closed() is optional: don't log it
            return
        reader = self.stdout if fd == 1 else self.stderr if fd == 2 else None
        if reader is not None:
            if exc is None:
                reader.feed_eof()
            else:
                reader.set_exception(exc)
        if fd in self._pipe_fds:
            self._pipe_fds.remove(fd)
        self._maybe_close_transport()

    def process_exited(self) -> None:
        self._process_exited = True
        self._maybe_close_transport()

    def _maybe_close_transport(self) -> None:
        # Close only when the child exited *and* its output is all read
        # (why: closing earlier would drop output still in the pipes).
        if not self._pipe_fds and self._process_exited:
            self._transport.close()
            self._transport = None

    def _get_close_waiter(self, stream: Any) -> Any:
        if stream is self.stdin:
            return self._stdin_closed


class Process:
    """A running child: its pid, its streams, and a way to wait for it."""

    def __init__(self, transport: Any, protocol: SubprocessStreamProtocol, loop: Any) -> None:
        self._transport = transport
        self._protocol = protocol
        self._loop = loop
        self.stdin = protocol.stdin
        self.stdout = protocol.stdout
        self.stderr = protocol.stderr
        self.pid = transport.get_pid()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.pid}>"

    @property
    def returncode(self) -> int | None:
        """The exit code once the child exited (negative: killed by that signal), else None."""
        return self._transport.get_returncode()

    async def wait(self) -> int:
        """Wait until the child exits; return its exit code."""
        return await self._transport._wait()

    def send_signal(self, signal: int) -> None:
        self._transport.send_signal(signal)

    def terminate(self) -> None:
        self._transport.terminate()

    def kill(self) -> None:
        self._transport.kill()

    async def _feed_stdin(self, input: bytes | None) -> None:
        try:
            if input is not None:
                self.stdin.write(input)
            await self.stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the child exited without reading it all: not our error (as subprocess.communicate)
        self.stdin.close()

    async def _noop(self) -> None:
        return None

    async def _read_stream(self, fd: int) -> bytes:
        transport = self._transport.get_pipe_transport(fd)
        stream = self.stderr if fd == 2 else self.stdout
        output = await stream.read()
        transport.close()
        return output

    async def communicate(self, input: bytes | None = None) -> tuple[bytes | None, bytes | None]:
        """Send input, read stdout and stderr to their end, wait for the exit: all at once."""
        feeds_stdin = self.stdin is not None if versions.COMMUNICATE_CLOSES_STDIN else input is not None
        stdin = self._feed_stdin(input) if feeds_stdin else self._noop()
        stdout = self._read_stream(1) if self.stdout is not None else self._noop()
        stderr = self._read_stream(2) if self.stderr is not None else self._noop()
        stdin, stdout, stderr = await gather(stdin, stdout, stderr)
        await self.wait()
        return (stdout, stderr)


async def create_subprocess_shell(cmd: str | bytes, stdin: Any = None, stdout: Any = None, stderr: Any = None,
                                  limit: int = _DEFAULT_LIMIT, **kwds: Any) -> Process:  # fmt: skip
    """Run cmd through the shell; return a Process."""
    loop = events.get_running_loop()
    transport, protocol = await loop.subprocess_shell(
        lambda: SubprocessStreamProtocol(limit=limit, loop=loop), cmd, stdin=stdin, stdout=stdout, stderr=stderr,
        **kwds,
    )  # fmt: skip
    return Process(transport, protocol, loop)


async def create_subprocess_exec(program: Any, *args: Any, stdin: Any = None, stdout: Any = None, stderr: Any = None,
                                 limit: int = _DEFAULT_LIMIT, **kwds: Any) -> Process:  # fmt: skip
    """Run program with args (no shell); return a Process."""
    loop = events.get_running_loop()
    transport, protocol = await loop.subprocess_exec(
        lambda: SubprocessStreamProtocol(limit=limit, loop=loop), program, *args, stdin=stdin, stdout=stdout,
        stderr=stderr, **kwds,
    )  # fmt: skip
    return Process(transport, protocol, loop)
