r"""Ridge and least squares, exactly, for every λ from one decomposition.

On the standardised problem (G = Xsᵀ·Xs/n, c = Xsᵀ·yc/n) the ridge objective
(1/n)·‖yc − Xs·w‖² + λ·‖w‖² has normal equations (G + λI)·w = c.  With the
eigen-decomposition G = V·diag(e)·Vᵀ (from the n×n kernel Xs·Xsᵀ/n when p > n),

    w(λ) = V · diag(1/(eₖ + λ)) · Vᵀc,        df(λ) = Σₖ eₖ/(eₖ + λ),

so a whole path costs one decomposition plus a p×r product.  λ = 0 is least squares:
eigenvalues below e_max·max(n, p)·ε count as zero (the rank), and the minimum-norm
solution is returned.  ``e = d²/n`` for the singular values d of Xs, so df matches
Σ dⱼ²/(dⱼ² + nλ).

Certificate: the exact suboptimality P(w) − min P = rᵀ(G + λI)⁺r with the residual of
the normal equations r = c − (G + λI)·w computed from G itself, not from the basis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regcore.solvers.problem import Problem


@dataclass
class Spectrum:
    e: np.ndarray  # eigenvalues of G kept (positive, above the rank cutoff), decreasing
    V: np.ndarray  # p × r eigenvectors
    Vc: np.ndarray  # Vᵀc
    rank: int

    @classmethod
    def of(cls, prob: Problem) -> Spectrum:
        """Decompose G over its non-constant columns; constant ones get exactly zero weight."""
        live = np.flatnonzero(prob.diag() > 0)
        if prob.G is not None:
            e, Vl = np.linalg.eigh(prob.G[np.ix_(live, live)])
            e, Vl = e[::-1], Vl[:, ::-1]
        else:  # p > n: the n×n kernel K = Xs·Xsᵀ/n = U·diag(e)·Uᵀ shares G's non-zero eigenvalues
            Xl = prob.Xs[:, live]
            e, U = np.linalg.eigh(Xl @ Xl.T / prob.n)
            e, U = e[::-1], U[:, ::-1]
        cutoff = max(float(e[0]) if e.size else 0.0, 0.0) * max(prob.n, prob.p) * np.finfo(float).eps
        keep = e > cutoff
        e = e[keep]
        if prob.G is None:  # G's eigenvectors from the kernel's: v = Xsᵀu / √(n·e)
            Vl = Xl.T @ (U[:, keep] / np.sqrt(prob.n * e))
        else:
            Vl = Vl[:, keep]
        V = np.zeros((prob.p, e.size))
        V[live] = Vl
        return cls(e=e, V=V, Vc=V.T @ prob.c, rank=e.size)

    def coefs(self, lambdas) -> np.ndarray:
        """w(λ) for each λ, as rows (k × p); λ = 0 gives the minimum-norm least squares."""
        lambdas = np.atleast_1d(np.asarray(lambdas, dtype=float))
        return (self.V @ (self.Vc[:, None] / (self.e[:, None] + lambdas[None, :]))).T

    def df(self, lambdas) -> np.ndarray:
        lambdas = np.atleast_1d(np.asarray(lambdas, dtype=float))
        return (self.e[None, :] / (self.e[None, :] + lambdas[:, None])).sum(axis=1)

    def grid(self, n_lambdas: int) -> np.ndarray:
        """A geometric grid whose df runs from about rank/100 up to about 0.99·rank.

        df(λ) ≤ Σe/λ gives the top, λ_hi = 100·Σe/r; df(λ) ≥ r − λ·Σ(1/e) gives the
        bottom, λ_lo = 0.01·r/Σ(1/e).
        """
        if self.rank == 0:
            return np.geomspace(1.0, 1e-4, n_lambdas)
        hi = 100.0 * self.e.sum() / self.rank
        lo = 0.01 * self.rank / (1.0 / self.e).sum()
        return np.geomspace(hi, lo, n_lambdas)


def certificate(prob: Problem, spec: Spectrum, W: np.ndarray, lambdas: np.ndarray):
    """(objective, gap, kkt) for each row of W at its λ (see the module docstring)."""
    lambdas = np.asarray(lambdas, dtype=float)
    if prob.G is not None:
        GW = W @ prob.G
    else:
        GW = (W @ prob.Xs.T) @ prob.Xs / prob.n
    R = prob.c[None, :] - GW - lambdas[:, None] * W
    RV = R @ spec.V
    gap = ((RV * RV) / (spec.e[None, :] + lambdas[:, None])).sum(axis=1)
    wGw = np.einsum("kp,kp->k", W, GW)
    rr = np.maximum(prob.yy - 2.0 * (W @ prob.c) + wGw, 0.0)
    objective = rr + lambdas * np.einsum("kp,kp->k", W, W)
    kkt = 2.0 * np.abs(R).max(axis=1, initial=0.0)
    return objective, gap, kkt
