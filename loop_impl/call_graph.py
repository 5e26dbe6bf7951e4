"""Who awaits whom: 3.14's call-graph introspection (gh-91048).

A traceback shows one coroutine's frames; an async program's "call stack"
crosses tasks: main awaits a gather, which awaits three children, one of
which awaits a lock. `capture_call_graph()` draws that picture for a task:
its coroutine frames (`call_stack`, innermost first) and, recursively, the
tasks that wait on it (`awaited_by`). `print_call_graph()` prints it.

Where the "awaited by" edges come from:

* a task parked on a future (`await fut`): loop_impl's Task already keeps
  that edge as `_fut_waiter`, from the moment it parks until its next step,
  the same span over which 3.14's Task adds and discards it. So the switch
  path records nothing more; a capture looks the edges up (`_waiting_tasks`).
* a function that waits on futures for the current task without the task
  awaiting them directly: gather(), shield(), wait(), TaskGroup. Those call
  `future_add_to_awaited_by(fut, task)` and `future_discard_from_awaited_by`
  (public, for libraries that do the same), which keep the edge on the
  future itself, in insertion order (3.14 keeps a set: any order).

As in 3.14.2, an edge may outlive its waiter: a wait() that timed out, or a
cancelled shield() caller, still "awaits" until the future is done; the
finished waiter's one frame is then None. One difference, on purpose:
future_discard_from_awaited_by(fut, task) while `task` is parked on `fut`
changes nothing here, as that edge lives in the task.
"""

from __future__ import annotations

import dataclasses
import inspect
import sys
import types
from typing import Any, TextIO

from . import events
from .futures import Future
from .tasks import Task, _all_tasks, current_task

__all__ = (
    "capture_call_graph", "format_call_graph", "print_call_graph", "FrameCallGraphEntry", "FutureCallGraph",
    "future_add_to_awaited_by", "future_discard_from_awaited_by",
)  # fmt: skip

# A frame whose code has one of these flags runs a coroutine or generator.
_SUSPENDABLE = inspect.CO_COROUTINE | inspect.CO_ITERABLE_COROUTINE | inspect.CO_GENERATOR | inspect.CO_ASYNC_GENERATOR


@dataclasses.dataclass(frozen=True, slots=True)
class FrameCallGraphEntry:
    frame: types.FrameType


@dataclasses.dataclass(frozen=True, slots=True)
class FutureCallGraph:
    future: Future
    call_stack: tuple[FrameCallGraphEntry, ...]
    awaited_by: tuple[FutureCallGraph, ...]


def future_add_to_awaited_by(fut: Any, waiter: Any, /) -> None:
    """Record that `waiter` (a task) waits on `fut`. Anything but loop_impl futures is ignored, as in 3.14."""
    if isinstance(fut, Future) and isinstance(waiter, Future):
        if getattr(fut, "_awaited_by", None) is None:
            fut._awaited_by = {}  # a dict as an ordered set (why: a capture then prints in a fixed order)
        fut._awaited_by[waiter] = None


def future_discard_from_awaited_by(fut: Any, waiter: Any, /) -> None:
    """Record that `waiter` no longer waits on `fut`."""
    if isinstance(fut, Future) and isinstance(waiter, Future) and getattr(fut, "_awaited_by", None):
        fut._awaited_by.pop(waiter, None)


def current_waiter() -> Task | None:
    """The task on whose behalf gather(), shield() and wait() wait: the current one, if any."""
    loop = events._get_running_loop()
    return None if loop is None else current_task(loop)


def _waiting_tasks() -> dict[int, list[Task]]:
    """id(future) -> the pending tasks parked on it, from every task's `_fut_waiter`."""
    parked: dict[int, list[Task]] = {}
    for ref in list(_all_tasks.values()):  # a copy: the registry may change meanwhile
        task = ref()
        if task is not None and task._fut_waiter is not None:
            parked.setdefault(id(task._fut_waiter), []).append(task)
    return parked


def _awaited_by(future: Future, parked: dict[int, list[Task]], limit: int | None) -> tuple[FutureCallGraph, ...]:
    waiters = dict.fromkeys(getattr(future, "_awaited_by", None) or ())
    waiters.update(dict.fromkeys(parked.get(id(future), ())))
    return tuple(_graph_of_other(waiter, parked, limit) for waiter in waiters)


def _trim(frames: list[FrameCallGraphEntry], limit: int | None) -> list[FrameCallGraphEntry]:
    """`frames` run from the task's outermost coroutine inwards; keep `limit` of them:
    the outermost if positive, the innermost if negative, none if 0."""
    if limit is None:
        return frames
    return frames[:limit] if limit >= 0 else frames[limit:]


