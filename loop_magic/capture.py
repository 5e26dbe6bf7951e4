"""What a run records besides the loop's own events: printed output and progress.

`RunRecorder` is the trace `Recorder` every loop of one cell run reports to
(one recorder per run, shared by every loop the cell creates, so a cell that
calls `asyncio.run()` twice gives one trace). It adds three things:

* printed output, one OUTPUT event per line, attributed to the task whose
  step printed it. A line is emitted when it is complete, or when the step
  that printed it ends (why: `print("x")` writes "x" and "\\n" separately,
  and a view wants one line per event, attached to the right step);
* the coroutine name of each task (`trace.meta["coro_names"]`), which the
  timeline shows beside the task's name ("Task-1 · main");
* `on_progress(trace)` callbacks, at most every 100 ms, from the loop's own
  thread between events (why: the trace is only ever touched by one thread).

`OutputTee` replaces `sys.stdout` during a run: text still reaches the cell
(the original stream), and a copy goes to the recorder of the run that owns
the writing thread (why route by thread: the asyncio backend runs the cell in
a worker thread while the kernel's own threads may print too).
"""

from __future__ import annotations

import itertools
import sys
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, TextIO

from loop_impl.diagnostics import gc_clock
from loop_impl.trace import Ev, Outcome, Recorder

__all__ = ("RunRecorder", "OutputTee", "PROGRESS_INTERVAL", "BLOCKING_STEP")

PROGRESS_INTERVAL = 0.1  # seconds between two on_progress calls, at most
BLOCKING_STEP = 0.1  # seconds a step may hold the loop before it is reported (loop_impl's threshold)
_CHECK_EVERY = 32  # events between two looks at the clock (why: perf_counter is not free)
# The run thread's CPU clock: the run's CPU and the live views' share of it are read on the same one.
cpu_clock = getattr(time, "thread_time", time.process_time)


