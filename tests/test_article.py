"""The article's sections computed (regcore.article): norms, losses, the three forms of the
updates on hand-worked numbers, overfitting cured by λ, sparsity written as an equation."""

import math

import numpy as np
import pytest
from sklearn.linear_model import Lasso as SkLasso

from regcore.article import geometry, losses, norms, overfitting, sparsity, updates

# The hand-worked problem: x = [1, 2], y = [2, 4], b = 0, η = 0.1, λ = 0.5.
X1, Y1 = [1.0, 2.0], [2.0, 4.0]
ETA, LAM = 0.1, 0.5


# ---------------------------------------------------------------- 1. norms


def test_norms_by_hand():
    # w = (3, −4): ‖w‖₁ = 7, ‖w‖₂ = 5, ‖w‖∞ = 4, ‖w‖½ = (√3 + 2)²
    assert norms.p_norm([3, -4], 1) == 7.0
    assert norms.p_norm([3, -4], 2) == pytest.approx(5.0, rel=1e-15)
    assert norms.p_norm([3, -4], math.inf) == 4.0
    assert norms.p_norm([3, -4], 0.5) == pytest.approx((math.sqrt(3) + 2) ** 2, rel=1e-14)
    table = norms.norms_table([3, -4], 3).set_index("norm")["value"]
    assert table["‖w‖ₚ, p = 3"] == pytest.approx((27 + 64) ** (1 / 3), rel=1e-14)


@pytest.mark.parametrize("p", [0.5, 1, 1.5, 2, 4, math.inf])
def test_unit_ball_is_closed_and_on_the_unit_sphere_of_its_norm(p):
    ball = norms.unit_ball(p)
    points = ball[["w1", "w2"]].to_numpy()
    np.testing.assert_allclose([norms.p_norm(q, p) for q in points], 1.0, rtol=1e-12)
    np.testing.assert_allclose(points[0], points[-1])
    # the ball reaches (1, 0) and (0, 1) for every p: the axes are where all p agree
    assert np.isclose(points, [1.0, 0.0]).all(axis=1).any()
    assert np.isclose(points, [0.0, 1.0]).all(axis=1).any()


def test_the_square_and_the_diamond_have_their_corners():
    square = norms.unit_ball(math.inf)[["w1", "w2"]].to_numpy()
    assert np.isclose(square, [1.0, 1.0]).all(axis=1).any()
    diamond = norms.unit_ball(1)[["w1", "w2"]].to_numpy()
    assert np.abs(diamond).sum(axis=1).max() == pytest.approx(1.0, rel=1e-12)


def test_p_below_a_half_is_refused():
    with pytest.raises(ValueError, match="p must be at least 0.5"):
        norms.p_norm([1.0], 0.3)


# ---------------------------------------------------------------- 2. the losses


def test_h_is_the_articles_2x_wx_plus_b_minus_y_averaged_over_the_rows():
    # w = 0.25, b = 0: 2·1·(0.25 − 2) = −3.5 and 2·2·(0.5 − 4) = −14, mean −8.75
    H, _ = losses.error_gradient(X1, Y1, 0.25, 0.0)
    assert H == pytest.approx(
        np.mean([2 * x * (0.25 * x - y) for x, y in zip(X1, Y1, strict=True)])
    )
    assert H == pytest.approx(-8.75, rel=1e-15)


def test_loss_curves_add_lambda_abs_w_and_lambda_w_squared():
    curves = losses.loss_curves(X1, Y1, b=0.0, lam=LAM, w_values=[-1.0, 0.0, 0.25])
    at = curves.set_index(["loss", "w"])["value"]
    # L(0.25) = (1.75² + 3.5²)/2 = 7.65625; L1 adds 0.5·0.25, L2 adds 0.5·0.0625
    assert at["L", 0.25] == pytest.approx(7.65625, rel=1e-15)
    assert at["L1", 0.25] == pytest.approx(7.78125, rel=1e-15)
    assert at["L2", 0.25] == pytest.approx(7.6875, rel=1e-15)
    assert at["L1", -1.0] - at["L", -1.0] == pytest.approx(0.5)
    assert at["L", 0.0] == at["L1", 0.0] == at["L2", 0.0]


def test_every_subgradient_line_stays_below_abs_w_and_touches_it_at_zero():
    lines = losses.abs_subgradients(1.0)
    curve = lines[lines["kind"] == "|w|"].set_index("w")["value"]
    for _, line in lines[lines["kind"] == "g·w"].groupby("slope"):
        assert (line["value"].to_numpy() <= curve.loc[line["w"]].to_numpy() + 1e-15).all()
    with pytest.raises(ValueError, match=r"\[−1, 1\]"):
        losses.abs_subgradients(1.0, slopes=[1.5])


