"""The learner's kernel is never lost, and a time limit is a promise (issue 10, items 1-3, 11-14).

Each test drives a real ipykernel through jupyter_client, as a notebook does:
cells that block in C calls, swallow every exception, or are interrupted,
and after each of them a plain cell that must still run.
"""

from __future__ import annotations

import json
import os
import time

import pytest

pytest.importorskip("ipykernel")
from jupyter_client.manager import start_new_kernel  # noqa: E402

from loop_magic.worker import STOP_GRACE  # noqa: E402

MODES = ("tinyloop", "generator", "asyncio")
SLACK = 1.5  # seconds for message round trips on a loaded 2-core machine


@pytest.fixture()
def kernel():
    """A fresh kernel per test (why: a test that wedged its kernel must not fail the next ones)."""
    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=60)
    try:
        kc.execute_interactive("%load_ext loop_magic", timeout=30)
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run(kc, code: str, timeout: float = 30, after_send=None) -> tuple[dict, str, float]:
    """Execute code; return (reply content, everything it showed as text, seconds until the reply)."""
    started = time.monotonic()
    msg_id = kc.execute(code)
    if after_send is not None:
        after_send()
    shown = []
    deadline = started + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"no reply within {timeout} s to {code!r}: the kernel is wedged")
        try:
            msg = kc.get_iopub_msg(timeout=remaining)
        except Exception as exc:  # (queue.Empty)
            raise AssertionError(f"no reply within {timeout} s to {code!r}: the kernel is wedged") from exc
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            break
        if kind == "stream":
            shown.append(content["text"])
        elif kind in ("display_data", "update_display_data", "execute_result"):
            shown.append(content["data"].get("text/plain", ""))
        elif kind == "error":
            shown.append("\n".join(content["traceback"]))
    reply = kc.get_shell_msg(timeout=max(1.0, deadline - time.monotonic()))["content"]
    return reply, "".join(shown), time.monotonic() - started


def assert_kernel_alive(kc) -> None:
    reply, shown, _ = run(kc, "print(40 + 2)", timeout=10)
    assert reply["status"] == "ok" and shown == "42\n", shown


def interrupt_after(km, seconds: float):
    def send() -> None:
        time.sleep(seconds)
        km.interrupt_kernel()

    return send


# -- 1. an interrupt never takes the kernel's own loop with it ------------------------------------------

BLOCKED_IN_C = (
    "%%tinyloop --no-timeline --mode {mode}\nimport time\nasync def blocked():\n    time.sleep(30)\nawait blocked()"
)


@pytest.mark.parametrize("mode", MODES)
def test_interrupting_a_task_blocked_in_time_sleep_keeps_the_kernel(kernel, mode):
    km, kc = kernel
    reply, shown, took = run(kc, BLOCKED_IN_C.format(mode=mode), after_send=interrupt_after(km, 0.5))
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
    assert took < 0.5 + STOP_GRACE + SLACK  # not the 30 s of the sleep
    assert "left running: the run's thread, at Cell In[" in shown  # says what it could not stop, and where
    assert_kernel_alive(kc)
    reply, shown, _ = run(kc, f"%%tinyloop --no-timeline --mode {mode}\nawait asyncio.sleep(0.01)\n'again'")
    assert reply["status"] == "ok" and "'again'" in shown


# -- 2. a coroutine that swallows every exception cannot wedge the kernel -------------------------------

SWALLOWS = (
    "%%tinyloop --no-timeline --mode {mode} {option}\n"
    "async def retry():\n    while True:\n        try:\n            await asyncio.sleep(0.05)\n"
    "        except:\n            pass\n"
    "await retry()"
)


@pytest.mark.parametrize("mode", MODES)
def test_a_retry_loop_with_a_bare_except_never_wedges_the_kernel(kernel, mode):
    km, kc = kernel
    for _attempt in range(4):  # (it wedged about 1 run in 5)
        reply, shown, took = run(kc, SWALLOWS.format(mode=mode, option="--timeout 0.5"), timeout=20)
        assert reply["status"] == "error" and reply["ename"] == "CellTimeout", shown
        assert took < 0.5 + STOP_GRACE + SLACK
        assert_kernel_alive(kc)
    reply, shown, took = run(kc, SWALLOWS.format(mode=mode, option=""), timeout=20, after_send=interrupt_after(km, 0.3))
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
    assert_kernel_alive(kc)
    reply, shown, _ = run(kc, "import gc\ngc.collect()\n'collected'", timeout=10)  # finalisers run nowhere harmful
    assert reply["status"] == "ok" and "'collected'" in shown
    assert_kernel_alive(kc)


# -- 3. a time limit is a promise -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_timeout_around_time_sleep_returns_within_the_grace(kernel, mode):
    km, kc = kernel
    cell = BLOCKED_IN_C.format(mode=mode).replace("--no-timeline", "--no-timeline --timeout 2", 1)
    reply, shown, took = run(kc, cell)
    assert reply["status"] == "error" and reply["ename"] == "CellTimeout"
    assert 2 <= took < 2 + STOP_GRACE + SLACK, took
    assert "left running" in shown
    assert_kernel_alive(kc)


