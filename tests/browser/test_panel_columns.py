"""The state panel's columns hold their text in a real browser.

Seen in notebook 8 (JupyterLab, Chromium): a ready-queue entry naming a library's
callback (`CancelScope._deliver_cancellation(<anyio._backends._asyncio.CancelScope ...>)`)
has no place to break, ran out of its column and was drawn over the timer heap.
"""

from __future__ import annotations

import dataclasses

import pytest

import loop_magic
from loop_magic.widget import CSS, PANEL_CSS, panel_html

from .conftest import CHROMIUM, CHROMIUM_FLAGS

pytestmark = pytest.mark.browser

LONG = "CancelScope._deliver_cancellation(<anyio._backends._asyncio.CancelScope_object_at_0x7f2f68772700_state=cancelled>)"


def test_a_long_entry_wraps_inside_its_column(browser_available, tmp_path):
    from playwright.sync_api import sync_playwright

    result = loop_magic.run_cell("await asyncio.sleep(0.01)", echo=False, virtual_time=True)
    frames = result.timeline().frames()
    frame = dataclasses.replace(frames[0], ready=[LONG, "Task-1.wakeup"], timers=[(0.3, "timer 6 (set by Task-1)", "")])
    page_html = f"<html><body style='width:900px'><style>{CSS}{PANEL_CSS}</style>{panel_html(frame, len(frames))}</body></html>"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort())  # nothing to fetch: the page is inline
            page.set_content(page_html)
            overflow = page.evaluate(
                "() => [...document.querySelectorAll('.tl-panel .tl-cols > div')]"
                ".map(d => [d.className, d.scrollWidth - d.clientWidth]).filter(([, extra]) => extra > 1)"
            )
        finally:
            browser.close()
    assert overflow == []