# ---------------------------------------------------------------- 3. the updates, three forms

# w = 0.25: H = −8.75.  w = −0.5: y − ŷ = [2.5, 5], H = −(2.5 + 10) = −12.5.
THREE_FORMS = [
    # with η: eq. 0: 0.25 + 0.875 = 1.125; eq. 1.1: 1.125 − 0.05 = 1.075; eq. 2: 1.125 − 0.025 = 1.1
    # η = 1: w − H = 9; w − H − λ = 8.5; w − H − 2λw = 9 − 0.25 = 8.75
    # rearranged: (3.1) (0.25 − 0.5) + 8.75 = 8.5; (4) (0.25 − 0.25) + 8.75 = 8.75
    pytest.param(
        0.25,
        -8.75,
        {
            ("plain", "with η"): ("0", 1.125),
            ("plain", "η = 1"): ("0", 9.0),
            ("l1", "with η"): ("1.1", 1.075),
            ("l1", "η = 1"): ("1.1", 8.5),
            ("l1", "rearranged"): ("3.1", 8.5),
            ("l2", "with η"): ("2", 1.1),
            ("l2", "η = 1"): ("2", 8.75),
            ("l2", "rearranged"): ("4", 8.75),
        },
        id="w>0",
    ),
    # with η: eq. 1.2: −0.5 − 0.1·(−12.5 − 0.5) = 0.8; η = 1: −0.5 + 12.5 + 0.5 = 12.5
    # rearranged (3.2): (−0.5 + 0.5) + 12.5 = 12.5; L2 (4): (−0.5 + 0.5) + 12.5 = 12.5
    pytest.param(
        -0.5,
        -12.5,
        {
            ("l1", "with η"): ("1.2", 0.8),
            ("l1", "η = 1"): ("1.2", 12.5),
            ("l1", "rearranged"): ("3.2", 12.5),
            ("l2", "rearranged"): ("4", 12.5),
        },
        id="w<0",
    ),
]


@pytest.mark.parametrize(("w", "H", "expected"), THREE_FORMS)
def test_the_articles_three_forms_by_hand(w, H, expected):
    assert losses.error_gradient(X1, Y1, w, 0.0)[0] == pytest.approx(H, rel=1e-15)
    forms = updates.article_forms(w, H, LAM, ETA).set_index(["rule", "form"])
    for key, (equation, w_new) in expected.items():
        assert forms.loc[key, "equation"] == equation, key
        assert forms.loc[key, "w_new"] == pytest.approx(w_new, rel=1e-14), key
    # the worked line, evaluated as written, gives w_new: the numbers shown are the numbers used
    for row in forms.itertuples():
        arithmetic = row.worked.replace("−", "-").replace("·", "*")
        assert eval(arithmetic) == pytest.approx(row.w_new, rel=1e-3), row.worked
    # the form with η is the rule a trajectory runs, and η = 1 equals the rearranged form
    for rule in ("plain", "l1", "l2"):
        stepped, _ = updates.step(X1, Y1, w, 0.0, eta=ETA, lam=LAM, rule=rule)
        assert forms.loc[(rule, "with η"), "w_new"] == pytest.approx(stepped, rel=1e-14)
        assert forms.loc[(rule, "η = 1"), "w_new"] == pytest.approx(
            forms.loc[(rule, "rearranged"), "w_new"], rel=1e-14
        )


def test_the_penalty_moves_w_by_lambda_for_l1_and_by_2_lambda_w_for_l2():
    # the article's point: L1's move depends on the sign of w only, L2's on its size too
    for w in (0.1, 3.0):
        forms = updates.article_forms(w, 0.7, LAM, ETA).set_index(["rule", "form"])
        assert forms.loc[("l1", "rearranged"), "penalty_move"] == pytest.approx(-LAM)
        assert forms.loc[("l2", "rearranged"), "penalty_move"] == pytest.approx(-2 * LAM * w)
        assert forms.loc[("l1", "with η"), "penalty_move"] == pytest.approx(-ETA * LAM)
    at_zero = updates.article_forms(0.0, 0.7, LAM, ETA).set_index(["rule", "form"])
    assert at_zero.loc[("l1", "rearranged"), "penalty_move"] == 0.0  # sign(0) = 0


# ---------------------------------------------------------------- 4. overfitting


