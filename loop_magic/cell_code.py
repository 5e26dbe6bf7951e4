"""Turning a cell's text into something a loop can run, and its errors back into text.

* `compile_cell` compiles the cell as a module with top-level `await` allowed
  (`ast.PyCF_ALLOW_TOP_LEVEL_AWAIT`, what IPython's autoawait uses). A cell
  that awaits compiles to code that, evaluated, returns a coroutine: that
  coroutine is the run's main task. A last bare expression is assigned to a
  hidden name so the run can return its value, as a normal cell displays it.
* `asyncio_redirect` makes `import asyncio` and `from asyncio import sleep`
  written *in the cell* give the chosen backend. It wraps `builtins.__import__`
  and looks at the importing frame's file name: only code compiled from the
  cell is redirected (why not swap `sys.modules["asyncio"]`: the kernel's own
  asyncio, and every library, must keep the real one while the cell runs).
* `cell_traceback` cuts the loop's own frames out of a traceback, so an
  error points at the cell's lines, not at loop internals.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import hashlib
import linecache
import logging
import os
import re
import sys
import threading
import traceback
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from loop_impl.diagnostics import collector_paused

__all__ = (
    "CompiledCell",
    "compile_cell",
    "cache_source",
    "asyncio_redirect",
    "cell_traceback",
    "location",
    "cell_locations",
    "CellPlacesInTracebacks",
    "VALUE_NAME",
)

VALUE_NAME = "_tinyloop_value_"  # where the last bare expression's value goes, removed after the run
CO_COROUTINE = 0x0080  # code flag: evaluating it returns a coroutine (the cell awaits at top level)


@dataclass
class CompiledCell:
    code: types.CodeType
    filename: str
    awaits: bool  # the cell uses await (or async for/with) at top level
    has_value: bool  # it ends with a bare expression


def cache_source(source: str, filename: str | None = None) -> str:
    """Register the cell's text with linecache so tracebacks can show its lines."""
    if filename is None:
        digest = hashlib.sha1(source.encode()).hexdigest()[:10]
        filename = f"<tinyloop-cell-{digest}>"
    lines = [line + "\n" for line in source.splitlines()]
    linecache.cache[filename] = (len(source), None, lines, filename)
    return filename


def compile_cell(source: str, filename: str, line_offset: int = 0) -> CompiledCell:
    """Compile a cell; SyntaxError propagates with the cell's file name and line."""
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    # No garbage collection while the AST is built (why: a finalizer that logs a
    # traceback parses source with `ast` itself, and CPython 3.11's AST builder is
    # not re-entrant: "SystemError: AST constructor recursion depth mismatch").
    with collector_paused():
        tree = compile("\n" * line_offset + source, filename, "exec", flags | ast.PyCF_ONLY_AST, dont_inherit=True)
    has_value = bool(tree.body) and isinstance(tree.body[-1], ast.Expr)
    if has_value:
        last = tree.body[-1]
        assign = ast.Assign(targets=[ast.Name(VALUE_NAME, ast.Store())], value=last.value)
        tree.body[-1] = ast.copy_location(assign, last)
        ast.fix_missing_locations(tree)
    code = compile(tree, filename, "exec", flags, dont_inherit=True)
    return CompiledCell(code, filename, bool(code.co_flags & CO_COROUTINE), has_value)


# -- import asyncio, in the cell ------------------------------------------------------

_redirects: dict[str, types.ModuleType] = {}  # cell file name -> the module `asyncio` means there
_redirect_lock = threading.Lock()
_original_import = builtins.__import__


def _cell_import(name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0) -> Any:
    if level == 0 and (name == "asyncio" or name.startswith("asyncio.")) and _redirects:
        module = _redirects.get(sys._getframe(1).f_code.co_filename)
        if module is not None:
            if name == "asyncio" or not fromlist:
                return module
            return getattr(module, name.split(".", 1)[1])  # from asyncio.x import y
    return _original_import(name, globals, locals, fromlist, level)


@contextlib.contextmanager
def asyncio_redirect(filename: str, module: types.ModuleType) -> Iterator[None]:
    """While inside: `import asyncio` in code compiled from `filename` gives `module`."""
    with _redirect_lock:
        _redirects[filename] = module
        if builtins.__import__ is not _cell_import:
            builtins.__import__ = _cell_import
    try:
        yield
    finally:
        with _redirect_lock:
            if _redirects.get(filename) is module:
                del _redirects[filename]
            if not _redirects and builtins.__import__ is _cell_import:
                builtins.__import__ = _original_import


# -- tracebacks that point at the cell -----------------------------------------------------

_HERE = os.path.dirname(os.path.abspath(__file__))
_INTERNAL_DIRS = tuple(
    path + os.sep
    for path in (
        _HERE,  # loop_magic
        os.path.join(os.path.dirname(_HERE), "loop_impl"),
        os.path.join(os.path.dirname(os.path.abspath(os.__file__)), "asyncio"),
    )
)


def _is_internal(filename: str) -> bool:
    return filename.startswith(_INTERNAL_DIRS)


_FILE_LINE = re.compile(r'File "([^"]+)", line (\d+)')


def cell_locations(text: str) -> str:
    """A formatted traceback with each cell's frames named as IPython names them."""

    def named(match: re.Match) -> str:
        place = location(match.group(1), int(match.group(2)))
        return place if place.startswith("Cell In[") else match.group(0)

    return _FILE_LINE.sub(named, text)


class CellPlacesInTracebacks(logging.Filter):
    """For loop_impl's log records (an exception never retrieved, ...): the traceback without
    the loop's frames, each cell's frame named "Cell In[n], line k" as IPython names it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            error = cell_traceback(record.exc_info[1])
            record.exc_text = cell_locations("".join(traceback.format_exception(error))).rstrip("\n")
        return True


def location(filename: str, lineno: int) -> str:
    """A place in code as IPython names it: `Cell In[16], line 5` for a cell's
    line (not ipykernel's temporary file), `path:line` for anything else."""
    number = None
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            number = shell.compile._filename_map.get(filename)
    except Exception:  # (no IPython, or one without the map: the file name will do)
        number = None
    if number is not None:
        return f"Cell In[{number}], line {lineno}"
    return f"{filename}:{lineno}"


def cell_traceback(exc: BaseException) -> BaseException:
    """Drop the frames of the loops (loop_impl, asyncio, loop_magic) from exc's traceback.

    The frames of the cell and of any module the learner wrote stay, in order;
    so do the chained exceptions' (__cause__, __context__) and an exception
    group's members', each cut the same way.
    """
    seen: set[int] = set()
    todo = [exc]
    while todo:
        error = todo.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        frames = []
        tb = error.__traceback__
        while tb is not None:
            if not _is_internal(tb.tb_frame.f_code.co_filename):
                frames.append(tb)
            tb = tb.tb_next
        new_tb = None
        for old in reversed(frames):
            new_tb = types.TracebackType(new_tb, old.tb_frame, old.tb_lasti, old.tb_lineno)
        error.__traceback__ = new_tb
        todo.extend((error.__cause__, error.__context__, *getattr(error, "exceptions", ())))  # (and a group's)
    return exc
