"""When things go wrong: errors, deadlocks, blocking steps, interrupts, timeouts, leaks."""

from __future__ import annotations

import gc
import os
import signal
import threading
import time
import tracemalloc

import pytest

import loop_magic
from loop_impl.trace import Ev, Outcome

MODES = ("tinyloop", "generator", "asyncio")

SLEEPING = """
async def sleeper():
    try:
        started.set()
        await asyncio.sleep(60)
    finally:
        print("sleeper cleaned up")

task = asyncio.create_task(sleeper())
await asyncio.sleep(30)
"""

SPINNING = """
async def spinner():
    started.set()
    while True:
        pass

task = asyncio.create_task(spinner())
await asyncio.sleep(30)
"""


def notes(result):
    return [result.trace.string(e.a) for e in result.trace if e.kind == Ev.NOTE]


def all_tasks_finished(result):
    trace = result.trace
    created = {e.task for e in trace if e.kind == Ev.TASK_CREATED}
    done = {e.task for e in trace if e.kind == Ev.TASK_DONE}
    return created and created <= done


# -- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_exception_keeps_the_trace_up_to_the_failure(mode):
    source = "async def fails():\n    await asyncio.sleep(0)\n    raise RuntimeError('bad state')\nawait fails()\nprint('not reached')"
    result = loop_magic.run_cell(source, mode, echo=False)
    assert isinstance(result.error, RuntimeError) and result.stdout == ""
    frames = []
    tb = result.error.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    assert frames and all(name.startswith("<tinyloop-cell-") for name in frames)
    done = [e for e in result.trace if e.kind == Ev.TASK_DONE]
    assert done and done[-1].a == Outcome.RAISED
    assert "RuntimeError: bad state" in result.trace.string(done[-1].b)


@pytest.mark.parametrize("mode", MODES)
def test_deadlock_is_reported_not_hung(mode):
    source = (
        "async def a():\n    await tb\nasync def b():\n    await ta\n"
        "ta = asyncio.create_task(a())\ntb = asyncio.create_task(b())\nawait ta"
    )
    started = time.monotonic()
    result = loop_magic.run_cell(source, mode, echo=False, timeout=10)
    assert time.monotonic() - started < 2
    assert type(result.error).__name__ == "DeadlockError"
    assert str(result.error).startswith("deadlock:")
    assert "Task-2" in str(result.error) and "Task-3" in str(result.error)
    assert any(note.startswith("deadlock:") for note in notes(result))


@pytest.mark.parametrize("mode", MODES)
def test_time_sleep_in_a_task_is_a_blocking_step(mode):
    source = "import time\nasync def blocker():\n    time.sleep(0.15)\n    return 'done'\nawait asyncio.gather(blocker(), asyncio.sleep(0.01))"
    result = loop_magic.run_cell(source, mode, echo=False)
    assert result.error is None and result.value == ["done", None]
    assert result.summary.blocking_steps == 1
    (report,) = result.blocking_reports()
    assert report.startswith("blocking step: task 'Task-2' held the loop for 0.1")


@pytest.mark.parametrize("mode", ["tinyloop", "asyncio"])
def test_run_forever_with_nothing_to_wake_it_is_stopped(mode):
    source = (
        "loop = asyncio.new_event_loop()\nloop.call_soon(print, 'one callback')\nloop.run_forever()\nprint('after')"
    )
    started = time.monotonic()
    result = loop_magic.run_cell(source, mode, echo=False, timeout=10)
    assert time.monotonic() - started < 2
    assert result.error is None and result.stdout == "one callback\nafter\n"
    assert any("nothing could ever wake the loop" in note for note in result.notes)


# -- kernel interrupts -----------------------------------------------------------------------


def _interrupt_when(started: threading.Event, sent: list) -> threading.Thread:
    def send() -> None:
        if started.wait(10):
            time.sleep(0.1)  # into the sleep or the spin
            sent.append(time.monotonic())
            os.kill(os.getpid(), signal.SIGINT)

    thread = threading.Thread(target=send)
    thread.start()
    return thread


