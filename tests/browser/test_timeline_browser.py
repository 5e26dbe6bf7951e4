"""The timeline in a real browser: JupyterLab 4, headless Chromium, the demo notebook run once.

timeline_demo.ipynb has four code cells: `%load_ext loop_magic`; three named
workers sleeping 0.03 / 0.01 / 0.02 s under `%%tinyloop`; the same cell with
`--compare generator` (the polling loop runs the steps in another order);
and two tickers that run for 2.5 s, to watch a timeline grow.

What a person would check, checked by the page: the live timeline appears
while its cell still runs and is complete at the end; lanes carry the task
names, bars, labelled waits, wake-up arrows and ends; the slider (keyboard
on its handle) changes the state panel and moves the band on the picture;
the axis switch shows the time axis; Play steps through with no kernel at
all (it is shut down first); the compare view marks divergent steps; no
request leaves 127.0.0.1. Screenshots go to test-artifacts/browser/.

The tests share one page and run in file order (each leaves the page as the
next expects); the fixtures are in conftest.py.
"""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

pytestmark = pytest.mark.browser

RUN_ALL = 'li[data-command="runmenu:run-all"]'
CELL_RUNS = 60_000  # ms for a cell's outputs to appear (a kernel on a loaded machine)


def cell(page, k: int):
    return page.locator(".jp-Notebook .jp-Cell").nth(k)


def widget(page, k: int):
    return cell(page, k).locator(".tinyloop-timeline-widget")


def panel_state(w) -> tuple[str, str]:
    """(data-iter, text) of the state panel shown (a Stack shows only its selected child)."""
    panel = w.locator(".tl-panel[data-iter]")
    return panel.get_attribute("data-iter"), panel.inner_text()


def cursor_transform(w) -> str:
    return w.locator('.tl-svg[data-axis="iteration"] .tl-cursor').evaluate("e => getComputedStyle(e).transform")


