"""The seam: how real asyncio, and every library built on it, runs on loop_impl's loop.

This is the only module of loop_impl that imports asyncio (a test reads every
module's imports to keep it so). It does for loop_impl what uvloop does for
libuv: it makes the from-scratch loop one that asyncio accepts as its own.

What asyncio needs from a loop
------------------------------
asyncio's Tasks, Futures, locks and streams, and the libraries on top of them
(aiohttp, httpx, anyio, ...), reach the loop through four doors only:

1. *Which loop runs in this thread?* `asyncio.get_running_loop()` reads a
   thread-local that a running loop sets with `asyncio.events._set_running_loop`.
2. *Which task is running, which tasks exist?* `asyncio.current_task()` reads a
   table that a task fills around each of its steps (`asyncio.tasks._enter_task`
   and `_leave_task`); `asyncio.all_tasks()` reads a registry (`_register_task`).
3. *The loop's methods*: `call_soon`, `call_at`, `create_future`, `create_task`,
   `add_reader`, `sock_*`, `create_connection`... the `asyncio.AbstractEventLoop`
   interface. asyncio's own (C) Task and Future call nothing else on their loop,
   and recognise a future by duck typing (`_asyncio_future_blocking`, `get_loop()`,
   `add_done_callback(fn, context=)`), so theirs step on our loop and ours on theirs.
4. *The exceptions*: `except asyncio.CancelledError` must catch what our futures
   raise, and ours what theirs raise: the classes must be the same objects.

What the seam does
------------------
* At import (before the rest of the package), it hands asyncio's exception
  classes to `exceptions.adopt()` (door 4), and puts asyncio's interface classes
  (protocols, transports, `AbstractServer`) in place of the readable ones in
  protocols.py and events.py, for the same reason: one hierarchy for both.
* `HostedEventLoop` is loop_impl's `EventLoop` that is also an
  `asyncio.AbstractEventLoop`: while it runs it is asyncio's running loop (door
  1, the previous one restored exactly afterwards), its task steps are entered
  in asyncio's current-task table and its tasks in asyncio's registry (door 2).
  `create_task` still makes loop_impl's readable Task. What the loop lacks
  raises `NotImplementedError` naming it, never a silent wrong answer.
  `loop_impl.new_event_loop()`, `run()` and `Runner` make hosted loops (why:
  `import loop_impl as asyncio` and a library that imports the real asyncio
  must agree on the running loop; in a notebook, asyncio would otherwise see
  the kernel's own loop, where a library's timer would never fire). The plain
  `EventLoop`, made directly, pays none of this.
* `new_event_loop()` and `EventLoopPolicy` plug it into asyncio, as uvloop's:
  `asyncio.run(main(), loop_factory=loop_impl.new_event_loop)` (3.12+),
  `asyncio.Runner(loop_factory=...)`, or, on 3.11,
  `asyncio.set_event_loop_policy(loop_impl.EventLoopPolicy())`.
* One family of classes: `isinstance(fut, asyncio.Future)` and
  `isinstance(task, asyncio.Task)` are true of loop_impl's (asyncio's are C
  classes, which a Python class with its own readable fields cannot subclass;
  isinstance() also asks an object's `__class__`, which ours let us name). What
  only a real C instance can do, such as calling `asyncio.Future.set_result(ours,
  ...)` unbound, still raises TypeError.
* One Task-N sequence (door 2 again): asyncio numbers its unnamed Tasks from
  a counter kept in C, which no Python code can read or set. A program that
  makes asyncio's own Task on our loop (a task factory, `eager_task_factory`,
  `asyncio.Task(...)`) must not get a `Task-1` next to ours, so loop_impl's Tasks
  take their numbers from that counter too, the one way it gives them out: by
  making one of asyncio's Tasks (on a stand-in loop, never run; ~1 µs a task).
  A host may number its runs' tasks itself (the magic starts each cell at Task-1).
* `hosting()` is for a host that runs loops inside its own thread's asyncio
  loop (a Jupyter kernel): for its duration real asyncio sees no running loop
  but ours, and afterwards exactly what it saw before.
"""

from __future__ import annotations

import asyncio
import asyncio.events
import asyncio.futures
import asyncio.tasks
import contextlib
import re
import warnings
from collections.abc import Iterator
from typing import Any

from . import events, exceptions, protocols, versions