@pytest.fixture(scope="module")
def sweeps():
    example = overfitting.make_example()
    grid = overfitting.lambda_grid(example)
    return example, {p: overfitting.sweep(example, p, grid) for p in ("lasso", "ridge")}


@pytest.mark.parametrize("penalty", ["lasso", "ridge"])
def test_as_lambda_falls_train_error_falls_and_test_error_rises_past_the_sweet_spot(
    sweeps, penalty
):
    example, by_penalty = sweeps
    s = by_penalty[penalty]
    assert (np.diff(s.lambdas) < 0).all()  # largest λ first
    # training error never rises as λ → 0 (less penalty can only fit the rows better)
    assert (np.diff(s.train_mse) <= 1e-12 * s.train_mse[0]).all()
    assert s.train_mse[-1] < 0.2 * s.train_mse[s.best_index]
    best = s.best_index
    assert 0 < best < len(s.lambdas) - 1  # the sweet spot is inside the sweep
    # from the sweet spot towards λ → 0 the test error climbs: the overfit (intuition A)
    assert s.test_mse[-1] > 2.5 * s.test_mse[best]
    assert np.mean(np.diff(s.test_mse[best:]) >= 0) >= 0.9
    # and at the other end too large a λ underfits (intuition D)
    assert s.test_mse[0] > 2.0 * s.test_mse[best]
    assert s.train_mse[0] > 2.0 * s.train_mse[best]


def test_least_squares_fits_the_training_rows_best_and_the_test_rows_worst(sweeps):
    example, by_penalty = sweeps
    ls = overfitting.least_squares(example)
    X_train, X_test = example.features(example.x_train), example.features(example.x_test)
    train, test = ls.mse(X_train, example.y_train)[0], ls.mse(X_test, example.y_test)[0]
    for s in by_penalty.values():
        assert train <= s.train_mse.min() * (1 + 1e-9)
        assert test > 5 * s.test_mse[s.best_index]


def test_the_fitted_curve_is_the_paths_model_at_lambda(sweeps):
    example, by_penalty = sweeps
    s = by_penalty["lasso"]
    lam = float(s.lambdas[s.best_index])
    curve = overfitting.curve(example, s.path, lam, n_points=5)
    coef, b = s.path.coef_at(lam)
    np.testing.assert_allclose(curve["y"], example.features(curve["x"]) @ coef + b)
    assert example.names[:3] == ["x", "x²", "x³"]


def test_error_table_is_tidy(sweeps):
    _, by_penalty = sweeps
    table = overfitting.error_table(list(by_penalty.values()))
    assert set(table["rows"]) == {"train", "test"}
    assert len(table) == 2 * 2 * len(by_penalty["lasso"].lambdas)


# ---------------------------------------------------------------- 5. sparsity


def test_model_equation_writes_the_model_like_the_article():
    text = sparsity.model_equation(0.12, [0.4561, -0.0007, 0.0, 3e-6], ["x₁", "x₂", "x₃", "x₄"])
    assert text == "ŷ = 0.4561·x₁ − 0.0007·x₂ + 0·x₃ + 0.000003·x₄ + 0.1200"
    assert sparsity.model_equation(-1.0, [-2.0], ["a"], digits=1) == "ŷ = −2.0·a − 1.0"


def test_weight_table_tells_exact_from_near_zeros():
    table = sparsity.weight_table(["a", "b", "c"], [2.0, 0.0, 0.01], [1.5, 0.004, 0.3])
    assert table["lasso_is"].tolist() == ["kept", "exactly 0", "near 0"]
    assert table["ridge_is"].tolist() == ["kept", "near 0", "kept"]


# ---------------------------------------------------------------- 6. the diamond's corner


def test_corner_budget_separates_corner_optima_from_inner_ones():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(50, 2))
    X[:, 1] += 0.7 * X[:, 0]
    y = X @ [1.5, 0.4] - 2.0 + 0.5 * rng.normal(size=50)
    t = geometry.corner_budget(X, y)
    assert 0 < t < geometry.least_squares_l1(X, y)
    below = geometry.constrained_optimum(X, y, 0.9 * t, "l1")
    above = geometry.constrained_optimum(X, y, 1.1 * t, "l1")
    assert (below.w == 0.0).sum() == 1
    assert (above.w != 0.0).all()
    # the corner optimum is the lasso at its λ, exact zero included
    lasso = SkLasso(alpha=below.lam / 2, tol=1e-14, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(below.w, lasso.coef_, atol=1e-8)
