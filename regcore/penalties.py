"""Penalties of the one regcore objective.

Every model in regcore minimises, over the intercept b and the weights w,

    (1/n)·Σᵢ (yᵢ − b − xᵢᵀw)²  +  λ·P(w),      P(w) = α·‖w‖₁ + (1 − α)·‖w‖₂²

(α = 1 lasso, α = 0 ridge, λ = 0 least squares; b is never penalised).  A penalty
object carries the mixing α and answers, for a given λ:

- ``value(w, lam)``: λ·P(w);
- ``grad(w, lam)``: a (sub)gradient, λ·[α·sign(w) + 2(1 − α)·w] with sign(0) = 0, the
  convention of the gradient-descent article (|w| has no derivative at 0);
- ``prox(v, lam, step)``: argmin_w ½(w − v)² + step·λ·P(w), elementwise; for the L1
  part this is soft-thresholding, which sets small weights to exactly 0;
- ``lambda_max(X, y)``: the smallest λ at which every weight is 0 (infinite when α = 0).

Kept tiny and composable (the same shape as skglm's penalties): solvers ask only for
these numbers, never for the penalty's class.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def soft_threshold(v, t):
    """sign(v)·max(|v| − t, 0), elementwise; returns exact zeros inside [−t, t]."""
    v = np.asarray(v, dtype=float)
    return np.sign(v) * np.maximum(np.abs(v) - t, 0.0)


def lambda_max(X, y, alpha: float = 1.0) -> float:
    """(2/n)·max_j |x_jᵀ(y − ȳ)| / α, for X already centred (or standardised).

    The smallest λ with the all-zero solution: the intercept alone fits ȳ, and the
    L1 subgradient condition |(2/n)·x_jᵀ(y − ȳ)| ≤ λα holds for every j.  Infinite
    for α = 0 (ridge never sets a weight exactly to zero).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    return lambda_max_of(X.T @ (y - y.mean()) / X.shape[0], alpha)


def lambda_max_of(g, alpha: float = 1.0, weights=None) -> float:
    """2·max_j |g_j|/v_j / α over the penalised features (v_j > 0; all 1 by default).

    g is the data fit's negative half-gradient at the fit with every penalised weight 0
    (c = Xsᵀyc/n when every feature is penalised): the one definition of λ_max.
    """
    if alpha <= 0:
        return float("inf")
    g = np.abs(np.asarray(g, dtype=float))
    if weights is not None:
        pen = weights > 0
        g = g[pen] / weights[pen]
    with np.errstate(over="ignore"):  # a subnormal α overflows to inf, which callers refuse
        return float(2.0 * np.max(g, initial=0.0) / alpha)


@dataclass(frozen=True)
class ElasticNetPenalty:
    """λ·[α·‖w‖₁ + (1 − α)·‖w‖₂²] with 0 ≤ α ≤ 1."""

    alpha: float = 0.5

    def __post_init__(self):
        try:
            a = float(self.alpha)
        except (TypeError, ValueError):
            a = float("nan")
        if not np.isfinite(a) or a < 0.0 or a > 1.0:
            raise ValueError(
                f"The mixing α must lie between 0 (ridge) and 1 (lasso); got {self.alpha!r}."
            )

    @property
    def l1(self) -> float:
        return float(self.alpha)

    @property
    def l2(self) -> float:
        return 1.0 - float(self.alpha)

    def value(self, w, lam: float) -> float:
        w = np.asarray(w, dtype=float)
        return float(
            lam * (self.l1 * np.abs(w).sum() + self.l2 * (w @ w if w.ndim == 1 else (w * w).sum()))
        )

    def grad(self, w, lam: float):
        """λ·[α·sign(w) + 2(1 − α)·w]; the L1 part uses sign(0) = 0."""
        w = np.asarray(w, dtype=float)
        return lam * (self.l1 * np.sign(w) + 2.0 * self.l2 * w)

    def prox(self, v, lam: float, step: float):
        """argmin_w ½(w − v)² + step·λ·[α|w| + (1 − α)w²] = S(v, step·λ·α) / (1 + 2·step·λ·(1 − α))."""
        return soft_threshold(v, step * lam * self.l1) / (1.0 + 2.0 * step * lam * self.l2)

    def lambda_max(self, X, y) -> float:
        return lambda_max(X, y, self.l1)

    def coordinate_weights(self, weights=None, p: int | None = None):
        """(a, b): the per-feature L1 and L2 weights per unit λ that the path kernel consumes.

        The penalty is λ·Σ_j (a_j·|w_j| + b_j·w_j²) with a_j = α·v_j, b_j = (1 − α)·v_j for
        penalty factors v (all 1 when ``weights`` is None; then ``p`` gives the length).
        """
        v = np.ones(p) if weights is None else np.asarray(weights, dtype=float)
        return np.ascontiguousarray(self.l1 * v), np.ascontiguousarray(self.l2 * v)


class L1(ElasticNetPenalty):
    """The lasso penalty λ·‖w‖₁."""

    def __init__(self):
        super().__init__(alpha=1.0)


class L2(ElasticNetPenalty):
    """The ridge penalty λ·‖w‖₂² (gradient 2λw, the article's L2 update)."""

    def __init__(self):
        super().__init__(alpha=0.0)


PENALTY_ALPHA = {"lasso": 1.0, "ridge": 0.0, "elasticnet": None, "none": None}


def penalty_for(name: str, alpha: float | None = None) -> ElasticNetPenalty | None:
    """The penalty object for a model name; None for unpenalised least squares."""
    name = str(name).lower().replace("-", "").replace("_", "").replace(" ", "")
    if name in ("lasso", "l1"):
        return L1()
    if name in ("ridge", "l2"):
        return L2()
    if name in ("elasticnet", "enet"):
        return ElasticNetPenalty(0.5 if alpha is None else alpha)
    if name in ("none", "ols", "leastsquares"):
        return None
    raise ValueError(f"Unknown penalty {name!r}: choose 'lasso', 'ridge', 'elasticnet' or 'none'.")
