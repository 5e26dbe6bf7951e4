"""gather() and shield(): one future standing for others.

`gather(a, b, c)` wraps each coroutine in a Task and returns an "outer"
future that resolves to the list of results, in argument order, when all
are done. Nothing polls: each child has a done-callback that counts down.

Its rules, each asyncio's:
* results come back in argument order, whatever order the children finish;
* without return_exceptions, the first exception resolves the outer future
  at once, and the other children keep running (they are not cancelled);
* cancelling the outer future cancels every child that is still running.
"""

from __future__ import annotations

from typing import Any

from . import events, versions
from .call_graph import current_waiter, future_add_to_awaited_by, future_discard_from_awaited_by
from .exceptions import CancelledError
from .futures import Future, _get_loop
from .tasks import ensure_future

__all__ = ("gather", "shield")


class _GatheringFuture(Future):
    """The outer future of gather(); cancelling it cancels the children."""

    __slots__ = ("_children", "_cancel_requested")

    def __init__(self, children: list[Future], *, loop: Any) -> None:
        super().__init__(loop=loop)
        self._children = children
        self._cancel_requested = False
        self._label = f"gather({len(children)})"

    def cancel(self, msg: Any = None) -> bool:
        if self.done():
            return False
        ret = False
        for child in self._children:
            if child.cancel(msg=msg):
                ret = True
        if ret:
            # A child really was cancelled: the outer future must end
            # cancelled too, even with return_exceptions=True.
            self._cancel_requested = True
        return ret


def gather(*coros_or_futures: Any, return_exceptions: bool = False) -> Future:
    """Run awaitables concurrently; resolve to their results in argument order."""
    if not coros_or_futures:
        loop = events.get_event_loop()
        outer = loop.create_future()
        outer.set_result([])
        return outer
    waiter = current_waiter() if versions.CALL_GRAPH else None  # 3.14 (gh-91048): children awaited by it

    def _done_callback(fut: Future) -> None:
        nonlocal nfinished
        nfinished += 1
        if waiter is not None:
            future_discard_from_awaited_by(fut, waiter)

        if outer is None or outer.done():
            if not fut.cancelled():
                fut.exception()  # mark the exception as retrieved
            return

        if not return_exceptions:
            if fut.cancelled():
                outer.set_exception(fut._make_cancelled_error())
                return
            exc = fut.exception()
            if exc is not None:
                outer.set_exception(exc)  # the first error wins; siblings run on
                return

        if nfinished == nfuts:
            results = []
            for child in children:
                if child.cancelled():
                    msg = child._cancel_message
                    results.append(CancelledError("" if msg is None else msg))
                else:
                    res = child.exception()
                    results.append(child.result() if res is None else res)
            if outer._cancel_requested:
                # asyncio takes this error from the *last* child (its loop variable
                # shadows the callback's argument); so do we, or the messages differ.
                outer.set_exception(children[-1]._make_cancelled_error())
            else:
                outer.set_result(results)

    arg_to_fut: dict[Any, Future] = {}
    children: list[Future] = []
    nfuts = 0
    nfinished = 0
    loop = None
    outer: _GatheringFuture | None = None
    done_futs: list[Future] = []
    for arg in coros_or_futures:
        if arg not in arg_to_fut:
            fut = ensure_future(arg, loop=loop)
            if loop is None:
                loop = _get_loop(fut)
            if fut is not arg:
                fut._log_destroy_pending = False  # ours: the caller can't see it
            nfuts += 1
            arg_to_fut[arg] = fut
            if versions.GATHER_DONE_CHILDREN_AT_ONCE and fut.done():
                done_futs.append(fut)
            else:
                if waiter is not None:
                    future_add_to_awaited_by(fut, waiter)
                fut.add_done_callback(_done_callback)
        else:
            fut = arg_to_fut[arg]  # the same awaitable twice: awaited once
        children.append(fut)

    outer = _GatheringFuture(children, loop=loop)
    # 3.12 (gh-104144): children already done are counted now, not one
    # iteration later, so gather() of done children returns a done future.
    for fut in done_futs:
        _done_callback(fut)
    return outer


def shield(arg: Any) -> Future:
    """Protect an awaitable from cancellation: cancelling the caller leaves it running."""
    inner = ensure_future(arg)
    if inner.done():
        return inner
    loop = _get_loop(inner)
    outer = loop.create_future()
    outer._label = "shield"
    waiter = current_waiter() if versions.CALL_GRAPH else None
    if waiter is not None:  # 3.14 (gh-91048): the caller waits on inner until inner is done
        future_add_to_awaited_by(inner, waiter)
        inner.add_done_callback(lambda inner: future_discard_from_awaited_by(inner, waiter))

    def _inner_done_callback(inner: Future) -> None:
        if outer.cancelled():
            if not inner.cancelled():
                inner.exception()  # mark retrieved
            return
        if inner.cancelled():
            outer.cancel()
        else:
            exc = inner.exception()
            if exc is not None:
                outer.set_exception(exc)
            else:
                outer.set_result(inner.result())

    def _outer_done_callback(outer: Future) -> None:
        if not inner.done():
            inner.remove_done_callback(_inner_done_callback)

    inner.add_done_callback(_inner_done_callback)
    outer.add_done_callback(_outer_done_callback)
    return outer
