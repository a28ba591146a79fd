"""The article's gradient-descent updates (regcore.updates) on hand-worked numbers and known answers."""

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import ElasticNet as SkElasticNet
from sklearn.linear_model import Lasso as SkLasso
from sklearn.linear_model import Ridge as SkRidge

import regcore
from regcore.article import geometry as geo
from regcore.article import losses as lo
from regcore.article import trajectory as tr
from regcore.article import updates as up

# The hand-worked problem: x = [1, 2], y = [2, 4], n = 2, b = 0, η = 0.1, λ = 0.5.
X1, Y1 = [1.0, 2.0], [2.0, 4.0]
ETA, LAM = 0.1, 0.5


# ---------------------------------------------------------------- equations by hand


def test_error_gradient_by_hand():
    # w = 0.25: ŷ = [0.25, 0.5], y − ŷ = [1.75, 3.5]
    # ∂Error/∂w = −(2/2)·(1·1.75 + 2·3.5) = −8.75;  ∂Error/∂b = −(2/2)·(1.75 + 3.5) = −5.25
    dw, db = lo.error_gradient(X1, Y1, 0.25, 0.0)
    assert isinstance(dw, float)
    assert dw == pytest.approx(-8.75, rel=1e-15)
    assert db == pytest.approx(-5.25, rel=1e-15)


def test_error_gradient_many_features_by_hand():
    # X = [[1, 0], [0, 1], [1, 1]], y = [1, 2, 3], w = 0, b = 0: y − ŷ = y
    # ∂Error/∂w = −(2/3)·[1·1 + 1·3, 1·2 + 1·3] = [−8/3, −10/3];  ∂Error/∂b = −(2/3)·6 = −4
    dw, db = lo.error_gradient([[1, 0], [0, 1], [1, 1]], [1, 2, 3], [0, 0], 0)
    np.testing.assert_allclose(dw, [-8 / 3, -10 / 3], rtol=1e-15)
    assert db == pytest.approx(-4.0, rel=1e-15)


# w = 0.25: ŷ = [0.25, 0.5], y − ŷ = [1.75, 3.5], ∂Error/∂w = −8.75, ∂Error/∂b = −5.25.
# w = −0.5: ŷ = [−0.5, −1], y − ŷ = [2.5, 5], ∂Error/∂w = −(2.5 + 10) = −12.5, ∂Error/∂b = −7.5.
# b is never penalised, so every rule moves it by −η·∂Error/∂b.
ARTICLE_EQUATIONS = [
    # eq. 0: w = 0.25 − 0.1·(−8.75) = 1.125;  b = 0 − 0.1·(−5.25) = 0.525
    pytest.param("plain", 0.25, 1.125, 0.525, id="eq. 0 plain"),
    # eq. 1.1, w > 0: w = 0.25 − 0.1·(−8.75) − 0.1·0.5 = 1.125 − 0.05 = 1.075
    pytest.param("l1", 0.25, 1.075, 0.525, id="eq. 1.1 L1 w>0"),
    # eq. 1.2, w < 0: w = −0.5 − 0.1·(−12.5) + 0.1·0.5 = −0.5 + 1.25 + 0.05 = 0.8;  b = 0.75
    pytest.param("l1", -0.5, 0.8, 0.75, id="eq. 1.2 L1 w<0"),
    # eq. 2: w = 0.25 − 0.1·(−8.75 + 2·0.5·0.25) = 0.25 − 0.1·(−8.5) = 1.1
    pytest.param("l2", 0.25, 1.1, 0.525, id="eq. 2 L2"),
]


@pytest.mark.parametrize(("rule", "w", "w_expected", "b_expected"), ARTICLE_EQUATIONS)
def test_article_equations_by_hand(rule, w, w_expected, b_expected):
    w_new, b_new = up.step(X1, Y1, w, 0.0, eta=ETA, lam=LAM, rule=rule)
    assert w_new == pytest.approx(w_expected, rel=1e-15)
    assert b_new == pytest.approx(b_expected, rel=1e-15)


