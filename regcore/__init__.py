"""regcore: lasso, ridge and elastic-net paths you can see.

One objective everywhere (see ``regcore.penalties``):

    (1/n)·Σᵢ (yᵢ − b − xᵢᵀw)²  +  λ·[α·‖w‖₁ + (1 − α)·‖w‖₂²]

α = 1 lasso, α = 0 ridge, λ = 0 least squares; the intercept b is never penalised.
"""

__version__ = "0.2.0"

from regcore.conversions import glmnet_lambda, sklearn_equivalent
from regcore.cv import CVResult, cross_validate
from regcore.logistic import logistic_lambda_max
from regcore.loo import LeaveOneOut, ridge_loo
from regcore.metrics import r2_from_mse, r2_score
from regcore.model import Model, load_model
from regcore.path import Path, fit_path, lambda_grid
from regcore.penalties import L1, L2, ElasticNetPenalty, soft_threshold

__all__ = [
    "CVResult",
    "ElasticNet",
    "ElasticNetCV",
    "ElasticNetPenalty",
    "L1",
    "L2",
    "Lasso",
    "LassoCV",
    "LeaveOneOut",
    "LinearRegression",
    "LogisticElasticNet",
    "LogisticLasso",
    "LogisticNetCV",
    "LogisticRidge",
    "Model",
    "Path",
    "Ridge",
    "RidgeCV",
    "__version__",
    "cross_validate",
    "fit_path",
    "glmnet_lambda",
    "lambda_grid",
    "load_model",
    "logistic_lambda_max",
    "r2_from_mse",
    "r2_score",
    "ridge_loo",
    "sklearn_equivalent",
    "soft_threshold",
]

# the estimators load scikit-learn's base classes when it is installed, which takes a while:
# they are imported on first use, so the library and the dashboard start without it
_ESTIMATORS = (
    "ElasticNet",
    "ElasticNetCV",
    "Lasso",
    "LassoCV",
    "LinearRegression",
    "Ridge",
    "RidgeCV",
)
_LOGISTIC_ESTIMATORS = ("LogisticElasticNet", "LogisticLasso", "LogisticNetCV", "LogisticRidge")


def __getattr__(name: str):
    if name in _ESTIMATORS:
        from regcore import estimators

        return getattr(estimators, name)
    if name in _LOGISTIC_ESTIMATORS:
        from regcore import logistic_estimators

        return getattr(logistic_estimators, name)
    raise AttributeError(f"module 'regcore' has no attribute {name!r}")
