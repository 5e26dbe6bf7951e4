"""%%tinyloop where Python runs in a browser tab: Pyodide, in JupyterLite (or under Node.js).

There Python is CPython 3.14 compiled to WebAssembly, with one thread, no
sockets, no subprocesses, and no way to sleep: `select()` returns at once, so
a real-time sleep spins the CPU until its deadline. loop_impl itself runs
unchanged (its self-pipe is only made when a thread exists, and what it cannot
do is refused in one line, see loop_impl/capabilities.py). The magic needs
what is in this module, switched on by `NO_THREADS_HERE`:

* the asyncio mode runs the cell in the kernel's own thread instead of a
  worker thread. The kernel itself runs the cell inside a task of its own
  asyncio loop, so the run first steps out of that task, then out of that
  loop, and steps back in afterwards, in the reverse order (the other order
  fails: "loop ... is not the running loop");
* that mode's loop has no self-pipe (no thread could ever write into it, and
  `socket.socketpair()` does not exist there);
* `--timeout` is watched by a profile hook instead of a watchdog thread;
* cells run on virtual time, so `sleep(3)` costs nothing instead of three
  seconds of a spinning CPU; the magic says so once (`VIRTUAL_TIME_NOTE`);
* `time.sleep()` blocks, as on a desktop, while a run goes on
  (`sleep_blocks_the_thread`).
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from typing import Any

from loop_impl import capabilities

__all__ = (
    "NO_THREADS_HERE", "VIRTUAL_TIME_NOTE", "ClockWatchdog", "outside_the_kernels_loop", "sleep_blocks_the_thread",
    "without_self_pipe",
)  # fmt: skip

# The switch: True in WebAssembly, where no thread can be started.
NO_THREADS_HERE = capabilities.WEBASSEMBLY

VIRTUAL_TIME_NOTE = (
    "tinyloop in the browser: cells run on virtual time (sleeps cost nothing), since Python here "
    "cannot wait without spinning the CPU; threads, sockets and subprocesses need a desktop Python."
)


@contextlib.contextmanager
def outside_the_kernels_loop() -> Iterator[None]:
    """Run a loop of our own to completion, here, although the kernel's loop is running."""
    import asyncio

    loop = asyncio.events._get_running_loop()
    task = asyncio.current_task(loop) if loop is not None else None
    if task is not None:
        asyncio.tasks._leave_task(loop, task)  # first the task (why: it checks that its loop runs)
    asyncio.events._set_running_loop(None)
    try:
        yield
    finally:
        asyncio.events._set_running_loop(loop)
        if task is not None:
            asyncio.tasks._enter_task(loop, task)


@contextlib.contextmanager
def sleep_blocks_the_thread() -> Iterator[None]:
    """While inside: `time.sleep()` is Pyodide's original, a wait that blocks the thread.

    Where the browser can suspend WebAssembly (JSPI: Chromium), Pyodide replaces
    time.sleep with one that awaits `asyncio.sleep()` on the running loop. During a
    run that loop is the run's own, held by the very step that sleeps: its timer
    never fires and the kernel stays busy for good. A learner's `time.sleep()` in a
    task means what it means on a desktop: block the thread, and the loop with it."""
    original = getattr(sys.modules.get("pyodide.webloop"), "_orig_sleep", None)
    replaced = time.sleep
    if original is None or replaced is original:
        yield
        return
    time.sleep = original
    try:
        yield
    finally:
        if time.sleep is original:  # (a cell that set its own keeps it, as it would anywhere)
            time.sleep = replaced


_PIPELESS: dict[type, type] = {}


def without_self_pipe(loop_class: type) -> type:
    """A subclass of an asyncio selector loop class that makes no self-pipe."""
    pipeless = _PIPELESS.get(loop_class)
    if pipeless is None:

        class Pipeless(loop_class):  # type: ignore[valid-type, misc]
            # One thread: nobody can call in while the loop sleeps, so nothing
            # needs waking (asyncio's _write_to_self already skips a missing pipe).
            def _make_self_pipe(self) -> None:
                self._ssock = self._csock = None

            def _close_self_pipe(self) -> None:
                pass

        Pipeless.__name__ = Pipeless.__qualname__ = loop_class.__name__
        pipeless = _PIPELESS[loop_class] = Pipeless
    return pipeless


