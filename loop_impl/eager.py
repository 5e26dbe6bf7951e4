"""Eager tasks (3.12, gh-97696): a task whose first step runs inside create_task.

With `loop.set_task_factory(asyncio.eager_task_factory)` a new task runs
at once, as the current task, up to its first real wait; the creator
continues after that. A coroutine that finishes without ever waiting never
touches the ready queue at all: its task is done when create_task returns
(why asyncio added it: many tasks find their answer in a cache and never
need a loop turn). Tasks made this way are ordinary Tasks afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import versions
from .tasks import Task

__all__ = ("create_eager_task_factory", "eager_task_factory")


def create_eager_task_factory(custom_task_constructor: Callable[..., Any]) -> Callable[..., Any]:
    """A task factory that makes tasks with `custom_task_constructor(..., eager_start=True)`."""

    def factory(loop: Any, coro: Any, *, name: Any = None, context: Any = None) -> Any:
        return custom_task_constructor(coro, loop=loop, name=name, context=context, eager_start=True)

    def factory_with_kwargs(loop: Any, coro: Any, *, eager_start: bool = True, **kwargs: Any) -> Any:
        # 3.14 (gh-128308): whatever create_task was given, and eager_start may say no for one task.
        return custom_task_constructor(coro, loop=loop, eager_start=eager_start, **kwargs)

    return factory_with_kwargs if versions.TASK_FACTORY_GETS_KWARGS else factory


eager_task_factory = create_eager_task_factory(Task)