@pytest.fixture(scope="module")
def ran(page):
    """Run All, once for the module; the tests wait for the cells they look at."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.locator(RUN_ALL).click()
    return page


def test_live_timeline_appears_while_the_cell_runs_then_completes(ran, shot):
    page = ran
    live = widget(page, 4)
    head = live.locator(".tl-widget-head")
    # Shown and growing while the cell runs ("running…"), the prompt still [*].
    head.filter(has_text="running…").wait_for(timeout=CELL_RUNS)
    assert cell(page, 4).locator(".jp-InputPrompt").inner_text().strip() == "[*]:"
    early = live.locator('.tl-svg[data-axis="iteration"] .tl-bar').count()
    live.scroll_into_view_if_needed()
    shot("live-running", live)
    head.filter(has_not_text="running…").wait_for(timeout=CELL_RUNS)
    done = live.locator('.tl-svg[data-axis="iteration"] .tl-bar').count()
    assert done > early, "the picture grew while the run went on"
    # The panels come with the end (the header and the panel stack are synced
    # separately, so wait for the panel rather than count it at once).
    live.locator(".tl-panel[data-iter]").first.wait_for(timeout=CELL_RUNS)
    assert live.locator(".tl-panel[data-iter]").count() == 1, "one panel shown at a time"
    tasks = live.locator('.tl-svg[data-axis="iteration"] .tl-lane').evaluate_all("gs => gs.map(g => g.dataset.task)")
    assert tasks[0] == "event loop" and tasks[1:] == ["Task-1", "Task-2", "Task-3"]


def test_a_live_runs_time_axis_shows_where_it_waited_for_its_picture(ran, shot):
    """The live timeline drew from the run's thread: the time axis marks those pauses, the
    legend says what they are, and the summary line counts their time apart."""
    w = widget(ran, 4)
    w.locator(".tl-panel[data-iter]").first.wait_for(timeout=CELL_RUNS)
    assert "live view" in cell(ran, 4).locator(".jp-OutputArea").inner_text()
    w.locator(".tl-axis-switch button", has_text="time").click()
    time_svg = w.locator('.tl-svg[data-axis="time"]')
    time_svg.wait_for(state="visible", timeout=5_000)
    pauses = time_svg.locator(".tl-view-pause")
    assert pauses.count() >= 1
    assert "the run waited" in pauses.first.locator("title").text_content()
    box = pauses.first.bounding_box()
    assert box is not None and box["width"] >= 1 and box["height"] > 20  # drawn across the lanes
    assert "tinyloop drew it live" in w.locator(".tl-legend").inner_text()
    shot("live-pauses", w)
    w.locator(".tl-axis-switch button", has_text="loop iterations").click()
    w.locator('.tl-svg[data-axis="iteration"]').wait_for(state="visible", timeout=5_000)
    assert w.locator('.tl-svg[data-axis="iteration"] .tl-view-pause').count() == 0


def test_timeline_renders_lanes_bars_waits_and_ends(ran, shot):
    page = ran
    w = widget(page, 2)
    w.locator(".tl-panel[data-iter]").wait_for(timeout=CELL_RUNS)
    w.scroll_into_view_if_needed()
    svg = w.locator('.tl-svg[data-axis="iteration"]')
    tasks = svg.locator(".tl-lane").evaluate_all("gs => gs.map(g => g.dataset.task)")
    assert tasks == ["event loop", "Task-1", "alpha", "beta", "gamma"]
    for name in ("alpha", "beta", "gamma"):
        assert svg.locator(f'.tl-bar[data-task="{name}"]').count() == 2  # the first step, the one after its sleep
        assert svg.locator(f'.tl-end[data-task="{name}"][data-outcome="returned"]').is_visible()
    labels = svg.locator(".tl-gap-label").evaluate_all("ts => ts.map(t => t.textContent)")  # SVG: no innerText
    assert {"sleep 0.01", "sleep 0.02", "sleep 0.03", "gather(3)"} <= set(labels)
    assert svg.locator('.tl-wake[data-cause="timer fired"]').count() == 3
    assert svg.locator(".tl-axis-title").text_content() == "loop iteration →"
    # Hover text: what a step printed (SVG <title>, the browser's tooltip).
    printed = svg.locator('.tl-output[data-task="alpha"] title').text_content()
    assert "alpha slept 0.03" in printed
    assert "step (the task runs)" in w.locator(".tl-legend").inner_text()
    # Nothing cut off: the picture fits the output area.
    area = cell(page, 2).locator(".jp-OutputArea").bounding_box()
    box = svg.bounding_box()
    assert box["x"] >= area["x"] - 1 and box["x"] + box["width"] <= area["x"] + area["width"] + 1
    shot("timeline", w)


def test_slider_changes_the_state_panel_and_moves_the_band(ran, shot):
    w = widget(ran, 2)
    before_iter, before_text = panel_state(w)
    before_band = cursor_transform(w)
    # Scrub to the iteration in which beta printed (its green dot says which).
    target = w.locator('.tl-svg[data-axis="iteration"] .tl-output[data-task="beta"]').get_attribute("data-iter")
    assert int(target) > int(before_iter)
    handle = w.locator(".widget-slider .noUi-handle")
    readout = w.locator(".widget-slider .widget-readout")
    handle.focus()
    for _ in range(20):
        if readout.inner_text().strip() == target:
            break
        handle.press("ArrowRight")
    w.locator(f'.tl-panel[data-iter="{target}"]').wait_for(timeout=5_000)
    after_iter, after_text = panel_state(w)
    assert after_text != before_text and f"Iteration {after_iter} of" in after_text
    assert "printed in this iteration" in after_text.lower() and "beta: beta slept 0.01" in after_text
    assert cursor_transform(w) != before_band, "the band follows the slider"
    outlined = w.locator(f'.tl-svg[data-axis="iteration"] .tl-bar[data-task="beta"][data-iter="{target}"]')
    assert outlined.evaluate("e => getComputedStyle(e).strokeWidth") == "1.5px", "that iteration's step is outlined"
    shot("slider", w)


def test_stepping_keeps_the_widget_one_size(ran, shot):
    """Panels say more in some iterations than in others; stepping must not make the widget,
    and the page under it, jump (every panel is one height and scrolls inside)."""
    w = widget(ran, 2)
    handle = w.locator(".widget-slider .noUi-handle")
    readout = w.locator(".widget-slider .widget-readout")
    handle.focus()
    for _ in range(30):
        handle.press("ArrowLeft")
    heights, seen = set(), set()
    for _ in range(30):
        seen.add(readout.inner_text().strip())
        ran.wait_for_timeout(50)
        heights.add(round(w.bounding_box()["height"]))
        handle.press("ArrowRight")
    shot("stepping", w)
    for _ in range(30):
        handle.press("ArrowLeft")  # (back to the start: Play, later, steps forward from here)
    assert len(seen) > 3, seen
    assert len(heights) == 1, f"the widget's height changed while stepping: {sorted(heights)}"


def test_axis_switch_shows_the_time_axis(ran, shot):
    w = widget(ran, 2)
    w.locator(".tl-axis-switch button", has_text="time").click()
    time_svg = w.locator('.tl-svg[data-axis="time"]')
    time_svg.wait_for(state="visible", timeout=5_000)
    assert w.locator('.tl-svg[data-axis="iteration"]').count() == 0  # a Stack shows one child
    assert time_svg.locator(".tl-axis-title").text_content() == "time →"
    assert any(t.endswith("ms") for t in time_svg.locator(".tl-tick").evaluate_all("ts => ts.map(t => t.textContent)"))
    shot("time-axis", w)
    w.locator(".tl-axis-switch button", has_text="loop iterations").click()
    w.locator('.tl-svg[data-axis="iteration"]').wait_for(state="visible", timeout=5_000)


def test_compare_view_marks_the_divergent_steps(ran, shot):
    page = ran
    view = cell(page, 3).locator(".tinyloop-compare-widget")
    view.wait_for(timeout=CELL_RUNS)
    view.scroll_into_view_if_needed()
    sides = view.locator(".tl-compare-side").evaluate_all("ds => ds.map(d => d.dataset.side)")
    assert sides == ["tinyloop", "generator"]
    assert view.locator('.tl-bar[data-diverge="1"]').count() > 0
    assert "first divergence at step" in view.locator(".tl-head").inner_text()
    step = view.locator(".tl-compare-step")
    first = step.inner_text()
    handle = view.locator(".widget-slider .noUi-handle")
    handle.focus()
    for _ in range(5):
        handle.press("ArrowRight")
    view.locator('.tl-compare-step[data-step="6"]').wait_for(timeout=5_000)
    assert step.inner_text() != first
    shot("compare", view)


def test_compare_colours_match_their_own_legend_swatch(ran):
    # Issue 10, item 7: a divergent step has its own colour and swatch, not one that reads as "blocked the loop".
    view = cell(ran, 3).locator(".tinyloop-compare-widget")
    view.wait_for(timeout=CELL_RUNS)
    diverge = view.locator('.tl-bar[data-diverge="1"]').first.evaluate("e => getComputedStyle(e).fill")
    swatches = dict(
        view.locator(".tl-legend > span").evaluate_all(
            "ss => ss.filter(s => s.querySelector('i')).map(s => [s.innerText.trim(), getComputedStyle(s.querySelector('i')).backgroundColor])"
        )
    )
    assert swatches["step where the two runs ran different tasks"] == diverge
    others = {
        text: colour for text, colour in swatches.items() if text != "step where the two runs ran different tasks"
    }
    assert diverge not in others.values(), (diverge, others)


def test_play_steps_through_with_no_kernel(ran, lab, shot):
    page = ran
    # Shut every kernel down: what moves now moves in the browser alone.
    headers = {"Authorization": f"token {lab['token']}"}
    with urllib.request.urlopen(urllib.request.Request(f"{lab['url']}/api/kernels", headers=headers), timeout=10) as r:
        kernels = json.load(r)
    for kernel in kernels:
        request = urllib.request.Request(f"{lab['url']}/api/kernels/{kernel['id']}", method="DELETE", headers=headers)
        urllib.request.urlopen(request, timeout=30).close()
    page.locator(".jp-StatusBar-Widget >> text=/\\| (No Kernel|Unknown|Dead|Disconnected)/").first.wait_for(
        timeout=30_000
    )
    w = widget(page, 2)
    w.scroll_into_view_if_needed()
    start, _ = panel_state(w)
    w.locator(".widget-play button").first.click()  # Play
    seen = [start]
    deadline = time.monotonic() + 15
    while len(set(seen)) < 4 and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        seen.append(panel_state(w)[0])
    shot("play", w)
    w.locator(".widget-play button").nth(1).click()  # Stop
    steps = [int(s) for k, s in enumerate(seen) if k == 0 or s != seen[k - 1]]
    assert len(steps) >= 4, f"Play moved through {steps}"
    assert steps == sorted(steps), f"Play went forwards: {steps}"


def test_no_request_left_127_0_0_1(ran):
    assert ran.foreign_requests == []
