"""The command line: same reader and solver as the dashboard, plain errors, CSV out."""

import io

import numpy as np
import pandas as pd

import regcore
from regcore.__main__ import main
from regcore.data import make_design, read_csv
from regcore.datasets import sample_bytes


def test_path_command_writes_the_path_of_the_training_rows(tmp_path, capsys):
    out = tmp_path / "path.csv"
    assert main(["path", "--sample", "Diabetes", "--n-lambdas", "20", "--out", str(out)]) == 0
    frame, _ = read_csv(out.read_bytes())
    df, _ = read_csv(sample_bytes("Diabetes"))
    d = make_design(df, "progression")
    expect = regcore.fit_path(d.X_train, d.y_train, n_lambdas=20)
    np.testing.assert_allclose(frame["lambda"], expect.lambdas, rtol=1e-12)
    np.testing.assert_allclose(
        frame[d.feature_names].to_numpy(), expect.coef, rtol=1e-9, atol=1e-12
    )
    np.testing.assert_allclose(frame["test_mse"], expect.mse(d.X_test, d.y_test), rtol=1e-9)
    assert "best test MSE" in capsys.readouterr().err


def test_cv_command_prints_the_curve_and_the_one_se_rule(capsys):
    assert main(["cv", "--sample", "Synthetic sparse", "-k", "4", "--n-lambdas", "15"]) == 0
    captured = capsys.readouterr()
    curve = pd.read_csv(io.StringIO(captured.out))
    assert list(curve.columns) == ["lambda", "cv_mse", "cv_se", "n_nonzero"]
    assert len(curve) == 15 and (curve["cv_se"] >= 0).all()
    assert "λ_1se" in captured.err


def test_bad_input_is_one_plain_message_and_status_2(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a,b\n1,2\n")
    assert main(["path", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("regcore: ") and "Traceback" not in err and "constant" in err
    assert main(["path", str(tmp_path / "missing.csv")]) == 2
    assert main(["path", "--sample", "Diabetes", "--alpha", "2"]) == 2


def test_fit_then_predict_scores_new_rows_with_the_saved_model(tmp_path, capsys):
    model_file, out = tmp_path / "model.json", tmp_path / "pred.csv"
    sample = "Rentals (categorical)"
    assert (
        main(["fit", "--sample", sample, "--lam", "1se", "-k", "5", "--save", str(model_file)]) == 0
    )
    assert "test MSE" in capsys.readouterr().err
    df, _ = read_csv(sample_bytes(sample))
    d = make_design(df, "rent")
    cv = regcore.cross_validate(d.X_train, d.y_train, "lasso", k=5)
    model = regcore.load_model(model_file)
    assert model.lam == cv.lambda_1se and model.lambda_rule.startswith("lambda_1se")
    new = tmp_path / "new.csv"
    new.write_bytes(sample_bytes(sample))
    assert main(["predict", str(model_file), str(new), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "test error on" in err and "R²" in err
    frame = pd.read_csv(out)
    coef, intercept = cv.path.coef_at(cv.lambda_1se)
    X = np.vstack([d.X_train, d.X_test])
    order = np.concatenate([d.train_rows, d.test_rows])
    expect = np.empty(len(df))
    expect[order] = X @ coef + intercept
    np.testing.assert_allclose(frame["predicted rent"], expect, rtol=1e-12)


def test_fit_with_a_number_and_ridge_leave_one_out(tmp_path):
    model_file = tmp_path / "m.json"
    assert main(["fit", "--sample", "Diabetes", "--lam", "0.5", "--save", str(model_file)]) == 0
    assert regcore.load_model(model_file).lam == 0.5
    args = ["fit", "--sample", "Diabetes", "--penalty", "ridge", "-k", "loo"]
    assert main([*args, "--lam", "min", "--save", str(model_file)]) == 0
    assert regcore.load_model(model_file).penalty == "ridge"


def test_predict_names_the_unusable_input(tmp_path, capsys):
    model_file = tmp_path / "m.json"
    assert main(["fit", "--sample", "Rentals (categorical)", "--save", str(model_file)]) == 0
    capsys.readouterr()
    bad = tmp_path / "bad.csv"
    bad.write_text("area_m2,rooms,district,year_built\n50,2,Mars,1990\n")
    assert main(["predict", str(model_file), str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("regcore: ") and "'balcony'" in err and "Traceback" not in err
    bad.write_text("area_m2,rooms,district,balcony,year_built\n50,2,Mars,no,1990\n")
    assert main(["predict", str(model_file), str(bad)]) == 2
    assert "'Mars'" in capsys.readouterr().err
    assert main(["predict", str(model_file), str(bad), "--unseen", "reference"]) == 0
    assert main(["predict", str(bad), str(bad)]) == 2


def test_fit_a_logistic_model_then_predict_its_labels(tmp_path, capsys):
    model_file, out = tmp_path / "model.json", tmp_path / "pred.csv"
    sample = "Churn (binary)"
    args = ["fit", "--sample", sample, "--family", "logistic", "--lam", "0.02"]
    assert main([*args, "--save", str(model_file)]) == 0
    assert "test deviance" in capsys.readouterr().err
    model = regcore.load_model(model_file)
    assert model.logistic and model.classes.labels == ("no", "yes")
    df, _ = read_csv(sample_bytes(sample))
    d = make_design(df, "churn")
    path = regcore.fit_path(d.X_train, d.y_train, lambdas=[0.02], family="logistic")
    np.testing.assert_allclose(model.coef, path.coef[0], rtol=1e-9, atol=1e-12)
    new = tmp_path / "new.csv"
    new.write_bytes(sample_bytes(sample))
    assert main(["predict", str(model_file), str(new), "--out", str(out)]) == 0
    assert "AUC" in capsys.readouterr().err
    frame = pd.read_csv(out)
    X = np.vstack([d.X_train, d.X_test])
    order = np.concatenate([d.train_rows, d.test_rows])
    expect = np.empty(len(df))
    expect[order] = path.predict_proba(X, 0.02)
    np.testing.assert_allclose(frame["probability churn = yes"], expect, rtol=1e-9)
    assert set(frame["predicted churn"]) <= {"no", "yes"}
