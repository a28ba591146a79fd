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
from dashboard import show, views
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
    assert len(at.get("vega_lite_chart")) == 3
    assert "300 rows × 20 features" in at.sidebar.caption[0].value


@pytest.mark.parametrize("sample", sample_names())
def test_every_page_runs_on_every_sample(sample):
    at = start(sample=sample)
    for page in PAGES:
        go(at, page)
        if page == "cv":
            at.number_input(key="cv_k").set_value(3).run()
        if page == "compare":
            at.number_input(key="compare_k").set_value(3).run()
        assert_clean(at)
        assert not at.warning, [w.value for w in at.warning]  # a warning here means a chart failed
        assert at.title, page


def test_switching_model_and_lambda_changes_the_numbers_and_matches_regcore():
    at = start()
    lasso = metrics(at)
    at.radio(key="model").set_value("Ridge").run()
    ridge = metrics(at)
    assert_clean(at)
    assert ridge["non-zero coefficients"] == "20 of 20"
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


def test_the_chart_data_are_regcores_path_for_the_same_settings():
    at = start()
    at.toggle(key="coef_scale_std").set_value(False).run()
    path, design = the_path()
    i = views.PathView(
        path,
        path.mse(design.X_train, design.y_train),
        path.mse(design.X_test, design.y_test),
        np.zeros(1),
        np.zeros(1),
    ).best_index
    lam = float(path.lambdas[i])
    coefficient_paths, errors, bars = chart_layers(at)

    ((_, _, records, _),) = [layer for layer in coefficient_paths if layer[0] == "line"]
    drawn = pd.DataFrame(records).pivot(index="lambda", columns="feature", values="coefficient")
    np.testing.assert_allclose(
        drawn.sort_index(ascending=False)[path.feature_names].to_numpy(), path.coef
    )
    ((_, _, rule, _),) = [layer for layer in coefficient_paths if layer[0] == "rule"]
    assert rule[0]["lambda"] == pytest.approx(lam)

    ((_, _, records, _),) = [layer for layer in errors if layer[0] == "line"]
    drawn = pd.DataFrame(records)
    np.testing.assert_allclose(
        drawn.query("set == 'test'")["mse"], path.mse(design.X_test, design.y_test)
    )
    np.testing.assert_allclose(
        drawn.query("set == 'train'")["mse"], path.mse(design.X_train, design.y_train)
    )

    ((_, _, records, _),) = [layer for layer in bars if layer[0] == "bar"]
    expected = path_charts.coefficient_bar_frame(path.feature_names, path.coef[i])
    np.testing.assert_allclose(pd.DataFrame(records)["coefficient"], expected["coefficient"])


def test_play_sweeps_lambda_down_to_the_smallest_and_leaves_the_slider_there():
    at = start()
    path, _ = the_path()
    at.button[0].click().run()
    assert_clean(at)
    assert at.select_slider(key="lam").value == pytest.approx(float(path.lambdas[-1]))


def test_cross_validation_gives_lambda_1se_at_least_lambda_min_and_hands_it_to_the_path_page():
    at = go(start(), "cv")
    at.number_input(key="cv_k").set_value(4).run()
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
    assert len(at.get("vega_lite_chart")) == 3


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

    monkeypatch.setattr(path_charts, "error_chart", broken)
    at = start()
    assert not at.exception
    assert len(at.warning) == 1 and "error chart could not be drawn" in show.unliteral(
        at.warning[0].value
    )
    assert len(at.get("vega_lite_chart")) == 2
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
    at.slider(key=next(s.key for s in at.slider if s.key.startswith("test_fraction@"))).set_value(
        0.5
    ).run()
    at.checkbox(
        key=next(c.key for c in at.checkbox if c.key.startswith("standardize@"))
    ).uncheck().run()
    assert_clean(at)
    assert "train 150 / test 150 rows" in at.sidebar.caption[0].value
    go(at, "path")
    assert_clean(at)
    assert "features as given" in at.caption[0].value
    design = make_design(read_csv(sample_bytes("Synthetic sparse"))[0], "y", test_fraction=0.5)
    path = regcore.fit_path(design.X_train, design.y_train, standardize=False)
    at.select_slider(key="lam").set_value(float(path.lambdas[0])).run()
    assert metrics(at)["non-zero coefficients"] == "0 of 20"
    go(at, "data")
    assert next(s.value for s in at.slider if s.key.startswith("test_fraction@")) == 0.5


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