@pytest.mark.parametrize("mode", MODES)
def test_timeout_around_a_spinning_task_returns_within_the_grace(kernel, mode):
    km, kc = kernel
    cell = f"%%tinyloop --no-timeline --mode {mode} --timeout 0.5\nasync def spin():\n    while True:\n        pass\nawait spin()"
    reply, shown, took = run(kc, cell)
    assert reply["status"] == "error" and reply["ename"] == "CellTimeout"
    assert took < 0.5 + STOP_GRACE + SLACK, took
    assert_kernel_alive(kc)


# -- 11-14. wrong results at the edges --------------------------------------------------------------------------


def test_a_cell_that_catches_its_own_bad_write_runs_on(kernel):
    km, kc = kernel
    cell = (
        "%%tinyloop --no-timeline\nimport sys\ntry:\n    sys.stdout.write(b'x')\nexcept TypeError as exc:\n"
        "    print('caught:', exc)\nawait asyncio.sleep(0)\n'finished'"
    )
    reply, shown, _ = run(kc, cell)
    assert reply["status"] == "ok", shown
    assert "caught: write() argument must be str, not bytes" in shown and "'finished'" in shown


def test_export_to_a_bad_path_is_refused_before_the_run(kernel, tmp_path):
    km, kc = kernel
    bad = tmp_path / "no-such-dir" / "trace.json"
    reply, shown, _ = run(kc, f"%%tinyloop --no-timeline --export {bad}\nprint('ran')\n1")
    assert reply["status"] == "error" and reply["ename"] == "UsageError"
    assert "ran" not in shown and "no-such-dir" in reply["evalue"]


def test_export_keeps_the_cells_own_error_and_writes_the_file_whole(kernel, tmp_path):
    km, kc = kernel
    path = tmp_path / "trace.json"
    path.write_text("earlier export")
    reply, shown, _ = run(
        kc, f"%%tinyloop --no-timeline --export {path}\nawait asyncio.sleep(0)\nraise ValueError('own')"
    )
    assert reply["status"] == "error" and reply["ename"] == "ValueError" and reply["evalue"] == "own"
    assert "traceEvents" in json.loads(path.read_text()) or json.loads(path.read_text())
    assert [name for name in os.listdir(tmp_path) if name != "trace.json"] == []  # no temporary file left


@pytest.mark.parametrize("mode", MODES)
def test_patching_asyncio_in_a_cell_does_not_reach_the_next_cell(kernel, mode):
    km, kc = kernel
    reply, shown, _ = run(
        kc, f"%%tinyloop --no-timeline --mode {mode}\nasync def fake(delay):\n    return 'fake'\nasyncio.sleep = fake"
    )
    assert reply["status"] == "ok", shown
    reply, shown, _ = run(kc, f"%%tinyloop --no-timeline --mode {mode}\nawait asyncio.sleep(0.01)")
    assert reply["status"] == "ok" and "'fake'" not in shown
    reply, shown, _ = run(
        kc, "import loop_impl, loop_impl.generator_loop as g\n(loop_impl.sleep.__name__, g.sleep.__name__)"
    )
    assert "('sleep', 'sleep')" in shown


def test_timeout_inf_means_no_limit(kernel):
    km, kc = kernel
    reply, shown, _ = run(kc, "%%tinyloop --no-timeline --timeout inf\nawait asyncio.sleep(0.01)\n'done'")
    assert reply["status"] == "ok" and "'done'" in shown and "Traceback" not in shown and "Error" not in shown


@pytest.mark.parametrize("mode", MODES)
def test_a_cells_own_keyboard_interrupt_is_its_exception(kernel, mode):
    km, kc = kernel
    reply, shown, _ = run(
        kc, f"%%tinyloop --no-timeline --mode {mode}\nawait asyncio.sleep(0)\nraise KeyboardInterrupt('mine')"
    )
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt" and reply["evalue"] == "mine"
    assert "the run was interrupted" not in shown
    assert "interrupted" not in run(kc, "import loop_magic\nloop_magic.last_run().interrupted")[1].replace("False", "")


def test_compare_of_a_failing_cell_fails_the_cell(kernel):
    km, kc = kernel
    reply, shown, _ = run(kc, "%%tinyloop --compare --no-timeline\nawait asyncio.sleep(0)\n1 / 0")
    assert reply["status"] == "error"  # so that Run All stops here
    assert "ZeroDivisionError" in shown


def test_an_abandoned_executor_job_leaves_only_its_own_thread(kernel):
    km, kc = kernel
    run(kc, "import threading", timeout=10)
    before = int(run(kc, "threading.active_count()")[1].strip())
    cell = (
        "%%tinyloop --no-timeline --mode asyncio --timeout 0.5\nimport time\n"
        "await asyncio.get_running_loop().run_in_executor(None, time.sleep, 5)"
    )
    reply, shown, took = run(kc, cell)
    assert reply["ename"] == "CellTimeout" and took < 0.5 + STOP_GRACE + SLACK
    assert "left running: 1 executor job" in shown
    after = int(run(kc, "threading.active_count()")[1].strip())
    assert after - before <= 1  # the job's thread, which ends when time.sleep returns; nothing more


def test_the_help_states_the_grace():
    from loop_magic.magic import TinyloopMagics

    assert f"SECONDS + {STOP_GRACE:g} s (the grace)" in " ".join(TinyloopMagics.tinyloop.__doc__.split())
