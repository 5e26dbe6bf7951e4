"""The instrumented real asyncio reports the same trace as loop_impl.

For the differential programs of tests/programs, run as cells on both
backends: the same printed output and the same task steps in the same order;
on virtual clocks, the same steps at the same times. Real asyncio is the
expectation here, loop_impl has to match it.
"""

from __future__ import annotations

import glob
import os

import pytest
from difftest import program_requirement

import loop_magic
from loop_impl.trace import Ev, pushes_ready

HERE = os.path.dirname(__file__)
CATEGORIES = (
    "asyncgen", "basic", "callbacks", "cancel", "contextvars", "errors", "future", "gather", "loop",
    "queue", "shield", "sock", "sync", "task", "timeout", "wait", "waitfor",
)  # fmt: skip
# Programs whose step order is not deterministic even under real asyncio alone
# (their printed output is, which is what the differential tests check):
NOT_DETERMINISTIC = {
    "ascompleted_order.py": "as_completed wraps its awaitables from a set: task creation order follows addresses",
    "taskgroup_errors.py": "a TaskGroup cancels its children in a set's order",
}
# Programs the asyncio backend cannot trace yet (none now: an eager task's first step,
# which runs inside asyncio's C constructor, is seen since the cell's eager_task_factory
# makes TracedTasks):
NOT_TRACED: dict[str, str] = {}
PROGRAMS = sorted(
    path
    for path in glob.glob(os.path.join(HERE, "programs", "*.py"))
    if os.path.basename(path).split("_")[0] in CATEGORIES
    and os.path.basename(path) not in NOT_DETERMINISTIC
    and os.path.basename(path) not in NOT_TRACED
)


def step_keys(result, with_times=False):
    """(task number in creation order, task name, why it ran[, loop time]) for each step."""
    trace = result.trace
    number = {}
    keys = []
    for event in trace:
        if event.kind == Ev.TASK_CREATED:
            number.setdefault(event.task, len(number) + 1)
        elif event.kind == Ev.STEP_START:
            key = (number.setdefault(event.task, len(number) + 1), trace.task_names.get(event.task), int(event.a))
            keys.append(key + (event.t,) if with_times else key)
    return keys


def both(source, **options):
    return [loop_magic.run_cell(source, mode, echo=False, timeout=20, **options) for mode in ("tinyloop", "asyncio")]


def test_the_program_set_is_not_empty():
    assert len(PROGRAMS) > 50


# errors_misuse_messages.py leaves a coroutine unawaited on purpose (the misuse under test).
@pytest.mark.filterwarnings("ignore:coroutine '.*' was never awaited:RuntimeWarning")
@pytest.mark.parametrize("path", PROGRAMS, ids=os.path.basename)
def test_same_steps_same_times_on_virtual_clocks(path):
    too_old = program_requirement(path)
    if too_old:
        pytest.skip(too_old)
    source = open(path).read()
    ours, real = both(source, virtual_time=True)
    # (Printed output is the differential tests' business: tests/test_differential.py.)
    assert step_keys(ours, with_times=True) == step_keys(real, with_times=True)


@pytest.mark.parametrize(
    "name", ["basic_sleep_ordering", "gather_order", "cancel_chain", "queue_producer_consumer", "sync_lock_fifo"]
)
def test_same_step_order_on_real_clocks(name):
    source = open(os.path.join(HERE, "programs", name + ".py")).read()
    ours, real = both(source)
    assert step_keys(ours) == step_keys(real)


WAITS = """
lock = asyncio.Lock()
event = asyncio.Event()
queue = asyncio.Queue()

async def holder():
    async with lock:
        await asyncio.sleep(0.5)

async def locker():
    async with lock:
        pass

async def getter():
    return await queue.get()

async def main():
    tasks = [asyncio.create_task(c) for c in (holder(), locker(), event.wait(), getter())]
    await asyncio.sleep(0.1)
    event.set()
    queue.put_nowait(1)
    await asyncio.gather(*tasks)
    await tasks[0]

asyncio.run(main())
"""


def test_waits_are_described_alike():
    ours, real = both(WAITS, virtual_time=True)

    def waits(result):
        trace = result.trace
        return [(trace.task_names[e.task], trace.string(e.a)) for e in trace if e.kind == Ev.STEP_END]

    assert waits(ours) == waits(real)
    assert {"sleep 0.5", "Lock", "Event", "Queue.get", "gather(4)"} <= {what for _, what in waits(real)}


