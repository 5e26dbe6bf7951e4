"""run(): the front door. Make a loop, run main to completion, clean up.

After `main` returns, run() cancels every task still pending and runs the
loop until they have finished (so their `finally` blocks run), closes open
async generators, shuts the default executor down, and closes the loop.
That is asyncio.run()'s contract, and the reason a task left behind still
gets to print from its `except CancelledError` block.
"""

from __future__ import annotations

import contextvars
import enum
import functools
import inspect
import signal
import threading
from typing import Any

from . import events, versions
from .exceptions import CancelledError
from .tasks import all_tasks, iscoroutine

__all__ = ("Runner", "run")


class _State(enum.Enum):
    CREATED = "created"
    INITIALIZED = "initialized"
    CLOSED = "closed"


class Runner:
    """A loop that runs several top-level coroutines in the same context."""

    def __init__(self, *, debug: bool | None = None, loop_factory: Any = None) -> None:
        self._state = _State.CREATED
        self._debug = debug
        self._loop_factory = loop_factory
        self._loop: Any = None
        self._context: contextvars.Context | None = None
        self._interrupt_count = 0
        self._set_event_loop = False

    def __enter__(self) -> Runner:
        self._lazy_init()
        return self

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        self.close()

    def close(self) -> None:
        if self._state is not _State.INITIALIZED:
            return
        try:
            loop = self._loop
            _cancel_all_tasks(loop)
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            if self._set_event_loop:
                events.set_event_loop(None)
            loop.close()
            self._loop = None
            self._state = _State.CLOSED

    def get_loop(self) -> Any:
        self._lazy_init()
        return self._loop

    def run(self, coro: Any, *, context: contextvars.Context | None = None) -> Any:
        """Run a coroutine (3.14: any awaitable) on this runner's loop until it completes."""
        if not iscoroutine(coro):
            if not versions.RUN_TAKES_ANY_AWAITABLE:
                raise ValueError(f"a coroutine was expected, got {coro!r}")
            if not inspect.isawaitable(coro):
                raise TypeError("An asyncio.Future, a coroutine or an awaitable is required")
            coro = _await(coro)
        if events._get_running_loop() is not None:
            raise RuntimeError("Runner.run() cannot be called from a running event loop")
        self._lazy_init()
        if context is None:
            context = self._context
        task = self._loop.create_task(coro, context=context)

        # Ctrl-C cancels the main task first, so its cleanup runs (asyncio's way).
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            sigint_handler = functools.partial(self._on_sigint, main_task=task)
            try:
                signal.signal(signal.SIGINT, sigint_handler)
            except ValueError:
                sigint_handler = None
        else:
            sigint_handler = None

        self._interrupt_count = 0
        try:
            return self._loop.run_until_complete(task)
        except CancelledError:
            if self._interrupt_count > 0:
                uncancel = getattr(task, "uncancel", None)
                if uncancel is not None and uncancel() == 0:
                    raise KeyboardInterrupt()
            raise
        finally:
            if sigint_handler is not None and signal.getsignal(signal.SIGINT) is sigint_handler:
                signal.signal(signal.SIGINT, signal.default_int_handler)

    def _lazy_init(self) -> None:
        if self._state is _State.CLOSED:
            raise RuntimeError("Runner is closed")
        if self._state is _State.INITIALIZED:
            return
        if self._loop_factory is None:
            self._loop = events.new_event_loop()
            events.set_event_loop(self._loop)
            self._set_event_loop = True
        else:
            self._loop = self._loop_factory()
        if self._debug is not None:
            self._loop.set_debug(self._debug)
        self._context = contextvars.copy_context()
        self._state = _State.INITIALIZED

    def _on_sigint(self, signum: int, frame: Any, main_task: Any) -> None:
        self._interrupt_count += 1
        if self._interrupt_count == 1 and not main_task.done():
            main_task.cancel()
            # Wake the loop if it sleeps in select(): the handler ran between syscalls.
            self._loop.call_soon_threadsafe(lambda: None)
            return
        raise KeyboardInterrupt()


def run(main: Any, *, debug: bool | None = None, loop_factory: Any = None) -> Any:
    """Run the coroutine `main` on a new loop (loop_factory's, 3.12+) and return its result."""
    if loop_factory is not None and not versions.RUN_TAKES_LOOP_FACTORY:
        raise TypeError("run() got an unexpected keyword argument 'loop_factory'")
    if events._get_running_loop() is not None:
        raise RuntimeError("asyncio.run() cannot be called from a running event loop")
    with Runner(debug=debug, loop_factory=loop_factory) as runner:
        return runner.run(main)


async def _await(awaitable: Any) -> Any:
    return await awaitable


def _cancel_all_tasks(loop: Any) -> None:
    from .gathering import gather

    to_cancel = all_tasks(loop)
    if not to_cancel:
        return
    for task in to_cancel:
        task.cancel()
    loop.run_until_complete(gather(*to_cancel, return_exceptions=True))
    for task in to_cancel:
        if task.cancelled():
            continue
        if task.exception() is not None:
            loop.call_exception_handler(
                {
                    "message": "unhandled exception during asyncio.run() shutdown",
                    "exception": task.exception(),
                    "task": task,
                }
            )
