"""Runs inside Pyodide (CPython 3.14 on WebAssembly): each program twice, compared by the host.

Loaded by driver.mjs with the repository mounted at /tinyloop. Every program
runs once on 3.14's own asyncio and once with `asyncio` bound to loop_impl,
both on a virtual clock: this Python has no threads, no sockets and no real
sleeping select(), and a virtual clock makes every run deterministic.

3.14's asyncio runs on `VirtualAsyncioLoop`, a `BaseEventLoop` whose
selector stands in for one: its select(timeout) advances the clock by
`timeout` instead of sleeping (CPython's own test_asyncio TestLoop is built
the same way). Everything else is 3.14's scheduling, line for line.

This module only runs programs and reports what they printed; the host
decides what counts as a difference (tests/test_pyodide.py).
"""

from __future__ import annotations

import asyncio
import asyncio.base_events
import asyncio.events
import contextlib
import io
import itertools
import json
import sys

sys.path.insert(0, "/tinyloop")

import loop_impl  # noqa: E402
import loop_impl.events  # noqa: E402
import loop_impl.tasks  # noqa: E402
from loop_impl import asyncio_seam  # noqa: E402

MAX_TURNS = 200_000  # loop iterations a program may take (no signals here to stop a runaway one)


class TooManyTurns(BaseException):
    """The program ran past MAX_TURNS loop iterations (BaseException: no `except Exception` eats it)."""


class _VirtualSelector:
    """Stands in for a selector: waiting `timeout` means moving the clock by `timeout`."""

    def __init__(self, loop: VirtualAsyncioLoop) -> None:
        self._loop = loop

    def select(self, timeout: float | None = None) -> list:
        if timeout is None:
            raise RuntimeError("virtual clock: nothing ready, no timer, no I/O (deadlock)")
        self._loop._virtual_now += timeout
        return []

    def close(self) -> None:
        pass


class VirtualAsyncioLoop(asyncio.base_events.BaseEventLoop):
    """3.14's asyncio event loop, every line of its scheduling kept, with a clock that jumps."""

    def __init__(self) -> None:
        super().__init__()
        self._virtual_now = 0.0
        self._turns = 0
        self._selector = _VirtualSelector(self)

    def time(self) -> float:
        return self._virtual_now

    def _run_once(self) -> None:
        self._turns += 1
        if self._turns > MAX_TURNS:
            raise TooManyTurns(f"more than {MAX_TURNS} loop iterations")
        super()._run_once()

    def _process_events(self, event_list: list) -> None:
        pass  # no fds: nothing to turn into callbacks

    def _write_to_self(self) -> None:
        pass  # one thread: the loop is never asleep when someone calls in


# 3.14 made the policy machinery private (deprecated since gh-127949); older Pythons
# run this module too, for comparing their asyncio with 3.14's.
_DefaultPolicy = (
    getattr(asyncio.events, "_BaseDefaultEventLoopPolicy", None) or asyncio.events.BaseDefaultEventLoopPolicy
)
_get_policy = getattr(asyncio.events, "_get_event_loop_policy", None) or asyncio.get_event_loop_policy
_set_policy = getattr(asyncio.events, "_set_event_loop_policy", None) or asyncio.set_event_loop_policy


class _VirtualPolicy(_DefaultPolicy):
    # 3.14's default policy, making virtual-clock loops (why a policy, not a
    # patch: asyncio.run, new_event_loop and set_event_loop then behave as on
    # a desktop 3.14, not as Pyodide's browser policy does).
    _loop_factory = VirtualAsyncioLoop


class BoundedLoopImplLoop(loop_impl.EventLoop):
    """loop_impl's loop on its virtual clock, stopped after MAX_TURNS iterations."""

    def __init__(self) -> None:
        super().__init__(virtual_time=True)
        self._turns = 0

    def _run_once(self) -> None:
        self._turns += 1
        if self._turns > MAX_TURNS:
            raise TooManyTurns(f"more than {MAX_TURNS} loop iterations")
        super()._run_once()


@contextlib.contextmanager
def _virtual_asyncio():
    saved_policy = _get_policy()
    saved_running = asyncio.events._get_running_loop()
    # Pyodide runs its own browser loop as the running loop: step out of it.
    asyncio.events._set_running_loop(None)
    _set_policy(_VirtualPolicy())
    try:
        yield asyncio
    finally:
        _set_policy(saved_policy)
        asyncio.events._set_running_loop(saved_running)


@contextlib.contextmanager
def _virtual_loop_impl():
    saved = loop_impl.events.new_event_loop, loop_impl.new_event_loop, sys.modules["asyncio"]
    loop_impl.events.new_event_loop = loop_impl.new_event_loop = BoundedLoopImplLoop
    sys.modules["asyncio"] = loop_impl
    try:
        yield loop_impl
    finally:
        loop_impl.events.new_event_loop, loop_impl.new_event_loop, sys.modules["asyncio"] = saved
        loop_impl.events.set_event_loop(None)


def run_program(source: str, impl: str, entry: str | None) -> str:
    """Run `source` with `import asyncio` giving `impl`; return what it printed.

    entry None: the source runs as `__main__` (it calls asyncio.run itself).
    Otherwise its coroutine function `entry` is run with `asyncio.run`.
    An exception escaping the program is its last line, `!! Type: message`.
    """
    out = io.StringIO()
    namespace = {"__name__": "__main__" if entry is None else "__program__"}
    binding = _virtual_asyncio() if impl == "asyncio" else _virtual_loop_impl()
    with binding as module, contextlib.redirect_stdout(out):
        try:
            exec(compile(source, "<program>", "exec"), namespace)
            if entry is not None:
                module.run(namespace[entry]())
        except BaseException as exc:  # the program's own error is part of its output
            print(f"!! {type(exc).__name__}: {exc}")
    return out.getvalue()


def run_jobs(jobs_json: str) -> str:
    """jobs: [{"id", "source", "entry", "impls"?}] -> JSON {"python": version, "results": [{"id", "asyncio", "loop_impl"}]}."""
    results = []
    for job in json.loads(jobs_json):
        impls = job.get("impls", ("asyncio", "loop_impl"))
        # Both loops' unnamed tasks start from the same Task-N (why: in one interpreter the
        # counters run on from program to program, and asyncio's cannot be reset).
        loop_impl.tasks._task_name_counter = itertools.count(asyncio_seam.next_asyncio_task_number() + 1).__next__
        outputs = {impl: run_program(job["source"], impl, job["entry"]) for impl in impls}
        results.append({"id": job["id"], **outputs})
    return json.dumps({"python": sys.version, "platform": sys.platform, "results": results})