# Door 4, first: the other modules import these names from exceptions.py, so
# they must be asyncio's before any of them is imported (the package imports us first).
exceptions.adopt({name: getattr(asyncio, name) for name in exceptions.SHARED_WITH_ASYNCIO if hasattr(asyncio, name)})
# The interfaces, likewise (protocols, transports, AbstractServer: classes with no
# behaviour of their own): a library's `isinstance(transport, asyncio.WriteTransport)`
# and our transports' `isinstance(protocol, BufferedProtocol)` must see one hierarchy.
for _name in protocols.SHARED_WITH_ASYNCIO:
    setattr(protocols, _name, getattr(asyncio, _name))
events.AbstractServer = asyncio.AbstractServer

from . import futures as _impl_futures  # noqa: E402
from . import tasks as _impl_tasks  # noqa: E402
from .debug_mode import drop_own_frames  # noqa: E402
from .loop import EventLoop  # noqa: E402 (after the exceptions are shared: see above)
from .tasks import all_tasks as _impl_all_tasks  # noqa: E402

__all__ = (
    "HostedEventLoop", "EventLoopPolicy", "new_event_loop", "hosting", "all_tasks", "unhostable_hint", "UNSUPPORTED_HINT",
)  # fmt: skip

UNSUPPORTED_HINT = "run the cell with %%tinyloop --mode asyncio (the real library) instead"

_get_asyncio_running_loop = asyncio.events._get_running_loop
_set_asyncio_running_loop = asyncio.events._set_running_loop
_enter_task = asyncio.tasks._enter_task
_leave_task = asyncio.tasks._leave_task
_register_task = asyncio.tasks._register_task
_asyncio_sleep_wakeup = asyncio.futures._set_result_unless_cancelled  # the timer callback of asyncio.sleep()


class _StandInLoop:
    """All that asyncio's Task asks of a loop while it is made: it is never run."""

    def get_debug(self) -> bool:
        return False

    def call_soon(self, *args: Any, **kwargs: Any) -> None:
        return None


async def _never_run() -> None:
    pass


_STAND_IN_LOOP = _StandInLoop()
_CLOSED_CORO = _never_run()
_CLOSED_CORO.close()  # (closed: never stepped, and never warned about as "never awaited")


def next_asyncio_task_number() -> int:
    """Take the next N of asyncio's Task-N counter (it lives in C: making a Task is the one way to read it)."""
    probe = asyncio.Task(_CLOSED_CORO, loop=_STAND_IN_LOOP)
    probe._log_destroy_pending = False  # (it is dropped pending: no "Task was destroyed" report)
    return int(probe.get_name()[5:])


_impl_tasks._task_name_counter = next_asyncio_task_number
# isinstance(fut, asyncio.Future) and isinstance(task, asyncio.Task) hold for ours
# (why: asyncio's code and libraries ask it, e.g. anyio leaves a task whose waiter
# is a done asyncio.Future uncancelled); see Future._claimed_class.
_impl_futures.Future._claimed_class = asyncio.Future
_impl_tasks.Task._claimed_class = asyncio.Task


def _unwritten(name: str) -> Any:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"loop_impl's event loop has no {name}() (not written yet); {UNSUPPORTED_HINT}")

    method.__name__ = method.__qualname__ = name
    return method


# asyncio.AbstractEventLoop's methods that EventLoop does not have, each raising
# an error that names it (why a class of its own, after EventLoop in the MRO:
# a method EventLoop gains later wins over its stub without a change here).
_NotYetWritten = type(
    "_NotYetWritten",
    (asyncio.AbstractEventLoop,),
    {
        name: _unwritten(name)
        for name, value in vars(asyncio.AbstractEventLoop).items()
        if callable(value) and not name.startswith("_") and not hasattr(EventLoop, name)
    },
)


