"""The design's encoding on new rows, and a model saved as JSON and loaded in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import regcore
from regcore.data import DataError, default_target, make_design, read_csv
from regcore.data.binary import BinaryTarget
from regcore.data.design import fit_encoding
from regcore.datasets import sample_bytes, sample_names
from regcore.model import Model, load_model, read_rows

CORPUS = Path(__file__).parent / "data"
ROOT = Path(regcore.__file__).parents[1]

TRAIN_CSV = """city,size,garden,built,price
Oslo,50,yes,2001-05-01,210
Bergen,72,no,1999-03-12,260
Oslo,,yes,2010-07-30,250
Tromso,65,no,,230
Bergen,80,yes,2005-01-15,300
Oslo,45,no,1987-11-02,180
,90,yes,2015-06-01,330
Tromso,58,no,2000-02-20,215
Bergen,66,yes,1995-09-09,255
Oslo,77,no,2008-04-04,280
Tromso,83,yes,2012-12-12,310
Bergen,49,no,1990-10-10,190
Oslo,61,yes,2003-03-03,240
Tromso,70,no,1998-08-08,250
"""
# rows to score: a missing size, a missing city, and a city never seen in training (Paris)
NEW_CSV = "city,size,garden,built,price\nOslo,,no,2004-04-04,230\n,70,yes,2011-01-01,265\n"
UNSEEN_CSV = NEW_CSV + "Paris,55,no,2002-02-02,200\n"
NO_SIZE_CSV = "city,garden,built\nOslo,no,2004-04-04\n"


@pytest.mark.parametrize("name", sample_names())
def test_encoding_reproduces_the_design_on_samples(name):
    df, _ = read_csv(sample_bytes(name))
    d = make_design(df, default_target(df))
    encoding = fit_encoding(df, d)
    train, _ = encoding.transform(df.iloc[d.train_rows])
    test, _ = encoding.transform(df.iloc[d.test_rows], unseen="reference")
    np.testing.assert_array_equal(train, d.X_train)
    np.testing.assert_array_equal(test, d.X_test)
    assert encoding.feature_names == d.feature_names


@pytest.mark.parametrize(
    "file", ["categorical.csv", "dates.csv", "booleans.csv", "missing_tokens.csv", "cp1252.csv"]
)
def test_encoding_reproduces_the_design_on_the_corpus(file):
    df, _ = read_csv((CORPUS / file).read_bytes())
    d = make_design(df, default_target(df), seed=3)
    encoding = fit_encoding(df, d)
    np.testing.assert_array_equal(encoding.transform(df.iloc[d.train_rows])[0], d.X_train)
    test, _ = encoding.transform(df.iloc[d.test_rows], unseen="reference")
    np.testing.assert_array_equal(test, d.X_test)


def _fitted(tmp_path):
    df, _ = read_csv(TRAIN_CSV.encode())
    d = make_design(df, "price", test_fraction=0.2, seed=1)
    path = regcore.fit_path(d.X_train, d.y_train, "lasso", feature_names=d.feature_names)
    model = Model.from_path(path, 30, fit_encoding(df, d))
    file = tmp_path / "model.json"
    model.save(file)
    return d, path, model, file


def test_json_holds_encoding_lambda_both_scales_certificate_and_version(tmp_path):
    d, path, model, file = _fitted(tmp_path)
    data = json.loads(file.read_text())
    assert data["regcore_version"] == regcore.__version__
    assert data["lambda"] == path.lambdas[30] and data["penalty"] == "lasso"
    assert data["coef"] == path.coef[30].tolist() and data["coef_std"] == path.coef_std[30].tolist()
    assert data["certificate"] == {
        "gap": path.gap[30],
        "kkt": path.kkt[30],
        "converged": bool(path.converged[30]),
    }
    kinds = {c["name"]: c["kind"] for c in data["encoding"]["columns"]}
    assert kinds == {"city": "category", "size": "number", "garden": "number", "built": "date"}
    # the standardised scale maps back to the original one
    np.testing.assert_allclose(
        np.array(data["coef_std"]) / np.array(data["scale"]), data["coef"], rtol=1e-12
    )


def test_in_memory_model_predicts_as_the_path(tmp_path):
    d, path, model, _ = _fitted(tmp_path)
    df, _ = read_csv(TRAIN_CSV.encode())
    np.testing.assert_array_equal(
        model.predict(df.iloc[d.test_rows]), path.predict(d.X_test, path.lambdas[30])
    )
    standardized = model.transform(df.iloc[d.test_rows], standardized=True)
    np.testing.assert_allclose(
        standardized @ model.coef_std + model.intercept_std,
        model.predict(df.iloc[d.test_rows]),
        rtol=1e-12,
    )


def test_round_trip_in_a_fresh_process(tmp_path):
    d, _, model, file = _fitted(tmp_path)
    (tmp_path / "new.csv").write_text(UNSEEN_CSV)
    (tmp_path / "no_size.csv").write_text(NO_SIZE_CSV)
    code = """
