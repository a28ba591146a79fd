"""The dashboard through Streamlit's AppTest: pages, widgets, links, uploads and chart data.

Each test starts the real app.py (st.navigation over app_pages/) and reads what a user
would see: metrics, messages, widget values and the data behind each chart.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest
from test_charts import layers

import regcore
from dashboard import show, state, views
from regcore.charts import path as path_charts
from regcore.data import make_design, read_csv
from regcore.datasets import sample_bytes, sample_names

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ("data", "path", "cv", "compare", "descent")


def start(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    return at.run()


def go(at: AppTest, page: str) -> AppTest:
    return at.switch_page(f"app_pages/{page}.py").run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def chart_layers(at: AppTest) -> list[list]:
    """For each Altair chart on the page, its marks as (mark, encoding, records, transforms)."""
    charts = []
    for element in at.get("vega_lite_chart"):
        proto = element.proto
        datasets = {
            d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas().to_dict("records")
            for d in proto.datasets
        }
        charts.append(layers({**json.loads(proto.spec), "datasets": datasets}))
    return charts


def the_path(sample="Synthetic sparse", penalty="lasso", alpha=None):
    """regcore's path for a sample with the app's default settings, and its design."""
    df, _ = read_csv(sample_bytes(sample))
    design = make_design(df, df.columns[-1], test_fraction=0.25, seed=0)
    path = regcore.fit_path(
        design.X_train, design.y_train, penalty, alpha, feature_names=design.feature_names
    )
    return path, design


def test_the_app_opens_on_a_populated_path_page_for_the_synthetic_sample():
    at = start()
    assert_clean(at)
    assert at.selectbox(key="sample").value == "Synthetic sparse"
    assert at.radio(key="model").value == "Lasso"
    assert at.title[0].value.startswith("Lasso")
    shown = metrics(at)
    assert shown["non-zero coefficients"].endswith("of 20")
    assert {
        "train MSE",
        "test MSE",
        "train R²",
        "test R²",
        "scikit-learn Lasso alpha",
        "glmnet lambda",
    } <= set(shown)
    assert at.get("vega_lite_chart")  # the Path figure
    assert "300 rows used × 20 features" in at.sidebar.caption[0].value


@pytest.mark.parametrize("sample", sample_names())
def test_every_page_runs_on_every_sample(sample):
    at = start(sample=sample, k="3")
    for page in PAGES:
        go(at, page)
        assert_clean(at)
        assert not at.warning, [w.value for w in at.warning]  # a warning here means a chart failed
        assert at.title, page


def test_switching_model_and_lambda_changes_the_numbers_and_matches_regcore():
    at = start()
    lasso = metrics(at)
    at.radio(key="model").set_value("Ridge").run()
    ridge = metrics(at)
    assert_clean(at)
    assert "non-zero coefficients" not in ridge and ridge["effective df"].endswith("of 20")
    assert ridge["test MSE"] != lasso["test MSE"] and "scikit-learn Ridge alpha" in ridge

    path, design = the_path(penalty="ridge")
    lam = float(path.lambdas[10])
    at.select_slider(key="lam").set_value(lam).run()
    moved = metrics(at)
    assert moved["test MSE"] != ridge["test MSE"]
    assert moved["test MSE"] == f"{path.mse(design.X_test, design.y_test)[10]:.4g}"
    assert moved["scikit-learn Ridge alpha"] == f"{design.n_train * lam:.4g}"


def test_at_the_largest_lambda_lasso_shows_zero_nonzero_coefficients():
    at = start()
    path, _ = the_path()
    at.select_slider(key="lam").set_value(float(path.lambdas[0])).run()
    assert metrics(at)["non-zero coefficients"] == "0 of 20"
    at.select_slider(key="lam").set_value(float(path.lambdas[-1])).run()
    assert metrics(at)["non-zero coefficients"] != "0 of 20"


def test_elastic_net_shows_its_mixing_alpha_and_the_scikit_learn_l1_ratio():
    at = start()
    at.radio(key="model").set_value("Elastic net").run()
    at.slider(key="alpha").set_value(0.3).run()
    assert_clean(at)
    assert metrics(at)["scikit-learn l1_ratio"] == f"{0.3 / 1.7:.4g}"


def figure_data(at: AppTest) -> tuple[dict, dict[str, pd.DataFrame]]:
    """The Path figure's spec and its datasets (one Vega-Lite chart holds the whole path)."""
    (element,) = at.get("vega_lite_chart")
    datasets = {
        d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas()
        for d in element.proto.datasets
    }
    return json.loads(element.proto.spec), datasets


