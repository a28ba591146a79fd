"""Scenario 5: the address bar is a shareable link; opening it shows the same model and λ.

A second visitor (a new browser context, so a new Streamlit session with nothing in its
state) opens the URL the first one sees, after choosing a sample, a model, α and λ, and
after a model switch alone; and a link written by hand from regcore's own λ grid.
"""

from urllib.parse import urlencode

import pytest
from path_page import (
    ALPHA_SLIDER,
    LAMBDA_SLIDER,
    ExpectedPath,
    PathReading,
    alpha_shown,
    assert_matches,
    design_of,
    press_on_slider,
    switch_model,
    title,
)
from playwright.sync_api import Page, expect
from st_driver import choose, open_app, rerun, slider, slider_index

from regcore.datasets import SAMPLES, sample_bytes

pytestmark = pytest.mark.browser

SAMPLE = "Diabetes"
HAND_WRITTEN_INDEX = 30


def view(page: Page) -> dict:
    """What a shared link must reproduce: data set, page title, model, α, λ and every number."""
    shown = {
        "data set": page.get_by_role("combobox", name="Data set").input_value(),
        "title": page.get_by_role("heading", level=1).inner_text(),
        "model": page.get_by_role("radiogroup", name="Model")
        .get_by_role("radio", checked=True)
        .locator("xpath=ancestor::label")
        .inner_text(),
        "λ index": slider_index(page, LAMBDA_SLIDER),
        "metrics": page.get_by_test_id("stMetric").all_inner_texts(),
    }
    if slider(page, ALPHA_SLIDER).count():
        shown["α"] = slider(page, ALPHA_SLIDER).get_attribute("aria-valuetext")
    return shown


def reopened(another_page, url: str) -> dict:
    visitor = another_page()
    open_app(visitor, url, visitor.get_by_role("heading", level=1), slider(visitor, LAMBDA_SLIDER))
    return view(visitor)


def test_a_shared_link_opens_the_same_model_and_lambda(page: Page, another_page, checkpoint):
    design = design_of(sample_bytes(SAMPLE), SAMPLES[SAMPLE].target)

    open_app(page, "/", title(page, "Lasso"))
    with rerun(page):
        choose(page, "Data set", SAMPLE)
    expect(page.get_by_role("combobox", name="Data set")).to_have_value(SAMPLE)
    switch_model(page, "Elastic net")
    press_on_slider(page, ALPHA_SLIDER, "ArrowLeft")
    press_on_slider(page, LAMBDA_SLIDER, "PageUp")
    alpha = alpha_shown(page)
    assert_matches(
        PathReading.read(page),
        ExpectedPath.fit(design, "elasticnet", alpha),
        f"{SAMPLE}, elastic net (α = {alpha}) after moving λ",
    )
    first = view(page)
    checkpoint("view-to-share")
    assert reopened(another_page, page.url) == first, (
        f"the link {page.url} does not reopen the view"
    )

    switch_model(page, "Ridge")
    after_switch = view(page)
    assert reopened(another_page, page.url) == after_switch, (
        f"after a model switch the address bar ({page.url}) no longer reopens the view"
    )


def test_a_hand_written_link_opens_regcores_lambda(page: Page, checkpoint):
    design = design_of(sample_bytes(SAMPLE), SAMPLES[SAMPLE].target)
    lasso = ExpectedPath.fit(design, "lasso")
    lam = f"{lasso.path.lambdas[HAND_WRITTEN_INDEX]:.4g}"

    open_app(
        page,
        "/?" + urlencode({"sample": SAMPLE, "model": "Lasso", "lam": lam}),
        title(page, "Lasso"),
        slider(page, LAMBDA_SLIDER),
    )
    expect(page.get_by_role("combobox", name="Data set")).to_have_value(SAMPLE)
    reading = PathReading.read(page)
    assert reading.index == HAND_WRITTEN_INDEX, f"?lam={lam} opened grid index {reading.index}"
    assert_matches(reading, lasso, f"{SAMPLE}, lasso, from ?lam={lam}")
    checkpoint("hand-written-link")
