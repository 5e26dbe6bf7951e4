"""Subprocesses: a child process, its three pipes, and its exit.

`loop.subprocess_exec(protocol_factory, "cat")` starts the child with
`subprocess.Popen` (which returns at once), then connects each pipe asked
for as a pipe transport (pipes.py): stdin is a write pipe, stdout and
stderr read pipes. Their fds go into the selector like any socket's, so
on the timeline a child's output is a `read fd N` wait.

The exit is one more fd. Linux can hand out a file descriptor for a process
(`os.pidfd_open(pid)`, since Linux 5.3): it becomes readable when the child
exits, so the loop waits for it like for a socket, with no thread and no
signal handler. Where pidfds are missing, a thread blocks in `waitpid()`
and calls back with `call_soon_threadsafe` (asyncio's ThreadedChildWatcher).

The transport tells its protocol `pipe_data_received(fd, data)`,
`pipe_connection_lost(fd, exc)`, `process_exited()`, and, once the child
has exited *and* every pipe is closed, `connection_lost(None)`. Calls that
happen before `connection_made` are queued and replayed after it (why:
asyncio's order; a fast child may print before its pipes are connected).
"""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import threading
import warnings
from collections.abc import Callable
from typing import Any

from .. import capabilities, versions
from ..diagnostics import logger
from ..protocols import BaseProtocol, Protocol, SubprocessTransport

__all__ = ("SubprocessConnections",)


