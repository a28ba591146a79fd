"""Cross-validation of the logistic family and the binary measures against scikit-learn's."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.metrics import roc_curve as sk_roc_curve

from regcore import cross_validate, fit_path
from regcore.metrics import auc, confusion, deviance, misclassification, roc_curve


def test_measures_match_sklearn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200).astype(float)
    prob = np.clip(0.3 * y + 0.7 * rng.random(200), 0, 1)
    prob[:20] = np.round(prob[:20], 1)  # ties
    assert deviance(y, prob) == pytest.approx(2 * log_loss(y, prob), rel=1e-12)
    assert auc(y, prob) == pytest.approx(roc_auc_score(y, prob), rel=1e-12)
    assert misclassification(y, prob) == pytest.approx(np.mean((prob > 0.5) != y))
    fpr, tpr, thr = roc_curve(y, prob)
    sk_fpr, sk_tpr, sk_thr = sk_roc_curve(y, prob, drop_intermediate=False)
    np.testing.assert_allclose(fpr, sk_fpr)
    np.testing.assert_allclose(tpr, sk_tpr)
    np.testing.assert_allclose(thr[1:], sk_thr[1:])
    table = confusion(y, prob)
    assert table.sum() == 200 and table[1].sum() == y.sum()
    assert table[0, 1] + table[1, 0] == round(200 * misclassification(y, prob))
    both = auc(y, np.column_stack([prob, 1 - prob]))
    np.testing.assert_allclose(both, [roc_auc_score(y, prob), 1 - roc_auc_score(y, prob)])


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return X, y.astype(float)


@pytest.mark.parametrize("measure", ["deviance", "misclassification", "auc"])
def test_cv_scores_each_fold_by_its_measure(cancer, measure):
    X, y = cancer
    ids = np.arange(y.size) % 3
    cv = cross_validate(X, y, k=3, n_lambdas=12, row_folds=ids, family="logistic", measure=measure)
    assert cv.measure == measure and cv.fold_curves.shape == (3, 12)
    f = 1
    held = ids == f
    fold = fit_path(X[~held], y[~held], lambdas=cv.lambdas, family="logistic")
    np.testing.assert_allclose(cv.fold_curves[f], fold.loss(X[held], y[held], measure), rtol=1e-6)
    best = np.argmax(cv.mean) if measure == "auc" else np.argmin(cv.mean)
    assert cv.index_min == best
    sign = -1 if measure == "auc" else 1
    assert sign * cv.mean[cv.index_1se] <= sign * cv.mean[best] + cv.se[best]
    assert cv.lambda_1se >= cv.lambda_min
    assert cv.path.family == "logistic"


def test_cv_refuses_a_gaussian_measure_mix(cancer):
    X, y = cancer
    with pytest.raises(ValueError, match="measure"):
        cross_validate(X, y, k=3, family="logistic", measure="mse")
    with pytest.raises(ValueError, match="logistic"):
        cross_validate(X, y, k=3, measure="auc")


def test_default_folds_are_stratified_by_class(cancer):
    from regcore.logistic import stratified_folds

    _, y = cancer
    ids = stratified_folds(y, 5, seed=3)
    sizes = np.bincount(ids)
    assert sizes.max() - sizes.min() <= 1
    ones = np.bincount(ids, weights=y)
    assert ones.max() - ones.min() <= 1  # each fold holds its share of each class
    rare = np.r_[np.ones(2), np.zeros(18)]
    assert all(np.ptp(rare[stratified_folds(rare, 4) != f]) == 1 for f in range(4))


def test_command_line_fits_and_cross_validates_a_binary_target(tmp_path, capsys):
    from sklearn.datasets import load_breast_cancer

    from regcore.__main__ import main

    X, y = load_breast_cancer(return_X_y=True)
    frame = pd.DataFrame(X[:, :6], columns=[f"f{j}" for j in range(6)]).assign(label=y)
    csv = tmp_path / "binary.csv"
    frame.to_csv(csv, index=False)
    out = tmp_path / "path.csv"
    args = ["--target", "label", "--family", "logistic", "--n-lambdas", "12"]
    assert main(["path", str(csv), *args, "--out", str(out)]) == 0
    path = pd.read_csv(out)
    assert {"train_deviance", "test_deviance"} <= set(path.columns) and len(path) == 12
    assert "best test deviance" in capsys.readouterr().err
    assert main(["cv", str(csv), *args, "-k", "3", "--measure", "auc"]) == 0
    curve = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(curve.columns) == ["lambda", "cv_auc", "cv_se", "n_nonzero"]
    assert curve["cv_auc"].max() > 0.9
