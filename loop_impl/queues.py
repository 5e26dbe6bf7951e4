"""Queue, PriorityQueue, LifoQueue: hand items from producer tasks to consumer tasks.

A queue holds items and two lines of waiting tasks, each a deque of
futures: `_getters` (tasks waiting for an item) and `_putters` (tasks
waiting for room, when `maxsize` is reached). Every put wakes the first
getter and every get wakes the first putter (`_wakeup_next`), oldest first.

As with locks, waking is not taking: a woken getter only gets a chance to
take an item when its step runs. If another task took the item first, the
woken getter finds the queue empty and simply waits again (hence the
`while self.empty()` loops). If a woken task is cancelled instead, it passes
its wakeup on to the next in line, so no item is left with nobody awake to
take it.

`task_done()` and `join()` count work: every put adds one unfinished task,
every task_done() removes one, and join() waits for the count to reach zero.
"""

from __future__ import annotations

import collections
import heapq
from types import GenericAlias
from typing import Any

from . import versions
from .exceptions import QueueEmpty, QueueFull, QueueShutDown
from .locks import Event, _LoopBoundMixin

__all__ = ("Queue", "PriorityQueue", "LifoQueue", "QueueFull", "QueueEmpty")
if versions.QUEUE_SHUTDOWN:
    __all__ += ("QueueShutDown",)


class Queue(_LoopBoundMixin):
    """A FIFO queue for tasks; maxsize <= 0 means unbounded."""

    def __init__(self, maxsize: int = 0) -> None:
        self._maxsize = maxsize
        self._getters: collections.deque = collections.deque()  # futures of tasks waiting in get()
        self._putters: collections.deque = collections.deque()  # futures of tasks waiting in put()
        self._unfinished_tasks = 0
        self._is_shutdown = False  # only shutdown() (3.13+) sets it
        self._finished = Event()
        self._finished._waiter_label = "Queue.join"  # what join() waiters are shown waiting for
        self._finished.set()
        self._init(maxsize)

    # The three storage methods subclasses override (PriorityQueue, LifoQueue).
    def _init(self, maxsize: int) -> None:
        self._queue: Any = collections.deque()

    def _get(self) -> Any:
        return self._queue.popleft()

    def _put(self, item: Any) -> None:
        self._queue.append(item)

    def _wakeup_next(self, waiters: collections.deque) -> None:
        """Wake the first waiter that is still waiting; drop the others."""
        while waiters:
            waiter = waiters.popleft()
            # A done waiter was cancelled: it is already leaving the line.
            if not waiter.done():
                waiter.set_result(None)
                break

    def __repr__(self) -> str:
        return f"<{type(self).__name__} at {id(self):#x} {self._format()}>"

    def __str__(self) -> str:
        return f"<{type(self).__name__} {self._format()}>"

    __class_getitem__ = classmethod(GenericAlias)  # Queue[int] in annotations

    def _format(self) -> str:
        result = f"maxsize={self._maxsize!r}"
        if getattr(self, "_queue", None):
            result += f" _queue={list(self._queue)!r}"
        if self._getters:
            result += f" _getters[{len(self._getters)}]"
        if self._putters:
            result += f" _putters[{len(self._putters)}]"
        if self._unfinished_tasks:
            result += f" tasks={self._unfinished_tasks}"
        if self._is_shutdown:
            result += " shutdown"
        return result

    def qsize(self) -> int:
        """Number of items in the queue."""
        return len(self._queue)

    @property
    def maxsize(self) -> int:
        """Number of items allowed in the queue (<= 0: no limit)."""
        return self._maxsize

    def empty(self) -> bool:
        return not self._queue

    def full(self) -> bool:
        """True if there are maxsize items; never for an unbounded queue."""
        if self._maxsize <= 0:
            return False
        return self.qsize() >= self._maxsize

    async def put(self, item: Any) -> None:
        """Put an item in, first waiting for room if the queue is full."""
        while self.full():
            if self._is_shutdown:
                raise QueueShutDown
            putter = self._get_loop().create_future()
            putter._label = "Queue.put"
            self._putters.append(putter)
            try:
                await putter
            except BaseException:
                putter.cancel()  # in case we were interrupted some other way
                try:
                    self._putters.remove(putter)
                except ValueError:
                    pass  # _wakeup_next already took it off the line
                # Woken for a free slot but leaving: hand the wakeup on.
                if not self.full() and not putter.cancelled():
                    self._wakeup_next(self._putters)
                raise
        return self.put_nowait(item)

    def put_nowait(self, item: Any) -> None:
        """Put an item in now, or raise QueueFull."""
        if self._is_shutdown:
            raise QueueShutDown
        if self.full():
            raise QueueFull
        self._put(item)
        self._unfinished_tasks += 1
        self._finished.clear()
        self._wakeup_next(self._getters)

    async def get(self) -> Any:
        """Take an item out, first waiting for one if the queue is empty."""
        while self.empty():
            if self._is_shutdown:
                raise QueueShutDown
            getter = self._get_loop().create_future()
            getter._label = "Queue.get"
            self._getters.append(getter)
            try:
                await getter
            except BaseException:
                getter.cancel()  # in case we were interrupted some other way
                try:
                    self._getters.remove(getter)
                except ValueError:
                    pass  # _wakeup_next already took it off the line
                # Woken for an item but leaving: hand the wakeup on.
                if not self.empty() and not getter.cancelled():
                    self._wakeup_next(self._getters)
                raise
        return self.get_nowait()

    def get_nowait(self) -> Any:
        """Take an item out now, or raise QueueEmpty."""
        if self.empty():
            if self._is_shutdown:
                raise QueueShutDown
            raise QueueEmpty
        item = self._get()
        self._wakeup_next(self._putters)
        return item

    def task_done(self) -> None:
        """Say that the work on one item taken with get() is finished."""
        if self._unfinished_tasks <= 0:
            raise ValueError("task_done() called too many times")
        self._unfinished_tasks -= 1
        if self._unfinished_tasks == 0:
            self._finished.set()

    async def join(self) -> None:
        """Wait until every item put in has been marked task_done()."""
        if self._unfinished_tasks > 0:
            await self._finished.wait()

    if versions.QUEUE_SHUTDOWN:

        def shutdown(self, immediate: bool = False) -> None:
            """Refuse further puts; gets raise QueueShutDown once empty (at once if immediate).

            Every waiting put() and get() is woken to see it. With immediate,
            the items left are dropped and counted as done, which may end a join()."""
            self._is_shutdown = True
            if immediate:
                while not self.empty():
                    self._get()
                    if self._unfinished_tasks > 0:
                        self._unfinished_tasks -= 1
                if self._unfinished_tasks == 0:
                    self._finished.set()
            for waiters in (self._getters, self._putters):
                while waiters:
                    waiter = waiters.popleft()
                    if not waiter.done():
                        waiter.set_result(None)


class PriorityQueue(Queue):
    """A queue that gives the smallest item first (typically (priority, data) tuples)."""

    def _init(self, maxsize: int) -> None:
        self._queue = []

    def _put(self, item: Any) -> None:
        heapq.heappush(self._queue, item)

    def _get(self) -> Any:
        return heapq.heappop(self._queue)


class LifoQueue(Queue):
    """A stack: the item put in last comes out first."""

    def _init(self, maxsize: int) -> None:
        self._queue = []

    def _put(self, item: Any) -> None:
        self._queue.append(item)

    def _get(self) -> Any:
        return self._queue.pop()