def test_proximal_step_by_hand_and_its_exact_zero():
    # Away from 0: S(0.25 + 0.875, 0.05) = 1.125 − 0.05 = 1.075 (the same as eq. 1.1 here).
    w, _ = up.step(X1, Y1, 0.25, 0.0, eta=ETA, lam=LAM, rule="l1_prox")
    assert w == pytest.approx(1.075, rel=1e-15)
    # Near 0: x = [1, 2], y = [0.1, 0.2], w = 0, b = 0, η = 0.1, λ = 1:
    # ∂Error/∂w = −(1·0.1 + 2·0.2) = −0.5, so w − η·∂Error/∂w = 0.05, inside [−ηλ, ηλ] = [−0.1, 0.1].
    w_prox, _ = up.step([1, 2], [0.1, 0.2], 0.0, 0.0, eta=0.1, lam=1.0, rule="l1_prox")
    assert w_prox == 0.0
    # The subgradient step uses sign(0) = 0 and moves to 0.05, off zero.
    w_sub, _ = up.step([1, 2], [0.1, 0.2], 0.0, 0.0, eta=0.1, lam=1.0, rule="l1")
    assert w_sub == pytest.approx(0.05, rel=1e-14)


def test_sign_of_zero_is_zero_so_l1_keeps_w_at_zero_when_the_data_agree():
    # x = [1, 2], y = [3, 3], w = 0, b = 3: every residual is 0, so ∂Error/∂w = 0 and
    # w − η·[0 + λ·sign(0)] = 0 exactly; b stays 3.
    w, b = up.step([1, 2], [3, 3], 0.0, 3.0, eta=0.1, lam=5.0, rule="l1")
    assert w == 0.0
    assert b == 3.0


def test_elastic_net_rules_combine_both_parts():
    # α = 0.5, w = 0.25: subgradient 0.5·(0.5·1 + 2·0.5·0.25) = 0.375 → w = 1.125 − 0.0375 = 1.0875
    w, _ = up.step(X1, Y1, 0.25, 0.0, eta=ETA, lam=LAM, rule="elasticnet", alpha=0.5)
    assert w == pytest.approx(1.0875, rel=1e-14)
    # proximal: S(1.125, 0.1·0.5·0.5) / (1 + 2·0.1·0.5·0.5) = 1.1 / 1.05
    w, _ = up.step(X1, Y1, 0.25, 0.0, eta=ETA, lam=LAM, rule="elasticnet_prox", alpha=0.5)
    assert w == pytest.approx(1.1 / 1.05, rel=1e-14)


def test_loss_is_error_plus_lambda_times_penalty():
    # Error = (1.75² + 3.5²)/2 = 7.65625; L1: + 0.5·0.25 = 7.78125; L2: + 0.5·0.25² = 7.6875
    assert lo.error(X1, Y1, 0.25, 0.0) == pytest.approx(7.65625, rel=1e-15)
    assert lo.loss(X1, Y1, 0.25, 0.0, LAM, "l1") == pytest.approx(7.78125, rel=1e-15)
    assert lo.loss(X1, Y1, 0.25, 0.0, LAM, "l2") == pytest.approx(7.6875, rel=1e-15)
    assert lo.loss(X1, Y1, 0.25, 0.0, LAM) == pytest.approx(7.65625, rel=1e-15)


# ---------------------------------------------------------------- trajectories


def test_trajectory_starts_at_w0_and_follows_step():
    traj = tr.trajectory(X1, Y1, rule="l2", eta=ETA, lam=LAM, steps=3, w0=0.25)
    assert list(traj.columns) == ["rule", "step", "feature", "w", "b", "error", "loss", "diverged"]
    assert traj["step"].tolist() == [0, 1, 2, 3]
    assert traj["feature"].unique().tolist() == ["x"]
    assert traj["w"].iloc[0] == 0.25
    w1, b1 = up.step(X1, Y1, 0.25, 0.0, eta=ETA, lam=LAM, rule="l2")
    assert (traj["w"].iloc[1], traj["b"].iloc[1]) == (w1, b1)
    assert traj["loss"].iloc[1] == pytest.approx(lo.loss(X1, Y1, w1, b1, LAM, "l2"), rel=1e-15)
    assert not traj["diverged"].any()


def test_trajectory_records_every_kth_step_and_the_last():
    traj = tr.trajectory(X1, Y1, rule="plain", eta=0.01, steps=10, every=4)
    assert traj["step"].tolist() == [0, 4, 8, 10]


def _lasso_at_zero_problem():
    """One feature whose lasso solution at λ = 0.5 is w = 0: λ_max = (2/n)·|xᵀ(y − ȳ)| = 0.125."""
    x = np.array([-1.0, -0.5, 0.5, 1.0])
    y = np.array([0.3, -0.2, 0.1, -0.1])
    # y − ȳ = [0.275, −0.225, 0.075, −0.125]; xᵀ(y − ȳ) = −0.25; λ_max = (2/4)·0.25 = 0.125
    return x, y


