"""How futures and tasks print themselves, in asyncio's words.

`repr(task)` is what a learner sees when they print a task, and what error
messages quote: `<Task pending name='Task-2' coro=<worker() running at
prog.py:7> wait_for=<Future pending cb=[Task.task_wakeup()]>>`. The shapes
are asyncio's (its C-accelerated variant, where they differ).
"""

from __future__ import annotations

import functools
import inspect
import re
import reprlib
from collections.abc import Callable
from typing import Any


def _plain_location(filename: str, lineno: int) -> str:
    return f"{filename}:{lineno}"  # as asyncio's reprs say it


# How reprs and reports name a place in the program. A host may put its own
# here: the notebook magic says "Cell In[3], line 5", as IPython does, where a
# plain path would name a temporary file the learner never saw.
describe_location: Callable[[str, int], str] = _plain_location

__all__ = ("future_repr_info", "task_repr_info", "format_callback_source", "describe_wait", "describe_callback")

_FINISHED = "FINISHED"


def future_repr_info(fut: Any) -> list[str]:
    info = [fut._state.lower()]
    if fut._state == _FINISHED:
        if fut._exception is not None:
            info.append(f"exception={fut._exception!r}")
        else:
            info.append(f"result={reprlib.repr(fut._result)}")
    callbacks = fut._done_callbacks()
    if callbacks:
        names = [_callback_name(cb) for cb, _ in callbacks]
        if len(names) > 2:
            names = [names[0], f"<{len(names) - 2} more>", names[-1]]
        info.append(f"cb=[{', '.join(names)}]")
    return info


def _callback_name(cb: Callable[..., Any]) -> str:
    func = getattr(cb, "func", cb)
    name = getattr(func, "__qualname__", None) or repr(func)
    if name == "Task.__wakeup" or name.endswith("._Task__wakeup"):
        name = "Task.task_wakeup"  # what the C-accelerated asyncio shows
    code = getattr(func, "__code__", None)
    if code is not None and not name.startswith("Task."):
        # Where the callback is defined, as asyncio's repr says it (why: same print() output).
        return f"{name}() at {describe_location(code.co_filename, code.co_firstlineno)}"
    return f"{name}()"


def task_repr_info(task: Any) -> list[str]:
    info = future_repr_info(task)
    if task._num_cancels_requested and not task.done():
        info[0] = "cancelling"
    info.insert(1, f"name={task.get_name()!r}")
    info.insert(2, f"coro=<{_format_coroutine(task._coro)}>")
    if task._fut_waiter is not None:
        info.insert(3, f"wait_for={task._fut_waiter!r}")
    return info


def _format_coroutine(coro: Any) -> str:
    name = getattr(coro, "__qualname__", None) or getattr(coro, "__name__", None) or type(coro).__name__
    name = f"{name}()"
    code = getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)
    frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
    if code is None:
        return name
    if frame is not None:
        return f"{name} running at {describe_location(code.co_filename, frame.f_lineno)}"
    return f"{name} done, defined at {describe_location(code.co_filename, code.co_firstlineno)}"


def format_callback_source(func: Callable[..., Any], args: tuple | None) -> str:
    """`cb(1, 'x') at prog.py:3`: the callback with its arguments and where it is defined."""
    text = _format_callback(func, args, None)
    source = _function_source(func)
    return f"{text} at {source[0]}:{source[1]}" if source else text


def _format_callback(func: Any, args: tuple | None, kwargs: dict | None, suffix: str = "") -> str:
    if isinstance(func, functools.partial):
        suffix = _format_args(args, kwargs) + suffix
        return _format_callback(func.func, func.args, func.keywords, suffix)
    text = getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or repr(func)
    return text + _format_args(args, kwargs) + suffix


def _format_args(args: tuple | None, kwargs: dict | None) -> str:
    items = [reprlib.repr(arg) for arg in args or ()]
    items += [f"{key}={reprlib.repr(value)}" for key, value in (kwargs or {}).items()]
    return f"({', '.join(items)})"


def _function_source(func: Any) -> tuple[str, int] | None:
    func = inspect.unwrap(func)
    if inspect.isfunction(func):
        return func.__code__.co_filename, func.__code__.co_firstlineno
    if isinstance(func, functools.partial):
        return _function_source(func.func)
    return None


def describe_wait(fut: Any) -> str:
    """What a trace says a task waits for: 'sleep 0.5', 'Task worker', 'Future'."""
    label = getattr(fut, "_label", None)
    if label:
        return label
    if hasattr(fut, "get_coro"):  # a Task
        return f"Task {fut.get_name()}"
    return type(fut).__name__


def describe_callback(callback: Callable[..., Any], args: tuple = ()) -> str:
    """A short, stable name for a callback: `Task.__wakeup`, `on_timer(1, 2)`."""
    func = getattr(callback, "func", None)  # functools.partial
    if func is not None and hasattr(callback, "args"):
        return describe_callback(func, tuple(callback.args) + tuple(args))
    name = getattr(callback, "__qualname__", None) or getattr(callback, "__name__", None)
    if name is None:
        name = type(callback).__name__
    if args:
        shown = ", ".join(_short_repr(a) for a in args[:3])
        if len(args) > 3:
            shown += ", ..."
        return f"{name}({shown})"
    return f"{name}()"


def _short_repr(value: Any) -> str:
    """Stable across runs: no memory addresses, tasks and futures by name."""
    get_name = getattr(value, "get_name", None)
    if get_name is not None and hasattr(value, "_asyncio_future_blocking"):
        return f"<Task {get_name()}>"
    if hasattr(value, "_asyncio_future_blocking"):
        label = getattr(value, "_label", None)
        return f"<{type(value).__name__} {label}>" if label else f"<{type(value).__name__}>"
    text = _ADDRESS.sub("", repr(value))
    return text if len(text) <= 40 else text[:37] + "..."


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
