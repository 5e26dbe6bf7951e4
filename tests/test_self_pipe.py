"""The loop's self-pipe is made only when another thread could need it; where
threads, sockets or processes do not exist (WebAssembly), one clear line says so.

Pyodide itself is exercised in tests/test_pyodide.py; here the same rules are
checked on the desktop interpreter, where they can be forced deterministically.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

import loop_impl
from loop_impl import capabilities


def _no_socketpair(*args, **kwargs):
    raise AssertionError("the loop made a socketpair it did not need")


def test_a_loop_without_threads_never_makes_a_socketpair(monkeypatch):
    # Under Pyodide socket.socketpair() aborts the interpreter: a loop that
    # only runs tasks and timers must never call it.
    monkeypatch.setattr(socket, "socketpair", _no_socketpair)
    monkeypatch.setattr(threading, "active_count", lambda: 1)

    async def main():
        loop = loop_impl.get_running_loop()
        fut = loop.create_future()
        loop.call_later(0.01, fut.set_result, "timer")
        await loop_impl.sleep(0.005)
        results = await loop_impl.gather(fut, loop_impl.sleep(0.01, "sleep"))
        loop.call_soon_threadsafe(results.append, "threadsafe from the loop's own thread")
        await loop_impl.sleep(0)
        return results, loop._ssock

    results, ssock = loop_impl.run(main())
    assert results == ["timer", "sleep", "threadsafe from the loop's own thread"]
    assert ssock is None


def test_virtual_time_runs_without_a_socketpair(monkeypatch):
    monkeypatch.setattr(socket, "socketpair", _no_socketpair)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    loop = loop_impl.EventLoop(virtual_time=True)
    try:
        assert loop.run_until_complete(loop_impl.sleep(3600, "an hour")) == "an hour"
        assert loop.time() == pytest.approx(3600)
    finally:
        loop.close()


def test_the_pipe_is_made_when_a_thread_may_call_in():
    async def main():
        loop = loop_impl.get_running_loop()
        fut = loop.create_future()
        thread = threading.Timer(0.05, loop.call_soon_threadsafe, (fut.set_result, "woken"))
        thread.start()
        try:
            return await fut, loop._ssock is not None
        finally:
            thread.join()

    assert loop_impl.run(main()) == ("woken", True)


def test_work_queued_before_the_pipe_existed_is_not_slept_on(monkeypatch):
    # The race the lazy pipe opens: the loop sees an empty ready queue and
    # decides to block; a thread then queues a callback, finds no pipe to
    # write into, and the loop makes its pipe and would sleep forever on work
    # already queued. Force exactly that interleaving.
    make_pipe = loop_impl.EventLoop._make_self_pipe
    queued_first = threading.Event()

    def make_pipe_after_the_thread_called_in(self):
        self._test_release.set()
        assert queued_first.wait(5)
        make_pipe(self)

    monkeypatch.setattr(loop_impl.EventLoop, "_make_self_pipe", make_pipe_after_the_thread_called_in)

    async def main():
        loop = loop_impl.get_running_loop()
        fut = loop.create_future()
        loop._test_release = threading.Event()

        def worker():
            loop._test_release.wait(5)
            loop.call_soon_threadsafe(fut.set_result, "not slept on")
            queued_first.set()

        thread = threading.Thread(target=worker)
        thread.start()
        started = time.monotonic()
        try:
            # The 10 s timer only bounds the test: slept on, the loop wakes for it.
            return await loop_impl.wait_for(fut, 10), time.monotonic() - started
        finally:
            thread.join()

    result, elapsed = loop_impl.run(main())
    assert result == "not slept on"
    assert elapsed < 5, f"the loop slept {elapsed:.1f}s on a callback that was already queued"


@pytest.fixture
def webassembly(monkeypatch):
    monkeypatch.setattr(capabilities, "WEBASSEMBLY", True)
    monkeypatch.setattr(socket, "socketpair", _no_socketpair)


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda loop: loop.run_in_executor(None, print), "loop.run_in_executor()"),
        (lambda loop: loop_impl.to_thread(print), "asyncio.to_thread()"),
        (lambda loop: loop_impl.start_server(lambda r, w: None, "127.0.0.1", 0), "a socket server"),
        (lambda loop: loop_impl.open_connection("127.0.0.1", 9), "a TCP connection"),
        (lambda loop: loop.sock_recv(socket.socket(), 1), "a socket operation"),
    ],
    ids=["run_in_executor", "to_thread", "start_server", "open_connection", "sock_recv"],
)
def test_what_webassembly_cannot_do_is_refused_in_one_line(webassembly, call, named):
    async def main():
        loop = loop_impl.get_running_loop()
        awaitable = None
        try:
            awaitable = call(loop)
            await awaitable
        finally:
            if hasattr(awaitable, "close"):
                awaitable.close()

    with pytest.raises(capabilities.NotAvailableHereError) as info:
        loop_impl.run(main())
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(named)
    assert "WebAssembly" in message and "desktop Python" in message
    assert isinstance(info.value, NotImplementedError)  # asyncio's type for "this loop cannot"


def test_work_queued_by_a_thread_that_has_since_ended_is_not_slept_on(monkeypatch):
    """A thread queues work with call_soon_threadsafe before any pipe exists, and ends
    before the loop polls: the loop must run that work, not block in select(None).
    (Seen: thread_call_soon_threadsafe hung in 5 runs of 6.)"""
    loop = loop_impl.EventLoop()
    try:
        waited = []

        class Recording:
            def select(self, timeout=None):
                waited.append(timeout)
                return []

        real_selector = loop._selector
        monkeypatch.setattr(loop, "_selector", Recording())
        monkeypatch.setattr(threading, "active_count", lambda: 1)  # the thread has ended
        loop.call_soon_threadsafe(lambda: None)  # queued from "that thread": no pipe to write to
        loop._poll_selector(None)  # the timeout the loop chose before the work arrived
        assert waited == [0]
        loop._selector = real_selector
    finally:
        loop.close()