def test_small_eta_l1_subgradient_jitters_while_proximal_sits_exactly_at_zero():
    x, y = _lasso_at_zero_problem()
    traj = tr.trajectories(x, y, rules=["l1", "l1_prox"], eta=0.01, lam=0.5, steps=2000, w0=1.0)
    last = tr.sign_changes(traj, last=100).set_index("rule")
    # The subgradient iterate keeps crossing 0 (the kick ηλ = 0.005 always overshoots) ...
    assert last.loc["l1", "crossings"] >= 30
    assert last.loc["l1", "steps_at_zero"] == 0
    assert not last.loc["l1", "ends_at_zero"]
    # ... while the proximal iterate is exactly 0.0 for the whole window.
    assert last.loc["l1_prox", "crossings"] == 0
    assert last.loc["l1_prox", "steps_at_zero"] == 100
    prox_tail = traj[traj["rule"] == "l1_prox"]["w"].to_numpy()[-100:]
    assert (prox_tail == 0.0).all()
    # and b has reached ȳ, the lasso intercept when w = 0
    assert traj[traj["rule"] == "l1_prox"]["b"].iloc[-1] == pytest.approx(y.mean(), abs=1e-12)


def test_l2_shrinks_geometrically_and_never_reaches_zero_when_the_data_term_is_zero():
    # x = 0 and y = 0 make ∂Error/∂w = 0, so eq. 2 reads w ← w·(1 − 2ηλ) = w·0.9.
    traj = tr.trajectory(np.zeros(5), np.zeros(5), rule="l2", eta=0.1, lam=0.5, steps=200, w0=2.0)
    np.testing.assert_allclose(traj["w"], 2.0 * 0.9 ** traj["step"].to_numpy(), rtol=1e-12)
    assert (traj["w"] > 0).all()


def test_plain_descent_converges_to_least_squares():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 3))
    y = X @ [1.5, -2.0, 0.3] + 4.0 + rng.normal(size=40)
    eta = up.eta_limit(X) / 2  # 1/L, the textbook step
    traj = tr.trajectory(X, y, rule="plain", eta=eta, steps=3000)
    end = traj[traj["step"] == 3000]
    exact, *_ = np.linalg.lstsq(np.column_stack([X, np.ones(40)]), y, rcond=None)
    np.testing.assert_allclose(end["w"], exact[:3], atol=1e-9)
    assert end["b"].iloc[0] == pytest.approx(exact[3], abs=1e-9)
    assert end["feature"].tolist() == ["x1", "x2", "x3"]


def _standardised_sparse_problem():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(60, 6))
    X[:, 1] += 0.5 * X[:, 0]
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    y = X @ [2.0, 0.0, 0.0, -1.0, 0.0, 0.5] + 1.0 + rng.normal(size=60)
    return X, y


def test_proximal_iteration_converges_to_the_lasso_with_exact_zeros():
    X, y = _standardised_sparse_problem()
    lam = 0.5
    eta = up.eta_limit(X, rule="l1_prox") / 2
    traj = tr.trajectory(X, y, rule="l1_prox", eta=eta, lam=lam, steps=4000, every=4000)
    w = traj[traj["step"] == 4000]["w"].to_numpy()
    sk = SkLasso(alpha=lam / 2, tol=1e-14, max_iter=100_000).fit(X, y)  # our λ ↔ sklearn α = λ/2
    np.testing.assert_allclose(w, sk.coef_, atol=1e-9)
    assert (sk.coef_ == 0).sum() >= 2
    assert ((w == 0.0) == (sk.coef_ == 0)).all()


def test_proximal_iteration_reaches_regcore_lasso_on_unstandardised_data():
    # The page compares descent on X as given with regcore's exact lasso, so standardize=False.
    rng = np.random.default_rng(11)
    X = rng.normal(size=(50, 4)) * [1.0, 3.0, 0.5, 2.0] + [0.0, 1.0, -2.0, 5.0]
    y = X @ [1.0, 0.0, 0.0, -0.5] + 2.0 + rng.normal(size=50)
    lam = 0.8
    eta = up.eta_limit(X, rule="l1_prox") / 2
    traj = tr.trajectory(X, y, rule="l1_prox", eta=eta, lam=lam, steps=20_000, every=20_000)
    end = traj[traj["step"] == 20_000]
    exact = regcore.Lasso(lam, standardize=False).fit(X, y)
    np.testing.assert_allclose(end["w"], exact.coef_, atol=1e-8)
    assert end["b"].iloc[0] == pytest.approx(exact.intercept_, abs=1e-7)
    assert ((end["w"].to_numpy() == 0.0) == (exact.coef_ == 0)).all()
    assert (exact.coef_ == 0).any()


