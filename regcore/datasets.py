"""Built-in samples: CSV bytes that go through the same reader as an upload.

``SAMPLES`` maps a name to a ``SampleInfo`` (what the data is, where it comes from, its
target and, for the synthetic set, the true coefficients).  ``sample_bytes(name)`` returns
the CSV bytes; the dashboard reads them with ``regcore.data.read_csv`` exactly as it reads
a user's file, so a sample exercises the whole pipeline.

- "Synthetic sparse": y = 5 + Σⱼ βⱼ·xⱼ + ε, 20 features of which 8 have βⱼ ≠ 0; neighbouring
  features are correlated (corr(xⱼ, xⱼ₊₁) = 0.5), ε ~ N(0, 1.5²); generated from a seed.
- "Diabetes": the 442 patients of Efron et al. (2004), exported once from scikit-learn to
  samples/diabetes.csv: ``load_diabetes(scaled=False, as_frame=True).frame``, target renamed
  "progression", written with ``to_csv(index=False, float_format="%.10g")``
  (tests/test_datasets.py checks the file against scikit-learn).
- "Churn (binary)": a yes/no target from a known sparse logistic model,
  P(churn = yes) = σ(b + Σⱼ βⱼ·xⱼ), 19 correlated numeric features of which 5 have βⱼ ≠ 0,
  and a categorical plan (3 levels) with no effect; generated from a seed.
- "Rentals (categorical)": a small synthetic set with a categorical district, a yes/no
  column, missing years and a listing id, to show one-hot encoding, imputation and dropped
  ID columns.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

SAMPLES_DIR = Path(__file__).parent / "samples"

SYNTHETIC_COEF: dict[str, float] = {
    "x01": 3.0,
    "x02": -2.0,
    "x04": 1.5,
    "x07": -1.0,
    "x10": 2.5,
    "x13": -1.5,
    "x16": 1.0,
    "x19": -0.75,
}
SYNTHETIC_INTERCEPT = 5.0

CHURN_COEF: dict[str, float] = {"x02": 1.5, "x05": -1.25, "x09": 1.0, "x13": -0.75, "x17": 1.0}
CHURN_INTERCEPT = -0.5
CHURN_FEATURES = 19


@dataclass(frozen=True)
class SampleInfo:
    name: str
    description: str
    source: str
    target: str
    true_coef: dict[str, float] = field(default_factory=dict)  # empty when the truth is unknown

    @property
    def true_nonzero(self) -> list[str]:
        """The features whose true coefficient is non-zero (empty when unknown)."""
        return [name for name, b in self.true_coef.items() if b != 0.0]


def make_synthetic(
    n: int = 300, p: int = 20, rho: float = 0.5, noise: float = 1.5, seed: int = 0
) -> pd.DataFrame:
    """The "Synthetic sparse" table: features x01…x{p}, then y (see the module docstring).

    Features are an AR(1) sequence across columns, xⱼ = ρ·xⱼ₋₁ + √(1 − ρ²)·eⱼ, so each has
    unit variance and corr(xⱼ, xⱼ₊ₖ) = ρᵏ.
    """
    rng = np.random.default_rng(seed)
    X = ar1_features(rng, n, p, rho)
    names = [f"x{j + 1:02d}" for j in range(p)]
    beta = np.array([SYNTHETIC_COEF.get(name, 0.0) for name in names])
    y = SYNTHETIC_INTERCEPT + X @ beta + noise * rng.standard_normal(n)
    frame = pd.DataFrame(np.round(X, 4), columns=names)
    frame["y"] = np.round(y, 4)
    return frame


def ar1_features(rng: np.random.Generator, n: int, p: int, rho: float) -> np.ndarray:
    """n rows of p unit-variance features with corr(xⱼ, xⱼ₊ₖ) = ρᵏ (an AR(1) across columns)."""
    e = rng.standard_normal((n, p))
    X = np.empty((n, p))
    X[:, 0] = e[:, 0]
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + np.sqrt(1.0 - rho * rho) * e[:, j]
    return X


def make_churn(n: int = 600, rho: float = 0.3, seed: int = 2) -> pd.DataFrame:
    """The "Churn (binary)" table: x01…x19, a plan (basic/plus/pro, no effect), churn yes/no.

    churn is "yes" with probability σ(CHURN_INTERCEPT + Σⱼ CHURN_COEF[xⱼ]·xⱼ), σ the logistic
    function; the features are rounded to 4 decimals before the logits are computed, so the
    truth holds for the file's values.
    """
    rng = np.random.default_rng(seed)
    X = np.round(ar1_features(rng, n, CHURN_FEATURES, rho), 4)
    names = [f"x{j + 1:02d}" for j in range(CHURN_FEATURES)]
    beta = np.array([CHURN_COEF.get(name, 0.0) for name in names])
    prob = 1.0 / (1.0 + np.exp(-(CHURN_INTERCEPT + X @ beta)))
    frame = pd.DataFrame(X, columns=names)
    frame.insert(9, "plan", rng.choice(np.array(["basic", "plus", "pro"]), n))
    frame["churn"] = np.where(rng.random(n) < prob, "yes", "no")
    return frame


def make_rentals(n: int = 240, seed: int = 1) -> pd.DataFrame:
    """The "Rentals (categorical)" table: monthly rent from size, rooms, district, balcony, age."""
    rng = np.random.default_rng(seed)
    area = rng.uniform(25, 140, n).round(0)
    rooms = np.clip(np.round(area / 28 + rng.normal(0, 0.6, n)), 1, 6).astype(int)
    districts = np.array(["Centre", "North", "Harbour", "Old town"])
    district = districts[rng.integers(0, districts.size, n)]
    district_effect = pd.Series(
        {"Centre": 350.0, "North": 0.0, "Harbour": 180.0, "Old town": 220.0}
    )
    balcony = rng.random(n) < 0.45
    year = rng.integers(1900, 2021, n).astype(float)
    rent = (
        400
        + 11.0 * area
        + 60.0 * rooms
        + district_effect[district].to_numpy()
        + 90.0 * balcony
        - 1.5 * (2020 - year)
        + rng.normal(0, 120, n)
    )
    year[rng.random(n) < 0.06] = np.nan  # unknown construction year: imputed by the reader
    return pd.DataFrame(
        {
            "listing_id": np.arange(10001, 10001 + n),
            "area_m2": area,
            "rooms": rooms,
            "district": district,
            "balcony": np.where(balcony, "yes", "no"),
            "year_built": pd.array(year, dtype="Int64"),
            "rent": rent.round(0),
        }
    )


SAMPLES: dict[str, SampleInfo] = {
    info.name: info
    for info in (
        SampleInfo(
            name="Synthetic sparse",
            description=(
                "300 rows, 20 features x01…x20 and a target y. Only 8 features really "
                "enter y; the other 12 are noise. Neighbouring features are correlated "
                "(0.5), so a useless feature can look useful next to a real one."
            ),
            source="Generated by regcore.datasets.make_synthetic (seed 0).",
            target="y",
            true_coef={f"x{j:02d}": SYNTHETIC_COEF.get(f"x{j:02d}", 0.0) for j in range(1, 21)},
        ),
        SampleInfo(
            name="Diabetes",
            description=(
                "442 diabetes patients: age, sex, body mass index, blood pressure and six "
                "blood serum measurements (s1…s6); the target is a measure of disease "
                "progression one year later."
            ),
            source=(
                'Efron, Hastie, Johnstone and Tibshirani (2004), "Least Angle Regression", '
                "Annals of Statistics 32(2), 407–499; exported once from scikit-learn's "
                "load_diabetes(scaled=False)."
            ),
            target="progression",
        ),
        SampleInfo(
            name="Churn (binary)",
            description=(
                "600 customers, 19 features x01…x19 and a plan (basic, plus or pro); the "
                "target churn is yes or no. Only 5 features really change the odds of "
                "churning (a logistic model); the other 14 and the plan are noise."
            ),
            source="Generated by regcore.datasets.make_churn (seed 2).",
            target="churn",
            true_coef={
                f"x{j:02d}": CHURN_COEF.get(f"x{j:02d}", 0.0) for j in range(1, CHURN_FEATURES + 1)
            },
        ),
        SampleInfo(
            name="Rentals (categorical)",
            description=(
                "240 flats: size, rooms, district (4 levels), balcony (yes/no), year built "
                "(some missing) and a listing id; the target is the monthly rent."
            ),
            source="Generated by regcore.datasets.make_rentals (seed 1).",
            target="rent",
        ),
    )
}

_MAKERS = {
    "Synthetic sparse": make_synthetic,
    "Churn (binary)": make_churn,
    "Rentals (categorical)": make_rentals,
}
_FILES = {"Diabetes": "diabetes.csv"}


def sample_names() -> list[str]:
    """The built-in samples, the default first."""
    return list(SAMPLES)


def sample_info(name: str) -> SampleInfo:
    """What a sample is; KeyError with the known names for an unknown one."""
    try:
        return SAMPLES[name]
    except KeyError:
        raise KeyError(
            f"No sample called {name!r}; the samples are {', '.join(SAMPLES)}."
        ) from None


@cache
def sample_bytes(name: str) -> bytes:
    """The sample as UTF-8 CSV bytes (comma-separated, header row)."""
    sample_info(name)
    if name in _FILES:
        return (SAMPLES_DIR / _FILES[name]).read_bytes()
    buffer = io.StringIO()
    _MAKERS[name]().to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")