@pytest.mark.parametrize("program", ["sleeping", "spinning"])
@pytest.mark.parametrize("mode", MODES)
def test_sigint_stops_the_run_within_a_second(mode, program):
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    threads_before = threading.active_count()
    started, sent = threading.Event(), []
    sender = _interrupt_when(started, sent)
    source = SLEEPING if program == "sleeping" else SPINNING
    # (timeout: a safety net only; the test fails if it is what stopped the run)
    result = loop_magic.run_cell(source, mode, namespace={"started": started}, echo=False, timeout=8)
    returned = time.monotonic()
    sender.join()
    assert sent, "the run never started"
    assert returned - sent[0] < 1.0
    assert result.interrupted and not result.timed_out and isinstance(result.error, KeyboardInterrupt)
    assert all_tasks_finished(result)  # every task cancelled (or closed) and cleaned up
    if program == "sleeping":
        assert result.stdout == "sleeper cleaned up\n"  # its finally block ran
    # (every mode's loop runs in a worker thread: the interrupt reaches it as RunInterrupted)
    assert any(note.startswith("stopped by kernel interrupt") for note in notes(result))
    assert threading.active_count() == threads_before
    after = loop_magic.run_cell("await asyncio.sleep(0.01)\nprint('next cell ok')", mode, echo=False)
    assert after.error is None and after.stdout == "next cell ok\n"


# -- --timeout -------------------------------------------------------------------------------------


@pytest.mark.parametrize("program", ["sleeping", "spinning"])
@pytest.mark.parametrize("mode", MODES)
def test_timeout_stops_the_run_on_a_clock(mode, program):
    threads_before = threading.active_count()
    source = SLEEPING if program == "sleeping" else SPINNING
    started = time.monotonic()
    result = loop_magic.run_cell(source, mode, namespace={"started": threading.Event()}, echo=False, timeout=0.3)
    elapsed = time.monotonic() - started
    assert 0.3 <= elapsed < 1.3
    assert result.timed_out and not result.interrupted
    assert isinstance(result.error, loop_magic.CellTimeout) and isinstance(result.error, TimeoutError)
    assert "--timeout 0.3 s" in str(result.error)
    assert all_tasks_finished(result)
    assert any("--timeout" in note or "RunTimedOut" in note for note in notes(result))
    assert threading.active_count() == threads_before
    assert loop_magic.run_cell("await asyncio.sleep(0)\n1", mode, echo=False).value == 1


def test_a_task_that_swallows_the_stop_is_stopped_again():
    # It catches the first two stops (a broad `except BaseException`); the stop
    # is repeated until it gets through. (One that swallows every stop cannot be
    # stopped, in a cell as in plain Python.)
    source = (
        "async def stubborn():\n    for attempt in range(2):\n        try:\n            while True:\n                pass\n"
        "        except BaseException as exc:\n            print('swallowed', type(exc).__name__)\n"
        "    while True:\n        pass\n"
        "await stubborn()"
    )
    started = time.monotonic()
    result = loop_magic.run_cell(source, "tinyloop", echo=False, timeout=0.2)
    assert result.timed_out and time.monotonic() - started < 4  # 0.2 s, then a stop every second
    assert result.stdout == "swallowed RunTimedOut\nswallowed RunTimedOut\n"
    assert not any("left running" in note for note in result.notes), result.notes  # stopped, not abandoned


def test_timeout_through_the_magic():
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "loop_magic")
    result = ip.run_cell("%%tinyloop --timeout 0.2 --no-timeline\nawait asyncio.sleep(30)")
    assert isinstance(result.error_in_exec, loop_magic.CellTimeout)
    assert loop_magic.last_run().timed_out


# -- no leaks over many runs ----------------------------------------------------------------------------


def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.parametrize("mode", MODES)
def test_a_thousand_runs_leak_no_fds_threads_or_memory(mode):
    source = (
        "async def child(i):\n    await asyncio.sleep(0)\n    return i\n"
        "values = await asyncio.gather(*(child(i) for i in range(3)))\nprint(values)\nsum(values)"
    )
    for _ in range(50):  # warm up: first-use caches, interned strings
        assert loop_magic.run_cell(source, mode, echo=False).value == 3
    gc.collect()
    fds, threads = _fds(), threading.active_count()
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(1000):
            result = loop_magic.run_cell(source, mode, echo=False)
        assert result.value == 3 and result.stdout == "[0, 1, 2]\n"
        del result
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert _fds() == fds
    assert threading.active_count() == threads
    assert grown < 256 * 1024, f"{grown} bytes kept after 1,000 runs"


