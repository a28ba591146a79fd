"""Scenario 3: cross-validation shows its progress, then hands λ_1se to the Path page.

K is set to a value no other scenario uses, so the folds really run in this test (the
server's cache is shared by every session).  On the built-in samples the folds take a
millisecond each, and Streamlit merges the updates of one element that arrive within its
flush interval (5 ms), so a bar could be sent for no flush at all.  The test therefore
uploads a larger data set (6 000 rows × 120 features), whose folds take milliseconds
each.  What is checked is that the server sent the bar, counting the folds as they
finished (not every count need arrive), and that it is gone at the end.
The λ_min and λ_1se shown must be regcore's ``cross_validate`` on the training rows over
the Path page's grid, with the split seed as the folds' seed (as the Data page says).
"""

import numpy as np
import pandas as pd
import pytest
from path_page import FOLDS_BOX, PathReading, design_of, title
from playwright.sync_api import Page, expect
from st_driver import (
    heading,
    metric_text,
    nav_link,
    open_app,
    record_messages,
    rerun,
    shown_matches,
    upload,
)

import regcore

pytestmark = pytest.mark.browser

K = 13


def larger_csv(rows: int = 6_000, features: int = 120, seed: int = 3) -> bytes:
    """Correlated numeric features and a target y (last column, the default) with 12 true effects."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, features)) + 0.5 * rng.normal(size=(rows, 1))
    y = X[:, :12] @ rng.normal(size=12) + 2.0 * rng.normal(size=rows)
    table = pd.DataFrame(X.round(4), columns=[f"f{j:03d}" for j in range(features)]).assign(
        y=y.round(4)
    )
    return table.to_csv(index=False).encode()


def test_cross_validation_progress_and_lambda_1se_to_the_path_page(
    page: Page, checkpoint, tmp_path
):
    csv = tmp_path / "cv_progress.csv"
    csv.write_bytes(larger_csv())
    design = design_of(csv.read_bytes(), "y")
    grid = regcore.fit_path(design.X_train, design.y_train, "lasso").lambdas
    cv = regcore.cross_validate(
        design.X_train, design.y_train, penalty="lasso", k=K, seed=0, lambdas=grid
    )

    open_app(page, "/data", heading(page, "Data"))
    upload(page, csv, page.get_by_text(csv.name, exact=True).first)
    with rerun(
        page,
        heading(page, "Lasso: choosing λ by cross-validation"),
        page.get_by_text("λ_1se").first,
    ):
        nav_link(page, "Cross-validation").click()
    progress = record_messages(page, rf"cross-validating {K} folds|fold \d+ of {K} done")
    folds = page.get_by_role("spinbutton", name=FOLDS_BOX, exact=True)
    with rerun(page, page.get_by_test_id("stMetric").first):
        folds.fill(str(K))
        folds.press("Enter")
    expect(folds).to_have_value(str(K))

    done = [int(text.split()[1]) for text in progress if text.startswith("fold ")]
    assert done, f"no 'fold i of {K} done' progress was sent while the folds ran: {progress}"
    assert done == sorted(done) and set(done) <= set(range(1, K + 1)), (
        f"the bar should count the folds as they finish: {progress}"
    )
    expect(page.get_by_test_id("stProgress")).to_have_count(0)  # cleared once the run is done

    lam_min, lam_1se = metric_text(page, "λ_min"), metric_text(page, "λ_1se")
    assert shown_matches(lam_min, cv.lambda_min), (
        f"λ_min shown {lam_min}, regcore {cv.lambda_min:.6g}"
    )
    assert shown_matches(lam_1se, cv.lambda_1se), (
        f"λ_1se shown {lam_1se}, regcore {cv.lambda_1se:.6g}"
    )
    assert float(lam_1se) >= float(lam_min)
    checkpoint("cross-validation")

    with rerun(page, title(page, "Lasso")):
        page.get_by_role("button", name="Use λ_1se on the Path page").click()
    carried = PathReading.read(page)
    assert carried.lam == lam_1se, (
        f"the Path page shows λ = {carried.lam}, the CV page's λ_1se was {lam_1se}"
    )
    assert carried.index == cv.index_1se
    checkpoint("path-at-lambda-1se")
