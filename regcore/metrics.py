"""The coefficient of determination, defined once for the library, the estimators and the pages.

    R² = 1 − MSE / mean((y − ȳ)²),   ȳ the mean of the same rows y were scored on.

When those y are constant the ratio is undefined and R² is NaN.
"""

from __future__ import annotations

import numpy as np


def r2_from_mse(mse, y) -> np.ndarray | float:
    """R² from mean squared error(s) ``mse`` (a number or an array, e.g. one per λ) on rows ``y``."""
    y = np.asarray(y, dtype=float)
    var = float(np.mean((y - y.mean()) ** 2)) if y.size else 0.0
    mse = np.asarray(mse, dtype=float)
    r2 = 1.0 - mse / var if var > 0 else np.full_like(mse, np.nan)
    return float(r2) if r2.ndim == 0 else r2


def r2_score(y, pred) -> float:
    """R² of predictions ``pred`` for targets ``y``."""
    y = np.asarray(y, dtype=float)
    resid = y - np.asarray(pred, dtype=float)
    return r2_from_mse(float(np.mean(resid * resid)) if y.size else np.nan, y)


# ---------------------------------------------------------------- binary targets (0/1)
# ``prob`` and ``score`` are a vector (one model) or an (n, L) array (one column per λ); the
# result is then a number or an array of L values.  A row is predicted 1 when prob > threshold.

PROB_CLIP = 1e-15  # a confident mistake costs −log(1e-15) ≈ 34.5 instead of infinity


def deviance(y, prob):
    """Mean binomial deviance, 2 × the mean log-loss (glmnet's convention):
    −(2/n)·Σᵢ [yᵢ·log pᵢ + (1 − yᵢ)·log(1 − pᵢ)], with p clipped to [1e-15, 1 − 1e-15]."""
    y, prob = _binary_args(y, prob)
    p = np.clip(prob, PROB_CLIP, 1.0 - PROB_CLIP)
    loss = -(y * np.log(p) + (1.0 - y) * np.log1p(-p))
    return _per_column(2.0 * loss.mean(axis=0))


def misclassification(y, prob, threshold: float = 0.5):
    """The fraction of rows whose predicted class (prob > threshold) is not y."""
    y, prob = _binary_args(y, prob)
    return _per_column(((prob > threshold) != (y > 0.5)).mean(axis=0))


def auc(y, score):
    """Area under the ROC curve: the probability that a random 1 scores above a random 0
    (ties count ½), from the ranks (Mann–Whitney).  NaN when y holds one class only."""
    y, score = _binary_args(y, score)
    pos = y.ravel() > 0.5
    n1 = int(pos.sum())
    n0 = y.shape[0] - n1
    if n1 == 0 or n0 == 0:
        return _per_column(np.full(score.shape[1:], np.nan))
    ranks = np.apply_along_axis(_average_ranks, 0, score)
    return _per_column((ranks[pos].sum(axis=0) - n1 * (n1 + 1) / 2.0) / (n1 * n0))


def roc_curve(y, score):
    """(fpr, tpr, thresholds) for one score vector: at thresholds[k] the rows with
    score ≥ thresholds[k] are called 1.  Thresholds decrease from +inf (nothing called 1)."""
    y, score = _binary_args(y, score)
    if score.ndim != 1:
        raise ValueError("roc_curve takes one score per row.")
    order = np.argsort(-score, kind="stable")
    s, pos = score[order], y[order] > 0.5
    last = np.r_[np.flatnonzero(np.diff(s)), s.size - 1]  # the last row of each distinct score
    tp = np.r_[0, np.cumsum(pos)[last]]
    fp = np.r_[0, np.cumsum(~pos)[last]]
    n1, n0 = tp[-1], fp[-1]
    tpr = tp / n1 if n1 else np.full(tp.shape, np.nan)
    fpr = fp / n0 if n0 else np.full(fp.shape, np.nan)
    return fpr, tpr, np.r_[np.inf, s[last]]


def confusion(y, prob, threshold: float = 0.5) -> np.ndarray:
    """2 × 2 counts [[true 0 called 0, true 0 called 1], [true 1 called 0, true 1 called 1]]
    (rows: the truth, columns: the prediction prob > threshold)."""
    y, prob = _binary_args(y, prob)
    if prob.ndim != 1:
        raise ValueError("confusion takes one probability per row.")
    truth, called = y > 0.5, prob > threshold
    return np.array(
        [
            [np.sum(~truth & ~called), np.sum(~truth & called)],
            [np.sum(truth & ~called), np.sum(truth & called)],
        ]
    )


def _binary_args(y, values):
    y = np.asarray(y, dtype=float).ravel()
    values = np.asarray(values, dtype=float)
    if values.shape[0] != y.shape[0]:
        raise ValueError(f"{y.shape[0]} targets but {values.shape[0]} predictions.")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("A binary measure needs a target of 0s and 1s.")
    return (y[:, None] if values.ndim == 2 else y), values


def _per_column(values):
    values = np.asarray(values, dtype=float)
    return float(values) if values.ndim == 0 else values


def _average_ranks(v: np.ndarray) -> np.ndarray:
    """Ranks 1 … n of v, tied values sharing their average rank."""
    order = np.argsort(v, kind="stable")
    s = v[order]
    starts = np.r_[0, np.flatnonzero(np.diff(s)) + 1]
    ends = np.r_[starts[1:], s.size]
    avg = (starts + ends + 1) / 2.0  # mean of ranks start+1 … end
    ranks = np.empty(v.size)
    ranks[order] = np.repeat(avg, ends - starts)
    return ranks
