r"""scikit-learn compatible estimators over ``fit_path`` and ``cross_validate``.

Each fits the regcore objective (standardised features by default)

    (1/n)·Σᵢ (yᵢ − b − xᵢᵀw)²  +  lam·[l1_weight·‖w‖₁ + (1 − l1_weight)·‖w‖₂²]

and exposes ``coef_`` and ``intercept_`` on the original scale, the ``path_`` they came
from and its certificate (``gap_``, ``converged_``).  ``lam`` is λ; the mixing weight is
``l1_weight`` (never ``alpha``, which scikit-learn uses for its penalty strength).  In
scikit-learn's units (see ``regcore.conversions``), with n training rows:

- ``Lasso(lam)``                  = ``sklearn.linear_model.Lasso(alpha=lam / 2)``
- ``Ridge(lam)``                  = ``sklearn.linear_model.Ridge(alpha=n · lam)``
- ``ElasticNet(lam, l1_weight=a)`` = ``sklearn.linear_model.ElasticNet(alpha=lam · (1 − a/2),
  l1_ratio=a / (2 − a))``

on the same (standardised) columns.  The ``…CV`` estimators choose λ by K-fold
cross-validation (``RidgeCV`` by exact leave-one-out by default) with glmnet's one-standard-
error rule (``selection="1se"``) or at the minimum (``selection="min"``); both are kept as
``lambda_1se_`` and ``lambda_min_``.

scikit-learn is not needed at run time: when it is installed the estimators use its base
classes and input validation (so ``clone``, ``Pipeline``, ``GridSearchCV`` and
``check_estimator`` work); otherwise a small base supplies ``get_params`` / ``set_params``.
"""

from __future__ import annotations

import inspect

import numpy as np

from regcore.cv import cross_validate
from regcore.metrics import r2_score
from regcore.path import fit_path
from regcore.solvers.problem import as_float_matrix, check_xy

try:
    from sklearn.base import BaseEstimator as _Base
    from sklearn.base import RegressorMixin as _Regressor
    from sklearn.utils.validation import check_is_fitted, validate_data
except ImportError:  # scikit-learn is optional
    validate_data = None

    class _Regressor:
        pass

    class _Base:
        """``get_params`` / ``set_params`` from the ``__init__`` signature, as scikit-learn's."""

        @classmethod
        def _get_param_names(cls) -> list[str]:
            params = inspect.signature(cls.__init__).parameters.values()
            return sorted(p.name for p in params if p.name != "self")

        def get_params(self, deep: bool = True) -> dict:
            return {name: getattr(self, name) for name in self._get_param_names()}

        def set_params(self, **params):
            valid = self._get_param_names()
            for name, value in params.items():
                if name not in valid:
                    raise ValueError(f"Invalid parameter {name!r}; valid ones are {valid}.")
                setattr(self, name, value)
            return self

        def __repr__(self):
            defaults = {
                p.name: p.default
                for p in inspect.signature(type(self).__init__).parameters.values()
            }
            args = ", ".join(
                f"{k}={v!r}" for k, v in self.get_params().items() if not _same(v, defaults[k])
            )
            return f"{type(self).__name__}({args})"


def _same(value, default) -> bool:
    """Whether a parameter still holds its default (arrays compare by identity only)."""
    plain = isinstance(value, int | float | str | bool)
    return value is default or (plain and type(value) is type(default) and value == default)


SELECTIONS = ("1se", "min")


def _keep(estimator, params: dict) -> None:
    """Store ``__init__``'s arguments unchanged, under their own names (scikit-learn's rule:
    validation waits for ``fit``)."""
    for name, value in params.items():
        if name not in ("self", "__class__"):
            setattr(estimator, name, value)


def _validated(est, X, y=None, *, reset: bool):
    """(X, y) as float arrays; ``reset`` records ``n_features_in_`` (and ``feature_names_in_``
    for a frame with string column names), otherwise checks X against them."""
    if validate_data is not None:
        if y is None and not reset:
            return validate_data(est, X, reset=False, dtype=np.float64), None
        return validate_data(est, X, y, dtype=np.float64, y_numeric=True, ensure_min_samples=2)
    if reset:
        X, y, names = check_xy(X, y)
        est.n_features_in_ = X.shape[1]
        est.__dict__.pop("feature_names_in_", None)
        if names is not None:
            est.feature_names_in_ = np.asarray(names, dtype=object)
        return X, y
    X, _ = as_float_matrix(X)
    if X.shape[1] != est.n_features_in_:
        raise ValueError(
            f"X has {X.shape[1]} features, but {type(est).__name__} is expecting "
            f"{est.n_features_in_} features as input."
        )
    return X, None


