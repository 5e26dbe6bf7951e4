"""Property-based differential test: random asyncio programs print the same under loop_impl.

Hypothesis builds small random programs from the operations the issue lists
(sleep, sleep(0), create_task, gather with and without return_exceptions,
cancel, raise, Event set/wait, Queue put/get) plus a few that stress ordering
(call_soon, call_at with identical deadlines, wait_for, timeout, shield, wait,
a Lock, a task cancelling itself, tasks that swallow or clean up after a cancel). Each
program is rendered to ordinary asyncio source, run in-process under real
asyncio and under loop_impl, and the outputs are compared line for line.

Why the programs are deterministic under real asyncio:

* Both loops run on a virtual clock (see difftest.VirtualAsyncioLoop): the
  clock jumps to the next deadline, so timers never race the wall clock.
  Delays are multiples of 1/64 s, exact in binary floating point, so equal
  deadlines are exactly equal and asyncio's heap order decides between them.
  A second, smaller test runs on the real clocks and selectors, with programs
  that set no timer at all.
* Every coroutine function runs at most once and only awaits, gathers or
  cancels tasks it created itself: the tasks form a tree, so there is no
  cycle of tasks waiting on each other.
* A task blocked forever on an Event or a Queue (real asyncio would hang) is
  released by a watchdog task that sleeps past every other deadline, then
  sets every event and fills every queue. main does the same on its way out,
  then waits for every task, so asyncio.run never has to cancel leftovers
  (it would do so in set order, which is not deterministic).

The generated source of a failing example is in the assertion message: save
it to a file and run it with `python` and under loop_impl to reproduce.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from difftest import run_in_process, unified_diff
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import loop_impl

HAS_SYNC = hasattr(loop_impl, "Event") and hasattr(loop_impl, "Queue")
UNIT = "1 / 64"  # seconds per delay unit, as written into the program
MAX_FUNCS = 6


@dataclass
class Func:
    """One coroutine function `t<index>` (index 0 is main) and its operations."""

    index: int
    ops: list[tuple] = field(default_factory=list)
    raises: bool = False
    on_cancel: str = "raise"  # or "cleanup" (awaits, then re-raises), or "swallow" (returns normally)


@dataclass
class Shared:
    """How many events, queues and locks the program's tasks share."""

    n_events: int = 0
    n_queues: int = 0
    n_locks: int = 0
    timed: bool = True  # False: no timers, and nothing that could wait forever (for real clocks)


@dataclass
class Program:
    funcs: list[Func]
    shared: Shared

    def total_delay(self) -> int:
        """Units of delay all sleeps, timers and timeouts add up to: an upper bound on run time."""
        return sum(_delay_units(op) for f in self.funcs for op in f.ops)

    def n_gets(self) -> int:
        return sum(1 for f in self.funcs for op in f.ops if op[0] == "get")


# -- generating ----------------------------------------------------------------


@st.composite
def programs(draw: st.DrawFn, timed: bool = True) -> Program:
    n = draw(st.integers(0, MAX_FUNCS - 1))
    # Function j is created by exactly one earlier function: the tasks form a tree.
    parents = [draw(st.integers(0, j - 1)) for j in range(1, n + 1)]
    shared = Shared(timed=timed)
    if HAS_SYNC:
        shared = Shared(draw(st.integers(0, 2)), draw(st.integers(0, 2)), draw(st.integers(0, 1)), timed)
    funcs = []
    for i in range(n + 1):
        children = [j + 1 for j, p in enumerate(parents) if p == i]
        funcs.append(draw(_bodies(i, children, shared)))
    return Program(funcs, shared)


@st.composite
def _bodies(draw: st.DrawFn, index: int, children: list[int], shared: Shared) -> Func:
    func = Func(index)
    unspawned = list(children)
    spawned: list[int] = []
    for _ in range(draw(st.integers(1 if index == 0 else 0, 7))):
        # Repeated kinds are drawn more often: tasks acting on tasks is where ordering bugs live.
        kinds = ["sleep0", "sleep0", "sleep", "sleep", "call_soon", "call_at", "timeout"]
        if shared.n_events:
            kinds += ["set", "ewait"]
        if shared.n_queues:
            kinds += ["put", "get"]
        if shared.n_locks:
            kinds += ["locked"]
        if index != 0:  # main must not be cancelled: run() would then cancel the rest in set order
            kinds += ["cancel_self"]
        if unspawned:
            kinds += ["spawn"] * 6 + ["gather_fresh"] * 3
        if spawned:
            kinds += _ON_TASKS * 3
        if not shared.timed:
            kinds = [k for k in kinds if k not in _TIMED]
        func.ops.append(_draw_op(draw, draw(st.sampled_from(kinds)), unspawned, spawned, shared))
    for child in unspawned:  # every function runs (at most once)
        func.ops.append(("spawn", child))
        spawned.append(child)
    if spawned:  # and its creator may then wait for it, gather it or cancel it
        on_tasks = _ON_TASKS if shared.timed else [k for k in _ON_TASKS if k not in _TIMED]
        for _ in range(draw(st.integers(0, 2))):
            func.ops.append(_draw_op(draw, draw(st.sampled_from(on_tasks)), [], spawned, shared))
    if index != 0:
        func.raises = draw(st.booleans())
        func.on_cancel = draw(st.sampled_from(["raise", "cleanup", "swallow"]))
    return func


