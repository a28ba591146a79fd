"""The Summary statistics page through AppTest: the demo moments, an upload, a bad file."""

import io
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

import regcore
from dashboard import show
from regcore.datasets import SAMPLES_DIR
from regcore.moments import Moments, from_csv

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _page(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update(query)
    at.run()
    return at.switch_page("app_pages/moments.py").run()


def metrics_of(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_the_page_opens_on_the_samples_moments_with_its_path_and_cv():
    at = _page()
    _clean(at)
    expect = regcore.cross_validate(moments=from_csv(SAMPLES_DIR / "diabetes.csv"))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["folds"] == "10" and metrics["features"] == "10"
    assert metrics["λ_1se"] == f"{expect.lambda_1se:.4g}"
    assert len(at.get("vega_lite_chart")) == 2  # the path figure (paths, errors, bars), CV


def test_an_uploaded_moments_file_is_used_and_the_model_is_in_the_link():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3)) + 1e6
    y = X @ [1.0, 0.0, -2.0] + rng.normal(size=300)
    groups = np.arange(300) % 4  # 3 folds and the test rows
    m = Moments.of_rows(X, y, groups, 3, ["u", "v", "w"], target="out")
    buffer = io.BytesIO()
    m.save(buffer)
    at = _page()
    at.file_uploader(key="moments_uploader").upload(
        "m.npz", buffer.getvalue(), "application/octet-stream"
    ).run()
    _clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["folds"] == "3" and metrics["features"] == "3" and metrics["test rows"] == "75"
    assert metrics["λ_1se"] == f"{regcore.cross_validate(moments=m).lambda_1se:.4g}"
    at.radio(key="moments_model").set_value("Elastic net").run()
    _clean(at)
    assert at.slider(key="moments_alpha").value == 0.5
    expect = regcore.cross_validate(moments=m, penalty="elasticnet", alpha=0.5)
    assert metrics_of(at)["λ_1se"] == f"{expect.lambda_1se:.4g}"


def test_a_link_restores_the_model_and_mixing():
    at = _page(moments_model="Elastic net", moments_alpha="0.3")
    _clean(at)
    assert at.radio(key="moments_model").value == "Elastic net"
    assert at.slider(key="moments_alpha").value == 0.3
    expect = regcore.cross_validate(
        moments=from_csv(SAMPLES_DIR / "diabetes.csv"), penalty="elasticnet", alpha=0.3
    )
    assert metrics_of(at)["λ_1se"] == f"{expect.lambda_1se:.4g}"


def test_a_file_that_is_not_moments_is_a_plain_message():
    at = _page()
    at.file_uploader(key="moments_uploader").upload(
        "x.npz", b"hello", "application/octet-stream"
    ).run()
    assert not at.exception
    assert len(at.error) == 1 and "not a moments file" in show.unliteral(at.error[0].value)
