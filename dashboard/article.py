"""Cached views for the article page: every number it shows, from ``regcore.article``.

As in ``loaders``: each cached function takes the data's digest, the design settings and
small hashable settings, and the bytes as ``_data`` (not hashed), so a cache key is
exactly (digest, settings) and no DataFrame or array is ever hashed.  The small examples
(norms, overfitting) depend on their settings alone.  ``Loaded``-taking helpers at the
bottom are what the page calls.

``error`` is "squared" (the article's) or, for a two-valued target fitted by the logistic
family, "logistic": the runs, curves and worked step then descend the log-loss of the
target's 0/1 codes (``regcore.article.losses.ERRORS``), the penalties' parts unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

import regcore
from dashboard import loaders, resources, views
from regcore.article import (
    geometry,
    losses,
    norms,
    overfitting,
    sparsity,
    trajectory,
    updates,
)
from regcore.penalties import lambda_max
from regcore.solvers.logistic import sigmoid

RULES_SHOWN = ("plain", "l1", "l2", "l1_prox")
JITTER_WINDOW = 30


# ---------------------------------------------------------------- 1. norms


@st.cache_data(**resources.FITS, show_spinner=False)
def norms_view(p: float, w1: float, w2: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(balls, table): the unit balls p = 1, 2 and the chosen p, the chosen p's ball
    through the point w, and the norms of w."""
    p_label = "∞" if np.isinf(p) else f"{p:g}"
    radius = norms.p_norm([w1, w2], p)
    frames = [norms.unit_ball(q).assign(ball=f"p = {q:g}") for q in (1, 2)]
    if p not in (1, 2):
        frames.append(norms.unit_ball(p).assign(ball=f"p = {p_label}"))
    if radius > 0:
        through = norms.unit_ball(p)
        through[["w1", "w2"]] *= radius
        frames.append(through.assign(ball=f"‖w‖ₚ = {radius:.3g} (p = {p_label})"))
    return pd.concat(frames, ignore_index=True), norms.norms_table([w1, w2], p)


# ---------------------------------------------------------------- the lesson's data


@dataclass(frozen=True)
class Lesson:
    """The training rows for the lesson: features standardised, y as is and standardised,
    and its 0/1 codes when the target has two values."""

    Xs: pd.DataFrame
    y: np.ndarray
    y_std: np.ndarray
    sampled: bool  # fewer rows than the training set (a seeded sample)
    y01: np.ndarray | None = None

    @property
    def names(self) -> list[str]:
        return list(self.Xs.columns)

    def target(self, error: str) -> np.ndarray:
        """What the one-feature lesson descends: standardised y, or the 0/1 codes (log-loss)."""
        return self.y01 if error == "logistic" else self.y_std

    def lambda_max(self, x: np.ndarray, error: str) -> float:
        """The smallest λ at which L1's best one-feature w is exactly 0.  The log-loss's slope
        at w = 0 (b at the log-odds of ȳ) is (1/n)·xᵀ(ȳ − y), half the squared error's."""
        return lambda_max(x[:, None], self.target(error)) * (0.5 if error == "logistic" else 1.0)


@st.cache_data(**resources.FITS, show_spinner=False)
def lesson(digest: str, design_key: tuple, _data: bytes) -> Lesson:
    design = loaders.build_design(digest, design_key, _data)
    Xs, y = views.standardized_training(design)
    y01 = None if design.binary is None else design.binary.codes(y)
    return Lesson(Xs, y, views.standardized_target(y), len(y) < design.n_train, y01)


# ---------------------------------------------------------------- 2–3. one feature


@dataclass(frozen=True)
class OneFeature:
    """The one-feature descent: λ, its λ_max, the stable η and the four rules' runs."""

    lam: float
    lam_max: float
    eta_stable: float  # the plain and L2 steps are stable below it
    traj: pd.DataFrame
    error: str | None  # a plain message when the run could not be made
    changes: pd.DataFrame  # sign_changes over the last JITTER_WINDOW steps


@st.cache_data(**resources.FITS, show_spinner="Running the updates…")
def one_feature(
    digest: str,
    design_key: tuple,
    feature: str,
    ratio: float,
    eta: float,
    steps: int,
    _data,
    error: str = "squared",
) -> OneFeature:
    data = lesson(digest, design_key, _data)
    x = data.Xs[feature].to_numpy()
    lam_max = data.lambda_max(x, error)
    lam = ratio * lam_max
    eta_stable = updates.eta_limit(x, lam=lam, rule="l2", error=error)
    try:
        traj = trajectory.trajectories(
            x, data.target(error), rules=RULES_SHOWN, eta=eta, lam=lam, steps=steps, error=error
        )
    except ValueError as exc:
        return OneFeature(lam, lam_max, eta_stable, pd.DataFrame(), str(exc), pd.DataFrame())
    changes = trajectory.sign_changes(traj, last=JITTER_WINDOW)
    return OneFeature(lam, lam_max, eta_stable, traj, None, changes)


