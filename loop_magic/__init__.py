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
capture.py (printed output and progress), worker.py (the thread a run
runs in, and giving up on it), stopping.py (interrupts and --timeout),
cleanup.py (closing a run's loops), live.py (what a running cell shows), result.py (RunResult), compare.py (verdicts), magic.py (the
IPython side); the timeline views are timeline.py and the modules it uses.
"""

from __future__ import annotations

import logging
from typing import Any

from .cell_code import CellPlacesInTracebacks
from .compare import Comparison, compare
from .result import RunResult, Summary
from .runner import CellTimeout, last_run, run_cell
from .worker import STOP_GRACE

__all__ = (
    "run_cell", "compare", "last_run", "RunResult", "Summary", "Comparison", "CellTimeout", "STOP_GRACE",
    "load_ipython_extension",
)  # fmt: skip


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext loop_magic`: register the %%tinyloop cell magic."""
    from loop_impl import reprs

    from . import browser
    from .cell_code import location
    from .magic import TinyloopMagics

    reprs.describe_location = location  # reports say "Cell In[3], line 5", as IPython does
    # loop_impl's own notes go to "loop_impl"; the loop's error reports (an exception
    # never retrieved, ...) to "asyncio", as asyncio's documentation says: both.
    for name in ("loop_impl", "asyncio"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, CellPlacesInTracebacks) for f in logger.filters):
            logger.addFilter(CellPlacesInTracebacks())

    ipython.register_magics(TinyloopMagics)
    if browser.NO_THREADS_HERE:
        browser.register(ipython)