def test_elastic_net_proximal_iteration_converges_to_sklearn_elastic_net():
    X, y = _standardised_sparse_problem()
    lam, alpha = 0.5, 0.5
    eta = up.eta_limit(X, rule="elasticnet_prox", alpha=alpha) / 2
    traj = tr.trajectory(
        X, y, rule="elasticnet_prox", eta=eta, lam=lam, alpha=alpha, steps=4000, every=4000
    )
    w = traj[traj["step"] == 4000]["w"].to_numpy()
    # our λ, α ↔ sklearn alpha = λ(1 − α/2), l1_ratio = α/(2 − α) (regcore/conversions.py)
    sk = SkElasticNet(
        alpha=lam * (1 - alpha / 2), l1_ratio=alpha / (2 - alpha), tol=1e-14, max_iter=100_000
    )
    np.testing.assert_allclose(w, sk.fit(X, y).coef_, atol=1e-9)


def test_feature_names_come_from_a_dataframe():
    X = pd.DataFrame({"age": [1.0, 2.0, 3.0], "bmi": [0.5, 0.1, 0.9]})
    traj = tr.trajectory(X, [1.0, 2.0, 2.5], rule="plain", eta=0.01, steps=2)
    assert traj["feature"].tolist() == ["age", "bmi"] * 3


# ---------------------------------------------------------------- divergence


def test_eta_limit_separates_convergence_from_divergence():
    rng = np.random.default_rng(2)
    x = rng.normal(size=30)
    y = 0.5 * x + rng.normal(size=30)
    limit = up.eta_limit(x)
    calm = tr.trajectory(x, y, rule="plain", eta=0.9 * limit, steps=300)
    assert not calm["diverged"].any()
    assert calm["loss"].iloc[-1] < calm["loss"].iloc[0]
    # just above the limit the loss grows ~4 % a step: after 100 steps not blown up, but flagged
    slow = tr.trajectory(x, y, rule="plain", eta=1.01 * limit, steps=100)
    assert slow["diverged"].all()
    assert slow["step"].max() == 100


def test_blow_up_stops_the_run_with_finite_numbers_and_a_flag():
    x, y = [1.0, 2.0, 3.0], [1.0, 2.0, 2.0]
    traj = tr.trajectory(x, y, rule="l2", eta=50.0, lam=0.1, steps=1000)
    assert traj["diverged"].all()
    assert traj["step"].max() < 1000
    assert np.isfinite(traj[["w", "b", "error", "loss"]].to_numpy()).all()


def test_eta_limit_adds_the_l2_curvature_only_for_gradient_rules():
    # x = 0: the Hessian in (w, b) is diag(0, 2); the L2 gradient adds 2λ = 6 to the w entry.
    x = np.zeros(4)
    assert up.eta_limit(x) == pytest.approx(1.0)
    assert up.eta_limit(x, lam=3.0, rule="l2") == pytest.approx(2 / 6)
    assert up.eta_limit(x, lam=3.0, rule="l1_prox") == pytest.approx(1.0)


# ---------------------------------------------------------------- summaries


def test_sign_changes_counts_crossings_and_zeros():
    traj = pd.DataFrame(
        {"rule": "l1", "feature": "x", "step": range(5), "w": [1.0, -1.0, 0.0, 2.0, -3.0]}
    )
    row = tr.sign_changes(traj).iloc[0]
    # (1, −1) and (2, −3) jump over 0; (−1, 0) and (0, 2) touch it
    assert row["crossings"] == 2
    assert row["steps_at_zero"] == 1
    assert row["final_w"] == -3.0
    assert not row["ends_at_zero"]


def test_final_weights_and_zero_counts_include_the_exact_solution():
    traj = pd.DataFrame(
        {
            "rule": ["l1_prox"] * 4 + ["plain"] * 4,
            "feature": ["a", "b"] * 4,
            "step": [0, 0, 1, 1] * 2,
            "w": [1.0, 1.0, 0.5, 0.0, 1.0, 1.0, 0.7, 0.2],
        }
    )
    final = tr.final_weights(traj, exact={"a": 0.5, "b": 0.0})
    assert final[final["rule"] == "l1_prox"]["w"].tolist() == [0.5, 0.0]
    assert final[final["rule"] == "exact"]["w"].tolist() == [0.5, 0.0]
    counts = tr.zero_counts(final).set_index("rule")["exact_zeros"]
    assert counts.to_dict() == {"l1_prox": 1, "plain": 0, "exact": 1}


