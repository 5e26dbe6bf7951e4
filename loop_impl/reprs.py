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
import sys
import traceback
from collections.abc import Callable
from typing import Any

from . import versions


def _plain_location(filename: str, lineno: int) -> str:
    return f"{filename}:{lineno}"  # as asyncio's reprs say it


# How reprs and reports name a place in the program. A host may put its own
# here: the notebook magic says "Cell In[3], line 5", as IPython does, where a
# plain path would name a temporary file the learner never saw.
describe_location: Callable[[str, int], str] = _plain_location

__all__ = (
    "future_repr_info", "task_repr_info", "format_callback_source", "describe_wait", "describe_callback",
    "task_stack", "print_task_stack", "sleep_label",
)  # fmt: skip

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
    if fut._source_traceback:  # debug mode
        info.append(f"created at {fut._source_traceback[-1].filename}:{fut._source_traceback[-1].lineno}")
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


def task_stack(task: Any, limit: int | None, step_code: Any) -> list:
    """asyncio's Task.get_stack(): the coroutine's frame and its f_back chain (a suspended
    task shows only its outermost frame), or the traceback of the exception it raised."""
    frames = []
    frame = getattr(task._coro, "cr_frame", None) or getattr(task._coro, "gi_frame", None)
    if frame is not None:
        while frame is not None and (limit is None or len(frames) < limit):
            frames.append(frame)
            frame = frame.f_back
        frames.reverse()
    elif task._exception is not None:
        tb = task._exception.__traceback__
        if tb is not None and tb.tb_frame.f_code is step_code:
            tb = tb.tb_next  # our step's own frame (asyncio's step is C code: no frame)
        while tb is not None and (limit is None or len(frames) < limit):
            frames.append(tb.tb_frame)
            tb = tb.tb_next
    return frames


def print_task_stack(task: Any, limit: int | None, file: Any) -> None:
    """asyncio's Task.print_stack(): a header, the frames as a traceback, the exception."""
    file = sys.stderr if file is None else file
    frames = task.get_stack(limit=limit)
    exc = task._exception
    if not frames:
        print(f"No stack for {task!r}", file=file)
    elif exc is not None:
        print(f"Traceback for {task!r} (most recent call last):", file=file)
    else:
        print(f"Stack for {task!r} (most recent call last):", file=file)
    summary = traceback.StackSummary.extract((frame, frame.f_lineno) for frame in frames)
    file.write("".join(summary.format()))
    if exc is not None:
        file.write("".join(traceback.format_exception_only(type(exc), exc)))


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


def format_callback_source(func: Callable[..., Any], args: tuple | None, debug: bool = True) -> str:
    """`cb(1, 'x') at prog.py:3`: the callback with its arguments and where it is defined.

    From 3.13 (gh-112997) asyncio shows the arguments only in debug mode
    (why: they may hold secrets); before, always."""
    debug = debug or not versions.HANDLE_REPR_ARGS_ONLY_IN_DEBUG
    text = _format_callback(func, args, None, debug)
    source = _function_source(func)
    return f"{text} at {source[0]}:{source[1]}" if source else text


def _format_callback(func: Any, args: tuple | None, kwargs: dict | None, debug: bool, suffix: str = "") -> str:
    if isinstance(func, functools.partial):
        suffix = _format_args(args, kwargs, debug) + suffix
        return _format_callback(func.func, func.args, func.keywords, debug, suffix)
    text = getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or repr(func)
    return text + _format_args(args, kwargs, debug) + suffix


def _format_args(args: tuple | None, kwargs: dict | None, debug: bool) -> str:
    if not debug:
        return "()"
    items = [reprlib.repr(arg) for arg in args or ()]
    items += [f"{key}={reprlib.repr(value)}" for key, value in (kwargs or {}).items()]
    return f"({', '.join(items)})"


def _function_source(func: Any) -> tuple[str, int] | None:
    func = inspect.unwrap(func)
    if inspect.isfunction(func):
        return func.__code__.co_filename, func.__code__.co_firstlineno
    if isinstance(func, (functools.partial, functools.partialmethod)):
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


def shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


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


_sleep_labels: dict[float, str] = {}


def sleep_label(delay: float) -> str:
    """'sleep 0.5', formatted once per distinct delay (why: sleep is hot, f-strings are not free)."""
    label = _sleep_labels.get(delay)
    if label is None:
        label = f"sleep {delay:g}"
        if len(_sleep_labels) < 1024:
            _sleep_labels[delay] = label
    return label
