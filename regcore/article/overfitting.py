"""Overfitting shown and cured by λ: the article's intuitions A–D on a small example.

A flexible model on few noisy rows: y = sin(πx) + noise at ``n_train`` points of
[−1, 1], fitted with the polynomial features x, x², …, x^degree.  Least squares (λ = 0)
follows the noise through the training rows and swings between them, so its error on
fresh test rows (an even grid over the same interval, with their own noise) is large.
Sweeping λ from λ_max (every weight 0: underfit) down towards 0 shows the training
error falling all the way while the test error first falls, reaches its lowest point and
then rises again: the overfit.

The fits are ``regcore.fit_path`` on one grid of λ shared by L1 and L2 (geometric, from
the lasso's λ_max down to ``ratio``·λ_max), so the two error curves share an axis.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

import regcore
from regcore.article import checks
from regcore.path import Path

SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
PENALTIES = {"lasso": "L1 (lasso)", "ridge": "L2 (ridge)"}


def truth(x):
    """The curve the noisy rows come from: sin(πx)."""
    return np.sin(np.pi * np.asarray(x, dtype=float))


@dataclass(frozen=True)
class Example:
    """Training and test rows of one variable x, and the polynomial degree fitted to them."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    degree: int
    names: list[str] = field(init=False)

    def __post_init__(self):
        names = ["x" if k == 1 else f"x{str(k).translate(SUPERSCRIPTS)}" for k in self.features_k]
        object.__setattr__(self, "names", names)

    @property
    def features_k(self) -> range:
        return range(1, self.degree + 1)

    def features(self, x) -> np.ndarray:
        """The columns x, x², …, x^degree of x."""
        x = np.asarray(x, dtype=float).ravel()
        return np.column_stack([x**k for k in self.features_k])


def make_example(
    seed: int = 2, n_train: int = 15, degree: int = 12, noise: float = 0.25, n_test: int = 101
) -> Example:
    """A seeded example: training x spread over [−1, 1] (jittered), test x an even grid."""
    seed = checks.count(seed, "The seed", 0, 2**32 - 1)
    n_train = checks.count(n_train, "The number of training rows", 3, 10_000)
    degree = checks.count(degree, "The degree", 1, 30)
    n_test = checks.count(n_test, "The number of test rows", 2, 100_000)
    noise = checks.real(noise, "The noise")
    if noise < 0:
        raise ValueError(f"The noise must be zero or positive; got {noise!r}.")
    rng = np.random.default_rng(seed)
    spacing = 2.0 / (n_train - 1)
    x_train = np.linspace(-1.0, 1.0, n_train) + rng.uniform(-0.4, 0.4, n_train) * spacing
    x_train = np.sort(np.clip(x_train, -1.0, 1.0))
    x_test = np.linspace(-1.0, 1.0, n_test)
    y_train = truth(x_train) + noise * rng.normal(size=n_train)
    y_test = truth(x_test) + noise * rng.normal(size=n_test)
    return Example(x_train, y_train, x_test, y_test, degree)


@dataclass(frozen=True)
class Sweep:
    """One penalty's fits along the λ grid, with train and test error at every λ."""

    penalty: str
    path: Path
    train_mse: np.ndarray
    test_mse: np.ndarray

    @property
    def lambdas(self) -> np.ndarray:
        return self.path.lambdas

    @property
    def best_index(self) -> int:
        """Grid index of the lowest test error (the sweet spot of this example)."""
        return int(np.argmin(self.test_mse))


def lambda_grid(example: Example, n_lambdas: int = 60, ratio: float = 1e-8) -> np.ndarray:
    """The shared grid: geometric from the lasso's λ_max (all weights 0) to ratio·λ_max."""
    lam_max = regcore.fit_path(
        example.features(example.x_train), example.y_train, "lasso", n_lambdas=1
    ).lambda_max
    return regcore.lambda_grid(lam_max, n_lambdas, ratio)


def sweep(example: Example, penalty: str, lambdas) -> Sweep:
    """``fit_path`` of ``penalty`` ("lasso" or "ridge") on the training rows over ``lambdas``."""
    if penalty not in PENALTIES:
        raise ValueError(f"The penalty must be 'lasso' or 'ridge'; got {penalty!r}.")
    X_train, X_test = example.features(example.x_train), example.features(example.x_test)
    path = regcore.fit_path(
        X_train, example.y_train, penalty, lambdas=lambdas, feature_names=example.names
    )
    return Sweep(
        penalty, path, path.mse(X_train, example.y_train), path.mse(X_test, example.y_test)
    )


def least_squares(example: Example) -> Path:
    """The unpenalised fit (λ = 0), the overfit of intuition A."""
    return regcore.fit_path(
        example.features(example.x_train), example.y_train, "none", feature_names=example.names
    )


def curve(example: Example, path: Path, lam: float, n_points: int = 241) -> pd.DataFrame:
    """The fitted curve of ``path`` at λ over [−1, 1]: columns x, y."""
    n_points = checks.count(n_points, "The number of points", 2, 100_000)
    x = np.linspace(-1.0, 1.0, n_points)
    coef, intercept = path.coef_at(lam, example.features(example.x_train), example.y_train)
    return pd.DataFrame({"x": x, "y": example.features(x) @ coef + intercept})


def error_table(sweeps: list[Sweep]) -> pd.DataFrame:
    """Train and test error of every sweep: columns penalty, label, lam, rows, mse."""
    frames = []
    for s in sweeps:
        for rows, mse in (("train", s.train_mse), ("test", s.test_mse)):
            frames.append(
                pd.DataFrame(
                    {
                        "penalty": s.penalty,
                        "label": PENALTIES[s.penalty],
                        "lam": s.lambdas,
                        "rows": rows,
                        "mse": mse,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)
