"""The benchmark script runs end to end: every workload on every backend.

Not a timed test: the sizes are tiny ("tiny" in bench/run.py) and nothing is
compared against a speed. What it proves is that `python bench/run.py` works:
each child process returns its measurements, the traced backend reports its
trace size, and the table and the target report are printed.
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run = _load("run")
BACKENDS = run.available_backends()
# The metrics each workload must report (those of the table's rows).
EXPECTED = {w: {m for (rw, m, *_rest) in run.ROWS if rw == w and not m.startswith("trace_")} for w in run.WORKLOADS}


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "raw.json"
    cmd = [sys.executable, str(BENCH / "run.py"), "--sizes", "tiny", "--timeout", "60", "--json", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    return proc, json.loads(out.read_text())["results"]


def _backend_has_streams(backend: str) -> bool:
    if backend.startswith("loop_impl"):
        import loop_impl

        return hasattr(loop_impl, "open_connection")
    return True


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("workload", list(run.WORKLOADS))
def test_each_workload_reports_its_metrics(bench_run, workload, backend):
    _, results = bench_run
    (result,) = results[workload][backend]  # one repeat
    assert "error" not in result, result["error"]
    # A workload leaves nothing behind: no task destroyed pending, no traceback.
    assert not any("Traceback" in line or "destroyed" in line for line in result.get("stderr", [])), result["stderr"]
    if workload == "echo_streams" and not _backend_has_streams(backend):
        assert "unsupported" in result
        return
    missing = EXPECTED[workload] - set(result)
    assert not missing, f"{workload} on {backend} did not report {sorted(missing)}"
    for metric in EXPECTED[workload]:
        assert math.isfinite(result[metric]), (metric, result[metric])
    assert result["wall"] > 0


def test_traced_backend_reports_trace_size(bench_run):
    _, results = bench_run
    (result,) = results["switch"]["loop_impl+trace"]
    assert result["trace_events"] > 0
    assert result["trace_bytes_per_event"] > 0
    assert "trace_events" not in results["switch"]["loop_impl"][0]  # untraced stores nothing


def test_the_table_and_targets_are_printed(bench_run):
    proc, _ = bench_run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "| metric | better | asyncio |" in proc.stdout
    assert "switch: sleep(0) switches/s" in proc.stdout
    assert "Targets (issue 11; the untraced ones from issue 2):" in proc.stdout
    assert "Errors:" not in proc.stdout


def test_ratios_pair_runs_of_the_same_repeat():
    # Repeat 1: loop_impl twice as fast; repeat 2: both slowed down 10x by load.
    results = {
        "switch": {
            "asyncio": [{"switches_per_s": 100.0}, {"switches_per_s": 10.0}],
            "loop_impl": [{"switches_per_s": 200.0}, {"switches_per_s": 20.0}],
        }
    }
    assert run.paired_ratio(results, "switch", "loop_impl", "switches_per_s") == 2.0


def test_only_selects_by_prefix_and_rejects_unknown_names():
    assert run.select_workloads("spawn") == ["spawn", "spawn_mem"]
    assert run.select_workloads("switch,idle") == ["switch", "idle"]
    with pytest.raises(SystemExit, match="matches no workload"):
        run.select_workloads("nosuch")
