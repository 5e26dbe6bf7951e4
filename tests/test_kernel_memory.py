"""A long session in one kernel: memory stays flat, timeline widgets are released (issue 10, item 15).

A real ipykernel runs a thousand %%tinyloop cells of every kind (three modes,
failures, timeouts, interrupts). The kernel keeps the last MAX_LIVE_WIDGETS
timelines interactive and one per notebook cell; the rest become their static
picture and their models are closed.
"""

from __future__ import annotations

import time

import pytest

pytest.importorskip("ipykernel")
from jupyter_client.manager import start_new_kernel  # noqa: E402

from loop_magic.timeline import MAX_LIVE_WIDGETS  # noqa: E402

CELLS = 1000
PROBE = (
    "import ipywidgets.widgets.widget as _w, loop_magic.timeline as _t\n"
    "print(int(open('/proc/self/statm').read().split()[1]) * 4096 // 1024, len(_w._instances), _t.live_widgets())"
)
KINDS = (
    "%%tinyloop --mode tinyloop\nasync def child(i):\n    await asyncio.sleep(0)\n    return i\n"
    "values = await asyncio.gather(*(child(i) for i in range(20)))\nsum(values)",
    "%%tinyloop --mode generator\nasync def child(i):\n    await asyncio.sleep(0)\n    return i\n"
    "await asyncio.gather(*(child(i) for i in range(5)))",
    "%%tinyloop --mode asyncio\nawait asyncio.gather(*(asyncio.sleep(0) for i in range(10)))",
    "%%tinyloop\nawait asyncio.sleep(0)\nraise ValueError('a failing cell')",
    "%%tinyloop --virtual-time\nawait asyncio.sleep(3600)\n'an hour later'",
)
TIMEOUT = "%%tinyloop --timeout 0.05\nawait asyncio.sleep(10)"
INTERRUPTED = "%%tinyloop\nawait asyncio.sleep(10)"


def _execute(kc, code: str, cell_id: str | None = None, interrupt=None, timeout: float = 30) -> tuple[dict, list]:
    msg = kc.session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                             "user_expressions": {}, "allow_stdin": False, "stop_on_error": False})  # fmt: skip
    if cell_id is not None:
        msg["metadata"]["cellId"] = cell_id
    kc.shell_channel.send(msg)
    if interrupt is not None:
        interrupt()
    messages = []
    deadline = time.monotonic() + timeout
    while True:
        reply = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
            continue
        if reply["msg_type"] == "status" and reply["content"]["execution_state"] == "idle":
            break
        messages.append(reply)
    while True:  # (the reply to this request: a reply to an earlier one may still be queued)
        reply = kc.get_shell_msg(timeout=max(1.0, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
            return reply["content"], messages


def _probe(kc) -> tuple[int, int, int]:
    _, messages = _execute(kc, PROBE)
    text = "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream")
    rss_kib, widgets, live = (int(x) for x in text.split())
    return rss_kib, widgets, live


@pytest.fixture()
def kernel():
    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=60)
    try:
        _execute(kc, "%load_ext loop_magic")
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_thousand_cells_keep_memory_flat_and_widgets_bounded(kernel):
    km, kc = kernel

    def run(index: int) -> None:
        if index % 97 == 0:
            reply, _ = _execute(kc, TIMEOUT)
            assert reply["ename"] == "CellTimeout"
        elif index % 331 == 0:
            reply, _ = _execute(kc, INTERRUPTED, interrupt=lambda: (time.sleep(0.3), km.interrupt_kernel()))
            assert reply["ename"] == "KeyboardInterrupt"
        else:
            code = KINDS[index % len(KINDS)]
            reply, _ = _execute(kc, code)
            assert reply["status"] == ("error" if "raise" in code else "ok"), reply

    for index in range(1, 101):  # warm up: imports, caches, the first MAX_LIVE_WIDGETS timelines
        run(index)
    rss_before, widgets_before, live = _probe(kc)
    assert live == MAX_LIVE_WIDGETS
    for index in range(101, CELLS + 1):
        run(index)
    rss_after, widgets_after, live = _probe(kc)
    assert live == MAX_LIVE_WIDGETS
    assert widgets_after <= widgets_before * 1.2, (widgets_before, widgets_after)
    assert rss_after - rss_before < 20 * 1024, (
        f"RSS grew {(rss_after - rss_before) / 1024:.1f} MiB over {CELLS - 100} cells"
    )


def test_a_rerun_cell_releases_its_previous_timeline_and_leaves_its_picture(kernel):
    km, kc = kernel
    cell = "%%tinyloop\nawait asyncio.sleep(0)\n'ran'"
    _, first = _execute(kc, cell, cell_id="cell-a")
    _, _ = _execute(kc, cell, cell_id="cell-a")
    _, widgets_once, live = _probe(kc)
    assert live == 1  # the second run replaced the first
    for _ in range(5):
        _execute(kc, cell, cell_id="cell-a")
    _, widgets_again, live = _probe(kc)
    assert live == 1 and widgets_again == widgets_once
    # The first run's output was turned into its static picture before its models were closed.
    shown = [m for m in first if m["msg_type"] == "display_data" and "application/vnd.jupyter.widget-view+json" in m["content"]["data"]]  # fmt: skip
    assert shown
