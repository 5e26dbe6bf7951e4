"""What a `%%tinyloop --no-timeline` cell costs beyond the program it runs.

The program: 10 tasks, each yielding to the loop 20 times, gathered. It is
timed two ways in one process, alternately, and the medians compared:

* the program itself: `loop_impl.run(main())`, no IPython, no recorder;
* the same code as a cell, `%%tinyloop --no-timeline`, through a real IPython
  InteractiveShell (`shell.run_cell`): parsing the magic line, compiling the
  cell, binding `asyncio`, the recorder and the output tee, the summary line,
  the clean-up.

The target (issue 3) is an overhead under 50 ms. Usage::

    python bench/magic_overhead.py              # 30 rounds
    python bench/magic_overhead.py --rounds 100 --mode asyncio
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from contextlib import redirect_stdout

TASKS = 10
YIELDS = 20
TARGET_MS = 50.0

PROGRAM = f"""
async def worker(n):
    total = 0
    for i in range({YIELDS}):
        await asyncio.sleep(0)
        total += i
    return total

async def main():
    return sum(await asyncio.gather(*(worker(n) for n in range({TASKS}))))
"""


def time_program() -> float:
    import loop_impl

    namespace = {"asyncio": loop_impl}
    exec(PROGRAM, namespace)
    started = time.perf_counter()
    value = loop_impl.run(namespace["main"]())
    elapsed = time.perf_counter() - started
    assert value == TASKS * sum(range(YIELDS))
    return elapsed


def time_cell(shell, mode: str) -> float:
    cell = f"%%tinyloop --no-timeline --mode {mode}\n{PROGRAM}\ntotal = await main()"
    sink = io.StringIO()
    started = time.perf_counter()
    with redirect_stdout(sink):
        result = shell.run_cell(cell, store_history=True)
    elapsed = time.perf_counter() - started
    if result.error_in_exec is not None or result.error_before_exec is not None:
        raise RuntimeError(f"the cell failed: {result.error_in_exec or result.error_before_exec!r}")
    assert shell.user_ns["total"] == TASKS * sum(range(YIELDS))
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--mode", default="tinyloop", choices=("tinyloop", "generator", "asyncio"))
    args = parser.parse_args(argv)

    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "loop_magic")
    for _ in range(3):  # warm up: imports, first-use caches
        time_program()
        time_cell(shell, args.mode)
    program, cell = [], []
    for _ in range(args.rounds):
        program.append(time_program())
        cell.append(time_cell(shell, args.mode))
    program_ms = statistics.median(program) * 1000
    cell_ms = statistics.median(cell) * 1000
    overhead = cell_ms - program_ms
    print(f"program alone (loop_impl.run):        median {program_ms:7.2f} ms over {args.rounds} rounds")
    print(f"as a %%tinyloop --no-timeline cell:   median {cell_ms:7.2f} ms ({args.mode} mode)")
    verdict = "under" if overhead < TARGET_MS else "OVER"
    print(f"overhead of the magic:                {overhead:7.2f} ms ({verdict} the {TARGET_MS:g} ms target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
