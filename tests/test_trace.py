"""The trace schema: what a traced run records, how compactly, and that it replays."""

from __future__ import annotations

import re
import time
from collections import deque

import loop_impl
from loop_impl.trace import Ev, Outcome, Recorder, Why, pushes_ready


def traced(main, **loop_kwargs):
    loop = loop_impl.EventLoop(**loop_kwargs)
    rec = Recorder()
    loop.set_recorder(rec)
    try:
        result = loop.run_until_complete(main())
    finally:
        loop.close()
    return rec.trace, result


async def two_workers():
    async def worker(delay):
        await loop_impl.sleep(delay)
        return delay

    a = loop_impl.create_task(worker(0.02), name="slow")
    b = loop_impl.create_task(worker(0.01), name="fast")
    return await loop_impl.gather(a, b)


def test_a_run_records_tasks_steps_waits_and_ends():
    trace, result = traced(two_workers)
    assert result == [0.02, 0.01]
    names = set(trace.task_names.values())
    assert {"slow", "fast"} <= names
    waits = [trace.string(e.a) for e in trace if e.kind == Ev.STEP_END]
    assert "sleep 0.02" in waits and "sleep 0.01" in waits and "gather(2)" in waits
    done = [(trace.task_names[e.task], Outcome(e.a)) for e in trace if e.kind == Ev.TASK_DONE]
    assert ("fast", Outcome.RETURNED) in done and ("slow", Outcome.RETURNED) in done
    # The fast worker finishes first: its TASK_DONE comes before the slow one's.
    order = [name for name, _ in done]
    assert order.index("fast") < order.index("slow")
    assert any(e.kind == Ev.TIMER_FIRED for e in trace)
    assert any(e.kind == Ev.SELECT_ENTER and e.a > 0 for e in trace)  # it slept in select


def test_first_step_is_start_and_wakeups_name_their_future():
    trace, _ = traced(two_workers)
    starts = [e for e in trace if e.kind == Ev.STEP_START]
    first_per_task = {}
    for e in starts:
        first_per_task.setdefault(e.task, e)
    assert all(e.a == Why.START for e in first_per_task.values())
    wakeups = [e for e in starts if e.a == Why.WAKEUP]
    assert wakeups and all(e.b != 0 for e in wakeups)
    resolved = {e.a for e in trace if e.kind == Ev.FUTURE_DONE}
    assert {e.b for e in wakeups} <= resolved  # every wake-up points at a resolved future


def test_ready_queue_replays_from_the_log():
    """SCHEDULED/IO_READY/TIMER_FIRED/a requeuing STEP_END push, STEP_START/CALLBACK_START/SKIPPED pop (trace.py)."""

    async def busy():
        loop = loop_impl.get_running_loop()
        loop.call_soon(len, "x")
        handle = loop.call_soon(print, "never")
        handle.cancel()
        loop.call_later(0.001, lambda: None)
        await loop_impl.gather(*(loop_impl.sleep(0) for _ in range(5)))
        await loop_impl.sleep(0.005)

    trace, _ = traced(busy)
    queue: deque = deque()
    requeued = 0
    for e in trace:
        if pushes_ready(e.kind, e.b):
            queue.append(e)
            requeued += e.kind == Ev.STEP_END
        elif e.kind in (Ev.STEP_START, Ev.CALLBACK_START, Ev.SKIPPED):
            entry = queue.popleft()
            if e.kind == Ev.STEP_START:  # (a wakeup runs inside the __wakeup that was queued)
                assert entry.kind in (Ev.SCHEDULED, Ev.STEP_END) and entry.task == e.task
                # A step after a bare yield is taken from its STEP_END's push, and only such a step.
                assert (entry.kind == Ev.STEP_END) == (e.a == Why.YIELD), (entry, e)
    assert not queue
    assert requeued >= 5  # the five sleep(0)s: their pushes are their STEP_ENDs
    assert not any(e.kind == Ev.SCHEDULED and e.b == Why.YIELD for e in trace)


def test_idle_polls_are_run_length_compressed():
    rec = Recorder(clock=time.monotonic)

    class T:  # any object can be a task for the recorder
        pass

    a, b = T(), T()
    for _ in range(1000):
        rec.idle_poll(a)
        rec.idle_poll(b)
    rec.note("something else")
    rec.idle_poll(a)
    events = list(rec.trace)
    polls = [e for e in events if e.kind == Ev.IDLE_POLL]
    assert [(e.task, e.a) for e in polls] == [(1, 1000), (2, 1000), (1, 1)]


def test_events_are_stored_compactly():
    rec = Recorder(clock=time.monotonic)

    class T:
        pass

    task = T()
    n = 1_000_000
    for _ in range(n // 2):
        rec.step_start(task, Why.YIELD)
        rec.step_end(task, "ready")
    trace = rec.trace
    assert len(trace) == n
    per_event = trace.nbytes() / n
    assert per_event <= 64
    assert trace.nbytes() < 64 * 2**20


def test_virtual_time_makes_long_sleeps_instant_and_runs_identical():
    async def main():
        await loop_impl.sleep(3600)
        await loop_impl.gather(loop_impl.sleep(10), loop_impl.sleep(5))
        return loop_impl.get_running_loop().time()

    started = time.monotonic()
    trace1, t1 = traced(main, virtual_time=True)
    trace2, t2 = traced(main, virtual_time=True)
    assert time.monotonic() - started < 5
    assert t1 == t2 == 3610
    assert list(trace1) == list(trace2)
    # Task-N numbers come from a process-wide counter, as in asyncio; all else is equal.
    unnumbered = [re.sub(r"Task-\d+", "Task-N", s) for s in trace1.strings]
    assert unnumbered == [re.sub(r"Task-\d+", "Task-N", s) for s in trace2.strings]