def figure_step(spec: dict) -> int:
    """The grid step the figure's λ parameter starts at."""
    return next(p["value"] for p in spec["params"] if p["name"] == path_charts.STEP)


def test_the_chart_data_are_regcores_path_for_the_same_settings():
    at = start()
    at.radio(key="scale").set_value("original").run()
    path, design = the_path()
    i = the_cv()[0].index_1se  # the default λ
    spec, data = figure_data(at)
    assert figure_step(spec) == i

    coef = data[path_charts.COEFFICIENTS]
    drawn = coef.pivot(index="step", columns="feature", values="coefficient")
    np.testing.assert_allclose(drawn[path.feature_names].to_numpy(), path.coef)
    steps = data[path_charts.STEPS]
    np.testing.assert_allclose(steps["lambda"], path.lambdas)
    np.testing.assert_allclose(steps["test_mse"], path.mse(design.X_test, design.y_test))
    np.testing.assert_allclose(steps["train_mse"], path.mse(design.X_train, design.y_train))


def test_the_lambda_slider_sets_where_the_figure_starts_and_play_runs_in_the_browser():
    at = start()
    path, _ = the_path()
    assert not [b for b in at.button if "Play" in b.label]  # no server-side replay any more
    at.select_slider(key="lam").set_value(float(path.lambdas[-1])).run()
    assert_clean(at)
    spec, _ = figure_data(at)
    assert figure_step(spec) == path.lambdas.size - 1
    (play,) = [h for h in at.get("html") if "data-regcore-play" in h.proto.body]
    assert f'name="{path_charts.STEP}"' in play.proto.body


def test_cross_validation_gives_lambda_1se_at_least_lambda_min_and_hands_it_to_the_path_page():
    at = go(start(k="4"), "cv")
    assert_clean(at)
    shown = metrics(at)
    lam_min, lam_1se = float(shown["λ_min"]), float(shown["λ_1se"])
    assert lam_1se >= lam_min > 0
    at.button(key="use_λ_1se").click().run()
    assert_clean(at)
    assert at.title[0].value.startswith("Lasso")
    assert float(metrics(at)["λ"]) == pytest.approx(lam_1se, rel=1e-3)


def test_a_link_with_query_params_restores_model_and_lambda():
    path, _ = the_path(penalty="ridge")
    label = views.lambda_labels(path.lambdas)[7]
    at = start(model="Ridge", lam=label)
    assert_clean(at)
    assert at.radio(key="model").value == "Ridge"
    assert metrics(at)["λ"] == label
    assert at.select_slider(key="lam").value == pytest.approx(float(path.lambdas[7]))


def test_a_link_can_choose_the_sample():
    at = start(sample="Diabetes")
    assert_clean(at)
    assert metrics(at)["non-zero coefficients"].endswith("of 10")


GOOD_CSV = b"a,b,c,target\n" + b"".join(
    f"{i % 7},{(i * 3) % 11},{i % 5 - 2},{2 * (i % 7) - (i % 5) + (i % 3)}\n".encode()
    for i in range(60)
)


