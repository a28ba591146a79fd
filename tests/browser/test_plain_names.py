"""Column names from a file are text everywhere: no Markdown, no autolinks (issue 17).

tests/data/url_markdown_names.csv has the columns ``https://example.com/a_b``,
``[link](http://evil.example)``, ``*x*_`y``` and ``www.example.org`` (the last is the default
target).  Wherever the pages show them (the sidebar's status line, the Data page, the Path
page), they must read exactly as written, with no link, emphasis or code markup made of them.
"""

import re
from pathlib import Path

import pytest
from path_page import title
from playwright.sync_api import Page, expect
from st_driver import alerts, choose, heading, nav_link, open_app, rerun, upload

pytestmark = pytest.mark.browser

NAMES = Path(__file__).resolve().parents[1] / "data" / "url_markdown_names.csv"
TARGET_BOX = "Target (what to predict)"


def as_written(text: str) -> re.Pattern:
    """``text`` character for character (an invisible word joiner may stand where a link would start)."""
    return re.compile("\u2060?".join(map(re.escape, text)))


def assert_no_markup_from_names(page: Page) -> None:
    expect(page.locator("a[href*='example']")).to_have_count(0)
    markdown = page.get_by_test_id("stMarkdownContainer")
    for tag in ("em", "strong", "code"):
        expect(markdown.locator(tag).filter(has_text="x")).to_have_count(0)


def test_names_holding_urls_and_markdown_render_as_plain_text(page: Page, checkpoint):
    open_app(page, "/data", heading(page, "Data"))
    upload(page, NAMES, alerts(page, "Success"))
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text(as_written("target www.example.org"))).to_be_visible()
    assert_no_markup_from_names(page)
    checkpoint("default-target")

    with rerun(page, sidebar.get_by_text(as_written("target [link](http://evil.example)")).first):
        choose(page, TARGET_BOX, "[link](http://evil.example)")
    assert_no_markup_from_names(page)
    checkpoint("markdown-link-target")

    with rerun(page, title(page, "Lasso")):
        nav_link(page, "Path").click()
    expect(sidebar.get_by_text(as_written("target [link](http://evil.example)"))).to_be_visible()
    assert_no_markup_from_names(page)
    checkpoint("path-page")
