"""What the differential programs (tests/programs/transport_*.py) cannot show: loop_impl's own side.

* the transports' fds are in the loop's selector, so a traced run shows them
  (the timeline's `read fd N` waits and the state panel's selector list);
* a child's exit is a pidfd in that selector, or, without pidfds, a thread;
* a closed loop gives the process's signals back;
* TLS stays out of `import loop_impl`.
"""

from __future__ import annotations

import os
import signal
import sys

import pytest

import loop_impl
import loop_magic
from loop_magic.layout import build_layout

SUBPROCESS_CELL = """
import asyncio
proc = await asyncio.create_subprocess_exec("cat", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
out, err = await proc.communicate(b"hello through the pipes")
print(out, proc.returncode, proc.pid)
"""


def _frames(result):
    frames = build_layout(result.trace).frames()
    return frames.build(list(range(len(frames))))


def test_a_subprocess_pipes_and_pidfd_are_in_the_selector_of_a_traced_run():
    result = loop_magic.run_cell(SUBPROCESS_CELL)
    assert result.error is None, result.error
    assert result.stdout.startswith("b'hello through the pipes' 0 ")
    watched = {fd for frame in _frames(result) for fd, _how in frame.fds}
    # stdin's write end (watched for readability: the reader going away), stdout, and the pidfd.
    assert len(watched) == 3, watched
    timeline = result.timeline()
    # The reader task waited on the stdout pipe and the pipe woke it (which of the three fds that
    # is depends on the order the kernel handed them out: seen both ways). Read from the frames
    # and iterations, not the ASCII view, which elides labels when its lines run long.
    waited = {fd for fd in watched for f in timeline.frames() for _t, state, _e in f.tasks if f"read fd {fd}" in state}
    woke = {fd for fd in watched for it in timeline.layout.iterations if f"{fd}r" in (it.io or ())}  # e.g. "6r"
    assert waited & woke, (watched, waited, woke)


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="no pidfd on this system")
def test_the_exit_of_a_child_is_a_pidfd_wait():
    async def main():
        loop = loop_impl.get_running_loop()
        proc = await loop_impl.create_subprocess_exec(sys.executable, "-c", "import time; time.sleep(0.1)")
        watched = set(loop._selector.get_map())
        code = await proc.wait()
        return watched, set(loop._selector.get_map()), code

    watched, after, code = loop_impl.run(main())
    assert code == 0
    assert len(watched - after) == 1  # one fd, the pidfd, watched while the child ran; gone once it exited


def test_without_pidfd_a_thread_waits_for_the_child(monkeypatch):
    monkeypatch.delattr(os, "pidfd_open", raising=False)

    async def main():
        proc = await loop_impl.create_subprocess_exec(sys.executable, "-c", "import sys; sys.exit(5)")
        return await proc.wait()

    assert loop_impl.run(main()) == 5


def test_closing_the_loop_gives_the_signals_back():
    loop = loop_impl.new_event_loop()
    loop.add_signal_handler(signal.SIGUSR1, print)
    assert signal.getsignal(signal.SIGUSR1) not in (signal.SIG_DFL, signal.SIG_IGN)
    loop.close()
    assert signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL
    assert signal.set_wakeup_fd(-1) == -1  # the loop's self-pipe is no longer the wakeup fd


def test_a_udp_endpoint_waits_on_its_fd_in_a_traced_run():
    cell = """
import asyncio
loop = asyncio.get_running_loop()
got = loop.create_future()

class Server(asyncio.DatagramProtocol):
    def datagram_received(self, data, addr):
        got.set_result(data)

server, _ = await loop.create_datagram_endpoint(Server, local_addr=("127.0.0.1", 0))
client, _ = await loop.create_datagram_endpoint(asyncio.DatagramProtocol, remote_addr=server.get_extra_info("sockname"))
client.sendto(b"ping")
print(await got)
client.close()
server.close()
"""
    result = loop_magic.run_cell(cell)
    assert result.error is None, result.error
    assert result.stdout == "b'ping'\n"
    assert len({fd for frame in _frames(result) for fd, how in frame.fds if how == "read"}) == 2


def test_transports_live_apart_from_the_core():
    """The reading path (handles, futures, tasks, loop, selector_io) imports none of the transports but loop.py's mixin."""
    import ast
    from pathlib import Path

    package = Path(loop_impl.__file__).parent
    for name in ("handles.py", "futures.py", "tasks.py", "selector_io.py"):
        tree = ast.parse((package / name).read_text())
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        assert not any(m.startswith("transports") for m in imported), name
    loop_source = (package / "loop.py").read_text()
    assert loop_source.count("transports") <= 3  # one import, one base class, one comment


def test_sock_sendto_looks_the_method_up_at_each_attempt():
    """asyncio retries `sock.sendto(...)` afresh each time the fd is writable; binding the method once
    retried a stale one forever (found by CPython's test_sock_lowlevel.test_sendto_blocking)."""
    import socket

    class Wrapped:
        def __init__(self, sock):
            self._sock = sock
            self.fileno = sock.fileno
            self.gettimeout = sock.gettimeout

        def sendto(self, *args):
            # The kernel "refuses" once; by the next attempt the real method is in place.
            loop_impl.get_running_loop().call_soon(setattr, self, "sendto", self._sock.sendto)
            raise BlockingIOError

    async def main():
        loop = loop_impl.get_running_loop()
        with (
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock,
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as peer,
        ):
            peer.bind(("127.0.0.1", 0))
            sock.setblocking(False)
            wrapped = Wrapped(sock)
            sent = await loop_impl.wait_for(loop.sock_sendto(wrapped, b"late", peer.getsockname()), 5)
            return sent, peer.recv(10)

    assert loop_impl.run(main()) == (4, b"late")


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="no pidfd on this system")
def test_a_loop_closed_while_a_child_runs_does_not_leak_its_pidfd():
    loop = loop_impl.new_event_loop()

    async def start():
        return await loop_impl.create_subprocess_exec("sleep", "5")

    proc = loop.run_until_complete(start())
    (pidfd,) = loop._child_pidfds
    loop.close()
    with pytest.raises(OSError):
        os.fstat(pidfd)  # closed with the loop
    proc._transport._proc.kill()
    proc._transport._proc.wait()
