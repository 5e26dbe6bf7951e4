"""The timeline widget, at the Python level: panels per frame, browser-side links, live refresh.

What it looks like and that scrubbing works are for a real browser; here we
check what the browser is sent: one state panel per iteration (sampled for
long runs), Play and the slider linked to the panels with jslink (so no
kernel is needed to scrub), and a picture that grows with a live trace.
"""

from __future__ import annotations

import html
import json
import re
import time

import timeline_support as ts

import loop_impl
from loop_impl.trace import Trace
from loop_magic.layout import build_layout
from loop_magic.timeline import Timeline
from loop_magic.widget import LIVE_EVENTS, MAX_FRAMES, TimelineWidget


def test_one_panel_per_iteration_linked_in_the_browser():
    tl = Timeline(ts.record(ts.main, forever=True))
    w = tl.widget()
    iterations = len(tl.layout.iterations)
    assert len(w.panels.children) == iterations and len(w.slider.options) == w.play.max + 1 == iterations
    assert w.slider.options == tuple(str(it.n) for it in tl.layout.iterations)  # the readout is the loop's number
    links = {(link.source[0], link.source[1], link.target[0], link.target[1]) for link in w._links}
    assert links == {
        (w.play, "value", w.slider, "index"),
        (w.slider, "index", w.panels, "selected_index"),
        (w.axis, "index", w.pictures, "selected_index"),
    }
    assert all(type(link).__name__ == "Link" for link in w._links)  # jslink's widget: the link lives in the browser
    first = w.panels.children[0].value
    main_task, triple_task = tl.layout.lanes[1].name, tl.layout.lanes[2].name
    assert 'data-iter="1"' in first and 'class="tl-ready"' in first and f"{main_task}.step" in first
    assert f"event loop → {main_task}.step → main → {triple_task}.__await__" in first


def test_long_runs_are_sampled_and_stay_small():
    w = TimelineWidget(ts.spin_trace(tasks=20, turns=600))
    assert len(w.panels.children) == MAX_FRAMES and w.slider.description == "iteration (sampled)"
    pictures = sum(len(child.value) for child in w.pictures.children)
    assert sum(len(child.value) for child in w.panels.children) + pictures < 4_000_000


def test_live_trace_grows_the_picture_then_the_panels():
    rec = ts.NamingRecorder()
    loop = loop_impl.new_event_loop()
    loop.set_recorder(rec)
    w = TimelineWidget(rec.trace)
    assert "the state panels come when the run ends" in w.panels.children[0].value
    loop.run_until_complete(ts.main())
    loop.close()
    w.on_progress(rec.trace)
    assert 'class="tl-bar"' in w.pictures.children[0].value and len(w.panels.children) == 1  # panels wait for the end
    w.finish()
    assert len(w.panels.children) == len(w.slider.options) == w.play.max + 1 > 1


def test_a_live_picture_of_a_long_run_lays_out_its_latest_events_only():
    """A redraw while the run goes on costs what its window costs, not what the whole trace
    does (a 1M-switch cell spent more on redrawing than on running); the end shows everything."""
    trace = ts.spin_trace(tasks=20, turns=2000)
    assert len(trace) > 2 * LIVE_EVENTS
    w = TimelineWidget(Trace())
    w.on_progress(trace)
    assert "running… (the latest iterations)" in w.header.value
    shown = int(re.search(r"(\d+) loop iterations", w.header.value)[1])
    whole = build_layout(trace)
    assert 0 < shown < len(whole.iterations) // 2

    def drawn():
        return [int(n) for n in re.findall(r'data-iter="(\d+)"', w.pictures.children[0].value)]

    live = drawn()
    w.finish(trace)
    assert "running" not in w.header.value and f"{len(whole.iterations)} loop iterations" in w.header.value
    assert min(drawn()) == 1 < min(live) and max(live) == max(drawn())  # the end of the run, not its start


def test_outside_a_kernel_a_timeline_shows_the_static_picture_and_text():
    bundle = Timeline(ts.record(ts.main, forever=True))._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert bundle["text/html"].startswith('<div class="tinyloop-timeline"')


def test_each_panel_places_the_band_on_its_iteration_in_both_pictures():
    """The picture follows the slider through CSS alone: the shown panel's <style> moves the band."""
    tl = Timeline(ts.record(ts.main, forever=True))
    w = tl.widget()
    assert all('class="tl-cursor"' in child.value for child in w.pictures.children)
    axes = [re.search(r'data-axis="(\w+)"', child.value).group(1) for child in w.pictures.children]
    assert axes == ["iteration", "time"]
    moves = []
    for panel, it in zip(w.panels.children, tl.layout.iterations, strict=True):
        style = re.match(r"<style>(.*?)</style>", panel.value).group(1)
        assert all(f".{w.scope} .tl-cursor[data-axis={axis}]" in style for axis in axes)
        assert f'[data-iter="{it.n}"]' in style  # that iteration's steps outlined
        moves.append(float(re.search(r"translate\(([\d.]+)px", style).group(1)))
    assert moves == sorted(moves) and len(set(moves)) == len(moves)  # left to right, one place per iteration


def test_two_widgets_do_not_style_each_other():
    trace = ts.record(ts.main, forever=True)
    a, b = TimelineWidget(trace), TimelineWidget(trace)
    assert a.scope != b.scope and a.scope in a._dom_classes and f".{b.scope} " not in a.panels.children[0].value