def test_an_uploaded_csv_reaches_the_path_page():
    at = go(start(), "data")
    at.file_uploader(key="uploader").upload("mine.csv", GOOD_CSV, "text/csv").run()
    assert_clean(at)
    assert at.selectbox(key="sample").value == "Uploaded file"
    go(at, "path")
    assert_clean(at)
    assert metrics(at)["non-zero coefficients"].endswith("of 3")
    assert "mine" in at.sidebar.caption[0].value
    assert at.get("vega_lite_chart")  # the Path figure


def test_an_upload_is_held_once_the_session_sharing_the_uploaders_bytes():
    data = bytes(GOOD_CSV)  # an object of this test's own, to compare identities with
    at = go(start(), "data")
    at.file_uploader(key="uploader").upload("mine.csv", data, "text/csv").run()
    assert_clean(at)
    assert at.session_state[state.UPLOAD_KEY].data is data


def test_a_bad_file_shows_a_plain_message_and_the_next_good_file_works():
    at = go(start(), "data")
    at.file_uploader(key="uploader").upload("empty.csv", b"", "text/csv").run()
    assert not at.exception
    assert len(at.error) == 1 and "Traceback" not in at.error[0].value
    assert any("was not loaded" in show.unliteral(i.value) for i in at.info)
    go(at, "path")
    assert_clean(at)  # nothing lost: the data set in use before the bad file still works
    assert at.sidebar.selectbox(key="sample").value == "Synthetic sparse"
    go(at, "data")
    at.file_uploader(key="uploader").upload("good.csv", GOOD_CSV, "text/csv").run()
    assert_clean(at)
    go(at, "path")
    assert_clean(at)


def test_column_names_and_file_names_from_a_file_are_never_rendered_as_markdown():
    hostile = b"**bold**,<script>alert(1)</script>,$x$,target\n" + b"".join(
        f"{i % 7},{(i * 3) % 11},{i % 5},{i % 7 + i % 5}\n".encode() for i in range(40)
    )
    at = go(start(), "data")
    at.file_uploader(key="uploader").upload("_evil_ [x](y).csv", hostile, "text/csv").run()
    for page in PAGES:
        go(at, page)
        assert not at.exception
        rendered = [
            e.value
            for kind in ("markdown", "caption", "error", "warning", "info", "success")
            for e in getattr(at, kind)
        ]
        rendered += [e.value for e in at.sidebar.caption]
        for raw in ("**bold**", "$x$", "[x](y)", "_evil_"):
            assert not any(raw in text for text in rendered), (page, raw)
    assert any(
        show.unliteral(c.value).startswith("Uploaded file: _evil_ [x](y).csv")
        for c in at.sidebar.caption
    )


