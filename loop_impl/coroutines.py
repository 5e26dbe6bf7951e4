"""iscoroutine() and iscoroutinefunction(): what asyncio accepts as a coroutine."""

from __future__ import annotations

import inspect
import types
from collections.abc import Coroutine
from typing import Any

from . import versions

__all__ = ("iscoroutine", "iscoroutinefunction")

# 3.12 (gh-102748): a plain generator is no longer a coroutine to asyncio.
if versions.ISCOROUTINE_REJECTS_GENERATORS:
    _COROUTINE_TYPES: tuple = (types.CoroutineType, Coroutine)
else:
    _COROUTINE_TYPES = (types.CoroutineType, types.GeneratorType, Coroutine)


def iscoroutine(obj: Any) -> bool:
    """True for coroutine objects (and, before 3.12, generators)."""
    return isinstance(obj, _COROUTINE_TYPES)


def iscoroutinefunction(func: Any) -> bool:
    return inspect.iscoroutinefunction(func) or getattr(func, "_is_coroutine", None) is not None
