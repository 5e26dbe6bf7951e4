"""The Pyodide runtime (CPython 3.14 on WebAssembly), fetched from npm into the checkout.

Used by the 3.14 differential tests (tests/test_pyodide.py, under Node.js)
and by the JupyterLite build (tools/lite/build.py, in the browser). Only
`npm pack` is used: nothing is installed globally, and the tarball and its
unpacked `package/` stay in `.cache/pyodide/<version>/` (git-ignored), so a
second run needs no network.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from pathlib import Path

PYODIDE_VERSION = "314.0.8"  # CPython 3.14.2; the version the JupyterLite notes were checked with
REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "pyodide" / PYODIDE_VERSION


class RuntimeUnavailable(RuntimeError):
    """Pyodide is not in the cache and npm is not there to fetch it."""


def pyodide_dir(*, fetch: bool = True) -> Path:
    """The unpacked npm package (pyodide.mjs, pyodide.asm.wasm, python_stdlib.zip, ...)."""
    package = CACHE / "package"
    if (package / "pyodide.mjs").is_file():
        return package
    if not fetch:
        raise RuntimeUnavailable(f"no Pyodide in {CACHE}")
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeUnavailable("npm is not installed: it fetches Pyodide (npm pack pyodide)")
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "pack", f"pyodide@{PYODIDE_VERSION}", "--silent"],
        cwd=CACHE, check=True, timeout=300, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    tarball = CACHE / f"pyodide-{PYODIDE_VERSION}.tgz"
    with tarfile.open(tarball) as archive:
        archive.extractall(CACHE, filter="data")
    return package
