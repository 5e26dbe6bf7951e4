"""wait(), wait_for() and as_completed(): waiting with conditions and deadlines.

All three follow one pattern: make a private "waiter" future, hang callbacks
on the awaited futures (and maybe a timer) that resolve it, and await the
waiter. When the waiting ends, the callbacks are taken off again.

`wait_for` on timeout cancels the inner task *and waits for it to finish*
before raising TimeoutError (why: asyncio 3.11 does, so the inner task's
cleanup has run by the time the caller sees the timeout). From 3.12 it is
`async with timeout(t): return await fut` (gh-96764): a coroutine runs in
the caller's own task, and no inner task is made at all.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Iterator
from typing import Any

from . import events, timeouts, versions
from .call_graph import current_waiter, future_add_to_awaited_by, future_discard_from_awaited_by
from .exceptions import CancelledError
from .futures import Future, isfuture
from .tasks import ensure_future, iscoroutine

__all__ = ("wait", "wait_for", "as_completed", "FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED")

FIRST_COMPLETED = "FIRST_COMPLETED"
FIRST_EXCEPTION = "FIRST_EXCEPTION"
ALL_COMPLETED = "ALL_COMPLETED"


def _release_waiter(waiter: Future, *args: Any) -> None:
    if not waiter.done():
        waiter.set_result(None)


async def wait_for(fut: Any, timeout: float | None) -> Any:
    """Await fut, but for at most `timeout` seconds: then cancel it and raise TimeoutError."""
    loop = events.get_running_loop()
    if versions.WAIT_FOR_USES_TIMEOUT and (timeout is None or timeout > 0):
        async with timeouts.timeout(timeout):
            return await fut
    if timeout is None:
        return await fut

    if timeout <= 0:
        fut = ensure_future(fut, loop=loop)
        if fut.done():
            return fut.result()
        await _cancel_and_wait(fut, loop=loop)
        try:
            return fut.result()
        except CancelledError as exc:
            raise TimeoutError() from exc

    waiter = loop.create_future()
    waiter._label = f"wait_for {timeout:g}"
    timeout_handle = loop.call_later(timeout, _release_waiter, waiter)
    cb = functools.partial(_release_waiter, waiter)

    fut = ensure_future(fut, loop=loop)
    fut.add_done_callback(cb)

    try:
        try:
            await waiter
        except CancelledError:
            # We were cancelled: pass the cancellation on, and wait for it.
            if fut.done():
                return fut.result()
            fut.remove_done_callback(cb)
            await _cancel_and_wait(fut, loop=loop)
            raise

        if fut.done():
            return fut.result()
        # The timer went off first.
        fut.remove_done_callback(cb)
        await _cancel_and_wait(fut, loop=loop)
        # The inner task may have swallowed the cancellation and returned.
        try:
            return fut.result()
        except CancelledError as exc:
            raise TimeoutError() from exc
    finally:
        timeout_handle.cancel()


async def _cancel_and_wait(fut: Future, loop: Any) -> None:
    """Cancel fut and wait until it is really done (its cleanup has run)."""
    waiter = loop.create_future()
    waiter._label = "cancellation"
    cb = functools.partial(_release_waiter, waiter)
    fut.add_done_callback(cb)
    try:
        fut.cancel()
        # Not `await fut`: if fut swallows the cancellation we must not raise.
        await waiter
    finally:
        fut.remove_done_callback(cb)


async def wait(fs: Any, *, timeout: float | None = None, return_when: str = ALL_COMPLETED) -> tuple[set, set]:
    """Wait for the futures in fs; return (done, pending) sets."""
    if isfuture(fs) or iscoroutine(fs):
        raise TypeError(f"expect a list of futures, not {type(fs).__name__}")
    if not fs:
        raise ValueError("Set of Tasks/Futures is empty.")
    if return_when not in (FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED):
        raise ValueError(f"Invalid return_when value: {return_when}")
    loop = events.get_running_loop()
    fs = set(fs)
    if any(iscoroutine(f) for f in fs):
        raise TypeError("Passing coroutines is forbidden, use tasks explicitly.")
    fs = {ensure_future(f, loop=loop) for f in fs}
    return await _wait(fs, timeout, return_when, loop)


async def _wait(fs: set, timeout: float | None, return_when: str, loop: Any) -> tuple[set, set]:
    waiter = loop.create_future()
    waiter._label = f"wait({len(fs)})"
    timeout_handle = None
    if timeout is not None:
        timeout_handle = loop.call_later(timeout, _release_waiter, waiter)
    counter = len(fs)
    cur_task = current_waiter() if versions.CALL_GRAPH else None  # 3.14 (gh-91048): fs awaited by it

    def _on_completion(f: Future) -> None:
        nonlocal counter
        counter -= 1
        if cur_task is not None:
            future_discard_from_awaited_by(f, cur_task)
        if (
            counter <= 0
            or return_when == FIRST_COMPLETED
            or (return_when == FIRST_EXCEPTION and not f.cancelled() and f.exception() is not None)
        ):
            if timeout_handle is not None:
                timeout_handle.cancel()
            if not waiter.done():
                waiter.set_result(None)

    for f in fs:
        f.add_done_callback(_on_completion)
        if cur_task is not None:
            future_add_to_awaited_by(f, cur_task)
    try:
        await waiter
    finally:
        if timeout_handle is not None:
            timeout_handle.cancel()
        for f in fs:
            f.remove_done_callback(_on_completion)

    done, pending = set(), set()
    for f in fs:
        (done if f.done() else pending).add(f)
    return done, pending


def as_completed(fs: Any, *, timeout: float | None = None) -> Iterator[Any]:
    """Yield awaitables that give the results of fs in the order they finish.

    From 3.13 (gh-77714) the answer is also an async iterator, `async for t in
    as_completed(...)`, which yields the tasks themselves as they finish."""
    if versions.AS_COMPLETED_ASYNC_ITERATOR:
        if inspect.isawaitable(fs):
            raise TypeError(f"expects an iterable of awaitables, not {type(fs).__name__}")
        return _AsCompletedIterator(fs, timeout)
    return _as_completed_generator(fs, timeout)


def _as_completed_generator(fs: Any, timeout: float | None) -> Iterator[Any]:
    # 3.11/3.12: a generator, so nothing (not even the tasks) starts before the first next().
    if isfuture(fs) or iscoroutine(fs):
        raise TypeError(f"expect an iterable of futures, not {type(fs).__name__}")
    from .queues import Queue

    done: Queue = Queue()
    loop = events.get_event_loop()
    todo = {ensure_future(f, loop=loop) for f in set(fs)}
    timeout_handle = None

    def _on_timeout() -> None:
        for f in todo:
            f.remove_done_callback(_on_completion)
            done.put_nowait(None)  # each remaining wait ends in TimeoutError
        todo.clear()

    def _on_completion(f: Future) -> None:
        if not todo:
            return  # _on_timeout() was here first
        todo.remove(f)
        done.put_nowait(f)
        if not todo and timeout_handle is not None:
            timeout_handle.cancel()

    async def _wait_for_one() -> Any:
        f = await done.get()
        if f is None:
            raise TimeoutError
        return f.result()

    for f in todo:
        f.add_done_callback(_on_completion)
    if todo and timeout is not None:
        timeout_handle = loop.call_later(timeout, _on_timeout)
    for _ in range(len(todo)):
        yield _wait_for_one()


class _AsCompletedIterator:
    """3.13's as_completed: tasks made at once; next() gives an awaitable of the
    next result, `async for` gives the next finished task itself."""

    def __init__(self, aws: Any, timeout: float | None) -> None:
        from .queues import Queue

        self._done: Queue = Queue()
        self._timeout_handle = None
        loop = events.get_event_loop()
        self._todo = {ensure_future(aw, loop=loop) for aw in set(aws)}
        for f in self._todo:
            f.add_done_callback(self._handle_completion)
        if self._todo and timeout is not None:
            self._timeout_handle = loop.call_later(timeout, self._handle_timeout)
        self._todo_left = len(self._todo)

    def __iter__(self) -> _AsCompletedIterator:
        return self

    def __aiter__(self) -> _AsCompletedIterator:
        return self

    def __next__(self) -> Any:
        if not self._todo_left:
            raise StopIteration
        self._todo_left -= 1
        return self._wait_for_one(resolve=True)

    async def __anext__(self) -> Any:
        if not self._todo_left:
            raise StopAsyncIteration
        self._todo_left -= 1
        return await self._wait_for_one()

    def _handle_timeout(self) -> None:
        for f in self._todo:
            f.remove_done_callback(self._handle_completion)
            self._done.put_nowait(None)  # each remaining wait ends in TimeoutError
        self._todo.clear()

    def _handle_completion(self, f: Future) -> None:
        if not self._todo:
            return  # _handle_timeout() was here first
        self._todo.remove(f)
        self._done.put_nowait(f)
        if not self._todo and self._timeout_handle is not None:
            self._timeout_handle.cancel()

    async def _wait_for_one(self, resolve: bool = False) -> Any:
        f = await self._done.get()
        if f is None:
            raise TimeoutError
        return f.result() if resolve else f
