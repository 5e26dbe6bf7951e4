"""The course in a browser tab: the JupyterLite site, built, served on 127.0.0.1, run in Chromium.

One module-scoped site (tools/lite/build.py; or TINYLOOP_LITE_SITE=path to a
site already built, for a quick rerun), served by `python -m http.server` on
127.0.0.1, and one headless Chromium (Debian's) driven by Playwright. Each
course notebook is opened in JupyterLab's UI, Run All, and checked: every cell
ran, no cell shows a traceback unless the course tags it `raises-exception`,
and where the notebook draws a timeline, its widget is there and its slider
and Play button move it. Every request the page, its workers and its service
worker make must go to 127.0.0.1: the others are refused and fail the test
(and Chromium's resolver maps every other host to nothing, in case a request
escapes the route).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
CHROMIUM = os.environ.get("TINYLOOP_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts" / "lite"
KERNEL_READY = 120_000  # ms from opening a notebook to an idle kernel (30 s measured; a loaded machine)
RUN_ALL = 120_000  # ms for Run All of one notebook
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]  # fmt: skip

pytestmark = [pytest.mark.browser, pytest.mark.lite]


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def site() -> Path:
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the JupyterLite test must run in CI: {reason}", pytrace=False)
        pytest.skip(reason)
    prebuilt = os.environ.get("TINYLOOP_LITE_SITE")
    if prebuilt:
        return Path(prebuilt)
    out = Path(tempfile.mkdtemp(prefix="tinyloop-lite-")) / "site"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(REPO / "tools" / "lite" / "build.py"), "--out", str(out)],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, f"the site did not build:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    print(f"site built in {time.monotonic() - started:.0f} s")
    return out


@pytest.fixture(scope="module")
def server(site: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "http.server did not start"
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def chromium(server: str):
    from playwright.sync_api import sync_playwright

    # Service workers' own requests are only routed with this (JupyterLite's serves the files).
    os.environ["PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"] = "1"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium):
    """A fresh context (no workspace, no kernels from before): every request off 127.0.0.1 is refused."""
    foreign: list[str] = []

    def only_loopback(route, request) -> None:
        if urlsplit(request.url).hostname == "127.0.0.1" or request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            foreign.append(request.url)
            route.abort()

    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    context.route("**/*", only_loopback)
    context.on("websocket", lambda ws: None if urlsplit(ws.url).hostname == "127.0.0.1" else foreign.append(ws.url))
    try:
        yield context.new_page()
    finally:
        context.close()
    assert not foreign, f"requests off 127.0.0.1: {foreign}"


def _cells_expected_to_raise(notebook: Path) -> set[int]:
    cells = json.loads(notebook.read_text())["cells"]
    return {i for i, c in enumerate(cells) if "raises-exception" in c.get("metadata", {}).get("tags", [])}


_PROMPTS = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]
    .map(p => p.textContent.trim())"""


def _settle(page, deadline: float) -> list[str]:
    """Wait until every code cell has run, or nothing has moved for 3 s; return the prompts."""
    last, still_since = None, time.monotonic()
    while time.monotonic() < deadline:
        prompts = page.evaluate(_PROMPTS)
        if prompts and all(any(ch.isdigit() for ch in p) for p in prompts):
            break
        if prompts != last:
            last, still_since = prompts, time.monotonic()
        elif not any("*" in p for p in prompts) and time.monotonic() - still_since > 3:
            break
        time.sleep(0.25)
    page.locator(".jp-StatusBar-Widget", has_text="Idle").first.wait_for(timeout=RUN_ALL)
    return page.evaluate(_PROMPTS)


def _menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def _run_all(page) -> float:
    """Run All, and on past the cells that raise on purpose; returns the seconds it took.

    Run All stops at a cell's error even when the course tags the cell
    `raises-exception`; a learner would go on with "Run Selected Cell and All
    Below", and so does this. A cell that raised by mistake still shows its
    traceback, which the test reports.
    """
    started = time.monotonic()
    deadline = started + RUN_ALL / 1000
    _menu(page, "Run", "Run All Cells")
    prompts = _settle(page, deadline)
    for _ in range(10):
        not_run = [i for i, p in enumerate(prompts) if not any(ch.isdigit() for ch in p)]
        if not not_run:
            break
        page.locator(".jp-Notebook .jp-CodeCell").nth(not_run[0]).locator(".jp-InputPrompt").click()
        _menu(page, "Run", "Run Selected Cell and All Below")
        prompts = _settle(page, deadline)
    return time.monotonic() - started



@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_course_notebook_runs_in_the_browser(page, site, server, notebook):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        started = time.monotonic()
        page.goto(f"{server}/lab/index.html?path={notebook.name}", timeout=KERNEL_READY)
        page.locator(".jp-StatusBar-Widget", has_text="Idle").first.wait_for(timeout=KERNEL_READY)
        ready = time.monotonic() - started
        elapsed = _run_all(page)
        print(f"{notebook.stem}: kernel ready in {ready:.0f} s, Run All in {elapsed:.1f} s")
        cells = page.locator(".jp-Notebook .jp-Cell")
        # The site's copy of the notebook (tools/lite/notebooks.py adds a note and marks cells).
        raising = _cells_expected_to_raise(site / "files" / notebook.name)
        problems = []
        for index in range(cells.count()):
            cell = cells.nth(index)
            if "jp-CodeCell" not in (cell.get_attribute("class") or ""):
                continue
            prompt = cell.locator(".jp-InputArea-prompt").text_content() or ""
            if "[ ]" in prompt or not prompt.strip():
                problems.append(f"cell {index} did not run (Run All stopped before it)")
            # textContent, not innerText (why: cells off screen are not rendered, and innerText skips them).
            text = cell.locator(".jp-OutputArea").text_content() or ""
            if "Traceback" in text and index not in raising:
                problems.append(f"cell {index}:\n{text[-1500:]}")
        assert not problems, "\n\n".join(problems)
        _check_timeline_widget(page)
    finally:
        page.screenshot(path=str(ARTIFACTS / f"{notebook.stem}.png"), full_page=True)


def _check_timeline_widget(page) -> None:
    """Where a timeline widget was drawn: the slider moves the panel, Play plays."""
    sliders = page.locator(".widget-slider")
    if sliders.count() == 0:
        return
    slider = sliders.first
    slider.scroll_into_view_if_needed()
    readout = slider.locator(".widget-readout")
    before = readout.inner_text()
    slider.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([el, before]) => el.textContent !== before", arg=[readout.element_handle(), before], timeout=10_000
    )
    # Play steps through the iterations in the page itself (jslinked: no kernel round trip).
    moved = readout.inner_text()
    play = page.locator(".widget-play button").first
    play.click()
    page.wait_for_function(
        "([el, before]) => el.textContent !== before", arg=[readout.element_handle(), moved], timeout=10_000
    )
