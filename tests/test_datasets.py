"""The built-in samples: what they claim to be, and that they flow through the CSV reader."""

import io
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from regcore.data import default_target, make_design, read_csv
from regcore.datasets import (
    SAMPLES,
    SYNTHETIC_COEF,
    SYNTHETIC_INTERCEPT,
    make_synthetic,
    sample_bytes,
    sample_info,
    sample_names,
)


def test_the_synthetic_sample_is_the_default_and_every_sample_is_listed():
    assert sample_names()[0] == "Synthetic sparse"
    assert (
        set(sample_names())
        == set(SAMPLES)
        == {"Synthetic sparse", "Diabetes", "Churn (binary)", "Rentals (categorical)"}
    )


@pytest.mark.parametrize("name", sample_names())
def test_each_sample_reads_and_builds_a_design_with_its_stated_target(name):
    df, report = read_csv(sample_bytes(name))
    info = sample_info(name)
    assert default_target(df) == info.target
    design = make_design(df, info.target)
    assert design.n_train + design.n_test == len(df)
    assert design.n_features >= 5
    assert report.lines  # the reader says what it did
    assert info.description and info.source


def test_sample_bytes_are_deterministic_and_unknown_names_say_which_exist():
    assert sample_bytes("Synthetic sparse") == sample_bytes("Synthetic sparse")
    assert make_synthetic().equals(make_synthetic())
    with pytest.raises(KeyError, match="Diabetes"):
        sample_info("Iris")


def test_the_synthetic_truth_is_eight_known_coefficients_that_least_squares_recovers():
    info = sample_info("Synthetic sparse")
    assert info.true_nonzero == list(SYNTHETIC_COEF) and len(info.true_nonzero) == 8
    assert len(info.true_coef) == 20 and sum(b == 0 for b in info.true_coef.values()) == 12
    df = pd.read_csv(io.BytesIO(sample_bytes("Synthetic sparse")))
    X = np.column_stack([np.ones(len(df)), df.drop(columns="y").to_numpy()])
    fitted = np.linalg.lstsq(X, df["y"].to_numpy(), rcond=None)[0]
    truth = np.array([SYNTHETIC_INTERCEPT, *info.true_coef.values()])
    assert len(df) == 300
    assert np.max(np.abs(fitted - truth)) < 0.5  # noise sd 1.5 over 300 rows: standard errors ≈ 0.1


def test_synthetic_neighbours_are_correlated_and_distant_features_are_not():
    X = make_synthetic(n=5000).drop(columns="y").to_numpy()
    corr = np.corrcoef(X.T)
    neighbours = np.diag(corr, 1)
    assert np.all(np.abs(neighbours - 0.5) < 0.06)
    assert np.max(np.abs(np.diag(corr, 6))) < 0.06  # 0.5⁶ ≈ 0.016


def test_diabetes_csv_is_scikit_learns_unscaled_data():
    from sklearn.datasets import load_diabetes

    bunch = load_diabetes(scaled=False)
    df = pd.read_csv(io.BytesIO(sample_bytes("Diabetes")))
    assert list(df.columns) == [*bunch.feature_names, "progression"]
    np.testing.assert_allclose(df.drop(columns="progression").to_numpy(), bunch.data, rtol=1e-9)
    np.testing.assert_allclose(df["progression"].to_numpy(), bunch.target)
    assert "Least Angle Regression" in sample_info("Diabetes").source


def test_rentals_shows_an_id_column_dropped_a_category_one_hot_encoded_and_imputation():
    df, report = read_csv(sample_bytes("Rentals (categorical)"))
    assert "listing_id" in report.dropped
    assert report.column_kinds["district"] == "categorical"
    design = make_design(df, "rent")
    assert sum(name.startswith("district") for name in design.feature_names) == 3
    assert any("year_built" in line and "missing" in line for line in design.lines)


def test_importing_the_samples_needs_neither_scikit_learn_nor_streamlit():
    code = (
        "import sys, regcore.datasets as d; d.sample_bytes('Diabetes'); "
        "assert 'sklearn' not in sys.modules and 'streamlit' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