class HostedEventLoop(EventLoop, _NotYetWritten):
    """loop_impl's EventLoop as asyncio's running loop: real asyncio code runs on it."""

    # Task.__step enters each step in asyncio's table of current tasks through
    # these (why C functions kept on the class: no Python call per step; the plain
    # EventLoop has None there, and pays one test).
    _asyncio_enter_task = staticmethod(_enter_task)
    _asyncio_leave_task = staticmethod(_leave_task)

    def create_task(self, coro: Any, *, name: Any = None, context: Any = None) -> Any:
        task = super().create_task(coro, name=name, context=context)
        _register_task(task)  # asyncio.all_tasks() lists it (it keeps a weak reference)
        return task

    def call_later(self, delay: float, callback: Any, *args: Any, context: Any = None) -> Any:
        if callback is _asyncio_sleep_wakeup and args and getattr(args[0], "_label", "") is None:
            args[0]._label = f"sleep {delay:g}"  # real asyncio.sleep()'s future: say so, as ours does
        # (this override's frame is dropped too: the caller's comes last in debug mode)
        return drop_own_frames(super().call_later(delay, callback, *args, context=context), 1)

    def run_forever(self) -> None:
        # asyncio's running loop is ours while we run, then exactly what it was
        # (why not None: in a kernel it is the kernel's own loop, which must live on).
        saved = _get_asyncio_running_loop()
        _set_asyncio_running_loop(self)
        try:
            super().run_forever()
        finally:
            # Not ourselves once the core forgot it runs (a failed nested run_forever
            # on 3.13.0-3.13.2, versions.FAILED_RUN_FOREVER_FORGETS_RUNNING_LOOP).
            _set_asyncio_running_loop(saved if saved is not self or self.is_running() else None)



events.new_loop_class = HostedEventLoop  # loop_impl.new_event_loop(), run() and Runner make these


def new_event_loop() -> HostedEventLoop:
    """A new loop_impl loop that real asyncio can run on: `asyncio.run(main(), loop_factory=new_event_loop)`."""
    return HostedEventLoop()


# 3.14 deprecates the policy system (gh-127949): reading asyncio.DefaultEventLoopPolicy
# warns there, and the policy getter has a quiet private twin.
with warnings.catch_warnings():
    if versions.POLICIES_DEPRECATED:
        warnings.simplefilter("ignore", DeprecationWarning)
    _DefaultEventLoopPolicy = asyncio.DefaultEventLoopPolicy
_get_event_loop_policy = getattr(asyncio.events, "_get_event_loop_policy", asyncio.events.get_event_loop_policy)


class EventLoopPolicy(_DefaultEventLoopPolicy):
    """asyncio's default policy, making loop_impl's loops (as uvloop.EventLoopPolicy makes uvloop's)."""

    def _loop_factory(self) -> HostedEventLoop:  # (the name BaseDefaultEventLoopPolicy calls)
        return HostedEventLoop()

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__}>"


def all_tasks(loop: Any = None) -> set:
    """The pending tasks of `loop`: loop_impl's and any asyncio Task a library made on it."""
    if loop is None:
        loop = _get_asyncio_running_loop() or asyncio.get_running_loop()
    return _impl_all_tasks(loop) | asyncio.all_tasks(loop)


@contextlib.contextmanager
def hosting(loops: list | None = None) -> Iterator[None]:
    """While inside: real asyncio sees no loop but ours. On the way out, however
    it is left (an interrupt, a timeout), it sees exactly what it saw before,
    and no loop in `loops` is left in asyncio's current-task table.

    "No loop but ours" covers both of asyncio's answers: the running loop (None
    until one of ours runs) and the policy's current loop (none set, so that
    `asyncio.get_event_loop()` outside a running loop raises instead of handing
    out the host's blocked loop, where a timer would never fire)."""
    saved_running = _get_asyncio_running_loop()
    local = getattr(_get_event_loop_policy(), "_local", None)  # (the default policies' thread-local)
    saved_current = (local._loop, local._set_called) if local is not None else None
    _set_asyncio_running_loop(None)
    if local is not None:
        local._loop, local._set_called = None, True
    try:
        yield
    finally:
        _set_asyncio_running_loop(saved_running)
        if local is not None:
            local._loop, local._set_called = saved_current
        for loop in loops or ():
            stepping = asyncio.tasks.current_task(loop)
            if stepping is not None:  # a stop landed inside a step: forget it
                _leave_task(loop, stepping)
            if isinstance(loop, HostedEventLoop):
                loop._current_task = None


def unhostable_hint(error: BaseException) -> str | None:
    """What to tell a learner whose code reached a loop other than the one running it."""
    if not isinstance(error, RuntimeError):
        return None
    text = str(error)
    foreign = re.search(r"got Future (.*) attached to a different loop", text)
    if foreign:
        what = f"the future {foreign.group(1)} belongs to another event loop (was it made before this run?)"
    elif "There is no current event loop" in text:
        what = "asyncio.get_event_loop() was called while no loop of this run was running"
    else:
        return None
    return f"{what}; make it inside the run, or {UNSUPPORTED_HINT}"
