"""The server's start (``dashboard.warmup``, run by ``streamlit run app.py`` through app.py's
``st.App`` lifespan): the first tabs, opened while it is still importing and loading the
kernels, draw the Path page, and the warm-up neither failed nor clashed with a page's own
imports (two threads importing one package at once failed with a half-initialised module
before the page waited for the warm-up's imports)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def server_log(config: pytest.Config) -> str:
    """The text of the ``app_url`` server's log (the key lives in this folder's conftest)."""
    [here] = [
        plugin
        for plugin in config.pluginmanager.get_plugins()
        if Path(getattr(plugin, "__file__", "")) == Path(__file__).with_name("conftest.py")
    ]
    return config.stash[here.SERVER_LOG].read_text(encoding="utf-8", errors="replace")


def test_first_tabs_draw_while_the_server_warms_up(page: Page, pytestconfig: pytest.Config):
    page.goto("/")
    chart = page.get_by_test_id("stVegaLiteChart").first
    expect(chart.locator("svg .mark-group").first).to_be_attached(timeout=120_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    log = server_log(pytestconfig)
    assert "warm-up" not in log and "Traceback" not in log, log[-4000:]
