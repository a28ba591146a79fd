"""Fixtures for the browser tests: `streamlit run app.py` on a free port, Debian's Chromium.

- ``chromium``: /usr/bin/chromium, or a skip with how to install it; with ``CI=true`` a
  missing browser fails every browser test instead (CI must run them).
- ``app_url`` (session): the app served from the repo root on a free localhost port,
  healthy on ``/_stcore/health`` within ``SERVER_START_S``; stopped (its whole process
  group) at the end.  Its output goes to a temporary log, attached to every failed
  browser test's report.
- ``browser`` (session) and ``page`` (per test: a fresh context, so a fresh Streamlit
  session with empty session state), relative URLs resolved against the app;
  ``another_page()`` opens one more such page (a second visitor, e.g. for a shared link).
- ``checkpoint(name)``: a full-page screenshot into a temporary folder, then the check
  that no ``st.exception`` box (``stException``) is on the page.

The playwright sync API marks its event loop as running between calls, which would break
``asyncio.run`` in tests that happen to run while the browser is open; so these tests are
moved to the end of the run, and the session fixtures close right after them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from st_driver import open_app

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
MISSING_CHROMIUM = (
    "Chromium not found: apt-get install -y chromium (Debian) to run the browser tests"
)
SERVER_START_S = 60
VIEWPORT = {"width": 1280, "height": 900}
EXPECT_TIMEOUT_MS = 15_000
ACTION_TIMEOUT_MS = 30_000
LOG_TAIL_CHARS = 8_000
SERVER_LOG = pytest.StashKey[Path]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the browser tests last (see the module docstring); the order is otherwise kept."""
    items.sort(key=lambda item: Path(str(item.path)).resolve().is_relative_to(HERE))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    log = item.config.stash.get(SERVER_LOG, None)
    if report.failed and log is not None and log.exists():
        text = log.read_text(encoding="utf-8", errors="replace")
        report.sections.append(("streamlit server log (tail)", text[-LOG_TAIL_CHARS:]))


def ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1"}


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.exists():
        if ci():
            pytest.fail(
                f"{MISSING_CHROMIUM} (CI=true: the browser tests must run, not skip)", pytrace=False
            )
        pytest.skip(MISSING_CHROMIUM)
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except OSError:
        return False


def stop(process: subprocess.Popen) -> None:
    """Stop the server and anything it started (its own process group)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def app_url(chromium: Path, tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    pytestconfig.stash[SERVER_LOG] = log_path
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--server.address",
        "127.0.0.1",
    ]
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            deadline = time.monotonic() + SERVER_START_S
            while not healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    why = (
                        "exited"
                        if process.poll() is not None
                        else f"not healthy after {SERVER_START_S} s"
                    )
                    pytest.fail(
                        f"streamlit run app.py {why}; its log:\n{log_path.read_text()[-LOG_TAIL_CHARS:]}",
                        pytrace=False,
                    )
                time.sleep(0.25)  # polling the health endpoint of a starting server, not the page
            yield url
        finally:
            stop(process)


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Browser:
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(chromium), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


def new_page(browser: Browser, app_url: str) -> Page:
    """A page in a fresh browser context (a new Streamlit session), relative URLs on the app."""
    context = browser.new_context(viewport=VIEWPORT, base_url=app_url)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return context.new_page()


@pytest.fixture(scope="session")
def warm_app_url(browser: Browser, app_url: str) -> str:
    """``app_url`` after one session has run the app's main page.

    Until the script has run once the server does not know the pages that ``st.navigation``
    registers, so the first visit to any other page's URL shows a "Page not found" dialog
    over the right page (streamlit/streamlit#9992), which would block the first test.
    """
    first = new_page(browser, app_url)
    open_app(first, "/", first.get_by_test_id("stSidebarNav"))
    first.context.close()
    return app_url


@pytest.fixture
def page(browser: Browser, warm_app_url: str) -> Page:
    opened = new_page(browser, warm_app_url)
    yield opened
    opened.context.close()


@pytest.fixture
def another_page(browser: Browser, warm_app_url: str):
    """``another_page() -> Page``: one more visitor (a new context), e.g. to open a shared link."""
    opened: list[Page] = []

    def open_one() -> Page:
        opened.append(new_page(browser, warm_app_url))
        return opened[-1]

    yield open_one
    for one in opened:
        one.context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser-screenshots")


@pytest.fixture
def checkpoint(page: Page, screenshot_dir: Path, request: pytest.FixtureRequest):
    """``checkpoint(name) -> Path``: screenshot the whole page, then assert no exception box."""

    def take(name: str) -> Path:
        shot = screenshot_dir / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        expect(
            page.get_by_test_id("stException"), f"an exception is shown on the page; see {shot}"
        ).to_have_count(0, timeout=100)
        return shot

    return take