_ON_TASKS = ["await", "gather", "cancel", "wait_for", "shield", "wait", "timeout"]
# Left out on real clocks: timers (their order could race the wall clock) and
# waiting for an Event or a Queue (a stuck program would wait for the watchdog in real time).
_TIMED = {"sleep", "call_at", "timeout", "wait_for", "ewait", "get"}


def _draw_op(draw: st.DrawFn, kind: str, unspawned: list[int], spawned: list[int], shared: Shared) -> tuple:
    """One operation of `kind`; a spawn moves functions from `unspawned` to `spawned`."""
    small = st.integers(1, 4)
    if kind in ("sleep0", "call_soon", "cancel_self"):
        return (kind,)
    if kind == "sleep":
        return ("sleep", draw(small))
    if kind == "call_at":  # several callbacks at one identical deadline
        return ("call_at", draw(small), draw(st.integers(1, 5)))
    if kind in ("set", "ewait"):
        return (kind, draw(st.integers(0, shared.n_events - 1)))
    if kind in ("put", "get"):
        return (kind, draw(st.integers(0, shared.n_queues - 1)))
    if kind == "locked":  # only a sleep inside the lock: it is always released again
        return ("locked", draw(st.integers(0, shared.n_locks - 1)), draw(st.integers(0, 3 if shared.timed else 0)))
    if kind == "timeout":  # async with timeout(): around a sleep, or around awaiting a task
        target = draw(st.sampled_from(spawned)) if spawned and draw(st.booleans()) else None
        return ("timeout", draw(small), target, draw(st.integers(0, 4)))
    if kind == "shield":
        return ("shield", draw(st.sampled_from(spawned)))
    if kind == "wait":
        handles = draw(st.lists(st.sampled_from(spawned), min_size=1, max_size=3, unique=True))
        when = draw(st.sampled_from(["FIRST_COMPLETED", "FIRST_EXCEPTION", "ALL_COMPLETED"]))
        return ("wait", tuple(handles), when, draw(st.integers(0, 4 if shared.timed else 0)))
    if kind == "spawn":
        spawned.append(unspawned.pop(0))
        return ("spawn", spawned[-1])
    if kind == "gather_fresh":  # gather(t3(), t4()): gather makes the tasks
        k = draw(st.integers(1, len(unspawned)))
        fresh, unspawned[:] = unspawned[:k], unspawned[k:]
        return ("gather_fresh", tuple(fresh), draw(st.booleans()), draw(st.booleans()))
    if kind == "await":
        return ("await", draw(st.sampled_from(spawned)), draw(st.booleans()))
    if kind == "gather":
        handles = draw(st.lists(st.sampled_from(spawned), min_size=1, max_size=4))
        return ("gather", tuple(handles), draw(st.booleans()), draw(st.booleans()))
    if kind == "cancel":
        return ("cancel", draw(st.sampled_from(spawned)), draw(st.sampled_from([None, "stop"])))
    assert kind == "wait_for"
    return ("wait_for", draw(st.sampled_from(spawned)), draw(small))


def _delay_units(op: tuple) -> int:
    """How far (in units) this operation can push the clock: used for the watchdog's deadline."""
    kind = op[0]
    if kind in ("sleep", "call_at"):
        return op[1]
    if kind in ("wait_for", "locked"):
        return op[2]
    if kind == "timeout":
        return op[1] + op[3]
    if kind == "wait":
        return op[3]
    return 0


# -- rendering -------------------------------------------------------------------

_PRELUDE = f"""\
import asyncio

U = {UNIT}
T = {{}}  # the tasks created by "spawn", by function number


def show(x):
    if isinstance(x, BaseException):
        return f"{{type(x).__name__}}{{x.args}}"
    if isinstance(x, list):
        return "[" + ", ".join(show(i) for i in x) + "]"
    return repr(x)


def state(t):
    if not t.done():
        return "pending"
    if t.cancelled():
        return "cancelled"
    return "raised " + show(t.exception()) if t.exception() else "returned " + show(t.result())
"""


