"""loop_magic.run_cell: the programmatic API, without IPython."""

from __future__ import annotations

import asyncio
import json
import sys
import time

import pytest

import loop_impl
import loop_impl.generator_loop as generator_loop
import loop_magic
from loop_impl.trace import Ev

MODES = ("tinyloop", "generator", "asyncio")

GATHER = """
async def worker(n):
    print("worker", n)
    await asyncio.sleep(0.01 * n)
    return n * 10

results = await asyncio.gather(*(worker(i) for i in range(3)))
print("results", results)
sum(results)
"""


@pytest.mark.parametrize("mode", MODES)
def test_value_output_and_names(mode):
    ns = {}
    result = loop_magic.run_cell(GATHER, mode, namespace=ns, echo=False)
    assert result.error is None
    assert result.value == 30
    assert result.stdout == "worker 0\nworker 1\nworker 2\nresults [0, 10, 20]\n"
    assert ns["results"] == [0, 10, 20] and callable(ns["worker"])
    assert "asyncio" not in ns  # bound only while the cell ran
    assert loop_magic.last_run() is result


def test_output_matches_real_asyncio_in_a_fresh_process(tmp_path):
    # The expectation is what real asyncio prints for the same program.
    import subprocess

    body = GATHER.strip().splitlines()[:-1]  # the cell, minus its last expression
    script = tmp_path / "prog.py"
    script.write_text(
        "import asyncio\nasync def main():\n" + "".join(f"    {line}\n" for line in body) + "asyncio.run(main())\n"
    )
    expected = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=30).stdout
    for mode in MODES:
        assert loop_magic.run_cell(GATHER, mode, echo=False).stdout == expected


@pytest.mark.parametrize("mode", MODES)
def test_user_asyncio_binding_is_restored(mode):
    ns = {"asyncio": "mine"}
    loop_magic.run_cell("import asyncio\nx = 1", mode, namespace=ns, echo=False)
    assert ns["asyncio"] == "mine" and ns["x"] == 1


@pytest.mark.parametrize(
    "mode, expected",
    [("tinyloop", loop_impl.sleep), ("generator", generator_loop.sleep), ("asyncio", asyncio.sleep)],
)
def test_import_asyncio_in_the_cell_gives_the_backend(mode, expected):
    source = (
        "import asyncio as a\nfrom asyncio import sleep\nimport sys\n"
        "via_name = asyncio.sleep\nvia_import = a.sleep\nvia_from = sleep\n"
        "in_sys_modules = sys.modules['asyncio']\n"
    )
    ns = {}
    result = loop_magic.run_cell(source, mode, namespace=ns, echo=False)
    assert result.error is None
    assert ns["via_name"] is ns["via_import"] is ns["via_from"] is expected
    assert ns["in_sys_modules"] is asyncio  # the kernel's asyncio is never swapped