import json, sys
import regcore
from regcore.model import read_rows
model = regcore.load_model(sys.argv[1])
out = {"pred": model.predict(read_rows(open(sys.argv[2], "rb").read()), unseen="reference").tolist(),
       "notes": model.notes}
for name, unseen in ((sys.argv[2], "error"), (sys.argv[3], "reference")):
    try:
        model.predict(read_rows(open(name, "rb").read()), unseen=unseen)
    except regcore.data.DataError as err:
        out[name] = str(err)
print(json.dumps(out))
"""
    run = subprocess.run(
        [sys.executable, "-c", code, str(file), "new.csv", "no_size.csv"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    fresh = json.loads(run.stdout)
    rows = read_rows(UNSEEN_CSV.encode())
    expect = model.predict(rows, unseen="reference")
    assert fresh["pred"] == expect.tolist()  # bit for bit
    assert "Paris" in fresh["new.csv"] and "never seen in training" in fresh["new.csv"]
    assert "'size'" in fresh["no_size.csv"] and "lacks" in fresh["no_size.csv"]
    assert any("reference level 'Bergen'" in note for note in fresh["notes"])
    assert any("imputed 'size'" in note for note in fresh["notes"])
    # the Paris row is the reference-level row: the same prediction as Bergen's
    bergen = rows.copy()
    bergen.loc[2, "city"] = "Bergen"
    assert expect[2] == model.predict(bergen)[2]


def test_one_row_file_with_constant_columns_is_scored(tmp_path):
    _, _, model, _ = _fitted(tmp_path)
    rows = read_rows(b"city,size,garden,built\nOslo,60,yes,2000-01-01\n")
    assert list(rows.columns) == ["city", "size", "garden", "built"]
    assert np.isfinite(model.predict(rows)).all()
    with pytest.raises(DataError, match="'size'.*numbers.*'big'"):
        model.predict(read_rows(b"city,size,garden,built\nOslo,big,yes,2000-01-01\n"))


def test_score_table_reports_test_error_when_the_target_is_present(tmp_path):
    _, _, model, _ = _fitted(tmp_path)
    rows = read_rows(NEW_CSV.encode())
    table, errors = model.score_table(rows)
    pred = table["predicted price"].to_numpy()
    assert errors["rows"] == 2
    assert errors["mse"] == pytest.approx(np.mean((rows["price"].to_numpy() - pred) ** 2))
    assert model.score_table(rows.drop(columns="price"))[1] == {}


def test_load_model_refuses_other_files_plainly(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    with pytest.raises(DataError, match="not a regcore model"):
        load_model(bad)
    bad.write_text("{not json")
    with pytest.raises(DataError, match="not valid JSON"):
        load_model(bad)


def test_transform_names_every_missing_column():
    df = pd.DataFrame({"a": [1.0, 2, 3, 4, 5, 6, 7, 8], "b": list("xyxyxyxy"), "y": range(8)})
    d = make_design(df, "y", test_fraction=0.25)
    encoding = fit_encoding(df, d)
    with pytest.raises(DataError, match="2 columns.*'a', 'b'"):
        encoding.transform(pd.DataFrame({"c": [1]}))


# ---------------------------------------------------------------- the logistic family

CHURN = "Churn (binary)"


def _logistic(tmp_path, data: bytes, labels: tuple[str, str]):
    """A logistic lasso on ``data``'s churn column, its model at grid point 20 saved as JSON."""
    df, _ = read_csv(data)
    d = make_design(df, "churn", test_fraction=0.25, seed=0)
    codes = d.binary.codes(d.y_train)
    path = regcore.fit_path(
        d.X_train, codes, "lasso", feature_names=d.feature_names, family="logistic"
    )
    classes = BinaryTarget(labels=labels, values=d.binary.values)
    model = Model.from_path(path, 20, fit_encoding(df, d), classes=classes)
    file = tmp_path / "logistic.json"
    model.save(file)
    return df, d, path, model, file


