"""The timeline's renderers: text lanes, static HTML/SVG, Chrome trace JSON, the Timeline object.

They all draw one layout (test_layout.py checks it); here we check that each
output shows it: every lane, the wait labels, the wake-ups, the ends, the
printed lines, with the stable classes and data attributes tests and users
select on, and that a large trace stays a reasonable size.
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET

import pytest
import timeline_support as ts

import loop_impl
import loop_magic
from loop_impl.trace import Ev
from loop_magic.chrome_trace import LOOP_TID, chrome_trace_events
from loop_magic.compare_view import CompareView
from loop_magic.layout import build_layout
from loop_magic.render_svg import render_html, render_svg
from loop_magic.render_text import render_text
from loop_magic.timeline import Timeline

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def waits():
    return build_layout(ts.record(ts.waits_main))


@pytest.fixture(scope="module")
def ends():
    return build_layout(ts.record(ts.ends_main))


# -- text ------------------------------------------------------------------------------


def test_text_has_a_row_per_lane_with_labels_and_ends(waits):
    text = render_text(waits, width=100)
    rows = {line.split("|")[0].strip(): line for line in text.splitlines() if "|" in line}
    main = f"{waits.lanes[1].name} · waits_main"
    assert set(rows) == {"event loop", main, "holder", "waiter", "reader"}
    assert "gather(2)" in rows[main]
    assert rows["holder"].endswith("| returned None")
    assert "#" in rows["holder"] and "~" in rows["event loop"]
    assert "legend:" in text


def test_text_lists_wake_ups_and_output_in_order(waits):
    text = render_text(waits)
    assert "holder woke, timer fired" in text
    assert "waiter woke, future resolved by task holder" in text
    lines = text.splitlines()
    printed = lines[lines.index("output:") + 1 :]
    assert [line.split(": ", 1)[1] for line in printed[:3]] == ["holder sleeps", "waiter got go", "read b'hi'"]


def test_text_time_axis(waits):
    text = render_text(waits, axis="time", width=80)
    assert "axis: time" in text and " ms" in text.splitlines()[1]
    assert "sleep 0.01" in text  # a 10 ms sleep is wide on the time axis


def test_text_ends(ends):
    text = render_text(ends)
    assert "| returned 42" in text and "| raised ValueError: boom" in text and "| cancelled" in text


# -- SVG and HTML ------------------------------------------------------------------------


def elements(svg: str, cls: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [el for el in root.iter() if el.get("class") == cls]


def test_svg_bars_carry_task_and_iteration(waits):
    for axis in ("iteration", "time"):
        bars = elements(render_svg(waits, axis), "tl-bar")
        drawn = sorted((el.get("data-task"), int(el.get("data-iter"))) for el in bars)
        expected = sorted((waits.lanes[b.lane].name, b.iteration) for b in waits.bars if b.kind == "step")
        assert drawn == expected


def test_svg_waits_wakes_and_ends(waits, ends):
    svg = render_svg(waits)
    labels = {(el.get("data-task"), el.get("data-label")) for el in elements(svg, "tl-wait")}
    assert ("holder", "sleep 0.01") in labels and ("reader", f"read fd {ts.FDS['reader']}") in labels
    causes = {(el.get("data-task"), el.get("data-cause")) for el in elements(svg, "tl-wake")}
    assert ("holder", "timer fired") in causes and ("waiter", "future resolved by task holder") in causes
    outcomes = {el.get("data-task"): el.get("data-outcome") for el in elements(render_svg(ends), "tl-end")}
    assert (outcomes["ok"], outcomes["boom"], outcomes["forever"]) == ("returned", "raised", "cancelled")


def test_svg_output_hover_text(waits):
    marks = elements(render_svg(waits), "tl-output")
    titles = {el.get("data-task"): el.find(f"{SVG}title").text for el in marks}
    assert "holder sleeps" in titles["holder"] and "read b'hi'" in titles["reader"]


def test_html_is_static_and_has_both_axes(waits):
    page = render_html(waits)
    assert "<script" not in page.lower()
    assert page.count("<svg") == 2 and 'data-axis="iteration"' in page and 'data-axis="time"' in page
    assert "holder sleeps" in page  # the printed lines, listed


# -- Chrome trace ------------------------------------------------------------------------


def test_chrome_trace_one_track_per_task(waits, tmp_path):
    path = Timeline(ts.record(ts.waits_main)).to_chrome_trace(str(tmp_path / "run.json"))
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    events = doc["traceEvents"]
    names = {e["tid"]: e["args"]["name"] for e in events if e["ph"] == "M" and e["name"] == "thread_name"}
    assert names[LOOP_TID] == "event loop" and len(names) == len(waits.lanes)
    steps = [e for e in events if e["ph"] == "X" and e["cat"] == "step"]
    assert len({e["tid"] for e in steps}) == len(waits.lanes) - 1  # one track per task
    assert all(e["dur"] >= 0 and e["ts"] >= 0 for e in events if e["ph"] == "X")
    waits_shown = {e["name"] for e in events if e["ph"] == "X" and e["cat"] == "wait"}
    assert {"wait: sleep 0.01", "wait: gather(2)"} <= waits_shown
    starts = {e["id"] for e in events if e["ph"] == "s"}
    assert starts and starts == {e["id"] for e in events if e["ph"] == "f"}  # every wake-up arrow has both ends
    printed = [e["args"]["text"] for e in events if e["ph"] == "i" and e["cat"] == "output"]
    assert printed == ["holder sleeps\n", "waiter got go\n", "read b'hi'\n"]


# -- Timeline ----------------------------------------------------------------------------


def test_timeline_views(waits):
    tl = Timeline(waits.trace)
    assert str(tl) == tl.text() == render_text(tl.layout)
    assert tl._repr_html_().startswith('<div class="tinyloop-timeline"')
    assert [t.place for t in tl.narration(1)][:2] == ["event loop", f"{tl.layout.lanes[1].label}.step"]
    with pytest.raises(ValueError, match="axis"):
        tl.text(axis="space")


def test_timeline_grows_with_a_live_trace():
    rec = ts.NamingRecorder()
    import loop_impl

    loop = loop_impl.new_event_loop()
    loop.set_recorder(rec)
    tl = Timeline(rec.trace)
    loop.run_until_complete(ts.main())
    first = len(tl.layout.iterations)
    loop.run_until_complete(ts.main())  # the same recorder: the trace grows
    loop.close()
    assert len(tl.layout.iterations) > first and len(tl.layout.lanes) == 5


def test_many_lanes_render_in_time_linear_in_the_lanes():
    """20,000 tasks: the pictures and the text lanes in seconds (a per-lane lookup that scanned
    every lane's cached bars made a 100k-task cell take 115 s; this bound is far above linear)."""
    run = loop_magic.run_cell("async def f(i):\n    return i\nawait asyncio.gather(*(f(i) for i in range(20_000)))", echo=False)
    layout = build_layout(run.trace)
    assert len(layout.lanes) > 20_000
    started = time.perf_counter()
    render_html(layout)
    render_svg(layout, "time")
    render_text(layout)
    elapsed = time.perf_counter() - started
    assert elapsed < 20.0, f"rendering 20k lanes took {elapsed:.1f} s"


def test_large_trace_renders_small_and_fast():
    layout = build_layout(ts.spin_trace(tasks=50, turns=700))
    started = time.perf_counter()
    page = render_html(layout)
    text = render_text(layout)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"rendering took {elapsed:.2f} s"
    assert len(page) < 3_000_000 and len(text) < 20_000
    assert 'data-count="' in page and any(int(c.split('"')[0]) > 1 for c in page.split('data-count="')[1:])
    doc = chrome_trace_events(layout)
    assert len({e["tid"] for e in doc["traceEvents"] if e.get("cat") == "step"}) == 51  # main and 50 spinners


# -- compare view ------------------------------------------------------------------------


def turns_program(first: int, second: int):
    async def spinner(turns: int) -> None:
        for _ in range(turns):
            await loop_impl.sleep(0)

    async def turns_main() -> None:
        await loop_impl.gather(spinner(first), spinner(second))

    return turns_main


def test_compare_view_aligns_and_marks_divergence():
    same = CompareView(ts.record(turns_program(1, 2)), ts.record(turns_program(1, 2)))
    assert same.verdict() == "tinyloop and asyncio ran the same tasks in the same order"
    assert "data-diverge=" not in same._repr_html_()
    other = CompareView(ts.record(turns_program(1, 2)), ts.record(turns_program(2, 1)), labels=("left", "right"))
    assert other.verdict().startswith("first divergence at step ")
    page = other._repr_html_()
    assert page.count("<svg") == 2 and 'data-side="left"' in page and 'data-side="right"' in page
    marked = [el for svg in page.split("<svg")[1:] for el in elements("<svg" + svg.split("</svg>")[0] + "</svg>", "tl-bar")
              if el.get("data-diverge") is not None]  # fmt: skip
    assert marked  # the differing steps are marked, in both runs


# -- issue 10, item 7: pictures that say the truth ----------------------------------------------------


@pytest.mark.parametrize("mode", ["tinyloop", "generator", "asyncio"])
def test_the_cells_lane_ends_with_the_value_out_shows(mode):
    result = loop_magic.run_cell("await asyncio.sleep(0)\n6 * 7", mode, echo=False)
    assert result.value == 42
    lane = next(line for line in result.timeline().text().splitlines() if "<module>" in line)
    assert lane.endswith("returned 42"), lane


def test_a_long_virtual_sleep_reads_in_plain_seconds():
    result = loop_magic.run_cell("await asyncio.sleep(3600)", echo=False, virtual_time=True)
    timeline = result.timeline()
    assert "3,600 s" in timeline.text()
    assert "e+0" not in timeline.text() and "e+0" not in timeline.html()


def test_an_empty_ready_queue_is_said_not_numbered():
    import dataclasses

    from loop_magic.widget import panel_html

    result = loop_magic.run_cell("await asyncio.sleep(0.01)", echo=False, virtual_time=True)
    frames = result.timeline().frames()
    html = panel_html(dataclasses.replace(frames[0], ready=[]), len(frames))
    ready = html[html.index("<h4>ready queue</h4>") :].split("</ol>")[0]
    assert 'style="list-style:none">empty</li>' in ready


# -- issue 10, items 6 and 8: narration in the polling loop's own words, and grammar ------------------


def _all_details(result) -> list[str]:
    from loop_magic.narration import walk

    layout = result.timeline().layout
    per_iteration = [
        t.detail for i in range(len(layout.iterations)) for t in result.timeline().narration(layout.iterations[i].n)
    ]
    return per_iteration + [t.detail for t in walk(layout)]


def test_the_polling_loop_is_narrated_in_its_own_words():
    source = (
        "async def tick(name, n):\n    for i in range(n):\n        await asyncio.sleep(1)\n    return name\n"
        "await asyncio.gather(tick('a', 1), tick('b', 2))"
    )
    result = loop_magic.run_cell(source, "generator", echo=False, virtual_time=True)
    details = _all_details(result)
    text = "\n".join(details)
    for asyncio_only in ("_asyncio_future_blocking", "done callback", "select()", "nothing was ready", "wakeup"):
        assert asyncio_only not in text, asyncio_only
    assert "An idle poll" in text and "polls it" in text
    frames = result.timeline().frames()
    for index in range(len(frames)):  # a panel that lists tasks in the queue never says nothing was there
        frame = frames[index]
        if frame.ready:
            assert "queue is empty" not in frame.line and "nothing" not in frame.line


@pytest.mark.parametrize("mode", ["tinyloop", "asyncio"])
def test_narration_grammar_and_a_cancelled_future_returns_no_result(mode):
    source = (
        "async def waiter(f):\n    try:\n        await f\n    except asyncio.CancelledError:\n        print('cancelled')\n"
        "loop = asyncio.get_running_loop()\nf = loop.create_future()\nt = asyncio.create_task(waiter(f))\n"
        "await asyncio.sleep(0)\nf.cancel()\nawait asyncio.sleep(0.01)\nawait t"
    )
    result = loop_magic.run_cell(source, mode, echo=False)
    text = "\n".join(_all_details(result))
    assert "then it nothing" not in text and "then it " not in text
    assert "the Future is done with an exception, so __await__ raises it" in text
    assert "the Future is done, so __await__ returns its result" not in text


@pytest.mark.parametrize("mode", ["tinyloop", "asyncio"])
def test_the_clean_up_after_a_deadlock_is_drawn_as_such(mode):
    source = "async def a():\n    await ev.wait()\nev = asyncio.Event()\nt = asyncio.create_task(a())\nawait t"
    result = loop_magic.run_cell(source, mode, echo=False)
    assert type(result.error).__name__ == "DeadlockError"
    html = result.timeline().html()
    svg = ET.fromstring(result.timeline().svg())
    cleanup = [bar for bar in svg.iter() if bar.get("class") == "tl-bar" and bar.get("data-cleanup")]
    assert cleanup and all("clean-up after the deadlock" in "".join(bar.itertext()) for bar in cleanup)
    assert all(
        w.get("data-cleanup")
        for w in svg.iter()
        if w.get("class") == "tl-wake" and w.get("data-iter") == cleanup[0].get("data-iter")
    )
    assert "clean-up after a deadlock: the loop cancels the stuck tasks" in html  # its own legend key
    normal = loop_magic.run_cell("await asyncio.sleep(0)", mode, echo=False).timeline()
    assert "clean-up after a deadlock" not in normal.html() and 'data-cleanup="1"' not in normal.svg()


def test_the_legend_names_only_what_the_picture_draws():
    """Issue 10, item 6: the polling loop has no select, no loop callbacks; its legend must not list them."""
    program = "async def w():\n    await asyncio.sleep(0.01)\n    print('done')\nawait asyncio.gather(w(), w())\n"
    legends = {}
    for mode in ("generator", "tinyloop"):
        run = loop_magic.run_cell(program, mode=mode, virtual_time=True, echo=False)
        assert run.error is None, run.error
        legends[mode] = run.timeline().html()
    assert "loop waits in select" not in legends["generator"] and "loop callback" not in legends["generator"]
    assert "loop waits in select" in legends["tinyloop"]
    for legend in legends.values():
        assert "step (the task runs)" in legend and "printed a line" in legend and "wake-up" in legend
        assert "step that blocked the loop" not in legend  # nothing blocked


def test_a_step_that_makes_many_tasks_is_one_short_sentence():
    """Issue 11: the first iteration of a 200-task run was one paragraph of 200 clauses
    (and of a 100k-task run, a 4.9 MB state panel)."""
    run = loop_magic.run_cell(
        "async def trivial(i):\n    return i\nawait asyncio.gather(*(trivial(i) for i in range(1000)))\n", echo=False
    )
    assert run.error is None, run.error
    details = [t.detail for t in run.timeline().narration()]
    made = [d for d in details if "(1,000 tasks)" in d]
    assert made and "which join the ready queue" in made[0], details[:5]
    assert max(len(d) for d in details) < 600, max(details, key=len)


def _watched(virtual_time: bool) -> loop_magic.RunResult:
    """A cell that sleeps, watched by a live view that takes 30 ms per update (from the run's thread)."""

    def view(trace) -> None:
        time.sleep(0.03)

    source = "for i in range(12):\n    await asyncio.sleep(0.05)"
    return loop_magic.run_cell(source, "tinyloop", echo=False, on_progress=view, virtual_time=virtual_time)


def test_the_time_axis_shows_where_the_run_waited_for_its_live_view():
    run = _watched(virtual_time=False)
    pauses = run.trace.meta["view_pauses"]
    assert len(pauses) >= 3 and all(seconds >= 0.03 for _t, seconds in pauses)
    # No step of the program ran inside a pause: it is the loop standing still.
    starts = [e.t for e in run.trace if e.kind == Ev.STEP_START]
    assert not any(t < when < t + seconds for t, seconds in pauses for when in starts)
    drawn = elements(render_svg(run.trace, "time"), "tl-view-pause")
    assert len(drawn) == len(pauses) and all(
        "the run waited" in "".join(el.itertext()) for el in drawn
    )
    assert elements(render_svg(run.trace, "iteration"), "tl-view-pause") == []  # (iterations have no time in them)
    assert "the run waited while tinyloop drew it live" in render_html(run.trace)
    exported = [e for e in chrome_trace_events(run.trace)["traceEvents"] if e.get("cat") == "paused"]
    assert len(exported) == len(pauses) and all(e["tid"] == LOOP_TID for e in exported)


def test_a_virtual_clock_stands_still_while_the_view_draws():
    run = _watched(virtual_time=True)
    assert "view_pauses" not in run.trace.meta
    assert "class=\"tl-view-pause\"" not in render_html(run.trace)