class ClockWatchdog:
    """--timeout without a thread. A profile hook (sys.setprofile: every Python and C
    call and return in this thread) looks at the clock every few hundred calls and,
    once `seconds` have passed, stops the run as a watchdog thread would: through the
    run's Guard, which has Python raise exc_type in this thread at its next bytecode.
    So it stops a loop step that never ends, or a hand-written polling loop; only a
    loop that calls nothing at all (`while True: pass`) escapes it. The hook costs
    time, so it is only set while a run with --timeout goes on."""

    CHECK_EVERY = 500  # calls between two looks at the clock

    def __init__(self, guard: Any, seconds: float, exc_type: type[BaseException]) -> None:
        self._guard = guard
        self._deadline = time.monotonic() + seconds
        self._exc_type = exc_type
        self._countdown = self.CHECK_EVERY
        self.fired = False
        self._previous = sys.getprofile()
        sys.setprofile(self._profile)

    def _profile(self, frame: Any, event: str, arg: Any) -> None:
        self._countdown -= 1
        if self._countdown <= 0:
            self._countdown = self.CHECK_EVERY
            # (again while the run has not taken the stop it was asked for: after
            # ASK_WAIT, guard.stop raises it here, in the spinning code)
            if (not self.fired or self._guard.asking) and time.monotonic() >= self._deadline:
                self.fired = self._guard.stop(self._exc_type) or self.fired

    def cancel(self) -> None:
        if sys.getprofile() == self._profile:
            sys.setprofile(self._previous)

    def __enter__(self) -> ClockWatchdog:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.cancel()


# -- what the browser cannot do, said in one line ---------------------------------------

_NEEDS = {
    "sockets": "real sockets",
    "threads": "threads",
    "subprocesses": "subprocesses",
}


def explain(error: BaseException) -> str | None:
    """One line for an error that only says "the browser cannot do this"; None for any other."""
    if isinstance(error, capabilities.NotAvailableHereError):
        return str(error)
    text = str(error)
    if isinstance(error, RuntimeError) and "can't start new thread" in text:
        need = "threads"
    elif isinstance(error, OSError) and "processes" in text:
        need = "subprocesses"
    elif isinstance(error, OSError) and error.errno in (_ENOTSUP, 28):  # what a socket gets here
        need = "sockets"
    else:
        return None
    return f"{type(error).__name__}: this needs {_NEEDS[need]}, which Python in the browser (Pyodide) does not have; " \
        "run it on a desktop Python (pip install tinyloop)"  # fmt: skip


_ENOTSUP = 138  # Emscripten's "Not supported", what socket calls fail with in a browser


def desktop_only_message(reason: str) -> str:
    need = _NEEDS.get(reason, reason)
    return (
        f"Not run here: this cell needs {need}, which Python in the browser (Pyodide) does not have. "
        "On a desktop Python it runs as written (pip install tinyloop, see the README's quick start)."
    )


def register(ipython: Any) -> None:
    """In the browser: `%%desktop_only REASON` and one-line errors for what it cannot do."""

    def one_line(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> list[str]:
        return [f"{etype.__name__}: {value}"]  # the error, without the traceback through loop_impl

    def desktop_only(line: str, cell: str) -> None:
        """%%desktop_only sockets: show the cell, say why it does not run here."""
        print(desktop_only_message(line.strip() or "a desktop Python"))

    # Only loop_impl's refusals (why not also RuntimeError/OSError: a handler that catches
    # every such error changes how the kernel reports them, and Run All stops at them).
    ipython.set_custom_exc((capabilities.NotAvailableHereError,), one_line)
    ipython.register_magic_function(desktop_only, magic_kind="cell")
