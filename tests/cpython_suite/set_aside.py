"""Read set_aside.toml: which CPython tests do not run against loop_impl, and why.

Each `[[set_aside]]` entry has `tests` (ids or fnmatch globs, relative to
`test.test_asyncio`, e.g. `test_futures.CFutureTests.*`), a `category` (one of
CATEGORIES) and a `reason`; `pythons = ["3.12", ...]` limits it to those
interpreters. The first entry that matches a test decides.
"""

from __future__ import annotations

import fnmatch
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

LIST = Path(__file__).resolve().parent / "set_aside.toml"

CATEGORIES = {
    "c-accelerator": "tests the C module _asyncio (CTask, CFuture), not a Python-level behaviour",
    "private": "reads or sets a CPython private attribute or internal function",
    "mocked-internal": "mocks an internal of CPython's implementation, not the public API",
    "windows": "Windows or Proactor only",
    "not-claimed": "an API loop_impl does not claim (PRODUCT.md section 2): child watchers, staggered_race",
    # Public API loop_impl claims but does not yet get right: each entry says exactly what it lacks.
    "gap": "a public behaviour loop_impl claims and lacks: the reason names it (a defect to fix, not a design)",
}


@dataclass(frozen=True)
class Rule:
    patterns: tuple[str, ...]
    category: str
    reason: str
    pythons: tuple[str, ...] = ()


def load(path: Path = LIST) -> list[Rule]:
    """The rules that apply to the running interpreter; a malformed entry is an error, never skipped."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    rules = []
    for index, entry in enumerate(data.get("set_aside", [])):
        category, reason, tests = entry.get("category"), entry.get("reason", ""), entry.get("tests")
        if category not in CATEGORIES:
            raise ValueError(f"{path.name} entry {index}: category {category!r} is not one of {sorted(CATEGORIES)}")
        if not tests or not isinstance(tests, list) or len(reason.split()) < 4:
            raise ValueError(f"{path.name} entry {index} ({category}): needs a list of tests and a specific reason")
        pythons = tuple(entry.get("pythons", ()))
        if pythons and version not in pythons:
            continue
        rules.append(Rule(tuple(tests), category, reason, pythons))
    return rules


def match(rules: list[Rule], test_id: str) -> Rule | None:
    for rule in rules:
        for pattern in rule.patterns:
            if fnmatch.fnmatchcase(test_id, pattern):
                return rule
    return None


def module_set_aside(rules: list[Rule], module: str) -> Rule | None:
    """The rule that sets a whole module aside (pattern `module.*` or `module`), if any."""
    for rule in rules:
        if f"{module}.*" in rule.patterns or module in rule.patterns:
            return rule
    return None