@pytest.mark.parametrize("mode", ["tinyloop", "asyncio"])
def test_stopped_runs_leak_no_fds_or_threads(mode):
    for _ in range(3):
        loop_magic.run_cell(SLEEPING, mode, namespace={"started": threading.Event()}, echo=False, timeout=0.05)
    gc.collect()
    fds, threads = _fds(), threading.active_count()
    for _ in range(20):
        result = loop_magic.run_cell(SLEEPING, mode, namespace={"started": threading.Event()}, echo=False, timeout=0.05)
        assert result.timed_out
    gc.collect()
    assert _fds() == fds and threading.active_count() == threads


@pytest.mark.parametrize("mode", MODES)
def test_a_cell_finishing_at_its_timeout_keeps_its_value_or_times_out_never_both(mode):
    # Runs that end right at the limit: either the value (the cell finished) or a
    # CellTimeout without one; a stop that arrives as the cell ends is withdrawn.
    outcomes = set()
    for attempt in range(40):
        result = loop_magic.run_cell("await asyncio.sleep(0.02)\n42", mode, echo=False, timeout=0.02 + attempt * 0.0002)
        assert not (result.timed_out and result.value == 42), "a finished cell reported as timed out"
        assert result.timed_out == isinstance(result.error, loop_magic.CellTimeout)
        assert result.timed_out or (result.error is None and result.value == 42), result.error
        outcomes.add(result.timed_out)


@pytest.mark.parametrize("mode", ["tinyloop", "asyncio"])
def test_a_stop_during_the_shutdown_after_the_cell_finished_keeps_its_value(mode):
    # main() returns at once; a leftover task's clean-up holds the loop's shutdown past the limit.
    source = (
        "import time\nasync def slow_to_cancel():\n    try:\n        await asyncio.sleep(10)\n"
        "    finally:\n        time.sleep(0.4)\n"
        "async def main():\n    asyncio.get_running_loop().create_task(slow_to_cancel())\n"
        "    await asyncio.sleep(0)\n    return 42\n"
        "await main()"
    )
    result = loop_magic.run_cell(source, mode, echo=False, timeout=0.2)
    assert result.error is None and result.value == 42 and not result.timed_out
    assert any("after the cell had finished" in note for note in notes(result))


def test_an_export_that_fails_half_way_leaves_the_earlier_file_whole(tmp_path, monkeypatch):
    from loop_magic import chrome_trace

    path = tmp_path / "trace.json"
    path.write_text('{"earlier": true}')
    result = loop_magic.run_cell("await asyncio.sleep(0)", echo=False)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # as a Ctrl-C during a long export

    monkeypatch.setattr(chrome_trace.json, "dump", interrupted)
    with pytest.raises(KeyboardInterrupt):
        result.to_chrome_trace(str(path))
    assert path.read_text() == '{"earlier": true}'
    assert os.listdir(tmp_path) == ["trace.json"]  # no temporary file left behind
    monkeypatch.undo()
    result.to_chrome_trace(str(path))
    assert "traceEvents" in path.read_text()


@pytest.mark.parametrize("mode", MODES)
def test_a_garbage_collection_pause_is_not_reported_as_a_blocking_step(mode):
    # A collection made long on purpose (0.15 s) lands in a step of tasks that only await sleep(0).
    paused = []

    def slow_collection(phase, info):
        if phase == "start" and not paused and loop_magic.backends.active.session is not None:
            paused.append(True)
            time.sleep(0.15)

    source = (
        "async def churn():\n    kept = []\n    for i in range(300):\n        kept.append([[] for _ in range(50)])\n"
        "        await asyncio.sleep(0)\nawait asyncio.gather(churn(), churn())"
    )
    gc.callbacks.append(slow_collection)
    try:
        result = loop_magic.run_cell(source, mode, echo=False)
    finally:
        gc.callbacks.remove(slow_collection)
    assert paused, "no collection ran during the run"
    assert result.error is None
    assert result.blocking_reports() == []


