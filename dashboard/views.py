"""What the pages show, computed from regcore results: errors, R², the models to compare.

Pure (numpy only): a ``Path`` or ``CVResult`` plus the ``Design`` it was fitted on in, small
records out.  Every array is indexed like the path's λ grid, so moving the λ slider only
indexes arrays computed once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from regcore.charts.compare import ModelFit
from regcore.cv import CVResult
from regcore.metrics import r2_from_mse
from regcore.path import Path
from regcore.solvers.problem import column_scale


@dataclass(frozen=True)
class PathView:
    """A path with its train and test errors at every grid λ."""

    path: Path
    train_mse: np.ndarray
    test_mse: np.ndarray
    train_r2: np.ndarray
    test_r2: np.ndarray

    @property
    def best_index(self) -> int:
        """Grid index of the lowest test error."""
        return int(np.argmin(self.test_mse))

    def index_of(self, lam: float) -> int:
        return nearest_index(self.path.lambdas, lam)


def nearest_index(lambdas, lam: float) -> int:
    """Index of the λ nearest to lam (on the log scale; λ = 0 is its own point)."""
    lambdas = np.asarray(lambdas, dtype=float)
    if lam <= 0 or (lambdas <= 0).all():
        return int(np.argmin(lambdas))
    logs = np.log(np.where(lambdas > 0, lambdas, np.nan))
    return int(np.nanargmin(np.abs(logs - np.log(lam))))


def path_view(path: Path, design) -> PathView:
    train = path.mse(design.X_train, design.y_train)
    test = path.mse(design.X_test, design.y_test)
    return PathView(
        path=path,
        train_mse=train,
        test_mse=test,
        train_r2=r2_from_mse(train, design.y_train),
        test_r2=r2_from_mse(test, design.y_test),
    )


@dataclass(frozen=True)
class CVView:
    """A cross-validation result with its full-data path's train and test errors."""

    cv: CVResult
    scores: PathView  # the full-training-data path scored at every grid λ

    @property
    def test_mse(self) -> np.ndarray:
        return self.scores.test_mse


def fit_from_path(title: str, view: PathView, index: int, x_mean: np.ndarray) -> ModelFit:
    """The model at grid index ``index`` of a scored path as a ``ModelFit`` (Compare page).

    ``x_mean``: the training features' means, which turn the intercept into the
    standardised model's (b + Σ wⱼ·x̄ⱼ, the prediction at the mean row).
    """
    return ModelFit(
        model=title,
        **model_at(view.path, index, x_mean),
        train_mse=float(view.train_mse[index]),
        test_mse=float(view.test_mse[index]),
        train_r2=float(view.train_r2[index]),
        test_r2=float(view.test_r2[index]),
    )


def model_at(path: Path, index: int, x_mean: np.ndarray) -> dict:
    """lam, intercept, intercept_std, coef and coef_std of the path's model at grid index
    ``index`` (see ``fit_from_path``), the fields every compared model records."""
    intercept = float(path.intercept[index])
    return {
        "lam": float(path.lambdas[index]),
        "intercept": intercept,
        "intercept_std": intercept + float(path.coef[index] @ x_mean),
        "coef": path.coef[index].copy(),
        "coef_std": path.coef_std[index].copy(),
    }


def lambda_labels(lambdas) -> list[str]:
    """λ values as short distinct numbers (4 significant digits, more only if two coincide)."""
    values = [float(v) for v in lambdas]
    for digits in range(4, 17):
        labels = [f"{v:.{digits}g}" for v in values]
        if len(set(labels)) == len(labels):
            return labels
    return [repr(v) for v in values]


def standardized_training(design, max_rows: int = 2000, seed: int = 0):
    """(Xs, y): the training rows with every feature at mean 0 and (1/n) standard deviation 1.

    For the gradient-descent lesson, which runs the updates on the features as given.  At
    most ``max_rows`` rows (a seeded sample) so that a few thousand Python-level steps stay
    quick; constant columns are left at 0.  Xs is a DataFrame named by the design's features.
    """

    X, y = design.X_train, design.y_train
    if X.shape[0] > max_rows:
        rows = np.sort(np.random.default_rng(seed).choice(X.shape[0], max_rows, replace=False))
        X, y = X[rows], y[rows]
    centred = X - X.mean(axis=0)
    scale, constant = column_scale(centred, X, standardize=True, fit_intercept=True)
    Xs = centred / scale
    Xs[:, constant] = 0.0
    return pd.DataFrame(Xs, columns=list(design.feature_names)), np.asarray(y, dtype=float)


def standardized_target(y: np.ndarray) -> np.ndarray:
    """(y − ȳ) / sd(y) (1/n standard deviation; y − ȳ when y is constant)."""
    centred = np.asarray(y, dtype=float) - np.mean(y)
    sd = float(np.sqrt(np.mean(centred**2)))
    return centred / sd if sd > 0 else centred


def coefficients_table(path: Path, index: int, standardized: bool = True) -> pd.DataFrame:
    """The model at one grid λ for download: term, coefficient (original scale), and
    standardised_coefficient when the features were standardised.

    The first row is the intercept (it has no standardised counterpart).
    """
    table = pd.DataFrame(
        {
            "term": ["(intercept)", *path.feature_names],
            "coefficient": [float(path.intercept[index]), *path.coef[index]],
        }
    )
    if standardized:
        table["standardised_coefficient"] = [np.nan, *path.coef_std[index]]
    return table


def path_table(view: PathView) -> pd.DataFrame:
    """The whole path for download, one row per λ: lambda, df, n_nonzero, duality_gap, certified,
    train_mse, test_mse, intercept, every coefficient (original scale)."""
    return path_frame(view.path, {"train_mse": view.train_mse, "test_mse": view.test_mse})


def path_frame(path: Path, errors: dict[str, np.ndarray]) -> pd.DataFrame:
    """``path_table`` with any per-λ ``errors`` (column name -> values) after the certificate."""
    table = path.to_frame()
    at = list(table.columns).index("n_nonzero") + 1
    columns = {"duality_gap": path.gap, "certified": path.converged, **errors}
    for offset, (name, values) in enumerate(columns.items()):
        table.insert(at + offset, name, values, allow_duplicates=True)
    return table