def render(program: Program) -> str:
    """The program as ordinary asyncio source code."""
    # Later than any deadline the program can set. On real clocks nothing can wait forever, and a
    # short watchdog could fire mid-program on a loaded machine: an hour, cancelled at the end.
    big = program.total_delay() + 1 if program.shared.timed else 3600 * 64
    lines = [_PRELUDE]
    lines += [
        "",
        "def release():",
        "    # Wake whatever waits forever: set every event, fill every queue.",
        "    for e in E:",
        "        e.set()",
        "    for q in Q:",
        f"        for _ in range({program.n_gets()}):",
        '            q.put_nowait("token")',
        "",
        "",
        "async def watchdog():",
        f"    await asyncio.sleep({big} * U)",
        '    print("watchdog releases")',
        "    release()",
    ]
    for func in program.funcs[1:]:
        lines += ["", "", f"async def t{func.index}():", f'    print("t{func.index} start")', "    try:"]
        lines += _render_ops(func, "        ")
        lines += ["    except asyncio.CancelledError as e:", f'        print("t{func.index} cancelled", e.args)']
        if func.on_cancel == "cleanup":
            lines += ["        await asyncio.sleep(0)", f'        print("t{func.index} cleaned up")']
        lines += ["        raise"] if func.on_cancel != "swallow" else [f'        print("t{func.index} swallows it")']
        if func.raises:
            lines += [f'    print("t{func.index} raises")', f'    raise ValueError("t{func.index}")']
        else:
            lines += [f'    print("t{func.index} returns")', f'    return "r{func.index}"']
    main = program.funcs[0]
    lines += [
        "",
        "",
        "async def main():",
        "    global E, Q, L",
        f"    E = [asyncio.Event() for _ in range({program.shared.n_events})]",
        f"    Q = [asyncio.Queue() for _ in range({program.shared.n_queues})]",
        f"    L = [asyncio.Lock() for _ in range({program.shared.n_locks})]",
        "    wd = asyncio.create_task(watchdog())",
        '    print("main start")',
        "    try:",
    ]
    lines += _render_ops(main, "        ")
    lines += [
        "    except (Exception, asyncio.CancelledError) as e:",
        '        print("main caught", show(e))',
        '    print("main releases")',
        "    release()",
        "    wd.cancel()",
        "    # Wait for every task, so that run() has nothing left to cancel.",
        "    while others := asyncio.all_tasks() - {asyncio.current_task()}:",
        "        await asyncio.wait(others)",
    ]
    if any(op[0] == "call_at" for f in program.funcs for op in f.ops):
        lines += [f"    await asyncio.sleep({big} * U)  # every call_at has fired by now"]
    lines += [
        "    for j in sorted(T):",
        '        print("final", j, state(T[j]))',
        "",
        "",
        'if __name__ == "__main__":',
        "    asyncio.run(main())",
        "",
    ]
    return "\n".join(lines)


