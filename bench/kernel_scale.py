"""Big runs in a real kernel: time, the kernel's peak RSS, and the size a saved cell takes.

Issue 11's scale targets, measured as a learner meets them: one fresh IPython
kernel (jupyter_client), `%load_ext loop_magic`, then one cell per row, each
timed from execute_request to the idle status. A thread samples the kernel
process's RSS (psutil) every 20 ms. "Saved" is the size of the cell's outputs
as nbformat writes them into the .ipynb, and "widget state" the size of the
state of the widget models the cell made (what JupyterLab writes into the
notebook's metadata when widget-state saving is on, as the README's install sets).

    python bench/kernel_scale.py             # the issue's sizes: 1M switches, 100k and 10k tasks
    python bench/kernel_scale.py --small     # a tenth of each: a quick look

This is a benchmark, not a test: it prints a table and never fails on a number.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time

SWITCHES = """%%tinyloop{flags}
async def worker():
    for _ in range({turns}):
        await asyncio.sleep(0)

await asyncio.gather(*(worker() for _ in range(100)))
"""

TASKS = """%%tinyloop{flags}
async def trivial(i):
    return i

print(len(await asyncio.gather(*(trivial(i) for i in range({tasks})))))
"""


def rows(scale: float) -> list[tuple[str, str]]:
    turns = int(10_000 * scale)
    tasks_big, tasks_small = int(100_000 * scale), int(10_000 * scale)
    return [
        (f"{100 * turns:,} switches, --no-timeline", SWITCHES.format(flags=" --no-timeline", turns=turns)),
        (f"{100 * turns:,} switches", SWITCHES.format(flags="", turns=turns)),
        (f"{tasks_big:,} tasks", TASKS.format(flags="", tasks=tasks_big)),
        (f"{tasks_small:,} tasks", TASKS.format(flags="", tasks=tasks_small)),
    ]


class PeakRSS:
    """The peak resident set size of a process, sampled by a thread."""

    def __init__(self, pid: int) -> None:
        import psutil

        self._process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def now(self) -> int:
        return self._process.memory_info().rss

    def reset(self) -> None:
        self.peak = self.now()

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.now())

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_cell(client, code: str, timeout: float) -> tuple[float, list[dict], int]:
    """Execute `code`; return the seconds until the kernel was idle again, the outputs, and
    the bytes of the state of the widget models it made (their last state, as JSON)."""
    import nbformat.v4 as v4

    started = time.perf_counter()
    msg_id = client.execute(code)
    outputs: list[dict] = []
    models: dict[str, dict] = {}
    while True:
        msg = client.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            break
        if kind in ("stream", "display_data", "execute_result", "error"):
            outputs.append(v4.output_from_msg(msg))
        elif kind in ("comm_open", "comm_msg"):
            state = content.get("data", {}).get("state")
            if state:
                models.setdefault(content["comm_id"], {}).update(state)
        elif kind == "comm_close":  # (a closed model is not saved with the notebook)
            models.pop(content["comm_id"], None)
    elapsed = time.perf_counter() - started
    reply = client.get_shell_msg(timeout=timeout)
    if reply["content"]["status"] != "ok":
        print(f"  (the cell replied {reply['content']['status']})", file=sys.stderr)
    return elapsed, outputs, sum(len(json.dumps(state)) for state in models.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a tenth of each size")
    parser.add_argument("--timeout", type=float, default=900, help="seconds one cell may take")
    args = parser.parse_args()

    from jupyter_client.manager import start_new_kernel

    km, client = start_new_kernel(kernel_name="python3")
    rss = PeakRSS(km.provisioner.process.pid)
    try:
        run_cell(client, "%load_ext loop_magic", args.timeout)
        print("| cell | whole cell s | peak kernel RSS MB | RSS kept after MB | saved outputs KB | widget state KB |")
        print("|---|---|---|---|---|---|")
        for label, code in rows(0.1 if args.small else 1.0):
            before = rss.now()
            rss.reset()
            elapsed, outputs, widget_bytes = run_cell(client, code, args.timeout)
            time.sleep(0.1)
            saved = len(json.dumps(outputs, indent=1))
            print(
                f"| {label} | {elapsed:.1f} | {rss.peak / 2**20:.0f} | {(rss.now() - before) / 2**20:+.0f} "
                f"| {saved / 1024:,.0f} | {widget_bytes / 1024:,.0f} |",
                flush=True,
            )
    finally:
        rss.stop()
        client.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
