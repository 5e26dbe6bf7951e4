"""Export a run as Chrome trace JSON, which Perfetto (ui.perfetto.dev) and chrome://tracing open.

One track (a "thread", `tid`) per task, named after it, plus one for the loop:

* each step is a complete event (`"ph": "X"`) with its iteration, why it
  ran, what woke it and what it printed in `args`;
* each wait between two steps is a complete event named "wait: sleep 0.5"
  (category "wait"), so a task's track reads step, wait, step, ...;
* the loop's track holds its callbacks and its waits in select();
* wake-ups are flow arrows (`"s"` / `"f"`) from the step that resolved the
  future to the step it woke; printed lines, task ends and the loop's notes
  are instant events (`"ph": "i"`).

Times are microseconds of trace time (the format's unit).
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

from .layout import Layout, build_layout, loop_waited

__all__ = ("to_chrome_trace", "write_chrome_trace", "chrome_trace_events", "check_writable", "LOOP_TID")

LOOP_TID = 999_999  # the loop's own track (why not 0: some viewers treat thread 0 as the idle thread)
_PID = 1


def chrome_trace_events(source: Any) -> dict[str, Any]:
    """The trace as a Chrome trace document (a dict ready for json.dump)."""
    layout = source if isinstance(source, Layout) else build_layout(source)
    events: list[dict[str, Any]] = [
        {"ph": "M", "name": "process_name", "pid": _PID, "tid": LOOP_TID, "args": {"name": "tinyloop"}}
    ]
    for order, lane in enumerate(layout.lane_order()):
        tid = _tid(lane.id)
        title = "event loop" if lane.id == 0 else (f"{lane.name} ({lane.coro})" if lane.coro else lane.name)
        events.append({"ph": "M", "name": "thread_name", "pid": _PID, "tid": tid, "args": {"name": title}})
        events.append({"ph": "M", "name": "thread_sort_index", "pid": _PID, "tid": tid, "args": {"sort_index": order}})
    for bar in layout.bars:
        if bar.kind == "callback":
            name, cat, args = bar.desc.split("(", 1)[0], "callback", {"callback": bar.desc}
        else:
            name, cat = layout.lanes[bar.lane].name, "step"
            args = {"why": bar.why}
            if bar.cause:
                args["woken by"] = bar.cause
            if bar.wait:
                args["then waits on"] = bar.wait
            if bar.end:
                args["ended"] = f"{bar.end} {bar.end_detail}"
        args["iteration"] = bar.iteration
        if bar.outputs:
            args["printed"] = "".join(bar.outputs)
        if bar.blocked:
            args["blocked the loop (s)"] = bar.blocked
        events.append(_complete(name, cat, bar.lane, bar.t0, bar.t1, args))
    for gap in layout.gaps:
        t1 = gap.after.t0 if gap.after is not None else layout.t_end
        args = {"woken by": gap.cause or ("still waiting at the end" if gap.after is None else "")}
        name = "queued (bare yield)" if gap.label == "ready" else f"wait: {gap.label}"
        events.append(_complete(name, "wait", gap.lane, gap.before.t1, t1, args))
    for it in layout.iterations:
        if loop_waited(it):
            timeout = "until an fd is ready" if it.select_timeout is None else f"{it.select_timeout:.6g} s"
            args = {"timeout": timeout, "iteration": it.n}
            events.append(_complete("select", "select", 0, it.t0, it.wait_t1, args))
    for t0, t1 in layout.view_pauses:  # not the program's: the loop stood still while tinyloop drew it
        events.append(_complete("tinyloop drew the live view", "paused", 0, t0, t1, {}))
    for k, wake in enumerate(layout.wakes, 1):
        src = wake.source
        src_lane, src_t = (src.lane, src.t1) if src is not None else (0, wake.t)
        common = {"name": wake.cause, "cat": "wake", "id": k, "pid": _PID}
        events.append({**common, "ph": "s", "tid": _tid(src_lane), "ts": _us(min(src_t, wake.target.t0))})
        events.append({**common, "ph": "f", "bp": "e", "tid": _tid(wake.target.lane), "ts": _us(wake.target.t0)})
    for t, lane, n, text in layout.outputs:
        events.append(_instant("print", "output", lane, t, {"text": text, "iteration": n}))
    for lane in layout.lane_order():
        if lane.end:
            events.append(_instant(f"{lane.end} {lane.end_detail}".strip(), "end", lane.id, lane.end_t, {}))
    for t, n, text in layout.notes:
        events.append(_instant("note", "note", 0, t, {"text": text, "iteration": n}))
    return {"traceEvents": events, "displayTimeUnit": "ms", "otherData": {"producer": "tinyloop"}}


def to_chrome_trace(source: Any, path: str) -> str:
    """Write the trace (or layout) as Chrome trace JSON to `path`; returns the path.

    The JSON goes to a temporary file beside `path`, renamed over it once
    complete (why: an interrupt or an error half-way must not leave an
    earlier export truncated; the file is either the old one or the new one).
    """
    check_writable(path)
    document = chrome_trace_events(source)
    fd, temporary = tempfile.mkstemp(prefix=".tinyloop-", suffix=".json", dir=os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(document, f, separators=(",", ":"))
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return path


def check_writable(path: str) -> None:
    """Raise ValueError, saying why, if a trace cannot be written to `path` (checked before a run)."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise ValueError(f"cannot write the trace to {path!r}: it is a directory")
    if not os.path.isdir(folder):
        raise ValueError(f"cannot write the trace to {path!r}: there is no directory {folder!r}")
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise ValueError(f"cannot write the trace to {path!r}: permission denied")


write_chrome_trace = to_chrome_trace  # the name loop_magic.result uses


def _tid(lane_id: int) -> int:
    return lane_id or LOOP_TID


def _us(seconds: float) -> float:
    return round(seconds * 1e6, 3)


def _complete(name: str, cat: str, lane: int, t0: float, t1: float, args: dict) -> dict[str, Any]:
    return {"ph": "X", "name": name, "cat": cat, "pid": _PID, "tid": _tid(lane), "ts": _us(t0), "dur": _us(max(t1 - t0, 0.0)), "args": args}  # fmt: skip


def _instant(name: str, cat: str, lane: int, t: float, args: dict) -> dict[str, Any]:
    return {"ph": "i", "s": "t", "name": name, "cat": cat, "pid": _PID, "tid": _tid(lane), "ts": _us(t), "args": args}  # fmt: skip
