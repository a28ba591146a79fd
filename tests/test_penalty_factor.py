"""Penalty factors (``fit_path(..., penalty_factor=v)``) against independent references.

With factors v the objective on the standardised scale is

    (1/n)·‖yc − Xs·w‖² + λ·Σ_j v_j·[α|w_j| + (1 − α)w_j²].

- Lasso: u_j = v_j·w_j turns it into the plain lasso on the columns Xs_j / v_j, so a
  factor f on column j is that (standardised) column divided by f: scikit-learn's lasso on
  those columns, u / v, must be our w.  Standardising afterwards would undo the division,
  which is why the factor acts on the standardised coefficients.
- Elastic net: after the same substitution the L2 part is λ(1 − α)·Σ u_j²/v_j, which is not
  a rescaling; it is the lasso on rows augmented by diag(√(n·λ(1 − α)/v_j)) (target 0), so
  scikit-learn's ``Lasso`` on the n + p rows (alpha = n·λα/(2(n + p))) is the reference.
- Factor 0: the feature is unpenalised.  Partialling out the unpenalised block U
  (Frisch–Waugh) leaves a lasso on the residualised penalised columns; w_U is then least
  squares of what remains.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import Lasso

import regcore

TIGHT = {"tol": 1e-13, "max_iter": 500_000, "fit_intercept": False}


def _rel_objective_gap(Xs, yc, v, W_ours, W_ref, lambdas, alpha):
    n = len(yc)
    yy = yc @ yc / n

    def obj(W):
        R = yc[:, None] - Xs @ W.T
        pen = alpha * np.abs(W) @ v + (1 - alpha) * (W * W) @ v
        return (R * R).mean(axis=0) + lambdas * pen

    return (obj(W_ours) - obj(W_ref)) / yy


def test_lasso_factors_are_rescaled_columns(make_data, standardise):
    X, y = make_data(120, 8, rho=0.4, seed=31)
    v = np.array([1.0, 0.5, 2.0, 1.0, 3.0, 0.25, 1.0, 1.5])
    path = regcore.fit_path(X, y, "lasso", penalty_factor=v, n_lambdas=15)
    assert path.converged.all()
    np.testing.assert_array_equal(path.penalty_factor, v)
    Xs, yc = standardise(X, y)
    Z = Xs / v
    for i, lam in enumerate(path.lambdas):
        u = Lasso(alpha=lam / 2, **TIGHT).fit(Z, yc).coef_
        np.testing.assert_allclose(path.coef_std[i], u / v, rtol=0, atol=1e-7)
    # λ_max: the smallest λ with every coefficient 0, found through the factors
    assert path.lambda_max == pytest.approx(2 * np.max(np.abs(Xs.T @ yc / len(y)) / v))
    assert (path.coef_std[0] == 0).all() and (path.coef_std[1] != 0).any()


@pytest.mark.parametrize("alpha", [0.5, 0.2])
def test_elastic_net_factors_against_augmented_rows(alpha, make_data, standardise):
    X, y = make_data(90, 6, rho=0.5, seed=32)
    v = np.array([0.5, 1.0, 2.0, 1.0, 0.3, 4.0])
    path = regcore.fit_path(X, y, "elasticnet", alpha=alpha, penalty_factor=v, n_lambdas=12)
    assert path.converged.all()
    Xs, yc = standardise(X, y)
    n, p = Xs.shape
    ref = np.empty_like(path.coef_std)
    for i, lam in enumerate(path.lambdas):
        Z = np.vstack([Xs / v, np.diag(np.sqrt(n * lam * (1 - alpha) / v))])
        t = np.concatenate([yc, np.zeros(p)])
        u = Lasso(alpha=n * lam * alpha / (2 * (n + p)), **TIGHT).fit(Z, t).coef_
        ref[i] = u / v
    np.testing.assert_allclose(path.coef_std, ref, rtol=0, atol=1e-7)
    gap = _rel_objective_gap(Xs, yc, v, path.coef_std, ref, path.lambdas, alpha)
    assert gap.max() <= 1e-9


def test_zero_factors_are_an_unpenalised_least_squares_block(make_data, standardise):
    X, y = make_data(100, 7, rho=0.3, seed=33)
    free = np.array([1, 4])
    v = np.ones(7)
    v[free] = 0.0
    path = regcore.fit_path(X, y, "lasso", penalty_factor=v, n_lambdas=20)
    assert path.converged.all()
    Xs, yc = standardise(X, y)
    pen = np.setdiff1d(np.arange(7), free)
    U = Xs[:, free]
    P = np.linalg.pinv(U)
    Xr = Xs[:, pen] - U @ (P @ Xs[:, pen])  # penalised columns with the free block removed
    yr = yc - U @ (P @ yc)
    for i, lam in enumerate(path.lambdas):
        wp = Lasso(alpha=lam / 2, **TIGHT).fit(Xr, yr).coef_
        wu = P @ (yc - Xs[:, pen] @ wp)
        np.testing.assert_allclose(path.coef_std[i, pen], wp, rtol=0, atol=1e-7)
        np.testing.assert_allclose(path.coef_std[i, free], wu, rtol=0, atol=1e-7)
    # at λ_max the penalised part is exactly 0 and the free block is least squares alone
    assert (path.coef_std[0, pen] == 0).all()
    np.testing.assert_allclose(path.coef_std[0, free], P @ yc, rtol=1e-10)
    assert (path.coef_std[:, free] != 0).all()


def test_ridge_factors_solve_the_weighted_normal_equations(make_data, standardise):
    X, y = make_data(60, 5, rho=0.6, seed=34)
    v = np.array([0.0, 1.0, 2.0, 0.5, 1.0])
    path = regcore.fit_path(X, y, "ridge", penalty_factor=v, n_lambdas=10)
    assert path.converged.all()
    Xs, yc = standardise(X, y)
    n = len(y)
    for i, lam in enumerate(path.lambdas):
        w = np.linalg.solve(Xs.T @ Xs / n + lam * np.diag(v), Xs.T @ yc / n)
        np.testing.assert_allclose(path.coef_std[i], w, rtol=1e-8, atol=1e-10)


def test_factors_of_one_are_the_plain_penalty_and_off_grid_refits_keep_them(make_data):
    X, y = make_data(80, 6, seed=35)
    plain = regcore.fit_path(X, y, "elasticnet", alpha=0.7, n_lambdas=10)
    ones = regcore.fit_path(X, y, "elasticnet", alpha=0.7, n_lambdas=10, penalty_factor=[1] * 6)
    np.testing.assert_array_equal(plain.coef, ones.coef)
    v = np.array([0.0, 1, 1, 2, 1, 1])
    path = regcore.fit_path(X, y, "lasso", n_lambdas=10, penalty_factor=v)
    lam = float(np.sqrt(path.lambdas[4] * path.lambdas[5]))
    coef, _ = path.coef_at(lam, X, y)
    fresh = regcore.fit_path(X, y, "lasso", lambdas=[lam], penalty_factor=v)
    np.testing.assert_allclose(coef, fresh.coef[0], rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize(
    "factor,words", [([1.0, -1.0, 1.0], "≥ 0"), ([1.0, np.nan, 1.0], "≥ 0"), ([1.0, 1.0], "3")]
)
def test_bad_factors_are_plain_errors(factor, words, make_data):
    X, y = make_data(30, 3, seed=36)
    with pytest.raises(ValueError, match=words):
        regcore.fit_path(X, y, "lasso", penalty_factor=factor)


def test_cli_unpenalized_columns_reach_the_path_and_cv(tmp_path, capsys):
    from regcore.__main__ import main
    from regcore.data import make_design, read_csv
    from regcore.datasets import sample_bytes

    out = tmp_path / "path.csv"
    args = ["--sample", "Diabetes", "--n-lambdas", "10", "--unpenalized", "bmi", "bp"]
    assert main(["path", *args, "--out", str(out)]) == 0
    frame, _ = read_csv(out.read_bytes())
    df, _ = read_csv(sample_bytes("Diabetes"))
    d = make_design(df, "progression")
    v = np.array([0.0 if name in ("bmi", "bp") else 1.0 for name in d.feature_names])
    expect = regcore.fit_path(d.X_train, d.y_train, n_lambdas=10, penalty_factor=v)
    np.testing.assert_allclose(frame[d.feature_names].to_numpy(), expect.coef, rtol=1e-9)
    assert (frame[["bmi", "bp"]].to_numpy() != 0).all()  # unpenalised: never zero
    assert main(["cv", *args, "-k", "3"]) == 0
    assert main(["path", "--sample", "Diabetes", "--unpenalized", "nope"]) == 2
    assert "nope" in capsys.readouterr().err
