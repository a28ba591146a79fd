"""The Path page's scoring panel through AppTest: the model JSON and a second CSV scored."""

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import regcore
from dashboard import show
from regcore.data import make_design, read_csv
from regcore.data.binary import BinaryTarget
from regcore.data.design import fit_encoding
from regcore.datasets import sample_bytes
from regcore.model import Model, read_rows

APP = str(Path(__file__).resolve().parents[1] / "app.py")
SAMPLE = "Rentals (categorical)"


def _path_page(sample: str = SAMPLE, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"sample": sample, **query})
    at.run()
    at.switch_page("app_pages/path.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _model_at(lam: float) -> Model:
    """regcore's own model for the app's default settings at grid λ ``lam``."""
    df, _ = read_csv(sample_bytes(SAMPLE))
    d = make_design(df, "rent", test_fraction=0.25, seed=0)
    path = regcore.fit_path(d.X_train, d.y_train, "lasso", feature_names=d.feature_names)
    index = int(np.argmin(np.abs(path.lambdas - lam)))
    assert path.lambdas[index] == pytest.approx(lam, rel=1e-12)
    return Model.from_path(path, index, fit_encoding(df, d))


def test_a_second_csv_is_scored_with_the_current_lambdas_model():
    at = _path_page()
    new = sample_bytes(SAMPLE)
    at.file_uploader(key="score_upload").upload("new.csv", new, "text/csv").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    model = _model_at(at.select_slider(key="lam").value)
    expect = model.predict(read_rows(new))
    shown = at.dataframe[-1].value
    np.testing.assert_allclose(shown["predicted rent"], expect[: len(shown)], rtol=1e-12)
    _, errors = model.score_table(read_rows(new))
    values = {m.label: m.value for m in at.metric}
    assert values["MSE on these rows"] == f"{errors['mse']:.4g}"
    assert values["rows with a target"] == f"{errors['rows']:,}"
    labels = [b.proto.label for b in at.get("download_button")]
    assert "The model at this λ (JSON)" in labels and "Rows with their predictions (CSV)" in labels


def test_an_unusable_csv_gets_a_plain_message_naming_the_column():
    at = _path_page()
    rows = pd.read_csv(io.BytesIO(sample_bytes(SAMPLE))).drop(columns="balcony")
    data = rows.to_csv(index=False).encode()
    at.file_uploader(key="score_upload").upload("new.csv", data, "text/csv").run()
    assert not at.exception
    assert len(at.error) == 1 and "'balcony'" in show.unliteral(at.error[0].value)


def test_unseen_levels_are_refused_or_read_as_the_reference_level():
    at = _path_page()
    data = b"area_m2,rooms,district,balcony,year_built\n60,3,Mars,no,1990\n"
    at.file_uploader(key="score_upload").upload("new.csv", data, "text/csv").run()
    assert len(at.error) == 1 and "'Mars'" in show.unliteral(at.error[0].value)
    at.toggle(key="score_unseen").set_value(True).run()
    assert not at.error and not at.exception
    assert any("reference level" in show.unliteral(c.value) for c in at.caption)
    assert "predictions only" in " ".join(show.unliteral(c.value) for c in at.caption)


CHURN = "Churn (binary)"


def _logistic_model_at(lam: float) -> Model:
    """regcore's own logistic model for the app's default settings on the churn sample."""
    df, _ = read_csv(sample_bytes(CHURN))
    d = make_design(df, "churn", test_fraction=0.25, seed=0)
    path = regcore.fit_path(
        d.X_train,
        d.binary.codes(d.y_train),
        "lasso",
        feature_names=d.feature_names,
        family="logistic",
    )
    index = int(np.argmin(np.abs(path.lambdas - lam)))
    assert path.lambdas[index] == pytest.approx(lam, rel=1e-12)
    classes = BinaryTarget(labels=("no", "yes"), values=d.binary.values)
    return Model.from_path(path, index, fit_encoding(df, d), classes=classes)


def test_a_logistic_model_scores_a_second_csv_with_probabilities_labels_and_measures():
    at = _path_page(sample=CHURN)
    new = sample_bytes(CHURN)
    at.file_uploader(key="score_upload").upload("new.csv", new, "text/csv").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    model = _logistic_model_at(at.select_slider(key="lam").value)
    rows = read_rows(new)
    shown = at.dataframe[-1].value
    np.testing.assert_allclose(
        shown["probability churn = yes"], model.predict_proba(rows)[: len(shown)], rtol=1e-12
    )
    assert list(shown["predicted churn"]) == list(model.predict(rows)[: len(shown)])
    assert set(shown["predicted churn"]) <= {"yes", "no"}
    _, errors = model.score_table(rows)
    values = {m.label: m.value for m in at.metric}
    assert values["rows with a target"] == f"{errors['rows']:,}"
    assert values["deviance on these rows"] == f"{errors['deviance']:.4g}"
    assert values["misclassification on these rows"] == f"{errors['misclassification']:.3f}"
    assert values["AUC on these rows"] == f"{errors['auc']:.3f}"
    assert "MSE on these rows" not in values
    labels = [b.proto.label for b in at.get("download_button")]
    assert "The model at this λ (JSON)" in labels and "Rows with their predictions (CSV)" in labels


def test_a_logistic_model_scores_rows_without_the_target_and_names_an_unknown_label():
    at = _path_page(sample=CHURN)
    rows = pd.read_csv(io.BytesIO(sample_bytes(CHURN)))
    data = rows.drop(columns="churn").head(30).to_csv(index=False).encode()
    at.file_uploader(key="score_upload").upload("new.csv", data, "text/csv").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "predictions only" in " ".join(show.unliteral(c.value) for c in at.caption)
    assert "deviance on these rows" not in {m.label for m in at.metric}
    shown = at.dataframe[-1].value
    assert set(shown["predicted churn"]) <= {"yes", "no"}
    assert ((shown["probability churn = yes"] > 0) & (shown["probability churn = yes"] < 1)).all()

    data = rows.head(5).assign(churn=["yes", "no", "maybe", "yes", "no"]).to_csv(index=False)
    at.file_uploader(key="score_upload").upload("odd.csv", data.encode(), "text/csv").run()
    assert not at.exception
    assert len(at.error) == 1 and "'maybe'" in show.unliteral(at.error[0].value)
