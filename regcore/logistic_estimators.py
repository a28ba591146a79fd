r"""scikit-learn compatible binary classifiers over ``fit_path(..., family="logistic")``.

Each fits the logistic objective (standardised features by default; ``regcore.logistic``)

    (1/n)·Σᵢ log-loss(yᵢ, b + xᵢᵀw)  +  lam·[l1_weight·‖w‖₁ + (1 − l1_weight)·‖w‖₂²]

to a target with exactly two labels, kept as given in ``classes_`` (sorted); the positive
class, the one ``predict_proba(X)[:, 1]`` and ``decision_function`` speak of, is
``classes_[1]``.  ``coef_`` and ``intercept_`` are on the original scale (one row, as
scikit-learn's), ``path_`` is the path they came from, ``gap_`` / ``converged_`` its
certificate; ``score`` is the accuracy.  In scikit-learn's units (``regcore.conversions``),
with n training rows and a = ``l1_weight``: ``LogisticRegression(C=1/(n·lam·(2 − a)),
l1_ratio=a/(2 − a))`` on the same columns.  ``LogisticNetCV`` chooses λ by K-fold
cross-validation on ``measure`` (deviance, misclassification or auc) with glmnet's one-
standard-error rule (``selection="1se"``) or at the best λ (``"min"``).

The default λ is 0.01 (on standardised columns, λ_max is typically 0.1–0.5: 0.01 keeps
the informative features), not 1 as for the linear estimators, where it would zero them all.
"""

from __future__ import annotations

import numpy as np

from regcore.estimators import _CV, _Base, _keep, _Linear
from regcore.path import fit_path
from regcore.solvers.logistic import sigmoid
from regcore.solvers.problem import as_float_matrix

try:
    from sklearn.base import ClassifierMixin as _Classifier
    from sklearn.utils.multiclass import check_classification_targets
    from sklearn.utils.validation import check_is_fitted, validate_data
except ImportError:  # scikit-learn is optional
    validate_data = None

    class _Classifier:
        def score(self, X, y) -> float:
            """Accuracy: the fraction of rows whose predicted label is y."""
            return float(np.mean(self.predict(X) == np.asarray(y)))


class _Logistic(_Classifier, _Base):
    """Shared fit / predict; subclasses declare their parameters in ``__init__``."""

    penalty = "lasso"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def _mix(self) -> float | None:
        return None

    def _path_options(self) -> dict:
        return {**_Linear._path_options(self), "family": "logistic"}

    def _fit_path(self, X, y, names):
        return fit_path(X, y, lambdas=[self.lam], feature_names=names, **self._path_options())

    def _index(self) -> int:
        return 0

    def fit(self, X, y):
        """Fit on (X, y); X a numeric array or frame, y two labels (numbers, booleans or
        text).  Returns self."""
        if validate_data is not None:
            X, y = validate_data(self, X, y, dtype=np.float64, ensure_min_samples=2)
            check_classification_targets(y)
        else:
            X, names = as_float_matrix(X)
            self.n_features_in_ = X.shape[1]
            y = np.asarray(y).ravel()
        self.classes_, y01 = np.unique(y, return_inverse=True)
        if self.classes_.size != 2:
            kind = "multiclass" if self.classes_.size > 2 else "unary"
            raise ValueError(
                f"Only binary classification is supported. The type of the target is {kind}: "
                f"a logistic model needs exactly two labels; got {self.classes_.size}."
            )
        names = getattr(self, "feature_names_in_", None)
        names = [str(name) for name in names] if names is not None else None
        self.path_ = self._fit_path(X, y01.astype(float), names)
        i = self._index()
        self.coef_ = self.path_.coef[i][None, :].copy()
        self.intercept_ = np.array([float(self.path_.intercept[i])])
        self.gap_ = float(self.path_.gap[i])
        self.converged_ = bool(self.path_.converged[i])
        return self

    def decision_function(self, X) -> np.ndarray:
        """b + X·w: the log-odds of ``classes_[1]`` for each row of X."""
        if validate_data is not None:
            check_is_fitted(self)
            X = validate_data(self, X, reset=False, dtype=np.float64)
        else:
            if not hasattr(self, "coef_"):
                raise ValueError(f"This {type(self).__name__} is not fitted yet: call fit first.")
            X, _ = as_float_matrix(X)
            if X.shape[1] != self.n_features_in_:
                raise ValueError(
                    f"X has {X.shape[1]} features; the model was fitted on {self.n_features_in_}."
                )
        return X @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X) -> np.ndarray:
        """(n, 2): the probabilities of ``classes_[0]`` and ``classes_[1]``."""
        p = sigmoid(self.decision_function(X))
        return np.column_stack([1.0 - p, p])

    def predict(self, X) -> np.ndarray:
        """The label of each row: ``classes_[1]`` where its probability exceeds ½."""
        positive = self.decision_function(X) > 0
        return self.classes_[positive.astype(int)]


class _OneLambda(_Logistic):
    def __init__(
        self,
        lam: float = 0.01,
        *,
        penalty_factor=None,
        standardize: bool = True,
        fit_intercept: bool = True,
        tol: float = 1e-10,
    ):
        _keep(self, locals())


class LogisticLasso(_OneLambda):
    """lam·‖w‖₁; scikit-learn's ``LogisticRegression(C=1/(n·lam), l1_ratio=1)``."""

    penalty = "lasso"


class LogisticRidge(_OneLambda):
    """lam·‖w‖₂²; scikit-learn's ``LogisticRegression(C=1/(2n·lam), l1_ratio=0)``."""

    penalty = "ridge"


class LogisticElasticNet(_Logistic):
    """lam·[a·‖w‖₁ + (1 − a)·‖w‖₂²] with a = ``l1_weight`` (see the module docstring)."""

    penalty = "elasticnet"

    def __init__(
        self,
        lam: float = 0.01,
        *,
        l1_weight: float = 0.5,
        penalty_factor=None,
        standardize: bool = True,
        fit_intercept: bool = True,
        tol: float = 1e-10,
    ):
        _keep(self, locals())

    def _mix(self) -> float:
        return self.l1_weight


class LogisticNetCV(_Logistic):
    """Logistic lasso / elastic net / ridge (``l1_weight`` 1, in between, 0) with λ chosen by
    K-fold cross-validation on ``measure``; ``lam_`` is the chosen λ, ``cv_`` the result."""

    penalty = "elasticnet"

    def __init__(
        self,
        *,
        l1_weight: float = 1.0,
        measure: str = "deviance",
        lambdas=None,
        n_lambdas: int = 100,
        k: int = 10,
        seed: int = 0,
        selection: str = "1se",
        penalty_factor=None,
        standardize: bool = True,
        fit_intercept: bool = True,
        tol: float = 1e-10,
    ):
        _keep(self, locals())

    def _mix(self) -> float:
        return self.l1_weight

    def _path_options(self) -> dict:
        return {**super()._path_options(), "measure": self.measure}  # for cross_validate only

    _fit_path = _CV._fit_path  # cross-validate, then keep the chosen λ's index
    _index = _CV._index
