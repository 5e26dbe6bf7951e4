"""Generated programs over the areas where asyncio changed between versions, against this interpreter's asyncio.

tests/test_property.py draws programs from operations that behave alike on every
Python. This file draws them from the ones that do not (loop_impl/versions.py):
wait_for on a coroutine (3.12: no inner task), gather over children already
done (3.12: done at once), TaskGroup with named tasks and a failing body (3.13:
the cancelling count), as_completed (3.13: an async iterator too), task names
and their Task-N numbers (3.13), eager tasks (3.12+) and Queue.shutdown (3.13+).
Operations an interpreter's asyncio lacks are not drawn on it. Every program
runs under real asyncio and under loop_impl on virtual clocks and must print
the same. The printed task names are relative to main's number, so the
numbering of earlier programs in this process does not matter.
"""

from __future__ import annotations

import asyncio

from difftest import run_in_process, unified_diff
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import loop_impl
from loop_impl import versions

_KINDS = ["wait_for", "gather_done", "taskgroup", "as_completed", "names"]
if versions.EAGER_TASKS:
    _KINDS.append("eager")
if versions.QUEUE_SHUTDOWN:
    _KINDS.append("queue_shutdown")

_PRELUDE = """\
import asyncio

U = 1 / 64
BASE = 0


def nm(task):
    name = task.get_name()
    return f"T+{int(name[5:]) - BASE}" if name.startswith("Task-") else name


def show(x):
    if isinstance(x, BaseExceptionGroup):
        return f"{type(x).__name__}{sorted(show(e) for e in x.exceptions)}"
    if isinstance(x, BaseException):
        return f"{type(x).__name__}{x.args}"
    return repr(x)


async def w(i, d, fail):
    print("w", i, "starts in", nm(asyncio.current_task()))
    if d:
        await asyncio.sleep(d * U)
    if fail:
        raise ValueError(i)
    print("w", i, "returns")
    return i
"""

worker = st.tuples(st.integers(0, 3), st.booleans())  # (delay in units, fails)


@st.composite
def operations(draw: st.DrawFn) -> list[tuple]:
    ops = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(_KINDS))
        workers = draw(st.lists(worker, min_size=1, max_size=3))
        ops.append((kind, workers, draw(st.integers(0, 3)), draw(st.booleans())))
    return ops


def render(ops: list[tuple]) -> str:
    lines = [
        _PRELUDE,
        "",
        "async def main():",
        "    global BASE",
        "    BASE = int(asyncio.current_task().get_name()[5:])",
    ]
    lines += ["    loop = asyncio.get_running_loop()", "    n = 0"]
    for step, (kind, workers, number, flag) in enumerate(ops):
        calls = [f"w({step * 10 + k}, {d}, {fail})" for k, (d, fail) in enumerate(workers)]
        body = _render_op(kind, calls, number, flag)
        lines += ["    try:"] + ["        " + line for line in body]
        lines += ["    except (Exception, asyncio.CancelledError) as e:", f'        print("{kind} raised", show(e))']
        lines += ["    await asyncio.sleep(4 * U)  # every leftover worker has finished"]
    lines += ['    print("main done in", nm(asyncio.current_task()))', "", "", 'if __name__ == "__main__":']
    lines += ["    asyncio.run(main())", ""]
    return "\n".join(lines)


def _render_op(kind: str, calls: list[str], number: int, flag: bool) -> list[str]:
    if kind == "wait_for":  # a coroutine, not a task: 3.12 runs it in main's own task
        return [
            "try:",
            f"    print('wait_for ->', await asyncio.wait_for({calls[0]}, {number} * U))",
            "except TimeoutError:",
            "    print('wait_for timed out')",
        ]
    if kind == "gather_done":
        return [
            f"ts = [asyncio.create_task(c) for c in ({', '.join(calls)},)]",
            f"await asyncio.sleep({number} * U)",
            f"g = asyncio.gather(*ts, return_exceptions={flag})",
            "print('gather done at once:', g.done())",
            "print('gather ->', [show(r) for r in await g])",
        ]
    if kind == "taskgroup":
        out = ["async with asyncio.TaskGroup() as tg:"]
        for k, call in enumerate(calls):
            name = f", name='tg{k}'" if (k + number) % 2 else ""
            out += [f"    print('tg made', nm(tg.create_task({call}{name})))"]
        if flag:
            out += ["    await asyncio.sleep(U)", "    raise KeyError('body')"]
        return out + ["print('taskgroup ok, cancelling', asyncio.current_task().cancelling())"]
    if kind == "as_completed":
        out = [f"ts = [asyncio.create_task(c) for c in ({', '.join(calls)},)]"]
        timeout = "None" if number == 0 else f"{number} * U"
        if flag and versions.AS_COMPLETED_ASYNC_ITERATOR:
            return out + [
                f"async for t in asyncio.as_completed(ts, timeout={timeout}):",
                "    print('as_completed gave', nm(t), 'index', ts.index(t))",
            ]
        return out + [
            f"for f in asyncio.as_completed(ts, timeout={timeout}):",
            "    try:",
            "        print('as_completed ->', await f)",
            "    except Exception as e:",
            "        print('as_completed raised', show(e))",
        ]
    if kind == "names":
        out = []
        for k, call in enumerate(calls):
            name = f", name='n{k}'" if (k + number) % 2 else ""
            out += [f"t = asyncio.create_task({call}{name})", "print('made', nm(t))"]
        return out + ["print('then', nm(asyncio.create_task(asyncio.sleep(0))))", "await asyncio.sleep(4 * U)"]
    if kind == "eager":
        out = ["loop.set_task_factory(asyncio.eager_task_factory)", "ts = []"]
        for call in calls:
            out += [
                f"ts.append(asyncio.create_task({call}))",
                "print('eager made', nm(ts[-1]), 'done:', ts[-1].done())",
            ]
        return out + [
            "loop.set_task_factory(None)",
            "print('eager ->', [show(r) for r in await asyncio.gather(*ts, return_exceptions=True)])",
        ]
    assert kind == "queue_shutdown"
    return [
        "q = asyncio.Queue(1)",
        "async def getter(k):",
        "    try:",
        "        while True:",
        "            print('getter', k, 'got', await q.get())",
        "    except asyncio.QueueShutDown:",
        "        print('getter', k, 'sees shutdown')",
        f"gs = [asyncio.create_task(getter(k)) for k in range({len(calls)})]",
        f"for item in range({number}):",
        "    await q.put(item)",
        f"q.shutdown(immediate={flag})",
        "await asyncio.gather(*gs)",
        "print('queue', q.qsize(), 'left')",
    ]


@settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations())
def test_version_dependent_programs_print_what_this_asyncio_prints(ops: list[tuple]) -> None:
    source = render(ops)
    expected = run_in_process(source, asyncio, virtual_time=True)
    assert "\n!! " not in "\n" + expected, f"the generated program itself failed:\n{expected}\n{source}"
    assert "main done in" in expected
    actual = run_in_process(source, loop_impl, virtual_time=True)
    assert actual == expected, f"outputs differ:\n{unified_diff(expected, actual)}\n--- program ---\n{source}"


def test_the_generator_covers_this_versions_areas() -> None:
    """The areas this interpreter's asyncio has are drawn: a row added to versions.py is not silently skipped."""
    assert set(_KINDS) >= {"wait_for", "gather_done", "taskgroup", "as_completed", "names"}
    assert ("eager" in _KINDS) == versions.EAGER_TASKS
    assert ("queue_shutdown" in _KINDS) == versions.QUEUE_SHUTDOWN