def test_a_long_collection_inside_a_step_is_said_as_such():
    from loop_magic.capture import RunRecorder, gc_clock

    class Task:  # (a stand-in: the recorder only needs an object it can refer to)
        def done(self) -> bool:
            return False

    recorder = RunRecorder()
    task = Task()
    recorder.task_created(task, "Task-1")
    recorder.step_start(task, 0)
    recorder.step_end(task, "ready")
    gc.disable()  # (no real collection in the window: only the one below)
    try:
        gc_clock._recent.clear()
        now = time.perf_counter()
        gc_clock._recent.append((now - 0.155, now - 0.005))  # as if the collector had run 0.15 s during the step
        recorder.blocked(task, 0.16)  # the step took 0.16 s in all, 0.01 s of it its own
    finally:
        gc.enable()
    recorder.finish()
    kinds = [event.kind for event in recorder.trace]
    assert Ev.BLOCKED not in kinds
    said = [recorder.trace.string(e.a) for e in recorder.trace if e.kind == Ev.NOTE]
    assert said == ["garbage collection paused the loop 1 time (up to 0.150 s); not counted as blocking steps"]


@pytest.mark.parametrize("mode", MODES)
def test_a_stop_that_surfaces_as_another_error_is_still_a_stop(mode):
    # On 3.13 a stop delivered inside a finaliser surfaced as SystemError; code may also convert it.
    source = (
        "async def converts():\n    try:\n        while True:\n            pass\n"
        "    except BaseException as exc:\n        raise RuntimeError('converted') from exc\nawait converts()"
    )
    result = loop_magic.run_cell(source, mode, echo=False, timeout=0.2)
    assert result.timed_out and isinstance(result.error, loop_magic.CellTimeout), result.error


def _resume_line(function) -> tuple:
    """(code, line number) of the line of a loop's stepping function that resumes a coroutine."""
    import inspect

    lines, first = inspect.getsourcelines(function)
    for offset, line in enumerate(lines):
        if "_coro.send(None)" in line:
            return function.__code__, first + offset
    raise AssertionError(f"no coroutine resumed in {function.__qualname__}")


@pytest.mark.parametrize("mode", ["tinyloop", "generator"])
def test_a_stop_landing_just_before_a_step_resumes_the_coroutine_still_runs_its_finally(mode):
    # A stop can arrive at any bytecode. One that lands in the loop's step after its
    # `try:` but before the coroutine resumed never reached the coroutine: the task
    # must not be marked failed by it (its `finally` would never run, the coroutine
    # kept suspended for good). A trace function puts the stop at exactly that line.
    from loop_impl import generator_loop, tasks
    from loop_magic.stopping import RunInterrupted

    step = tasks.Task._Task__step if mode == "tinyloop" else generator_loop.EventLoop._poll
    code, line = _resume_line(step)
    reached = []

    def local(frame, event, arg):
        if event == "line" and frame.f_lineno == line:
            reached.append(line)
            if len(reached) == 5:  # the worker is well inside its try: block by now
                raise RunInterrupted
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code is code else None

    source = (
        "async def worker():\n    try:\n        while True:\n            await asyncio.sleep(0)\n"
        "    finally:\n        print('worker cleaned up')\nawait asyncio.gather(worker())"
    )
    threading.settrace(tracer)  # (the run's own thread starts with it)
    try:
        result = loop_magic.run_cell(source, mode, echo=False, timeout=5)
    finally:
        threading.settrace(None)
    assert len(reached) >= 5 and result.interrupted, (reached, result.error)
    assert "worker cleaned up" in result.stdout, result.notes
    assert not any("kept suspended" in note for note in result.notes), result.notes


@pytest.mark.parametrize("mode", MODES)
def test_stopping_a_busy_run_leaves_its_loop_and_trace_whole(mode):
    # A stop raised wherever the run thread happened to be landed, one time in five, in the
    # loop's or the recorder's own code: a task off every queue (its finally never ran), or
    # trace columns that no longer lined up (run_cell raised IndexError). A loop that still
    # turns now takes the stop at the start of an iteration; twenty stops at varied moments.
    source = (
        "async def worker():\n    try:\n        while True:\n            await asyncio.sleep(0)\n"
        "    finally:\n        print('worker cleaned up')\nawait asyncio.gather(worker(), worker())"
    )
    for attempt in range(20):
        result = loop_magic.run_cell(source, mode, echo=False, timeout=0.02 + 0.004 * attempt)
        trace = result.trace
        columns = {len(trace._kind), len(trace._t), len(trace._task), len(trace._a), len(trace._b)}
        assert result.timed_out and len(columns) == 1, (attempt, result.error, columns)
        assert result.stdout == "worker cleaned up\n" * 2, (attempt, result.stdout, result.notes)
        assert all_tasks_finished(result), attempt
