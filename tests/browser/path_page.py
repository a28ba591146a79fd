"""The Path page in the browser: how to drive it, and what regcore says it should show.

The page's numbers at grid index i of its λ slider must be regcore's for the same data
and settings: read the CSV with ``regcore.data.read_csv``, split it with ``make_design``
(the Data page's defaults: a quarter of the rows for testing, seed 0), fit the path with
``regcore.fit_path`` on the training rows (standardised), and score every λ with
``Path.mse`` on the training and the test rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from playwright.sync_api import Page
from st_driver import (
    count_of,
    heading,
    metric_text,
    radio_option,
    rerun,
    shown_matches,
    slider,
    slider_index,
)

import regcore
from regcore.data import Design, default_target, make_design, read_csv

LAMBDA_SLIDER = "λ, the penalty strength (the grid of the path, largest first)"
ALPHA_SLIDER = "Elastic-net mixing α (1 = lasso, 0 = ridge)"
FOLDS_BOX = "K, the number of CV folds"


def title(page: Page, model: str):
    """The Path page's heading for ``model`` ("Lasso", "Ridge", "Elastic net")."""
    return heading(page, f"{model}: the regularisation path")


def switch_model(page: Page, model: str) -> None:
    """Pick ``model`` in the sidebar and wait for the Path page to show it."""
    with rerun(page, title(page, model)):
        radio_option(page, "Model", model).click()


def press_on_slider(page: Page, label: str, key: str) -> None:
    """Press ``key`` on a slider ("Home", "End", "PageUp", "ArrowLeft", ...); wait for the rerun."""
    with rerun(page):
        slider(page, label).press(key)


def alpha_shown(page: Page) -> float:
    return float(slider(page, ALPHA_SLIDER).get_attribute("aria-valuetext"))


def design_of(
    csv: bytes, target: str | None = None, *, test_fraction: float = 0.25, seed: int = 0
) -> Design:
    """The train/test design the Data page builds for ``csv`` (default target: regcore's)."""
    table, _ = read_csv(csv)
    return make_design(
        table, target or default_target(table), test_fraction=test_fraction, seed=seed
    )


@dataclass(frozen=True)
class ExpectedPath:
    """regcore's path for one model, with its train and test error at every grid λ."""

    path: regcore.Path
    train_mse: np.ndarray
    test_mse: np.ndarray

    @classmethod
    def fit(cls, design: Design, penalty: str, alpha: float | None = None) -> ExpectedPath:
        path = regcore.fit_path(
            design.X_train,
            design.y_train,
            penalty=penalty,
            alpha=alpha,
            standardize=True,
            feature_names=design.feature_names,
        )
        return cls(
            path, path.mse(design.X_train, design.y_train), path.mse(design.X_test, design.y_test)
        )


@dataclass(frozen=True)
class PathReading:
    """The Path page's numbers, as shown, at the λ its slider is on."""

    index: int
    lam: str
    nonzero: tuple[int, int] | None  # ridge shows its effective df instead
    train_mse: str
    test_mse: str
    df: str | None = None  # "k of p", ridge only

    @classmethod
    def read(cls, page: Page) -> PathReading:
        ridge = page.get_by_test_id("stMetricLabel").get_by_text("effective df", exact=True)
        df = metric_text(page, "effective df") if ridge.count() else None
        return cls(
            index=slider_index(page, LAMBDA_SLIDER),
            lam=metric_text(page, "λ"),
            nonzero=None if df else count_of(metric_text(page, "non-zero coefficients")),
            train_mse=metric_text(page, "train MSE"),
            test_mse=metric_text(page, "test MSE"),
            df=df,
        )


def assert_matches(reading: PathReading, expected: ExpectedPath, what: str) -> None:
    """The page shows regcore's λ, non-zero count and errors at the slider's grid index."""
    i, path = reading.index, expected.path
    p = len(path.feature_names)
    lam, train, test = (
        float(path.lambdas[i]),
        float(expected.train_mse[i]),
        float(expected.test_mse[i]),
    )
    assert shown_matches(reading.lam, lam), (
        f"{what}: λ shown {reading.lam}, regcore's grid[{i}] = {lam:.6g}"
    )
    if reading.df is not None:
        df, of = reading.df.split(" of ")
        assert shown_matches(df, float(path.df[i])) and int(of) == p, (
            f"{what}: effective df shown {reading.df}, regcore: {path.df[i]:.4g} of {p}"
        )
    else:
        assert reading.nonzero == (int(path.n_nonzero[i]), p), (
            f"{what}: non-zero shown {reading.nonzero}, regcore: {int(path.n_nonzero[i])} of {p} "
            f"at λ = {lam:.4g}"
        )
    assert shown_matches(reading.train_mse, train), (
        f"{what}: train MSE shown {reading.train_mse}, regcore: {train:.6g} at λ = {lam:.4g}"
    )
    assert shown_matches(reading.test_mse, test), (
        f"{what}: test MSE shown {reading.test_mse}, regcore: {test:.6g} at λ = {lam:.4g}"
    )
