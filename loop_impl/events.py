"""Which loop is running, per thread: loop_impl's own registry.

asyncio keeps "the running loop" in a thread-local; so do we, but in our own
thread-local, never asyncio's. That is what lets loop_impl run inside a
Jupyter kernel, whose thread already runs an asyncio loop: asyncio's registry
says "a loop is running", ours says "none of ours is", and `loop_impl.run()`
proceeds.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from . import versions

__all__ = (
    "get_running_loop",
    "get_event_loop",
    "set_event_loop",
    "new_event_loop",
    "_get_running_loop",
    "_set_running_loop",
    "AbstractServer",
)


class _LoopRegistry(threading.local):
    running: Any = None  # the loop running in this thread, if any
    current: Any = None  # the loop set_event_loop() chose for this thread
    current_set = False


_registry = _LoopRegistry()
_custom_policy: Any = None  # an event loop policy set by set_event_loop_policy(), if any


def _get_running_loop() -> Any:
    """The loop running in this thread, or None (no error)."""
    return _registry.running


def _set_running_loop(loop: Any) -> None:
    _registry.running = loop


def _forget_running_loop_after_fork() -> None:
    # A forked child runs no loop, whatever its parent was doing when it forked
    # (why: asyncio's rule too, so `asyncio.run()` works in a ProcessPoolExecutor worker).
    global _registry
    _registry.running = None
    if versions.FORK_FORGETS_CURRENT_LOOP:  # nor does it share its parent's current loop
        _registry = _LoopRegistry()
        local = getattr(_custom_policy, "_local", None)
        if isinstance(local, threading.local):  # a policy of one's own: a fresh per-thread state
            _custom_policy._local = type(local)()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_running_loop_after_fork)


def get_running_loop() -> Any:
    """The loop running in this thread; RuntimeError outside of one."""
    loop = _registry.running
    if loop is None:
        raise RuntimeError("no running event loop")
    return loop


def get_event_loop() -> Any:
    """The running loop, else the one set for this thread (created on first use in the
    main thread: silently on 3.11, with a DeprecationWarning on 3.12/3.13; never on 3.14)."""
    loop = _registry.running
    if loop is not None:
        return loop
    if _custom_policy is not None:  # someone set_event_loop_policy(): it decides (policies.py)
        return _custom_policy.get_event_loop()
    return _default_get_event_loop()


def _default_get_event_loop() -> Any:
    if _registry.current is None and not _registry.current_set and not versions.GET_EVENT_LOOP_RAISES:
        if threading.current_thread() is threading.main_thread():
            from .policies import warn_implicit_loop

            warn_implicit_loop()  # 3.12/3.13 (versions.GET_EVENT_LOOP_WARNS_WHEN_CREATING)
            _registry.current = new_event_loop()
    if _registry.current is None:
        raise RuntimeError(f"There is no current event loop in thread {threading.current_thread().name!r}.")
    return _registry.current


def set_event_loop(loop: Any) -> None:
    if _custom_policy is not None:
        _custom_policy.set_event_loop(loop)
        return
    _registry.current_set = True
    _registry.current = loop


# The class new loops are made of: the seam (asyncio_seam.py) puts HostedEventLoop
# here (why: a program run with loop_impl.run() may use a library that imports the
# real asyncio, which must then see this loop running, never none or a host's).
new_loop_class: Any = None


def new_event_loop() -> Any:
    """A new loop_impl EventLoop (not set as current: use set_event_loop)."""
    if _custom_policy is not None:
        return _custom_policy.new_event_loop()
    if new_loop_class is not None:
        return new_loop_class()
    from .loop import EventLoop

    return EventLoop()


class AbstractServer:
    """What create_server() returns: the interface (asyncio's events.AbstractServer)."""

    def close(self) -> None:
        """Stop listening; connections already accepted stay open."""
        raise NotImplementedError

    def get_loop(self) -> Any:
        raise NotImplementedError

    def is_serving(self) -> bool:
        raise NotImplementedError

    async def start_serving(self) -> None:
        """Start accepting connections (idempotent)."""
        raise NotImplementedError

    async def serve_forever(self) -> None:
        """Accept connections until cancelled."""
        raise NotImplementedError

    async def wait_closed(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Any:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.close()
        await self.wait_closed()