class _Linear(_Regressor, _Base):
    """Shared fit / predict; subclasses declare their parameters in ``__init__``."""

    penalty = "none"

    def _mix(self) -> float | None:
        return None

    def _path_options(self) -> dict:
        options = dict(
            penalty=self.penalty,
            alpha=self._mix(),
            standardize=self.standardize,
            fit_intercept=self.fit_intercept,
            tol=self.tol,
        )
        if getattr(self, "penalty_factor", None) is not None:
            options["penalty_factor"] = self.penalty_factor
        return options

    def _fit_path(self, X, y, names):
        lambdas = None if self.penalty == "none" else [self.lam]
        return fit_path(X, y, lambdas=lambdas, feature_names=names, **self._path_options())

    def fit(self, X, y):
        """Fit on (X, y); X a numeric array or frame, y a vector.  Returns self."""
        X, y = _validated(self, X, y, reset=True)
        names = getattr(self, "feature_names_in_", None)
        names = [str(name) for name in names] if names is not None else None
        self.path_ = self._fit_path(X, y, names)
        i = self._index()
        self.coef_ = self.path_.coef[i].copy()
        self.intercept_ = float(self.path_.intercept[i])
        self.gap_ = float(self.path_.gap[i])
        self.converged_ = bool(self.path_.converged[i])
        return self

    def _index(self) -> int:
        return 0

    def predict(self, X) -> np.ndarray:
        """b + X·w for each row of X."""
        if validate_data is not None:
            check_is_fitted(self)
        elif not hasattr(self, "coef_"):
            raise ValueError(f"This {type(self).__name__} is not fitted yet: call fit first.")
        X, _ = _validated(self, X, reset=False)
        return X @ self.coef_ + self.intercept_

    def score(self, X, y) -> float:
        """R² on (X, y) (``regcore.metrics.r2_score``)."""
        return r2_score(y, self.predict(X))


class _OneLambda(_Linear):
    def __init__(
        self,
        lam: float = 1.0,
        *,
        penalty_factor=None,
        standardize: bool = True,
        fit_intercept: bool = True,
        tol: float = 1e-10,
    ):
        _keep(self, locals())


class Lasso(_OneLambda):
    """λ·‖w‖₁; scikit-learn's ``Lasso(alpha=lam / 2)`` on the same columns."""

    penalty = "lasso"


class Ridge(_OneLambda):
    """λ·‖w‖₂²; scikit-learn's ``Ridge(alpha=n · lam)`` on the same columns (n rows)."""

    penalty = "ridge"


class ElasticNet(_Linear):
    """λ·[a·‖w‖₁ + (1 − a)·‖w‖₂²] with a = ``l1_weight`` in [0, 1]; scikit-learn's
    ``ElasticNet(alpha=lam · (1 − a/2), l1_ratio=a / (2 − a))`` on the same columns."""

    penalty = "elasticnet"

    def __init__(
        self,
        lam: float = 1.0,
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


class LinearRegression(_Linear):
    """Least squares (λ = 0); the minimum-norm solution when the columns are collinear."""

    penalty = "none"

    def __init__(self, *, standardize: bool = True, fit_intercept: bool = True, tol: float = 1e-10):
        _keep(self, locals())


class _CV(_Linear):
    """λ chosen by ``cross_validate`` on ``lambdas`` (default: ``n_lambdas`` from the data) with
    ``k`` folds shuffled by ``seed``; ``lam_`` is the chosen λ (``selection``)."""

    def __init__(
        self,
        *,
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

    def _fit_path(self, X, y, names):
        if self.selection not in SELECTIONS:
            raise ValueError(f"selection must be one of {SELECTIONS}; got {self.selection!r}.")
        options = self._path_options()
        if self.k == "loo" and "penalty_factor" in options:
            raise ValueError("Leave-one-out takes no penalty factors: give k a number of folds.")
        self.cv_ = cross_validate(
            X,
            y,
            k=self.k,
            seed=self.seed,
            lambdas=self.lambdas,
            n_lambdas=self.n_lambdas,
            **options,
        )
        self.lambda_min_ = self.cv_.lambda_min
        self.lambda_1se_ = self.cv_.lambda_1se
        self.lam_ = self.lambda_1se_ if self.selection == "1se" else self.lambda_min_
        path = self.cv_.path
        if names is not None:
            path.feature_names = list(names)
        return path

    def _index(self) -> int:
        return self.cv_.index_1se if self.selection == "1se" else self.cv_.index_min


class LassoCV(_CV):
    """``Lasso`` with λ chosen by K-fold cross-validation (see the module docstring)."""

    penalty = "lasso"


class RidgeCV(_CV):
    """``Ridge`` with λ chosen by exact leave-one-out (``k="loo"``, the default, from one
    decomposition; see ``regcore.loo``) or by K-fold cross-validation (``k`` a number)."""

    penalty = "ridge"

    def __init__(
        self,
        *,
        lambdas=None,
        n_lambdas: int = 100,
        k: int | str = "loo",
        seed: int = 0,
        selection: str = "1se",
        penalty_factor=None,
        standardize: bool = True,
        fit_intercept: bool = True,
        tol: float = 1e-10,
    ):
        _keep(self, locals())


class ElasticNetCV(_CV):
    """``ElasticNet`` (mixing weight ``l1_weight``) with λ chosen by K-fold cross-validation."""

    penalty = "elasticnet"

    def __init__(
        self,
        *,
        l1_weight: float = 0.5,
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
