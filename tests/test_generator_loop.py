"""loop_impl.generator_loop: the seeds' naive polling loop, and the waste it shows."""

from __future__ import annotations

import logging
import time

import pytest

import loop_impl
import loop_impl.generator_loop as gl
from loop_impl.trace import Ev, Outcome, Recorder, Why


def events(rec: Recorder, kind: Ev) -> list:
    return [e for e in rec.trace if e.kind == kind]


# -- the queue: round-robin, FIFO ---------------------------------------------------


def test_generator_tasks_are_polled_round_robin():
    out = []

    def worker(name, n):
        for i in range(n):
            out.append(f"{name}{i}")
            yield

    loop = gl.EventLoop()
    loop.create_task(worker("a", 3))
    loop.create_task(worker("b", 2))
    loop.create_task(worker("c", 3))
    loop.run()
    assert out == ["a0", "b0", "c0", "a1", "b1", "c1", "a2", "c2"]
    assert loop.polls == 3 + 2 + 3 + 3  # each task is polled once more, to finish
    assert loop.idle_polls == 0  # a bare yield is a step, never idle


def test_a_new_task_waits_its_turn_and_run_returns_mains_result():
    out = []

    async def child():
        out.append("child")
        return 3

    async def main():
        task = gl.create_task(child())
        out.append("main after create_task")
        return await task + 1

    assert gl.run(main()) == 4
    assert out == ["main after create_task", "child"]


def test_run_goes_on_until_the_queue_is_empty_even_after_main_returns():
    # The seeds' rule, unlike asyncio.run (which cancels what is left).
    out = []

    async def background():
        await gl.sleep(0)
        out.append("background finished")

    async def main():
        gl.create_task(background())
        return "main"

    assert gl.run(main()) == "main"
    assert out == ["background finished"]


def test_plain_generators_yield_from_sleep_and_tasks():
    out = []

    def child():
        yield from gl.sleep(0.01)
        return "child result"

    def main():
        task = gl.create_task(child())
        out.append((yield from task))
        yield from gl.sleep(0)
        return "main result"

    assert gl.run(main()) == "main result"
    assert out == ["child result"]


def test_main_exception_is_raised_and_an_unretrieved_one_is_logged(caplog):
    async def fails():
        raise ValueError("nobody looks at me")

    async def main():
        gl.create_task(fails())
        await gl.sleep(0)
        raise KeyError("main")

    with caplog.at_level(logging.ERROR, logger="loop_impl.generator_loop"):
        with pytest.raises(KeyError, match="main"):
            gl.run(main())
    assert "Task exception was never retrieved" in caplog.text
    assert "nobody looks at me" in caplog.text


def test_gather_current_task_and_names():
    async def child(i):
        await gl.sleep(0.001 * i)
        return (i, gl.current_task().get_name())

    async def bad():
        raise ValueError("bad")

    async def main():
        results = await gl.gather(child(2), child(1))
        mixed = await gl.gather(bad(), child(0), return_exceptions=True)
        return gl.current_task().get_name(), results, mixed

    name, results, mixed = gl.run(main())
    assert name.startswith("Task-")
    (i2, n2), (i1, n1) = results
    assert (i2, i1) == (2, 1) and int(n1[5:]) == int(n2[5:]) + 1 == int(name[5:]) + 2
    assert isinstance(mixed[0], ValueError) and mixed[1][0] == 0


def test_errors_match_asyncio():
    with pytest.raises(RuntimeError, match="no running event loop"):
        gl.create_task(gl.sleep(0))
    with pytest.raises(ValueError, match="a coroutine was expected"):
        gl.run(lambda: None)
    with pytest.raises(TypeError, match="a coroutine was expected"):
        gl.EventLoop().create_task(42)

    async def nested():
        gl.run(gl.sleep(0))

    with pytest.raises(RuntimeError, match="cannot be called from a running event loop"):
        gl.run(nested())


# -- idle polls: the waste ------------------------------------------------------------


def test_sleeping_is_polling_and_the_idle_polls_are_counted():
    async def main():
        await gl.sleep(0.02)

    loop = gl.EventLoop()
    loop.run_until_complete(main())
    stats = loop.stats
    # main and its sleep task are asked again and again whether the time is up.
    assert stats.idle_polls > 100
    assert stats.polls == stats.steps + stats.idle_polls
    assert stats.steps == 4  # main: start, done; the sleep task: start, done
    assert stats.tasks == 2 and loop.tasks_created == 2
    assert gl.last_run_stats() == stats


