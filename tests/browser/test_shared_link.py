"""Scenario 5: the address bar is the view; a link opened by someone else shows the same thing.

A second visitor (a new browser context, so a new Streamlit session with nothing in its
state) opens the URL the first one sees:
(a) after setting every shared setting away from its default, each on its own page (split
    seed, test fraction, target, features, standardise on the Data page; model, α, K and λ
    on the Path page): the settings, every metric and the λ are identical;
(b) after "Use λ_1se" / "Use λ_min" on the Cross-validation page: the link shows that λ;
(c) a link naming an uploaded file the visitor lacks opens the first sample and says so;
and links written by hand from regcore's own λ grid, on it or off it (snapped, with a notice).
"""

from pathlib import Path
from urllib.parse import urlencode

import pytest
from path_page import (
    ALPHA_SLIDER,
    FOLDS_BOX,
    LAMBDA_SLIDER,
    ExpectedPath,
    PathReading,
    assert_matches,
    design_of,
    press_on_slider,
    switch_model,
    title,
)
from playwright.sync_api import Page, expect
from st_driver import (
    alerts,
    choose,
    heading,
    metric_text,
    nav_link,
    open_app,
    rerun,
    slider,
    slider_index,
    upload,
)

from dashboard.views import lambda_labels
from regcore.datasets import SAMPLES, sample_bytes, sample_names

pytestmark = pytest.mark.browser

SAMPLE = "Diabetes"
HAND_WRITTEN_INDEX = 30
FLATS = Path(__file__).parent / "data" / "flats.csv"


def sidebar(page: Page):
    return page.get_by_test_id("stSidebar")


def view(page: Page) -> dict:
    """What a shared link must reproduce on the Path page: the settings and every number."""
    side = sidebar(page)
    shown = {
        "data set": side.get_by_role("combobox", name="Data set").input_value(),
        "status": side.get_by_test_id("stCaptionContainer").first.inner_text(),
        "title": page.get_by_role("heading", level=1).inner_text(),
        "model": side.get_by_role("radiogroup", name="Model")
        .get_by_role("radio", checked=True)
        .locator("xpath=ancestor::label")
        .inner_text(),
        "α": slider(page, ALPHA_SLIDER).get_attribute("aria-valuetext"),
        "K": side.get_by_role("spinbutton", name=FOLDS_BOX).input_value(),
        "λ index": slider_index(page, LAMBDA_SLIDER),
        "metrics": page.get_by_test_id("stMetric").all_inner_texts(),
    }
    return shown


def reopened(another_page, url: str) -> tuple[Page, dict]:
    visitor = another_page()
    open_app(visitor, url, visitor.get_by_role("heading", level=1), slider(visitor, LAMBDA_SLIDER))
    return visitor, view(visitor)


def test_a_link_reopens_every_shared_setting_and_every_number(page: Page, another_page, checkpoint):
    open_app(page, "/data", heading(page, "Data"))
    with rerun(page, page.get_by_text("442 rows used").first):
        choose(page, "Data set", SAMPLE)
    with rerun(page, page.get_by_text("target bmi").first):
        choose(page, "Target (what to predict)", "bmi")
    with rerun(page, page.get_by_text("× 9 features").first):
        choose(page, "Features left out", "s6")
        page.keyboard.press("Escape")  # closes the multiselect's list (it hides the rest)
    press_on_slider(page, "Test fraction", "ArrowRight")  # 0.25 -> 0.30
    seed = page.get_by_role("spinbutton", name="Split seed")
    with rerun(page):
        seed.fill("7")
        seed.press("Enter")
    with rerun(page):
        page.get_by_text("Standardise the features", exact=False).click()
    checkpoint("data-settings")

    with rerun(page, title(page, "Lasso")):
        nav_link(page, "Path").click()
    switch_model(page, "Elastic net")
    press_on_slider(page, ALPHA_SLIDER, "ArrowLeft")
    folds = sidebar(page).get_by_role("spinbutton", name=FOLDS_BOX)
    with rerun(page, slider(page, LAMBDA_SLIDER)):
        folds.fill("4")
        folds.press("Enter")
    press_on_slider(page, LAMBDA_SLIDER, "PageUp")
    first = view(page)
    assert first["K"] == "4" and first["α"] == "0.45", first
    assert "target bmi" in first["status"] and "train" in first["status"], first
    checkpoint("view-to-share")

    visitor, second = reopened(another_page, page.url)
    assert second == first, f"the link {page.url} does not reopen the view"
    with rerun(visitor, heading(visitor, "Data")):
        nav_link(visitor, "Data").click()
    expect(visitor.get_by_role("combobox", name="Target (what to predict)")).to_have_value("bmi")
    expect(visitor.get_by_role("spinbutton", name="Split seed")).to_have_value("7")
    expect(visitor.get_by_role("checkbox", name="Standardise", exact=False)).not_to_be_checked()