def test_a_live_timeline_grows_then_completes(monkeypatch):
    """LiveTimeline (the magic's hook): nothing before show_after, then the widget; finish() adds the panels."""
    import loop_magic.timeline as timeline_mod

    shown = []

    class Handle:
        def update(self, bundle, raw=False):
            shown.append(("update", bundle))

    def fake_display(bundle, raw=False, display_id=False):
        shown.append(("display", bundle))
        return Handle()

    monkeypatch.setattr(timeline_mod, "_in_kernel", lambda: True)
    monkeypatch.setattr("IPython.display.display", fake_display)
    trace = ts.record(ts.main, forever=True)
    live = timeline_mod.LiveTimeline(show_after=3600)
    live.on_progress(trace)
    assert shown == [] and live.widget is None  # a short run: nothing until the end
    live.show_after = 0
    live.on_progress(trace)
    assert [kind for kind, _ in shown] == ["display"] and timeline_mod.VIEW_MIME in shown[0][1]
    assert len(live.widget.panels.children) == 1  # live: the pictures only
    live.finish(trace)
    kind, bundle = shown[-1]
    assert kind == "update" and set(bundle) == {"text/plain", "text/html", timeline_mod.VIEW_MIME}
    assert bundle[timeline_mod.VIEW_MIME] == shown[0][1][timeline_mod.VIEW_MIME]  # the same widget, completed
    assert len(live.widget.panels.children) == len(Timeline(trace).layout.iterations)
    assert "<svg" in bundle["text/html"] and "event loop" in bundle["text/plain"]


def test_showing_a_live_timeline_counts_against_its_share_of_the_run(monkeypatch):
    """A live redraw that took d seconds waits d / LIVE_SHARE before the next; the first
    showing (making the widget, displaying it) pauses the run as much, and counts too."""
    import loop_magic.timeline as timeline_mod
    from loop_magic.widget import LIVE_SHARE

    def slow_display(bundle, raw=False, display_id=False):
        time.sleep(0.2)  # a busy kernel's display: the run waits for it
        return None

    monkeypatch.setattr(timeline_mod, "_in_kernel", lambda: True)
    monkeypatch.setattr("IPython.display.display", slow_display)
    live = timeline_mod.LiveTimeline(show_after=0)
    live.on_progress(ts.record(ts.main, forever=True))
    redraws = []
    monkeypatch.setattr(live.widget, "refresh", lambda *a, **k: redraws.append(a))
    time.sleep(1.0)  # (well under 0.2 / LIVE_SHARE = 4 s)
    assert 0.2 / LIVE_SHARE > 2
    live.on_progress(ts.record(ts.waits_main))
    assert redraws == []


def test_a_100k_event_run_sends_under_3_mb_to_the_browser():
    """Everything the browser is sent for the widget (its whole model tree, as JSON) stays a few MB."""
    from ipywidgets.embed import dependency_state

    trace = ts.spin_trace(tasks=50, turns=1000)
    assert len(trace) > 100_000
    w = TimelineWidget(trace)
    size = len(json.dumps(dependency_state([w])))
    assert size < 3_000_000, f"{size / 1e6:.2f} MB"


def test_a_panel_shows_what_its_iteration_printed():
    tl = Timeline(ts.record(ts.waits_main))
    w = tl.widget()
    printed = {n: text for _t, _lane, n, text in tl.layout.outputs}
    assert len(printed) == 3, "holder, waiter and reader print, in different iterations"
    for panel, it in zip(w.panels.children, tl.layout.iterations, strict=True):
        if it.n in printed:
            assert "printed in this iteration" in panel.value and html.escape(printed[it.n].strip()) in panel.value
        else:
            assert "printed in this iteration" not in panel.value


def test_an_iteration_of_a_thousand_steps_narrates_its_first_and_counts_the_rest():
    """Issue 11: every step of a big iteration was narrated (300,000 transfers for 100k tasks)
    though a panel shows a few dozen; what is not narrated must be counted, truthfully."""
    import loop_magic
    from loop_magic.frames import SHOWN

    run = loop_magic.run_cell(
        "async def trivial(i):\n    return i\nawait asyncio.gather(*(trivial(i) for i in range(1000)))\n", echo=False
    )
    frames = run.timeline().layout.frames()
    busy = max(range(len(frames)), key=lambda k: len(run.timeline().layout.iterations[k].pops))
    (frame,) = frames.build([busy])
    pops = len(run.timeline().layout.iterations[busy].pops)
    assert pops >= 1000
    assert len(frame.narration) < 200
    assert frame.narration[-2].detail == f"runs the other {pops - SHOWN:,} entries of its ready queue the same way"
    assert frame.more["steps"] == pops - SHOWN


def test_a_drawn_timeline_leaves_no_layout_for_the_collector():
    """Issue 11 (scale): a finished cell's layout, a gigabyte for a million switches, must go
    when its Timeline goes, by reference counting; a Layout <-> Frames cycle kept it for the
    cyclic GC (the kernel held ~1 GB until some later cell)."""
    import gc

    from loop_magic.layout_model import Bar

    trace = ts.record(ts.main, forever=True)
    gc.collect()
    gc.disable()
    try:
        widget = Timeline(trace).widget()
        assert widget.panels.children
        assert not any(isinstance(o, Bar) for o in gc.get_objects())
    finally:
        gc.enable()
