"""Benchmark loop_impl side by side with asyncio and uvloop; print one table.

    python bench/run.py                 # full run, 5 repeats (a few minutes)
    python bench/run.py --quick         # smaller sizes, 1 repeat (~30 s)
    python bench/run.py --repeat 9 --only switch,spawn
    python bench/run.py --json out.json # also save every raw measurement

Each (backend, workload) pair runs in its own fresh interpreter
(`bench/workloads.py` is the child), so no backend's heap, caches or
imports affect another's numbers. Within one repeat the backends of a
workload run back to back, in an order that rotates from repeat to repeat,
and a ratio to asyncio is computed within each repeat before taking the
median over repeats (why: on a shared machine the load drifts; pairing runs
that were close in time cancels most of that drift).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from workloads import BACKENDS, RESULT_PREFIX, WORKLOADS  # noqa: E402

# The sizes of each run. "full" is the definition of each workload.
SIZES: dict[str, dict[str, dict[str, Any]]] = {
    "full": {
        "switch": {"tasks": 100, "iters": 2000},
        "spawn": {"n": 100_000},
        "spawn_mem": {"n": 20_000},  # per-task bytes do not depend on n; tracemalloc is slow
        "timers": {"n": 10_000, "max_delay": 0.2},
        "idle": {"seconds": 1.0},
        "echo": {"clients": 50, "rounds": 200},
        "echo_streams": {"clients": 50, "rounds": 200},
    },
    "quick": {
        "switch": {"tasks": 100, "iters": 500},
        "spawn": {"n": 20_000},
        "spawn_mem": {"n": 5_000},
        "timers": {"n": 10_000, "max_delay": 0.2},
        "idle": {"seconds": 0.3},
        "echo": {"clients": 50, "rounds": 50},
        "echo_streams": {"clients": 50, "rounds": 50},
    },
    # For tests/test_bench_smoke.py: proves that everything runs, measures nothing.
    "tiny": {
        "switch": {"tasks": 3, "iters": 3},
        "spawn": {"n": 30},
        "spawn_mem": {"n": 30},
        "timers": {"n": 20, "max_delay": 0.005},
        "idle": {"seconds": 0.005},
        "echo": {"clients": 2, "rounds": 2},
        "echo_streams": {"clients": 2, "rounds": 2},
    },
}

# The rows of the table: (workload, metric, label, higher_is_better, format).
ROWS: list[tuple[str, str, str, bool, str]] = [
    ("switch", "switches_per_s", "switch: sleep(0) switches/s", True, "rate"),
    ("switch", "switches_per_cpu_s", "switch: switches per CPU-s", True, "rate"),
    ("spawn", "tasks_per_s", "spawn+gather: tasks/s", True, "rate"),
    ("spawn", "tasks_per_cpu_s", "spawn+gather: tasks per CPU-s", True, "rate"),
    ("spawn", "peak_rss_mb", "spawn+gather: peak RSS MB", False, "num"),
    ("spawn", "rss_per_task", "spawn+gather: RSS growth B/task", False, "int"),
    ("spawn_mem", "alloc_per_task", "spawn+gather: tracemalloc peak B/task", False, "int"),
    ("timers", "wall", "timers: wall s", False, "num"),
    ("timers", "cpu_s", "timers: CPU s", False, "num"),
    ("timers", "late_median_ms", "timers: median lateness ms", False, "num"),
    ("timers", "late_p99_ms", "timers: p99 lateness ms", False, "num"),
    ("idle", "cpu_ms_per_s", "idle sleep: CPU ms per s", False, "num"),
    ("echo", "round_trips_per_s", "echo (sock_*): round trips/s", True, "rate"),
    ("echo", "round_trips_per_cpu_s", "echo (sock_*): round trips per CPU-s", True, "rate"),
    ("echo_streams", "round_trips_per_s", "echo (streams): round trips/s", True, "rate"),
    ("echo_streams", "round_trips_per_cpu_s", "echo (streams): round trips per CPU-s", True, "rate"),
    ("switch", "trace_bytes_per_event", "traced switch: B/event", False, "num"),
    ("switch", "trace_events_per_s", "traced switch: events/s", True, "rate"),
    ("spawn_mem", "trace_bytes_per_event", "traced spawn: B/event", False, "num"),
    ("spawn_mem", "trace_retained_bytes_per_event", "traced spawn: retained B/event, strings incl.", False, "num"),
    ("spawn", "trace_events_per_s", "traced spawn: events/s", True, "rate"),
]

# The targets (issue 11, keeping issue 2's untraced ones): (label, workload, metric, backend, kind, bound).
# kind "ratio>=": median ratio to asyncio at least bound; "ratio<=": at most;
# "abs<=": the backend's own median at most bound. The traced rows first: a cell runs traced.
TARGETS: list[tuple[str, str, str, str, str, float]] = [
    ("traced switch >= 1.0x untraced asyncio", "switch", "switches_per_s", "loop_impl+trace", "ratio>=", 1.0),
    ("traced spawn+gather >= 0.8x untraced asyncio", "spawn", "tasks_per_s", "loop_impl+trace", "ratio>=", 0.8),
    ("traced echo >= 0.8x untraced asyncio", "echo", "round_trips_per_s", "loop_impl+trace", "ratio>=", 0.8),
    ("traced 10k timers: median lateness <= 2 ms", "timers", "late_median_ms", "loop_impl+trace", "abs<=", 2.0),
    ("traced 10k timers: p99 lateness <= 20 ms", "timers", "late_p99_ms", "loop_impl+trace", "abs<=", 20.0),
    ("traced: <= 64 bytes per stored event", "switch", "trace_bytes_per_event", "loop_impl+trace", "abs<=", 64.0),
    ("traced: <= 64 bytes per event, all the recorder holds (spawn)", "spawn_mem", "trace_retained_bytes_per_event",
     "loop_impl+trace", "abs<=", 64.0),
    ("switch throughput >= 2.5x asyncio", "switch", "switches_per_s", "loop_impl", "ratio>=", 2.5),
    ("spawn+gather rate >= 1.5x asyncio", "spawn", "tasks_per_s", "loop_impl", "ratio>=", 1.5),
    ("echo round trips >= 1.4x asyncio", "echo", "round_trips_per_s", "loop_impl", "ratio>=", 1.4),
    ("timers CPU <= 0.7x asyncio", "timers", "cpu_s", "loop_impl", "ratio<=", 0.7),
    ("memory per task <= asyncio (tracemalloc)", "spawn_mem", "alloc_per_task", "loop_impl", "ratio<=", 1.0),
    ("memory per task <= asyncio (RSS)", "spawn", "rss_per_task", "loop_impl", "ratio<=", 1.0),
    ("timers median lateness <= 2 ms", "timers", "late_median_ms", "loop_impl", "abs<=", 2.0),
    ("idle CPU <= 1 ms per s of sleep", "idle", "cpu_ms_per_s", "loop_impl", "abs<=", 1.0),
]  # fmt: skip

SHORT = {"asyncio": "asyncio", "uvloop": "uvloop", "loop_impl": "loop_impl", "loop_impl+trace": "+trace"}


# -- running children -------------------------------------------------------------


def run_child(backend: str, workload: str, size: dict, timeout: float, no_gc: bool = False) -> dict:
    """One workload on one backend in a fresh interpreter: its result dict, or {"error": ...}."""
    cmd = [sys.executable, os.path.join(HERE, "workloads.py"), backend, workload, json.dumps(size)]
    env = dict(os.environ)
    env.pop("BENCH_NO_GC", None)
    if no_gc:
        env["BENCH_NO_GC"] = "1"
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:g} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX) :])
            if proc.stderr.strip():
                result["stderr"] = proc.stderr.strip().splitlines()[-3:]  # kept in --json output
            return result
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": f"exit {proc.returncode}: {tail}"}


def available_backends() -> list[str]:
    found = []
    for backend in BACKENDS:
        if backend == "uvloop" and importlib.util.find_spec("uvloop") is None:
            print("uvloop is not installed: its column stays empty (pip install uvloop)", file=sys.stderr)
            continue
        found.append(backend)
    return found


def select_workloads(only: str | None) -> list[str]:
    if not only:
        return list(WORKLOADS)
    wanted = [w.strip() for w in only.split(",") if w.strip()]
    # "spawn" also selects spawn_mem, "echo" also echo_streams.
    chosen = [w for w in WORKLOADS if any(w == n or w.startswith(n + "_") for n in wanted)]
    if not chosen:
        raise SystemExit(f"--only {only!r} matches no workload; choose from {', '.join(WORKLOADS)}")
    return chosen


def run_all(
    workloads: list[str], backends: list[str], sizes: dict, repeat: int, timeout: float, no_gc: bool = False
) -> dict:
    """results[workload][backend] = one result dict per repeat."""
    results: dict[str, dict[str, list[dict]]] = {w: {b: [] for b in backends} for w in workloads}
    for r in range(repeat):
        for workload in workloads:
            shift = r % len(backends)
            for backend in backends[shift:] + backends[:shift]:
                started = time.perf_counter()
                result = run_child(backend, workload, sizes[workload], timeout, no_gc)
                results[workload][backend].append(result)
                status = result.get("error") or result.get("unsupported") or "ok"
                took = time.perf_counter() - started
                print(f"[{r + 1}/{repeat}] {workload:<13} {backend:<16} {took:6.2f} s  {status}", file=sys.stderr)
    return results


# -- summarising -------------------------------------------------------------------


def values(results: dict, workload: str, backend: str, metric: str) -> list[float | None]:
    """The metric for each repeat, None where that run failed or lacks it."""
    runs = results.get(workload, {}).get(backend, [])
    return [run.get(metric) if isinstance(run.get(metric), (int, float)) else None for run in runs]


def median_of(vals: list[float | None]) -> float | None:
    present = [v for v in vals if v is not None]
    return statistics.median(present) if present else None


def paired_ratio(results: dict, workload: str, backend: str, metric: str) -> float | None:
    """Median over repeats of value(backend) / value(asyncio) within the same repeat."""
    mine = values(results, workload, backend, metric)
    base = values(results, workload, "asyncio", metric)
    ratios = [m / b for m, b in zip(mine, base, strict=False) if m is not None and b is not None and b > 0 and m >= 0]
    return statistics.median(ratios) if ratios else None


def spread(vals: list[float | None]) -> float | None:
    """(max - min) / median over repeats: how much the runs disagreed."""
    present = [v for v in vals if v is not None]
    if len(present) < 2:
        return None
    mid = statistics.median(present)
    return (max(present) - min(present)) / abs(mid) if mid else None


def fmt(value: float | None, style: str) -> str:
    if value is None:
        return "n/a"
    if style == "rate":
        for unit, scale in (("M", 1e6), ("k", 1e3)):
            if abs(value) >= scale:
                return f"{value / scale:.3g}{unit}"
        return f"{value:.3g}"
    if style == "int":
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) >= 0.01 else f"{value:.2g}"


def table(results: dict, backends: list[str]) -> str:
    """The markdown table: medians per backend, then median paired ratios to asyncio."""
    others = [b for b in backends if b != "asyncio"]
    head = ["metric", "better"] + [SHORT[b] for b in backends] + [f"{SHORT[b]} / asyncio" for b in others] + ["spread"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for workload, metric, label, higher, style in ROWS:
        if workload not in results:
            continue
        meds = {b: median_of(values(results, workload, b, metric)) for b in backends}
        if all(v is None for v in meds.values()):
            continue
        cells = [label, "higher" if higher else "lower"] + [fmt(meds[b], style) for b in backends]
        for b in others:
            ratio = paired_ratio(results, workload, b, metric) if "asyncio" in backends else None
            cells.append("n/a" if ratio is None else f"{ratio:.2f}x")
        spreads = [s for b in backends if (s := spread(values(results, workload, b, metric))) is not None]
        cells.append(f"{max(spreads):.0%}" if spreads else "n/a")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def target_report(results: dict) -> str:
    """One line per target of the issue: met, or missed by how much."""
    lines = []
    for label, workload, metric, backend, kind, bound in TARGETS:
        if workload not in results or backend not in results[workload]:
            continue
        if kind.startswith("ratio"):
            got = paired_ratio(results, workload, backend, metric)
            shown = "n/a" if got is None else f"{got:.2f}x"
        else:
            got = median_of(values(results, workload, backend, metric))
            shown = fmt(got, "num")
        if got is None:
            verdict = "not measured"
        elif kind.endswith(">="):
            verdict = "met" if got >= bound else f"MISSED: {got / bound:.0%} of the target"
        else:
            verdict = "met" if got <= bound else f"MISSED: {got / bound:.2f}x the bound"
        lines.append(f"- {label}: {backend} {shown} -> {verdict}")
    return "\n".join(lines)


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        model = platform.processor() or model
    uv = "not installed"
    if importlib.util.find_spec("uvloop") is not None:
        import uvloop

        uv = uvloop.__version__
    rev = _git_revision()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"{datetime.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs ({model}), "
        f"Python {platform.python_version()}, uvloop {uv}, load average {load}, loop_impl at {rev}"
    )


def _git_revision() -> str:
    """The commit being measured, with "+changes" if loop_impl/ has uncommitted edits."""
    root = os.path.dirname(HERE)
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "loop_impl"], cwd=root, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unknown revision"
    if rev.returncode != 0:
        return "unknown revision"
    return rev.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and 1 repeat: a ~30 s smoke run")
    parser.add_argument("--repeat", type=int, default=None, help="runs of each pair (default 5, or 1 with --quick)")
    parser.add_argument("--only", default=None, help="comma-separated workloads (a prefix: spawn = spawn, spawn_mem)")
    parser.add_argument("--backends", default=None, help=f"comma-separated subset of {','.join(BACKENDS)}")
    parser.add_argument("--sizes", choices=sorted(SIZES), default=None, help=argparse.SUPPRESS)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a child run is abandoned")
    parser.add_argument("--no-gc", action="store_true", help="diagnosis only: run the children with gc disabled")
    parser.add_argument("--json", default=None, help="also write every raw measurement to this file")
    args = parser.parse_args(argv)

    size_name = args.sizes or ("quick" if args.quick else "full")
    repeat = args.repeat if args.repeat is not None else (1 if args.quick or size_name == "tiny" else 5)
    if repeat < 1:
        parser.error("--repeat must be at least 1")
    backends = available_backends()
    if args.backends:
        wanted = args.backends.split(",")
        unknown = set(wanted) - set(BACKENDS)
        if unknown:
            parser.error(f"unknown backends {sorted(unknown)}; choose from {', '.join(BACKENDS)}")
        backends = [b for b in backends if b in wanted]
    workloads = select_workloads(args.only)

    header = machine()
    results = run_all(workloads, backends, SIZES[size_name], repeat, args.timeout, args.no_gc)
    gc_note = ", GC DISABLED (diagnosis only)" if args.no_gc else ""
    print(f"\n{header}\nsizes: {size_name}, {repeat} repeat(s){gc_note}, medians; ratios are paired per repeat\n")
    print(table(results, backends))
    if hasattr(os, "getloadavg"):
        print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    report = target_report(results)
    if report:
        print("\nTargets (issue 11; the untraced ones from issue 2):\n" + report)
    errors = [
        f"{w} on {b}: {run['error']}"
        for w, per in results.items()
        for b, runs in per.items()
        for run in runs
        if "error" in run
    ]
    if errors:
        print("\nErrors:\n" + "\n".join(f"- {e}" for e in errors))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": header, "sizes": SIZES[size_name], "results": results}, f, indent=1)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
