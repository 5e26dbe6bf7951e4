"""Event loop policies: who decides what `get_event_loop()` and `new_event_loop()` return.

A policy is asyncio's global hook for "which loop class, and which loop is
current in this thread". Most programs never touch it; uvloop and test
suites do (`set_event_loop_policy(uvloop.EventLoopPolicy())`). The default
policy here answers from loop_impl's own registry (events.py), so it keeps
working inside a Jupyter kernel whose thread runs a loop of its own.
Python 3.14 deprecates the whole mechanism in favour of
`asyncio.run(loop_factory=...)`; until then, it is part of the interface.
"""

from __future__ import annotations

import threading
from typing import Any

from . import events

__all__ = (
    "AbstractEventLoopPolicy", "BaseDefaultEventLoopPolicy", "DefaultEventLoopPolicy",
    "get_event_loop_policy", "set_event_loop_policy",
)  # fmt: skip

_lock = threading.Lock()
_default_policy: Any = None


class AbstractEventLoopPolicy:
    """The interface: get, set and create the event loop of the current thread."""

    def get_event_loop(self) -> Any:
        raise NotImplementedError

    def set_event_loop(self, loop: Any) -> None:
        raise NotImplementedError

    def new_event_loop(self) -> Any:
        raise NotImplementedError


class BaseDefaultEventLoopPolicy(AbstractEventLoopPolicy):
    """One current loop per thread; the main thread gets one made on first use."""

    _loop_factory: Any = None

    def __init__(self) -> None:
        self._local = threading.local()

    def get_event_loop(self) -> Any:
        if getattr(self._local, "loop", None) is None and not getattr(self._local, "set_called", False):
            if threading.current_thread() is threading.main_thread():
                events.warn_no_current_loop()
                self.set_event_loop(self.new_event_loop())
        loop = getattr(self._local, "loop", None)
        if loop is None:
            raise RuntimeError(f"There is no current event loop in thread {threading.current_thread().name!r}.")
        return loop

    def set_event_loop(self, loop: Any) -> None:
        self._local.set_called = True
        if loop is not None and not _looks_like_a_loop(loop):
            raise TypeError(f"loop must be an instance of AbstractEventLoop or None, not '{type(loop).__name__}'")
        self._local.loop = loop

    def new_event_loop(self) -> Any:
        if self._loop_factory is None:
            from .loop import EventLoop

            return EventLoop()
        return self._loop_factory()


class _UnixDefaultEventLoopPolicy(BaseDefaultEventLoopPolicy):
    """The policy in force when nobody set one: loop_impl's EventLoop, loop_impl's registry.

    (Named as asyncio's class on Unix, which `DefaultEventLoopPolicy` is an alias of.)
    """

    def get_event_loop(self) -> Any:
        return events._default_get_event_loop()

    def set_event_loop(self, loop: Any) -> None:
        if loop is not None and not _looks_like_a_loop(loop):
            raise TypeError(f"loop must be an instance of AbstractEventLoop or None, not '{type(loop).__name__}'")
        events._registry.current_set = True
        events._registry.current = loop


DefaultEventLoopPolicy = _UnixDefaultEventLoopPolicy


def get_event_loop_policy() -> AbstractEventLoopPolicy:
    """The policy in force (a DefaultEventLoopPolicy until someone sets another)."""
    global _default_policy
    if events._custom_policy is not None:
        return events._custom_policy
    with _lock:
        if _default_policy is None:
            _default_policy = DefaultEventLoopPolicy()
    return _default_policy


def set_event_loop_policy(policy: AbstractEventLoopPolicy | None) -> None:
    """Install policy (None: back to the default)."""
    global _default_policy
    if policy is not None and not isinstance(policy, AbstractEventLoopPolicy):
        raise TypeError(f"policy must be an instance of AbstractEventLoopPolicy or None, not '{type(policy).__name__}'")
    # The default policy reads loop_impl's registry directly (why: no extra
    # hop on every get_event_loop() for the common case).
    if policy is None or type(policy) is DefaultEventLoopPolicy:
        _default_policy = policy
        events._custom_policy = None
    else:
        events._custom_policy = policy


def _looks_like_a_loop(loop: Any) -> bool:
    return callable(getattr(loop, "run_until_complete", None)) and callable(getattr(loop, "call_soon", None))
