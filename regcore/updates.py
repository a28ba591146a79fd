"""The seed article's gradient-descent updates, step by step, and the two-weight picture.

The model is ŷ = wx + b (one feature) or ŷ = b + xᵀw (many).  The article writes

    Loss = Error + λ·penalty,        Error = (1/n)·Σᵢ (yᵢ − ŷᵢ)²

    ∂Error/∂w = −(2/n)·Σᵢ xᵢ(yᵢ − ŷᵢ),      ∂Error/∂b = −(2/n)·Σᵢ (yᵢ − ŷᵢ)

and, with learning rate η, these updates of w (b is never penalised: every rule moves it
by the plain step b ← b − η·∂Error/∂b):

    eq. 0     plain          w ← w − η·∂Error/∂w
    eq. 1.1   L1, w > 0      w ← w − η·∂Error/∂w − ηλ
    eq. 1.2   L1, w < 0      w ← w − η·∂Error/∂w + ηλ
              (together: w ← w − η·[∂Error/∂w + λ·sign(w)], with sign(0) = 0)
    eq. 2     L2             w ← w − η·[∂Error/∂w + 2λw]
    proximal  L1             w ← S(w − η·∂Error/∂w, ηλ),   S(v, t) = sign(v)·max(|v| − t, 0)

The L1 subgradient step moves w by a fixed ηλ whatever its size, so near 0 it overshoots
and jitters from one side to the other; the proximal step sets every |v| ≤ ηλ to exactly
0, so the weight lands on 0 and stays.  The penalties and S come from
``regcore.penalties`` (the one objective of DESIGN.md §2).

The second half draws the picture behind "L1 gives zeros": the error over two weights
(with the intercept at its best value for each (w1, w2)) has elliptical contours; the
smallest error inside the L1 diamond ‖w‖₁ ≤ t often sits on a corner, where one weight
is exactly 0, while inside the L2 disc ‖w‖₂ ≤ t it almost never does.

Every public function validates its input and raises ``ValueError`` with a plain
message; tables come back as tidy pandas DataFrames ready for ``regcore.charts.descent``.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from regcore.penalties import ElasticNet, penalty_for

MAX_STEPS = 100_000
"""The most steps one trajectory may run."""

MAX_ROWS = 2_000_000
"""The most rows (recorded steps × features) one trajectory may return."""

BLOWUP_FACTOR = 1e12
"""A run stops as diverged once its loss exceeds this many times its scale."""


@dataclass(frozen=True)
class Rule:
    """One update rule: its key, a label for legends, the formula, and how it treats w."""

    name: str
    label: str
    formula: str
    penalty: str | None  # a name for ``penalties.penalty_for``; None: no penalty
    proximal: bool  # True: gradient step on Error, then the penalty's prox


RULES: dict[str, Rule] = {
    r.name: r
    for r in (
        Rule("plain", "plain (eq. 0)", "w ← w − η·∂Error/∂w", None, False),
        Rule(
            "l1",
            "L1 subgradient (eq. 1.1/1.2)",
            "w ← w − η·[∂Error/∂w + λ·sign(w)]",
            "lasso",
            False,
        ),
        Rule("l2", "L2 (eq. 2)", "w ← w − η·[∂Error/∂w + 2λw]", "ridge", False),
        Rule(
            "l1_prox", "L1 proximal (soft-threshold)", "w ← S(w − η·∂Error/∂w, ηλ)", "lasso", True
        ),
        Rule(
            "elasticnet",
            "elastic net subgradient",
            "w ← w − η·[∂Error/∂w + λ·(α·sign(w) + 2(1 − α)·w)]",
            "elasticnet",
            False,
        ),
        Rule(
            "elasticnet_prox",
            "elastic net proximal",
            "w ← S(w − η·∂Error/∂w, ηλα) / (1 + 2ηλ(1 − α))",
            "elasticnet",
            True,
        ),
    )
}
"""Every rule ``step`` and ``trajectory`` know, in the order charts list them."""

DEFAULT_RULES = ("plain", "l1", "l2", "l1_prox")


# ---------------------------------------------------------------- input checks


def _as_features(X, feature_names=None):
    """(X as an (n, p) float array, feature names, whether X was one feature)."""
    names = None
    if isinstance(X, pd.DataFrame):
        names = [str(c) for c in X.columns]
    elif isinstance(X, pd.Series) and X.name is not None:
        names = [str(X.name)]
    try:
        Xa = np.asarray(X, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("X must hold numbers only; convert or drop text columns first.") from None
    one_feature = Xa.ndim == 1
    if one_feature:
        Xa = Xa[:, None]
    if Xa.ndim != 2:
        raise ValueError(
            f"X must be one column of numbers or a table (rows × features); got {Xa.ndim} dimensions."
        )
    n, p = Xa.shape
    if n == 0 or p == 0:
        raise ValueError(
            "There is no data: gradient descent needs at least one row and one feature."
        )
    if not np.isfinite(Xa).all():
        raise ValueError("X contains missing or infinite values; drop or fill them first.")
    if feature_names is not None:
        names = [str(f) for f in feature_names]
    if names is None:
        names = ["x"] if p == 1 else [f"x{j + 1}" for j in range(p)]
    if len(names) != p:
        raise ValueError(f"There are {p} features but {len(names)} feature names.")
    return Xa, names, one_feature


def _as_problem(X, y, feature_names=None):
    """(X as an (n, p) float array, y as (n,), feature names, whether X was one feature)."""
    Xa, names, one_feature = _as_features(X, feature_names)
    try:
        ya = np.asarray(y, dtype=float)
    except (TypeError, ValueError):
        raise ValueError("y must hold numbers only.") from None
    if ya.ndim == 2 and ya.shape[1] == 1:
        ya = ya[:, 0]
    if ya.shape != (Xa.shape[0],):
        raise ValueError(
            f"X has {Xa.shape[0]} rows but y has {ya.size} values; they must match one to one."
        )
    if not np.isfinite(ya).all():
        raise ValueError("y contains missing or infinite values; drop those rows first.")
    return Xa, ya, names, one_feature


def _as_weights(w, p: int, what: str = "w") -> np.ndarray:
    """w as a (p,) float array; a single number is used for every feature."""
    try:
        wa = np.asarray(w, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"The starting weight {what} must be a number or one number per feature."
        ) from None
    if wa.ndim == 0:
        wa = np.full(p, float(wa))
    wa = wa.ravel()
    if wa.shape != (p,):
        raise ValueError(f"{what} has {wa.size} values but there are {p} features.")
    if not np.isfinite(wa).all():
        raise ValueError(f"The weight {what} must be finite numbers.")
    return wa.copy()


def _real(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{what} must be a finite number; got {value!r}.")
    return float(value)


def _check_eta(eta) -> float:
    eta = _real(eta, "The learning rate η")
    if eta <= 0:
        raise ValueError(f"The learning rate η must be positive; got {eta!r}.")
    return eta


def _check_lam(lam) -> float:
    lam = _real(lam, "The penalty strength λ")
    if lam < 0:
        raise ValueError(f"The penalty strength λ must be zero or positive; got {lam!r}.")
    return lam


def _check_count(value, what: str, low: int, high: int) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or not low <= value <= high
    ):
        raise ValueError(f"{what} must be a whole number from {low} to {high}; got {value!r}.")
    return int(value)


def _rule(name) -> Rule:
    if name not in RULES:
        raise ValueError(f"Unknown update rule {name!r}: choose one of {', '.join(RULES)}.")
    return RULES[name]


def _rule_penalty(rule: Rule, alpha) -> ElasticNet | None:
    """The penalty object of a rule; α matters only for the elastic-net rules (default 0.5)."""
    if rule.penalty is None:
        return None
    return penalty_for(rule.penalty, alpha if rule.penalty == "elasticnet" else None)


# ---------------------------------------------------------------- the equations


def _residual(X, y, w, b):
    return y - (X @ w + b)


def _error(X, y, w, b) -> float:
    r = _residual(X, y, w, b)
    return float(r @ r / len(y))


def _gradient(X, y, w, b):
    r = _residual(X, y, w, b)
    n = len(y)
    return -2.0 / n * (X.T @ r), float(-2.0 / n * r.sum())


def _advance(X, y, w, b, eta, lam, rule: Rule, penalty):
    """One update of (w, b) from the gradient at the current (w, b)."""
    dw, db = _gradient(X, y, w, b)
    if penalty is None:
        w_new = w - eta * dw  # eq. 0
    elif rule.proximal:
        w_new = penalty.prox(w - eta * dw, lam, eta)  # S(w − η·∂Error/∂w, ηλ)
    else:
        w_new = w - eta * (dw + penalty.grad(w, lam))  # eq. 1.1 / 1.2 / 2
    return w_new, b - eta * db


def _shape_like(X_was_1d: bool, w: np.ndarray):
    return float(w[0]) if X_was_1d else w


def error(X, y, w, b) -> float:
    """Error = (1/n)·Σᵢ (yᵢ − b − xᵢᵀw)², the mean squared error of the article."""
    Xa, ya, _, _ = _as_problem(X, y)
    return _error(Xa, ya, _as_weights(w, Xa.shape[1]), _real(b, "The intercept b"))


def error_gradient(X, y, w, b):
    """(∂Error/∂w, ∂Error/∂b) at (w, b).

    ∂Error/∂w = −(2/n)·Σᵢ xᵢ(yᵢ − ŷᵢ) and ∂Error/∂b = −(2/n)·Σᵢ (yᵢ − ŷᵢ).  With one
    feature (x 1-D, w a number) ∂Error/∂w is a float; with X of shape (n, p) it is a
    (p,) array.  ∂Error/∂b is always a float.
    """
    Xa, ya, _, one = _as_problem(X, y)
    dw, db = _gradient(Xa, ya, _as_weights(w, Xa.shape[1]), _real(b, "The intercept b"))
    return _shape_like(one, dw), db


def loss(X, y, w, b, lam: float = 0.0, penalty=None, alpha: float | None = None) -> float:
    """Loss = Error + λ·penalty(w); b is not penalised.

    ``penalty``: None (Error alone), a name ("l1"/"lasso", "l2"/"ridge", "elasticnet"
    with mixing ``alpha``, "none") or a ``regcore.penalties`` object.
    """
    Xa, ya, _, _ = _as_problem(X, y)
    w = _as_weights(w, Xa.shape[1])
    lam = _check_lam(lam)
    if isinstance(penalty, str):
        penalty = penalty_for(penalty, alpha)
    extra = 0.0 if penalty is None else penalty.value(w, lam)
    return _error(Xa, ya, w, _real(b, "The intercept b")) + extra


def step(
    X, y, w, b, *, eta: float, lam: float = 0.0, rule: str = "plain", alpha: float | None = None
):
    """One update of (w, b) by ``rule`` (a key of ``RULES``); returns (w_new, b_new).

    rule: "plain" (eq. 0), "l1" (eq. 1.1 / 1.2), "l2" (eq. 2), "l1_prox" (soft-threshold),
    "elasticnet" / "elasticnet_prox" (mixing ``alpha``, default 0.5; ignored by the others).
    With one feature w_new is a float, else a (p,) array.
    """
    Xa, ya, _, one = _as_problem(X, y)
    r = _rule(rule)
    w_new, b_new = _advance(
        Xa,
        ya,
        _as_weights(w, Xa.shape[1]),
        _real(b, "The intercept b"),
        _check_eta(eta),
        _check_lam(lam),
        r,
        _rule_penalty(r, alpha),
    )
    return _shape_like(one, w_new), b_new


def eta_limit(X, *, lam: float = 0.0, rule: str = "plain", alpha: float | None = None) -> float:
    """The learning rate at and above which the descent stops being stable: 2 / L.

    L is the largest curvature of what the rule differentiates: the Hessian of Error in
    (w, b), (2/n)·[X 1]ᵀ[X 1], plus 2λ(1 − α) on the w block when the rule takes the
    gradient of an L2 part (rules "l2" and "elasticnet"; the proximal rules handle it in
    the prox).  For η < 2/L plain and L2 descent converge; above it the loss grows
    geometrically.  The L1 subgradient step never settles exactly, whatever η.
    """
    Xa = _as_features(X)[0]
    lam = _check_lam(lam)
    r = _rule(rule)
    penalty = _rule_penalty(r, alpha)
    n, p = Xa.shape
    Z = np.hstack([Xa, np.ones((n, 1))])
    hessian = 2.0 / n * (Z.T @ Z)
    if penalty is not None and not r.proximal:
        hessian[:p, :p] += 2.0 * lam * penalty.l2 * np.eye(p)
    return 2.0 / float(np.linalg.eigvalsh(hessian)[-1])


# ---------------------------------------------------------------- trajectories


def trajectory(
    X,
    y,
    *,
    rule: str,
    eta: float,
    lam: float = 0.0,
    steps: int = 100,
    w0=0.0,
    b0: float = 0.0,
    alpha: float | None = None,
    every: int = 1,
    feature_names=None,
) -> pd.DataFrame:
    """Run ``steps`` updates by ``rule`` from (w0, b0); one row per recorded step and feature.

    Columns: rule, step, feature, w, b, error, loss, diverged.  ``loss`` is Error + λ·the
    rule's penalty (Error alone for "plain"); b, error and loss repeat on every feature
    row of a step.  Step 0 is the start; every ``every``-th step and the last one are
    recorded.  X may be one column (feature "x", or the Series name) or (n, p) (features
    "x1".."xp", or the DataFrame's column names).  X is used as given: standardise it
    first if the features have different scales.

    Divergence is never silent: a run stops once the loss is non-finite or exceeds
    ``BLOWUP_FACTOR`` times its scale (the larger of the starting loss and mean(y²)), and
    ``diverged`` is True on all its rows; it is also True when η ≥ ``eta_limit`` and the
    last loss is above the first.  Raises ValueError for η ≤ 0, λ < 0, steps outside
    0..MAX_STEPS, more than MAX_ROWS rows, an unknown rule or bad data.
    """
    Xa, ya, names, _ = _as_problem(X, y, feature_names)
    r = _rule(rule)
    penalty = _rule_penalty(r, alpha)
    eta, lam = _check_eta(eta), _check_lam(lam)
    steps = _check_count(steps, "The number of steps", 0, MAX_STEPS)
    every = _check_count(every, "'every'", 1, MAX_STEPS)
    p = Xa.shape[1]
    recorded = np.unique(np.r_[np.arange(0, steps + 1, every), steps])
    if recorded.size * p > MAX_ROWS:
        raise ValueError(
            f"{recorded.size} steps × {p} features is more than {MAX_ROWS:,} rows; "
            "record fewer steps (raise 'every') or use fewer features."
        )
    w, b = _as_weights(w0, p, "w0"), _real(b0, "The starting intercept b0")

    def loss_of(w, b):
        e = _error(Xa, ya, w, b)
        return e, e + (0.0 if penalty is None else penalty.value(w, lam))

    e, total = loss_of(w, b)
    ceiling = BLOWUP_FACTOR * max(total, float(ya @ ya) / len(ya), np.finfo(float).tiny)
    rows = [(0, w, b, e, total)]
    blew_up = False
    record = set(recorded.tolist())
    # Overflow is detected below by value, so the floating-point warnings carry no news.
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            w, b = _advance(Xa, ya, w, b, eta, lam, r, penalty)
            e, total = loss_of(w, b)
            if not np.isfinite(total) or total > ceiling:
                blew_up = True
                break
            if t in record:
                rows.append((t, w + 0.0, b, e, total))  # + 0.0 turns the prox's −0.0 into 0.0
    diverged = blew_up or (
        rows[-1][4] > rows[0][4] and eta >= eta_limit(Xa, lam=lam, rule=rule, alpha=alpha)
    )
    k = len(rows)
    return pd.DataFrame(
        {
            "rule": r.name,
            "step": np.repeat([row[0] for row in rows], p),
            "feature": np.tile(names, k),
            "w": np.concatenate([row[1] for row in rows]),
            "b": np.repeat([row[2] for row in rows], p),
            "error": np.repeat([row[3] for row in rows], p),
            "loss": np.repeat([row[4] for row in rows], p),
            "diverged": diverged,
        }
    )


def trajectories(X, y, *, rules=DEFAULT_RULES, **settings) -> pd.DataFrame:
    """``trajectory`` for each rule in ``rules`` with the same settings, stacked (long format)."""
    if isinstance(rules, str) or not len(rules):
        raise ValueError("Give a list of one or more update rules, e.g. ['plain', 'l1'].")
    return pd.concat([trajectory(X, y, rule=r, **settings) for r in rules], ignore_index=True)


def sign_changes(traj: pd.DataFrame, last: int | None = None) -> pd.DataFrame:
    """How each weight behaves around 0: one row per (rule, feature).

    Columns: rule, feature, crossings (recorded consecutive steps where w jumps from one
    side of 0 to the other without landing on it), steps_at_zero (recorded steps with
    w exactly 0.0), final_w, ends_at_zero (final w == 0.0).  ``last``: look only at the
    last ``last`` recorded steps of each run.
    """
    if last is not None:
        last = _check_count(last, "'last'", 1, MAX_STEPS + 1)

    def summary(g: pd.DataFrame) -> pd.Series:
        w = g.sort_values("step")["w"].to_numpy()
        if last is not None:
            w = w[-last:]
        return pd.Series(
            {
                "crossings": int(np.count_nonzero(w[:-1] * w[1:] < 0)),
                "steps_at_zero": int(np.count_nonzero(w == 0.0)),
                "final_w": float(w[-1]),
                "ends_at_zero": bool(w[-1] == 0.0),
            }
        )

    out = traj.groupby(["rule", "feature"], sort=False)[["step", "w"]].apply(summary).reset_index()
    return out.astype(
        {"crossings": int, "steps_at_zero": int, "final_w": float, "ends_at_zero": bool}
    )


def final_weights(traj: pd.DataFrame, exact=None, exact_label: str = "exact") -> pd.DataFrame:
    """The last w of every (rule, feature), optionally with an exact solution as one more rule.

    Columns: rule, label (for legends), feature, w, is_zero (w == 0.0 exactly).
    ``exact``: a mapping feature → weight or a sequence in the trajectory's feature
    order (e.g. the coefficients of ``regcore.fit_path(..., standardize=False)`` at the
    same λ); it is added under rule and label ``exact_label``.
    """
    last = traj[traj["step"] == traj.groupby("rule")["step"].transform("max")]
    out = last[["rule", "feature", "w"]].reset_index(drop=True)
    out.insert(1, "label", out["rule"].map(lambda r: RULES[r].label if r in RULES else r))
    if exact is not None:
        features = list(dict.fromkeys(out["feature"]))
        values = [exact[f] for f in features] if isinstance(exact, dict) else list(np.ravel(exact))
        if len(values) != len(features):
            raise ValueError(
                f"The exact solution has {len(values)} weights but there are {len(features)} features."
            )
        extra = pd.DataFrame(
            {
                "rule": exact_label,
                "label": exact_label,
                "feature": features,
                "w": np.asarray(values, float),
            }
        )
        out = pd.concat([out, extra], ignore_index=True)
    out["is_zero"] = out["w"] == 0.0
    return out


def zero_counts(final: pd.DataFrame) -> pd.DataFrame:
    """Per rule (from ``final_weights``): label, n_weights, exact_zeros (weights == 0.0)."""
    return (
        final.groupby(["rule", "label"], sort=False)
        .agg(n_weights=("w", "size"), exact_zeros=("is_zero", "sum"))
        .reset_index()
        .astype({"n_weights": int, "exact_zeros": int})
    )


# ---------------------------------------------------------------- the two-weight picture

NORM_LABELS = {"none": "least squares", "l1": "L1 diamond ‖w‖₁ ≤ t", "l2": "L2 disc ‖w‖₂ ≤ t"}


@dataclass(frozen=True)
class _TwoWeightError:
    """Error(w) = e_min + (w − w_ls)ᵀ·H·(w − w_ls), with b = ȳ − x̄ᵀw at its best for each w."""

    x_mean: np.ndarray
    y_mean: float
    H: np.ndarray  # (1/n)·X_cᵀX_c, positive definite
    w_ls: np.ndarray  # the least-squares weights
    e_min: float

    def at(self, W) -> np.ndarray:
        """Error at each row of W (k, 2)."""
        D = np.atleast_2d(W) - self.w_ls
        return self.e_min + np.einsum("ij,jk,ik->i", D, self.H, D)

    def intercept(self, w) -> float:
        return float(self.y_mean - self.x_mean @ w)


def _two_weight_error(X2, y) -> _TwoWeightError:
    Xa, ya, _, _ = _as_problem(X2, y)
    if Xa.shape[1] != 2:
        raise ValueError(f"The two-weight picture needs exactly two features; got {Xa.shape[1]}.")
    x_mean, y_mean = Xa.mean(axis=0), float(ya.mean())
    Xc, yc = Xa - x_mean, ya - y_mean
    H = Xc.T @ Xc / len(ya)
    curvatures = np.linalg.eigvalsh(H)
    if curvatures[0] <= 1e-12 * max(curvatures[1], np.finfo(float).tiny):
        raise ValueError(
            "The two features are constant or move in perfect lockstep, so no single (w1, w2) "
            "fits best; pick two other features."
        )
    w_ls = np.linalg.solve(H, Xc.T @ yc / len(ya))
    r = yc - Xc @ w_ls
    return _TwoWeightError(x_mean, y_mean, H, w_ls, float(r @ r / len(ya)))


def _check_norm(norm) -> str:
    if norm not in ("l1", "l2"):
        raise ValueError(f"The constraint must be 'l1' (diamond) or 'l2' (disc); got {norm!r}.")
    return norm


def _check_radius(radius) -> float:
    radius = _real(radius, "The radius t")
    if radius <= 0:
        raise ValueError(f"The radius t must be positive; got {radius!r}.")
    return radius


@dataclass(frozen=True)
class ConstrainedOptimum:
    """The smallest Error with ‖w‖ ≤ radius, and the λ of the penalised problem it solves.

    ``w`` (2,), ``b`` the intercept, ``error`` its Error; ``lam``: the multiplier λ such that
    w also minimises Error + λ·‖w‖₁ (norm "l1") or Error + λ·‖w‖₂² (norm "l2"), 0 when
    the constraint is not active (the least-squares w already lies inside).
    """

    norm: str
    radius: float
    w: np.ndarray
    b: float
    error: float
    lam: float
    active: bool


def _min_on_diamond_edges(q: _TwoWeightError, t: float) -> np.ndarray:
    """argmin of Error on the boundary ‖w‖₁ = t: the best point of each of the 4 edges.

    Exact: on the edge A + s(B − A), 0 ≤ s ≤ 1, Error is a parabola in s.  Corners are
    built from exact zeros, so a corner optimum has a coordinate exactly 0.0.
    """
    corners = np.array([[t, 0.0], [0.0, t], [-t, 0.0], [0.0, -t]])
    best, best_error = None, np.inf
    for A, B in zip(corners, np.roll(corners, -1, axis=0), strict=True):
        D = B - A
        s = float(np.clip(-(D @ q.H @ (A - q.w_ls)) / (D @ q.H @ D), 0.0, 1.0))
        w = A if s == 0.0 else B if s == 1.0 else A + s * D
        e = q.at(w)[0]
        if e < best_error:
            best, best_error = w.copy(), e
    return best


def _min_on_circle(q: _TwoWeightError, t: float):
    """(w, λ) with (H + λI)·w = H·w_ls and ‖w‖₂ = t: bisection on λ (‖w(λ)‖ falls as λ grows)."""
    curv, Q = np.linalg.eigh(q.H)
    c = curv * (Q.T @ q.w_ls)

    def w_of(lam):
        return Q @ (c / (curv + lam))

    lo, hi = 0.0, float(np.linalg.norm(c)) / t
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if np.linalg.norm(w_of(mid)) > t:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-15 * hi:
            break
    lam = 0.5 * (lo + hi)
    return w_of(lam), lam


def constrained_optimum(X2, y, radius: float, norm: str = "l1") -> ConstrainedOptimum:
    """The minimiser of Error over (w1, w2, b) subject to ‖w‖₁ ≤ radius or ‖w‖₂ ≤ radius.

    Computed exactly, not by descent: if the least-squares w lies inside, that is the
    answer; otherwise the optimum is on the boundary: for L1 the best point of the four
    diamond edges (each a parabola), for L2 the point where ‖(H + λI)⁻¹H·w_ls‖₂ = t,
    found by bisection on λ.  For L1 the multiplier is λ = max_j |2·(H(w_ls − w))_j|
    (the lasso's optimality condition), so w is also the lasso solution at that λ.
    """
    q = _two_weight_error(X2, y)
    t, norm = _check_radius(radius), _check_norm(norm)
    order = 1 if norm == "l1" else 2
    if np.linalg.norm(q.w_ls, ord=order) <= t:
        w, lam, active = q.w_ls.copy(), 0.0, False
    elif norm == "l1":
        w = _min_on_diamond_edges(q, t)
        lam, active = float(np.max(np.abs(2.0 * q.H @ (q.w_ls - w)))), True
    else:
        (w, lam), active = _min_on_circle(q, t), True
    return ConstrainedOptimum(norm, t, w, q.intercept(w), float(q.at(w)[0]), lam, active)


def ball_outline(radius: float, norm: str = "l1", n_points: int = 181) -> pd.DataFrame:
    """The boundary ‖w‖ = radius as a closed polyline: columns norm, label, point, w1, w2.

    L1: the diamond's 4 corners (and the first again); L2: ``n_points`` points of the circle.
    """
    t, norm = _check_radius(radius), _check_norm(norm)
    if norm == "l1":
        pts = np.array([[t, 0.0], [0.0, t], [-t, 0.0], [0.0, -t], [t, 0.0]])
    else:
        n_points = _check_count(n_points, "The number of points", 8, 10_000)
        angle = np.linspace(0.0, 2.0 * np.pi, n_points)
        pts = t * np.column_stack([np.cos(angle), np.sin(angle)])
    return pd.DataFrame(
        {
            "norm": norm,
            "label": NORM_LABELS[norm],
            "point": np.arange(len(pts)),
            "w1": pts[:, 0],
            "w2": pts[:, 1],
        }
    )


def loss_surface(X2, y, grid=61, extent=None) -> pd.DataFrame:
    """Error over a grid of (w1, w2), b at its best for each point: columns w1, w2, error.

    ``grid``: points per axis, or a pair (w1 values, w2 values).  ``extent``: (low, high)
    for both axes when ``grid`` is a number; default a square around 0 and the
    least-squares w.
    """
    q = _two_weight_error(X2, y)
    if isinstance(grid, numbers.Integral):
        k = _check_count(grid, "The grid size", 2, 1_000)
        if extent is None:
            half = 1.25 * float(np.max(np.abs(q.w_ls))) or 1.0
            extent = (-half, half)
        low, high = (_real(v, "The extent") for v in extent)
        if not low < high:
            raise ValueError("The extent must be (low, high) with low < high.")
        w1 = w2 = np.linspace(low, high, k)
    else:
        w1, w2 = (np.asarray(g, dtype=float).ravel() for g in grid)
    G1, G2 = np.meshgrid(w1, w2, indexing="ij")
    W = np.column_stack([G1.ravel(), G2.ravel()])
    return pd.DataFrame({"w1": W[:, 0], "w2": W[:, 1], "error": q.at(W)})


def error_contours(X2, y, levels, n_points: int = 121) -> pd.DataFrame:
    """Exact contour lines Error(w) = level (ellipses around the least-squares w).

    Columns: level (its index in ``levels``), error, point, w1, w2.  Levels at or below
    the smallest Error have no contour and are left out.
    """
    q = _two_weight_error(X2, y)
    n_points = _check_count(n_points, "The number of points", 8, 10_000)
    curv, Q = np.linalg.eigh(q.H)
    angle = np.linspace(0.0, 2.0 * np.pi, n_points)
    unit = np.column_stack([np.cos(angle), np.sin(angle)])
    frames = []
    for i, level in enumerate(np.atleast_1d(np.asarray(levels, dtype=float))):
        rise = level - q.e_min
        if not rise > 0:
            continue
        # (w − w_ls)ᵀH(w − w_ls) = rise  ⇔  w = w_ls + Q·diag(√(rise/curv))·(cos θ, sin θ)
        W = q.w_ls + (unit * np.sqrt(rise / curv)) @ Q.T
        frames.append(
            pd.DataFrame(
                {
                    "level": i,
                    "error": level,
                    "point": np.arange(n_points),
                    "w1": W[:, 0],
                    "w2": W[:, 1],
                }
            )
        )
    columns = ["level", "error", "point", "w1", "w2"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def two_weight_frames(X2, y, radius: float, n_levels: int = 5) -> dict[str, pd.DataFrame]:
    """Everything the contour chart needs, for one radius t.

    Returns {"optima", "balls", "contours"}:
    - optima: one row each for least squares, the L1 and the L2 constrained optimum;
      columns norm, label, w1, w2, b, error, lam, active;
    - balls: ``ball_outline`` for L1 and L2;
    - contours: ``error_contours`` at the two optima's errors (column touches = "l1" /
      "l2", the contour that touches that ball) and ``n_levels`` other levels (touches "").
    """
    n_levels = _check_count(n_levels, "The number of contour levels", 0, 50)
    q = _two_weight_error(X2, y)
    optima = [constrained_optimum(X2, y, radius, norm) for norm in ("l1", "l2")]
    rows = [("none", q.w_ls, q.intercept(q.w_ls), q.e_min, 0.0, False)]
    rows += [(o.norm, o.w, o.b, o.error, o.lam, o.active) for o in optima]
    optima_frame = pd.DataFrame(
        {
            "norm": [r[0] for r in rows],
            "label": [NORM_LABELS[r[0]] for r in rows],
            "w1": [float(r[1][0]) for r in rows],
            "w2": [float(r[1][1]) for r in rows],
            "b": [r[2] for r in rows],
            "error": [r[3] for r in rows],
            "lam": [r[4] for r in rows],
            "active": [r[5] for r in rows],
        }
    )
    rise = max(o.error for o in optima) - q.e_min
    if not rise > 0:  # both constraints inactive: space the levels by the spread of y
        rise = max(float(np.var(np.asarray(y, dtype=float))), 1.0) * 0.5
    touching = [(o.norm, o.error) for o in optima if o.active]
    others = (
        [("", q.e_min + rise * f) for f in np.geomspace(0.15, 4.0, n_levels)] if n_levels else []
    )
    levels = touching + others
    contours = error_contours(X2, y, [e for _, e in levels])
    contours["touches"] = (
        contours["level"].map(dict(enumerate(name for name, _ in levels))).astype(str)
    )
    balls = pd.concat([ball_outline(radius, "l1"), ball_outline(radius, "l2")], ignore_index=True)
    return {"optima": optima_frame, "balls": balls, "contours": contours}


__all__ = [
    "BLOWUP_FACTOR",
    "DEFAULT_RULES",
    "MAX_ROWS",
    "MAX_STEPS",
    "NORM_LABELS",
    "RULES",
    "ConstrainedOptimum",
    "Rule",
    "ball_outline",
    "constrained_optimum",
    "error",
    "error_contours",
    "error_gradient",
    "eta_limit",
    "final_weights",
    "loss",
    "loss_surface",
    "sign_changes",
    "step",
    "trajectories",
    "trajectory",
    "two_weight_frames",
    "zero_counts",
]
