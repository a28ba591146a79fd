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
