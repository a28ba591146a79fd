"""The model ŷ = wx + b and the article's losses L, L1 = L + λ|w| and L2 = L + λw².

The article writes L for the squared error; over n training rows regcore averages it
(the one objective of ``regcore.penalties``), so here

    L = Error = (1/n)·Σᵢ (wxᵢ + b − yᵢ)²          L1 = L + λ|w|          L2 = L + λw²

and its derivative in w is the article's H, averaged over the rows:

    H = ∂L/∂w = (1/n)·Σᵢ 2xᵢ(wxᵢ + b − yᵢ),       ∂L/∂b = (1/n)·Σᵢ 2(wxᵢ + b − yᵢ).

With many features w is a vector, wx becomes xᵀw and |w|, w² become ‖w‖₁, ‖w‖₂².
|w| has no derivative at w = 0: every slope g in [−1, 1] touches it from below there
(the subgradient); the update rules use sign(0) = 0.

For a 0/1 target the error may be the log-loss of the logistic family instead
(``ERRORS["logistic"]``), with p = σ(wx + b) = 1/(1 + e^−(wx + b)):

    L = (1/n)·Σᵢ [log(1 + e^(wxᵢ + b)) − yᵢ(wxᵢ + b)],    H = (1/n)·Σᵢ (pᵢ − yᵢ)·xᵢ,
    ∂L/∂b = (1/n)·Σᵢ (pᵢ − yᵢ):

the article's H with (p − y) in place of 2(wx + b − y); the penalties' parts of every
update are unchanged.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from regcore.article import checks
from regcore.metrics import deviance
from regcore.penalties import penalty_for
from regcore.solvers.logistic import sigmoid

LOSS_LABELS = {"L": "L (no penalty)", "L1": "L1 = L + λ|w|", "L2": "L2 = L + λw²"}


def residual(X, y, w, b):
    """ŷ − y = Xw + b − y, the article's (wx + b − y) for every row."""
    return X @ w + b - y


def error_of(X, y, w, b) -> float:
    r = residual(X, y, w, b)
    return float(r @ r / len(y))


def gradient_of(X, y, w, b):
    """(∂Error/∂w, ∂Error/∂b) for validated arrays: (H as a (p,) array, a float)."""
    r = residual(X, y, w, b)
    n = len(y)
    return 2.0 / n * (X.T @ r), float(2.0 / n * r.sum())


def logistic_error_of(X, y, w, b) -> float:
    """The mean log-loss of 0/1 targets y: half the mean binomial deviance (``regcore.metrics``)."""
    return 0.5 * float(deviance(y, sigmoid(X @ w + b)))


def logistic_gradient_of(X, y, w, b):
    """(∂L/∂w, ∂L/∂b) of the mean log-loss for validated arrays: ((1/n)·Xᵀ(p − y), mean(p − y))."""
    r = sigmoid(X @ w + b) - y
    n = len(y)
    return X.T @ r / n, float(r.sum() / n)


class ErrorTerm(NamedTuple):
    """An error the updates can descend: its value and gradient on validated arrays, and the
    bound c of its curvature: the Hessian in (w, b) is at most (c/n)·[X 1]ᵀ[X 1]."""

    value: object
    gradient: object
    curvature: float


#: the errors by name: the article's squared error, and the log-loss of a 0/1 target
ERRORS = {
    "squared": ErrorTerm(error_of, gradient_of, 2.0),
    "logistic": ErrorTerm(logistic_error_of, logistic_gradient_of, 0.25),  # p(1 − p) ≤ ¼
}


def error_term(name: str) -> ErrorTerm:
    if name not in ERRORS:
        raise ValueError(f"Unknown error {name!r}: choose one of {', '.join(ERRORS)}.")
    return ERRORS[name]


def shape_like(one_feature: bool, w: np.ndarray):
    """A float for one feature (w of size 1), else the (p,) array."""
    return float(w[0]) if one_feature else w


def error(X, y, w, b) -> float:
    """Error = (1/n)·Σᵢ (yᵢ − b − xᵢᵀw)², the article's L averaged over the rows."""
    Xa, ya, _, _ = checks.as_problem(X, y)
    return error_of(Xa, ya, checks.as_weights(w, Xa.shape[1]), checks.real(b, "The intercept b"))