def _graph_of_other(future: Future, parked: dict[int, list[Task]], limit: int | None) -> FutureCallGraph:
    """The graph of a future that is not running now: follow its coroutine's awaits downwards."""
    if not isinstance(future, Future):
        raise TypeError(f"{future!r} object does not appear to be compatible with asyncio.Future")
    frames: list[FrameCallGraphEntry] = []
    get_coro = getattr(future, "get_coro", None)
    coro = get_coro() if get_coro is not None and limit != 0 else None
    # Each suspended coroutine awaits the next (cr_await) down to a future or a
    # plain generator, which has no cr_await: the chain ends there.
    while coro is not None:
        if hasattr(coro, "cr_await"):
            frames.append(FrameCallGraphEntry(coro.cr_frame))
            coro = coro.cr_await
        elif hasattr(coro, "ag_await"):
            frames.append(FrameCallGraphEntry(coro.ag_frame))
            coro = coro.ag_await
        else:
            break
    call_stack = _trim(frames, limit)[::-1]
    return FutureCallGraph(future, tuple(call_stack), _awaited_by(future, parked, limit))


def capture_call_graph(
    future: Future | None = None, /, *, depth: int = 1, limit: int | None = None
) -> FutureCallGraph | None:
    """The call graph of `future`, or of the current task: None when there is none.

    For the current task the call stack is the live one, from the caller
    `depth` frames up (1: whoever called this) down to the task's coroutine.
    `limit` keeps at most abs(limit) frames per task: positive keeps those
    nearest the task's start, negative those nearest the await, 0 none.
    """
    loop = events._get_running_loop()
    parked = _waiting_tasks()
    if future is not None:
        if loop is None or future is not current_task(loop):
            return _graph_of_other(future, parked, limit)
    elif loop is None:
        raise RuntimeError(
            "capture_call_graph() is called outside of a running event loop and no *future* to introspect was provided"
        )
    else:
        future = current_task(loop)
        if future is None:
            return None  # a plain callback, not a task: no async call stack to show
    if not isinstance(future, Future):
        raise TypeError(f"{future!r} object does not appear to be compatible with asyncio.Future")

    # The running task's coroutines are not suspended: walk the live frames
    # outwards, up to the first coroutine frame called from ordinary code (the task's step).
    frames: list[FrameCallGraphEntry] = []
    frame = sys._getframe(depth) if limit != 0 else None
    outer = None
    while frame is not None:
        frames.append(FrameCallGraphEntry(frame))
        outer = frame.f_back
        if _is_suspendable(frame) and (outer is None or not _is_suspendable(outer)):
            break
        frame = outer
    del frame, outer
    call_stack = _trim(frames[::-1], limit)[::-1]
    return FutureCallGraph(future, tuple(call_stack), _awaited_by(future, parked, limit))


def _is_suspendable(frame: types.FrameType) -> bool:
    return bool(frame.f_code.co_flags & _SUSPENDABLE)


# How format_call_graph() names a frame's function, by its code's flags (the first that matches).
_KINDS = ((inspect.CO_COROUTINE, "async "), (inspect.CO_ASYNC_GENERATOR, "async generator "),
          (inspect.CO_GENERATOR, "generator "))  # fmt: skip


def _frame_line(frame: types.FrameType) -> str:
    code = frame.f_code
    kind = next((name for flag, name in _KINDS if code.co_flags & flag), "")
    return f"  |   File {code.co_filename!r}, line {frame.f_lineno}, in {kind}{code.co_qualname}()"


def _render(graph: FutureCallGraph, lines: list[str], level: int) -> None:
    indent = "    " * level
    future = graph.future
    if isinstance(future, Task):
        lines.append(f"{indent}* Task(name={future.get_name()!r}, id={id(future):#x})")
    else:
        lines.append(f"{indent}* Future(id={id(future):#x})")
    if graph.call_stack:
        lines.append(f"{indent}  + Call stack:")
        lines.extend(indent + _frame_line(entry.frame) for entry in graph.call_stack)
    if graph.awaited_by:
        lines.append(f"{indent}  + Awaited by:")
        for waiter in graph.awaited_by:
            _render(waiter, lines, level + 1)


def format_call_graph(future: Future | None = None, /, *, depth: int = 1, limit: int | None = None) -> str:
    """capture_call_graph() as text, one line per task and frame ("" if there is no graph)."""
    graph = capture_call_graph(future, depth=depth + 1, limit=limit)
    if graph is None:
        return ""
    lines: list[str] = []
    _render(graph, lines, 0)
    return "\n".join(lines)


def print_call_graph(future: Future | None = None, /, *, file: TextIO | None = None, depth: int = 1,
                     limit: int | None = None) -> None:  # fmt: skip
    """Print format_call_graph(). As in 3.14, `depth` is passed on as is, so this frame shows too."""
    print(format_call_graph(future, depth=depth, limit=limit), file=file)
