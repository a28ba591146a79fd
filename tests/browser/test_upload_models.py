"""Scenario 2: upload a CSV, pick its target, then switch models and move λ on the Path page.

data/flats.csv: 120 flats, the price first and a rating (unrelated to the rest) as the last
numeric column, so the default target is the rating and the user has to pick the price.
At every stop the page must show regcore's own numbers for the same data and settings
(see ``path_page``), and they must change the way regcore says they do.
"""

from pathlib import Path

import pytest
from path_page import (
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
from st_driver import alerts, choose, heading, nav_link, open_app, rerun, upload

pytestmark = pytest.mark.browser

FLATS = Path(__file__).parent / "data" / "flats.csv"
TARGET_BOX = "Target (what to predict)"


def test_uploaded_csv_reaches_the_path_page_with_regcores_numbers(page: Page, checkpoint):
    data = FLATS.read_bytes()
    design = design_of(data, "price")
    p = len(design.feature_names)

    open_app(page, "/data", heading(page, "Data"))
    upload(page, FLATS, page.get_by_text(FLATS.name, exact=True).first)
    expect(page.get_by_role("combobox", name=TARGET_BOX)).to_have_value(design_of(data).target)
    with rerun(page, page.get_by_text("target price").first):
        choose(page, TARGET_BOX, "price")
    expect(alerts(page, "Success")).to_contain_text(
        f"{p} features · train {design.n_train} rows, test {design.n_test} rows"
    )
    checkpoint("data-page")

    with rerun(page, title(page, "Lasso")):
        nav_link(page, "Path").click()
    lasso = ExpectedPath.fit(design, "lasso")
    assert_matches(PathReading.read(page), lasso, "lasso as opened")

    press_on_slider(page, LAMBDA_SLIDER, "Home")  # λ_max: every lasso coefficient is exactly 0
    at_max = PathReading.read(page)
    assert at_max.index == 0 and at_max.nonzero == (0, p)
    assert_matches(at_max, lasso, "lasso at λ_max")
    checkpoint("lasso-lambda-max")

    switch_model(page, "Ridge")
    ridge = PathReading.read(page)
    assert_matches(ridge, ExpectedPath.fit(design, "ridge"), "ridge")
    assert ridge.nonzero is None and ridge.df is not None, "ridge shows its effective df"

    switch_model(page, "Elastic net")
    alpha = alpha_shown(page)
    enet = ExpectedPath.fit(design, "elasticnet", alpha)
    press_on_slider(page, LAMBDA_SLIDER, "Home")
    before = PathReading.read(page)
    assert_matches(before, enet, f"elastic net (α = {alpha}) at λ_max")
    press_on_slider(page, LAMBDA_SLIDER, "PageUp")  # a bigger step down the grid: a smaller λ
    after = PathReading.read(page)
    assert after.index > before.index
    assert_matches(after, enet, f"elastic net (α = {alpha}) after moving λ")
    assert after.nonzero[0] > before.nonzero[0] and after.train_mse != before.train_mse, (
        "a smaller λ lets coefficients in and lowers the training error"
    )
    checkpoint("elastic-net-moved")
