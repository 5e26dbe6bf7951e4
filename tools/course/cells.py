"""The building blocks of a course notebook: markdown, code, and the seeds' programs.

A course module (n01_generators.py, ...) is a list of cells made with these:

    md("## A title\\nSome prose.")
    code("print('hi')", checks=["my-check"])
    seed("seed002_asyncio.py", magic="%%tinyloop --mode generator", checks=["seed-output"])

`seed()` takes the program from tests/seeds/ (the seed's own code, the file's
header comment dropped), so a notebook shows exactly the program the seed
tests run. `replace=[(old, new)]` edits it where a notebook must (an endless
`while True` bounded); each `old` must occur exactly once, so a changed seed
file breaks the build instead of silently producing something else.

Checks are the names of assertions in tests/test_notebooks.py; a cell with
checks is tagged "tinyloop-check" and carries them in its metadata
(`metadata.tinyloop.checks`, and `metadata.tinyloop.seed` for a seed cell).
`raises=True` tags the cell "raises-exception": nbclient runs on past the
error it shows on purpose.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ("Cell", "md", "code", "seed", "seed_program", "SEEDS")

SEEDS = Path(__file__).resolve().parents[2] / "tests" / "seeds"


@dataclass
class Cell:
    kind: str  # "markdown" or "code"
    source: str
    checks: list[str] = field(default_factory=list)
    seed: str | None = None
    raises: bool = False

    def metadata(self) -> dict:
        if self.kind != "code":
            return {}
        tags = []
        info: dict = {}
        if self.checks:
            tags.append("tinyloop-check")
            info["checks"] = list(self.checks)
        if self.seed:
            info["seed"] = self.seed
        if self.raises:
            tags.append("raises-exception")
        meta: dict = {}
        if tags:
            meta["tags"] = tags
        if info:
            meta["tinyloop"] = info
        return meta


def _clean(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def md(text: str) -> Cell:
    return Cell("markdown", _clean(text))


def code(source: str, *, checks: list[str] | None = None, raises: bool = False) -> Cell:
    return Cell("code", _clean(source), checks=list(checks or []), raises=raises)


def seed_program(name: str) -> str:
    """The program of tests/seeds/<name>: the file without its header comment lines."""
    lines = (SEEDS / name).read_text().splitlines()
    start = 0
    while start < len(lines) and (lines[start].startswith("#") or not lines[start].strip()):
        start += 1
    return "\n".join(lines[start:]).rstrip() + "\n"


def seed(
    name: str,
    *,
    magic: str | None = None,
    checks: list[str] | None = None,
    replace: list[tuple[str, str]] | None = None,
    raises: bool = False,
) -> Cell:
    """A code cell running a seed's program, under `magic` (a %%tinyloop line) or as plain Python."""
    program = seed_program(name)
    for old, new in replace or ():
        count = program.count(old)
        if count != 1:
            raise ValueError(f"{name}: {old!r} occurs {count} times, expected once")
        program = program.replace(old, new)
    source = (magic + "\n" if magic else "") + program.rstrip("\n")
    return Cell("code", source, checks=list(checks or []), seed=name, raises=raises)
