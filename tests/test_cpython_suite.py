"""CPython's own test_asyncio, run against loop_impl (tests/cpython_suite/README.md).

One pytest test per CPython test module: it fails with the list of CPython
tests that failed, erred or hung, each with its traceback. Every module runs
in its own subprocess, two at a time, all started by the first test (a
session fixture) so the whole set takes the time of the slowest pair.

Which modules: TINYLOOP_CPYTHON_SUITE=core (default: asyncio's core semantics,
about a minute) or full (every module of the interpreter's test_asyncio), or
a comma-separated list. The counts of the run go to
test-artifacts/cpython_suite_<python>.json.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "cpython_suite"))

import harness  # noqa: E402

SELECTION = os.environ.get("TINYLOOP_CPYTHON_SUITE", "core")
MODULES = harness.modules_for(SELECTION)
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def suite_runs() -> dict[str, harness.ModuleRun]:
    runs = harness.results(MODULES)
    ARTIFACTS.mkdir(exist_ok=True)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    report = {**harness.summary(runs), "selection": SELECTION}
    (ARTIFACTS / f"cpython_suite_{version}.json").write_text(json.dumps(report, indent=1) + "\n")
    return {run.module: run for run in runs}


@pytest.mark.parametrize("module", MODULES)
def test_cpython_module_passes_on_loop_impl(module: str, suite_runs: dict[str, harness.ModuleRun]) -> None:
    run = suite_runs[module]
    if run.set_aside_by is not None:
        pytest.skip(f"whole module set aside ({run.set_aside_by.category}): {run.set_aside_by.reason}")
    failures = run.failures()
    report = "\n\n".join(
        f"{record['outcome'].upper()} {test_id}\n{record.get('detail', '')}"
        for test_id, record in sorted(failures.items())
    )
    assert not failures, f"{len(failures)} CPython test(s) of {module} did not pass on loop_impl:\n\n{report}"
    assert any(record["outcome"] == "passed" for record in run.tests.values()), f"{module}: no test ran"


def test_set_aside_list_is_well_formed() -> None:
    """Every entry names tests, a known category and a specific reason (set_aside.load checks)."""
    import set_aside

    rules = set_aside.load()
    assert rules, "the set-aside list is empty or unreadable"
    assert all(rule.category in set_aside.CATEGORIES for rule in rules)


def test_a_failing_cpython_test_is_reported(tmp_path: Path) -> None:
    """The harness is not a test that cannot fail: a broken loop_impl shows up per test."""
    run = harness.run_module("test_locks", tmp_path, env_extra={"TINYLOOP_CPYTHON_SUITE_BREAK": "Event.set"})
    failed = {test_id for test_id, record in run.failures().items() if record["outcome"] in ("failed", "error", "hung")}
    assert any("Event" in test_id for test_id in failed), failed
