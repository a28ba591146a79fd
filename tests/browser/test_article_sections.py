"""The article page in a browser: every section at 1 400 px and at 390 px (a phone).

Each section (from its heading to the next) is screenshotted into a temporary folder,
named ``<width>-<section number>.png``, so a person can look at them; the test checks what
a screenshot cannot prove on its own: no exception, every chart at least 250 px wide on a
phone (not squeezed by its legend).  The disc's equal axes are checked on the chart spec
(tests/test_descent_charts.py).
"""

import pytest
from playwright.sync_api import Browser
from st_driver import heading, open_app
from test_article_page import SECTIONS  # the page's section headings, listed once

pytestmark = pytest.mark.browser

MIN_PHONE_CHART_PX = 250
TALL_VIEWPORT = {1400: 9000, 390: 20000}


@pytest.mark.parametrize("width", [1400, 390])
def test_every_section_renders_at_desktop_and_phone_width(
    browser: Browser, warm_app_url: str, tmp_path_factory, width: int
):
    shots = tmp_path_factory.mktemp(f"article-{width}")
    # tall enough for the whole page: Streamlit scrolls an inner container, not the document,
    # so sections are clipped from one viewport that holds them all
    tall = TALL_VIEWPORT[width]
    context = browser.new_context(viewport={"width": width, "height": tall}, base_url=warm_app_url)
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        open_app(page, "/descent", heading(page, SECTIONS[-1]), timeout=120_000)
        page.wait_for_timeout(1500)  # let Vega paint the last charts
        assert page.get_by_test_id("stException").count() == 0
        tops = []
        for title in SECTIONS:
            box = heading(page, title).bounding_box()
            assert box is not None, f"section {title!r} is not on the page"
            tops.append(box["y"])
        main = page.get_by_test_id("stMainBlockContainer").bounding_box()
        bottom = main["y"] + main["height"]
        assert bottom <= tall, f"the page ({bottom:.0f} px) is taller than the viewport"
        for i, (top, end) in enumerate(zip(tops, [*tops[1:], bottom], strict=True)):
            page.screenshot(
                path=str(shots / f"{width}-{i}.png"),
                clip={"x": 0, "y": top - 10, "width": width, "height": max(end - top, 50)},
            )
        charts = page.get_by_test_id("stVegaLiteChart")
        widths = [charts.nth(k).bounding_box()["width"] for k in range(charts.count())]
        assert widths, "no chart on the page"
        if width == 390:
            assert min(widths) >= MIN_PHONE_CHART_PX, widths
        print(f"screenshots: {shots}")
    finally:
        context.close()
