"""What loop_impl reports that asyncio hides: deadlocks, blocking steps, lost errors."""

from __future__ import annotations

import gc
import logging
import threading
import time

import pytest

import loop_impl


def test_deadlock_names_every_task_and_what_it_waits_for():
    async def waiter(event):
        await event.wait()

    async def main():
        event = loop_impl.Event()
        task = loop_impl.create_task(waiter(event), name="waiter")
        await task

    started = time.monotonic()
    with pytest.raises(loop_impl.DeadlockError) as info:
        loop_impl.run(main())
    assert time.monotonic() - started < 5  # reported, not hung
    report = str(info.value)
    assert "2 tasks waiting" in report
    assert "task 'waiter' waits for Event" in report
    assert "task 'Task-" in report and "waits for Task waiter" in report
    assert "await event.wait()" in report  # points at the program's own line


def test_deadlock_on_a_future_nobody_resolves():
    loop = loop_impl.new_event_loop()
    try:
        with pytest.raises(loop_impl.DeadlockError, match="run_until_complete"):
            loop.run_until_complete(loop.create_future())
    finally:
        loop.close()


def test_no_deadlock_while_a_thread_can_still_call_in():
    async def main():
        loop = loop_impl.get_running_loop()
        fut = loop.create_future()
        thread = threading.Thread(target=lambda: (time.sleep(0.2), loop.call_soon_threadsafe(fut.set_result, 7)))
        thread.start()
        try:
            return await fut
        finally:
            thread.join()

    assert loop_impl.run(main()) == 7


def test_no_deadlock_while_executor_work_is_in_flight():
    async def main():
        loop = loop_impl.get_running_loop()
        return await loop.run_in_executor(None, lambda: (time.sleep(0.2), 5)[1])

    assert loop_impl.run(main()) == 5


def test_run_forever_with_nothing_to_wake_it_stops_with_a_warning(caplog):
    loop = loop_impl.new_event_loop()
    try:
        with caplog.at_level(logging.WARNING, logger="loop_impl"):
            loop.run_forever()  # asyncio would never return
    finally:
        loop.close()
    assert "nothing could ever wake the loop" in caplog.text


def blocking_reports_of(coro, caplog) -> list:
    """Run `coro` on a new loop, its warnings captured; the loop's blocking-step reports."""
    loop = loop_impl.new_event_loop()
    try:
        with caplog.at_level(logging.WARNING, logger="loop_impl"):
            loop.run_until_complete(coro)
        return loop.blocking_reports
    finally:
        loop.close()


def test_blocking_step_is_reported_with_task_and_duration(caplog):
    async def sleeper():
        time.sleep(0.25)  # the mistake: blocks the whole loop
        await loop_impl.sleep(0)

    async def main():
        await loop_impl.create_task(sleeper(), name="sleepy")

    reports = blocking_reports_of(main(), caplog)
    assert len(reports) == 1
    assert "'sleepy'" in reports[0].what
    assert 0.2 <= reports[0].seconds < 5
    assert "Blocking step" in caplog.text and "sleepy" in caplog.text


def test_short_steps_are_not_reported():
    async def main():
        for _ in range(100):
            await loop_impl.sleep(0)

    loop = loop_impl.new_event_loop()
    try:
        loop.run_until_complete(main())
        assert loop.blocking_reports == []
    finally:
        loop.close()


def test_a_garbage_collection_pause_is_no_blocking_step(caplog):
    """A report must be true (issue 10, item 10, for loop_impl itself, not only the magic): a long
    collection that lands in a step which only awaits sleep(0) is not that step's doing."""
    paused = []

    def slow_collection(phase, info):
        if phase == "start" and not paused and running:
            paused.append(True)
            time.sleep(0.15)  # a collection made long on purpose

    async def churn():
        kept = []
        for _ in range(300):
            kept.append([[] for _ in range(50)])  # allocations: the collector runs
            await loop_impl.sleep(0)

    async def main():
        await loop_impl.gather(churn(), churn())

    running = True
    gc.callbacks.append(slow_collection)
    try:
        reports = blocking_reports_of(main(), caplog)
    finally:
        running = False
        gc.callbacks.remove(slow_collection)
    assert paused, "no collection ran during the run"
    assert reports == [] and "Blocking step" not in caplog.text


def test_never_retrieved_exception_is_logged_like_asyncio(caplog):
    async def boom():
        raise ValueError("lost")

    async def main():
        loop_impl.create_task(boom())
        await loop_impl.sleep(0.01)

    with caplog.at_level(logging.ERROR, logger="asyncio"):  # the logger asyncio documents
        loop_impl.run(main())
        gc.collect()
    assert {record.name for record in caplog.records} == {"asyncio"}
    assert "Task exception was never retrieved" in caplog.text
    assert "ValueError: lost" in caplog.text


def test_never_awaited_coroutine_warns_as_python_does():
    async def forgotten():
        pass

    async def main():
        forgotten()  # the mistake under test

    with pytest.warns(RuntimeWarning, match="was never awaited"):
        loop_impl.run(main())
        gc.collect()
