"""Cached views for the article page: every number it shows, from ``regcore.article``.

As in ``loaders``: each cached function takes the data's digest, the design settings and
small hashable settings, and the bytes as ``_data`` (not hashed), so a cache key is
exactly (digest, settings) and no DataFrame or array is ever hashed.  The small examples
(norms, overfitting) depend on their settings alone.  ``Loaded``-taking helpers at the
bottom are what the page calls.
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
    """The training rows for the lesson: features standardised, y as is and standardised."""

    Xs: pd.DataFrame
    y: np.ndarray
    y_std: np.ndarray
    sampled: bool  # fewer rows than the training set (a seeded sample)

    @property
    def names(self) -> list[str]:
        return list(self.Xs.columns)


@st.cache_data(**resources.FITS, show_spinner=False)
def lesson(digest: str, design_key: tuple, _data: bytes) -> Lesson:
    design = loaders.build_design(digest, design_key, _data)
    Xs, y = views.standardized_training(design)
    return Lesson(Xs, y, views.standardized_target(y), len(y) < design.n_train)


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
    digest: str, design_key: tuple, feature: str, ratio: float, eta: float, steps: int, _data
) -> OneFeature:
    data = lesson(digest, design_key, _data)
    x = data.Xs[feature].to_numpy()
    lam_max = lambda_max(x[:, None], data.y_std)
    lam = ratio * lam_max
    eta_stable = updates.eta_limit(x, lam=lam, rule="l2")
    try:
        traj = trajectory.trajectories(
            x, data.y_std, rules=RULES_SHOWN, eta=eta, lam=lam, steps=steps
        )
    except ValueError as exc:
        return OneFeature(lam, lam_max, eta_stable, pd.DataFrame(), str(exc), pd.DataFrame())
    changes = trajectory.sign_changes(traj, last=JITTER_WINDOW)
    return OneFeature(lam, lam_max, eta_stable, traj, None, changes)


@st.cache_data(**resources.FITS, show_spinner=False)
def loss_curves(
    digest: str, design_key: tuple, feature: str, lam: float, _data
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(L, L1, L2 over w with b = 0, the best b of standardised y; |w|'s subgradient lines)."""
    data = lesson(digest, design_key, _data)
    x = data.Xs[feature].to_numpy()
    w_ls = float(x @ data.y_std / max(float(x @ x), np.finfo(float).tiny))
    reach = max(1.5 * abs(w_ls), 1.0)
    curves = losses.loss_curves(x, data.y_std, 0.0, lam, np.linspace(-reach, reach, 201))
    return curves, losses.abs_subgradients(1.0)


@dataclass(frozen=True)
class Worked:
    """The article's forms at one step of the plain run, on the data's numbers."""

    step: int
    w: float
    b: float
    x_row: float
    y_row: float
    H_row: float  # 2x(wx + b − y) of the first training row
    H: float  # the same averaged over the rows: ∂L/∂w
    forms: pd.DataFrame


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
) -> Worked | None:
    run = one_feature(digest, design_key, feature, ratio, eta, steps, _data)
    plain = run.traj[(run.traj["rule"] == "plain") & (run.traj["step"] <= shown)]
    if plain.empty:
        return None
    last = plain.iloc[-1]
    data = lesson(digest, design_key, _data)
    x = data.Xs[feature].to_numpy()
    w, b = float(last["w"]), float(last["b"])
    H, _ = losses.error_gradient(x, data.y_std, w, b)
    x0, y0 = float(x[0]), float(data.y_std[0])
    return Worked(
        step=int(last["step"]),
        w=w,
        b=b,
        x_row=x0,
        y_row=y0,
        H_row=2.0 * x0 * (w * x0 + b - y0),
        H=H,
        forms=updates.article_forms(w, H, run.lam, eta),
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
    digest: str, design_key: tuple, lam_lasso: float, lam_ridge: float, _data
) -> Sparsity:
    """The lasso and the ridge at their λ on the standardised features, as equations."""
    design = loaders.build_design(digest, design_key, _data)
    names = list(design.feature_names)
    y_mean = float(np.mean(design.y_train))  # the intercept of standardised features
    fits = {}
    for penalty, lam in (("lasso", lam_lasso), ("ridge", lam_ridge)):
        path = regcore.fit_path(
            design.X_train, design.y_train, penalty, lambdas=[lam], feature_names=names
        )
        fits[penalty] = (path.coef_std[0], y_mean)
    return Sparsity(
        lam_lasso,
        lam_ridge,
        *(sparsity.model_equation(b, w, names) for w, b in fits.values()),
        sparsity.weight_table(names, fits["lasso"][0], fits["ridge"][0]),
    )


@st.cache_data(**resources.FITS, show_spinner="Running the updates on every feature…")
def all_features(digest: str, design_key: tuple, lam: float, steps: int, _data):
    """(η used, final weights of the four rules and of the exact lasso, zero counts)."""
    data = lesson(digest, design_key, _data)
    eta = 0.9 * updates.eta_limit(data.Xs, lam=lam, rule="l2")
    traj = trajectory.trajectories(
        data.Xs,
        data.y,
        rules=RULES_SHOWN,
        eta=eta,
        lam=lam,
        steps=steps,
        every=max(1, steps // 50),
    )
    exact = regcore.fit_path(data.Xs, data.y, "lasso", lambdas=[lam], standardize=False).coef[0]
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
