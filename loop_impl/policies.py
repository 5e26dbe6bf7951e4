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
import warnings
from typing import Any

from . import events, versions

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

    # Child watchers (asyncio 3.11-3.13): loop_impl watches children itself
    # (a pidfd in the selector), so there is nothing to get or set.
    def get_child_watcher(self) -> Any:
        raise NotImplementedError

    def set_child_watcher(self, watcher: Any) -> None:
        raise NotImplementedError


class BaseDefaultEventLoopPolicy(AbstractEventLoopPolicy):
    """One current loop per thread; the main thread gets one made on first use."""

    _loop_factory: Any = None

    class _Local(threading.local):
        _loop: Any = None
        _set_called = False

    def __init__(self) -> None:
        self._local: Any = self._Local()

    def get_event_loop(self) -> Any:
        if self._local._loop is None and not self._local._set_called and not versions.GET_EVENT_LOOP_RAISES:
            if threading.current_thread() is threading.main_thread():
                warn_implicit_loop()
                self.set_event_loop(self.new_event_loop())  # through set_event_loop, as asyncio's
        if self._local._loop is None:
            raise RuntimeError(f"There is no current event loop in thread {threading.current_thread().name!r}.")
        return self._local._loop

    def set_event_loop(self, loop: Any) -> None:
        self._local._set_called = True
        if loop is not None and not _looks_like_a_loop(loop):
            raise TypeError(f"loop must be an instance of AbstractEventLoop or None, not '{type(loop).__name__}'")
        self._local._loop = loop

    def new_event_loop(self) -> Any:
        if self._loop_factory is None:
            from .loop import EventLoop

            return EventLoop()
        return self._loop_factory()


class _UnixDefaultEventLoopPolicy(BaseDefaultEventLoopPolicy):
    """The default policy: loop_impl's EventLoop (named as asyncio's class on Unix,
    which `DefaultEventLoopPolicy` is an alias of)."""


DefaultEventLoopPolicy = _UnixDefaultEventLoopPolicy


class _RegistryLocal:
    """The default policy's per-thread state *is* loop_impl's registry (events.py), so
    `get_event_loop()` needs no policy at all until someone sets one."""

    _loop = property(lambda self: events._registry.current)
    _set_called = property(lambda self: events._registry.current_set)

    @_loop.setter
    def _loop(self, loop: Any) -> None:
        events._registry.current = loop

    @_set_called.setter
    def _set_called(self, value: bool) -> None:
        events._registry.current_set = value


def _deprecated(name: str) -> None:
    if versions.POLICIES_DEPRECATED:  # 3.14 (gh-127949): the policy system goes in 3.16
        warnings.warn(f"{name!r} is deprecated and slated for removal in Python 3.16", DeprecationWarning, stacklevel=3)


def get_event_loop_policy() -> AbstractEventLoopPolicy:
    """The policy in force (a DefaultEventLoopPolicy until someone sets another)."""
    _deprecated("asyncio.get_event_loop_policy")
    global _default_policy
    if events._custom_policy is not None:
        return events._custom_policy
    with _lock:
        if _default_policy is None:
            _default_policy = DefaultEventLoopPolicy()
            _default_policy._local = _RegistryLocal()
    return _default_policy


def set_event_loop_policy(policy: AbstractEventLoopPolicy | None) -> None:
    """Install policy (None: back to the default, on loop_impl's registry)."""
    _deprecated("asyncio.set_event_loop_policy")
    global _default_policy
    if policy is not None and not isinstance(policy, AbstractEventLoopPolicy):
        raise TypeError(f"policy must be an instance of AbstractEventLoopPolicy or None, not '{type(policy).__name__}'")
    if policy is None:
        # A fresh default policy, as asyncio makes: no loop set for this thread yet.
        _default_policy = None
        events._registry.current, events._registry.current_set = None, False
        events._custom_policy = None
    elif policy is _default_policy:
        events._custom_policy = None
    else:
        events._custom_policy = policy


def warn_implicit_loop() -> None:
    """3.12/3.13: making the main thread's loop behind the caller's back is deprecated."""
    if not versions.GET_EVENT_LOOP_WARNS_WHEN_CREATING:
        return
    import sys

    # Blame the first frame outside loop_impl (and its asyncio shims), as asyncio does.
    frame, stacklevel = sys._getframe(1), 2
    while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] in ("loop_impl", "asyncio"):
        frame, stacklevel = frame.f_back, stacklevel + 1
    warnings.warn("There is no current event loop", DeprecationWarning, stacklevel=stacklevel)


def _looks_like_a_loop(loop: Any) -> bool:
    return callable(getattr(loop, "run_until_complete", None)) and callable(getattr(loop, "call_soon", None))
