"""(G_AA + λ₂·I)⁻¹ for a changing active set A, updated in O(|A|²) per change.

numpy has no triangular solve or Cholesky update, so the active-set solver keeps the
inverse itself and updates it by the block-inverse (Schur complement) formulas, in place
in a buffer that grows as needed:

- columns B enter: with U = G[A, B], D = G[B, B] + λ₂I, V = M⁻¹U and S = D − UᵀV,
  the new inverse is [[M⁻¹ + V·S⁻¹·Vᵀ, −V·S⁻¹], [−S⁻¹·Vᵀ, S⁻¹]]; a column whose S is not
  safely positive (s ≤ 1e-9·d: it is nearly a combination of the active ones) is refused;
- columns leave: each is swapped to the end, then with the inverse split as [[E, F], [Fᵀ, H]]
  (kept, leaving), the kept block's inverse is E − F·H⁻¹·Fᵀ.  Removal reorders A; ``keep``
  says how.

Every update is one product L·Rᵀ added to whole rows of the buffer (``_update``): numpy's
elementwise add on the m×m corner of a wider buffer, a strided view, runs 2-3 times slower
than on the contiguous rows, and a product of inner dimension 1 is several times slower in
BLAS than one of 2.  The buffer keeps a little slack beyond m, so whole rows are not much
wider than the block.

Rounding builds up over many updates, so the solver checks the active KKT residual and
``rebuild``s from the Gram block when it drifts.
"""

from __future__ import annotations

import math

import numpy as np

from regcore.solvers.problem import Problem

# refine while ρ = |λ₂ − λ₂'|·‖M⁻¹‖ stays within reach, invert afresh beyond: inverting
# costs about |A|³ against |A|² per refinement step, so a large block is refined further
# (ρ up to |A|/1000, between 0.1 and 0.5; each step gains a factor of about ρ/4 for small
# ρ, and of 0.17 at ρ = 0.5)
RHO_MIN, RHO_MAX = 0.1, 0.5
# the buffer's side is this much above the block's when it grows (whole-row updates pass
# over the slack too)
GROWTH = 1.25
# refinement stops at a correction this small relative to the solution: the gap that leaves
# is about 1e-12 of the all-zero objective, two orders under fit_path's default tol (every
# point is certified, and one that misses a tighter tol is solved again with an exact factor)
REFINE_TOL = 1e-11
TINY = float(np.finfo(float).tiny)


