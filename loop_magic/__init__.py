"""loop_magic: the `%%tinyloop` cell magic and its programmatic API.

In a notebook::

    %load_ext loop_magic

    %%tinyloop --mode asyncio --virtual-time
    await asyncio.sleep(3600)

Without IPython::

    import loop_magic
    result = loop_magic.run_cell("await asyncio.sleep(0.1)\\nprint('hi')", mode="tinyloop")
    result.stdout, result.summary, result.timeline()
    loop_magic.compare(source, "asyncio")

The pieces: runner.py (running a cell), cell_code.py (compiling it, `import
asyncio` in it, tracebacks), backends.py (tinyloop, generator, asyncio),
instrumented.py, asyncio_tasks.py and virtual_time.py (tracing real asyncio),
capture.py (printed output and progress), stopping.py (interrupts and
--timeout), result.py (RunResult), compare.py (verdicts), magic.py (the
IPython side); the timeline views are timeline.py and the modules it uses.
"""

from __future__ import annotations

from typing import Any

from .compare import Comparison, compare
from .result import RunResult, Summary
from .runner import CellTimeout, last_run, run_cell

__all__ = (
    "run_cell", "compare", "last_run", "RunResult", "Summary", "Comparison", "CellTimeout", "load_ipython_extension",
)  # fmt: skip


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext loop_magic`: register the %%tinyloop cell magic."""
    from . import browser
    from .magic import TinyloopMagics

    ipython.register_magics(TinyloopMagics)
    if browser.NO_THREADS_HERE:
        browser.register(ipython)
