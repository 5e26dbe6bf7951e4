#!/usr/bin/env bash
# CI: loop_impl against CPython 3.14's own asyncio, both inside Pyodide under Node.js
# (tests/test_pyodide.py). Fetches the pinned Pyodide with `npm pack` into .cache/
# (nothing global), then runs those tests; they may not skip here. About a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v node >/dev/null || { echo "pyodide.sh: node (Node.js 20) is required" >&2; exit 1; }
command -v npm >/dev/null || { echo "pyodide.sh: npm is required (it fetches pyodide)" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]'
fi
.venv/bin/python -c "import sys; sys.path.insert(0, 'tools/lite'); import pyodide_runtime as r; print('pyodide runtime:', r.pyodide_dir())"
TINYLOOP_REQUIRE_PYODIDE=1 timeout 900 .venv/bin/python -m pytest -q -m pyodide -p no:cacheprovider tests/test_pyodide.py "$@"