def _replay_ready_queue(trace):
    """Push on SCHEDULED / IO_READY / TIMER_FIRED / a requeuing STEP_END, pop on STEP_START
    (queued steps), CALLBACK_START and SKIPPED: the queue must never be popped when empty."""
    depth = 0
    for event in trace:
        if pushes_ready(event.kind, event.b):
            depth += 1
        elif event.kind in (Ev.STEP_START, Ev.CALLBACK_START, Ev.SKIPPED):
            depth -= 1
            assert depth >= 0, f"pop from an empty ready queue at {event}"
    return depth


@pytest.mark.parametrize("name", ["sock_raw_api", "waitfor_timeout", "callbacks_cancel_handle", "stream_echo_clients"])
def test_ready_queue_replays_from_the_asyncio_trace(name):
    source = open(os.path.join(HERE, "programs", name + ".py")).read()
    ours, real = both(source, virtual_time=True)
    assert _replay_ready_queue(real.trace) >= 0
    kinds = {e.kind for e in real.trace}
    assert {Ev.ITERATION, Ev.SCHEDULED, Ev.STEP_START, Ev.STEP_END, Ev.TASK_CREATED, Ev.TASK_DONE} <= kinds
    if name in ("sock_raw_api", "stream_echo_clients"):
        assert {Ev.FD_WATCH, Ev.IO_READY, Ev.SELECT_ENTER} <= kinds
    if name == "waitfor_timeout":
        assert {Ev.TIMER_SCHEDULED, Ev.TIMER_FIRED, Ev.TIMER_CANCELLED} <= kinds
    if name == "callbacks_cancel_handle":
        assert {Ev.CALLBACK_START, Ev.CALLBACK_END, Ev.SKIPPED} <= kinds


def test_task_reprs_and_messages_say_task_and_future():
    source = "t = asyncio.create_task(asyncio.sleep(0))\nf = asyncio.get_running_loop().create_future()\nprint(type(t).__name__, type(f).__name__)\nawait t"
    ours, real = both(source)
    assert real.stdout == ours.stdout == "Task Future\n"


def test_virtual_time_event_loop_alone():
    import asyncio
    import time

    from loop_magic.virtual_time import VirtualTimeEventLoop

    loop = VirtualTimeEventLoop()
    try:
        started = time.monotonic()
        assert loop.run_until_complete(asyncio.sleep(3600, "woke")) == "woke"
        assert loop.time() == 3600 and time.monotonic() - started < 0.5
    finally:
        loop.close()


EXECUTOR_AND_TIMER = """
import time
async def job():
    await asyncio.get_running_loop().run_in_executor(None, time.sleep, 0.1)
    print("executor job done")
async def timer():
    await asyncio.sleep(10)
    print("timer fired at", asyncio.get_running_loop().time())
await asyncio.gather(timer(), job())
"""


def test_virtual_time_waits_for_executor_threads():
    # The clock does not jump past work that a thread will hand back at a real moment.
    import time

    started = time.monotonic()
    results = both(EXECUTOR_AND_TIMER, virtual_time=True)
    assert time.monotonic() - started < 2
    for result in results:
        assert result.error is None
        assert result.stdout == "executor job done\ntimer fired at 10.0\n"


def test_a_task_a_library_makes_itself_is_traced_on_both_backends(tmp_path, monkeypatch):
    # aiohttp makes its request handlers with asyncio.Task(coro, loop=loop), not through
    # the loop: the asyncio backend once ran their steps as anonymous loop callbacks, and
    # --compare called an aiohttp request's step order different. A module outside the
    # cell stands for the library (its `import asyncio` is the real one on both backends).
    (tmp_path / "library_that_makes_tasks.py").write_text(
        "import asyncio\n\ndef spawn(coro):\n    return asyncio.Task(coro, loop=asyncio.get_running_loop())\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    source = (
        "import library_that_makes_tasks as library\n"
        "async def handler(name):\n    for _ in range(2):\n        await asyncio.sleep(0)\n    return name\n"
        "made = library.spawn(handler('made'))\n"
        "print(await asyncio.gather(made, asyncio.create_task(handler('usual'))))"
    )
    ours, real = both(source, virtual_time=True)
    assert ours.error is None and real.error is None, (ours.error, real.error)
    assert ours.stdout == real.stdout == "['made', 'usual']\n"
    # (Names aside: the library's Task takes asyncio's own Task-N, which a cell's numbering does not share.)
    unnamed = [[(number, why, t) for number, _, why, t in step_keys(run, with_times=True)] for run in (ours, real)]
    assert unnamed[0] == unnamed[1]
    assert sum(1 for key in unnamed[1] if key[0] == 2) == 3  # the library's task: three steps, each traced
