"""What the pages show for a two-valued target fitted by the logistic family.

``classify_view`` scores a logistic path on the training and test rows at every grid λ
(deviance, misclassification, AUC), so moving λ only indexes arrays computed once;
``operating_point`` is the model at one λ on the test rows (confusion matrix at
probability 0.5, ROC curve, AUC); ``show_figure`` draws the Path page's figure with the
deviance where the linear model has its MSE.  Pure apart from ``show_figure``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from dashboard import path_figure
from dashboard.views import model_at, nearest_index, path_frame
from regcore import metrics
from regcore.charts.compare import INTERCEPT_ROW
from regcore.path import Path
from regcore.solvers.logistic import sigmoid

#: the per-λ measures of a logistic path, each scored on the training and the test rows
MEASURES = ("deviance", "misclassification", "auc")
THRESHOLD = 0.5  # a row is predicted 1 when its probability is above this


def shown(measure: str, value: float) -> str:
    """A measure's value as the pages write it: the deviance to 4 significant digits, the
    misclassification rate and the AUC to 3 decimals."""
    return f"{value:.4g}" if measure == "deviance" else f"{value:.3f}"


@dataclass(frozen=True)
class ClassifyView:
    """A logistic path with its train and test measures at every grid λ.

    ``train`` / ``test``: measure name (``MEASURES``) -> one value per λ.  ``y_test``: the
    test rows' 0/1 classes, for the confusion matrix and the ROC curve.
    """

    path: Path
    train: dict[str, np.ndarray]
    test: dict[str, np.ndarray]
    y_test: np.ndarray

    @property
    def best_index(self) -> int:
        """Grid index of the lowest test deviance."""
        return int(np.argmin(self.test["deviance"]))

    def index_of(self, lam: float) -> int:
        return nearest_index(self.path.lambdas, lam)


def classify_view(path: Path, design) -> ClassifyView:
    """Score a logistic ``path`` fitted on ``design``'s training rows (0/1 codes of its target)."""
    y_test = design.binary.codes(design.y_test)
    return ClassifyView(
        path=path,
        train=scores(path, design.X_train, design.binary.codes(design.y_train)),
        test=scores(path, design.X_test, y_test),
        y_test=y_test,
    )


def scores(path: Path, X, y) -> dict[str, np.ndarray]:
    """Every measure at every grid λ on rows (X, y); rows of one class score an AUC of NaN."""
    return {
        m: np.atleast_1d(v).astype(float) for m, v in measures(y, path.predict_proba(X)).items()
    }


def measures(y, prob) -> dict:
    """Every measure of the probabilities ``prob`` on 0/1 rows ``y``: one number per measure
    for one model (a vector ``prob``), one per column for (n, k) probabilities."""
    return {m: getattr(metrics, m)(y, prob) for m in MEASURES}


def probabilities(X, coef: np.ndarray, intercept: float) -> np.ndarray:
    """P(y = 1) of the rows X under one model (coefficients on the original scale)."""
    return sigmoid(np.asarray(X, dtype=float) @ coef + intercept)


def model_measures(X, y, coef: np.ndarray, intercept: float) -> dict[str, float]:
    """Every measure of one model (coefficients on the original scale) on 0/1 rows (X, y)."""
    return {m: float(v) for m, v in measures(y, probabilities(X, coef, intercept)).items()}


@dataclass(frozen=True)
class OperatingPoint:
    """The model at one λ on the test rows: 2×2 counts ``confusion[actual][predicted]`` at
    probability ``THRESHOLD``, the ROC curve (fpr, tpr) and its AUC."""

    confusion: np.ndarray
    fpr: np.ndarray
    tpr: np.ndarray
    auc: float


def operating_point(view: ClassifyView, X_test: np.ndarray, index: int) -> OperatingPoint:
    """The test rows scored by the model at grid index ``index``."""
    lam = float(view.path.lambdas[index])
    return point_of(view.y_test, view.path.predict_proba(X_test, lam))


def point_of(y: np.ndarray, prob: np.ndarray) -> OperatingPoint:
    """The confusion matrix, ROC curve and AUC of one model's probabilities ``prob`` on 0/1 rows
    ``y``."""
    prob = np.asarray(prob, dtype=float)
    fpr, tpr, _ = metrics.roc_curve(y, prob)
    return OperatingPoint(
        confusion=np.asarray(metrics.confusion(y, prob, THRESHOLD)),
        fpr=np.asarray(fpr, dtype=float),
        tpr=np.asarray(tpr, dtype=float),
        auc=float(metrics.auc(y, prob)),
    )


def fit_from_view(title: str, view: ClassifyView, index: int, x_mean: np.ndarray) -> ClassifierFit:
    """The model at grid index ``index`` for the Compare page (see ``views.fit_from_path``)."""
    return ClassifierFit(
        model=title,
        **model_at(view.path, index, x_mean),
        train={m: float(view.train[m][index]) for m in MEASURES},
        test={m: float(view.test[m][index]) for m in MEASURES},
    )


@dataclass(frozen=True)
class ClassifierFit:
    """A logistic model at one λ: what ``regcore.charts.compare.coefficients_chart`` draws
    (model, coef, coef_std) and its train and test measures."""

    model: str
    lam: float
    intercept: float
    intercept_std: float
    coef: np.ndarray
    coef_std: np.ndarray
    train: dict[str, float]
    test: dict[str, float]

    @property
    def n_nonzero(self) -> int:
        return int(np.count_nonzero(self.coef_std))


STAT_ROWS = {
    "train deviance": ("train", "deviance"),
    "test deviance": ("test", "deviance"),
    "train misclassification": ("train", "misclassification"),
    "test misclassification": ("test", "misclassification"),
    "train AUC": ("train", "auc"),
    "test AUC": ("test", "auc"),
}


def comparison_table(names, fits: list[ClassifierFit], *, standardized: bool) -> pd.DataFrame:
    """One column per model: intercept and coefficients, then λ, non-zero count and the train
    and test deviance, misclassification and AUC."""
    rows = [INTERCEPT_ROW, *names, "λ", "non-zero coefficients", *STAT_ROWS]
    columns = {
        fit.model: [
            fit.intercept_std if standardized else fit.intercept,
            *(fit.coef_std if standardized else fit.coef),
            fit.lam,
            float(fit.n_nonzero),
            *(getattr(fit, side)[m] for side, m in STAT_ROWS.values()),
        ]
        for fit in fits
    }
    return pd.DataFrame(columns, index=pd.Index(rows, name="term", dtype=object))


def path_table(view: ClassifyView) -> pd.DataFrame:
    """The whole path for download: ``views.path_table``'s columns with train_/test_deviance,
    _misclassification and _auc in place of the MSE."""
    errors = {f"{side}_{m}": getattr(view, side)[m] for m in MEASURES for side in ("train", "test")}
    return path_frame(view.path, errors)


class _Errors(NamedTuple):
    """A logistic view in the shape the path figure reads (its error slots hold the deviance)."""

    path: Path
    train_mse: np.ndarray
    test_mse: np.ndarray


def show_figure(
    loaded,
    penalty: str,
    alpha: float | None,
    standardized: bool,
    view: ClassifyView,
    lam: float,
    references,
) -> None:
    """The Path page's figure (coefficient paths, train/test deviance, bars at λ) with Play:
    ``dashboard.path_figure``'s, whose cache key holds the family, its errors the deviance."""
    errors = _Errors(view.path, view.train["deviance"], view.test["deviance"])
    path_figure.show_figure(
        loaded, penalty, alpha, standardized, errors, lam, references, measure="deviance"
    )