# ---------------------------------------------------------------- the two-weight picture


def _orthogonal_problem():
    """Centred orthogonal features with H = XᵀX/n = I and y = 3 + 2·x1 + 0.5·x2, so w_ls = (2, 0.5)."""
    X = np.array([[1.0, 1.0], [-1.0, 1.0], [1.0, -1.0], [-1.0, -1.0]])
    return X, 3.0 + X @ [2.0, 0.5]


def test_l1_ball_optimum_is_a_corner_with_an_exact_zero():
    # With H = I the lasso soft-thresholds w_ls: S((2, 0.5), λ/2) has ‖·‖₁ = 1 at λ/2 = 1 → (1, 0).
    X, y = _orthogonal_problem()
    opt = geo.constrained_optimum(X, y, 1.0, "l1")
    assert opt.w[1] == 0.0
    assert opt.w[0] == 1.0
    assert np.abs(opt.w).sum() == 1.0  # on the diamond's boundary
    assert opt.b == pytest.approx(3.0)
    assert opt.lam == pytest.approx(2.0)
    assert opt.active


def test_l2_ball_optimum_scales_least_squares_onto_the_circle():
    # With H = I: w = w_ls/(1 + λ) on ‖w‖₂ = 1, so λ = ‖(2, 0.5)‖ − 1 = √4.25 − 1; no zero.
    X, y = _orthogonal_problem()
    opt = geo.constrained_optimum(X, y, 1.0, "l2")
    np.testing.assert_allclose(opt.w, np.array([2.0, 0.5]) / math.sqrt(4.25), rtol=1e-12)
    assert opt.lam == pytest.approx(math.sqrt(4.25) - 1, rel=1e-12)
    assert (opt.w != 0).all()


def _correlated_two_features():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(50, 2))
    X[:, 1] += 0.7 * X[:, 0]
    return X, X @ [1.5, 0.4] - 2.0 + 0.5 * rng.normal(size=50)


