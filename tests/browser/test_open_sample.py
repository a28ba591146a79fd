"""Scenario 1: a new visitor opens the app and sees a populated Path page, no upload needed.

With REGCORE_UPDATE_DOCS=1 the run also refreshes docs/path-page.png, the screenshot the
README shows (a plain run never writes into the tree).
"""

import os
import shutil
from pathlib import Path

import pytest
from path_page import LAMBDA_SLIDER, ExpectedPath, PathReading, assert_matches, design_of, title
from playwright.sync_api import Page, expect
from st_driver import open_app, slider

from regcore.datasets import SAMPLES, sample_bytes, sample_names

pytestmark = pytest.mark.browser

DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "path-page.png"
PATH_CHARTS = 1  # one figure: coefficient paths, train/test error, coefficients at the current λ
TALL_VIEWPORT = {"width": 1280, "height": 1500}  # the whole Path page up to its downloads


def test_app_opens_on_a_sample_with_the_path_charts(page: Page, checkpoint):
    first = sample_names()[0]
    charts = page.get_by_test_id("stVegaLiteChart")
    page.set_viewport_size(TALL_VIEWPORT)
    open_app(page, "/", title(page, "Lasso"), slider(page, LAMBDA_SLIDER))

    expect(charts).to_have_count(PATH_CHARTS)
    for i in range(PATH_CHARTS):  # each chart rendered: vega-lite drew its marks as SVG
        expect(charts.nth(i).locator("svg .mark-group").first).to_be_attached()
    expect(page.get_by_role("combobox", name="Data set")).to_have_value(first)
    info = SAMPLES[first]
    expected = ExpectedPath.fit(design_of(sample_bytes(first), info.target), "lasso")
    assert_matches(PathReading.read(page), expected, f"{first}, lasso, on opening")

    shot = checkpoint("path-page")
    if os.environ.get("REGCORE_UPDATE_DOCS") == "1":
        DOCS_SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, DOCS_SCREENSHOT)
