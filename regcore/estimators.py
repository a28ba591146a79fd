"""scikit-learn-style estimators over ``fit_path`` for people who know that interface.

Each fits one λ of the regcore objective (standardised features by default) and exposes
``coef_`` and ``intercept_`` on the original scale, plus the ``path_`` it came from and
its certificate (``gap_``, ``converged_``).  λ is ``lam``; ``alpha`` is the mixing α,
not scikit-learn's alpha (see ``regcore.conversions``).
"""

from __future__ import annotations

import numpy as np

from regcore.path import fit_path


class _Linear:
    penalty = "none"

    def __init__(
        self,
        lam: float = 1.0,
        alpha: float | None = None,
        *,
        standardize: bool = True,
        fit_intercept: bool = True,
        tol: float = 1e-10,
    ):
        self.lam = lam
        self.alpha = alpha
        self.standardize = standardize
        self.fit_intercept = fit_intercept
        self.tol = tol

    def fit(self, X, y):
        lam = 0.0 if self.penalty == "none" else self.lam
        self.path_ = fit_path(
            X,
            y,
            self.penalty,
            alpha=self.alpha,
            lambdas=None if self.penalty == "none" else [lam],
            standardize=self.standardize,
            fit_intercept=self.fit_intercept,
            tol=self.tol,
        )
        self.coef_ = self.path_.coef[0]
        self.intercept_ = float(self.path_.intercept[0])
        self.gap_ = float(self.path_.gap[0])
        self.converged_ = bool(self.path_.converged[0])
        self.feature_names_in_ = self.path_.feature_names
        return self

    def predict(self, X):
        if not hasattr(self, "coef_"):
            raise ValueError("Call fit before predict.")
        return self.path_.predict(X)[:, 0]

    def score(self, X, y) -> float:
        """R² on (X, y)."""
        y = np.asarray(y, dtype=float)
        resid = y - self.predict(X)
        tot = float(((y - y.mean()) ** 2).sum())
        return 1.0 - float(resid @ resid) / tot if tot > 0 else 0.0

    def __repr__(self):
        args = (
            ""
            if self.penalty == "none"
            else f"lam={self.lam!r}"
            + (f", alpha={self.alpha!r}" if self.penalty == "elasticnet" else "")
        )
        return f"{type(self).__name__}({args})"


class Lasso(_Linear):
    penalty = "lasso"

    def __init__(self, lam: float = 1.0, **kw):
        super().__init__(lam, 1.0, **kw)


class Ridge(_Linear):
    penalty = "ridge"

    def __init__(self, lam: float = 1.0, **kw):
        super().__init__(lam, 0.0, **kw)


class ElasticNet(_Linear):
    penalty = "elasticnet"

    def __init__(self, lam: float = 1.0, alpha: float = 0.5, **kw):
        super().__init__(lam, alpha, **kw)


class LinearRegression(_Linear):
    penalty = "none"

    def __init__(self, **kw):
        super().__init__(0.0, None, **kw)
