"""The %%tinyloop magic, through a real IPython InteractiveShell."""

from __future__ import annotations

import json
import re

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

import loop_magic


@pytest.fixture(scope="module")
def ip():
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "loop_magic")
    return shell


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def plain(text: str) -> str:
    return _ANSI.sub("", text)


def run(ip, cell):
    """Run a cell; return (ExecutionResult)."""
    return ip.run_cell(cell, store_history=True)


def test_help_lists_every_option_and_an_example(ip, capsys):
    run(ip, "%%tinyloop?")
    text = capsys.readouterr().out
    for option in (
        "--mode",
        "tinyloop,generator,asyncio",
        "--compare",
        "--virtual-time",
        "--no-timeline",
        "--timeout",
        "--export",
    ):
        assert option in text
    assert "Example::" in text and "await asyncio.gather(" in text


@pytest.mark.parametrize(
    "line, message",
    [
        ("--mode bogus", "invalid choice: 'bogus'"),
        ("--compare bogus", "invalid choice: 'bogus'"),
        ("--timeout abc", "invalid float value: 'abc'"),
        ("--timeout -1", "--timeout must be a positive number"),
        ("--frobnicate", "unrecognized arguments: --frobnicate"),
    ],
)
def test_bad_options_raise_usage_error(ip, capsys, line, message):
    result = run(ip, f"%%tinyloop {line}\nprint('never runs')")
    assert isinstance(result.error_in_exec, UsageError)
    assert message in str(result.error_in_exec)
    out = capsys.readouterr().out
    assert "never runs" not in out
    assert "Traceback" not in out  # one clean line


def test_cell_output_value_and_names(ip, capsys):
    ip.user_ns["asyncio"] = "the user's own"
    result = run(
        ip,
        "%%tinyloop --no-timeline\nasync def double(x):\n    await asyncio.sleep(0)\n    return 2 * x\nprint('computing')\nanswer = await double(21)\nanswer",
    )
    assert result.error_in_exec is None
    assert result.result == 42  # displayed as Out[n], as a normal cell's last expression
    assert ip.user_ns["answer"] == 42 and callable(ip.user_ns["double"])
    assert ip.user_ns["asyncio"] == "the user's own"
    out = capsys.readouterr().out
    assert "computing" in out and "Out[" in out and "42" in out
    assert "tinyloop: 1 task, 2 steps" in out  # the summary line
    del ip.user_ns["asyncio"]


def test_a_trailing_semicolon_hides_the_value(ip):
    assert run(ip, "%%tinyloop --no-timeline\nawait asyncio.sleep(0)\n41 + 1;").result is None
    assert run(ip, "%%tinyloop --no-timeline\nawait asyncio.sleep(0)\n41 + 1").result == 42
    assert loop_magic.last_run().value == 42


def test_names_from_one_cell_are_usable_in_the_next(ip):
    run(ip, "%%tinyloop --no-timeline\nasync def greet(name):\n    await asyncio.sleep(0)\n    return 'hi ' + name")
    result = run(ip, "%%tinyloop --no-timeline\nawait greet('you')")
    assert result.result == "hi you"


@pytest.mark.parametrize("mode", ["tinyloop", "generator", "asyncio"])
def test_seed_program_pasted_unchanged(ip, capsys, mode):
    # Seed 002's closing program, pasted as is: `import asyncio`, `if __name__ == '__main__'`.
    cell = (
        f"%%tinyloop --mode {mode} --virtual-time --no-timeline\n"
        "import asyncio\n\n"
        "async def task1():\n    for _ in range(2):\n        print('Task 1')\n        await asyncio.sleep(1)\n\n"
        "async def task2():\n    for _ in range(3):\n        print('Task 2')\n        await asyncio.sleep(0)\n\n"
        "async def main():\n    one = asyncio.create_task(task1())\n    two = asyncio.create_task(task2())\n\n"
        "    await one\n    await two\n\n    print('done')\n\n\n"
        "if __name__ == '__main__':\n    asyncio.run(main())\n"
    )
    result = run(ip, cell)
    assert result.error_in_exec is None
    assert loop_magic.last_run().stdout == "Task 1\nTask 2\nTask 2\nTask 2\nTask 1\ndone\n"
    assert loop_magic.last_run().mode == mode
    capsys.readouterr()


def test_timeline_is_shown_unless_no_timeline(ip, capsys):
    cell = "async def w():\n    await asyncio.sleep(0.01)\nawait asyncio.gather(w(), w())"
    run(ip, "%%tinyloop\n" + cell)
    with_timeline = capsys.readouterr().out
    run(ip, "%%tinyloop --no-timeline\n" + cell)
    without = capsys.readouterr().out
    assert "legend:" in with_timeline and "Task-2" in with_timeline
    assert "legend:" not in without and "tinyloop: 3 tasks" in without


def test_export_writes_chrome_trace(ip, tmp_path, capsys):
    path = tmp_path / "trace.json"
    run(ip, f"%%tinyloop --no-timeline --export {path}\nawait asyncio.sleep(0)")
    data = json.loads(path.read_text())
    assert data["traceEvents"] and f"trace written to {path}" in capsys.readouterr().out


def test_error_shows_the_cells_lines_not_loop_internals(ip, capsys):
    cell = "%%tinyloop --no-timeline\nasync def fails():\n    await asyncio.sleep(0)\n    raise KeyError('missing')\nawait fails()"
    result = run(ip, cell)
    assert isinstance(result.error_in_exec, KeyError)
    out = plain(capsys.readouterr().out)
    assert "Cell In[" in out and "raise KeyError('missing')" in out and "await fails()" in out
    assert "line 4" in out  # the line number in the cell as the learner sees it (magic line is line 1)
    for internal in ("loop_impl", "base_events", "loop_magic", "run_cell_magic"):
        assert internal not in out
    assert loop_magic.last_run().summary.steps == 2  # the trace up to the failure is kept


def test_syntax_error_is_shown_like_ipython_shows_one(ip, capsys):
    run(ip, "x = 1 + )\n")
    ipythons = plain(capsys.readouterr().out)
    result = run(ip, "%%tinyloop\nx = 1 + )\n")
    ours = plain(capsys.readouterr().out)
    assert result.error_in_exec is not None
    # Same shape as IPython's own: location, the line, the caret, the message; no stack.
    assert ipythons.strip().splitlines()[-3:] == ours.strip().splitlines()[-3:]
    assert f"Cell In[{result.execution_count}], line 2" in ours  # this cell's number, the line as shown
    assert "Traceback" not in ours and "tinyloop:" not in ours


def test_compare_shows_a_verdict(ip, capsys):
    cell = "%%tinyloop --compare --virtual-time --no-timeline\nasync def w(d):\n    await asyncio.sleep(d)\n    print(d)\nawait asyncio.gather(w(2), w(1))"
    result = run(ip, cell)
    assert result.error_in_exec is None
    out = capsys.readouterr().out
    assert "Same results on tinyloop and asyncio" in out
    assert "── tinyloop ──" in out and "── asyncio ──" in out


def test_deadlock_is_the_cells_error(ip, capsys):
    cell = "%%tinyloop --no-timeline\nfut = asyncio.get_running_loop().create_future()\nawait fut"
    result = run(ip, cell)
    assert type(result.error_in_exec).__name__ == "DeadlockError"
    out = plain(capsys.readouterr().out)
    assert "deadlock: 1 task waiting" in out and "await fut" in out
