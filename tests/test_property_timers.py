"""Property-based differential test of the timer heap: callbacks fire in asyncio's order.

CPython keeps timers in a `heapq` compared by deadline alone, so timers with
exactly the same deadline come out in an order that depends on the heap's
shape: on every push, every pop, and on the rebuild the loop does when more
than half of over 100 timers are cancelled. loop_impl claims the same order.
This test generates random timer programs, with many exact ties, run on
virtual clocks under both loops, and compares which callback fired when:

* main schedules a bulk of timers (up to 160, so the rebuild rule can trigger)
  on a few absolute deadlines, and cancels a pattern of them;
* each fired timer may schedule more timers (call_later, or call_at on an
  absolute deadline shared with others), cancel timers by number, or queue a
  call_soon callback, which itself may be cancelled.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from difftest import run_in_process, unified_diff
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import loop_impl

UNIT = "1 / 64"
MAX_UNITS = 4  # deadlines are 0..MAX_UNITS units away: ties are frequent


@dataclass
class Timer:
    """Timer `index`: how it is scheduled, and what its callback does when it fires."""

    index: int
    how: str  # "later": call_later(units), "at": call_at(units, absolute)
    units: int
    actions: list[tuple] = field(default_factory=list)


@dataclass
class TimerProgram:
    bulk: int  # timers main schedules on absolute deadlines first
    bulk_cancel_every: int  # of those, all but every n-th are cancelled (1: none)
    roots: list[Timer]  # scheduled by main
    children: dict[int, list[Timer]]  # scheduled by the callback of timer n


@st.composite
def timer_programs(draw: st.DrawFn) -> TimerProgram:
    n = draw(st.integers(1, 25))
    timers = [Timer(i, draw(st.sampled_from(["later", "at"])), draw(st.integers(0, MAX_UNITS))) for i in range(n)]
    roots, children = [], {}
    for t in timers:
        parent = draw(st.integers(-1, t.index - 1))  # -1: main
        (roots if parent < 0 else children.setdefault(parent, [])).append(t)
    for t in timers:
        for _ in range(draw(st.integers(0, 2))):
            kind = draw(st.sampled_from(["cancel", "soon", "soon_cancelled"]))
            t.actions.append((kind, draw(st.integers(0, n - 1))) if kind == "cancel" else (kind,))
    bulk = draw(st.sampled_from([0, 0, 5, 40, 101, 160]))
    return TimerProgram(bulk, draw(st.integers(1, 4)), roots, children)


def render(program: TimerProgram) -> str:
    lines = [
        "import asyncio",
        "",
        f"U = {UNIT}",
        "H = {}  # timer number -> its TimerHandle",
        "",
        "",
        "def schedule(loop, t, how, units):",
        "    if how == 'later':",
        "        H[t] = loop.call_later(units * U, fire, t)",
        "    else:  # an absolute deadline: timers scheduled at different times can tie exactly",
        "        H[t] = loop.call_at(units * U, fire, t)",
        "",
        "",
        "def fire(t):",
        "    loop = asyncio.get_running_loop()",
        '    print("fire", t)',
    ]
    for parent, kids in sorted(program.children.items()):
        lines.append(f"    if t == {parent}:")
        for k in kids:
            lines.append(f"        schedule(loop, {k.index}, {k.how!r}, {k.units})")
    for t in _all_timers(program):
        for action in t.actions:
            lines.append(f"    if t == {t.index}:")
            if action[0] == "cancel":
                lines.append(
                    f'        if {action[1]} in H: print("  cancel", {action[1]}, H[{action[1]}].cancelled()); H[{action[1]}].cancel()'
                )
            elif action[0] == "soon":
                lines.append(f'        loop.call_soon(print, "  soon after", {t.index})')
            else:
                lines.append(f'        loop.call_soon(print, "  never printed", {t.index}).cancel()')
    lines += [
        "",
        "",
        "def bulk(i):",
        '    print("bulk", i)',
        "",
        "",
        "async def main():",
        "    loop = asyncio.get_running_loop()",
        f"    handles = [loop.call_at((i % 3) * U, bulk, i) for i in range({program.bulk})]",
        "    for i, h in enumerate(handles):",
        f"        if i % {program.bulk_cancel_every}:",
        "            h.cancel()",
    ]
    for t in program.roots:
        lines.append(f"    schedule(loop, {t.index}, {t.how!r}, {t.units})")
    lines += [
        f"    await asyncio.sleep({(len(_all_timers(program)) + 1) * MAX_UNITS + 1} * U)  # past every deadline",
        '    print("end")',
        "",
        "",
        'if __name__ == "__main__":',
        "    asyncio.run(main())",
        "",
    ]
    return "\n".join(lines)


def _all_timers(program: TimerProgram) -> list[Timer]:
    timers = list(program.roots) + [k for kids in program.children.values() for k in kids]
    return sorted(timers, key=lambda t: t.index)


@settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(timer_programs())
def test_timers_fire_in_asyncio_order(program: TimerProgram) -> None:
    source = render(program)
    expected = run_in_process(source, asyncio, virtual_time=True)
    assert expected.endswith("end\n"), f"the generated program itself failed:\n{expected}\n{source}"
    actual = run_in_process(source, loop_impl, virtual_time=True)
    assert actual == expected, f"firing order differs:\n{unified_diff(expected, actual)}\n--- program ---\n{source}"
