"""The article's primer on norms: ‖w‖₁, ‖w‖₂, ‖w‖ₚ and the unit ball ‖w‖ₚ = 1.

    ‖w‖₁ = Σⱼ |wⱼ|        ‖w‖₂ = (Σⱼ wⱼ²)^(1/2)        ‖w‖ₚ = (Σⱼ |wⱼ|ᵖ)^(1/p)        ‖w‖∞ = maxⱼ |wⱼ|

L1 regularisation adds λ‖w‖₁, L2 regularisation λ‖w‖₂² (the square: no root).  For
p < 1 the formula is not a norm (its unit ball is not convex, the triangle inequality
fails) but it still measures size; the ball is drawn for every p from 0.5 to ∞.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regcore.article import checks

P_MIN = 0.5


def check_p(p) -> float:
    """p as a float in [0.5, ∞] (``np.inf`` or ``float("inf")`` for the max norm)."""
    p = float(p) if not isinstance(p, bool) else float("nan")
    if not (p >= P_MIN):
        raise ValueError(f"p must be at least {P_MIN} (or ∞); got {p!r}.")
    return p


def p_norm(w, p) -> float:
    """‖w‖ₚ = (Σⱼ |wⱼ|ᵖ)^(1/p); the largest |wⱼ| for p = ∞."""
    p = check_p(p)
    a = np.abs(np.atleast_1d(np.asarray(w, dtype=float)).ravel())
    if a.size == 0 or not np.isfinite(a).all():
        raise ValueError("w must be one or more finite numbers.")
    if np.isinf(p):
        return float(a.max())
    top = a.max()
    if top == 0:
        return 0.0
    return float(top * np.sum((a / top) ** p) ** (1.0 / p))  # scaled: no overflow for large p


def norms_table(w, p) -> pd.DataFrame:
    """‖w‖₁, ‖w‖₂, ‖w‖ₚ and ‖w‖∞ of one point: columns norm, formula, value."""
    p = check_p(p)
    p_text = "∞" if np.isinf(p) else f"{p:g}"
    rows = [
        ("‖w‖₁", "Σ|wⱼ|", p_norm(w, 1)),
        ("‖w‖₂", "(Σwⱼ²)^½", p_norm(w, 2)),
        (f"‖w‖ₚ, p = {p_text}", "(Σ|wⱼ|ᵖ)^(1/p)", p_norm(w, p)),
        ("‖w‖∞", "max|wⱼ|", p_norm(w, np.inf)),
    ]
    return pd.DataFrame(rows, columns=["norm", "formula", "value"])


def unit_ball(p, n_points: int = 361) -> pd.DataFrame:
    """The closed outline ‖(w1, w2)‖ₚ = 1: columns point, w1, w2.

    Each direction (cos θ, sin θ) is scaled to length 1 in the p-norm, so the outline is
    exact for every p (the diamond at p = 1, the circle at p = 2, the square at p = ∞).
    """
    p = check_p(p)
    n_points = checks.count(n_points, "The number of points", 8, 10_000)
    angle = np.linspace(0.0, 2.0 * np.pi, n_points)
    # the corners of the diamond (p ≤ 1) and of the square (p = ∞) are sharp: put points on them
    corners = np.pi / 4 * np.arange(8)
    angle = np.unique(np.concatenate([angle, corners]))
    directions = np.column_stack([np.cos(angle), np.sin(angle)])
    directions[np.abs(directions) < 1e-15] = 0.0
    lengths = np.array([p_norm(d, p) for d in directions])
    points = directions / lengths[:, None]
    points = np.vstack([points, points[:1]])
    return pd.DataFrame({"point": np.arange(len(points)), "w1": points[:, 0], "w2": points[:, 1]})