def test_use_lambda_1se_or_min_puts_that_lambda_in_the_link(page: Page, another_page, checkpoint):
    open_app(page, "/?" + urlencode({"sample": SAMPLE, "k": "5"}), slider(page, LAMBDA_SLIDER))
    press_on_slider(page, LAMBDA_SLIDER, "Home")  # away from the default λ_1se
    for rule in ("λ_min", "λ_1se"):
        with rerun(page, heading(page, "Lasso: choosing λ by cross-validation")):
            nav_link(page, "Cross-validation").click()
        chosen = metric_text(page, rule)
        with rerun(page, title(page, "Lasso")):
            page.get_by_role("button", name=f"Use {rule} on the Path page").click()
        assert metric_text(page, "λ") == chosen
        assert "lam=" in page.url, f"after Use {rule} the link holds no λ: {page.url}"
        visitor, shown = reopened(another_page, page.url)
        assert metric_text(visitor, "λ") == chosen, (
            f"after Use {rule} ({chosen}) the link {page.url} opens λ = {metric_text(visitor, 'λ')}"
        )
    checkpoint("after-use-lambda-1se")


def test_a_link_to_an_uploaded_file_opens_the_first_sample_with_a_notice(
    page: Page, another_page, checkpoint
):
    open_app(page, "/data", heading(page, "Data"))
    upload(page, FLATS, page.get_by_text(FLATS.name, exact=True).first)
    with rerun(page, title(page, "Lasso")):
        nav_link(page, "Path").click()
    assert "sample=Uploaded" in page.url, page.url
    visitor, shown = reopened(another_page, page.url)
    first = sample_names()[0]
    assert shown["data set"] == first
    notice = alerts(visitor, "Info").filter(has_text="uploaded file")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(first)


def test_a_hand_written_link_opens_regcores_lambda_and_snaps_one_off_the_grid(
    page: Page, another_page, checkpoint
):
    design = design_of(sample_bytes(SAMPLE), SAMPLES[SAMPLE].target)
    lasso = ExpectedPath.fit(design, "lasso")
    labels = lambda_labels(lasso.path.lambdas)
    lam = labels[HAND_WRITTEN_INDEX]

    open_app(
        page,
        "/?" + urlencode({"sample": SAMPLE, "model": "Lasso", "lam": lam}),
        title(page, "Lasso"),
        slider(page, LAMBDA_SLIDER),
    )
    expect(sidebar(page).get_by_role("combobox", name="Data set")).to_have_value(SAMPLE)
    reading = PathReading.read(page)
    assert reading.index == HAND_WRITTEN_INDEX, f"?lam={lam} opened grid index {reading.index}"
    assert_matches(reading, lasso, f"{SAMPLE}, lasso, from ?lam={lam}")
    checkpoint("hand-written-link")

    off_grid = f"{float(lasso.path.lambdas[HAND_WRITTEN_INDEX]) * 1.02:.6g}"
    visitor = another_page()
    open_app(
        visitor,
        "/?" + urlencode({"sample": SAMPLE, "lam": off_grid}),
        slider(visitor, LAMBDA_SLIDER),
    )
    assert slider_index(visitor, LAMBDA_SLIDER) == HAND_WRITTEN_INDEX
    expect(alerts(visitor, "Info").filter(has_text="not on this path's grid")).to_contain_text(
        f"showing λ = {lam}"
    )


def test_switching_the_model_keeps_the_link_in_step(page: Page, another_page):
    open_app(page, "/?" + urlencode({"sample": SAMPLE}), slider(page, LAMBDA_SLIDER))
    switch_model(page, "Ridge")
    after_switch = view(page)
    _, shown = reopened(another_page, page.url)
    assert shown == after_switch, f"after a model switch the link ({page.url}) is out of step"
