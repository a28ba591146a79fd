"""A typed λ on the Path page: any positive value, solved exactly off the grid."""

import json

import numpy as np
import pytest
from test_app import assert_clean, go, metrics, start, the_path
from test_classify_app import upload, yes_no_csv

import regcore
from dashboard import views
from dashboard.typed_lambda import parse_lambda, solve_at
from regcore.data import make_design, read_csv
from regcore.datasets import sample_bytes
from regcore.metrics import auc, deviance, misclassification
from regcore.path import row_mse

CHURN = "Churn (binary)"


@pytest.mark.parametrize(
    "text, value", [("0.05", 0.05), (" 1e-3 ", 1e-3), ("2,5", 2.5), ("", None), ("  ", None)]
)
def test_a_typed_lambda_is_read_as_a_positive_number(text, value):
    assert parse_lambda(text) == value


@pytest.mark.parametrize("text", ["abc", "0", "-1", "inf", "nan"])
def test_anything_but_a_positive_number_is_refused_in_plain_words(text):
    with pytest.raises(ValueError, match="number"):
        parse_lambda(text)


def test_the_path_page_solves_a_typed_lambda_off_the_grid():
    lam = 0.0123
    path, design = the_path()
    assert not np.isclose(path.lambdas, lam, rtol=1e-6).any()  # truly off the grid
    at = start(lam_exact=str(lam))
    assert_clean(at)
    shown = metrics(at)
    coef, intercept = path.coef_at(lam, design.X_train, design.y_train)
    W, b = coef[None, :], np.array([intercept])
    assert shown["typed λ"] == "0.0123"
    assert shown["non-zero (typed λ)"] == f"{np.count_nonzero(coef)} of {len(coef)}"
    assert shown["train MSE (typed λ)"] == f"{row_mse(design.X_train, design.y_train, W, b)[0]:.4g}"
    assert shown["test MSE (typed λ)"] == f"{row_mse(design.X_test, design.y_test, W, b)[0]:.4g}"
    # between its two grid neighbours, the typed λ's training error lies between theirs
    above = np.flatnonzero(path.lambdas > lam)[-1]
    train = path.mse(design.X_train, design.y_train)
    assert train[above + 1] <= row_mse(design.X_train, design.y_train, W, b)[0] <= train[above]


def test_a_typed_value_that_is_not_a_lambda_is_a_notice_not_an_error():
    at = start(lam_exact="-2")
    assert not at.exception
    assert len(at.warning) == 1 and "positive" in at.warning[0].value
    assert "typed λ" not in metrics(at)


def test_a_typed_grid_lambda_gives_the_paths_own_model_on_both_scales():
    path, design = the_path()
    i = 17
    fit = solve_at(
        "test",
        ("grid",),
        (True, (), "linear"),
        "lasso",
        None,
        float(path.lambdas[i]),
        views.path_view(path, design),
        design,
    )
    np.testing.assert_allclose(fit.coef, path.coef[i])
    np.testing.assert_allclose(fit.coef_std, path.coef_std[i], rtol=1e-10, atol=1e-12)
    assert fit.n_nonzero == path.n_nonzero[i]


def _chart_titles(at) -> list[str]:
    titles = []
    for element in at.get("vega_lite_chart"):
        title = json.loads(element.proto.spec).get("title")
        titles.append(title.get("text") if isinstance(title, dict) else str(title))
    return titles


def test_a_logistic_link_restores_the_typed_lambda_with_its_measures_and_figures():
    lam = 0.0123
    df, _ = read_csv(sample_bytes(CHURN))
    design = make_design(df, "churn", test_fraction=0.25, seed=0)
    train, test = (design.binary.codes(y) for y in (design.y_train, design.y_test))
    path = regcore.fit_path(
        design.X_train, train, "lasso", feature_names=design.feature_names, family="logistic"
    )
    assert not np.isclose(path.lambdas, lam, rtol=1e-6).any()  # truly off the grid
    coef, intercept = path.coef_at(lam, design.X_train, train)
    prob = 1 / (1 + np.exp(-(design.X_test @ coef + intercept)))

    at = start(sample=CHURN, lam_exact=str(lam))
    assert_clean(at)
    assert at.text_input(key="lam_exact").value == str(lam)
    shown = metrics(at)
    assert shown["typed λ"] == "0.0123"
    assert shown["non-zero (typed λ)"] == f"{np.count_nonzero(coef)} of {len(coef)}"
    assert shown["test deviance (typed λ)"] == f"{deviance(test, prob):.4g}"
    assert shown["test misclassification (typed λ)"] == f"{misclassification(test, prob):.3f}"
    assert shown["test AUC (typed λ)"] == f"{auc(test, prob):.3f}"
    assert "test MSE (typed λ)" not in shown and "train deviance (typed λ)" in shown
    titles = _chart_titles(at)
    assert f"confusion matrix: {design.n_test} test rows at λ = 0.0123" in titles, titles
    assert any(t.startswith("ROC curve (test rows) at λ = 0.0123") for t in titles), titles
    assert any(t.startswith("confusion matrix") and "λ =" not in t for t in titles), titles


def test_a_typed_lambda_on_a_yes_no_upload_gives_the_logistic_figures():
    at = upload(yes_no_csv())
    go(at, "path")
    at.text_input(key="lam_exact").set_value("0.02").run()
    assert_clean(at)
    assert at.query_params["lam_exact"] == "0.02"
    shown = metrics(at)
    assert shown["typed λ"] == "0.02"
    for measure in ("deviance", "misclassification", "AUC"):
        assert f"test {measure} (typed λ)" in shown and f"train {measure} (typed λ)" in shown
    assert 0 <= float(shown["test misclassification (typed λ)"]) <= 1
    assert any(t.endswith("at λ = 0.02") for t in _chart_titles(at) if t.startswith("confusion"))
