"""One JupyterLab 4 server and one headless Chromium page for the whole browser session.

What the fixtures give the tests (tests/browser/test_timeline_browser.py):

* `lab`: a JupyterLab server on 127.0.0.1 (a free port, a token, every Jupyter
  directory in a temp dir, the news and update checks off), serving a copy of
  timeline_demo.ipynb. Started once: most of a browser test's time is
  JupyterLab starting and loading (why one per session).
* `page`: Debian's chromium driven by Playwright, the notebook open and its
  kernel idle. Every request is routed through a check: one that is not for
  127.0.0.1 is refused and recorded (WebSockets, which routes do not see,
  are checked by address), and the session fails on it.
* `shot(name)`: a screenshot in test-artifacts/browser/ (CI keeps the folder).

When the browser is missing: outside CI the tests are skipped with the reason;
in CI (`CI` set) that is an error, since .ci/run installs chromium.
Every wait has a timeout; the server is stopped with SIGTERM (it shuts its
kernel down; killing the process group would orphan it).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

HERE = Path(__file__).parent
NOTEBOOK = HERE / "timeline_demo.ipynb"
WIDGET_STATE_SETTING = HERE.parent.parent / "jupyter-config" / "tinyloop-widget-state.json"
ARTIFACTS = HERE.parent.parent / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("TINYLOOP_CHROMIUM", "/usr/bin/chromium")
SERVER_START = 90  # seconds for JupyterLab to answer /api/status (a loaded 2-core machine)
PAGE_LOAD = 90_000  # ms for the lab page and the kernel (JupyterLab's page load is the slow part)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

TIMINGS: dict[str, float] = {}  # "server start", "last screenshot": perf_counter() stamps (reported at the end)


def _missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def browser_available() -> None:
    reason = _missing_browser()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status_ok(url: str, token: str) -> bool:
    request = urllib.request.Request(f"{url}/api/status", headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


# Module scope, not session (why: Playwright's sync API keeps an asyncio loop
# running in the main thread while it lives; later tests call asyncio.run()).
@pytest.fixture(scope="module")
def lab(browser_available: None, request: pytest.FixtureRequest) -> dict:
    """A JupyterLab server on 127.0.0.1 serving a copy of the demo notebook (or the one the
    test module's `make_notebook(root)` writes); stopped at the end."""
    temp = Path(tempfile.mkdtemp(prefix="tinyloop-lab-"))
    root, home = temp / "root", temp / "home"
    root.mkdir()
    make_notebook = getattr(request.module, "make_notebook", None)
    if make_notebook is not None:
        notebook = make_notebook(root)
    else:
        shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
        notebook = NOTEBOOK.name
    settings = home / "settings"
    notification = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    # Else a "Jupyter news" toast covers the notebook.
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # What the install puts in the environment's etc/jupyter (pyproject's data-files; an
    # editable install skips data files, so it is laid out here the same way).
    overrides = home / "env-config" / "labconfig" / "default_setting_overrides.d"
    overrides.mkdir(parents=True)
    shutil.copy(WIDGET_STATE_SETTING, overrides / WIDGET_STATE_SETTING.name)
    env = dict(
        os.environ,
        JUPYTER_CONFIG_PATH=str(home / "env-config"),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_DATA_DIR=str(home / "data"),
        IPYTHONDIR=str(home / "ipython"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
    )
    # The kernel is this interpreter (why: the venv under test, with loop_magic installed).
    kernels = home / "data" / "kernels" / "python3"
    kernels.mkdir(parents=True)
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "Python 3", "language": "python"}  # fmt: skip
    (kernels / "kernel.json").write_text(json.dumps(spec))
    port, token = _free_port(), os.urandom(16).hex()
    url = f"http://127.0.0.1:{port}"
    log = open(temp / "server.log", "wb")
    started = time.perf_counter()
    TIMINGS["server start"] = started
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            getattr(request.module, "APP", "jupyterlab"),  # (a module may ask for Notebook 7: "notebook")
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={port}",
            "--port-retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],  # fmt: skip
        env=env,
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        while not _status_ok(url, token):
            if server.poll() is not None or time.perf_counter() - started > SERVER_START:
                log.flush()
                tail = (temp / "server.log").read_text(errors="replace")[-3000:]
                pytest.fail(f"JupyterLab did not start within {SERVER_START} s:\n{tail}", pytrace=False)
            time.sleep(0.25)
        app = getattr(request.module, "APP", "jupyterlab")
        yield {"url": url, "token": token, "root": root, "notebook": notebook, "log": temp / "server.log", "app": app}
    finally:
        server.send_signal(signal.SIGTERM)  # it shuts its kernels down
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()
        shutil.rmtree(temp, ignore_errors=True)


@pytest.fixture(scope="module")
def page(lab: dict):
    """Chromium with the notebook open and its kernel idle; fails the session on any non-local request."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    foreign: list[str] = []

    def only_loopback(route, request) -> None:
        if urlsplit(request.url).hostname == "127.0.0.1" or request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            foreign.append(request.url)
            route.abort()

    profile = tempfile.mkdtemp(prefix="tinyloop-chromium-")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000},
            service_workers="block",  # else their requests would bypass the route below
        )
        try:
            context.route("**/*", only_loopback)
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(30_000)
            page.foreign_requests = foreign
            # WebSockets (the kernel's channels) are not routed: their addresses are checked instead.
            page.on(
                "websocket", lambda ws: None if urlsplit(ws.url).hostname == "127.0.0.1" else foreign.append(ws.url)
            )
            open_notebook(page, lab, lab["notebook"])
            yield page
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)
    assert not foreign, f"requests left 127.0.0.1: {foreign}"


def _kernel_idle(lab: dict, name: str) -> bool:
    request = urllib.request.Request(f"{lab['url']}/api/sessions", headers={"Authorization": f"token {lab['token']}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        sessions = json.loads(response.read())
    return any(s["path"].endswith(name) and s["kernel"]["execution_state"] == "idle" for s in sessions)


def open_notebook(page, lab: dict, name: str) -> None:
    """Open a notebook and wait until its kernel is attached and idle (JupyterLab or Notebook 7)."""
    if lab.get("app") == "notebook":
        page.goto(f"{lab['url']}/notebooks/{name}?token={lab['token']}", timeout=PAGE_LOAD)
        page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=PAGE_LOAD)
        # Notebook 7 may ask which kernel to start; it has no status bar, so the server says when it is idle.
        select = page.get_by_role("button", name="Select", exact=True)
        deadline = time.monotonic() + PAGE_LOAD / 1000
        while not _kernel_idle(lab, name):
            if select.is_visible():
                select.click()
            assert time.monotonic() < deadline, "the notebook's kernel did not start"
            page.wait_for_timeout(250)
        return
    page.goto(f"{lab['url']}/lab/tree/{name}?token={lab['token']}", timeout=PAGE_LOAD)
    # The toolbar says idle before a kernel is attached; the status bar's "| Idle" means attached.
    page.locator(".jp-StatusBar-Widget >> text=/\\| Idle/").first.wait_for(timeout=PAGE_LOAD)


@pytest.fixture
def shot(page, request):
    """shot(name): save a screenshot of the page (or of an element) in test-artifacts/browser/."""

    def take(name: str, element=None) -> Path:
        path = ARTIFACTS / f"{name}.png"
        (element or page).screenshot(path=str(path))
        TIMINGS["last screenshot"] = time.perf_counter()
        return path

    yield take
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:  # inside the `with sync_playwright()` block (the page still lives)
        page.screenshot(path=str(ARTIFACTS / f"failure-{request.node.name}.png"), full_page=True)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


def pytest_terminal_summary(terminalreporter) -> None:
    if "server start" in TIMINGS and "last screenshot" in TIMINGS:
        took = TIMINGS["last screenshot"] - TIMINGS["server start"]
        terminalreporter.write_line(f"browser tests: JupyterLab start to last screenshot {took:.1f} s")