def test_idle_polls_in_virtual_time_are_few_and_exact():
    async def main():
        await gl.sleep(3600)
        return "woke"

    loop = gl.EventLoop(virtual_time=True)
    started = time.monotonic()
    assert loop.run_until_complete(main()) == "woke"
    assert time.monotonic() - started < 0.5
    assert loop.time() == 3600.0
    # main: creates the sleep task; sleep: starts; main, sleep: idle (a whole idle
    # round: the clock jumps to 3600); main: idle once more; sleep: done; main: done.
    assert (loop.polls, loop.idle_polls) == (7, 3)


def test_sleeping_burns_cpu_here_and_not_in_loop_impl():
    seconds = 0.3

    async def gen_main():
        await gl.sleep(seconds)

    async def impl_main():
        await loop_impl.sleep(seconds)

    cpu = time.process_time()
    gl.run(gen_main())
    gen_cpu = time.process_time() - cpu
    cpu = time.process_time()
    loop_impl.run(impl_main())
    impl_cpu = time.process_time() - cpu
    # The polling loop keeps a core busy for the whole sleep (less if the machine is
    # shared); loop_impl waits in select() and uses next to nothing.
    assert gen_cpu > seconds / 4, gen_cpu
    assert impl_cpu < 0.05, impl_cpu
    assert gen_cpu > 5 * impl_cpu


# -- virtual time -----------------------------------------------------------------------


def test_virtual_time_orders_sleeps_by_deadline_and_repeats_exactly():
    def program():
        out = []

        async def sleeper(delay):
            await gl.sleep(delay)
            out.append((delay, gl.get_running_loop().time()))

        async def main():
            await gl.gather(*(sleeper(d) for d in (5, 0.5, 30, 2)))

        rec = Recorder()
        gl.run(main(), virtual_time=True, recorder=rec)
        return out, [(e.kind, e.t, e.task, e.a, e.b) for e in rec.trace]

    out, trace = program()
    assert out == [(0.5, 0.5), (2, 2.0), (5, 5.0), (30, 30.0)]
    assert program() == (out, trace)


def test_virtual_time_clock_stands_still_while_tasks_work():
    def busy():
        for _ in range(1000):
            yield

    loop = gl.EventLoop(virtual_time=True)
    loop.create_task(busy())
    loop.run()
    assert loop.time() == 0.0


# -- the recorder ---------------------------------------------------------------------------


def test_recorder_sees_tasks_steps_waits_and_compressed_idle_polls():
    async def child():
        await gl.sleep(1)
        return 42

    async def main():
        task = gl.create_task(child(), name="child")
        return await task

    rec = Recorder()
    loop = gl.EventLoop(recorder=rec, virtual_time=True)
    assert loop.run_until_complete(main()) == 42
    names = rec.trace.task_names
    created = [names[e.task] for e in events(rec, Ev.TASK_CREATED)]
    assert created[:2] == [created[0], "child"] and created[2] == "sleep 1"
    waits = {(names[e.task], rec.trace.string(e.a)) for e in events(rec, Ev.STEP_END)}
    assert (created[0], "Task child") in waits
    assert ("child", "sleep 1") in waits and ("sleep 1", "sleep 1") in waits
    done = {names[e.task]: (Outcome(e.a), rec.trace.string(e.b)) for e in events(rec, Ev.TASK_DONE)}
    assert done["child"] == (Outcome.RETURNED, "42")
    assert done[created[0]] == (Outcome.RETURNED, "42")
    # Every idle poll is counted, in few events: a run of them is one event per task.
    idle = events(rec, Ev.IDLE_POLL)
    assert sum(e.a for e in idle) == loop.idle_polls
    assert {Why.START, Why.POLL} <= {Why(e.b) for e in events(rec, Ev.SCHEDULED)}
    # No step event for an idle poll: the steps are the polls that made progress.
    assert len(events(rec, Ev.STEP_START)) == len(events(rec, Ev.STEP_END)) == loop.polls - loop.idle_polls


