"""tinyloop's reports name the cell's lines as IPython does: `Cell In[n], line k` (issue 10, item 9).

In a real kernel, code of a cell lives in a temporary file (ipykernel_NNN/NNN.py);
IPython's own tracebacks say `Cell In[16], line 5`, and so must every report of
tinyloop: deadlocks (in asyncio mode too, pointing at the cell, not at
asyncio/locks.py), exceptions never retrieved, --compare's tracebacks, and a
TaskGroup's ExceptionGroup, shown as cleanly as a plain exception.
"""

from __future__ import annotations

import re

import pytest
from test_kernel_never_lost import kernel, run  # noqa: F401  (the fixture, and the helper)

ANSI = re.compile(r"\x1b\[[0-9;]*m")
NOT_SHOWN = ("ipykernel_", "loop_magic/", "loop_impl/", "IPython/", "asyncio/")


def shown(kc, code: str) -> tuple[dict, str]:
    reply, text, _ = run(kc, code)
    return reply, ANSI.sub("", text + "\n".join(reply.get("traceback", [])))


def assert_only_cell_places(text: str) -> None:
    for internal in NOT_SHOWN:
        assert internal not in text, f"{internal!r} in:\n{text}"


@pytest.mark.parametrize("mode", ["tinyloop", "asyncio"])  # (the polling loop has no Event)
def test_a_deadlock_points_at_the_cells_line(kernel, mode):  # noqa: F811
    km, kc = kernel
    reply, text = shown(
        kc,
        f"%%tinyloop --no-timeline --mode {mode}\nasync def a():\n    await ev.wait()\nev = asyncio.Event()\nawait a()",
    )
    n = reply["execution_count"]
    assert reply["ename"] == "DeadlockError"
    assert f"a() at Cell In[{n}], line 3: await ev.wait()" in text, text
    assert_only_cell_places(text)


def test_an_exception_never_retrieved_names_the_cell(kernel):  # noqa: F811
    km, kc = kernel
    reply, text = shown(
        kc,
        "%%tinyloop --no-timeline\nasync def boom():\n    raise ValueError('lost')\n"
        "t = asyncio.create_task(boom())\nawait asyncio.sleep(0.01)\ndel t\nimport gc\n_ = gc.collect()",
    )
    n = reply["execution_count"]
    assert "Task exception was never retrieved" in text
    assert f"boom() done, defined at Cell In[{n}], line 2" in text, text
    assert f"Cell In[{n}], line 3, in boom" in text
    assert_only_cell_places(text)


def test_compare_tracebacks_name_the_cell(kernel):  # noqa: F811
    km, kc = kernel
    reply, text = shown(kc, "%%tinyloop --no-timeline --compare\nawait asyncio.sleep(0)\n1 / 0")
    n = reply["execution_count"]
    assert text.count(f"Cell In[{n}], line 3, in <module>") == 2, text
    assert_only_cell_places(text)


def test_a_taskgroup_failure_reads_as_cleanly_as_a_plain_exception(kernel):  # noqa: F811
    km, kc = kernel
    reply, text = shown(
        kc,
        "%%tinyloop --no-timeline\nasync def boom():\n    raise ValueError('x')\n"
        "async with asyncio.TaskGroup() as tg:\n    tg.create_task(boom())",
    )
    n = reply["execution_count"]
    assert reply["status"] == "error" and reply["ename"] == "ExceptionGroup"
    assert f"Cell In[{n}], line 4, in <module>" in text and f"Cell In[{n}], line 3, in boom" in text, text
    assert "ValueError: x" in text
    assert "run_cell_magic" not in text and "get_ipython()" not in text  # no IPython internals, no escaped source
    assert_only_cell_places(text)
