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
