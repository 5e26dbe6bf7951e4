"""Which loop is running, per thread: loop_impl's own registry.

asyncio keeps "the running loop" in a thread-local; so do we, but in our own
thread-local, never asyncio's. That is what lets loop_impl run inside a
Jupyter kernel, whose thread already runs an asyncio loop: asyncio's registry
says "a loop is running", ours says "none of ours is", and `loop_impl.run()`
proceeds.
"""

from __future__ import annotations

import threading
import warnings
from typing import Any

from . import versions

__all__ = (
    "get_running_loop",
    "get_event_loop",
    "set_event_loop",
    "new_event_loop",
    "_get_running_loop",
    "_set_running_loop",
)


class _LoopRegistry(threading.local):
    running: Any = None  # the loop running in this thread, if any
    current: Any = None  # the loop set_event_loop() chose for this thread
    current_set = False


_registry = _LoopRegistry()


def _get_running_loop() -> Any:
    """The loop running in this thread, or None (no error)."""
    return _registry.running


def _set_running_loop(loop: Any) -> None:
    _registry.running = loop


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
    if _registry.current is None and not _registry.current_set and not versions.GET_EVENT_LOOP_RAISES:
        if threading.current_thread() is threading.main_thread():
            if versions.GET_EVENT_LOOP_WARNS_WHEN_CREATING:  # 3.12/3.13 (gh-93453); 3.14 raises instead
                warnings.warn("There is no current event loop", DeprecationWarning, stacklevel=2)
            _registry.current = new_event_loop()
    if _registry.current is None:
        raise RuntimeError(f"There is no current event loop in thread {threading.current_thread().name!r}.")
    return _registry.current


def set_event_loop(loop: Any) -> None:
    _registry.current_set = True
    _registry.current = loop


def new_event_loop() -> Any:
    """A new loop_impl EventLoop (not set as current: use set_event_loop)."""
    from .loop import EventLoop

    return EventLoop()