class _UnixSubprocessTransport(SubprocessTransport):
    """A child process and the transports of its pipes (asyncio's BaseSubprocessTransport)."""

    def __init__(self, loop: Any, protocol: Any, args: Any, shell: bool, stdin: Any, stdout: Any, stderr: Any,
                 bufsize: int, waiter: Any = None, extra: dict | None = None, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(extra)
        self._closed = False
        self._protocol = protocol
        self._loop = loop
        self._proc: subprocess.Popen | None = None
        self._pid: int | None = None
        self._returncode: int | None = None
        self._exit_waiters: list | None = []
        self._pending_calls: collections.deque | None = collections.deque()  # until connection_made
        self._pipes: dict[int, Any] = {}  # 0, 1, 2 -> the pipe's protocol (None until connected)
        self._finished = False
        for fd, how in enumerate((stdin, stdout, stderr)):
            if how == subprocess.PIPE:
                self._pipes[fd] = None
        try:
            self._proc = subprocess.Popen(args, shell=shell, stdin=stdin, stdout=stdout, stderr=stderr,
                                          universal_newlines=False, bufsize=bufsize, **kwargs)  # fmt: skip
        except BaseException:
            self.close()
            raise
        self._pid = self._proc.pid
        self._extra["subprocess"] = self._proc
        # The pipes are connected by a task (why: asyncio does so, and the
        # task's name and the turns it takes show in programs).
        loop.create_task(self._connect_pipes(waiter))

    def __repr__(self) -> str:
        info = [type(self).__name__]
        if self._closed:
            info.append("closed")
        if self._pid is not None:
            info.append(f"pid={self._pid}")
        if self._returncode is not None:
            info.append(f"returncode={self._returncode}")
        elif self._pid is not None:
            info.append("running")
        else:
            info.append("not started")
        for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
            proto = self._pipes.get(fd)
            if proto is not None:
                info.append(f"{name}={proto.pipe}")
        return "<{}>".format(" ".join(info))

    def set_protocol(self, protocol: Any) -> None:
        self._protocol = protocol

    def get_protocol(self) -> Any:
        return self._protocol

    def is_closing(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Close the pipes; kill the child if it is still running."""
        if self._closed:
            return
        self._closed = True
        for proto in self._pipes.values():
            if proto is not None:
                proto.pipe.close()
        if self._proc is not None and self._returncode is None and self._proc.poll() is None:
            if self._loop.get_debug():
                logger.warning("Close running child process: kill %r", self)
            try:
                self._proc.kill()
            except (ProcessLookupError, PermissionError):
                pass  # already gone, or setuid

    def __del__(self, _warn: Any = warnings.warn) -> None:
        if not getattr(self, "_closed", True):
            _warn(f"unclosed transport {self!r}", ResourceWarning, source=self)
            self.close()

    def get_pid(self) -> int | None:
        return self._pid

    def get_returncode(self) -> int | None:
        return self._returncode

    def get_pipe_transport(self, fd: int) -> Any:
        proto = self._pipes.get(fd)
        return None if proto is None else proto.pipe

    def _check_proc(self) -> None:
        if self._proc is None:
            raise ProcessLookupError()

    def send_signal(self, signal: int) -> None:
        self._check_proc()
        if not versions.SUBPROCESS_SIGNAL_BY_KILL:
            self._proc.send_signal(signal)
            return
        try:
            os.kill(self._proc.pid, signal)
        except ProcessLookupError:
            pass

    def terminate(self) -> None:
        if versions.SUBPROCESS_SIGNAL_BY_KILL:
            self.send_signal(signal.SIGTERM)
        else:
            self._check_proc()
            self._proc.terminate()

    def kill(self) -> None:
        if versions.SUBPROCESS_SIGNAL_BY_KILL:
            self.send_signal(signal.SIGKILL)
        else:
            self._check_proc()
            self._proc.kill()

    async def _connect_pipes(self, waiter: Any) -> None:
        try:
            proc, loop = self._proc, self._loop
            if proc.stdin is not None:
                _, self._pipes[0] = await loop.connect_write_pipe(lambda: _PipeProto(self, 0), proc.stdin)
            if proc.stdout is not None:
                _, self._pipes[1] = await loop.connect_read_pipe(lambda: _ReadPipeProto(self, 1), proc.stdout)
            if proc.stderr is not None:
                _, self._pipes[2] = await loop.connect_read_pipe(lambda: _ReadPipeProto(self, 2), proc.stderr)
            loop.call_soon(self._protocol.connection_made, self)
            for callback, data in self._pending_calls:
                loop.call_soon(callback, *data)
            self._pending_calls = None
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            if waiter is not None and not waiter.cancelled():
                waiter.set_exception(exc)
        else:
            if waiter is not None and not waiter.cancelled():
                waiter.set_result(None)

    def _call(self, callback: Callable[..., Any], *data: Any) -> None:
        if self._pending_calls is not None:
            self._pending_calls.append((callback, data))  # replayed after connection_made
        else:
            self._loop.call_soon(callback, *data)

    def _pipe_connection_lost(self, fd: int, exc: BaseException | None) -> None:
        self._call(self._protocol.pipe_connection_lost, fd, exc)
        self._try_finish()

    def _pipe_data_received(self, fd: int, data: bytes) -> None:
        self._call(self._protocol.pipe_data_received, fd, data)

    def _process_exited(self, returncode: int) -> None:
        self._returncode = returncode
        if self._proc.returncode is None:
            self._proc.returncode = returncode  # so Popen does not try to reap it again
        self._call(self._protocol.process_exited)
        self._try_finish()

    async def _wait(self) -> int:
        """Wait until the child exited and its pipes closed; return its exit code."""
        if self._returncode is not None:
            return self._returncode
        waiter = self._loop.create_future()
        waiter._label = f"process {self._pid} exit"
        self._exit_waiters.append(waiter)
        return await waiter

    def _try_finish(self) -> None:
        if self._returncode is None:
            return
        if all(p is not None and p.disconnected for p in self._pipes.values()):
            self._finished = True
            self._call(self._call_connection_lost, None)

    def _call_connection_lost(self, exc: BaseException | None) -> None:
        try:
            self._protocol.connection_lost(exc)
        finally:
            for waiter in self._exit_waiters:  # wake wait()
                if not waiter.cancelled():
                    waiter.set_result(self._returncode)
            self._exit_waiters = None
            self._loop = self._proc = self._protocol = None


class _PipeProto(BaseProtocol):
    """The protocol of one of the child's pipes: forwards to the subprocess transport."""

    def __init__(self, proc: _UnixSubprocessTransport, fd: int) -> None:
        self.proc: Any = proc
        self.fd = fd
        self.pipe: Any = None
        self.disconnected = False

    def __repr__(self) -> str:
        return f"<{type(self).__name__} fd={self.fd} pipe={self.pipe!r}>"

    def connection_made(self, transport: Any) -> None:
        self.pipe = transport

    def connection_lost(self, exc: BaseException | None) -> None:
        self.disconnected = True
        self.proc._pipe_connection_lost(self.fd, exc)
        self.proc = None

    def pause_writing(self) -> None:
        self.proc._protocol.pause_writing()

    def resume_writing(self) -> None:
        self.proc._protocol.resume_writing()


class _ReadPipeProto(_PipeProto, Protocol):
    def data_received(self, data: bytes) -> None:
        self.proc._pipe_data_received(self.fd, data)


class SubprocessConnections:
    """Mixin of EventLoop: subprocess_exec, subprocess_shell and the child's exit."""

    async def subprocess_shell(
        self, protocol_factory: Callable[[], Any], cmd: str | bytes, *, stdin: Any = subprocess.PIPE,
        stdout: Any = subprocess.PIPE, stderr: Any = subprocess.PIPE, universal_newlines: bool = False,
        shell: bool = True, bufsize: int = 0, encoding: Any = None, errors: Any = None, text: Any = None,
        **kwargs: Any,
    ) -> tuple[Any, Any]:  # fmt: skip
        """Run cmd through the shell; return (transport, protocol)."""
        if not isinstance(cmd, (bytes, str)):
            raise ValueError("cmd must be a string")
        if universal_newlines:
            raise ValueError("universal_newlines must be False")
        if not shell:
            raise ValueError("shell must be True")
        _check_bytes_mode(universal_newlines, bufsize, text, encoding, errors)
        protocol = protocol_factory()
        transport = await self._make_subprocess_transport(protocol, cmd, True, stdin, stdout, stderr, bufsize, **kwargs)
        return transport, protocol

    async def subprocess_exec(
        self, protocol_factory: Callable[[], Any], program: Any, *args: Any, stdin: Any = subprocess.PIPE,
        stdout: Any = subprocess.PIPE, stderr: Any = subprocess.PIPE, universal_newlines: bool = False,
        shell: bool = False, bufsize: int = 0, encoding: Any = None, errors: Any = None, text: Any = None,
        **kwargs: Any,
    ) -> tuple[Any, Any]:  # fmt: skip
        """Run program with args (no shell); return (transport, protocol)."""
        if universal_newlines:
            raise ValueError("universal_newlines must be False")
        if shell:
            raise ValueError("shell must be False")
        _check_bytes_mode(False, bufsize, text, encoding, errors)
        protocol = protocol_factory()
        popen_args = (program, *args)
        transport = await self._make_subprocess_transport(
            protocol, popen_args, False, stdin, stdout, stderr, bufsize, **kwargs
        )
        return transport, protocol

    async def _make_subprocess_transport(self, protocol: Any, args: Any, shell: bool, stdin: Any, stdout: Any,
                                         stderr: Any, bufsize: int, extra: Any = None, **kwargs: Any) -> Any:  # fmt: skip
        capabilities.require_processes("a subprocess (create_subprocess_exec/shell)")
        waiter = self.create_future()
        waiter._label = "subprocess pipes"
        transport = _UnixSubprocessTransport(self, protocol, args, shell, stdin, stdout, stderr, bufsize,
                                             waiter=waiter, extra=extra, **kwargs)  # fmt: skip
        self._watch_child(transport.get_pid(), transport)
        try:
            await waiter
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException:
            transport.close()
            await transport._wait()
            raise
        return transport

    def _watch_child(self, pid: int, transport: _UnixSubprocessTransport) -> None:
        """Learn of the child's exit: a pidfd in the selector, else a thread in waitpid()."""
        try:
            pidfd = os.pidfd_open(pid)
        except (AttributeError, OSError):  # no pidfd_open (old kernel, other OS)
            thread = threading.Thread(target=self._wait_child_in_thread, args=(pid, transport),
                                      name=f"waitpid-{pid}", daemon=True)  # fmt: skip
            thread.start()
            return
        self._pidfds()[pidfd] = pid
        self._add_reader(pidfd, self._pidfd_ready, pid, pidfd, transport)

    def _pidfds(self) -> dict[int, int]:
        """pidfd -> pid of the children still watched (closed with the loop if they outlive it)."""
        pidfds = self.__dict__.get("_child_pidfds")
        if pidfds is None:
            pidfds = self._child_pidfds = {}
        return pidfds

    def _pidfd_ready(self, pid: int, pidfd: int, transport: _UnixSubprocessTransport) -> None:
        """The pidfd is readable: the child exited. Reap it (it cannot block now)."""
        self._remove_reader(pidfd)
        del self._pidfds()[pidfd]
        os.close(pidfd)
        self._child_exited(pid, _reap(pid), transport)

    def _close_selector(self) -> None:
        for pidfd in self._pidfds():
            os.close(pidfd)  # a child still running when the loop closes: its pidfd must not leak
        self._pidfds().clear()
        super()._close_selector()

    def _wait_child_in_thread(self, pid: int, transport: _UnixSubprocessTransport) -> None:
        returncode = _reap(pid)
        if not self.is_closed():
            self.call_soon_threadsafe(transport._process_exited, returncode)

    def _child_exited(self, pid: int, returncode: int, transport: _UnixSubprocessTransport) -> None:
        # One more turn, as asyncio's watcher callback does (call_soon_threadsafe).
        self.call_soon(transport._process_exited, returncode)


def _reap(pid: int) -> int:
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        logger.warning("child process pid %d exit status already read: will report returncode 255", pid)
        return 255
    return os.waitstatus_to_exitcode(status)


def _check_bytes_mode(universal_newlines: bool, bufsize: int, text: Any, encoding: Any, errors: Any) -> None:
    """asyncio's pipes carry bytes, unbuffered: refuse the text-mode arguments, with its messages."""
    if universal_newlines:
        raise ValueError("universal_newlines must be False")
    if bufsize != 0:
        raise ValueError("bufsize must be 0")
    if text:
        raise ValueError("text must be False")
    if encoding is not None:
        raise ValueError("encoding must be None")
    if errors is not None:
        raise ValueError("errors must be None")
