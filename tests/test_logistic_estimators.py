"""The logistic estimators: scikit-learn's checks, string labels, and the path's numbers."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

import regcore
from regcore import fit_path, sklearn_equivalent

# scikit-learn's own checks run on these in tests/test_sklearn_compat.py, with the linear ones.


@pytest.fixture(scope="module")
def labelled():
    X, y = load_breast_cancer(return_X_y=True)
    return X, np.where(y == 1, "benign", "malignant")


def test_string_labels_kept_and_positive_class_second(labelled):
    X, labels = labelled
    model = regcore.LogisticLasso(lam=0.02).fit(X, labels)
    assert list(model.classes_) == ["benign", "malignant"]
    y = (labels == "malignant").astype(float)  # classes_[1] is the positive class
    path = fit_path(X, y, lambdas=[0.02], family="logistic")
    np.testing.assert_allclose(model.coef_[0], path.coef[0])
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba[:, 1], path.predict_proba(X)[:, 0])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(model.predict(X)) == {"benign", "malignant"}
    assert model.score(X, labels) == np.mean(model.predict(X) == labels) > 0.9
    assert model.converged_ and model.gap_ <= 1e-10


def test_elastic_net_matches_sklearn_converted(labelled):
    X, labels = labelled
    Xs = (X - X.mean(axis=0)) / X.std(axis=0)
    model = regcore.LogisticElasticNet(lam=0.05, l1_weight=0.5).fit(Xs, labels)
    conv = sklearn_equivalent("elasticnet", 0.05, X.shape[0], 0.5, family="logistic")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = LogisticRegression(
            C=conv["C"], l1_ratio=conv["l1_ratio"], solver="saga", tol=1e-10, max_iter=50_000
        ).fit(Xs, labels)
    np.testing.assert_allclose(model.coef_, sk.coef_, atol=1e-5)
    np.testing.assert_allclose(model.decision_function(Xs), sk.decision_function(Xs), atol=1e-4)


def test_cv_estimator_picks_lambda_and_scores(labelled):
    X, labels = labelled
    model = regcore.LogisticNetCV(k=4, n_lambdas=15, measure="auc").fit(X, labels)
    assert model.cv_.measure == "auc" and model.lam_ == model.lambda_1se_
    assert model.lambda_1se_ >= model.lambda_min_
    assert np.mean(cross_val_score(regcore.LogisticLasso(lam=0.01), X, labels, cv=3)) > 0.9


def test_three_labels_refused_plainly():
    X = np.arange(30.0).reshape(10, 3)
    with pytest.raises(ValueError, match="two"):
        regcore.LogisticLasso().fit(X, np.arange(10) % 3)
