"""Real asyncio on loop_impl's loop prints what it prints on its own loop.

Each program of tests/programs/ runs in a fresh interpreter twice: under plain
asyncio, and under asyncio plugged onto loop_impl's loop as a user plugs in
uvloop (`asyncio.run(main(), loop_factory=loop_impl.HostedEventLoop)` on 3.12+,
`asyncio.set_event_loop_policy(loop_impl.EventLoopPolicy())` on 3.11; see
difftest.py). The program's own `import asyncio` is the real library: its
Tasks, gather, locks, queues and streams run on the from-scratch loop.
Compared as in test_differential.py: stdout, exit status, uncaught exception.

A program whose output differs for a known reason says `# hosted-xfail: <reason>`
in its first lines, or `# hosted-xfail-on 3.12: <reason>` for one Python only
(a strict xfail: it turns red the day the difference goes).
"""

from __future__ import annotations

import concurrent.futures
import re
import sys
from pathlib import Path

import pytest
from difftest import HOSTED, RunResult, program_requirement, run_program, unified_diff

PROGRAMS = sorted((Path(__file__).parent / "programs").glob("*.py"))
TIMEOUT = 20.0
_XFAIL = "# hosted-xfail:"
_XFAIL_ON = re.compile(r"# hosted-xfail-on (\d+)\.(\d+): (.*)")
# An order that timing decides on one Python (it differs in some runs, not all): not compared there.
_SKIP_ON = re.compile(r"# hosted-skip-on (\d+)\.(\d+): (.*)")


def _param(path: Path) -> object:
    with path.open() as f:
        head = [next(f, "") for _ in range(5)]
    reasons = [line[len(_XFAIL) :].strip() for line in head if line.startswith(_XFAIL)]
    for match in filter(None, map(_XFAIL_ON.match, head)):
        if sys.version_info[:2] == (int(match[1]), int(match[2])):
            reasons.append(match[3].strip())
    marks = [pytest.mark.xfail(reason=reasons[0], strict=True)] if reasons else []
    too_old = program_requirement(path)  # `# requires-python: 3.13 <why>`, as in test_differential
    if too_old:
        marks.append(pytest.mark.skip(reason=too_old))
    for match in filter(None, map(_SKIP_ON.match, head)):
        if sys.version_info[:2] == (int(match[1]), int(match[2])):
            marks.append(pytest.mark.skip(reason=match[3].strip()))
    return pytest.param(path, marks=marks, id=path.stem)


@pytest.fixture(scope="module")
def results(request: pytest.FixtureRequest):
    selected = [
        item.callspec.params["program"]
        for item in request.session.items
        if item.module is request.module and hasattr(item, "callspec") and "program" in item.callspec.params
    ]
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="hosted-difftest")
    futures = {
        (path, impl): pool.submit(run_program, path, impl, timeout=TIMEOUT)
        for path in selected
        for impl in ("asyncio", HOSTED)
    }
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


def _describe(run: RunResult) -> str:
    status = "timed out" if run.timed_out else f"exit {run.returncode}"
    tail = "\n".join(run.stderr.strip().splitlines()[-15:])
    return f"{run.impl}: {status}\n--- stderr (last lines) ---\n{tail}"


@pytest.mark.parametrize("program", [_param(p) for p in PROGRAMS])
def test_real_asyncio_on_loop_impl_prints_the_same(program: Path, results) -> None:
    expected: RunResult = results[(program, "asyncio")].result()
    actual: RunResult = results[(program, HOSTED)].result()
    assert not expected.timed_out, f"{program.name} timed out under plain asyncio\n{_describe(expected)}"
    assert not actual.timed_out, f"{program.name} timed out on loop_impl's loop\n{_describe(actual)}"
    assert actual.stdout == expected.stdout, (
        f"stdout differs for {program.name}:\n{unified_diff(expected.stdout, actual.stdout, b='hosted')}\n"
        f"{_describe(expected)}\n{_describe(actual)}"
    )
    assert actual.returncode == expected.returncode, (
        f"exit status differs for {program.name}\n{_describe(expected)}\n{_describe(actual)}"
    )
    assert actual.exception == expected.exception, (
        f"uncaught exception differs for {program.name}: "
        f"asyncio {expected.exception!r}, hosted {actual.exception!r}\n{_describe(actual)}"
    )
