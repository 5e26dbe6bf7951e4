#!/usr/bin/env bash
# CI on the other Pythons: 3.12 and 3.13, each in its own venv inside the checkout
# (.venv312, .venv313), running the tests that compare loop_impl with that
# interpreter's asyncio: differential programs (also hosted: real asyncio on
# loop_impl's loop), generated programs (property), the backends' traces, the
# transports, the real libraries, the course notebooks and, when present, the core
# modules of CPython's own test_asyncio (tests/cpython_suite). 3.11 runs the
# whole suite through .ci/run.
#
# Usage: .ci/other_pythons.sh            (finds python3.12 and python3.13)
#        PYTHONS="3.13" .ci/other_pythons.sh
# It fails loudly when an interpreter is missing: a skipped Python is not a checked one.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHONS="${PYTHONS:-3.12 3.13}"
TESTS=(tests/test_differential.py tests/test_property.py tests/test_property_timers.py
       tests/test_property_versions.py tests/test_backends_trace.py tests/test_api.py
       tests/test_hosted_differential.py tests/test_asyncio_seam.py tests/test_transports.py tests/libs)
# Run alone, one Python after the other (why: the notebooks check what their text says of CPU
# and time, e.g. that a polling loop's CPU is most of its wall time; beside another suite on
# 2 cores, its thread got 19% and the check failed).
ALONE=(tests/test_notebooks.py)

find_python() {  # newest X.Y.* under pyenv's root, else pythonX.Y on PATH
    local want="$1" root candidate found=""
    root="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"
    for candidate in "$root"/versions/"$want".*/bin/python"$want"; do
        [ -x "$candidate" ] && found="$candidate"  # the glob sorts, the last is the newest
    done
    if [ -z "$found" ]; then
        found="$(command -v "python$want" || true)"
    fi
    if [ -z "$found" ]; then
        echo "other_pythons.sh: Python $want not found (looked in $root/versions and on PATH)" >&2
        return 1
    fi
    echo "$found"
}

# Installs one after the other (why: setuptools' editable install writes its
# egg-info into the shared checkout), then the test runs side by side (why: CI
# has 2 cores and each run is one busy process, so together they take the time
# of the slower one, not the sum).
logs="$(mktemp -d)"
for version in $PYTHONS; do
    python="$(find_python "$version")"
    venv=".venv${version/./}"
    echo "== Python $version: $python -> $venv"
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    "$venv/bin/pip" install -q -e '.[test]'
done
tests=("${TESTS[@]}")
# tests/cpython_suite (branch suite): its core modules only, on these Pythons.
for suite_test in tests/test_cpython_suite*.py; do
    [ -e "$suite_test" ] && tests+=("$suite_test")
done
for version in $PYTHONS; do
    (
        set +e
        TINYLOOP_CPYTHON_SUITE=core timeout 600 ".venv${version/./}/bin/python" -m pytest -q -p no:cacheprovider \
            -m "not browser" "${tests[@]}" >"$logs/$version" 2>&1
        echo "$?" >"$logs/$version.rc"
    ) &
done
wait
for version in $PYTHONS; do
    set +e
    timeout 300 ".venv${version/./}/bin/python" -m pytest -q -p no:cacheprovider -m "not browser" "${ALONE[@]}" \
        >"$logs/$version.alone" 2>&1
    echo "$?" >"$logs/$version.alone.rc"
    set -e
done

declare -A SUMMARY
status=0
for version in $PYTHONS; do
    echo "== Python $version"
    SUMMARY[$version]=""
    for log in "$logs/$version" "$logs/$version.alone"; do
        tail -n 40 "$log"
        line="$(grep -E '(passed|failed|error|no tests ran).* in [0-9.]+s' "$log" | tail -n 1 || true)"
        rc="$(cat "$log.rc" 2>/dev/null || echo 1)"
        [ "$rc" -eq 0 ] || { status=1; line+=" (exit $rc)"; }
        SUMMARY[$version]+="${SUMMARY[$version]:+; then alone: }${line:-no pytest summary (see above)}"
    done
done
rm -rf "$logs"

echo
echo "== summary"
for version in $PYTHONS; do
    echo "Python $version: ${SUMMARY[$version]:-no pytest summary (see above)}"
done
exit "$status"
