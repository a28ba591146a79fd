"""The binary sample's Path page in Chromium: a logistic path with its confusion matrix and ROC."""

from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect
from st_driver import heading, metric, open_app

pytestmark = pytest.mark.browser

TALL_VIEWPORT = {"width": 1280, "height": 2600}  # down to the confusion matrix and the ROC curve
# the figure (paths, deviance, bars), the misclassification, the confusion matrix, the ROC curve
PATH_CHARTS = 4


def test_the_binary_sample_shows_the_confusion_matrix_and_the_roc_curve(page: Page, checkpoint):
    page.set_viewport_size(TALL_VIEWPORT)
    title = heading(page, "Lasso logistic regression: the regularisation path")
    open_app(page, f"/?sample={quote('Churn (binary)')}", title, metric(page, "test AUC"))

    charts = page.get_by_test_id("stVegaLiteChart")
    expect(charts).to_have_count(PATH_CHARTS)
    for i in range(PATH_CHARTS):  # each chart rendered: vega-lite drew its marks as SVG
        expect(charts.nth(i).locator("svg .mark-group").first).to_be_attached()
    confusion = charts.filter(has_text="confusion matrix")
    expect(confusion).to_have_count(1)
    for label in ("predicted", "actual", "yes", "no"):
        expect(confusion.get_by_text(label, exact=True).first).to_be_attached()
    roc = charts.filter(has_text="ROC curve")
    expect(roc).to_have_count(1)
    expect(roc.get_by_text("AUC = ", exact=False).first).to_be_attached()
    auc = float(metric(page, "test AUC").inner_text())
    assert 0.5 < auc <= 1.0
    expect(roc.get_by_text(f"AUC = {auc:.3f}", exact=False).first).to_be_attached()
    expect(metric(page, "test deviance")).to_have_count(1)
    checkpoint("classify-path-page")


def test_a_link_with_a_typed_lambda_shows_the_logistic_model_at_that_lambda(page: Page, checkpoint):
    page.set_viewport_size({"width": 1280, "height": 4200})
    title = heading(page, "Lasso logistic regression: the regularisation path")
    typed_auc = metric(page, "test AUC (typed λ)")
    open_app(page, f"/?sample={quote('Churn (binary)')}&lam_exact=0.0123", title, typed_auc)

    expect(metric(page, "typed λ")).to_have_text("0.0123")
    assert 0.5 < float(typed_auc.inner_text()) <= 1.0
    expect(metric(page, "test deviance (typed λ)")).to_have_count(1)
    charts = page.get_by_test_id("stVegaLiteChart")
    typed = charts.filter(has_text="at λ = 0.0123")
    expect(typed).to_have_count(3)  # the coefficient bars, the confusion matrix, the ROC curve
    for i in range(3):
        expect(typed.nth(i).locator("svg .mark-group").first).to_be_attached()
    expect(typed.filter(has_text="confusion matrix")).to_have_count(1)
    expect(typed.filter(has_text="ROC curve")).to_have_count(1)
    checkpoint("classify-typed-lambda")
