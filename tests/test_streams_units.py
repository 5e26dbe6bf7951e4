"""Streams and transports: what stdout cannot show.

The differential programs (tests/programs/stream_*.py, sock_*.py) pin down
what a program prints. These tests check the rest: no file descriptor is
left open or watched after a run, the write path only involves the selector
when the kernel refuses data, trace labels name what a task waits for, and
the unsupported options fail loudly. Where asyncio can be held to the same
standard (fd leaks), both implementations are tested.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import socket
import warnings
from collections.abc import Iterator

import pytest

import loop_impl

BOTH = pytest.mark.parametrize("aio", [asyncio, loop_impl], ids=["asyncio", "loop_impl"])


def open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@contextlib.contextmanager
def no_leaks() -> Iterator[None]:
    """Fail if the block leaves an fd open, or lets a socket be closed by its
    destructor (a ResourceWarning: the leak the garbage collector hid)."""
    gc.collect()  # garbage of earlier tests must not close fds during ours
    before = open_fds()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        yield
    unclosed = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert unclosed == []
    assert open_fds() - before == set()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def echo_round_trips(aio, clients: int = 3) -> list[bytes]:
    async def handle(reader, writer):
        while line := await reader.readline():
            writer.write(line)
            await writer.drain()
        writer.close()
        await writer.wait_closed()

    async def client(port, i):
        reader, writer = await aio.open_connection("127.0.0.1", port, limit=2**20)
        writer.write(b"x" * 100_000 + b"%d\n" % i)  # big enough to need the write buffer
        await writer.drain()
        reply = await reader.readline()
        writer.close()
        await writer.wait_closed()
        return reply[-2:]

    server = await aio.start_server(handle, "127.0.0.1", 0, limit=2**20)
    port = server.sockets[0].getsockname()[1]
    replies = await aio.wait_for(aio.gather(*(client(port, i) for i in range(clients))), 10)
    server.close()
    await server.wait_closed()
    await aio.sleep(0.01)  # the handlers see EOF and close their side
    return replies


@BOTH
def test_echo_run_leaves_no_fd_open(aio):
    with no_leaks():
        loop = aio.new_event_loop()
        try:
            assert loop.run_until_complete(echo_round_trips(aio)) == [b"0\n", b"1\n", b"2\n"]
        finally:
            loop.close()


@BOTH
def test_refused_connection_leaves_no_fd_open(aio):
    port = closed_port()

    async def main():
        with pytest.raises(ConnectionRefusedError):
            await aio.open_connection("127.0.0.1", port)

    with no_leaks():
        aio.run(main())


def test_selector_is_empty_after_everything_closed():
    async def main():
        await echo_round_trips(loop_impl)
        loop = loop_impl.get_running_loop()
        # Only the loop's own self-pipe may remain registered (if a thread made it needed).
        return len(loop._selector.get_map()) - (loop._ssock is not None), loop._user_fds

    registered, user_fds = loop_impl.run(main())
    assert (registered, user_fds) == (0, 0)


def test_server_close_unregisters_and_closes_the_listening_socket():
    async def main():
        loop = loop_impl.get_running_loop()
        server = await loop_impl.start_server(lambda r, w: None, "127.0.0.1", 0)
        fd = server.sockets[0].fileno()
        watched_while_serving = fd in loop._selector.get_map()
        server.close()
        return watched_while_serving, fd in loop._selector.get_map(), server._sockets

    watched, still_watched, sockets = loop_impl.run(main())
    assert watched and not still_watched and sockets is None


def test_write_uses_the_selector_only_when_the_kernel_refuses_data():
    async def main():
        loop = loop_impl.get_running_loop()
        # The server never reads, and keeps its writer (why: on 3.13, as in its asyncio, a
        # StreamWriter that is dropped closes its transport, and the client's write is lost).
        kept = []
        server = await loop_impl.start_server(lambda r, w: kept.append(w), "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await loop_impl.open_connection("127.0.0.1", port)
        transport = writer.transport
        fd = transport._sock_fd
        writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)

        def watching_write() -> bool:
            key = loop._selector.get_map().get(fd)
            return key is not None and bool(key.events & 2)

        writer.write(b"small")  # sent at once by send(): no writer registered
        small = (transport.get_write_buffer_size(), watching_write())
        writer.write(b"y" * 4_000_000)  # far more than the kernel takes
        big = (transport.get_write_buffer_size() > 0, watching_write(), transport._protocol_paused)
        writer.transport.abort()
        await loop_impl.sleep(0)
        server.close()
        return small, big, watching_write()

    small, big, after_abort = loop_impl.run(main())
    assert small == (0, False)
    assert big == (True, True, True)  # buffered, watched for writability, protocol told to pause
    assert after_abort is False


def test_waiting_futures_carry_trace_labels():
    """describe_wait() shows what a stream task waits for, fd included."""

    async def main():
        started = loop_impl.Event()

        async def handle(reader, writer):
            started.set()
            await reader.read(10)  # until the client closes
            writer.close()

        server = await loop_impl.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        waits = loop_impl.create_task(server.wait_closed())
        reader, writer = await loop_impl.open_connection("127.0.0.1", port)
        await started.wait()
        client_fd = writer.transport._sock_fd
        reading = loop_impl.create_task(reader.readline())
        closing = loop_impl.create_task(writer.wait_closed())
        await loop_impl.sleep(0)
        labels = {
            "server": waits._fut_waiter._label,
            "read": reading._fut_waiter._label,
            "close": closing._fut_waiter._label,
        }
        writer.close()
        await closing
        reading.cancel()
        server.close()
        await waits
        return labels, client_fd

    labels, fd = loop_impl.run(main())
    assert labels == {"server": "server wait_closed", "read": f"read fd {fd}", "close": f"wait_closed fd {fd}"}


def test_drain_label_names_the_fd():
    async def main():
        server = await loop_impl.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await loop_impl.open_connection("127.0.0.1", port)
        writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        writer.write(b"z" * 4_000_000)
        drain = loop_impl.create_task(writer.drain())
        await loop_impl.sleep(0)
        label = drain._fut_waiter._label
        fd = writer.transport._sock_fd
        writer.transport.abort()
        await loop_impl.sleep(0)
        drain.cancel()
        server.close()
        return label, fd

    label, fd = loop_impl.run(main())
    assert label == f"drain fd {fd}"


def test_failing_protocol_factory_closes_the_accepted_socket():
    """The accepted socket is closed by us, not left to the garbage collector."""

    def factory():
        raise RuntimeError("no protocol for you")

    async def main():
        loop = loop_impl.get_running_loop()
        server = await loop.create_server(factory, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await loop_impl.open_connection("127.0.0.1", port)
        data = await loop_impl.wait_for(reader.read(), 5)  # the server side is gone: EOF
        writer.close()
        await writer.wait_closed()
        server.close()
        return data

    with no_leaks():
        assert loop_impl.run(main()) == b""


def test_unclosed_writer_is_closed_when_collected():
    async def main():
        server = await loop_impl.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await loop_impl.open_connection("127.0.0.1", port)
        transport = writer.transport
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            del writer, reader
            gc.collect()
        closing = transport.is_closing()
        await loop_impl.sleep(0)
        server.close()
        return closing, [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]

    closing, messages = loop_impl.run(main())
    assert closing
    assert any(m.startswith("unclosed <StreamWriter") for m in messages)


@pytest.mark.parametrize(
    "call",
    [
        lambda: loop_impl.open_connection("127.0.0.1", 1, happy_eyeballs_delay=0.25),
    ],
    ids=["happy-eyeballs"],
)
def test_unsupported_options_say_so(call):
    async def main():
        with pytest.raises(NotImplementedError, match="loop_impl"):
            await call()

    loop_impl.run(main())


def test_connection_made_runs_before_the_opener_resumes():
    """The transport's three call_soon's: connection_made, add_reader, waiter."""
    order = []

    class Proto(loop_impl.Protocol):
        def connection_made(self, transport):
            order.append(("connection_made", transport.get_extra_info("socket").fileno() in reading_fds()))

    def reading_fds():
        loop = loop_impl.get_running_loop()
        return {fd for fd, key in loop._selector.get_map().items() if key.events & 1}

    async def main():
        loop = loop_impl.get_running_loop()
        server = await loop_impl.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        transport, _ = await loop.create_connection(Proto, "127.0.0.1", port)
        order.append(("resumed", transport._sock_fd in reading_fds()))
        transport.close()
        server.close()

    loop_impl.run(main())
    # Not yet reading in connection_made; reading by the time the opener resumes.
    assert order == [("connection_made", False), ("resumed", True)]


def test_trace_of_an_echo_run_names_the_fds_and_ends_with_nothing_watched():
    from loop_impl.trace import Ev, Recorder

    recorder = Recorder()
    loop = loop_impl.EventLoop(recorder=recorder)
    try:
        loop.run_until_complete(echo_round_trips(loop_impl, clients=2))
    finally:
        loop.close()
    trace = recorder.trace
    waits = {trace.string(e.a) for e in trace if e.kind == Ev.STEP_END}
    for prefix in ("read fd ", "connection_made fd ", "connect fd ", "wait_closed fd "):
        assert any(w.startswith(prefix) for w in waits), (prefix, sorted(waits))
    watched: dict[int, int] = {}
    for e in trace:
        if e.kind == Ev.FD_WATCH:
            watched[e.a] = e.b
    assert watched and all(mask == 0 for mask in watched.values()), watched
