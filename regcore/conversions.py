r"""Our λ in the units of scikit-learn and glmnet.

regcore:      (1/n)·‖y − b − Xw‖² + λ·[α‖w‖₁ + (1 − α)‖w‖²]
scikit-learn: Lasso       (1/(2n))·‖y − b − Xw‖² + a·‖w‖₁
              Ridge       ‖y − b − Xw‖² + a·‖w‖²
              ElasticNet  (1/(2n))·‖y − b − Xw‖² + a·ρ·‖w‖₁ + (a(1 − ρ)/2)·‖w‖²
glmnet:       (1/(2n))·‖y − b − Xw‖² + λ_g·[(1 − α)/2·‖w‖² + α‖w‖₁]

Halving ours gives (1/(2n))‖r‖² + (λα/2)‖w‖₁ + (λ(1 − α)/2)‖w‖², the same minimiser, so

- Lasso:      a = λ/2;
- Ridge:      multiplying ours by n gives ‖r‖² + nλ‖w‖², so a = n·λ;
- ElasticNet: aρ = λα/2 and a(1 − ρ) = λ(1 − α), so a = λ(1 − α/2) and ρ = α/(2 − α);
- glmnet lasso: λ_g = λ/2.  For α < 1 glmnet's ridge term is (1 − α)/2·‖w‖² against our
  (1 − α)‖w‖² after halving by 2 — they agree only when both penalties share the ratio,
  and glmnet also rescales y to unit variance before fitting its L2 term, so no single
  λ_g matches ours there: ``glmnet_lambda`` answers for the lasso alone.

Logistic family, ours (1/n)·Σ log-loss + λ·[α‖w‖₁ + (1 − α)‖w‖²] against scikit-learn's
``LogisticRegression`` C·Σ log-loss + [ρ‖w‖₁ + ((1 − ρ)/2)‖w‖²] (intercept unpenalised
except by liblinear): dividing scikit-learn's by C·n gives (1/n)Σ log-loss + (ρ/(nC))‖w‖₁ +
((1 − ρ)/(2nC))‖w‖², so ρ/(nC) = λα and (1 − ρ)/(2nC) = λ(1 − α):

- L1 (ρ = 1):   C = 1/(nλ);
- L2 (ρ = 0):   C = 1/(2nλ);
- elastic net:  ρ = α/(2 − α), C = 1/(nλ(2 − α))  (the two formulas above at α = 1 and 0);
- glmnet binomial, whose loss is already the mean log-loss: lasso ``lambda`` = λ.
"""

from __future__ import annotations

from regcore.path import normalise_model


def sklearn_equivalent(
    penalty: str, lam: float, n_samples: int, alpha: float | None = None, family: str = "gaussian"
) -> dict:
    """The scikit-learn estimator and parameters that minimise the same objective.

    ``family="logistic"``: ``{"estimator": "LogisticRegression", "C": …, "l1_ratio": ρ}``
    (ρ = 1 lasso, 0 ridge; saga fits every ρ, liblinear would also penalise the intercept).

    Returns e.g. ``{"estimator": "Lasso", "alpha": λ/2}``; ``{"estimator": "ElasticNet",
    "alpha": …, "l1_ratio": …}``; ``{"estimator": "Ridge", "alpha": n·λ}``;
    ``{"estimator": "LinearRegression"}`` for no penalty (or λ = 0).
    """
    penalty, a = normalise_model(penalty, alpha)
    lam = float(lam)
    if family == "logistic":
        if penalty == "none" or lam == 0.0:
            return {"estimator": "LogisticRegression", "C": float("inf"), "l1_ratio": 0.0}
        return {
            "estimator": "LogisticRegression",
            "C": 1.0 / (n_samples * lam * (2.0 - a)),
            "l1_ratio": a / (2.0 - a),
        }
    if penalty == "none" or lam == 0.0:
        return {"estimator": "LinearRegression"}
    if penalty == "lasso":
        return {"estimator": "Lasso", "alpha": lam / 2.0}
    if penalty == "ridge":
        return {"estimator": "Ridge", "alpha": n_samples * lam}
    return {"estimator": "ElasticNet", "alpha": lam * (1.0 - a / 2.0), "l1_ratio": a / (2.0 - a)}


def glmnet_lambda(
    penalty: str, lam: float, alpha: float | None = None, family: str = "gaussian"
) -> float | None:
    """glmnet's lambda for our λ, for the lasso (None otherwise): λ/2 for family "gaussian",
    λ for "logistic" (glmnet's "binomial")."""
    penalty, _ = normalise_model(penalty, alpha)
    if penalty != "lasso":
        return None
    return float(lam) if family == "logistic" else float(lam) / 2.0
