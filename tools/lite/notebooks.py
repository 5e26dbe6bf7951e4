"""The course notebooks for the browser: what needs a desktop Python says so instead of failing.

Python in the browser has no sockets, no threads and no subprocesses, so a
few course cells cannot run there (most of notebook 5, whose echo server is
a real socket server; a watchdog thread in notebook 3; ...). The site's copy
of each notebook is made from the one tools/build_notebooks.py wrote, and:

* a cell that opens a socket, starts a thread or a subprocess, or uses what
  such a cell defined (a name, or `last_run()` after it) becomes
  `%%desktop_only REASON` + its own code: the learner reads the code and one
  sentence saying what to install to run it (the magic is loop_magic's, in
  the browser only);
* a notebook with such cells gets a note under its title saying so;
* the kernel is the browser's.

Which cells: found by reading each cell's code (its syntax tree), not by a
list to keep in step with the course.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

BROWSER_KERNELSPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
# What a cell may do that the browser cannot: modules it imports, functions or methods it calls.
_SOCKET_CALLS = {"start_server", "open_connection", "create_server", "create_connection", "socketpair",
                 "sock_recv", "sock_sendall", "sock_accept", "sock_connect"}  # fmt: skip
_THREAD_CALLS = {"run_in_executor", "to_thread", "run_coroutine_threadsafe", "Thread", "Timer"}
NEEDS = {
    "sockets": {"modules": {"socket", "ssl", "selectors"}, "calls": _SOCKET_CALLS},
    "threads": {"modules": {"threading", "concurrent"}, "calls": _THREAD_CALLS},
    "subprocesses": {"modules": {"subprocess"}, "calls": {"create_subprocess_exec", "create_subprocess_shell"}},
}


def _tree(source: str) -> ast.AST | None:
    body = "\n".join("" if line.startswith("%") else line for line in source.splitlines())
    try:
        return compile(body, "<cell>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except SyntaxError:
        return None


def needs(tree: ast.AST) -> str | None:
    """'sockets', 'threads' or 'subprocesses' if the code does what the browser cannot."""
    for node in ast.walk(tree):
        for need, what in NEEDS.items():
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] in what["modules"] for a in node.names):
                return need
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in what["modules"]:
                return need
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                if name in what["calls"]:
                    return need
    return None


def _defined(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _used(tree: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _uses_last_run(tree: ast.AST) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr == "last_run" for n in ast.walk(tree))


def desktop_only_cells(cells: list[dict]) -> dict[int, str]:
    """Index -> reason, for each code cell that cannot run in the browser."""
    skipped: dict[int, str] = {}
    missing: dict[str, str] = {}  # names only a skipped cell defined -> why
    defined_here: set[str] = set()  # names the cells that run define
    last_tinyloop_reason: str | None = None
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        tree = _tree(source)
        if tree is None:
            continue
        defined = _defined(tree)
        used = _used(tree) - defined  # (a cell that defines main and awaits it does not need an earlier main)
        reason = needs(tree) or next((missing[n] for n in sorted(used) if n in missing), None)
        if reason is None and _uses_last_run(tree) and last_tinyloop_reason:
            reason = last_tinyloop_reason
        if reason is not None:
            skipped[index] = reason
            missing.update(dict.fromkeys(defined - defined_here, reason))
        else:
            defined_here |= defined
            for name in defined:
                missing.pop(name, None)
        if source.startswith("%%tinyloop"):
            last_tinyloop_reason = reason
    return skipped


def for_the_browser(notebook: dict) -> dict:
    """A copy of the notebook for the site (see the module docstring)."""
    nb = json.loads(json.dumps(notebook))
    nb["metadata"]["kernelspec"] = BROWSER_KERNELSPEC
    skipped = desktop_only_cells(nb["cells"])
    for index, reason in skipped.items():
        cell = nb["cells"][index]
        cell["source"] = f"%%desktop_only {reason}\n" + "".join(cell["source"])
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        tags.append("desktop-only")
    if skipped:
        needs_all = sorted(set(skipped.values()))
        note = {
            "cell_type": "markdown",
            "id": "browser-note",
            "metadata": {},
            "source": (
                f"> **In the browser.** {len(skipped)} cell{'s' if len(skipped) != 1 else ''} of this notebook "
                f"need{'s' if len(skipped) == 1 else ''} {' and '.join(needs_all)}, which Python in the browser "
                "(Pyodide) does not have: they show their code and say so instead of running. Everything else "
                "runs here. To run them too, install tinyloop on a desktop Python (the README's quick start)."
            ),
        }
        nb["cells"].insert(1, note)
    return nb


def write(notebook_path: Path, dest: Path) -> int:
    """Write the browser copy of a notebook; returns how many cells need a desktop Python."""
    nb = for_the_browser(json.loads(notebook_path.read_text()))
    dest.write_text(json.dumps(nb, indent=1) + "\n")
    return sum("desktop-only" in c.get("metadata", {}).get("tags", []) for c in nb["cells"])
