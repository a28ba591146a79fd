"""A typed λ on the Path page: any positive value, solved exactly off the grid."""

import numpy as np
import pytest
from test_app import assert_clean, metrics, start, the_path

from dashboard import views
from dashboard.typed_lambda import parse_lambda, solve_at
from regcore.path import row_mse


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
        (True, ()),
        "lasso",
        None,
        float(path.lambdas[i]),
        views.path_view(path, design),
        design,
    )
    np.testing.assert_allclose(fit.coef, path.coef[i])
    np.testing.assert_allclose(fit.coef_std, path.coef_std[i], rtol=1e-10, atol=1e-12)
    assert fit.n_nonzero == path.n_nonzero[i]