def error_gradient(X, y, w, b):
    """(∂Error/∂w, ∂Error/∂b) at (w, b); ∂Error/∂w is the article's H.

    With one feature (x 1-D, w a number) H is a float; with X of shape (n, p) a (p,)
    array.  ∂Error/∂b is always a float.
    """
    Xa, ya, _, one = checks.as_problem(X, y)
    dw, db = gradient_of(
        Xa, ya, checks.as_weights(w, Xa.shape[1]), checks.real(b, "The intercept b")
    )
    return shape_like(one, dw), db


def loss(X, y, w, b, lam: float = 0.0, penalty=None, alpha: float | None = None) -> float:
    """L + λ·penalty(w); b is not penalised.

    ``penalty``: None (L alone), a name ("l1"/"lasso", "l2"/"ridge", "elasticnet" with
    mixing ``alpha``, "none") or a ``regcore.penalties`` object.
    """
    Xa, ya, _, _ = checks.as_problem(X, y)
    w = checks.as_weights(w, Xa.shape[1])
    lam = checks.lam(lam)
    if isinstance(penalty, str):
        penalty = penalty_for(penalty, alpha)
    extra = 0.0 if penalty is None else penalty.value(w, lam)
    return error_of(Xa, ya, w, checks.real(b, "The intercept b")) + extra


def loss_curves(x, y, b: float, lam: float, w_values, error: str = "squared") -> pd.DataFrame:
    """L, L1 and L2 of the one-feature model as functions of w, with b held at ``b``; L is
    the ``error`` of ``ERRORS`` (the squared error by default).

    Columns: w, loss ("L", "L1", "L2"), label (``LOSS_LABELS``), value.  Rows in the
    order of ``w_values`` for each loss.
    """
    Xa, ya, _, _ = checks.as_problem(x, y)
    if Xa.shape[1] != 1:
        raise ValueError("The loss curves are for one feature: pass x as one column.")
    b, lam = checks.real(b, "The intercept b"), checks.lam(lam)
    w = np.asarray(w_values, dtype=float).ravel()
    if w.size < 2 or not np.isfinite(w).all():
        raise ValueError("Give at least two finite values of w to draw the losses over.")
    if error == "squared":
        R = np.outer(w, Xa[:, 0]) + b - ya  # one row of residuals per w
        base = np.einsum("ij,ij->i", R, R) / len(ya)
    else:
        value = error_term(error).value
        base = np.array([value(Xa, ya, np.array([v]), b) for v in w])
    values = {"L": base, "L1": base + lam * np.abs(w), "L2": base + lam * w**2}
    return pd.DataFrame(
        {
            "w": np.tile(w, 3),
            "loss": np.repeat(list(values), w.size),
            "label": np.repeat([LOSS_LABELS[k] for k in values], w.size),
            "value": np.concatenate(list(values.values())),
        }
    )


def abs_subgradients(half_width: float, slopes=(-1.0, -0.5, 0.0, 0.5, 1.0)) -> pd.DataFrame:
    """|w| near its corner with lines g·w, g in [−1, 1], that touch it from below at w = 0.

    Columns: slope, w, value (the line), and kind ("|w|" for the curve itself, "g·w" for a
    subgradient line).  Each line never rises above |w|, which is what makes g a
    subgradient of |w| at 0; away from 0 the only slope is sign(w).
    """
    h = checks.positive(half_width, "The half width")
    w = np.linspace(-h, h, 41)
    frames = [pd.DataFrame({"slope": np.nan, "w": w, "value": np.abs(w), "kind": "|w|"})]
    for g in slopes:
        g = checks.real(g, "A subgradient")
        if abs(g) > 1:
            raise ValueError(f"A subgradient of |w| at 0 lies in [−1, 1]; got {g}.")
        frames.append(pd.DataFrame({"slope": g, "w": w, "value": g * w, "kind": "g·w"}))
    return pd.concat(frames, ignore_index=True)