def test_import_in_other_modules_during_a_run_gets_real_asyncio(tmp_path, monkeypatch):
    (tmp_path / "helper_mod.py").write_text("def which():\n    import asyncio\n    return asyncio\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    ns = {}
    result = loop_magic.run_cell("import helper_mod\nseen = helper_mod.which()", "tinyloop", namespace=ns)
    assert result.error is None
    assert ns["seen"] is asyncio


@pytest.mark.parametrize("mode", MODES)
def test_cell_calling_asyncio_run_itself_is_traced(mode):
    source = "async def main():\n    await asyncio.sleep(0)\n    return 7\nvalue = asyncio.run(main())\nvalue"
    result = loop_magic.run_cell(source, mode, echo=False)
    assert result.error is None and result.value == 7
    assert result.summary.tasks >= 1 and result.summary.steps >= 2


@pytest.mark.parametrize("mode", ["tinyloop", "asyncio"])
def test_every_loop_the_cell_makes_is_traced_and_closed(mode):
    source = (
        "async def main(n):\n    await asyncio.sleep(0)\n    return n\n"
        "loop = asyncio.new_event_loop()\na = loop.run_until_complete(main(1))\n"
        "b = asyncio.run(main(2))\n"
        "old = asyncio.get_event_loop()\nc = old.run_until_complete(main(3))\n"
    )
    ns = {}
    result = loop_magic.run_cell(source, mode, namespace=ns, echo=False)
    assert result.error is None
    assert (ns["a"], ns["b"], ns["c"]) == (1, 2, 3)
    assert result.summary.tasks == 3  # one main task per loop, each loop reporting to the run
    assert ns["loop"].is_closed() and ns["old"].is_closed()


def test_task_names_start_at_task_1_in_every_run():
    source = "print(asyncio.current_task().get_name())\nt = asyncio.create_task(asyncio.sleep(0))\nprint(t.get_name())\nawait t"
    for mode in ("tinyloop", "asyncio"):
        for _ in range(2):
            assert loop_magic.run_cell(source, mode, echo=False).stdout == "Task-1\nTask-2\n"


@pytest.mark.parametrize("mode", MODES)
def test_printed_lines_are_recorded_per_step(mode):
    source = (
        "async def w(name):\n    print('hello from', name)\nawait asyncio.gather(w('a'), w('b'))\nprint('main done')"
    )
    result = loop_magic.run_cell(source, mode, echo=False)
    trace = result.trace
    lines = [(trace.task_names.get(e.task, "loop"), trace.string(e.a)) for e in trace if e.kind == Ev.OUTPUT]
    assert lines == [
        ("Task-2", "hello from a\n"),
        ("Task-3", "hello from b\n"),
        ("Task-1", "main done\n"),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_a_partial_line_is_recorded_in_the_step_that_printed_it(mode):
    """A line printed with end="" before a sleep(0) belongs to that step, not to whichever prints next."""
    source = (
        "async def a():\n    print('a-part', end='')\n    await asyncio.sleep(0)\n    print(' a-rest')\n"
        "async def b():\n    print('b-line')\n"
        "await asyncio.gather(a(), b())"
    )
    result = loop_magic.run_cell(source, mode, echo=False)
    assert result.stdout == "a-partb-line\n a-rest\n"
    trace, running, steps = result.trace, 0, {}
    lines = []
    for e in trace:
        if e.kind == Ev.STEP_START:
            running, steps[e.task] = e.task, steps.get(e.task, 0) + 1
        elif e.kind == Ev.STEP_END:
            running = 0
        elif e.kind == Ev.OUTPUT:  # stored while the step that printed it runs
            assert e.task == running, (trace.string(e.a), running)
            lines.append((trace.task_names[e.task], steps[e.task], trace.string(e.a)))
    assert lines[:2] == [("Task-2", 1, "a-part"), ("Task-3", 1, "b-line\n")]


def test_echo_lets_output_through(capsys):
    loop_magic.run_cell("print('seen')", "tinyloop")
    assert capsys.readouterr().out == "seen\n"
    loop_magic.run_cell("print('quiet')", "tinyloop", echo=False)
    assert capsys.readouterr().out == ""


def test_progress_is_throttled_and_called_at_the_end():
    calls = []
    source = "for i in range(60):\n    await asyncio.sleep(0.01)"
    result = loop_magic.run_cell(source, "tinyloop", on_progress=lambda trace: calls.append(time.perf_counter()))
    assert result.error is None
    assert 3 <= len(calls) <= 10  # ~0.6 s: every 100 ms at most, plus the final call
    gaps = [b - a for a, b in zip(calls, calls[1:-1])]
    assert all(gap >= 0.095 for gap in gaps)


def test_progress_shows_a_slow_run_with_few_events():
    # One iteration every 150 ms, a handful of events each: still one update per iteration.
    calls = []
    source = "for i in range(8):\n    await asyncio.sleep(0.15)"
    loop_magic.run_cell(source, "tinyloop", on_progress=lambda trace: calls.append(len(trace)))
    assert len(calls) >= 8 and calls == sorted(calls)


# (Not the generator loop: it polls without sleeping, so its CPU is its wall time anyway.)
@pytest.mark.parametrize("mode", ["tinyloop", "asyncio"])
def test_the_live_views_time_is_not_counted_as_the_programs(mode):
    # The views draw in the run's own thread, between its events: a cell that
    # mostly sleeps, watched by a view that burns 30 ms of CPU per update.
    burn, updates = 0.03, []

    def view(trace) -> None:
        started = time.thread_time()
        while time.thread_time() - started < burn:
            pass
        updates.append(burn)

    source = "for i in range(12):\n    await asyncio.sleep(0.05)"
    result = loop_magic.run_cell(source, mode, echo=False, on_progress=view)
    drawn_in_run = len(updates) - 1  # (the last update comes after the run, as run_cell returns)
    assert drawn_in_run >= 3
    assert result.summary.view_time >= drawn_in_run * burn
    assert result.summary.cpu_time < drawn_in_run * burn  # the program's own CPU: a dozen sleeps
    assert f"live view {result.summary.view_time * 1000:.1f} ms" in result.summary_line() or (
        f"live view {result.summary.view_time:.3f} s" in result.summary_line()
    )


@pytest.mark.parametrize("mode", ["tinyloop", "generator", "asyncio"])
def test_progress_is_called_from_the_loop_thread(mode):
    import threading

    threads = set()
    source = "for i in range(40):\n    await asyncio.sleep(0.01)"
    loop_magic.run_cell(source, mode, on_progress=lambda trace: threads.add(threading.current_thread().name))
    assert "tinyloop-run" in threads  # the worker that runs every mode's loop


@pytest.mark.parametrize("mode", MODES)
def test_virtual_time_makes_long_sleeps_free_and_runs_identical(mode):
    source = "async def w(d):\n    await asyncio.sleep(d)\n    return d\nawait asyncio.gather(w(3600), w(1800))"
    started = time.monotonic()
    first = loop_magic.run_cell(source, mode, virtual_time=True, echo=False)
    second = loop_magic.run_cell(source, mode, virtual_time=True, echo=False)
    assert time.monotonic() - started < 2
    assert first.error is None
    assert list(first.trace) == list(second.trace)
    assert first.trace.strings == second.trace.strings


def test_summary_counts():
    result = loop_magic.run_cell(GATHER, "tinyloop", echo=False)
    summary = result.summary
    assert summary.tasks == 4 and summary.steps == 8 and summary.iterations > 0
    assert summary.idle_polls == 0 and summary.blocking_steps == 0
    assert summary.wall_time > 0.02 and 0 < summary.cpu_time < summary.wall_time
    generator = loop_magic.run_cell(GATHER, "generator", echo=False)
    assert generator.summary.idle_polls > 0  # busy polling, counted
    line = generator.summary_line()
    assert line.startswith("generator: ") and "idle polls" in line and "CPU" in line


def test_timeline_and_chrome_trace(tmp_path):
    result = loop_magic.run_cell(GATHER, "tinyloop", echo=False)
    timeline = result.timeline()
    assert "Task-2" in str(timeline)
    path = result.to_chrome_trace(str(tmp_path / "run.json"))
    data = json.loads(open(path).read())
    names = {e["args"]["name"] for e in data["traceEvents"] if e.get("ph") == "M" and e.get("name") == "thread_name"}
    assert {"Task-1", "Task-2", "Task-3", "Task-4"} <= {n.split(" ")[0] for n in names}


@pytest.mark.parametrize("mode", MODES)
def test_error_traceback_shows_the_cells_lines_only(mode):
    source = "async def inner():\n    await asyncio.sleep(0)\n    raise ValueError('boom')\nawait inner()"
    result = loop_magic.run_cell(source, mode, echo=False)
    assert isinstance(result.error, ValueError)
    text = result.error_text()
    assert "raise ValueError('boom')" in text and "await inner()" in text
    assert "loop_impl" not in text and "asyncio/" not in text and "loop_magic" not in text


def test_syntax_error_is_the_result_error():
    result = loop_magic.run_cell("x = (\n", "tinyloop")
    assert isinstance(result.error, SyntaxError) and result.error.lineno == 1
    assert len(result.trace) == 0


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown mode 'bogus'"):
        loop_magic.run_cell("pass", "bogus")
    with pytest.raises(ValueError, match="timeout must be a positive"):
        loop_magic.run_cell("pass", "tinyloop", timeout=0)


@pytest.mark.parametrize("mode", MODES)
def test_runs_inside_a_running_asyncio_loop(mode):
    # A Jupyter kernel's thread already runs an asyncio loop; the cell must not touch it.
    async def kernel():
        loop = asyncio.get_running_loop()
        result = loop_magic.run_cell(GATHER, mode, echo=False)
        assert asyncio.get_running_loop() is loop
        return result

    result = asyncio.run(kernel())
    assert result.error is None and result.value == 30


def test_what_progress_callbacks_print_is_not_the_programs_output(capsys):
    source = "print('program')\nfor i in range(5):\n    await asyncio.sleep(0.1)"
    result = loop_magic.run_cell(source, "tinyloop", on_progress=lambda trace: print("view update"))
    assert result.stdout == "program\n"
    assert "view update" in capsys.readouterr().out  # (shown all the same)
    assert [e for e in result.trace if e.kind == Ev.OUTPUT and "view" in result.trace.string(e.a)] == []


@pytest.mark.parametrize("mode", MODES)
def test_the_live_summary_counts_what_the_trace_holds(mode, monkeypatch):
    """The running summary line, fed the trace in pieces as a run grows (idle polls counting on
    in place included), ends with the counts a plain walk over the finished trace gives."""
    import loop_magic.live as live

    shown = []
    monkeypatch.setattr(live, "display", lambda line, display_id: shown.append(line.text) or _Handle(shown))
    source = "async def w(n):\n    for _ in range(n):\n        await asyncio.sleep(0.001)\nawait asyncio.gather(w(3), w(5))"
    trace = loop_magic.run_cell(source, mode, echo=False).trace
    summary = live.LiveSummary(mode)
    summary._started -= live.SHOW_RUNNING_AFTER
    whole = trace
    for end in (len(whole) // 3, len(whole) // 2, len(whole)):
        part = whole.tail(len(whole))  # the same events; then cut to `end`, as the run had them
        for column in ("_kind", "_t", "_task", "_a", "_b"):
            setattr(part, column, getattr(part, column)[:end])
        summary.on_progress(part)
    events = list(whole)
    expected = (
        f"{mode}: running… {sum(e.kind == Ev.TASK_CREATED for e in events)} tasks, "
        f"{sum(e.kind == Ev.STEP_START for e in events)} steps, {sum(e.kind == Ev.ITERATION for e in events)} loop "
        f"iterations, {sum(e.a for e in events if e.kind == Ev.IDLE_POLL)} idle polls"
    )
    assert shown[-1] == expected


class _Handle:
    def __init__(self, shown: list) -> None:
        self.shown = shown

    def update(self, line) -> None:
        self.shown.append(line.text)
