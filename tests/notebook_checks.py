"""What the course notebooks' cells must show: the checks tests/test_notebooks.py runs.

A cell tagged "tinyloop-check" names its checks in `metadata.tinyloop.checks` (tools/course/cells.py
puts them there). `run_check(cell, name)` runs one: ORDERED lists the texts a cell must show in
order, CHECKS the checks that need more than that ("name:argument" passes an argument).
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

import nbformat
from test_layout import SEED_STEPS, SEED_SUMMARY, seed_names
from test_seeds import HEADERS

import loop_impl
import loop_impl.generator_loop as generator_loop

__all__ = ("Cell", "cells_of", "run_check", "CHECKS", "ORDERED", "MODES")

MODES = ("tinyloop", "generator", "asyncio")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
MARK = re.compile(r"^── (\S+)( .+)? ──$")  # "── asyncio ──" heads a run's output in a --compare cell


# -- a cell's outputs, read back ------------------------------------------------------------------


@dataclass
class Cell:
    index: int
    source: str
    checks: list[str]
    seed: str | None
    stdout: str
    texts: list[str]  # text/plain of displays and results, in order
    error: dict | None  # ename, evalue, traceback

    @property
    def display(self) -> str:
        return "\n".join(self.texts)

    def runs(self) -> dict[str, list[str]]:
        """Printed lines per run: {"": lines} for one run, {"tinyloop": ..., "asyncio": ...} for --compare."""
        sections: dict[str, list[str]] = {"": []}
        current: str | None = ""
        for line in self.stdout.splitlines():
            mark = MARK.match(line)
            if mark:  # a run's head; other heads ("── asyncio raised ──") end the section
                current = mark.group(1) if mark.group(1) in MODES and not mark.group(2) else None
                if current:
                    sections[current] = []
            elif current is not None:
                sections[current].append(line)
        if len(sections) > 1 and not sections[""]:
            del sections[""]
        return sections

    def truth(self) -> list[str]:
        """The real asyncio's lines in a --compare cell (else the cell's only run)."""
        runs = self.runs()
        return runs.get("asyncio") or next(iter(runs.values()))

    def summaries(self) -> dict[str, dict]:
        """The run summary lines, by mode: tasks, iterations, wall, cpu, idle, blocking."""
        found = {}
        pattern = re.compile(
            r"^\s*(\w+): (\d+) tasks?, (\d+) steps?(?:, (\d+) loop iterations?)?, wall ([\d.]+) (ms|s), "
            r"CPU ([\d.]+) (ms|s), (?:live view [\d.]+ m?s, )?(\d+) idle polls?, (\d+) blocking steps?"
        )
        for line in self.display.splitlines():
            m = pattern.match(line)
            if m:
                wall = float(m.group(5)) / (1000 if m.group(6) == "ms" else 1)
                cpu = float(m.group(7)) / (1000 if m.group(8) == "ms" else 1)
                found[m.group(1)] = dict(
                    tasks=int(m.group(2)), iterations=int(m.group(4) or 0), wall=wall, cpu=cpu,
                    idle=int(m.group(9)), blocking=int(m.group(10)),
                )  # fmt: skip
        return found


def cells_of(nb: nbformat.NotebookNode) -> list[Cell]:
    cells = []
    for index, raw in enumerate(nb.cells):
        if raw.cell_type != "code":
            continue
        info = raw.metadata.get("tinyloop", {})
        stdout, texts, error = [], [], None
        for out in raw.get("outputs", []):
            if out.output_type == "stream" and out.name == "stdout":
                stdout.append(out.text)
            elif out.output_type == "display_data" and out.get("metadata", {}).get("tinyloop", {}).get("printed"):
                stdout.append(out.data.get("text/plain", ""))  # printed while the live timeline was up
            elif out.output_type in ("display_data", "execute_result"):
                texts.append(out.data.get("text/plain", ""))
            elif out.output_type == "error":
                error = dict(ename=out.ename, evalue=out.evalue, traceback=ANSI.sub("", "\n".join(out.traceback)))
        cells.append(Cell(index, raw.source, info.get("checks", []), info.get("seed"), "".join(stdout), texts, error))
    return cells


def in_order(text: str, parts: list[str]) -> None:
    """Each part occurs in text, after the previous one."""
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} not found (in order) in:\n{text}"
        at = found + len(part)


# -- the checks -------------------------------------------------------------------------------------
# ORDERED: (where, parts that must appear in this order). where: "stdout" (everything printed),
# "truth" (the real asyncio's run of a --compare cell), "display" (summaries, verdicts, panels).

ORDERED = {
    "noisy-generator": ("stdout", ["and nothing ran yet", "body: started", "next -> 1", "resumed after", "next -> 2",
                                   "about to finish", "StopIteration: the body has finished"]),
    "send-first": ("stdout", ["send(1) first: can't send non-None value to a just-started generator",
                              "coroutine started", "received value: 1"]),
    "yield-from-return": ("stdout", ["sub coroutine received value: 1", "received value: 1",
                                     "sub coroutine received value: 2", "received value: 2"]),
    "walrus-syntax-error": ("stdout", ["SyntaxError: invalid syntax (line 2)", "with (yield): compiles"]),
    "stopiteration-value": ("stdout", ["the generator returned 'done'"]),
    "plain-tasks": ("truth", ["main: created the task; it has not started yet", "coroutine: started", "task: started",
                              "coroutine: finished", "the coroutine returned", "the task returned 'task result'"]),
    "state-triple": ("display", ["ready queue : Task-", ".step", ": waiting on Task Task-",
                                 ": ready -> done: returned 15"]),
    "real-run-forever": ("stdout", ["main_task.result() = 17", "only because the watchdog stopped it",
                                    "asleep in select(), using no CPU"]),
    "waiter": ("truth", ["waiter: waiting for the future", "is the waiter done? False",
                         "the waiter is paused at: value = await fut", "cb=[Task.task_wakeup()]", "waiter: got 42"]),
    "select-timeout": ("stdout", ["waits in select() for up to 0.3 s, until the next timer is due"]),
    "future-vs-task": ("truth", ["a Task is a Future: True", "future: set by a timer callback",
                                 "task: returned by its coroutine", "Task does not support set_result operation"]),
    "alarm": ("truth", ["wake up!"]),
    "bad-yield": ("truth", ["RuntimeError: Task got bad yield"]),
    "callbacks": ("truth", ["at 0.0 s: call_soon", "at 0.1 s: call_later(0.1)", "at 0.2 s: call_at(start + 0.2)",
                            "at 0.3 s: call_later(0.3)"]),
    "state-timer-heap": ("display", ["ready queue : say('call_soon')", "timer heap  : 100 ms: say('call_later(0.1)')",
                                     "200 ms: say('call_at(start + 0.2)')", "300 ms: say('call_later(0.3)')",
                                     "500 ms: _set_result_unless_cancelled"]),
    "state-four-timers": ("display", ["timer heap  : 2 s:", "sleep 2>", "<- fires now", "4 s:", "sleep 4>", "9 s:",
                                      "sleep 9>", "11 s:", "sleep 11>", "waiting on sleep 4"]),
    "timers-fire": ("stdout", ["clock at  2.0 s:", "sleep 2>", "clock at  4.0 s:", "sleep 4>", "clock at  9.0 s:",
                               "sleep 9>", "clock at 11.0 s:", "sleep 11>"]),
    "heartbeat": ("truth", ["heartbeat 1 at 0.25 s", "work: step 0 done at 0.35 s", "heartbeat 2 at 0.50 s",
                            "work: step 2 done at 1.05 s", "heartbeat: stopped"]),
    "cpu-and-wait": ("truth", ["cruncher: chunk 0 done", "ticker: tick 0", "sleeper: sleeping 10 s",
                               "cruncher: chunk 1 done", "ticker: tick 1", "ticker: tick 2", "sleeper: awake"]),
    "state-cpu-and-wait": ("display", ["ready queue : Task-", ".step", "timer heap  : 10 s:",
                                       ": waiting on sleep 10"]),
    "virtual-hour": ("stdout", ["slept 3600 s of loop time"]),
    "blocking-echo": ("stdout", ["client got back b'hello'", "client got back b'world'"]),
    "selector-demo": ("stdout", ["BlockingIOError", "select(timeout=0.1) -> []", "'a is readable'; recv -> b'ping'"]),
    "echo-round-trips": ("truth", ["server: echoing b'ping' to client-1", "client-1: sent b'ping', got back b'ping'",
                                   "client-2: sent b'hello', got back b'hello'", "client-1: sent b'pong', got back b'pong'",
                                   "client-2: sent b'world', got back b'world'", "server: client-2 hung up"]),
    "select-story": ("stdout", ["select() blocks until an fd is ready -> ready:"]),
    "state-selector": ("display", ["selector    : fd", "waiting on accept fd", "waiting on connect fd"]),
    "wait-readable": ("truth", ["reader: waiting until the socket is readable", "writer: sending",
                                "reader: readable! recv -> b'hello'"]),
    "streams-round-trips": ("truth", ["alice: round trip b'hi\\n' -> b'HI\\n'", "bob: round trip b'yo\\n' -> b'YO\\n'",
                                      "alice: round trip b'bye\\n' -> b'BYE\\n'"]),
    "threads": ("truth", ["run_in_executor -> 49", "call_soon_threadsafe -> hello from a thread"]),
    "subprocess-cat": ("stdout", ["sent back b'hello through a pipe' and exited with 0"]),
    "subprocess-selector": ("stdout", ["(pidfd)", "(stdin)", "(stdout) -> ready:", "watching nothing"]),
    "gather-order": ("truth", ["fast: finished", "medium: finished", "slow: finished",
                               "gather returned ['SLOW', 'FAST', 'MEDIUM']"]),
    "gather-first-exception": ("truth", ["gather raised at 1 s: ValueError('broken at 1 s')", "done? [False, True, False]",
                                         "b: finished at 2 s", "a: finished at 3 s", "done? [True, True, True]",
                                         "['c', ValueError('broken at 6 s')]"]),
    "cancel-task": ("truth", ["worker: sleeping for an hour", "task.cancel() returns True",
                              "worker: CancelledError arrived at the await", "worker: finally runs",
                              "task.cancelled() is True"]),
    "cancel-gather": ("truth", ["quick: done", "group.cancel() returns True", "slow-1: cancelled", "slow-2: cancelled",
                                "awaiting the gather raises CancelledError"]),
    "timeouts": ("truth", ["slow_answer: cleaned up at 1 s", "wait_for: TimeoutError at 1 s", "with time to spare: on time",
                           "slow_answer: cleaned up at 4 s", "asyncio.timeout: TimeoutError at 4 s"]),
    "seam-who": ("stdout", ["real asyncio's running loop is loop_impl's: True", "real asyncio's current task: Task-1",
                            "one CancelledError for both: True"]),
    "library-request": ("truth", ["server: got GET /lesson", "client: 200 'hello from /lesson'"]),
    "library-tasks": ("stdout", ["Task-1 (<module>):", "try_connect", "connect fd", "(handle): read fd"]),
    "library-select": ("stdout", ["watching fds", "read", "-> ready:", "r"]),
    "state-library": ("display", ["selector    : fd", "read", "waiting on read fd"]),
    "flag-name": ("truth", ["_asyncio_future_blocking: False", "has _asyncio_is_future_blocking: False"]),
    "written-in-c": ("stdout", ["_run_once is in base_events.py", "Future is from module _asyncio",
                                "Task is from module _asyncio"]),
}  # fmt: skip


def check_ordered(cell: Cell, name: str) -> None:
    where, parts = ORDERED[name]
    text = {"stdout": cell.stdout, "truth": "\n".join(cell.truth()), "display": cell.display}[where]
    in_order(text, parts)


def seed_expectation(name: str) -> tuple[list[str], bool]:
    """(lines, whole): the whole output (expect:) or its first lines (expect-prefix:)."""
    header = HEADERS[name]
    if header["expect"] is not None:
        return header["expect"], True
    return header["expect-prefix"], False


def check_seed_output(cell: Cell, seed: str | None) -> None:
    expected, whole = seed_expectation(seed or cell.seed)
    for mode, lines in cell.runs().items():
        got = lines if whole else lines[: len(expected)]
        assert got == expected, f"run {mode or 'plain'} printed {lines}, the seed says {expected}"


def check_seed_output_start(cell: Cell, _: str | None) -> None:
    # A real-time program stopped on a clock: it prints the start of what the seed says.
    expected, _whole = seed_expectation(cell.seed)
    lines = cell.runs()[""]
    assert len(lines) >= 3 and lines == expected[: len(lines)], (lines, expected)


def check_compare_same(cell: Cell, _: str | None) -> None:
    assert re.search(r"^Same results on tinyloop and (asyncio|generator)", cell.display, re.M), cell.display


def check_compare_differs(cell: Cell, what: str | None) -> None:
    m = re.search(r"^tinyloop and (\w+) differ: (.+)\.$", cell.display, re.M)
    assert m, cell.display
    differing = m.group(2)
    if what == "output":
        assert "printed output" in differing and "line " in cell.display  # the first divergence is named
    else:
        assert differing == "order of task steps" and "step " in cell.display


def summary(cell: Cell, mode: str) -> dict:
    found = cell.summaries()
    assert mode in found, f"no {mode} summary in {cell.display}"
    return found[mode]


def check_generator_summary(cell: Cell, _: str | None) -> None:
    s = summary(cell, "generator")
    assert s["idle"] > 1000 and s["cpu"] > 0.2 * s["wall"], s  # busy polling: CPU burnt while only waiting


def check_tinyloop_summary(cell: Cell, _: str | None) -> None:
    s = summary(cell, "tinyloop")
    assert s["idle"] == 0 and s["cpu"] < 0.25 * s["wall"], s


def check_cpu_table(cell: Cell, _: str | None) -> None:
    percent = {m.group(1): float(m.group(2)) for m in re.finditer(r"(\w+): wall [\d.]+ s, CPU +([\d.]+)%", cell.stdout)}
    times = int(re.search(r"used (\d+) times more CPU", cell.stdout).group(1))
    assert percent["generator"] > 20 and percent["generator"] > 4 * percent["tinyloop"] and times >= 4, cell.stdout


def check_no_spin(cell: Cell, _: str | None) -> None:
    check_compare_same(cell, None)
    for mode in ("tinyloop", "asyncio"):
        s = summary(cell, mode)
        assert s["wall"] >= 0.29 and s["cpu"] < 0.25 * s["wall"], (mode, s)


def check_asyncio_io(cell: Cell, _: str | None) -> None:
    s = summary(cell, "asyncio")
    assert s["wall"] >= 0.19 and s["cpu"] < 0.25 * s["wall"] and s["iterations"] < 20, s
    assert cell.stdout.strip() == "got b'a late reply'"


def check_blocking_step(cell: Cell, _: str | None) -> None:
    s = summary(cell, "tinyloop")
    assert s["blocking"] == 1 and "blocking step: task" in cell.display, cell.display
    in_order(cell.stdout, ["polite: tick 0 at 0.0 s", "rude: tick 0", "rude: tick 1", "polite: tick 1"])
    # polite asked for 0.2 s and got the loop back only when rude's 0.4 s of time.sleep() were over
    assert re.search(r"^polite: tick 1 at 0\.[4-9] s$", cell.stdout, re.M), cell.stdout


def check_virtual_hour(cell: Cell, _: str | None) -> None:
    check_ordered(cell, "virtual-hour")
    assert summary(cell, "tinyloop")["wall"] < 1.0


def check_error(ename: str, *parts: str):
    def check(cell: Cell, _: str | None) -> None:
        assert cell.error is not None and cell.error["ename"] == ename, cell.error
        in_order(cell.error["evalue"] + "\n" + cell.error["traceback"], list(parts))

    return check


def check_triple(cell: Cell, _: str | None) -> None:
    assert cell.error is None and "nothing could ever wake the loop" in cell.display, cell.display


SEED_TASKS: list[tuple[str, str]] = []  # the seed's two tasks' names, as the narration cell printed them


def check_narration(cell: Cell, _: str | None) -> None:
    assert "main_task.result() = 17" in cell.stdout
    tasks = re.search(r"^the seed's main_task is (Task-\d+), its triple_task (Task-\d+)$", cell.stdout, re.M)
    assert tasks, cell.stdout
    SEED_TASKS[:] = [tasks.groups()]
    places = re.findall(r"^\d+\. Control (?:begins in|is now in) (.+)$", cell.stdout, re.M)
    assert places == [seed_names(step, tasks.groups()) for step in SEED_STEPS], places


def check_narration_summary(cell: Cell, _: str | None) -> None:
    assert SEED_TASKS, "the narration cell names the seed's tasks first"
    assert cell.stdout.rstrip("\n") == seed_names(SEED_SUMMARY, SEED_TASKS[0])


def check_waiter_off_queue(cell: Cell, _: str | None) -> None:
    assert cell.stdout.startswith("mode: asyncio")  # the real asyncio's run, traced
    rows = re.findall(r"^iteration \d+: ready queue \[(.*)\], waiter: (.*)$", cell.stdout, re.M)
    parked = [queue for queue, state in rows if state == "waiting on Future"]
    assert len(parked) >= 2 and not any("waiter" in queue for queue in parked), rows
    assert re.search(r"steps: main \d+, waiter 2$", cell.stdout, re.M), cell.stdout


def check_select_story(cell: Cell, _: str | None) -> None:
    check_ordered(cell, "select-story")
    assert re.search(r"watching fds \d+ read", cell.stdout), cell.stdout


def check_subprocess_selector(cell: Cell, _: str | None) -> None:
    """The pipes and the pidfd are watched together at some iteration, and the state panel lists them."""
    check_ordered(cell, "subprocess-selector")
    assert re.search(r"watching \d+ \(pidfd\), \d+ \(stdin\), \d+ \(stdout\)", cell.stdout), cell.stdout
    assert "selector    : fd" in cell.display, cell.display


def check_source(cell: Cell, _: str | None) -> None:
    """What the cell printed is the source (or docstring) of the running loop's objects it names."""
    names = {"loop_impl": loop_impl, "generator_loop": generator_loop}
    calls = re.findall(r"inspect\.(getsource|getdoc)\(([\w.]+)\)", cell.source)
    assert calls, cell.source
    for how, dotted in calls:
        head, *rest = dotted.split(".")
        obj = names[head]
        for part in rest:
            obj = getattr(obj, part)
        assert getattr(inspect, how)(obj).strip() in cell.stdout, dotted


