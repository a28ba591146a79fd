"""The two-weight picture behind "L1 gives zeros": the L1 diamond and the L2 disc.

The error over two weights (with the intercept at its best value for each (w1, w2)) has
elliptical contours around the least-squares weights.  A penalty is the same as a budget
t on the size of the weights: the smallest error inside the L1 diamond ‖w‖₁ ≤ t often sits
on a corner, where one weight is exactly 0, while inside the L2 disc ‖w‖₂ ≤ t it almost
never does.  Everything here is exact (no descent): optima on the boundary come from
parabolas on the diamond's edges and a bisection on λ for the disc.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from regcore.article import checks

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
    Xa, ya, _, _ = checks.as_problem(X2, y)
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
    return checks.positive(radius, "The radius t")


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
        n_points = checks.count(n_points, "The number of points", 8, 10_000)
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
        k = checks.count(grid, "The grid size", 2, 1_000)
        if extent is None:
            half = 1.25 * float(np.max(np.abs(q.w_ls))) or 1.0
            extent = (-half, half)
        low, high = (checks.real(v, "The extent") for v in extent)
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
    n_points = checks.count(n_points, "The number of points", 8, 10_000)
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
    n_levels = checks.count(n_levels, "The number of contour levels", 0, 50)
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


def corner_budget(X2, y, iterations: int = 60) -> float:
    """The largest budget t whose L1 optimum is a corner of the diamond (one weight exactly 0).

    Below it the best point inside ‖w‖₁ ≤ t has an exact zero; above it both weights are
    non-zero (found by bisection on t, each t solved exactly by ``constrained_optimum``).
    """
    q = _two_weight_error(X2, y)
    iterations = checks.count(iterations, "The number of iterations", 1, 200)

    def at_corner(t: float) -> bool:
        return bool((constrained_optimum(X2, y, t, "l1").w == 0.0).any())

    lo, hi = 0.0, float(np.abs(q.w_ls).sum())
    if at_corner(hi):
        return hi
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        if mid > 0 and at_corner(mid):
            lo = mid
        else:
            hi = mid
    return lo


def least_squares_l1(X2, y) -> float:
    """‖w_least squares‖₁ of the two-weight problem (the budget at which nothing binds)."""
    return float(np.abs(_two_weight_error(X2, y).w_ls).sum())
