"""Where asyncio changed between Python versions: one row per difference.

loop_impl behaves as the asyncio of the interpreter running it. Each
difference is one module-level boolean here, named for the behaviour, true
when the running Python has it, with the version and the CPython issue in its
comment; the code says `if versions.NAME:` where the behaviour branches, so a
reader finds every version difference from this one table, and a new Python
is one row per change.
"""

from __future__ import annotations

import sys

_PY = sys.version_info[:2]

# -- 3.14 (found by running loop_impl beside 3.14's asyncio in Pyodide: tests/test_pyodide.py) --

# asyncio.run() and Runner.run() take any awaitable, not only a coroutine;
# anything else is a TypeError, no longer a ValueError (3.14, gh-120284).
RUN_TAKES_ANY_AWAITABLE = _PY >= (3, 14)
# loop.create_task passes the task factory every keyword it was given (name,
# context, ...), and the factory names the task (3.14, gh-128308).
TASK_FACTORY_GETS_ALL_KWARGS = _PY >= (3, 14)
# Barrier(0) says "parties must be >= 1", not "> 0" (3.14, gh-129403).
BARRIER_SAYS_AT_LEAST_ONE = _PY >= (3, 14)
