"""Every program in tests/programs/ prints the same under loop_impl as under real asyncio.

Each program runs twice in a fresh interpreter (see difftest.py): once with the
real asyncio, once with `sys.modules["asyncio"] = loop_impl`. Compared:

* stdout, exactly (a unified diff on mismatch);
* the exit status;
* for a program that dies of an uncaught exception (e.g. an error from
  `asyncio.run`), the exception line `Type: message` of its traceback.

The runs go through a pool of two workers (the machine has two cores), started
for the programs pytest actually selected, so `-k basic_` runs only those.

A program that shows a known loop_impl bug, reported but not fixed yet, starts
with a line `# xfail: <reason>`: the test is then a strict xfail, and turns red
the day the bug is fixed, so the line gets removed.

A program that needs an API of a newer asyncio starts with a line
`# requires-python: 3.13 <why>`: on an older interpreter it is skipped with
that reason (see difftest.program_requirement).
"""

from __future__ import annotations

import concurrent.futures
from pathlib import Path

import pytest
from difftest import IMPLS, RunResult, program_requirement, run_program, unified_diff

PROGRAMS = sorted((Path(__file__).parent / "programs").glob("*.py"))
TIMEOUT = 20.0
_XFAIL = "# xfail:"  # a program whose first lines say "# xfail: <reason>" shows a known, reported bug


def _param(path: Path) -> object:
    """The program as a test parameter; a known difference is a strict xfail, so its fix is noticed."""
    with path.open() as f:
        head = [next(f, "") for _ in range(5)]
    reasons = [line[len(_XFAIL) :].strip() for line in head if line.startswith(_XFAIL)]
    marks = [pytest.mark.xfail(reason=reasons[0], strict=True)] if reasons else []
    too_old = program_requirement(path)
    if too_old:
        marks.append(pytest.mark.skip(reason=too_old))
    return pytest.param(path, marks=marks, id=path.stem)


@pytest.fixture(scope="module")
def results(request: pytest.FixtureRequest):
    """Start both runs of every selected program at once; tests then wait for their own."""
    selected = [
        item.callspec.params["program"]
        for item in request.session.items
        if item.module is request.module and hasattr(item, "callspec") and "program" in item.callspec.params
    ]
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="difftest")
    futures = {
        (path, impl): pool.submit(run_program, path, impl, timeout=TIMEOUT) for path in selected for impl in IMPLS
    }
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


def _describe(run: RunResult) -> str:
    status = "timed out" if run.timed_out else f"exit {run.returncode}"
    tail = "\n".join(run.stderr.strip().splitlines()[-15:])
    return f"{run.impl}: {status}\n--- stderr (last lines) ---\n{tail}"


@pytest.mark.parametrize("program", [_param(p) for p in PROGRAMS])
def test_same_output_as_asyncio(program: Path, results) -> None:
    expected: RunResult = results[(program, "asyncio")].result()
    actual: RunResult = results[(program, "loop_impl")].result()
    assert not expected.timed_out, (
        f"{program.name} timed out under real asyncio: fix the program\n{_describe(expected)}"
    )
    assert not actual.timed_out, f"{program.name} timed out under loop_impl\n{_describe(actual)}"
    assert actual.stdout == expected.stdout, (
        f"stdout differs for {program.name}:\n{unified_diff(expected.stdout, actual.stdout)}\n"
        f"{_describe(expected)}\n{_describe(actual)}"
    )
    assert actual.returncode == expected.returncode, (
        f"exit status differs for {program.name}\n{_describe(expected)}\n{_describe(actual)}"
    )
    assert actual.exception == expected.exception, (
        f"uncaught exception differs for {program.name}: "
        f"asyncio {expected.exception!r}, loop_impl {actual.exception!r}\n{_describe(actual)}"
    )