def _text_labels() -> bytes:
    """The churn sample with its yes/no target spelt as two plain labels."""
    text = sample_bytes(CHURN).decode()
    return text.replace(",yes\n", ",left\n").replace(",no\n", ",stayed\n").encode()


@pytest.mark.parametrize(
    "data, labels", [(sample_bytes(CHURN), ("no", "yes")), (_text_labels(), ("left", "stayed"))]
)
def test_a_logistic_model_round_trips_with_its_labels(tmp_path, data, labels):
    df, d, path, model, file = _logistic(tmp_path, data, labels)
    stored = json.loads(file.read_text())
    assert stored["family"] == "logistic" and stored["classes"]["labels"] == list(labels)
    loaded = load_model(file)
    assert loaded.family == "logistic" and loaded.classes == model.classes
    rows = df.iloc[d.test_rows]
    prob = path.predict_proba(d.X_test, path.lambdas[20])
    np.testing.assert_array_equal(loaded.predict_proba(rows), model.predict_proba(rows))
    np.testing.assert_allclose(loaded.predict_proba(rows), prob, rtol=1e-12)
    assert set(loaded.predict(rows)) <= set(labels)
    np.testing.assert_array_equal(loaded.predict(rows) == labels[1], prob > 0.5)
    # the target column, read as yes/no numbers or as text labels, scores the rows
    table, errors = loaded.score_table(read_rows(data))
    assert list(table.columns[-2:]) == [f"probability churn = {labels[1]}", "predicted churn"]
    y = d.binary.codes(d.y_test)
    _, test_errors = loaded.score_table(rows)
    assert test_errors["rows"] == d.n_test
    assert test_errors["deviance"] == pytest.approx(regcore.metrics.deviance(y, prob), rel=1e-10)
    assert test_errors["misclassification"] == pytest.approx(
        regcore.metrics.misclassification(y, prob)
    )
    assert test_errors["auc"] == pytest.approx(regcore.metrics.auc(y, prob))
    assert errors["rows"] == len(df) and 0.5 < errors["auc"] <= 1
    assert loaded.score_table(rows.drop(columns="churn"))[1] == {}


def test_a_logistic_models_target_with_another_label_is_refused_by_name(tmp_path):
    df, _, _, model, _ = _logistic(tmp_path, _text_labels(), ("left", "stayed"))
    rows = df.head(3).assign(churn=["left", "maybe", None])
    with pytest.raises(DataError, match="'churn'.*'left' or 'stayed'.*'maybe'"):
        model.score_table(rows)
    _, errors = model.score_table(rows.assign(churn=["left", None, "stayed"]))
    assert errors["rows"] == 2  # a missing target is not scored


def test_predict_on_the_command_line_gives_probabilities_labels_and_measures(tmp_path):
    df, d, path, model, file = _logistic(tmp_path, sample_bytes(CHURN), ("no", "yes"))
    new = tmp_path / "new.csv"
    new.write_bytes(sample_bytes(CHURN))
    out = tmp_path / "scored.csv"
    run = subprocess.run(
        [sys.executable, "-m", "regcore", "predict", str(file), str(new), "--out", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    scored = pd.read_csv(out, encoding="utf-8-sig")
    expect = model.predict_proba(read_rows(sample_bytes(CHURN)))
    np.testing.assert_allclose(scored["probability churn = yes"], expect, rtol=1e-12)
    assert set(scored["predicted churn"]) <= {"yes", "no"}
    _, errors = model.score_table(read_rows(sample_bytes(CHURN)))
    assert f"deviance {errors['deviance']:.6g}" in run.stderr and "AUC" in run.stderr


def test_a_format_1_file_loads_as_a_linear_model(tmp_path):
    _, _, model, file = _fitted(tmp_path)
    data = json.loads(file.read_text())
    assert data["format"] == "regcore-model/2" and data["family"] == "gaussian"
    del data["family"]
    data["format"] = "regcore-model/1"
    old = load_model(json.dumps(data))
    assert old.family == "gaussian" and old.classes is None
    rows = read_rows(NEW_CSV.encode())
    np.testing.assert_array_equal(old.predict(rows), model.predict(rows))
    with pytest.raises(ValueError, match="logistic"):
        old.predict_proba(rows)