def test_a_chart_that_fails_is_replaced_by_a_message_and_the_page_still_works(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(path_charts, "at_step", broken)
    at = start()
    assert not at.exception
    assert len(at.warning) == 1 and "path charts could not be drawn" in show.unliteral(
        at.warning[0].value
    )
    assert not at.get("vega_lite_chart")
    assert metrics(at)["non-zero coefficients"].endswith("of 20")


def test_the_gradient_descent_page_shows_the_proximal_weight_exactly_at_zero():
    at = go(start(), "descent")
    assert_clean(at)
    lines = [show.unliteral(m.value) for m in at.markdown]
    prox = next(text for text in lines if text.startswith("**L1 proximal"))
    assert "ended at exactly 0" in prox
    sub = next(text for text in lines if text.startswith("**L1 subgradient"))
    assert "(not 0)" in sub


def test_moving_lambda_never_refits(monkeypatch):
    at = start()
    path, _ = the_path()
    calls = []
    real = regcore.fit_path
    monkeypatch.setattr(regcore, "fit_path", lambda *a, **k: calls.append(1) or real(*a, **k))
    for i in (0, 30, 60, 99):
        at.select_slider(key="lam").set_value(float(path.lambdas[i])).run()
        assert_clean(at)
    assert calls == []


def test_data_page_settings_reach_every_page_and_persist():
    at = go(start(), "data")
    at.slider(key="test_fraction").set_value(0.5).run()
    at.checkbox(key="standardise").uncheck().run()
    assert_clean(at)
    assert "train 150 / test 150 rows" in at.sidebar.caption[0].value
    go(at, "path")
    assert_clean(at)
    assert "features as given" in at.caption[0].value
    design = make_design(read_csv(sample_bytes("Synthetic sparse"))[0], "y", test_fraction=0.5)
    path = regcore.fit_path(design.X_train, design.y_train, standardize=False)
    at.select_slider(key="lam").set_value(float(path.lambdas[0])).run()
    assert metrics(at)["non-zero coefficients"] == "0 of 20"
    assert at.sidebar.slider(key="test_fraction").value == 0.5  # the same setting, in the sidebar
    go(at, "data")
    assert at.slider(key="test_fraction").value == 0.5


def test_choosing_another_sample_in_the_sidebar_refits_the_path_page():
    at = start()
    at.selectbox(key="sample").set_value("Rentals (categorical)").run()
    assert_clean(at)
    assert metrics(at)["non-zero coefficients"].endswith("of 7")
    assert "rent" in at.sidebar.caption[0].value


def test_no_penalty_shows_least_squares_without_a_path_and_cv_says_there_is_no_lambda():
    at = start(model="No penalty")
    assert_clean(at)
    shown = metrics(at)
    assert shown["λ"] == "0" and shown["non-zero coefficients"] == "20 of 20"
    assert "LinearRegression" in at.caption[0].value
    assert len(at.get("vega_lite_chart")) == 1  # the coefficient bars only
    go(at, "cv")
    assert_clean(at)
    assert "no λ to choose" in at.info[0].value


def test_a_link_restores_the_elastic_net_mixing_alpha():
    at = start(model="Elastic net", alpha="0.3")
    assert_clean(at)
    assert at.slider(key="alpha").value == pytest.approx(0.3)
    assert metrics(at)["scikit-learn l1_ratio"] == f"{0.3 / 1.7:.4g}"


def the_cv(sample="Synthetic sparse", penalty="lasso", alpha=None, k=10):
    """regcore's CV on the app's default split over the path's grid, folds seeded by the split seed."""
    path, design = the_path(sample, penalty, alpha)
    return regcore.cross_validate(
        design.X_train, design.y_train, penalty=penalty, alpha=alpha, k=k, lambdas=path.lambdas
    ), path


@pytest.mark.parametrize("model, penalty", [("Lasso", "lasso"), ("Ridge", "ridge")])
def test_the_default_lambda_is_the_cross_validated_lambda_1se(model, penalty):
    cv, path = the_cv(penalty=penalty, k=5)
    at = start(model=model, k="5")
    assert_clean(at)
    assert at.select_slider(key="lam").value == pytest.approx(cv.lambda_1se)
    assert metrics(at)["λ"] == views.lambda_labels(path.lambdas)[cv.index_1se]


def test_every_page_reads_the_same_alpha_and_k():
    at = start(model="Elastic net", alpha="0.8", k="4")
    assert_clean(at)
    cv, path = the_cv(penalty="elasticnet", alpha=0.8, k=4)
    assert metrics(at)["scikit-learn l1_ratio"] == f"{0.8 / 1.2:.4g}"
    assert at.select_slider(key="lam").value == pytest.approx(cv.lambda_1se)

    go(at, "cv")
    assert_clean(at)
    shown = metrics(at)
    assert float(shown["λ_1se"]) == pytest.approx(cv.lambda_1se, rel=1e-3)
    assert float(shown["λ_min"]) == pytest.approx(cv.lambda_min, rel=1e-3)
    assert any("K = 4 folds" in m.value for m in at.markdown)

    go(at, "compare")
    assert_clean(at)
    table = at.dataframe[0].value
    column = next(c for c in table.columns if c.startswith("Elastic net"))
    assert "α = 0.80" in column
    assert table.loc["λ", column] == pytest.approx(cv.lambda_1se)
    lasso_cv, _ = the_cv(penalty="lasso", k=4)
    assert table.loc["λ", "Lasso (λ_1se)"] == pytest.approx(lasso_cv.lambda_1se)
    assert at.sidebar.slider(key="alpha").value == pytest.approx(0.8)
    assert at.sidebar.number_input(key="k").value == 4


def chart_specs(at: AppTest) -> str:
    return " ".join(element.proto.spec for element in at.get("vega_lite_chart"))


def test_without_standardisation_nothing_is_labelled_standardised():
    at = start(standardise="false")
    assert_clean(at)
    assert at.sidebar.checkbox(key="standardise").value is False
    for page in ("path", "compare"):
        go(at, page)
        assert_clean(at)
        assert chart_specs(at), page
        assert "standardised" not in chart_specs(at), page
        assert not any("standardised scale" in c.value for c in at.caption), page
    go(at, "path")
    assert "features as given" in at.caption[0].value
    path, _ = the_path()  # the path's own coefficients: no standardised column without scaling
    table = views.coefficients_table(path, 10, standardized=False)
    assert list(table.columns) == ["term", "coefficient"]


def test_a_link_to_an_uploaded_file_opens_the_first_sample_and_says_so():
    at = start(sample="Uploaded file", lam="0.1")
    assert_clean(at)
    assert at.sidebar.selectbox(key="sample").value == sample_names()[0]
    notices = [show.unliteral(i.value) for i in at.info]
    assert any("uploaded file" in n and sample_names()[0] in n for n in notices), notices


def test_a_link_with_invalid_values_is_ignored_with_notices_and_an_off_grid_lambda_snaps():
    path, _ = the_path()
    labels = views.lambda_labels(path.lambdas)
    off_grid = float(path.lambdas[20]) * 1.01
    at = start(target="no such column", model="Quantum", k="1", alpha="7", lam=f"{off_grid:.6g}")
    assert_clean(at)
    notices = " ".join(show.unliteral(i.value) for i in at.info)
    for what in ("target (no such column)", "model (Quantum)", "folds K (1)", "mixing α (7)"):
        assert what in notices
    assert f"showing λ = {labels[20]}" in notices
    assert metrics(at)["λ"] == labels[20]
    assert at.radio(key="model").value == "Lasso" and at.number_input(key="k").value == 10
    at.button(key="dismiss_notices").click().run()
    assert not at.info or all("link" not in i.value for i in at.info)


def test_a_link_restores_every_data_setting():
    at = start(
        sample="Diabetes",
        target="bmi",
        drop=["sex", "s2", "s3", "s4", "s5", "s6", "progression"],
        test_fraction="0.4",
        seed="7",
        standardise="false",
    )
    assert_clean(at)
    df, _ = read_csv(sample_bytes("Diabetes"))
    design = make_design(df, "bmi", ["age", "bp", "s1"], test_fraction=0.4, seed=7)
    path = regcore.fit_path(design.X_train, design.y_train, standardize=False)
    cv = regcore.cross_validate(
        design.X_train, design.y_train, k=10, seed=7, lambdas=path.lambdas, standardize=False
    )
    assert metrics(at)["non-zero coefficients"].endswith("of 3")
    assert metrics(at)["test MSE"] == f"{path.mse(design.X_test, design.y_test)[cv.index_1se]:.4g}"
    assert f"train {design.n_train} / test {design.n_test} rows" in at.sidebar.caption[0].value
    go(at, "data")
    assert at.selectbox(key="target").value == "bmi"
    assert at.multiselect(key="drop").value == ["sex", "s2", "s3", "s4", "s5", "s6", "progression"]
    assert at.number_input(key="seed").value == 7


def test_ridge_shows_its_effective_df_and_every_lambda_its_certificate():
    at = start(model="Ridge")
    path, design = the_path(penalty="ridge")
    i = 40
    at.select_slider(key="lam").set_value(float(path.lambdas[i])).run()
    assert_clean(at)
    X = design.X_train - design.X_train.mean(axis=0)
    d = np.linalg.svd(X / X.std(axis=0), compute_uv=False)
    df = np.sum(d**2 / (d**2 + design.n_train * path.lambdas[i]))
    shown = metrics(at)
    assert shown["effective df"] == f"{df:.3g} of 20"
    assert shown["duality gap"] == f"{path.gap[i]:.2g}"
    whole = views.path_table(views.path_view(path, design))
    np.testing.assert_array_equal(whole["duality_gap"], path.gap)
    np.testing.assert_array_equal(whole["certified"], path.converged)


def test_the_cv_page_draws_error_bars_and_counts_and_offers_the_curve():
    at = go(start(k="4"), "cv")
    assert_clean(at)
    (chart,) = chart_layers(at)
    kinds = [layer[0] for layer in chart]
    assert "point" in kinds and "text" in kinds
    ((_, enc, records, _),) = [layer for layer in chart if layer[0] == "rule" and "y2" in layer[1]]
    bars = pd.DataFrame(records)
    cv, _ = the_cv(k=4)
    keep = cv.lambdas > 0
    np.testing.assert_allclose(bars["upper"] - bars["lower"], 2 * cv.se[keep])
    at.toggle(key="cv_log").set_value(True).run()
    assert '"type": "log"' in chart_specs(at).replace('"type":"log"', '"type": "log"')
    assert any("CV curve" in b.label for b in at.get("download_button"))


def test_compare_shows_train_and_test_errors_and_the_intercept_on_the_scale_shown():
    at = go(start(k="3"), "compare")
    assert_clean(at)
    table = at.dataframe[0].value
    for row in ("train MSE", "test MSE", "train R²", "test R²", "non-zero coefficients", "λ"):
        assert row in table.index
    _, design = the_path()
    # standardised: the intercept is the prediction at the mean training row, ȳ for every model
    np.testing.assert_allclose(table.loc["(intercept)"], design.y_train.mean(), rtol=1e-8)
    at.sidebar.radio(key="scale").set_value("original").run()
    table = at.dataframe[0].value
    assert not np.allclose(table.loc["(intercept)"], design.y_train.mean())
    ols = regcore.fit_path(design.X_train, design.y_train, "none")
    assert table.loc["(intercept)", "Least squares"] == pytest.approx(ols.intercept[0])


def test_features_left_unpenalised_stay_in_the_model_at_every_lambda():
    path, design = the_path()
    free = [path.feature_names[0], path.feature_names[5]]
    at = start(unpenalised=free)
    assert_clean(at)
    assert at.sidebar.multiselect(key="unpenalised").value == free
    assert any(
        "Left unpenalised" in show.unliteral(c.value)
        and all(f in show.unliteral(c.value) for f in free)
        for c in at.caption
    )
    factor = np.ones(len(path.feature_names))
    factor[[0, 5]] = 0.0
    expected = regcore.fit_path(
        design.X_train, design.y_train, penalty_factor=factor, feature_names=design.feature_names
    )
    at.select_slider(key="lam").set_value(float(expected.lambdas[0])).run()
    assert_clean(at)
    # at the largest λ only the two unpenalised features are non-zero
    assert metrics(at)["non-zero coefficients"] == "2 of 20"
    assert metrics(at)["test MSE"] == f"{expected.mse(design.X_test, design.y_test)[0]:.4g}"


def test_the_imported_modules_are_frozen_out_of_every_garbage_collection():
    """Streamlit collects after every run; the app exempts the ~150 000 objects of its imports."""
    import gc

    start()
    assert gc.get_freeze_count() > 50_000
