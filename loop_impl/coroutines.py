"""What counts as a coroutine, and as a coroutine function, in asyncio's terms."""

from __future__ import annotations

import inspect
import types
from collections.abc import Coroutine
from typing import Any

from . import versions

__all__ = ("iscoroutine", "iscoroutinefunction", "never_resumed")


_COROUTINE_TYPES = (types.CoroutineType, types.GeneratorType, Coroutine)
if versions.ISCOROUTINE_REJECTS_GENERATORS:  # 3.12 (gh-102748): a plain generator is not a coroutine
    _COROUTINE_TYPES = (types.CoroutineType, Coroutine)

# The mark a function carries to say "I return a coroutine" without being
# `async def` (asyncio.coroutines._is_coroutine). Compared by identity (why: any
# attribute of a Mock exists, so "has the attribute" would call every Mock a coroutine function).
_is_coroutine = object()


def iscoroutine(obj: Any) -> bool:
    """True for coroutine objects (and, before 3.12, generators)."""
    return isinstance(obj, _COROUTINE_TYPES)


def iscoroutinefunction(func: Any) -> bool:
    return inspect.iscoroutinefunction(func) or getattr(func, "_is_coroutine", None) is _is_coroutine


def never_resumed(coro: Any) -> bool:
    """Whether an interrupt that came out of a step arose in the loop's own code
    around `coro.send()` / `coro.throw()`, not in the coroutine (a Task's step asks).

    Why it matters: an interrupt (a kernel's stop) can arrive at any bytecode,
    also in the loop's stepping code just before or after it resumes the
    coroutine. An exception that went through the coroutine ended it, so its
    frame is gone; a frame still there is suspended, and must be stepped (or
    closed) again: marking its task failed would leave its `finally` unrun.
    """
    frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
    return frame is not None
