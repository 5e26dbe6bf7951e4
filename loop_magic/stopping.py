"""Stopping a run from outside: kernel interrupts, --timeout, bounded clean-up.

A run can be stuck in two ways: its loop sleeps in `select()`, or one of its
tasks spins (`while True: pass`) and never gives the loop back. A callback
scheduled on the loop reaches neither in time, so a stop does three things:

1. it wakes every loop of the run through its self-pipe, so a loop blocked
   in `select()` returns;
2. it asks the run's recorder to raise the stop at the start of the loop's
   next iteration, where nothing is half-done;
3. if the run has not taken it `ASK_WAIT` seconds later (a task spins in its
   own code), it raises the exception *in the thread that runs the cell*, with
   `PyThreadState_SetAsyncExc`; Python delivers it at the next bytecode that
   thread executes, i.e. inside the spinning task.

The exceptions are `KeyboardInterrupt` subclasses (why: both loops let
KeyboardInterrupt out of a callback or a task step, as asyncio does, and
swallow or log everything else).

In the kernel's main thread a real Ctrl-C (SIGINT) already arrives as
KeyboardInterrupt, wherever the thread is; `RunInterrupted` carries it to
the worker thread of the asyncio backend.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ("StopRun", "RunInterrupted", "RunTimedOut", "CleanupOverdue", "Guard", "Watchdog", "ASK_WAIT")

ASK_WAIT = 0.05  # seconds a run has to take a stop it was asked for, before it is raised wherever the run is


class StopRun(KeyboardInterrupt):
    """Raised inside a run to stop it."""


class RunInterrupted(StopRun):
    """The kernel was interrupted while the run was under way (asyncio backend's worker)."""


class RunTimedOut(StopRun):
    """--timeout: the run went on for longer than allowed."""


class CleanupOverdue(StopRun):
    """Cancelled tasks took longer than allowed to finish; the loop is closed anyway."""


def _set_async_exc(thread_id: int, exc_type: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc_type) if exc_type else None
    )


class _Withdrawn(BaseException):
    """Sent by a thread to itself in place of a stop it takes back (Guard.disarm)."""


def _arrive() -> None:
    """A call: its first bytecode is where a pending asynchronous exception arrives."""


def _withdraw_own_stop() -> None:
    me = threading.get_ident()
    for _ in range(100):
        try:
            _set_async_exc(me, _Withdrawn)  # (replaces a stop still pending)
            _arrive()
        except _Withdrawn:
            return  # it arrived: nothing is pending any more, and the flag is down
        except StopRun:
            continue  # the stop arrived first, before ours was sent: send ours again
    _set_async_exc(me, None)  # (never seen: a marker that did not arrive must not land later)


class Guard:
    """Lets other threads raise a StopRun in one thread, only while it runs the cell.

    The run thread calls `arm()` before the cell's code and `disarm()` after;
    `stop()` from any thread does nothing outside that window (why: an
    exception delivered after the run would land in the kernel's own code).
    """

    def __init__(self, wake: Callable[[], None], ask: Callable[[type[StopRun] | None], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._thread_id: int | None = None
        self._wake = wake
        self._ask = ask  # asks the run to raise a stop itself, at a point where its state is whole
        self._asked_at: float | None = None
        self._asking_helps = True
        self._cleaning_up = False  # the window is the clean-up's, not the cell's
        self.reason: type[StopRun] | None = None  # the first stop asked for

    def arm(self, cleanup: bool = False) -> None:
        with self._lock:
            self._thread_id = threading.get_ident()
            self._cleaning_up = cleanup
            self._asking_helps = True

    def disarm(self) -> None:
        """Close the window; a stop already sent but not yet delivered is withdrawn.

        Called in the run thread. Withdrawing is done by sending this thread a marker
        of our own in the stop's place and letting it arrive here (why not
        `PyThreadState_SetAsyncExc(id, NULL)`, the documented way: on CPython 3.11
        and 3.12 it leaves the interpreter's "asynchronous exception pending" flag
        set for good, so every call in the kernel takes the slow path from then on,
        and on 3.11 the next traced call, a debugger's or coverage's, loops for ever).
        """
        while True:
            try:
                with self._lock:
                    thread_id, self._thread_id = self._thread_id, None
                    if self._asked_at is not None:
                        self._asked_at = None
                        self._ask(None)  # (a stop asked for and not taken is withdrawn too)
                if thread_id == threading.get_ident():
                    _withdraw_own_stop()
                elif thread_id is not None:
                    _set_async_exc(thread_id, None)  # (not the run thread: the documented way)
                return
            except StopRun:
                continue  # delivered just now, inside this method: it is withdrawn all the same

    @property
    def armed(self) -> bool:
        return self._thread_id is not None

    def stop(self, exc_type: type[StopRun], while_running: bool = False) -> bool:
        """Stop the run with exc_type and wake its loops. False if no run is under way
        (or, with while_running, if the cell's code is over and its clean-up runs).

        First the run is asked: its recorder raises the stop at the start of the loop's
        next iteration, where the loop's state is whole. Only if that has not happened
        ASK_WAIT seconds later (a task that spins in its own code) is it raised in the
        run thread wherever that is (why not at once: landing in the loop's or the
        recorder's own code, between two writes, it left them half-done: a task off
        every queue, a trace whose columns no longer lined up).
        """
        with self._lock:
            if self._thread_id is None or (while_running and self._cleaning_up):
                return False
            if self.reason is None and exc_type is not CleanupOverdue:
                self.reason = exc_type  # (what the run is told it was stopped by)
            now = time.monotonic()
            if self._ask is not None and self._asking_helps and (self._asked_at is None or now - self._asked_at < ASK_WAIT):
                if self._asked_at is None:
                    self._asked_at = now
                    self._ask(exc_type)
            else:
                if self._asked_at is not None:
                    self._ask(None)  # (withdrawn: else the clean-up's first iteration would raise it)
                    # A run that did not take it spins in its own code: the next stops go straight
                    # there (why: a task that swallows stops must get them as often as before).
                    self._asking_helps = False
                self._asked_at = None
                _set_async_exc(self._thread_id, exc_type)
        self._wake()
        return True

    @property
    def asking(self) -> bool:
        """A stop was asked for and the run has not taken it yet: look again in ASK_WAIT."""
        return self._asked_at is not None

    def taken(self) -> None:
        """The run raised the stop it was asked for (called by its recorder)."""
        self._asked_at = None


class Watchdog:
    """Calls guard.stop(exc_type) once `seconds` have passed, then again every
    `repeat` seconds until cancelled (why again: a task may catch the first one)."""

    def __init__(self, guard: Guard, seconds: float, exc_type: type[StopRun], repeat: float = 1.0) -> None:
        self._guard = guard
        self._exc_type = exc_type
        self._repeat = repeat
        self._cancelled = threading.Event()
        self.fired = False
        self._thread = threading.Thread(target=self._watch, args=(seconds,), name="tinyloop-watchdog", daemon=True)
        self._thread.start()

    def _watch(self, seconds: float) -> None:
        while not self._cancelled.wait(seconds):
            self.fired = self._guard.stop(self._exc_type) or self.fired
            seconds = ASK_WAIT if self._guard.asking else self._repeat

    def cancel(self) -> None:
        self._cancelled.set()
        if self._thread is not threading.current_thread():
            self._thread.join()

    def __enter__(self) -> Watchdog:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.cancel()