def _render_ops(func: Func, pad: str) -> list[str]:
    name = f"t{func.index}" if func.index else "main"
    out: list[str] = []
    for n, op in enumerate(func.ops):
        tag = f"{name}.{n}"  # printed after each operation: the output shows the order of events
        kind = op[0]
        if kind == "sleep0":
            out += ["await asyncio.sleep(0)", f'print("{tag} after sleep(0)")']
        elif kind == "sleep":
            out += [f"await asyncio.sleep({op[1]} * U)", f'print("{tag} after sleep({op[1]})")']
        elif kind == "cancel_self":
            out += [f'print("{tag} cancels itself ->", asyncio.current_task().cancel())']
        elif kind == "call_soon":
            out += [f'asyncio.get_running_loop().call_soon(print, "{tag} call_soon callback")']
        elif kind == "call_at":
            out += [
                f"when = asyncio.get_running_loop().time() + {op[1]} * U",
                f"for i in range({op[2]}):",
                f'    asyncio.get_running_loop().call_at(when, print, "{tag} call_at({op[1]}) tie", i)',
            ]
        elif kind == "set":
            out += [f"E[{op[1]}].set()", f'print("{tag} set E{op[1]}")']
        elif kind == "ewait":
            out += [f"await E[{op[1]}].wait()", f'print("{tag} woke on E{op[1]}")']
        elif kind == "put":
            out += [f'Q[{op[1]}].put_nowait("{tag}")', f'print("{tag} put Q{op[1]}")']
        elif kind == "get":
            out += [f"v = await Q[{op[1]}].get()", f'print("{tag} got", v, "from Q{op[1]}")']
        elif kind == "spawn":
            out += [f"T[{op[1]}] = asyncio.create_task(t{op[1]}())", f'print("{tag} spawned t{op[1]}")']
        elif kind == "cancel":
            arg = "" if op[2] is None else repr(op[2])
            out += [f'print("{tag} cancel t{op[1]} ->", T[{op[1]}].cancel({arg}))']
        elif kind == "await":
            out += _guarded(f"await T[{op[1]}]", f"await t{op[1]}", tag, catch=op[2])
        elif kind == "wait_for":
            out += _guarded(f"await asyncio.wait_for(T[{op[1]}], {op[2]} * U)", f"wait_for t{op[1]}", tag, catch=True)
        elif kind == "locked":
            out += [
                f"async with L[{op[1]}]:",
                f'    print("{tag} holds L{op[1]}")',
                f"    await asyncio.sleep({op[2]} * U)",
                f'print("{tag} released L{op[1]}")',
            ]
        elif kind == "timeout":
            body = f"await asyncio.sleep({op[3]} * U)" if op[2] is None else f"r = await T[{op[2]}]"
            label = f"sleep({op[3]})" if op[2] is None else f"await t{op[2]}"
            out += [
                "try:",
                f"    async with asyncio.timeout({op[1]} * U):",
                f"        {body}",
                f'    print("{tag} {label} within timeout({op[1]})")',
                "except Exception as e:",
                f'    print("{tag} {label} within timeout({op[1]}) raised", show(e))',
            ]
        elif kind == "shield":
            out += _guarded(f"await asyncio.shield(T[{op[1]}])", f"shield t{op[1]}", tag, catch=True)
        elif kind == "wait":
            args = ", ".join(f"T[{j}]" for j in op[1])
            timeout = "None" if op[3] == 0 else f"{op[3]} * U"
            out += [
                f"done, pending = await asyncio.wait([{args}], timeout={timeout}, return_when=asyncio.{op[2]})",
                f'print("{tag} wait {op[2]}: done", sorted(j for j in T if T[j] in done), "pending", len(pending))',
            ]
        elif kind in ("gather", "gather_fresh"):
            handles, return_exceptions, catch = op[1], op[2], op[3]
            args = ", ".join(f"T[{j}]" if kind == "gather" else f"t{j}()" for j in handles)
            expr = f"await asyncio.gather({args}, return_exceptions={return_exceptions})"
            out += _guarded(expr, f"{kind} {list(handles)}", tag, catch=catch)
    if not out:
        out = ["pass"]
    return [pad + line for line in out]


def _guarded(expr: str, label: str, tag: str, *, catch: bool) -> list[str]:
    """`r = <expr>` then print r; with catch, an Exception is printed instead of propagating."""
    if not catch:
        return [f"r = {expr}", f'print("{tag} {label} ->", show(r))']
    return [
        "try:",
        f"    r = {expr}",
        f'    print("{tag} {label} ->", show(r))',
        "except Exception as e:",
        f'    print("{tag} {label} raised", show(e))',
    ]


# -- the tests -----------------------------------------------------------------------

_SETTINGS = {"derandomize": True, "deadline": None, "suppress_health_check": [HealthCheck.too_slow]}


def _same_output(source: str, *, virtual_time: bool) -> None:
    expected = run_in_process(source, asyncio, virtual_time=virtual_time)
    # A program that fails on its own (a rendering bug) would compare equal and prove nothing.
    assert "\n!! " not in "\n" + expected, f"the generated program itself failed:\n{expected}\n{source}"
    assert "main releases" in expected
    actual = run_in_process(source, loop_impl, virtual_time=virtual_time)
    assert actual == expected, f"outputs differ:\n{unified_diff(expected, actual)}\n--- program ---\n{source}"


@settings(max_examples=1000, **_SETTINGS)
@given(programs())
def test_random_program_same_output(program: Program) -> None:
    """Both loops on virtual clocks: timers, timeouts and exact ties included."""
    _same_output(render(program), virtual_time=True)


@settings(max_examples=100, **_SETTINGS)
@given(programs(timed=False))
def test_random_program_same_output_real_clock(program: Program) -> None:
    """Both loops on their real clocks and selectors; programs without timers, so nothing races the clock."""
    _same_output(render(program), virtual_time=False)


@settings(max_examples=40, **_SETTINGS)
@given(programs())
def test_generated_programs_are_deterministic(program: Program) -> None:
    """Real asyncio prints the same thing twice: the comparison above is meaningful."""
    source = render(program)
    first = run_in_process(source, asyncio, virtual_time=True)
    assert run_in_process(source, asyncio, virtual_time=True) == first
