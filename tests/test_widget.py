"""The timeline widget, at the Python level: panels per frame, browser-side links, live refresh.

What it looks like and that scrubbing works are for a real browser; here we
check what the browser is sent: one state panel per iteration (sampled for
long runs), Play and the slider linked to the panels with jslink (so no
kernel is needed to scrub), and a picture that grows with a live trace.
"""

from __future__ import annotations

import timeline_support as ts

import loop_impl
from loop_magic.timeline import Timeline
from loop_magic.widget import MAX_FRAMES, TimelineWidget


def test_one_panel_per_iteration_linked_in_the_browser():
    tl = Timeline(ts.record(ts.main, forever=True))
    w = tl.widget()
    iterations = len(tl.layout.iterations)
    assert len(w.panels.children) == iterations and w.slider.max == w.play.max == iterations - 1
    links = {(link.source[0], link.source[1], link.target[0], link.target[1]) for link in w._links}
    assert links == {(w.play, "value", w.slider, "value"), (w.slider, "value", w.panels, "selected_index")}
    assert all(type(link).__name__ == "Link" for link in w._links)  # jslink's widget: the link lives in the browser
    first = w.panels.children[0].value
    assert 'data-iter="1"' in first and 'class="tl-ready"' in first and "main_task.step" in first
    assert "event loop → main_task.step → main → triple_task.__await__" in first


def test_long_runs_are_sampled_and_stay_small():
    w = TimelineWidget(ts.spin_trace(tasks=20, turns=600))
    assert len(w.panels.children) == MAX_FRAMES and w.slider.description == "frame (sampled)"
    assert sum(len(child.value) for child in w.panels.children) + len(w.picture.value) < 4_000_000


def test_live_trace_grows_the_picture_then_the_panels():
    rec = ts.NamingRecorder()
    loop = loop_impl.new_event_loop()
    loop.set_recorder(rec)
    w = TimelineWidget(rec.trace)
    assert "no iteration yet" in w.panels.children[0].value
    loop.run_until_complete(ts.main())
    loop.close()
    w.on_progress(rec.trace)
    assert 'class="tl-bar"' in w.picture.value and len(w.panels.children) == 1  # panels wait for the end
    w.finish()
    assert len(w.panels.children) == w.slider.max + 1 > 1


def test_outside_a_kernel_a_timeline_shows_the_static_picture_and_text():
    bundle = Timeline(ts.record(ts.main, forever=True))._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert bundle["text/html"].startswith('<div class="tinyloop-timeline"')
