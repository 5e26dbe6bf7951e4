"""%%tinyloop on a real Jupyter kernel: a notebook run by nbclient, and interrupts.

The kernel is the venv's python3 kernel (ipykernel): its main thread already
runs an asyncio loop, its stdout is a kernel stream, and an interrupt is a
SIGINT sent by the kernel manager or an interrupt_request on the control
channel.
"""

from __future__ import annotations

import os
import time

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
from jupyter_client.manager import start_new_kernel  # noqa: E402

HERE = os.path.dirname(__file__)
NOTEBOOK = os.path.join(HERE, "notebooks", "magic_smoke.ipynb")


def _text(output) -> str:
    if output.output_type == "stream":
        return output.text
    if output.output_type == "error":
        return output.ename
    return output.get("data", {}).get("text/plain", "")


def test_notebook_runs_top_to_bottom_on_a_real_kernel():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    code = [cell for cell in nb.cells if cell.cell_type == "code"]

    gathered = code[1].outputs
    assert [o.output_type for o in gathered][0] == "stream"
    assert _text(gathered[0]) == "fast done\nslow done\n"
    assert any(_text(o).startswith("tinyloop: 3 tasks, 6 steps") for o in gathered)  # the summary line
    timeline = [o for o in gathered if "text/html" in o.get("data", {}) and "svg" in o["data"]["text/html"]]
    assert timeline, "the static timeline is in the cell's output"
    assert _text(gathered[-1]) == "['slow', 'fast']"  # Out[n]

    real = code[2].outputs
    assert _text(real[0]) == "running on loop_magic.instrumented\n"  # printed from the worker thread, in its cell
    assert _text(real[-1]) == "2"  # names of earlier cells are there

    generator = code[3].outputs
    assert _text(generator[0]) == "Task 1\nTask 2\nTask 2\nTask 2\nTask 1\ndone\n"  # seed 002's output
    assert "idle polls" in _text(generator[1]) and not _text(generator[1]).endswith(" 0 idle polls, 0 blocking steps")

    verdict = "".join(_text(o) for o in code[4].outputs)
    assert "Same results on tinyloop and asyncio" in verdict

    deadlock = code[5].outputs
    assert deadlock[-1].output_type == "error" and deadlock[-1].ename == "DeadlockError"
    assert "deadlock: 1 task waiting" in deadlock[-1].evalue

    assert _text(code[6].outputs[-1]) == "('DeadlockError', ['slow', 'fast'])"


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=60)
    try:
        kc.execute_interactive("%load_ext loop_magic", timeout=30)
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _run(kc, code, timeout=30, after_send=None):
    """Execute code; return (reply content, [(msg_type, text)]) of its outputs."""
    msg_id = kc.execute(code)
    if after_send is not None:
        after_send()
    outputs = []
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            break
        if kind == "stream":
            outputs.append((kind, content["text"]))
        elif kind in ("display_data", "update_display_data", "execute_result"):
            outputs.append((kind, content["data"].get("text/plain", "")))
        elif kind == "error":
            outputs.append((kind, content["ename"]))
    reply = kc.get_shell_msg(timeout=timeout)
    return reply["content"], outputs


SLEEPS = "%%tinyloop --no-timeline --mode {mode}\nasync def sleeper():\n    try:\n        await asyncio.sleep(60)\n    finally:\n        print('sleeper cleaned up')\nawait sleeper()"
SPINS = "%%tinyloop --no-timeline --mode {mode}\nasync def spinner():\n    while True:\n        pass\nawait spinner()"


@pytest.mark.parametrize("how", ["signal", "interrupt_request"])
@pytest.mark.parametrize("program", [SLEEPS, SPINS], ids=["sleeping", "spinning"])
@pytest.mark.parametrize("mode", ["tinyloop", "generator", "asyncio"])
def test_kernel_interrupt_stops_the_run_and_the_kernel_stays_usable(kernel, mode, program, how):
    km, kc = kernel
    sent = []

    def interrupt() -> None:
        time.sleep(0.5)  # well into the sleep or the spin
        sent.append(time.monotonic())
        if how == "signal":
            km.interrupt_kernel()  # SIGINT, as the notebook's stop button does
        else:
            kc.control_channel.send(kc.session.msg("interrupt_request", {}))

    reply, outputs = _run(kc, program.format(mode=mode), after_send=interrupt)
    stopped = time.monotonic()
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
    assert stopped - sent[0] < 1.0
    texts = "".join(text for _, text in outputs)
    if program is SLEEPS:
        assert "sleeper cleaned up" in texts  # the task was cancelled and its finally ran
    assert "stopped by kernel interrupt" in texts  # marked in the summary (and the trace)
    if how == "interrupt_request":
        assert kc.control_channel.get_msg(timeout=5)["msg_type"] == "interrupt_reply"
    reply, outputs = _run(kc, f"%%tinyloop --no-timeline --mode {mode}\nawait asyncio.sleep(0.01)\n'next cell ok'")
    assert reply["status"] == "ok" and ("execute_result", "'next cell ok'") in outputs
    reply, outputs = _run(kc, "import loop_magic\nloop_magic.last_run().interrupted")
    assert ("execute_result", "False") in outputs


