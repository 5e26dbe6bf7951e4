"""What a regular (non-editable) install gets: the README's course command installs this way.

An editable install maps the source tree, so a module left out of the wheel goes
unnoticed by every other test; here the wheel is built and its contents checked.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_wheel_holds_every_module_of_both_packages(tmp_path):
    # A copy of what the build reads (why: a build/ folder left in the checkout would fill the gaps).
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "loop_impl", "loop_magic", "jupyter-config"):
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
        copy(REPO / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__")} if copy is shutil.copytree else {}))
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = tmp_path.glob("tinyloop-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    sources = {
        str(path.relative_to(REPO))
        for package in ("loop_impl", "loop_magic")
        for path in (REPO / package).rglob("*.py")
    }
    assert sources - names == set()
    assert any(name.endswith("labconfig/default_setting_overrides.d/tinyloop-widget-state.json") for name in names)