class RunRecorder(Recorder):
    """A Recorder that also keeps printed lines, coroutine names and progress callbacks."""

    def __init__(self, on_progress: list[Callable[[Any], None]] | None = None) -> None:
        super().__init__()
        self.on_progress = list(on_progress or [])
        self.trace.meta["coro_names"] = {}
        self._partial = ""  # the start of a line not yet ended by "\n"
        self._partial_task = 0
        self._countdown = _CHECK_EVERY
        self._last_progress = time.perf_counter()
        self.thread_id = threading.get_ident()  # the thread whose loop reports here
        self.stdout: list[str] = []  # everything the run printed, in order
        self.reporting = False  # True while on_progress callbacks run
        self._stop_asked: type[BaseException] | None = None  # a stop to raise at the next iteration
        self.stop_taken: Callable[[], None] = _nothing  # tells the run's Guard it was
        # Where the run's printed text goes instead of the cell's stream, once a live
        # view is shown (why: text streamed after it would land below it, out of order).
        self.sink: Callable[[str], None] | None = None
        self._task_numbers = itertools.count(1)
        # For loops that do not report blocking steps themselves (the generator loop):
        self.measure_steps = False
        self.open_step: Any = None  # the task whose step has started and not ended
        self._step_started = 0.0
        self.tasks: weakref.WeakValueDictionary = weakref.WeakValueDictionary()  # task id -> task, while alive
        self.gc_pauses: list[float] = []  # collections that held the loop as long as a blocking step
        # Time the live views took from the run's own thread, between its events
        # (why kept: the run's wall and CPU time would count it as the program's).
        self.view_wall = 0.0
        self.view_cpu = 0.0

    def next_task_name(self) -> str:
        """Task-1, Task-2, ...: names for unnamed tasks, counted per run as in a fresh process."""
        return f"Task-{next(self._task_numbers)}"

    # -- printed output ------------------------------------------------------
    def output(self, text: str) -> None:
        """Text printed while the run was under way (called by OutputTee)."""
        self.stdout.append(text)
        task = self.current_task
        if self._partial and task != self._partial_task:
            self.flush_output()
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        self._partial_task = task
        for line in lines:
            self._emit(Ev.OUTPUT, task, self.trace.intern(line + "\n"))

    def flush_output(self) -> None:
        """Emit a line still waiting for its "\\n" (end of step, end of run)."""
        if self._partial:
            text, self._partial = self._partial, ""
            self._emit(Ev.OUTPUT, self._partial_task, self.trace.intern(text))

    def step_start(self, task: Any, why: int, woken_by: Any = None) -> None:
        super().step_start(task, why, woken_by)
        self.open_step = task
        if self.measure_steps:
            self._step_started = time.perf_counter()

    def step_end(self, task: Any, waiting_on: str, future: Any = None, requeued: bool = False) -> None:
        if self._partial:
            self.flush_output()
        super().step_end(task, waiting_on, future, requeued)
        self.open_step = None
        if self.measure_steps:
            elapsed = time.perf_counter() - self._step_started
            if elapsed >= BLOCKING_STEP:
                self.blocked(task, elapsed)
        self._tick()

    def task_step_ended(self, task: Any, requeued: bool = False) -> None:
        # loop_impl's Tasks end their steps here, not through step_end: the same
        # work around it (why: else a partial line printed in the step would be
        # stored in the next one's, and a stop would see this step as still open).
        if self._partial:
            self.flush_output()
        super().task_step_ended(task, requeued)  # (a task that finished goes through step_end too)
        self.open_step = None
        self._tick()

    def blocked(self, task: Any, seconds: float) -> None:
        """A step or callback held the loop: reported only if it did, without the garbage
        collector's pauses in it (why: a collection that happens to run in a step that only
        awaited sleep(0) is no fault of that step, and no time.sleep() to look for)."""
        now = time.perf_counter()  # (called as the step ends: it ran in [now - seconds, now])
        collecting = gc_clock.seconds_within(now - seconds, now)
        if seconds - collecting >= BLOCKING_STEP:
            super().blocked(task, seconds - collecting)
        elif collecting >= BLOCKING_STEP:
            self.gc_pauses.append(collecting)

    def callback_end(self) -> None:
        if self._partial:
            self.flush_output()
        super().callback_end()

    def task_created(self, task: Any, name: str, parent: Any = None, coro: Any = None) -> None:
        super().task_created(task, name, parent)
        self.tasks[self.id_of(task)] = task
        if coro is None:
            get_coro = getattr(task, "get_coro", None)
            coro = get_coro() if get_coro is not None else getattr(task, "_coro", None)
        qualname = getattr(coro, "__qualname__", None) or getattr(coro, "__name__", None)
        if qualname:
            self.trace.meta["coro_names"][self.id_of(task)] = qualname

    # -- progress -----------------------------------------------------------------
    def ask_to_stop(self, exc_type: type[BaseException] | None) -> None:
        """Raise exc_type at the start of the loop's next iteration (see Guard.stop); None: don't."""
        self._stop_asked = exc_type

    def _take_asked_stop(self) -> None:
        asked = self._stop_asked
        if asked is not None:
            self._stop_asked = None
            self.stop_taken()
            raise asked()

    def iteration_start(self, ready: int) -> None:
        if self._stop_asked is not None:  # (here, before the iteration takes anything off its queues)
            self._take_asked_stop()
        super().iteration_start(ready)
        self._countdown = 1  # look at the clock every iteration (why: a loop that
        self._tick()  # sleeps a second per iteration makes few events, yet must show progress)

    def idle_poll(self, task: Any) -> None:
        if self._stop_asked is not None:  # (the generator loop has no iterations; it closes the polled task)
            self._take_asked_stop()
        super().idle_poll(task)
        self._tick()

    def _tick(self) -> None:
        self._countdown -= 1
        if self._countdown > 0 or not self.on_progress:
            return
        self._countdown = _CHECK_EVERY
        now = time.perf_counter()
        if now - self._last_progress >= PROGRESS_INTERVAL:
            self._last_progress = now
            cpu, t = cpu_clock(), self.now()
            self.progress()
            self.view_cpu += cpu_clock() - cpu
            self.view_wall += time.perf_counter() - now
            # On the loop's own clock (why: a virtual clock stands still meanwhile: no pause to show).
            paused = self.now() - t
            if paused >= 0.001:
                self.trace.meta.setdefault("view_pauses", []).append((t, paused))

    def progress(self) -> None:
        """Call every on_progress callback now (a failing view never stops the run)."""
        self.reporting = True  # what the views print is theirs, not the program's
        try:
            self._call_progress()
        finally:
            self.reporting = False

    def _call_progress(self) -> None:
        for callback in self.on_progress:
            try:
                callback(self.trace)
            except Exception as exc:  # report once, then stop calling it
                print(f"tinyloop: on_progress callback failed: {exc!r}", file=sys.__stderr__)
                self.on_progress.remove(callback)

    def tidy_after_stop(self, error: BaseException) -> None:
        """End what a stop left open in the trace.

        A loop that lets KeyboardInterrupt out of a step or a poll (the generator
        loop does) never reports that step's end, nor the end of the task it
        finished. Say it here, so every task that ended has its TASK_DONE.
        """
        task = self.open_step
        if task is not None:
            self.step_end(task, "")
        trace = self.trace
        created = [e.task for e in trace if e.kind == Ev.TASK_CREATED]
        reported = {e.task for e in trace if e.kind == Ev.TASK_DONE}
        for tid in created:
            if tid in reported:
                continue
            task = self.tasks.get(tid)
            exc = getattr(task, "_exception", None) if task is not None and task.done() else None
            if exc is not None:
                self._emit(Ev.TASK_DONE, tid, Outcome.RAISED, trace.intern(f"{type(exc).__name__}: {exc}"))
            elif task is None or task.done():  # (gone: dropped by its loop when the stop closed it)
                self._emit(Ev.TASK_DONE, tid, Outcome.CANCELLED, trace.intern("stopped"))

    def finish(self) -> None:
        """The run is over: flush the last partial line; say the long garbage collections."""
        self.flush_output()
        if self.gc_pauses:
            n, longest = len(self.gc_pauses), max(self.gc_pauses)
            self.note(
                f"garbage collection paused the loop {n} time{'s' if n != 1 else ''} (up to {longest:.3f} s); "
                "not counted as blocking steps"
            )


class OutputTee:
    """A stand-in for sys.stdout: writes go through, and to the run of the writing thread."""

    def __init__(self, stream: TextIO, echo: bool = True) -> None:
        self._stream = stream
        self._echo = echo  # False: what a routed thread prints is recorded only
        self._routes: dict[int, RunRecorder] = {}

    def route(self, thread_id: int, recorder: RunRecorder | None) -> None:
        """Send what `thread_id` prints to `recorder` (None: stop)."""
        if recorder is None:
            self._routes.pop(thread_id, None)
        else:
            self._routes[thread_id] = recorder

    @property
    def wrapped(self) -> TextIO:
        return self._stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # (as a text stream says it, before anything is recorded)
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        recorder = self._routes.get(threading.get_ident())
        if recorder is not None and not recorder.reporting:
            if text:
                recorder.output(text)
            if not self._echo:
                return len(text)
            if recorder.sink is not None:
                recorder.sink(text)
                return len(text)
        return self._stream.write(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        # encoding, isatty, fileno, ...: whatever the real stream has
        return getattr(self._stream, name)


def _nothing() -> None:
    pass
