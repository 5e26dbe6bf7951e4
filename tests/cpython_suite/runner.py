"""Run one CPython test_asyncio module against loop_impl (the subprocess side).

    python runner.py MODULE RESULTS.jsonl [PER_TEST_TIMEOUT]

Started by harness.py with `PYTHONPATH=<shim>:<repo>`, so `import asyncio`
here and in everything the test module imports is the shim (loop_impl).
It loads `test.test_asyncio.MODULE`, drops the tests the set-aside list names
(each recorded with its reason), runs the rest with unittest, and appends one
JSON line per event to RESULTS: `start` before a test (so a hang names its
test), `end` with the outcome after it. A test that runs longer than
PER_TEST_TIMEOUT seconds is interrupted (SIGALRM) and recorded as hung; the
module goes on with the next test.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
import time
import traceback
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import set_aside  # noqa: E402  (beside this file)

_TRACEBACK_LIMIT = 4000  # characters kept per failure: enough to see where and why
# Run the set-aside tests too and report how they end (set_aside_passed / set_aside_failed):
# a set-aside test that passes is one whose entry should go.
CHECK_SET_ASIDE = bool(os.environ.get("TINYLOOP_CPYTHON_SUITE_CHECK_SET_ASIDE"))


class TestHung(BaseException):
    """Raised into a test that ran past its time limit."""


class RecordingResult(unittest.TestResult):
    """A TestResult that writes each test's outcome as one JSON line."""

    def __init__(self, out, per_test_timeout: float) -> None:
        super().__init__()
        self._out = out
        self._timeout = per_test_timeout
        self._outcome: dict = {}
        self._started = 0.0
        self.set_aside: dict = {}  # test id -> its rule, for tests run in CHECK_SET_ASIDE mode

    def _write(self, record: dict) -> None:
        self._out.write(json.dumps(record) + "\n")
        self._out.flush()

    def startTest(self, test):
        super().startTest(test)
        self._outcome = {"outcome": "passed"}
        self._started = time.monotonic()
        self._write({"event": "start", "test": short_id(test)})
        signal.setitimer(signal.ITIMER_REAL, self._timeout)

    def stopTest(self, test):
        signal.setitimer(signal.ITIMER_REAL, 0)
        super().stopTest(test)
        seconds = round(time.monotonic() - self._started, 3)
        rule = self.set_aside.get(short_id(test))
        if rule is not None:
            ok = self._outcome["outcome"] in ("passed", "skipped", "expected_failure")
            self._outcome = {"outcome": "set_aside_passed" if ok else "set_aside", "category": rule.category,
                             "detail": rule.reason}  # fmt: skip
        self._write({"event": "end", "test": short_id(test), "seconds": seconds, **self._outcome})

    def _failed(self, kind: str, err) -> None:
        text = "".join(traceback.format_exception(*err))[-_TRACEBACK_LIMIT:]
        if err[0] is TestHung:
            kind = "hung"
        self._outcome = {"outcome": kind, "detail": text}

    def addError(self, test, err):
        super().addError(test, err)
        if isinstance(test, unittest.case._SubTest) or not isinstance(test, unittest.TestCase):
            # setUpClass/setUpModule failures arrive as pseudo-tests: record them alone.
            self._write({"event": "end", "test": short_id(test), "outcome": "error",
                         "detail": "".join(traceback.format_exception(*err))[-_TRACEBACK_LIMIT:]})  # fmt: skip
            return
        self._failed("error", err)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._failed("failed", err)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            kind = "failed" if issubclass(err[0], test.failureException) else "error"
            self._failed(kind, err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._outcome = {"outcome": "skipped", "detail": reason}

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._outcome = {"outcome": "expected_failure"}

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._outcome = {"outcome": "unexpected_success"}


def short_id(test) -> str:
    """`test_futures.PyFutureTests.test_result`: the id without `test.test_asyncio.`."""
    return test.id().removeprefix("test.test_asyncio.")


def flatten(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from flatten(item)
        else:
            yield item


def _on_alarm(signum, frame):
    raise TestHung("the test ran past its time limit (harness per-test timeout)")


def _break_on_purpose(target: str) -> None:
    """`Event.set`: make loop_impl's Event.set raise (the harness's own test: failures must show)."""
    import asyncio  # noqa: F401  (the shim first: it imports loop_impl beside the real asyncio)

    import loop_impl

    class_name, method = target.split(".")

    def broken(*args, **kwargs):
        raise RuntimeError(f"{target} broken on purpose (TINYLOOP_CPYTHON_SUITE_BREAK)")

    setattr(getattr(loop_impl, class_name), method, broken)


def main(module_name: str, results_path: str, per_test_timeout: float = 30.0) -> int:
    rules = set_aside.load()
    if os.environ.get("TINYLOOP_CPYTHON_SUITE_BREAK"):
        _break_on_purpose(os.environ["TINYLOOP_CPYTHON_SUITE_BREAK"])
    with open(results_path, "a") as out:
        result = RecordingResult(out, per_test_timeout)
        try:
            module = importlib.import_module(f"test.test_asyncio.{module_name}")
        except Exception:
            result._write({"event": "end", "test": f"{module_name}.<import>", "outcome": "error",
                           "detail": traceback.format_exc()[-_TRACEBACK_LIMIT:]})  # fmt: skip
            return 1
        tests = list(flatten(unittest.defaultTestLoader.loadTestsFromModule(module)))
        kept = []
        for test in tests:
            rule = set_aside.match(rules, short_id(test))
            if rule is None:
                kept.append(test)
            elif CHECK_SET_ASIDE and rule.category != "c-accelerator":
                result.set_aside[short_id(test)] = rule  # run it anyway: does the reason still hold?
                kept.append(test)
            else:
                result._write({"event": "end", "test": short_id(test), "outcome": "set_aside",
                               "category": rule.category, "detail": rule.reason})  # fmt: skip
        signal.signal(signal.SIGALRM, _on_alarm)
        unittest.TestSuite(kept).run(result)
    return 0


if __name__ == "__main__":
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 30.0
    sys.exit(main(sys.argv[1], sys.argv[2], timeout))
