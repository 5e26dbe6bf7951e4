"""Build the course notebooks in notebooks/ from their sources in tools/course/.

    python tools/build_notebooks.py           # (re)write notebooks/*.ipynb
    python tools/build_notebooks.py --check   # exit 1 if a notebook is not what its source builds
    python tools/build_notebooks.py n03_futures_tasks_await   # only that one

Each tools/course/nNN_*.py module has NAME (the notebook's file name without
.ipynb) and CELLS (a list of course.cells.Cell). The notebooks are written
without outputs and with stable cell ids, so building twice gives the same
bytes and a diff shows only real changes. The tests execute them
(tests/test_notebooks.py).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
COURSE = [
    "n01_generators",
    "n02_polling_loop",
    "n03_futures_tasks_await",
    "n04_timers_and_sleep",
    "n05_selector_io",
    "n06_gather_cancel_timeouts",
    "n07_compare_with_asyncio",
    "n08_real_libraries",
]


def build(module_name: str) -> tuple[str, nbformat.NotebookNode]:
    """(file name, notebook) for one course module."""
    module = importlib.import_module(f"course.{module_name}")
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
    }
    for index, cell in enumerate(module.CELLS):
        cell_id = f"cell-{index:02d}"  # stable ids: a rebuild changes nothing it need not
        if cell.kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(cell.source, id=cell_id))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(cell.source, id=cell_id, metadata=cell.metadata()))
    nbformat.validate(nb)
    return f"{module.NAME}.ipynb", nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the notebooks are up to date")
    parser.add_argument("only", nargs="*", help="course modules to build (default: all), e.g. n01_generators")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    stale = []
    for module_name in args.only or COURSE:
        filename, nb = build(module_name)
        path = NOTEBOOKS / filename
        text = nbformat.writes(nb) + "\n"
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(filename)
        else:
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)} ({len(nb.cells)} cells)")
    if stale:
        print(f"out of date (run python tools/build_notebooks.py): {', '.join(stale)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
