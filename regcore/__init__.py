"""regcore: lasso, ridge and elastic-net paths you can see.

One objective everywhere (see ``regcore.penalties``):

    (1/n)·Σᵢ (yᵢ − b − xᵢᵀw)²  +  λ·[α·‖w‖₁ + (1 − α)·‖w‖₂²]

α = 1 lasso, α = 0 ridge, λ = 0 least squares; the intercept b is never penalised.
"""

from regcore.conversions import glmnet_lambda, sklearn_equivalent
from regcore.cv import CVResult, cross_validate
from regcore.estimators import ElasticNet, Lasso, LinearRegression, Ridge
from regcore.path import Path, fit_path, lambda_grid
from regcore.penalties import L1, L2, soft_threshold
from regcore.penalties import ElasticNet as ElasticNetPenalty

__all__ = [
    "CVResult",
    "ElasticNet",
    "ElasticNetPenalty",
    "L1",
    "L2",
    "Lasso",
    "LinearRegression",
    "Path",
    "Ridge",
    "cross_validate",
    "fit_path",
    "glmnet_lambda",
    "lambda_grid",
    "sklearn_equivalent",
    "soft_threshold",
]
