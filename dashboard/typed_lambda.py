"""Any positive λ, typed, solved exactly off the grid (``Path.coef_at``) for the Path page.

The grid slider and the figure show the path's own λ; a typed λ is solved afresh on the
training rows (warm-started from the nearest grid point), cached on the data's digest, its
settings, the model and the λ.  One code path for both families: the linear model is scored
by its MSE and R², the logistic one (its path fitted on the 0/1 codes of a two-valued
target) by its deviance, misclassification and AUC.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from dashboard import classify, loaders, resources, views
from regcore.charts.compare import ModelFit
from regcore.metrics import r2_from_mse
from regcore.path import row_mse


def parse_lambda(text: str) -> float | None:
    """The λ typed in ``text`` ("0.05", "1e-3", "2,5" for 2.5); None when the box is empty.

    Raises ValueError with a plain message for anything but a finite positive number.
    """
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        lam = float(text)
    except ValueError:
        raise ValueError(
            f"“{text}” is not a number: type a positive λ such as 0.05 or 1e-3."
        ) from None
    if not math.isfinite(lam) or lam <= 0:
        raise ValueError(f"λ must be a positive number; “{text}” is not.")
    return lam


@st.cache_data(**resources.FITS, show_spinner="Solving at the typed λ…")
def solve_at(
    digest: str,
    design_key: tuple,
    fit_key: tuple,
    penalty: str,
    alpha: float | None,
    lam: float,
    _view: views.PathView | classify.ClassifyView,
    _design,
) -> ModelFit | classify.ClassifierFit:
    """The model at ``lam`` on the design's training rows, scored on training and test rows:
    a ``ModelFit`` (MSE, R²) for the linear family, a ``ClassifierFit`` (deviance,
    misclassification, AUC) for the logistic one (``fit_key``'s family).

    Its standardised coefficients are wⱼ·sⱼ, sⱼ the scale the path recorded for feature j (the
    (1/n) standard deviation on the training rows when it standardised its features, else 1).
    """
    d = _design
    path = _view.path
    coef, intercept = path.coef_at(lam, d.X_train, loaders.fit_target(d, d.y_train, fit_key))
    model = dict(
        model=f"λ = {lam:.6g}",
        lam=lam,
        intercept=intercept,
        intercept_std=intercept + float(coef @ path.x_mean),
        coef=coef,
        coef_std=coef * path.x_scale,
    )
    if path.family == "logistic":
        train, test = (
            classify.model_measures(X, d.binary.codes(y), coef, intercept)
            for X, y in ((d.X_train, d.y_train), (d.X_test, d.y_test))
        )
        return classify.ClassifierFit(**model, train=train, test=test)
    W, b = coef[None, :], np.array([intercept])
    train = float(row_mse(d.X_train, np.asarray(d.y_train, dtype=float), W, b)[0])
    test = float(row_mse(d.X_test, np.asarray(d.y_test, dtype=float), W, b)[0])
    return ModelFit(
        **model,
        train_mse=train,
        test_mse=test,
        train_r2=r2_from_mse(train, d.y_train),
        test_r2=r2_from_mse(test, d.y_test),
    )


def typed_fit(
    loaded, penalty: str, alpha: float | None, view, lam: float
) -> ModelFit | classify.ClassifierFit:
    """``solve_at`` for the page's current data set and model."""
    return solve_at(
        loaded.source.digest,
        loaded.settings.design_key(),
        loaded.settings.fit_key(),
        penalty,
        alpha,
        float(lam),
        view,
        loaded.design,
    )
