"""Scenario 7: the pages on a phone (390 px) and a desktop (1 400 px), light and dark.

Full-page screenshots of the Data, Path, Cross-validation and Compare pages go into the
session's screenshot folder for a person to look at (named by page, width and theme).  What
a screenshot cannot check by itself is checked here: the data-set picker is on the Data page
itself (a phone hides the sidebar), the Path page's metrics sit in one or two compact rows
above the figure, the charts take the page's width, and the dark theme is dark.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from st_driver import heading, open_app

pytestmark = pytest.mark.browser

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1400, "height": 900}}
PAGES = {
    "data": ("/data", "Data"),
    "path": ("/", "Lasso: the regularisation path"),
    "cv": ("/cv", "Lasso: choosing λ by cross-validation"),
    "compare": ("/compare", "Compare the models"),
}
MAX_METRIC_ROWS_ON_A_PHONE = 2  # four in view (the rest in an expander); were five rows


def open_screen(browser: Browser, app_url: str, size: dict, scheme: str) -> Page:
    context = browser.new_context(viewport=size, base_url=app_url, color_scheme=scheme)
    context.set_default_timeout(30_000)
    return context.new_page()


def whole_page_shot(page: Page, shot: Path, size: dict) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main block, not the window,
    so the window is made as tall as that block for the shot."""
    tall = page.get_by_test_id("stMain").evaluate("el => el.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(max(tall, size["height"]), 8000)})
    page.screenshot(path=str(shot))
    page.set_viewport_size(size)


def drawn(page: Page, name: str) -> list:
    """What shows that the page has drawn everything: its numbers and its charts' marks."""
    if name == "data":
        return [page.get_by_text("rows used").first]
    marks = page.get_by_test_id("stVegaLiteChart").last.locator("svg .mark-group").first
    numbers = page.get_by_test_id("stDataFrame" if name == "compare" else "stMetricValue").first
    return [numbers, marks]


def rows_of(page: Page, test_id: str) -> int:
    """How many distinct rows the elements with this test id in view occupy (not those in a
    collapsed expander: ``checkVisibility`` is false for them)."""
    return page.evaluate(
        """(id) => new Set(
            [...document.querySelectorAll(`[data-testid="${id}"]`)]
                .filter((el) => el.checkVisibility())
                .map((el) => el.getBoundingClientRect())
                .filter((box) => box.width > 0 && box.height > 0)
                .map((box) => Math.round(box.top / 8))
        ).size""",
        test_id,
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_pages_fit_the_screen_in_both_themes(
    browser: Browser, warm_app_url: str, screenshot_dir: Path, screen: str, scheme: str
):
    page = open_screen(browser, warm_app_url, SCREENS[screen], scheme)
    try:
        for name, (url, title) in PAGES.items():
            open_app(page, url, heading(page, title), *drawn(page, name))
            shot = screenshot_dir / f"screen-{name}-{screen}-{scheme}.png"
            whole_page_shot(page, shot, SCREENS[screen])
            expect(page.get_by_test_id("stException"), f"see {shot}").to_have_count(0)
            main = page.get_by_test_id("stMain").bounding_box()
            for chart in page.get_by_test_id("stVegaLiteChart").all():
                box = chart.bounding_box()
                assert box["width"] >= 0.8 * (main["width"] - 32), (
                    f"a chart on {name} is narrower than the page ({box['width']:.0f} of "
                    f"{main['width']:.0f} px); see {shot}"
                )
            if name == "data":
                picker = page.get_by_test_id("stMain").get_by_role("combobox", name="Data set")
                expect(
                    picker, f"the data-set picker is on the Data page; see {shot}"
                ).to_be_visible()
            if name == "path" and screen == "phone":
                rows = rows_of(page, "stMetric")
                assert rows <= MAX_METRIC_ROWS_ON_A_PHONE, f"{rows} rows of metrics; see {shot}"
        background = page.get_by_test_id("stApp").evaluate(
            "el => getComputedStyle(el).backgroundColor"
        )
        channels = [int(c) for c in background[background.index("(") + 1 : -1].split(",")[:3]]
        assert (sum(channels) / 3 < 100) == (scheme == "dark"), background
    finally:
        page.context.close()
