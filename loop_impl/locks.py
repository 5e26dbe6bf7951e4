"""Event, Lock, Semaphore, BoundedSemaphore, Condition: tasks waiting on tasks.

None of these touch the loop directly. Each keeps a deque of *waiter*
futures, one per task that had to wait, and wakes a task by resolving its
future. The task then wakes up through the ordinary path (the future's
done-callback puts its step on the ready queue), so a primitive never runs
anyone's code itself, and wakeups happen in the order waiters arrived.

Two ideas carry all of them:

* Waking is not taking. `release()` resolves the first waiter's future but
  does not hand it the lock; the woken task takes it when its step runs.
  Until then the lock looks free, and `acquire()` refuses to jump the queue
  while some waiter is still in line (why: 3.11's fairness; a task that
  releases and immediately re-acquires must not starve the others).
* A waiter can be cancelled at any moment, even after it was woken. A woken
  but cancelled waiter must pass its wakeup on to the next one, or that
  one would wait forever (`_wake_up_first`, `_wake_up_next`).

Every future a task waits on gets a `_label` ("Lock", "Event", ...) so a
trace or a deadlock report can say what the task is waiting for.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable
from typing import Any

from . import events, versions
from .exceptions import CancelledError

__all__ = ("Event", "Lock", "Semaphore", "BoundedSemaphore", "Condition")

_global_lock = threading.Lock()


class _LoopBoundMixin:
    """Binds an object to the loop that first waits on it (asyncio's mixins.py).

    A primitive may be created outside any loop (at import time, say); it
    belongs to the first running loop that needs it, and using it from
    another loop afterwards is an error.
    """

    _loop: Any = None

    def _get_loop(self) -> Any:
        loop = events._get_running_loop()
        if self._loop is None:
            with _global_lock:  # two threads' loops could race to claim it
                if self._loop is None:
                    self._loop = loop
        if loop is not self._loop:
            raise RuntimeError(f"{self!r} is bound to a different event loop")
        return loop


class _ContextManagerMixin:
    """`async with primitive:` is acquire() then release()."""

    async def __aenter__(self) -> None:
        await self.acquire()
        return None  # `async with lock as x` gives None, as in asyncio

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.release()


def _repr(obj: Any, extra: str, waiters: Any) -> str:
    """'<loop_impl.locks.Lock object at 0x... [locked, waiters:2]>', asyncio's shape."""
    if waiters:
        extra = f"{extra}, waiters:{len(waiters)}"
    return f"<{object.__repr__(obj)[1:-1]} [{extra}]>"


class Lock(_ContextManagerMixin, _LoopBoundMixin):
    """A mutual-exclusion lock, not owned by any task, fair (FIFO) under contention."""

    _waiter_label = "Lock"

    def __init__(self) -> None:
        self._waiters: collections.deque | None = None  # created on first contention
        self._locked = False

    def __repr__(self) -> str:
        return _repr(self, "locked" if self._locked else "unlocked", self._waiters)

    def locked(self) -> bool:
        """True if some task holds the lock."""
        return self._locked

    async def acquire(self) -> bool:
        """Take the lock, waiting in line behind earlier waiters if needed."""
        # Free *and* nobody in line (cancelled waiters don't count): take it
        # without yielding (why: an uncontended lock costs no loop iteration).
        if not self._locked and (self._waiters is None or all(w.cancelled() for w in self._waiters)):
            self._locked = True
            return True

        if self._waiters is None:
            self._waiters = collections.deque()
        fut = self._get_loop().create_future()
        fut._label = self._waiter_label
        self._waiters.append(fut)
        try:
            try:
                await fut
            finally:
                # Leave the line before handling a cancellation (why: so that
                # _wake_up_first below cannot pick our own future again).
                self._waiters.remove(fut)
        except CancelledError:
            # We may have been woken and then cancelled before our step ran:
            # the wakeup was meant for the head of the line, so pass it on.
            if not self._locked:
                self._wake_up_first()
            raise

        self._locked = True
        return True

    def release(self) -> None:
        """Free the lock and wake the first task waiting for it."""
        if not self._locked:
            raise RuntimeError("Lock is not acquired.")
        self._locked = False
        self._wake_up_first()

    def _wake_up_first(self) -> None:
        """Wake the head of the line, unless it was already woken (or cancelled)."""
        if not self._waiters:
            return
        fut = self._waiters[0]
        # A done head will run soon anyway: it takes the lock, or, cancelled,
        # comes back here to wake the next one. Waking a second task now
        # would let two of them race for the lock.
        if not fut.done():
            fut.set_result(True)


class Event(_LoopBoundMixin):
    """A flag tasks can wait for; set() wakes every waiter at once."""

    _waiter_label = "Event"

    def __init__(self) -> None:
        self._waiters: collections.deque = collections.deque()
        self._value = False

    def __repr__(self) -> str:
        return _repr(self, "set" if self._value else "unset", self._waiters)

    def is_set(self) -> bool:
        return self._value

    def set(self) -> None:
        """Set the flag; all waiters wake, in the order they started waiting."""
        if self._value:
            return
        self._value = True
        for fut in self._waiters:
            if not fut.done():
                fut.set_result(True)

    def clear(self) -> None:
        """Reset the flag. Tasks already woken by set() still return True."""
        self._value = False

    async def wait(self) -> bool:
        """Return True once the flag is set (at once if it is set now)."""
        if self._value:
            return True
        fut = self._get_loop().create_future()
        fut._label = self._waiter_label
        self._waiters.append(fut)
        try:
            await fut
            return True
        finally:
            self._waiters.remove(fut)


class Condition(_ContextManagerMixin, _LoopBoundMixin):
    """Wait until notified, holding a lock (by default a new Lock) around the check."""

    _waiter_label = "Condition"

    def __init__(self, lock: Lock | None = None) -> None:
        if lock is None:
            lock = Lock()
        self._lock = lock
        # The condition *is* its lock for acquire/release/locked (why: so
        # Condition(lock) and the lock's other users exclude each other).
        self.locked: Callable[[], bool] = lock.locked
        self.acquire: Callable[[], Any] = lock.acquire
        self.release: Callable[[], None] = lock.release
        self._waiters: collections.deque = collections.deque()

    def __repr__(self) -> str:
        return _repr(self, "locked" if self.locked() else "unlocked", self._waiters)

    async def wait(self) -> bool:
        """Release the lock, sleep until notified, re-acquire the lock, return True."""
        if not self.locked():
            raise RuntimeError("cannot wait on un-acquired lock")

        fut = self._get_loop().create_future()
        fut._label = self._waiter_label
        self.release()
        try:
            try:
                self._waiters.append(fut)
                try:
                    await fut
                    return True
                finally:
                    self._waiters.remove(fut)
            finally:
                # Whatever happened, the caller is inside `async with cond:` and
                # will release on exit, so it must hold the lock again. A
                # cancellation arriving meanwhile is remembered and re-raised.
                cancelled = None
                while True:
                    try:
                        await self.acquire()
                        break
                    except CancelledError as exc:
                        cancelled = exc
                if cancelled is not None:
                    if not versions.CONDITION_WAIT_HANDS_ON_WAKEUP:
                        raise CancelledError
                    try:
                        raise cancelled  # 3.13: the latest one itself, with its message
                    finally:
                        cancelled = None  # (why: the exception's traceback holds this frame)
        except BaseException:
            # 3.13: we may have been notified before failing: hand the wakeup on
            # (at worst a spurious wakeup, which a condition variable allows).
            if versions.CONDITION_WAIT_HANDS_ON_WAKEUP:
                self._notify(1)
            raise

    async def wait_for(self, predicate: Callable[[], Any]) -> Any:
        """wait() until predicate() is true; return its last value."""
        result = predicate()
        while not result:
            await self.wait()
            result = predicate()
        return result

    def notify(self, n: int = 1) -> None:
        """Wake up to n waiters, oldest first. They run once they get the lock back."""
        if not self.locked():
            raise RuntimeError("cannot notify on un-acquired lock")
        self._notify(n)

    def _notify(self, n: int) -> None:
        woken = 0
        for fut in self._waiters:
            if woken >= n:
                break
            # Skip waiters already woken or cancelled: they are on their way.
            if not fut.done():
                woken += 1
                fut.set_result(False)

    def notify_all(self) -> None:
        """Wake every waiter."""
        self.notify(len(self._waiters))


class Semaphore(_ContextManagerMixin, _LoopBoundMixin):
    """A counter of free slots: acquire() takes one, waiting if none is free."""

    _waiter_label = "Semaphore"

    def __init__(self, value: int = 1) -> None:
        if value < 0:
            raise ValueError("Semaphore initial value must be >= 0")
        self._waiters: collections.deque | None = None
        self._value = value

    def __repr__(self) -> str:
        extra = "locked" if self.locked() else f"unlocked, value:{self._value}"
        return _repr(self, extra, self._waiters)

    def locked(self) -> bool:
        """True if acquire() would have to wait."""
        # A free slot with live waiters in line belongs to them, not to a
        # newcomer (why: the same fairness as Lock).
        return self._value == 0 or any(not w.cancelled() for w in (self._waiters or ()))

    async def acquire(self) -> bool:
        """Take a slot, waiting in line if none is free."""
        if not self.locked():
            self._value -= 1
            return True

        if self._waiters is None:
            self._waiters = collections.deque()
        fut = self._get_loop().create_future()
        fut._label = self._waiter_label
        self._waiters.append(fut)
        try:
            try:
                await fut
            finally:
                self._waiters.remove(fut)
        except CancelledError:
            # Woken (a slot was reserved for us), then cancelled: give the
            # slot back and wake the next in line (3.13: below, with the rest).
            if fut.done() and not fut.cancelled():
                self._value += 1
                if not versions.SEMAPHORE_WAKES_ALL_FREE_SLOTS:
                    self._wake_up_next()
            raise
        finally:
            # 3.13: slots freed while we waited go to as many waiters as they can.
            while versions.SEMAPHORE_WAKES_ALL_FREE_SLOTS and self._value > 0:
                if not self._wake_up_next():
                    break
        # Before 3.13: more slots freed while we waited let the next waiter in too.
        if not versions.SEMAPHORE_WAKES_ALL_FREE_SLOTS and self._value > 0:
            self._wake_up_next()
        return True

    def release(self) -> None:
        """Free a slot and wake the first waiter that is not woken yet."""
        self._value += 1
        self._wake_up_next()

    def _wake_up_next(self) -> bool:
        """Wake the first waiter not woken yet; False if there is none."""
        for fut in self._waiters or ():
            if not fut.done():
                # The slot is reserved for this waiter now (why: so a task
                # arriving before it runs cannot take it).
                self._value -= 1
                fut.set_result(True)
                return True
        return False


class BoundedSemaphore(Semaphore):
    """A Semaphore whose release() refuses to go above the initial value."""

    def __init__(self, value: int = 1) -> None:
        self._bound_value = value
        super().__init__(value)

    def release(self) -> None:
        if self._value >= self._bound_value:
            raise ValueError("BoundedSemaphore released too many times")
        super().release()