def test_a_long_busy_wait_is_stored_in_a_handful_of_events():
    async def main():
        await gl.sleep(0.05)

    rec = Recorder()
    loop = gl.EventLoop(recorder=rec)
    loop.run_until_complete(main())
    idle = events(rec, Ev.IDLE_POLL)
    assert loop.idle_polls > 1000
    assert len(idle) <= 4  # main and the sleep task, each one run-length event
    assert sum(e.a for e in idle) == loop.idle_polls


# -- stopping programs that never end ------------------------------------------------------


def forever_with_cleanup(log):
    def ticker():
        try:
            while True:
                yield from gl.sleep(1)
        finally:
            log.append("ticker closed")

    return ticker()


def test_max_polls_stops_an_endless_program_and_runs_finally_blocks():
    log = []
    loop = gl.EventLoop(virtual_time=True)
    loop.create_task(forever_with_cleanup(log), name="ticker")
    with pytest.raises(gl.LimitReached, match="max_polls=50") as caught:
        loop.run(max_polls=50)
    assert caught.value.stats.polls == 50 and loop.polls == 50
    assert "ticker (sleep 1)" in str(caught.value)
    assert log == ["ticker closed"]
    # The limit counts the polls of this run, not of the loop's life.
    loop.create_task(forever_with_cleanup(log))
    with pytest.raises(gl.LimitReached, match="max_polls=30"):
        loop.run(max_polls=30)
    assert loop.polls == 80 and loop.stats.polls == 30


def test_timeout_and_stop_end_a_run_too():
    log = []
    loop = gl.EventLoop()
    loop.create_task(forever_with_cleanup(log))
    started = time.monotonic()
    with pytest.raises(gl.LimitReached, match="timeout=0.05"):
        loop.run(timeout=0.05)
    assert time.monotonic() - started < 1
    assert log == ["ticker closed"]

    async def stopper():
        gl.get_running_loop().stop()
        await gl.sleep(0)

    with pytest.raises(gl.LimitReached, match="stop"):
        gl.run(stopper())


def test_keyboard_interrupt_closes_every_task_and_propagates():
    log = []

    async def interrupted():
        await gl.sleep(0)
        raise KeyboardInterrupt

    async def main():
        gl.create_task(forever_with_cleanup(log))
        await gl.create_task(interrupted())

    rec = Recorder()
    with pytest.raises(KeyboardInterrupt):
        gl.run(main(), recorder=rec)
    assert log == ["ticker closed"]
    assert any("KeyboardInterrupt" in rec.trace.string(e.a) for e in events(rec, Ev.NOTE))
    assert Outcome.CANCELLED in {e.a for e in events(rec, Ev.TASK_DONE)}


def test_tasks_waiting_for_each_other_are_a_deadlock_not_a_spin():
    async def main():
        async def waits_for(get_other):
            await get_other()

        a = gl.create_task(waits_for(lambda: b), name="A")
        b = gl.create_task(waits_for(lambda: a), name="B")
        await a

    with pytest.raises(loop_impl.DeadlockError) as caught:
        gl.run(main())
    report = str(caught.value)
    assert "A waits for Task B" in report and "B waits for Task A" in report


def test_run_defaults_reach_a_run_the_program_starts_itself():
    rec = Recorder()

    async def main():
        while True:
            await gl.sleep(10)

    with gl.run_defaults(recorder=rec, virtual_time=True, max_polls=100):
        with pytest.raises(gl.LimitReached):
            gl.run(main())
    assert gl.last_run_stats().loop_time > 10  # virtual: ten-second sleeps, at once
    assert len(rec.trace) > 0
    with pytest.raises(TypeError, match="unexpected options: colour"):
        with gl.run_defaults(colour="red"):
            pass


# -- what it does not have -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Lock", "Queue", "wait_for", "new_event_loop"])
def test_asyncio_features_it_lacks_point_to_loop_impl(name):
    assert not hasattr(gl, name)
    with pytest.raises(AttributeError, match="naive generator loop has no") as caught:
        getattr(gl, name)
    assert "loop_impl has it" in str(caught.value)


def test_unknown_names_and_dunders_raise_plain_attribute_errors():
    with pytest.raises(AttributeError, match="see loop_impl"):
        gl.no_such_thing  # noqa: B018
    with pytest.raises(AttributeError, match="has no attribute '__wrapped__'"):
        gl.__wrapped__  # noqa: B018
