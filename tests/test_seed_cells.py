"""The seeds' programs pasted into %%tinyloop cells print what the seeds say.

tests/test_seeds.py runs each file as a script with `asyncio` swapped in
sys.modules; here the same text is a cell, run by run_cell (what the magic
calls) in each mode its header names. Headers and expectations are that
file's (tests/seeds/README.md).
"""

from __future__ import annotations

import pytest
from test_seeds import HANGS, HEADERS, SEEDS

import loop_magic

MODES = ("generator", "tinyloop", "asyncio")
NEEDS_OTHER_MODULES = {"seed002_jacobio_program.py"}  # `import jacobio`: a second file, not a cell


def cases(kind: str) -> list:
    return [
        pytest.param(name, mode, id=f"{name[:-3]}-{mode}")
        for name, header in HEADERS.items()
        if name not in HANGS and name not in NEEDS_OTHER_MODULES and header[kind] is not None
        for mode in header["modes"]
        if mode in MODES
    ]


@pytest.mark.parametrize("name, mode", cases("expect"))
def test_seed_program_as_a_cell(name, mode):
    header = HEADERS[name]
    result = loop_magic.run_cell((SEEDS / name).read_text(), mode, echo=False, timeout=20)
    assert result.stdout.splitlines() == header["expect"]
    if header["expect-error"]:
        assert f"{type(result.error).__name__}: {result.error}" == header["expect-error"]
    else:
        assert result.error is None, result.error_text()
    assert result.summary.tasks > 0 or result.summary.steps == 0


@pytest.mark.parametrize("name, mode", cases("expect-prefix"))
def test_endless_seed_program_as_a_cell_starts_as_the_seed_says(name, mode):
    prefix = HEADERS[name]["expect-prefix"]
    result = loop_magic.run_cell((SEEDS / name).read_text(), mode, virtual_time=True, echo=False, timeout=0.3)
    assert result.timed_out  # it never ends: --timeout stops it
    assert result.stdout.splitlines()[: len(prefix)] == prefix
