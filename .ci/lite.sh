#!/usr/bin/env bash
# CI: the course on JupyterLite (issue 12). tests/lite builds the site with
# tools/lite/build.py (PyPI + npm, caches in .cache/), serves it on 127.0.0.1 and runs
# every course notebook in Debian's chromium; any request off 127.0.0.1 fails it.
# About 5 minutes on 2 cores. Prints a pytest summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
command -v npm >/dev/null || { echo "lite.sh: npm is required (it fetches pyodide)" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]'
fi
CI=1 timeout 1500 .venv/bin/python -m pytest -q -p no:cacheprovider tests/lite "$@"
