"""What counts as a coroutine, and as a coroutine function, in asyncio's terms."""

from __future__ import annotations

import inspect
import os
import sys
import types
from collections.abc import Coroutine
from typing import Any

__all__ = ("iscoroutine", "iscoroutinefunction")


def _is_debug_mode() -> bool:
    """A new loop starts in debug mode under `python -X dev` or PYTHONASYNCIODEBUG (asyncio's rule)."""
    return sys.flags.dev_mode or (not sys.flags.ignore_environment and bool(os.environ.get("PYTHONASYNCIODEBUG")))


_COROUTINE_TYPES = (types.CoroutineType, types.GeneratorType, Coroutine)

# The mark a function carries to say "I return a coroutine" without being
# `async def` (asyncio.coroutines._is_coroutine). Compared by identity (why: any
# attribute of a Mock exists, so "has the attribute" would call every Mock a coroutine function).
_is_coroutine = object()


def iscoroutine(obj: Any) -> bool:
    """True for coroutine objects (and, as in asyncio 3.11, generators)."""
    return isinstance(obj, _COROUTINE_TYPES)


def iscoroutinefunction(func: Any) -> bool:
    return inspect.iscoroutinefunction(func) or getattr(func, "_is_coroutine", None) is _is_coroutine