CHECKS = {
    "seed-output": check_seed_output,
    "seed-output-start": check_seed_output_start,
    "compare-same": check_compare_same,
    "compare-differs": check_compare_differs,
    "generator-summary": check_generator_summary,
    "tinyloop-summary": check_tinyloop_summary,
    "cpu-table": check_cpu_table,
    "no-spin": check_no_spin,
    "asyncio-io-no-polling": check_asyncio_io,
    "blocking-step": check_blocking_step,
    "virtual-hour": check_virtual_hour,
    "timed-out": check_error("CellTimeout", "--timeout 0.3 s"),
    "deadlock": check_error("DeadlockError", "deadlock", "waits for Future"),
    "propagates": check_error("KeyError", "in outer", "in inner", "missing"),
    "triple-result": check_triple,
    "narration-seed004": check_narration,
    "narration-seed004-summary": check_narration_summary,
    "waiter-off-queue": check_waiter_off_queue,
    "select-story": check_select_story,
    "subprocess-selector": check_subprocess_selector,
    "source": check_source,
}


def run_check(cell: Cell, check: str) -> None:
    name, _, arg = check.partition(":")
    if name in CHECKS:
        CHECKS[name](cell, arg or None)
    elif check in ORDERED:
        check_ordered(cell, check)
    else:
        raise AssertionError(f"unknown check {check!r}")
