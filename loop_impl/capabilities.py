"""What this Python can do: threads, sockets, processes.

CPython compiled to WebAssembly (Pyodide, in a browser tab or under Node.js)
runs loop_impl's timers, tasks and futures unchanged, but it has no threads,
no real sockets and no processes. There, asking for one is not an ordinary
`OSError` later on: `socket.socketpair()` under Node aborts the whole
interpreter, and a thread fails deep inside `concurrent.futures`. So the loop
asks here first, and a learner reads one line saying what is missing and where
it runs instead.
"""

from __future__ import annotations

import sys

__all__ = ("NotAvailableHereError", "WEBASSEMBLY", "require_processes", "require_sockets", "require_threads")

# Emscripten is Pyodide's platform (browser and Node); WASI has none of the three either.
WEBASSEMBLY = sys.platform in ("emscripten", "wasi")


class NotAvailableHereError(NotImplementedError):
    """This Python cannot do what was asked (no threads, sockets or processes in WebAssembly)."""


def _where() -> str:
    if "pyodide" in sys.modules:
        return "Python in the browser (Pyodide, WebAssembly)"
    return f"this Python ({sys.platform}, WebAssembly)"


def _refuse(what: str, needs: str) -> None:
    raise NotAvailableHereError(
        f"{what} needs {needs}, which {_where()} does not have; run it on a desktop Python (pip install tinyloop)"
    )


def require_threads(what: str) -> None:
    """Raise NotAvailableHereError naming `what` if this Python cannot start threads."""
    if WEBASSEMBLY:
        _refuse(what, "a thread")


def require_sockets(what: str) -> None:
    """Raise NotAvailableHereError naming `what` if this Python has no real sockets."""
    if WEBASSEMBLY:
        _refuse(what, "real sockets")


def require_processes(what: str) -> None:
    """Raise NotAvailableHereError naming `what` if this Python cannot start processes."""
    if WEBASSEMBLY:
        _refuse(what, "a subprocess")
