"""Run CPython's test_asyncio modules against loop_impl, in parallel subprocesses.

    python tests/cpython_suite/harness.py [core|full|MODULE...]   # a summary table

Each module runs in its own interpreter (runner.py) whose `asyncio` is the
shim, two at a time (the CI machine has 2 cores). A module that outlives its
time limit is killed; its results file already names the test that hung.
`results()` gives, per module, every test with its outcome; `summary()` counts
them by outcome and the set-aside ones by category.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import test.test_asyncio

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SHIM = HERE / "shim"
sys.path.insert(0, str(HERE))

import set_aside  # noqa: E402

# The modules that carry asyncio's core semantics: run on every Python in CI.
CORE = (
    "test_futures", "test_futures2", "test_tasks", "test_locks", "test_queues", "test_timeouts",
    "test_taskgroups", "test_waitfor", "test_runners", "test_pep492", "test_events",
    "test_base_events", "test_context",
)  # fmt: skip
PER_TEST_TIMEOUT = 30.0  # seconds; the slowest passing CPython test takes a few
MODULE_TIMEOUT = 240.0  # seconds; a backstop if a test blocks signals
JOBS = int(os.environ.get("TINYLOOP_CPYTHON_SUITE_JOBS", "2"))


def all_modules() -> list[str]:
    folder = Path(test.test_asyncio.__file__).parent
    return sorted(p.stem for p in folder.glob("test_*.py"))


def modules_for(selection: str) -> list[str]:
    """'core', 'full', or a comma-separated list of module names."""
    available = all_modules()
    if selection == "full":
        return available
    names = CORE if selection == "core" else selection.split(",")
    return [name for name in names if name in available]


@dataclass
class ModuleRun:
    module: str
    tests: dict[str, dict] = field(default_factory=dict)  # test id -> its end record
    hung_in: str | None = None  # the test running when the module was killed
    set_aside_by: set_aside.Rule | None = None
    returncode: int | None = None
    stderr_tail: str = ""

    def failures(self) -> dict[str, dict]:
        bad = {"failed", "error", "hung", "unexpected_success"}
        found = {t: r for t, r in self.tests.items() if r["outcome"] in bad}
        if self.hung_in is not None:
            found[self.hung_in] = {"outcome": "hung", "detail": "the module was killed while this test ran"}
        return found


def run_module(module: str, workdir: Path, python: str = sys.executable, env_extra: dict | None = None) -> ModuleRun:
    rules = set_aside.load()
    rule = set_aside.module_set_aside(rules, module)
    if rule is not None:
        return ModuleRun(module, set_aside_by=rule)
    results = workdir / f"{module}.jsonl"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SHIM), str(REPO)]))
    env.pop("PYTHONASYNCIODEBUG", None)  # the tests set debug mode themselves where they mean to
    env.update(env_extra or {})
    command = [python, str(HERE / "runner.py"), module, str(results), str(PER_TEST_TIMEOUT)]
    run = ModuleRun(module)
    try:
        done = subprocess.run(command, env=env, cwd=workdir, capture_output=True, text=True, timeout=MODULE_TIMEOUT)
        run.returncode, run.stderr_tail = done.returncode, done.stderr[-3000:]
    except subprocess.TimeoutExpired as timed_out:
        run.stderr_tail = (timed_out.stderr or b"")[-3000:].decode(errors="replace")
    started = None
    if results.exists():
        for line in results.read_text().splitlines():
            record = json.loads(line)
            if record["event"] == "start":
                started = record["test"]
            else:
                run.tests[record["test"]] = record
                started = None if started == record["test"] else started
    if started is not None:
        run.hung_in = started
    elif run.returncode != 0:  # died between tests, or at teardown: a failure all the same
        run.tests[f"{module}.<exit>"] = {
            "outcome": "error",
            "detail": f"the test process exited with {run.returncode}\n{run.stderr_tail}",
        }
    return run


def results(modules: list[str], jobs: int = JOBS) -> list[ModuleRun]:
    with tempfile.TemporaryDirectory(prefix="cpython_suite_") as tmp:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            # Longest modules first (why: two workers finish together instead of one idling at the end).
            ordered = sorted(modules, key=lambda m: m not in ("test_tasks", "test_events", "test_base_events"))
            runs = dict(zip(ordered, pool.map(lambda m: run_module(m, Path(tmp)), ordered)))
    return [runs[m] for m in modules]


def summary(runs: list[ModuleRun]) -> dict:
    outcomes: Counter = Counter()
    categories: Counter = Counter()
    for run in runs:
        for record in run.tests.values():
            outcomes[record["outcome"]] += 1
            if record["outcome"] == "set_aside":
                categories[record["category"]] += 1
        if run.hung_in is not None:
            outcomes["hung"] += 1
    return {
        "python": sys.version.split()[0],
        "modules run": sum(1 for r in runs if r.set_aside_by is None),
        "modules set aside": sorted(r.module for r in runs if r.set_aside_by is not None),
        "outcomes": dict(outcomes),
        "set aside by category": dict(categories),
    }


def main(argv: list[str]) -> int:
    selection = argv[0] if argv else os.environ.get("TINYLOOP_CPYTHON_SUITE", "core")
    runs = results(modules_for(selection))
    for run in runs:
        for test_id, record in sorted(run.tests.items()):
            if record["outcome"] == "set_aside_passed":
                print(f"SET ASIDE, YET PASSES ({record['category']}): {test_id}")
        for test_id, record in sorted(run.failures().items()):
            print(f"{record['outcome'].upper():8} {test_id}")
            if "-v" in argv:
                print("    " + record.get("detail", "").replace("\n", "\n    "))
        if run.returncode not in (0, None) and not run.failures():
            print(f"EXIT {run.returncode} {run.module}\n{run.stderr_tail}")
    print(json.dumps(summary(runs), indent=1))
    return 1 if any(run.failures() for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
