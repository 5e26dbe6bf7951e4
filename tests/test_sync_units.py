"""Locks, queues, TaskGroup and threads: what differential stdout cannot show well.

* reprs: compared with real asyncio's repr of an object in the same state
  (the module path differs, `asyncio.locks` vs `loop_impl.locks`, and so do
  addresses; everything else must match, the bracketed state above all);
* trace labels: a task blocked on a primitive is shown waiting for it, in a
  trace and in a deadlock report;
* threads: to_thread + run leave no thread behind;
* binding a primitive to one loop, as asyncio's mixin does.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time

import pytest

import loop_impl
from loop_impl.trace import Ev, Recorder

IMPLS = [asyncio, loop_impl]


def _normalize(text: str) -> str:
    """Drop what may differ: the module path before the class name, and addresses."""
    text = re.sub(r"<[\w.]+\.(\w+) object", r"<\1 object", text)
    return re.sub(r"0x[0-9a-f]+", "0x?", text)


def _reprs(mod) -> list[str]:
    """Reprs of each primitive and queue, idle and with waiters, under `mod`."""

    async def main():
        out = []
        lock, ev, sem, cond = mod.Lock(), mod.Event(), mod.Semaphore(2), mod.Condition()
        bsem, q = mod.BoundedSemaphore(1), mod.Queue(maxsize=2)
        out += [repr(x) for x in (lock, ev, sem, bsem, cond, q)] + [str(q)]
        await lock.acquire()
        await sem.acquire()
        await sem.acquire()
        waiters = [
            mod.ensure_future(c) for c in (lock.acquire(), ev.wait(), ev.wait(), sem.acquire(), q.get(), cond.acquire())
        ]
        await mod.sleep(0)
        out += [repr(x) for x in (lock, ev, sem, cond, q)]
        ev.set()
        lock.release()
        sem.release()
        q.put_nowait("item")
        out += [repr(x) for x in (lock, ev, sem, q)]
        await mod.gather(*waiters)
        q.put_nowait([1, 2])
        q.put_nowait("x")
        putter = mod.ensure_future(q.put("y"))
        await mod.sleep(0)
        out += [repr(q), str(q)]
        q.get_nowait()
        await putter
        barrier = mod.Barrier(2)
        out.append(repr(barrier))
        first = mod.ensure_future(barrier.wait())
        await mod.sleep(0)
        out.append(repr(barrier))
        await barrier.wait()
        await first
        await barrier.abort()
        out.append(repr(barrier))
        async with mod.TaskGroup() as tg:
            out.append(repr(tg))
            tg.create_task(mod.sleep(0))
            out.append(repr(tg))
        out.append(repr(tg))
        return out

    return [_normalize(r) for r in mod.run(main())]


def test_reprs_match_asyncio():
    expected, got = _reprs(asyncio), _reprs(loop_impl)
    assert got == expected
    # The bracketed state is there at all (the comparison is not vacuous).
    assert any("[locked, waiters:1]" in r for r in got)
    assert any("[unset, waiters:2]" in r for r in got)
    assert any("[filling, waiters:1/2]" in r for r in got)


@pytest.mark.parametrize(
    ("make", "label"),
    [
        ("lock", "Lock"),
        ("event", "Event"),
        ("semaphore", "Semaphore"),
        ("condition", "Condition"),
        ("get", "Queue.get"),
        ("put", "Queue.put"),
        ("join", "Queue.join"),
        ("barrier", "Barrier"),
    ],
)
def test_a_blocked_task_is_shown_waiting_for_the_primitive(make: str, label: str):
    recorder = Recorder()

    async def main():
        lock, sem, cond = loop_impl.Lock(), loop_impl.Semaphore(0), loop_impl.Condition()
        ev, q = loop_impl.Event(), loop_impl.Queue(maxsize=1)
        await lock.acquire()
        if make in ("put", "join"):
            q.put_nowait(0)

        async def blocked():
            if make == "lock":
                await lock.acquire()
            elif make == "event":
                await ev.wait()
            elif make == "semaphore":
                await sem.acquire()
            elif make == "condition":
                async with cond:
                    await cond.wait()
            elif make == "get":
                await q.get()
            elif make == "barrier":
                await loop_impl.Barrier(2).wait()
            elif make == "put":
                await q.put(1)
            else:
                await q.join()

        task = loop_impl.create_task(blocked(), name="blocked")
        await loop_impl.sleep(0)
        await loop_impl.sleep(0)
        waiting_on = task._fut_waiter
        task.cancel()
        await loop_impl.gather(task, return_exceptions=True)
        return waiting_on._label

    loop = loop_impl.new_event_loop()
    loop.set_recorder(recorder)
    try:
        assert loop.run_until_complete(main()) == label
    finally:
        loop.close()
    trace = recorder.trace
    waits = [trace.string(e.a) for e in trace if e.kind == Ev.STEP_END]
    assert label in waits


def test_deadlock_report_names_the_lock():
    async def main():
        lock = loop_impl.Lock()
        await lock.acquire()
        await lock.acquire()  # never released: nothing can wake us

    with pytest.raises(loop_impl.DeadlockError, match="waits for Lock"):
        loop_impl.run(main())


def test_to_thread_and_run_leave_no_thread_behind():
    before = set(threading.enumerate())

    async def main():
        results = await loop_impl.gather(*(loop_impl.to_thread(time.sleep, 0.01) for _ in range(4)))
        return len(results)

    assert loop_impl.run(main()) == 4
    deadline = time.monotonic() + 5
    while set(threading.enumerate()) - before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert set(threading.enumerate()) - before == set()


@pytest.mark.parametrize("mod", IMPLS, ids=lambda m: m.__name__)
def test_a_primitive_used_from_a_second_loop_is_an_error(mod):
    lock = mod.Lock()

    async def hold():
        await lock.acquire()
        waiter = mod.ensure_future(lock.acquire())  # binds the lock to this loop
        await mod.sleep(0)
        waiter.cancel()

    async def contend():
        await lock.acquire()

    mod.run(hold())
    with pytest.raises(RuntimeError, match="is bound to a different event loop"):
        mod.run(contend())


@pytest.mark.parametrize("mod", IMPLS, ids=lambda m: m.__name__)
def test_run_coroutine_threadsafe_rejects_a_non_coroutine(mod):
    loop = mod.new_event_loop()
    try:
        with pytest.raises(TypeError, match="^A coroutine object is required$"):
            mod.run_coroutine_threadsafe(lambda: None, loop)
    finally:
        loop.close()


def test_condition_methods_are_its_locks():
    lock = loop_impl.Lock()
    cond = loop_impl.Condition(lock)
    assert cond.acquire == lock.acquire
    assert cond.release == lock.release
    assert cond.locked == lock.locked
