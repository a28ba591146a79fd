"""Plain-language checks of the lesson's inputs: data through ``check_xy``, settings here.

Every function raises ``ValueError`` with a message a student can act on.
"""

from __future__ import annotations

import numbers

import numpy as np

from regcore.solvers.problem import as_float_matrix, check_xy, non_finite_message


def as_problem(X, y, feature_names=None) -> tuple[np.ndarray, np.ndarray, list[str], bool]:
    """(X as (n, p) floats, y as (n,), feature names, whether X came as one feature).

    Names: ``feature_names``, else a DataFrame's columns or a named Series, else "x" for
    one feature and "x1".."xp" for many.
    """
    one_feature = np.ndim(X) == 1
    series_name = getattr(X, "name", None) if one_feature else None
    Xa, ya, names = check_xy(X, y)
    p = Xa.shape[1]
    if feature_names is not None:
        names = [str(f) for f in feature_names]
    elif names is None:
        names = [str(series_name)] if series_name is not None else default_names(p)
    if len(names) != p:
        raise ValueError(f"There are {p} features but {len(names)} feature names.")
    return Xa, ya, names, one_feature


def as_features(X) -> np.ndarray:
    """X alone as (n, p) finite floats (for what needs no target, e.g. a step-size limit)."""
    Xa, _ = as_float_matrix(X)
    if Xa.size == 0:
        raise ValueError("There is no data: at least one row and one feature are needed.")
    if not np.isfinite(Xa).all():
        raise ValueError(non_finite_message(Xa))
    return Xa


def default_names(p: int) -> list[str]:
    return ["x"] if p == 1 else [f"x{j + 1}" for j in range(p)]


def as_weights(w, p: int, what: str = "w") -> np.ndarray:
    """w as a (p,) float array (a copy); a single number is used for every feature."""
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


def real(value, what: str) -> float:
    """A finite real number (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{what} must be a finite number; got {value!r}.")
    return float(value)


def positive(value, what: str) -> float:
    value = real(value, what)
    if value <= 0:
        raise ValueError(f"{what} must be positive; got {value!r}.")
    return value


def eta(value) -> float:
    return positive(value, "The learning rate η")


def lam(value) -> float:
    value = real(value, "The penalty strength λ")
    if value < 0:
        raise ValueError(f"The penalty strength λ must be zero or positive; got {value!r}.")
    return value


def count(value, what: str, low: int, high: int) -> int:
    """A whole number in [low, high]."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or not low <= value <= high
    ):
        raise ValueError(f"{what} must be a whole number from {low} to {high}; got {value!r}.")
    return int(value)
