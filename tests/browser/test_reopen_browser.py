"""A notebook run, saved, closed and reopened in JupyterLab 4 shows its timelines (issue 10, items 4 and 5).

The install turns on widget-state saving for its environment (pyproject's
data-files: etc/jupyter/labconfig/default_setting_overrides.d), so a saved
notebook carries its widgets' models and a reopened one draws them again,
with a new kernel that never knew them. The cells print while their live
timeline is up: the lines must read in order above it.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

pytestmark = pytest.mark.browser

CELL_RUNS = 60_000  # ms
NOTEBOOK = "reopen_demo.ipynb"
CELLS = [
    "%load_ext loop_magic",
    "%%tinyloop\nfor i in range(8):\n    print('line', i)\n    await asyncio.sleep(0.1)",
    "%%tinyloop --mode generator --virtual-time\nasync def tick(name, n):\n    for i in range(n):\n"
    "        await asyncio.sleep(1)\n    return name\n\nawait asyncio.gather(tick('a', 2), tick('b', 3))",
]


def _api(lab: dict, path: str, method: str = "GET") -> object:
    request = urllib.request.Request(
        f"{lab['url']}{path}", method=method, headers={"Authorization": f"token {lab['token']}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


def make_notebook(root) -> str:
    """The notebook this module's JupyterLab opens (conftest's `lab` calls it)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(nb, str(root / NOTEBOOK))
    return NOTEBOOK


def test_saved_closed_and_reopened_notebook_shows_its_timelines(page, lab, shot):
    run_save_close_reopen(page, lab, shot, "reopen")


def run_save_close_reopen(page, lab: dict, shot, name: str) -> None:
    """Run All, check the live cell's order, save, close (kernel shut down), reopen, check the timelines."""
    from .conftest import open_notebook

    reopen_notebook = lab["notebook"]
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.locator('li[data-command="runmenu:run-all"]').click()
    cells = page.locator(".jp-Notebook .jp-Cell")
    for k in (1, 2):
        head = cells.nth(k).locator(".tinyloop-timeline-widget .tl-widget-head")
        head.filter(has_not_text="running…").wait_for(timeout=CELL_RUNS)
        cells.nth(k).locator(".tinyloop-timeline-widget .tl-panel[data-iter]").first.wait_for(timeout=CELL_RUNS)

    # Item 4: what the live cell printed reads top to bottom, above the summary and the timeline.
    outputs = cells.nth(1).locator(".jp-OutputArea-child")
    texts = outputs.evaluate_all(
        "os => os.map(o => o.querySelector('.tinyloop-timeline-widget') ? '[widget]' : o.innerText)"
    )
    widget_at = texts.index("[widget]")
    printed = "\n".join(t for t in texts[:widget_at] if t.strip().startswith("line"))
    assert [line for line in printed.split("\n") if line.startswith("line")] == [f"line {i}" for i in range(8)], texts
    assert not any("line" in t for t in texts[widget_at + 1 :]), texts
    shot(f"{name}-before", cells.nth(1))
    # Item 6: the polling loop's panel tells its own story, not asyncio's.
    polling = cells.nth(2).locator(".tinyloop-timeline-widget .tl-panel[data-iter]").inner_text()
    assert "polls it" in polling and "_asyncio_future_blocking" not in polling and "done callback" not in polling

    page.keyboard.press("Control+s")
    saved = lab["root"] / reopen_notebook
    for _ in range(100):
        if "application/vnd.jupyter.widget-state+json" in saved.read_text():
            break
        page.wait_for_timeout(100)
    assert "application/vnd.jupyter.widget-state+json" in saved.read_text(), "widget state was not saved"

    # Closed: the page goes away and the kernel with it; then the notebook is opened again.
    page.goto(f"{lab['url']}/api/status?token={lab['token']}")
    for session in _api(lab, "/api/sessions"):
        _api(lab, f"/api/sessions/{session['id']}", method="DELETE")
    open_notebook(page, lab, reopen_notebook)
    cells = page.locator(".jp-Notebook .jp-Cell")
    for k in (1, 2):
        widget = cells.nth(k).locator(".tinyloop-timeline-widget")
        widget.locator('.tl-svg[data-axis="iteration"] .tl-bar').first.wait_for(timeout=CELL_RUNS)
        assert widget.locator(".tl-panel[data-iter]").count() == 1
    assert page.get_by_text("model not found").count() == 0
    # No "disconnected" marks: the timeline works without a kernel (its controls are linked in the browser).
    marks = (
        cells.nth(2)
        .locator(".jupyter-widgets-disconnected")
        .evaluate_all("es => es.map(e => getComputedStyle(e, '::before').content).filter(c => c && c !== 'none')")
    )
    assert marks == []
    shot(f"{name}-after", cells.nth(2))
