"""Virtual time for the real asyncio loop.

An event loop only ever learns the time from `loop.time()`, and only ever
waits in `selector.select(timeout)`. Replace both and the loop runs on a
simulated clock:

* `VirtualTimeEventLoop.time()` returns a number that stands still while
  callbacks run;
* `VirtualTimeSelector.select(timeout)` first looks at the file descriptors
  without waiting. If one is ready, the loop gets it at once. If none is and
  the loop would sleep until its next timer, the clock jumps to that timer's
  deadline instead, and select returns at once.

So `await asyncio.sleep(3600)` takes microseconds, and since the clock only
moves when the loop would otherwise wait, two runs of the same program see
the same times: the traces are identical. loop_impl's `EventLoop(virtual_time=True)`
follows the same rules (loop_impl/loop.py `_wait_for_io`), so both backends
give the same timestamps.

Two cases still wait for real: work running in an executor thread (its
result arrives through the self-pipe at a real moment: we poll briefly
instead of jumping), and a loop with no timer at all (only I/O or another
thread can wake it).
"""

from __future__ import annotations

import asyncio
import selectors
from typing import Any

__all__ = ("VirtualTimeEventLoop", "VirtualTimeSelector", "JobTracking")

_EXECUTOR_POLL = 0.05  # seconds to wait for executor work before looking again


class JobTracking:
    """Loop mixin: counts run_in_executor work in flight (it will call the loop back)."""

    _tl_jobs: set

    def run_in_executor(self, executor: Any, func: Any, *args: Any) -> asyncio.Future:
        future = super().run_in_executor(executor, func, *args)
        jobs = self.__dict__.setdefault("_tl_jobs", set())
        jobs.add(future)
        return future

    def _tl_jobs_pending(self) -> bool:
        jobs = self.__dict__.get("_tl_jobs")
        if not jobs:
            return False
        for future in [f for f in jobs if f.done()]:
            jobs.discard(future)
        return bool(jobs)


class WrappedSelector(selectors.BaseSelector):
    """A selector that passes everything to a real one; subclasses change a few methods."""

    def __init__(self, inner: selectors.BaseSelector) -> None:
        self._inner = inner
        self._loop: Any = None

    def bind(self, loop: Any) -> None:
        """The loop this selector serves (known only once the loop exists)."""
        self._loop = loop

    def select(self, timeout: float | None = None) -> list:
        return self._inner.select(timeout)

    def register(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._inner.register(fileobj, events, data)

    def unregister(self, fileobj: Any) -> selectors.SelectorKey:
        return self._inner.unregister(fileobj)

    def modify(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._inner.modify(fileobj, events, data)

    def close(self) -> None:
        self._inner.close()

    def get_key(self, fileobj: Any) -> selectors.SelectorKey:
        return self._inner.get_key(fileobj)

    def get_map(self) -> Any:
        return self._inner.get_map()


class VirtualTimeSelector(WrappedSelector):
    """Wraps a real selector; `select()` moves the loop's virtual clock instead of sleeping."""

    def select(self, timeout: float | None = None) -> list:
        loop = self._loop
        if loop is None or timeout == 0:
            return self._inner.select(timeout)
        events = self._inner.select(0)
        if events:
            return events  # I/O is ready: no reason to move the clock
        if loop._tl_jobs_pending():
            # An executor thread will call back at a real moment: wait a little, for real.
            return self._inner.select(_EXECUTOR_POLL if timeout is None else min(timeout, _EXECUTOR_POLL))
        if timeout is None:
            return self._inner.select(None)  # no timer: only I/O or a thread can wake us
        loop._tl_advance(timeout)
        return []


class VirtualTimeMixin:
    """Loop mixin: `time()` reads a virtual clock (when `_virtual_now` is set) that
    `VirtualTimeSelector` moves."""

    _virtual_now: float | None = None  # None: the real clock

    def time(self) -> float:
        now = self._virtual_now
        return super().time() if now is None else now

    def _tl_advance(self, timeout: float) -> None:
        """Move the clock on by `timeout`: to the earliest deadline, which is what
        the loop computed it from (why `+=` and not `= deadline`: loop_impl does the
        same arithmetic, so both backends see bit-identical times)."""
        self._virtual_now += timeout


class VirtualTimeEventLoop(VirtualTimeMixin, JobTracking, asyncio.SelectorEventLoop):
    """A real asyncio SelectorEventLoop on a virtual clock. The clock starts at 0."""

    def __init__(self, selector: selectors.BaseSelector | None = None) -> None:
        self._virtual_now = 0.0
        wrapped = VirtualTimeSelector(selector or selectors.DefaultSelector())
        super().__init__(wrapped)
        wrapped.bind(self)
