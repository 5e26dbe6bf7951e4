"""The course notebooks run top to bottom on a real kernel, and show what they say they show.

Every notebook in notebooks/ is executed with nbclient on the venv's `python3` kernel (60 s per
cell), two at a time. A cell tagged "tinyloop-check" names its checks in `metadata.tinyloop.checks`;
each name is an assertion in tests/notebook_checks.py. What the checks compare with:

* a seed program: its file's header in tests/seeds/ (what the seed says it prints, or what Python or
  asyncio really prints where the seed is wrong);
* a `--compare` cell: the verdict, and the real asyncio's own output (its section of the cell's
  output) for the notebook's claims about it: real asyncio is the expectation;
* plain Python (generators, sockets): what Python prints;
* summaries and state panels: properties (idle polls > 0, CPU against wall time, what is queued).

The notebooks are also checked to be clean (no outputs) and to be what tools/build_notebooks.py
builds from tools/course/.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from notebook_checks import CHECKS, MODES, ORDERED, Cell, cells_of, run_check
from test_seeds import HEADERS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("0*.ipynb"))
NAMES = [path.stem for path in PATHS]
PARALLEL = 2  # notebooks executed at once (2 cores: the timing checks stay meaningful)
CELL_TIMEOUT = 60


# -- executing the notebooks ------------------------------------------------------------------


def ensure_kernelspec() -> None:
    """The python3 kernel must be this interpreter (a fresh venv gets it from ipykernel's wheel)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    def ours() -> bool:
        try:
            argv0 = KernelSpecManager().get_kernel_spec("python3").argv[0]
        except NoSuchKernel:
            return False
        # jupyter_client runs a spec's "python" / "python3" as sys.executable.
        short = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2])}
        return argv0 in short or (os.path.exists(argv0) and os.path.samefile(argv0, sys.executable))

    if not ours():
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"], check=True)
    assert ours(), "the python3 kernelspec does not run this Python"


@dataclass
class Executed:
    nb: nbformat.NotebookNode
    error: BaseException | None
    seconds: float


async def execute_all() -> dict[str, Executed]:
    limit = asyncio.Semaphore(PARALLEL)

    async def one(path: Path) -> Executed:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
        )
        async with limit:
            started = time.monotonic()
            try:
                await client.async_execute()
                error = None
            except Exception as exc:  # CellExecutionError, DeadKernelError, CellTimeoutError
                error = exc
            return Executed(nb, error, time.monotonic() - started)

    results = await asyncio.gather(*(one(path) for path in PATHS))
    return dict(zip(NAMES, results))


@pytest.fixture(scope="session")
def executed() -> dict[str, Executed]:
    ensure_kernelspec()
    return asyncio.run(execute_all())


# -- the tests --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_and_shows_what_it_says(executed, name):
    run = executed[name]
    assert run.error is None, f"{name} failed: {run.error}"
    failures = []
    checked = 0
    for cell in cells_of(run.nb):
        for check in cell.checks:
            checked += 1
            try:
                run_check(cell, check)
            except AssertionError as exc:
                failures.append(f"cell {cell.index} [{check}]: {exc}")
    assert not failures, "\n\n".join(failures)
    assert checked >= 8, f"only {checked} checks in {name}"
    assert run.seconds < 45, f"{name} took {run.seconds:.1f} s"  # fast enough to run again and again


def test_the_course_has_eight_notebooks_in_order():
    assert NAMES == [
        "01_generators", "02_polling_loop", "03_futures_tasks_await", "04_timers_and_sleep",
        "05_selector_io", "06_gather_cancel_timeouts", "07_compare_with_asyncio", "08_real_libraries",
    ]  # fmt: skip


def test_notebooks_are_clean_and_built_from_their_sources():
    for path in PATHS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            assert cell.cell_type != "code" or (not cell.outputs and cell.execution_count is None), path.name
        markdown = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
        assert "**What you'll learn**" in markdown[0] and "## Recap" in markdown[-1], path.name
        assert "**Questions to try**" in markdown[-1], path.name
        assert nb.cells[1].source.startswith("%load_ext loop_magic"), path.name
    built = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_notebooks.py"), "--check"], capture_output=True, text=True
    )
    assert built.returncode == 0, built.stdout + built.stderr


def all_cells() -> list[Cell]:
    return [cell for path in PATHS for cell in cells_of(nbformat.read(path, as_version=4))]


def test_every_check_is_used_and_known():
    used = {check.partition(":")[0] for cell in all_cells() for check in cell.checks}
    assert used == set(CHECKS) | set(ORDERED)


def test_every_seed_program_appears_in_a_mode_it_belongs_to():
    shown = {}
    for cell in all_cells():
        if cell.seed:
            shown.setdefault(cell.seed, []).append(cell)
    assert set(shown) == set(HEADERS), set(HEADERS) ^ set(shown)
    for seed, cells in shown.items():
        allowed = set(HEADERS[seed]["modes"]) & set(MODES)
        for cell in cells:
            first = cell.source.splitlines()[0]
            if not first.startswith("%%tinyloop"):
                assert not allowed or "plain" in HEADERS[seed]["modes"], (seed, "plain")
                continue
            mode = re.search(r"--mode (\w+)", first)
            modes = {mode.group(1) if mode else "tinyloop"}
            compared = re.search(r"--compare(?: (\w+))?", first)
            if compared:
                modes.add(compared.group(1) or "asyncio")
            assert not allowed or modes <= allowed, (seed, modes, allowed)


def test_course_text_names_marks_as_the_widget_draws_them():
    # The notebook shows the widget and the static picture (colours); `*` and `!` are the text view's marks.
    for name in NAMES:
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            for sentence in re.split(r"(?<=[.!?])\s", cell.source):
                if "`*`" in sentence or "`!`" in sentence:
                    assert "text view" in sentence, f"{name}: {sentence!r}"
