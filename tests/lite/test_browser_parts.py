"""The pieces of the browser build that can be checked without a browser, here and fast.

* tools/lite/notebooks.py: which course cells need a desktop Python;
* loop_magic/browser.py: its one-line explanations, and the thread-less
  --timeout, run through run_cell on this interpreter (the same code the
  browser runs: only the switch differs).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from loop_impl import capabilities
from loop_magic import browser

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools" / "lite"))

import notebooks  # noqa: E402


def _cells(*sources: str) -> list[dict]:
    return [{"cell_type": "code", "source": s, "metadata": {}} for s in sources]


def test_cells_that_open_sockets_or_threads_and_what_depends_on_them_are_desktop_only():
    cells = _cells(
        "import loop_magic\nx = 1",  # 0: runs
        "import socket\nserver = socket.create_server(('127.0.0.1', 0))",  # 1: sockets
        "print(server.getsockname())",  # 2: uses what 1 made
        "print(inspect.getsource(loop_impl.selector_io.SelectorIO.sock_recv))",  # 3: only reads source
        "%%tinyloop\nawait asyncio.get_running_loop().run_in_executor(None, print)",  # 4: threads
        "timeline = loop_magic.last_run().timeline()",  # 5: the run of 4
        "server = None\nprint(x)",  # 6: redefines server itself: runs
        "print(server)",  # 7: server is 6's now: runs
        "async def main():\n    await asyncio.sleep(0)\nawait main()",  # 8: defines what it uses: runs
    )
    assert notebooks.desktop_only_cells(cells) == {1: "sockets", 2: "sockets", 4: "threads", 5: "threads"}


def test_the_course_notebooks_desktop_only_cells():
    found = {
        path.stem: notebooks.desktop_only_cells(json.loads(path.read_text())["cells"])
        for path in sorted((REPO / "notebooks").glob("*.ipynb"))
    }
    # Notebook 5 is about sockets: most of it needs a desktop, its reading of the source does not.
    nb5 = json.loads((REPO / "notebooks" / "05_selector_io.ipynb").read_text())["cells"]
    assert found["05_selector_io"], "notebook 5's sockets were not recognised"
    for index, cell in enumerate(nb5):
        if cell["cell_type"] == "code" and "".join(cell["source"]).startswith("print(inspect.getsource"):
            assert index not in found["05_selector_io"]
    for name in ("01_generators", "02_polling_loop", "04_timers_and_sleep", "06_gather_cancel_timeouts"):
        assert found[name] == {}, name


def test_the_browser_copy_says_so_and_keeps_the_code(tmp_path):
    source = REPO / "notebooks" / "05_selector_io.ipynb"
    count = notebooks.write(source, tmp_path / source.name)
    nb = json.loads((tmp_path / source.name).read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python"
    assert "In the browser" in "".join(nb["cells"][1]["source"])
    marked = [c for c in nb["cells"] if "desktop-only" in c.get("metadata", {}).get("tags", [])]
    assert len(marked) == count > 0
    original = {"".join(c["source"]) for c in json.loads(source.read_text())["cells"]}
    for cell in marked:
        head, body = cell["source"].split("\n", 1)
        assert head.startswith("%%desktop_only ") and body in original


def test_errors_the_browser_causes_are_explained_in_one_line():
    refused = capabilities.NotAvailableHereError("loop.run_in_executor() needs a thread, which ...")
    assert browser.explain(refused) == str(refused)
    line = browser.explain(RuntimeError("can't start new thread"))
    assert "threads" in line and "\n" not in line
    assert "sockets" in browser.explain(OSError(138, "Not supported"))
    assert browser.explain(ValueError("a real bug")) is None
    assert browser.explain(RuntimeError("something else")) is None


_SPIN = """
import sys, time
import loop_magic
from loop_magic import browser, runner, worker
runner._Watchdog = browser.ClockWatchdog  # what the browser's switch selects,
runner.WORKER_THREADS = worker.WORKER_THREADS = False  # with the run in this thread, as there
started = time.monotonic()
result = loop_magic.run_cell(sys.argv[1], mode=sys.argv[2], timeout=0.3, echo=False)
print(type(result.error).__name__, sys.getprofile() is None, round(time.monotonic() - started, 1))
"""


@pytest.mark.parametrize(
    ("spin", "mode"),
    [
        ("import time\nwhile True:\n    time.time()", "tinyloop"),  # seed 003's polling loop, in short
        ("async def spin():\n    while True:\n        len([])\nawait spin()", "tinyloop"),  # a step that never ends
        ("async def spin():\n    while True:\n        len([])\nawait spin()", "asyncio"),
    ],
    ids=["polling-while", "endless-step", "endless-step-asyncio"],
)
def test_the_threadless_timeout_stops_a_cell_that_never_yields(spin, mode):
    # In a child interpreter, with the run in its own thread as in Pyodide (why a child:
    # the run replaces this thread's profile hook, and a hang must not take pytest along).
    # The stop is first asked for; a cell that never yields never takes it, so the hook
    # must look again and raise it in the spinning code.
    done = subprocess.run([sys.executable, "-c", _SPIN, spin, mode], capture_output=True, text=True, timeout=60)
    error, unhooked, seconds = done.stdout.split()
    assert error == "CellTimeout", done.stdout + done.stderr
    assert unhooked == "True" and float(seconds) < 10
