"""A notebook run in a real kernel, then exported: the timeline must survive where widgets do not.

One kernel (nbclient) runs a `%%tinyloop` cell, a `--compare` cell and a
`--no-timeline` cell. Its outputs must carry the widget view AND the static
HTML/SVG and text in the same output (JupyterLab shows the widget; nbconvert,
nbviewer and GitHub the picture; a terminal the text). Then nbconvert:

* saved without widget state (what JupyterLab saves by default): the HTML
  shows the static SVG timeline itself, lanes and wait labels included;
* saved with widget state (nbclient's default): the HTML embeds the widget's
  models, pictures included, for the html-manager to render (it comes from a
  CDN: offline that page shows no timeline, which is why (1) matters).
"""

from __future__ import annotations

import copy
import re

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
nbconvert = pytest.importorskip("nbconvert")

VIEW = "application/vnd.jupyter.widget-view+json"
WORKERS = """async def worker(name, delay):
    await asyncio.sleep(delay)
    print(name, "slept", delay)

jobs = [asyncio.create_task(worker(name, delay), name=name) for name, delay in [("alpha", 3), ("beta", 1), ("gamma", 2)]]
await asyncio.gather(*jobs)"""


@pytest.fixture(scope="module")
def executed():
    """The notebook after one run in a real kernel, with the widget state nbclient saves."""
    v4 = nbformat.v4
    nb = v4.new_notebook()
    nb.cells = [
        v4.new_code_cell("%load_ext loop_magic"),
        v4.new_code_cell("%%tinyloop --virtual-time\n" + WORKERS),
        v4.new_code_cell("%%tinyloop --virtual-time --compare generator\n" + WORKERS),
        v4.new_code_cell("%%tinyloop --no-timeline\nawait asyncio.sleep(0)"),
    ]
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=True)
    client.execute()
    return nb


def _data(cell) -> list[dict]:
    return [out.get("data", {}) for out in cell.outputs if out.output_type in ("display_data", "execute_result")]


def _visible(html: str) -> str:
    """The page without its scripts (widget state and views live in <script> tags; a reader sees the rest)."""
    return re.sub(r"<script\b.*?</script>", "", html, flags=re.S)


def test_a_run_shows_the_widget_with_the_static_picture_and_text_in_one_output(executed):
    timelines = [d for d in _data(executed.cells[1]) if VIEW in d]
    assert len(timelines) == 1, "one timeline output, the widget in it"
    bundle = timelines[0]
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="tl-svg"' in bundle["text/html"]
    assert 'data-task="alpha"' in bundle["text/html"] and 'data-label="sleep 3"' in bundle["text/html"]
    assert "event loop" in bundle["text/plain"] and "alpha" in bundle["text/plain"]


def test_compare_shows_the_aligned_view_with_divergences(executed):
    views = [d for d in _data(executed.cells[2]) if "tl-compare" in d.get("text/html", "")]
    assert len(views) == 1 and VIEW in views[0]
    html = views[0]["text/html"]
    assert html.count('class="tl-compare-side"') == 2 and 'data-diverge="1"' in html
    assert "first divergence at step" in views[0]["text/plain"]


def test_no_timeline_shows_only_the_summary(executed):
    data = _data(executed.cells[3])
    assert len(data) == 1 and "tinyloop:" in data[0]["text/plain"] and VIEW not in data[0]


def test_html_export_without_widget_state_shows_the_static_timeline(executed):
    nb = copy.deepcopy(executed)
    nb.metadata.pop("widgets", None)  # as JupyterLab saves a notebook by default
    html, _ = nbconvert.HTMLExporter().from_notebook_node(nb)
    page = _visible(html)
    assert page.count('class="tl-svg"') >= 4  # the run (both axes) and the comparison (two runs)
    for name in ("alpha", "beta", "gamma"):
        assert f'data-task="{name}"' in page
    assert 'class="tl-wait"' in page and 'data-label="sleep 2"' in page and 'data-diverge="1"' in page
    assert VIEW not in html  # no widget view left to render blank


def test_html_export_with_widget_state_embeds_the_pictures(executed):
    html, _ = nbconvert.HTMLExporter().from_notebook_node(executed)
    state = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', html, re.S)
    assert state is not None and "tl-svg" in state.group(1) and "tl-panel" in state.group(1)
    assert 'type="application/vnd.jupyter.widget-view+json"' in html


def test_the_install_turns_on_widget_state_saving_for_its_environment():
    # pyproject's data-files put the setting where JupyterLab and Notebook 7 read an
    # environment's default setting overrides (a reopened notebook then shows its timelines).
    import json
    import tomllib
    from pathlib import Path

    root = Path(__file__).parent.parent
    data_files = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    assert data_files["etc/jupyter/labconfig/default_setting_overrides.d"] == [
        "jupyter-config/tinyloop-widget-state.json"
    ]
    setting = json.loads((root / "jupyter-config" / "tinyloop-widget-state.json").read_text())
    assert setting == {"@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": True}}
