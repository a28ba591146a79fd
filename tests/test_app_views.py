"""The dashboard's pure helpers: errors along a path, λ labels, download tables, literal text."""

import string

import numpy as np
import pytest

import regcore
from dashboard import show, views
from regcore.data import make_design, read_csv, safe_csv_bytes
from regcore.datasets import sample_bytes
from regcore.metrics import r2_from_mse


@pytest.fixture(scope="module")
def design():
    df, _ = read_csv(sample_bytes("Diabetes"))
    return make_design(df, "progression")


@pytest.fixture(scope="module")
def view(design):
    path = regcore.fit_path(
        design.X_train, design.y_train, "lasso", feature_names=design.feature_names
    )
    return views.path_view(path, design)


def test_path_view_holds_train_and_test_error_and_r2_at_every_lambda(view, design):
    i = 40
    pred = design.X_test @ view.path.coef[i] + view.path.intercept[i]
    mse = np.mean((design.y_test - pred) ** 2)
    assert view.test_mse[i] == pytest.approx(mse)
    assert view.test_r2[i] == pytest.approx(1 - mse / np.var(design.y_test))
    assert view.train_r2[0] == pytest.approx(
        0.0, abs=1e-12
    )  # λ_max: the intercept alone, on the training rows
    assert view.best_index == int(np.argmin(view.test_mse))


def test_index_of_finds_the_nearest_grid_lambda_on_the_log_scale(view):
    lambdas = view.path.lambdas
    assert view.index_of(float(lambdas[17])) == 17
    assert view.index_of(float(np.sqrt(lambdas[17] * lambdas[18])) * 1.001) == 17
    assert view.index_of(1e9) == 0 and view.index_of(1e-12) == len(lambdas) - 1


def test_lambda_labels_are_short_distinct_numbers():
    assert views.lambda_labels([0.5, 0.25, 0.0]) == ["0.5", "0.25", "0"]
    close = [1.0, 1.00001, 1.00002]
    labels = views.lambda_labels(close)
    assert len(set(labels)) == 3 and [float(v) for v in labels] == close


def test_r2_of_a_constant_target_is_not_a_number():
    assert np.isnan(r2_from_mse(np.array([0.0, 1.0]), np.ones(5))).all()


def test_download_tables_round_trip_through_the_reader(view):
    i = 30
    coefs = views.coefficients_table(view.path, i)
    assert list(coefs["term"]) == ["(intercept)", *view.path.feature_names]
    back, _ = read_csv(safe_csv_bytes(coefs))
    np.testing.assert_allclose(
        back["coefficient"], [view.path.intercept[i], *view.path.coef[i]], rtol=1e-12
    )

    assert list(coefs.columns) == ["term", "coefficient", "standardised_coefficient"]
    raw = views.coefficients_table(view.path, i, standardized=False)
    assert list(raw.columns) == ["term", "coefficient"]  # no standardised column without scaling

    whole = views.path_table(view)
    assert list(whole.columns[:8]) == [
        "lambda",
        "df",
        "n_nonzero",
        "duality_gap",
        "certified",
        "train_mse",
        "test_mse",
        "intercept",
    ]
    assert list(whole.columns[8:]) == view.path.feature_names
    assert whole["certified"].all() and (whole["duality_gap"] == view.path.gap).all()
    back, _ = read_csv(safe_csv_bytes(whole))
    np.testing.assert_allclose(back["test_mse"], view.test_mse, rtol=1e-12)
    np.testing.assert_allclose(
        back[view.path.feature_names].to_numpy(), view.path.coef, rtol=1e-12, atol=1e-300
    )


def test_standardized_training_rows_have_mean_zero_and_unit_sd(design):
    Xs, y = views.standardized_training(design, max_rows=100)
    assert Xs.shape == (100, design.n_features) and list(Xs.columns) == design.feature_names
    np.testing.assert_allclose(Xs.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Xs.std(axis=0, ddof=0), 1)
    ys = views.standardized_target(y)
    assert ys.mean() == pytest.approx(0, abs=1e-12) and ys.std() == pytest.approx(1)


@pytest.mark.parametrize(
    "text",
    [
        "**bold**",
        "<script>alert(1)</script>",
        "$x$",
        "[a](b)",
        "a_b_c",
        "# head",
        ":rocket:",
        "back\\slash",
        "`code`",
    ],
)
def test_literal_escapes_every_markdown_mark_and_unliteral_undoes_it(text):
    escaped = show.literal(text)
    assert escaped == "".join("\\" + c if c in string.punctuation else c for c in text)
    assert show.unliteral(escaped) == text