@pytest.mark.parametrize("mode", ["tinyloop", "generator", "asyncio"])
def test_live_timeline_appears_while_the_run_goes_on(kernel, mode):
    # The asyncio backend's loop reports from its worker thread: the live view must work from there too.
    km, kc = kernel
    msg_id = kc.execute(
        f"%%tinyloop --mode {mode}\nfor i in range(6):\n    print(i)\n    await asyncio.sleep(0.1)\n'done'"
    )
    order = []
    while True:
        msg = kc.get_iopub_msg(timeout=30)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            break
        if kind == "stream":
            order.append(("stream", content["text"]))
        elif (
            kind in ("display_data", "update_display_data")
            and "application/vnd.jupyter.widget-view+json" in content["data"]
        ):
            order.append(("widget", kind))
        elif kind == "error":
            order.append(("error", content["ename"]))
    reply = kc.get_shell_msg(timeout=30)
    assert reply["content"]["status"] == "ok"
    assert ("error", "KeyboardInterrupt") not in order and not any(k == "error" for k, _ in order)
    first_widget = order.index(("widget", "display_data"))
    assert ("widget", "update_display_data") in order[first_widget:]  # shown while running, then completed


def _as_a_front_end_shows_it(messages: list[dict]) -> list[tuple[str, str]]:
    """The cell's outputs in the order a notebook draws them: a display is placed where it
    first appears and updated in place; a stream continues the output above it only if
    that output is a stream too, else it starts a new one below."""
    outputs: list[list[str]] = []  # [kind, text, display_id]
    for msg in messages:
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            if outputs and outputs[-1][0] == "stream":
                outputs[-1][1] += content["text"]
            else:
                outputs.append(["stream", content["text"], None])
            continue
        if kind not in ("display_data", "update_display_data", "execute_result"):
            continue
        data = content["data"]
        text = "[widget]" if "application/vnd.jupyter.widget-view+json" in data else data.get("text/plain", "")
        display_id = content.get("transient", {}).get("display_id")
        if kind == "update_display_data":
            for output in outputs:
                if output[2] == display_id:
                    output[1] = text
        else:
            outputs.append([kind, text, display_id])
    return [(kind, text) for kind, text, _ in outputs]


@pytest.mark.parametrize("mode", ["tinyloop", "generator", "asyncio"])
def test_a_long_runs_printed_lines_read_in_order_above_its_live_timeline(kernel, mode):
    km, kc = kernel
    msg_id = kc.execute(f"%%tinyloop --mode {mode}\nfor i in range(8):\n    print(i)\n    await asyncio.sleep(0.1)")
    messages = []
    while True:
        msg = kc.get_iopub_msg(timeout=30)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        messages.append(msg)
    assert kc.get_shell_msg(timeout=30)["content"]["status"] == "ok"
    shown = _as_a_front_end_shows_it(messages)
    texts = [text for _, text in shown]
    widget = texts.index("[widget]")
    summary = next(i for i, text in enumerate(texts) if text.startswith(f"{mode}: "))
    printed = "".join(text for text in texts[:summary] if text and text[0].isdigit())
    assert printed == "".join(f"{i}\n" for i in range(8)), shown  # top to bottom, in the order printed
    assert not any(text and text[0].isdigit() for text in texts[summary:])  # nothing below the live view
    assert summary < widget


def test_interrupting_a_compare_stops_it_before_the_second_run(kernel):
    km, kc = kernel

    def interrupt() -> None:
        time.sleep(0.5)
        km.interrupt_kernel()

    cell = "%%tinyloop --compare --no-timeline\nawait asyncio.sleep(30)"
    reply, outputs = _run(kc, cell, after_send=interrupt)
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
    texts = "".join(text for _, text in outputs)
    assert "── tinyloop ──" in texts and "── asyncio ──" not in texts
    assert reply["traceback"] == [
        "KeyboardInterrupt: the run was interrupted; its tasks were cancelled (the timeline shows where)"
    ]


TRACED_CALL = "import sys\nsys.settrace(lambda *args: None)\n(lambda: 'traced call returned')()"
UNTRACE = "sys.settrace(None)\n'untraced'"


@pytest.mark.parametrize("ending", ["finished", "interrupted"])
def test_a_traced_call_after_a_run_returns(ending):
    # A debugger or coverage traces calls. Taking back a stop the run had no time to
    # receive once left CPython 3.11's "async exception pending" flag set for good,
    # and the kernel's next traced call looped for ever. Its own kernel: a hang must
    # not take the others' with it.
    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=60)
    try:
        kc.execute_interactive("%load_ext loop_magic", timeout=30)
        if ending == "finished":
            reply, _ = _run(kc, "%%tinyloop --no-timeline\nawait asyncio.sleep(0.01)")
            assert reply["status"] == "ok"
        else:
            reply, _ = _run(kc, SLEEPS.format(mode="tinyloop"), after_send=lambda: (time.sleep(0.5), km.interrupt_kernel()))
            assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
        reply, outputs = _run(kc, TRACED_CALL, timeout=20)
        assert reply["status"] == "ok" and ("execute_result", "'traced call returned'") in outputs
        reply, outputs = _run(kc, UNTRACE)
        assert ("execute_result", "'untraced'") in outputs
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
