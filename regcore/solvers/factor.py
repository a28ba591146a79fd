"""(G_AA + λ₂·I)⁻¹ for a changing active set A, updated in O(|A|²) per change.

numpy has no triangular solve or Cholesky update, so the active-set solver keeps the
inverse itself and updates it by the block-inverse (Schur complement) formulas:

- a column j enters: with u = G[A, j], d = G_jj + λ₂, v = M⁻¹u and s = d − uᵀv,
  the new inverse is [[M⁻¹ + v·vᵀ/s, −v/s], [−vᵀ/s, 1/s]]; s ≤ 1e-9·d means j is (nearly)
  a combination of the active columns and it is refused;
- columns R leave, keeping K: M_KK⁻¹ = E_KK − E_KR·E_RR⁻¹·E_RK with E the old inverse.

Rounding builds up over many updates, so the solver checks the active KKT residual and
``rebuild``s from the Gram block when it drifts.
"""

from __future__ import annotations

import numpy as np

from regcore.solvers.problem import Problem

TINY = np.finfo(float).tiny


class ActiveInverse:
    def __init__(self, prob: Problem, lam2: float):
        self.prob = prob
        self.lam2 = float(lam2)
        self.idx = np.empty(0, dtype=np.intp)
        self.inv = np.empty((0, 0))

    def rebuild(self, idx: np.ndarray, lam2: float | None = None) -> None:
        """Invert the block afresh (at a new λ₂ when given)."""
        if lam2 is not None:
            self.lam2 = float(lam2)
        idx = np.asarray(idx, dtype=np.intp)
        M = self.prob.block(idx)
        if self.lam2:
            M = M + self.lam2 * np.eye(idx.size)
        try:
            inv = np.linalg.inv(M)
            if not np.isfinite(inv).all():
                raise np.linalg.LinAlgError
        except np.linalg.LinAlgError:
            inv = np.linalg.pinv(M, hermitian=True)
        self.idx, self.inv = idx, inv

    def add(self, j: int) -> bool:
        """Append column j; False (and no change) when it is dependent on the active ones."""
        d = float(self.prob.diag()[j]) + self.lam2
        if d <= 0.0:
            return False
        if self.idx.size == 0:
            self.idx, self.inv = np.array([j], dtype=np.intp), np.array([[1.0 / d]])
            return True
        u = self.prob.cross(self.idx, j)
        v = self.inv @ u
        s = d - float(u @ v)
        if not s > 1e-9 * d:
            return False
        m = self.idx.size
        inv = np.empty((m + 1, m + 1))
        inv[:m, :m] = self.inv + np.outer(v, v) / s
        inv[:m, m] = inv[m, :m] = -v / s
        inv[m, m] = 1.0 / s
        self.idx, self.inv = np.append(self.idx, j), inv
        return True

    def add_many(self, cols: np.ndarray) -> np.ndarray:
        """Append several columns at once (one BLAS-3 update); returns those that entered.

        With U = G[A, B], D = G[B, B] + λ₂I, V = M⁻¹U and the Schur complement S = D − UᵀV,
        the new inverse is [[M⁻¹ + V·S⁻¹·Vᵀ, −V·S⁻¹], [−S⁻¹·Vᵀ, S⁻¹]].  When S is not safely
        positive definite the columns go one at a time through ``add``.
        """
        cols = np.asarray(cols, dtype=np.intp)
        if cols.size == 1 or self.idx.size == 0:
            return np.array([j for j in cols if self.add(int(j))], dtype=np.intp)
        U = self.prob.block(self.idx, cols)
        D = self.prob.block(cols)
        if self.lam2:
            D = D + self.lam2 * np.eye(cols.size)
        V = self.inv @ U
        S = D - U.T @ V
        S = (S + S.T) / 2
        ev = np.linalg.eigvalsh(S)
        if not ev[0] > 1e-9 * max(float(np.max(np.diag(D))), TINY):
            return np.array([j for j in cols if self.add(int(j))], dtype=np.intp)
        Sinv = np.linalg.inv(S)
        VS = V @ Sinv
        m, k = self.idx.size, cols.size
        inv = np.empty((m + k, m + k))
        inv[:m, :m] = self.inv + VS @ V.T
        inv[:m, m:] = -VS
        inv[m:, :m] = -VS.T
        inv[m:, m:] = Sinv
        self.idx, self.inv = np.concatenate([self.idx, cols]), inv
        return cols

    def keep(self, keep: np.ndarray) -> None:
        """Drop the active columns where keep is False."""
        if keep.all():
            return
        E = self.inv
        R = ~keep
        E_KR = E[np.ix_(keep, R)]
        try:
            inv = E[np.ix_(keep, keep)] - E_KR @ np.linalg.solve(E[np.ix_(R, R)], E_KR.T)
        except np.linalg.LinAlgError:  # the block was singular (a pseudo-inverse): start afresh
            self.rebuild(self.idx[keep])
            return
        self.inv, self.idx = inv, self.idx[keep]

    def solve(self, rhs: np.ndarray, lam2: float | None = None) -> np.ndarray:
        """(G_AA + λ₂I)⁻¹·rhs; for a λ₂ near the factor's own, by refinement on the old inverse.

        With M = G_AA + λ₂'·I factored and δ = λ₂ − λ₂', the iteration x ← M⁻¹(rhs − δ·x)
        contracts by |δ|/(λ_min(G_AA) + λ₂') ≤ |δ|/λ₂' per step (``close`` keeps that ≤ 0.2).
        """
        x = self.inv @ rhs
        if lam2 is None or lam2 == self.lam2:
            return x
        delta = lam2 - self.lam2
        for _ in range(60):
            x_new = self.inv @ (rhs - delta * x)
            if np.max(np.abs(x_new - x)) <= 1e-15 * np.max(np.abs(x_new)):
                return x_new
            x = x_new
        return x

    def close(self, lam2: float) -> bool:
        """Whether ``solve`` can serve λ₂ from this factor (by refinement)."""
        if lam2 == self.lam2:
            return True
        # a small block is cheaper to invert again than to refine (about 10 products)
        return self.idx.size >= 48 and abs(lam2 - self.lam2) <= 0.2 * self.lam2
