"""The same run, save, close and reopen as test_reopen_browser.py, in Notebook 7 (issue 10, item 5).

Notebook 7 reads the same environment setting overrides as JupyterLab (both
are jupyterlab_server applications), so the widget-state saving the install
turns on works there too: checked, not assumed.
"""

from __future__ import annotations

import pytest

from .test_reopen_browser import make_notebook as _make_notebook
from .test_reopen_browser import run_save_close_reopen

pytestmark = pytest.mark.browser
pytest.importorskip("notebook", reason="Notebook 7 is not installed (pip install -e '.[test]')")

APP = "notebook"  # conftest's server: Notebook 7 instead of JupyterLab


def make_notebook(root) -> str:
    return _make_notebook(root)


def test_saved_closed_and_reopened_notebook_shows_its_timelines_in_notebook_7(page, lab, shot):
    run_save_close_reopen(page, lab, shot, "reopen-notebook7")