def test_constrained_optima_match_the_penalised_fits_at_their_lambda():
    X, y = _correlated_two_features()
    l1 = geo.constrained_optimum(X, y, 0.8, "l1")
    l2 = geo.constrained_optimum(X, y, 0.8, "l2")
    assert np.abs(l1.w).sum() == pytest.approx(0.8, rel=1e-12)
    assert np.linalg.norm(l2.w) == pytest.approx(0.8, rel=1e-10)
    lasso = SkLasso(alpha=l1.lam / 2, tol=1e-14, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(l1.w, lasso.coef_, atol=1e-8)
    assert l1.b == pytest.approx(lasso.intercept_, abs=1e-8)
    ridge = SkRidge(alpha=len(y) * l2.lam).fit(X, y)  # our λ ↔ sklearn α = n·λ
    np.testing.assert_allclose(l2.w, ridge.coef_, rtol=1e-9)


def test_constraint_is_inactive_when_least_squares_fits_inside():
    X, y = _orthogonal_problem()
    opt = geo.constrained_optimum(X, y, 10.0, "l1")
    np.testing.assert_allclose(opt.w, [2.0, 0.5])
    assert opt.lam == 0.0
    assert not opt.active


def test_error_contours_lie_on_their_level():
    X, y = _correlated_two_features()
    contours = geo.error_contours(X, y, [3.0, 5.0, -1.0])
    # the level −1 lies below the smallest error, so it has no contour
    assert sorted(contours["level"].unique()) == [0, 1]
    x_mean, y_mean = X.mean(axis=0), y.mean()
    for row in contours.sample(10, random_state=0).itertuples():
        w = np.array([row.w1, row.w2])
        assert lo.error(X, y, w, y_mean - x_mean @ w) == pytest.approx(row.error, rel=1e-10)


def test_loss_surface_is_the_error_with_the_best_intercept():
    X, y = _correlated_two_features()
    surface = geo.loss_surface(X, y, grid=([0.0, 1.5], [0.0, 0.4]))
    assert len(surface) == 4
    row = surface[(surface["w1"] == 1.5) & (surface["w2"] == 0.4)].iloc[0]
    w = np.array([1.5, 0.4])
    assert row["error"] == pytest.approx(
        lo.error(X, y, w, y.mean() - X.mean(axis=0) @ w), rel=1e-12
    )
    assert len(geo.loss_surface(X, y, grid=11)) == 121


def test_ball_outlines_are_closed_and_on_the_boundary():
    diamond = geo.ball_outline(2.0, "l1")
    disc = geo.ball_outline(2.0, "l2")
    np.testing.assert_allclose(diamond["w1"].abs() + diamond["w2"].abs(), 2.0)
    np.testing.assert_allclose(np.hypot(disc["w1"], disc["w2"]), 2.0)
    for outline in (diamond, disc):
        first, last = outline.iloc[0], outline.iloc[-1]
        assert (first["w1"], first["w2"]) == pytest.approx((last["w1"], last["w2"]))


def test_two_weight_frames_hold_optima_balls_and_touching_contours():
    X, y = _orthogonal_problem()
    frames = geo.two_weight_frames(X, y, 1.0, n_levels=3)
    assert frames["optima"]["norm"].tolist() == ["none", "l1", "l2"]
    assert set(frames["balls"]["norm"]) == {"l1", "l2"}
    touching = frames["contours"].groupby("touches")["error"].first()
    assert set(touching.index) == {"", "l1", "l2"}
    assert touching["l1"] == pytest.approx(frames["optima"].set_index("norm").loc["l1", "error"])
    assert frames["contours"]["level"].nunique() == 5


# ---------------------------------------------------------------- plain-language errors


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"eta": 0.0}, "learning rate η must be positive"),
        ({"eta": -1.0}, "learning rate η must be positive"),
        ({"eta": float("nan")}, "learning rate η must be a finite number"),
        ({"lam": -0.1}, "penalty strength λ must be zero or positive"),
        ({"steps": -1}, "number of steps must be a whole number from 0 to 100000"),
        ({"steps": tr.MAX_STEPS + 1}, "number of steps must be a whole number"),
        ({"steps": 2.5}, "number of steps must be a whole number"),
        ({"steps": True}, "number of steps must be a whole number"),
        ({"rule": "l3"}, "Unknown update rule 'l3'"),
        ({"rule": "elasticnet", "alpha": 1.5}, "mixing α must lie between 0"),
        ({"w0": [1.0, 2.0]}, "w0 has 2 values but there are 1 features"),
    ],
)
def test_trajectory_rejects_bad_settings_in_plain_words(settings, message):
    kwargs = {"rule": "plain", "eta": 0.1, "lam": 0.1, "steps": 5} | settings
    with pytest.raises(ValueError, match=message):
        tr.trajectory(X1, Y1, **kwargs)


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        ([1.0, 2.0, 3.0], [1.0, 2.0], "X has 3 rows but y has 2: they must match"),
        ([1.0, float("nan")], [1.0, 2.0], "X contains 1 missing or infinite value"),
        ([1.0, 2.0], [1.0, float("inf")], "y contains 1 missing or infinite value"),
        (["a", "b"], [1.0, 2.0], "X must hold numbers only"),
        ([], [], "At least 2 rows are needed"),
    ],
)
def test_bad_data_is_refused_in_plain_words(X, y, message):
    with pytest.raises(ValueError, match=message):
        up.step(X, y, 0.0, 0.0, eta=0.1)


def test_too_many_rows_are_refused_before_running():
    X = np.zeros((3, 30))
    with pytest.raises(ValueError, match="raise 'every'"):
        tr.trajectory(X, np.zeros(3), rule="plain", eta=0.1, steps=tr.MAX_STEPS)


def test_two_weight_picture_refuses_what_it_cannot_draw():
    X, y = _orthogonal_problem()
    with pytest.raises(ValueError, match="exactly two features; got 3"):
        geo.constrained_optimum(np.column_stack([X, X[:, 0]]), y, 1.0)
    with pytest.raises(ValueError, match="perfect lockstep"):
        geo.constrained_optimum(np.column_stack([X[:, 0], 2 * X[:, 0]]), y, 1.0)
    with pytest.raises(ValueError, match="radius t must be positive"):
        geo.constrained_optimum(X, y, 0.0)
    with pytest.raises(ValueError, match="'l1' \\(diamond\\) or 'l2' \\(disc\\)"):
        geo.constrained_optimum(X, y, 1.0, "l3")
