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
