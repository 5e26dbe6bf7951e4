"""Crossing between threads and the loop, both ways.

* `to_thread(func, ...)`: from a task, run a blocking function in a worker
  thread and await its result; the loop keeps running other tasks meanwhile.
* `run_coroutine_threadsafe(coro, loop)`: from another thread, start a
  coroutine on a running loop and get a `concurrent.futures.Future` to wait
  on with an ordinary blocking `.result()`.

The one rule behind both: only the loop's own thread touches the loop's
futures and queues. Another thread talks to the loop with
`loop.call_soon_threadsafe()`, which queues a callback *and* wakes the loop
if it is blocked in `select()`; `futures._chain_future` uses it to copy a
result from one side to the other.
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import functools
from collections.abc import Callable
from typing import Any

from . import capabilities, events
from .futures import _chain_future
from .tasks import ensure_future, iscoroutine

__all__ = ("to_thread", "run_coroutine_threadsafe")


async def to_thread(func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Run func(*args, **kwargs) in the loop's default executor and await the result.

    The caller's context variables are visible in the thread (why: the
    call runs inside a copy of the current contextvars context).
    """
    loop = events.get_running_loop()
    capabilities.require_threads("asyncio.to_thread()")
    ctx = contextvars.copy_context()
    func_call = functools.partial(ctx.run, func, *args, **kwargs)
    return await loop.run_in_executor(None, func_call)


def run_coroutine_threadsafe(coro: Any, loop: Any) -> concurrent.futures.Future:
    """Submit a coroutine to `loop` from another thread; return a concurrent Future."""
    if not iscoroutine(coro):
        raise TypeError("A coroutine object is required")
    future: concurrent.futures.Future = concurrent.futures.Future()

    def callback() -> None:
        # Runs in the loop's thread: only there may we create the task.
        try:
            _chain_future(ensure_future(coro, loop=loop), future)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            if future.set_running_or_notify_cancel():
                future.set_exception(exc)
            raise

    loop.call_soon_threadsafe(callback)
    return future
