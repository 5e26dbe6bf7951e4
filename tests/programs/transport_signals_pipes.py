"""Signal handlers (os.kill of ourselves with SIGUSR1) and pipes from os.pipe()."""

import asyncio
import os
import signal
import threading


async def main():
    loop = asyncio.get_running_loop()
    got = loop.create_future()
    seen = []

    def on_usr1(tag):
        seen.append(tag)
        print("handler ran with", tag, "in the main thread:", threading.current_thread() is threading.main_thread())
        if len(seen) == 2:
            got.set_result(seen)

    loop.add_signal_handler(signal.SIGUSR1, on_usr1, "usr1")
    os.kill(os.getpid(), signal.SIGUSR1)
    print("right after kill, handler not run yet:", seen)
    await asyncio.sleep(0.01)
    os.kill(os.getpid(), signal.SIGUSR1)
    print("handled:", await asyncio.wait_for(got, 5))
    print("remove:", loop.remove_signal_handler(signal.SIGUSR1), "again:", loop.remove_signal_handler(signal.SIGUSR1))
    print("back to default:", signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL)

    async def coro():
        pass

    for args in ((signal.SIGUSR1, coro), ("SIGUSR1", print), (0, print), (signal.SIGKILL, print)):
        try:
            loop.add_signal_handler(*args)
        except (TypeError, ValueError, RuntimeError) as exc:
            print(type(exc).__name__, exc)

    def in_thread():
        try:
            loop.add_signal_handler(signal.SIGUSR2, print)
        except RuntimeError as exc:
            print("from a thread:", exc)

    await asyncio.to_thread(in_thread)

    # A read pipe and a write pipe, connected to each other through os.pipe().
    rfd, wfd = os.pipe()
    received = loop.create_future()

    class Reader(asyncio.Protocol):
        def __init__(self):
            self.data = b""

        def connection_made(self, transport):
            print("reader: connection_made, reading:", transport.is_reading())

        def data_received(self, data):
            self.data += data

        def eof_received(self):
            print("reader: eof_received")

        def connection_lost(self, exc):
            print("reader: connection_lost", exc, len(self.data))
            received.set_result(self.data)

    class Writer(asyncio.BaseProtocol):
        def connection_made(self, transport):
            print("writer: connection_made")

        def connection_lost(self, exc):
            print("writer: connection_lost", exc)

    rt, _ = await loop.connect_read_pipe(Reader, open(rfd, "rb", buffering=0))
    wt, _ = await loop.connect_write_pipe(Writer, open(wfd, "wb", buffering=0))
    print("write pipe can_write_eof:", wt.can_write_eof(), "limits:", wt.get_write_buffer_limits())
    wt.write(b"x" * 300_000)  # more than a pipe holds: the rest is buffered
    print("buffered something:", wt.get_write_buffer_size() > 0)
    wt.write(bytearray(b"end"))
    wt.close()
    print("is_closing:", wt.is_closing())
    data = await received
    print("got", len(data), "bytes, ends with", data[-3:])
    try:
        wt.write("text")
    except AssertionError as exc:
        print("AssertionError:", exc)

    # Pause and resume reading.
    rfd, wfd = os.pipe()
    chunks = []

    class Collect(asyncio.Protocol):
        def data_received(self, data):
            chunks.append(data)

    rt, _ = await loop.connect_read_pipe(Collect, open(rfd, "rb", buffering=0))
    rt.pause_reading()
    print("paused, reading:", rt.is_reading())
    os.write(wfd, b"held back")
    await asyncio.sleep(0.05)
    print("while paused:", chunks)
    rt.resume_reading()
    await asyncio.sleep(0.05)
    print("after resume:", chunks)
    os.close(wfd)
    await asyncio.sleep(0.05)
    print("closed by the writer:", rt.is_closing())

    # The reader goes away: the write end learns of it.
    rfd, wfd = os.pipe()
    lost = loop.create_future()

    class Orphan(asyncio.BaseProtocol):
        def connection_lost(self, exc):
            lost.set_result(exc)

    wt, _ = await loop.connect_write_pipe(Orphan, open(wfd, "wb", buffering=0))
    os.close(rfd)
    print("reader gone:", await asyncio.wait_for(lost, 5))
    try:
        with open(__file__, "rb") as f:
            await loop.connect_read_pipe(asyncio.Protocol, f)
    except ValueError as exc:
        print("ValueError:", exc)


asyncio.run(main())