@st.cache_data(**resources.FITS, show_spinner=False)
def loss_curves(
    digest: str, design_key: tuple, feature: str, lam: float, _data, error: str = "squared"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(L, L1, L2 over w with b at its best for w = 0: 0 for standardised y, the log-odds of
    ȳ for the log-loss; |w|'s subgradient lines)."""
    data = lesson(digest, design_key, _data)
    x, y = data.Xs[feature].to_numpy(), data.target(error)
    w_ls = float(x @ (y - y.mean()) / max(float(x @ x), np.finfo(float).tiny))
    b = 0.0
    if error == "logistic":
        b = float(np.log(y.mean() / (1.0 - y.mean())))
        w_ls *= 4.0  # σ'(0) = ¼: near p = ½ the log-odds slope is about 4× the 0/1 slope
    reach = max(1.5 * abs(w_ls), 1.0)
    curves = losses.loss_curves(x, y, b, lam, np.linspace(-reach, reach, 201), error=error)
    return curves, losses.abs_subgradients(1.0)


@dataclass(frozen=True)
class Worked:
    """The article's forms at one step of the plain run, on the data's numbers."""

    step: int
    w: float
    b: float
    x_row: float
    y_row: float
    H_row: float  # 2x(wx + b − y) of the first training row; (p − y)x for the log-loss
    H: float  # the same averaged over the rows: ∂L/∂w
    forms: pd.DataFrame
    p_row: float | None = None  # the log-loss's p = σ(wx + b) of the first row


@st.cache_data(**resources.FITS, show_spinner=False)
def worked_example(
    digest: str,
    design_key: tuple,
    feature: str,
    ratio: float,
    eta: float,
    steps: int,
    shown: int,
    _data,
    error: str = "squared",
) -> Worked | None:
    run = one_feature(digest, design_key, feature, ratio, eta, steps, _data, error)
    plain = run.traj[(run.traj["rule"] == "plain") & (run.traj["step"] <= shown)]
    if plain.empty:
        return None
    last = plain.iloc[-1]
    data = lesson(digest, design_key, _data)
    x, y = data.Xs[feature].to_numpy(), data.target(error)
    w, b = float(last["w"]), float(last["b"])
    gradient = losses.error_term(error).gradient
    H = float(gradient(x[:, None], y, np.array([w]), b)[0][0])
    x0, y0 = float(x[0]), float(y[0])
    H_row = float(gradient(x[:1, None], y[:1], np.array([w]), b)[0][0])  # the first row alone
    p_row = float(sigmoid(w * x0 + b)) if error == "logistic" else None
    return Worked(
        step=int(last["step"]),
        w=w,
        b=b,
        x_row=x0,
        y_row=y0,
        H_row=H_row,
        H=H,
        forms=updates.article_forms(w, H, run.lam, eta),
        p_row=p_row,
    )


# ---------------------------------------------------------------- 4. overfitting


@dataclass(frozen=True)
class Overfit:
    example: overfitting.Example
    sweeps: dict[str, overfitting.Sweep]
    least_squares: regcore.Path
    ls_train: float
    ls_test: float
    errors: pd.DataFrame

    @property
    def lambdas(self) -> np.ndarray:
        return next(iter(self.sweeps.values())).lambdas


@st.cache_data(**resources.FITS, show_spinner="Fitting the example…")
def overfit(seed: int, degree: int) -> Overfit:
    example = overfitting.make_example(seed=seed, degree=degree)
    grid = overfitting.lambda_grid(example)
    sweeps = {p: overfitting.sweep(example, p, grid) for p in overfitting.PENALTIES}
    ls = overfitting.least_squares(example)
    X_train, X_test = example.features(example.x_train), example.features(example.x_test)
    return Overfit(
        example,
        sweeps,
        ls,
        float(ls.mse(X_train, example.y_train)[0]),
        float(ls.mse(X_test, example.y_test)[0]),
        overfitting.error_table(list(sweeps.values())),
    )


@st.cache_data(**resources.FITS, show_spinner=False)
def overfit_picture(seed: int, degree: int, penalty: str, index: int):
    """(points, curves, train error, test error, number of non-zero weights) at grid λ[index]."""
    view = overfit(seed, degree)
    example, s = view.example, view.sweeps[penalty]
    lam = float(s.lambdas[index])
    points = pd.concat(
        [
            pd.DataFrame({"x": example.x_train, "y": example.y_train, "rows": "train"}),
            pd.DataFrame({"x": example.x_test, "y": example.y_test, "rows": "test"}),
        ],
        ignore_index=True,
    )
    truth = pd.DataFrame({"x": np.linspace(-1, 1, 241)})
    truth["y"] = overfitting.truth(truth["x"])
    curves = pd.concat(
        [
            truth.assign(curve="truth sin(πx)"),
            overfitting.curve(example, view.least_squares, 0.0).assign(
                curve="least squares (λ = 0)"
            ),
            overfitting.curve(example, s.path, lam).assign(curve=overfitting.PENALTIES[penalty]),
        ],
        ignore_index=True,
    )
    nonzero = int(s.path.n_nonzero[index])
    return points, curves, float(s.train_mse[index]), float(s.test_mse[index]), nonzero


# ---------------------------------------------------------------- 5. sparsity


@dataclass(frozen=True)
class Sparsity:
    lam_lasso: float
    lam_ridge: float
    lasso_equation: str
    ridge_equation: str
    table: pd.DataFrame  # ``sparsity.weight_table``

    def count(self, model: str, kind: str) -> int:
        """How many of ``model``'s ("lasso"/"ridge") weights are ``kind`` ("exactly 0", …)."""
        return int((self.table[f"{model}_is"] == kind).sum())


@st.cache_data(**resources.FITS, show_spinner=False)
def sparsity_view(
    digest: str,
    design_key: tuple,
    lam_lasso: float,
    lam_ridge: float,
    _data,
    error: str = "squared",
) -> Sparsity:
    """The lasso and the ridge at their λ on the standardised features, as equations (of the
    log-odds of 1 for the log-loss, fitted by the logistic family on the 0/1 codes)."""
    design = loaders.build_design(digest, design_key, _data)
    names = list(design.feature_names)
    logistic = error == "logistic"
    y = design.binary.codes(design.y_train) if logistic else design.y_train
    family = "logistic" if logistic else "gaussian"
    fits = {}
    for penalty, lam in (("lasso", lam_lasso), ("ridge", lam_ridge)):
        path = regcore.fit_path(
            design.X_train, y, penalty, lambdas=[lam], feature_names=names, family=family
        )
        # the intercept of standardised features: the prediction at the mean row (ȳ, linear)
        fits[penalty] = (path.coef_std[0], float(path.intercept[0] + path.coef[0] @ path.x_mean))
    target = "log-odds" if logistic else "ŷ"
    return Sparsity(
        lam_lasso,
        lam_ridge,
        *(sparsity.model_equation(b, w, names, target=target) for w, b in fits.values()),
        sparsity.weight_table(names, fits["lasso"][0], fits["ridge"][0]),
    )


@st.cache_data(**resources.FITS, show_spinner="Running the updates on every feature…")
def all_features(
    digest: str, design_key: tuple, lam: float, steps: int, _data, error: str = "squared"
):
    """(η used, final weights of the four rules and of the exact lasso, zero counts); on the
    log-loss of the 0/1 codes for ``error="logistic"``."""
    data = lesson(digest, design_key, _data)
    logistic = error == "logistic"
    y = data.y01 if logistic else data.y
    eta = 0.9 * updates.eta_limit(data.Xs, lam=lam, rule="l2", error=error)
    traj = trajectory.trajectories(
        data.Xs,
        y,
        rules=RULES_SHOWN,
        eta=eta,
        lam=lam,
        steps=steps,
        every=max(1, steps // 50),
        error=error,
    )
    exact = regcore.fit_path(
        data.Xs,
        y,
        "lasso",
        lambdas=[lam],
        standardize=False,
        family="logistic" if logistic else "gaussian",
    ).coef[0]
    final = trajectory.final_weights(traj, exact=exact, exact_label="exact lasso")
    return eta, final, trajectory.zero_counts(final)


# ---------------------------------------------------------------- 6. the diamond and the disc


@dataclass(frozen=True)
class TwoWeights:
    frames: dict[str, pd.DataFrame] | None
    path: pd.DataFrame | None
    error: str | None


@st.cache_data(**resources.FITS, show_spinner=False)
def corner_share(digest: str, design_key: tuple, f1: str, f2: str, _data) -> float | None:
    """A budget share (of ‖w_least squares‖₁, a multiple of 0.01) whose L1 optimum is a corner:
    half the largest such budget.  None when the two features cannot be drawn."""
    data = lesson(digest, design_key, _data)
    X2 = data.Xs[[f1, f2]].to_numpy()
    try:
        share = geometry.corner_budget(X2, data.y_std) / geometry.least_squares_l1(X2, data.y_std)
    except ValueError:
        return None
    return max(0.01, np.floor(50 * share) / 100)


@st.cache_data(**resources.FITS, show_spinner=False)
def two_weights(digest: str, design_key: tuple, f1: str, f2: str, share: float, _data):
    data = lesson(digest, design_key, _data)
    X2 = data.Xs[[f1, f2]].to_numpy()
    try:
        radius = max(share * geometry.least_squares_l1(X2, data.y_std), 1e-12)
        frames = geometry.two_weight_frames(X2, data.y_std, radius)
        l1 = frames["optima"].set_index("norm").loc["l1"]
        path = trajectory.trajectory(
            X2,
            data.y_std,
            rule="l1_prox",
            eta=0.9 * updates.eta_limit(X2),
            lam=float(l1["lam"]),
            steps=200,
            every=4,
            feature_names=[f1, f2],
        )
    except ValueError as exc:
        return TwoWeights(None, None, str(exc))
    return TwoWeights(frames, path, None)


# ---------------------------------------------------------------- what the page calls


def key(loaded: loaders.Loaded) -> tuple[str, tuple]:
    """(digest, design settings) of the current data: the first two arguments of every view."""
    return loaded.source.digest, loaded.settings.design_key()