class ActiveInverse:
    def __init__(self, prob: Problem, lam2: float):
        self.prob = prob
        self.lam2 = float(lam2)
        self._m = 0
        self._idx = np.empty(16, dtype=np.intp)
        self._buf = np.zeros((16, 16))
        self._norm: float | None = None  # a bound on ‖M⁻¹‖₂ for the inverse as it stands
        # solve with the block itself rather than the inverse: for a block so ill-conditioned
        # that M⁻¹·rhs leaves a residual above what the search accepts (a backward-stable
        # solve leaves one of order ε·‖M‖·‖x‖ whatever the condition number)
        self.direct = False

    def norm(self) -> float:
        """A bound on ‖M⁻¹‖₂ = 1/λ_min(G_AA + λ₂'I), the rate that refinement works at.

        1/λ₂' always holds; the largest absolute row sum of M⁻¹ (its ∞-norm, which bounds
        the spectral norm) is far smaller when G_AA itself is well conditioned, as it is for
        a block of a full-rank Gram matrix.  With more active columns than rows G_AA is
        singular and only 1/λ₂' can hold, so the O(|A|²) row sums are not spent there.
        """
        if self._norm is None:
            bound = 1.0 / self.lam2 if self.lam2 > 0 else np.inf
            if self._m <= self.prob.n:
                bound = min(bound, float(np.abs(self.inv).sum(axis=1).max(initial=0.0)))
            self._norm = bound
        return self._norm

    @property
    def idx(self) -> np.ndarray:
        """The active columns, in the order of the inverse's rows (a view)."""
        return self._idx[: self._m]

    @property
    def inv(self) -> np.ndarray:
        return self._buf[: self._m, : self._m]

    def _reserve(self, m: int) -> None:
        if m > self._buf.shape[0]:
            cap = max(m + 16, int(GROWTH * m))
            buf = np.zeros((cap, cap))  # finite everywhere: whole-row updates pass over the slack
            buf[: self._m, : self._m] = self.inv
            idx = np.empty(cap, dtype=np.intp)
            idx[: self._m] = self.idx
            self._buf, self._idx = buf, idx

    def _update(self, L: np.ndarray, R: np.ndarray) -> None:
        """inv += L·Rᵀ (both m×k), as one product over whole rows of the buffer.

        R is padded with zero rows to the buffer's width, so the columns beyond m (slack,
        or a column that has just left) receive 0.
        """
        m, k = L.shape
        cap = self._buf.shape[1]
        if k == 1:  # a product of inner dimension 1 is slow in BLAS: pad it to 2
            L = np.concatenate((L, np.zeros((m, 1))), axis=1)
        Rp = np.zeros((L.shape[1], cap))
        Rp[:k, :m] = R.T
        rows = self._buf[:m]
        rows += L @ Rp

    def _set(self, idx: np.ndarray, inv: np.ndarray) -> None:
        self._norm = None
        self._m = 0
        self._reserve(idx.size)
        self._m = idx.size
        self._idx[: self._m] = idx
        self._buf[: self._m, : self._m] = inv

    def rebuild(self, idx: np.ndarray, lam2: float | None = None) -> None:
        """Invert the block afresh (at a new λ₂ when given)."""
        if lam2 is not None:
            self.lam2 = float(lam2)
        idx = np.array(idx, dtype=np.intp)
        M = shifted_block(self.prob, idx, self.lam2)
        try:
            inv = np.linalg.inv(M)
            if not np.isfinite(inv).all():
                raise np.linalg.LinAlgError
        except np.linalg.LinAlgError:
            inv = np.linalg.pinv(M, hermitian=True)
        self._set(idx, inv)

    def add(self, j: int) -> bool:
        """Append column j; False (and no change) when it is dependent on the active ones."""
        d = float(self.prob.diag()[j]) + self.lam2
        if d <= 0.0:
            return False
        m = self._m
        if m == 0:
            self._set(np.array([j], dtype=np.intp), np.array([[1.0 / d]]))
            return True
        u = self.prob.cross(self.idx, j)
        v = self.inv @ u
        s = d - float(u @ v)
        if not s > 1e-9 * d:
            return False
        self._reserve(m + 1)
        self._norm = None
        self._update(v[:, None], (v / s)[:, None])
        buf = self._buf
        buf[:m, m] = buf[m, :m] = -v / s
        buf[m, m] = 1.0 / s
        self._idx[m] = j
        self._m = m + 1
        return True

    def add_many(self, cols: np.ndarray) -> np.ndarray:
        """Append several columns at once (one BLAS-3 update); returns those that entered.

        When the Schur complement S is not safely positive definite the columns go one at
        a time through ``add``.
        """
        cols = np.asarray(cols, dtype=np.intp)
        m, k = self._m, cols.size
        if k == 1 or m == 0:
            return np.array([j for j in cols if self.add(int(j))], dtype=np.intp)
        U = self.prob.block(self.idx, cols)
        D = shifted_block(self.prob, cols, self.lam2)
        V = self.inv @ U
        S = D - U.T @ V
        S = (S + S.T) / 2
        ev = np.linalg.eigvalsh(S)
        if not ev[0] > 1e-9 * max(float(D.diagonal().max()), TINY):
            return np.array([j for j in cols if self.add(int(j))], dtype=np.intp)
        Sinv = np.linalg.inv(S)
        VS = V @ Sinv
        self._reserve(m + k)
        self._norm = None
        self._update(VS, V)
        buf = self._buf
        buf[:m, m : m + k] = -VS
        buf[m : m + k, :m] = -VS.T
        buf[m : m + k, m : m + k] = Sinv
        self._idx[m : m + k] = cols
        self._m = m + k
        return cols

    def keep(self, keep: np.ndarray) -> np.ndarray:
        """Drop the active columns where keep is False; returns the kept ones' old positions
        in their new order (each leaving column swaps places with the last kept one)."""
        m = self._m
        drop = np.flatnonzero(~keep)
        order = np.arange(m)
        if not drop.size:
            return order
        buf, idx = self._buf, self._idx
        end = m
        for pos in drop[::-1]:  # a partition: the kept columns first, the leaving ones last
            end -= 1
            if pos != end:
                buf[[pos, end], :m] = buf[[end, pos], :m]
                buf[:m, [pos, end]] = buf[:m, [end, pos]]
                idx[[pos, end]] = idx[[end, pos]]
                order[[pos, end]] = order[[end, pos]]
        F = buf[:end, end:m].copy()
        H = buf[end:m, end:m]
        try:
            Hinv = np.linalg.inv(H)
            ok = bool(np.isfinite(Hinv).all()) and bool((np.diag(H) > 0).all())
        except np.linalg.LinAlgError:
            ok = False
        self._norm = None
        self._m = end
        if not ok:  # a pseudo-inverse of a singular block: start afresh
            self.rebuild(idx[:end].copy())
        elif end:
            self._update(-(F @ Hinv), F)
        return order[:end]

    def solve(self, rhs: np.ndarray, lam2: float | None = None) -> np.ndarray:
        """(G_AA + λ₂I)⁻¹·rhs; for a λ₂ near the factor's own, by refinement on the old inverse.

        With M = G_AA + λ₂'·I factored and δ = λ₂ − λ₂', the system is x = T·x + M⁻¹·rhs
        with T = −δ·M⁻¹, whose eigenvalues lie between 0 and −δ·‖M⁻¹‖ (``norm``).  The
        plain iteration x ← T·x + M⁻¹·rhs contracts by ρ = |δ|·‖M⁻¹‖; Chebyshev's
        semi-iteration on that known interval contracts by about
        (1 − √(1 − ρ))/(1 + √(1 − ρ)) ≈ ρ/4, for the same one product with M⁻¹ per step
        (``close`` bounds the condition number, so the rate, by the block's reach).
        """
        if self.direct:
            return _solve_block(self.prob, self.idx, self.lam2 if lam2 is None else lam2, rhs)
        inv = self.inv
        x = inv @ rhs
        if lam2 is None or lam2 == self.lam2:
            return x
        nd = self.lam2 - lam2  # −δ: T·v = nd·M⁻¹v
        t = nd * self.norm()  # T's eigenvalues lie between 0 and t
        lo, hi = (1.0 - t, 1.0) if t > 0 else (1.0, 1.0 - t)  # those of I − T
        theta, half = (hi + lo) / 2, (hi - lo) / 2
        sigma = theta / half
        rho = 1.0 / sigma
        resid = nd * (inv @ x)  # f − (I − T)·x at x = f = M⁻¹rhs: T·x
        step = resid / theta
        goal = REFINE_TOL * np.abs(x).max()
        first = np.abs(step).max()
        # the steps shrink by the asymptotic rate r per iteration, as Chebyshev's bound says
        # (measured: within one iteration of it), so the first checks are skipped
        r = 1.0 / (sigma + math.sqrt(sigma * sigma - 1.0))
        unchecked = (
            int(math.log(goal / first) / math.log(r)) - 1 if 0 < goal < first and 0 < r < 1 else 0
        )
        for k in range(80):
            x += step
            if k >= unchecked and np.abs(step).max() <= goal:
                break
            Ts = inv @ step
            Ts *= nd
            Ts -= step
            resid += Ts  # minus (I − T)·step
            rho_next = 1.0 / (2.0 * sigma - rho)
            step *= rho_next * rho
            step += (2.0 * rho_next / half) * resid
            rho = rho_next
        return x

    def close(self, lam2: float) -> bool:
        """Whether ``solve`` can serve λ₂ from this factor (by refinement).

        Refinement converges at a rate set by the condition number of I + δ·M⁻¹: at most
        1/(1 − ρ) below λ₂' and 1 + ρ above it, with ρ = |δ|·‖M⁻¹‖; it must stay within
        what ρ = ``reach`` allows below.
        """
        if lam2 == self.lam2:
            return True
        if self._m < 48 or not self.lam2 > 0:  # a small block is cheaper to invert again
            return False
        rho = abs(lam2 - self.lam2) * self.norm()
        cond = 1.0 + rho if lam2 > self.lam2 else 1.0 / max(1.0 - rho, 1e-300)
        return cond <= 1.0 / (1.0 - _reach(self._m))

    @classmethod
    def build(
        cls, prob: Problem, lam2: float, idx: np.ndarray, *, ahead: bool = False
    ) -> ActiveInverse:
        """The inverse of the block of columns idx, at λ₂, or ``ahead`` of it on a path.

        A path's λ₂ falls from point to point.  With ``ahead``, a block large enough to be
        refined is factored at λ₂·(1 − reach) instead of λ₂: the path's λ₂ then starts at
        the top of the range the factor serves, where the condition number is 1/(1 − reach)
        at most, and falls through λ₂' to the bottom, so one inversion serves about twice
        the range of λ₂ (wide elastic net: −11 %).
        """
        if ahead and idx.size >= 48 and lam2 > 0:
            lam2 = lam2 * (1.0 - _reach(idx.size))
        factor = cls(prob, lam2)
        factor.rebuild(idx)
        return factor


def shifted_block(prob: Problem, idx: np.ndarray, lam2: float) -> np.ndarray:
    """G_AA + λ₂I for the columns idx (a fresh array)."""
    M = prob.block(idx)
    return M + lam2 * np.eye(idx.size) if lam2 else M


def _solve_block(prob: Problem, idx: np.ndarray, lam2: float, rhs: np.ndarray) -> np.ndarray:
    """(G_AA + λ₂I)·x = rhs by a pivoted factorisation (least squares if singular)."""
    M = shifted_block(prob, idx, lam2)
    try:
        x = np.linalg.solve(M, rhs)
        if np.isfinite(x).all():
            return x
    except np.linalg.LinAlgError:
        pass
    return np.linalg.lstsq(M, rhs, rcond=None)[0]


def _reach(m: int) -> float:
    """How far below λ₂' (in ρ) a block of m columns is refined before it is inverted again."""
    return min(RHO_MAX, max(RHO_MIN, m / 1000))
