r"""Ridge and least squares, exactly, for every λ from one decomposition.

On the standardised problem (G = Xsᵀ·Xs/n, c = Xsᵀ·yc/n) the ridge objective
(1/n)·‖yc − Xs·w‖² + λ·‖w‖² has normal equations (G + λI)·w = c.  With the
eigen-decomposition G = V·diag(e)·Vᵀ,

    w(λ) = V · diag(1/(eₖ + λ)) · Vᵀc,        df(λ) = Σₖ eₖ/(eₖ + λ),

so a whole path costs one decomposition plus one product.  λ = 0 is least squares:
eigenvalues below e_max·max(n, p)·ε count as zero (the rank), and the minimum-norm
solution is returned.  ``e = d²/n`` for the singular values d of Xs, so df matches
Σ dⱼ²/(dⱼ² + nλ).

When p > n (data mode) G is never formed: the n×n kernel K = Xs·Xsᵀ/n = U·diag(e)·Uᵀ
shares G's non-zero eigenvalues, and V = Xsᵀ·U·diag(1/√(n·e)) is never formed either
(a p×n×n product): w(λ) = Xsᵀ·U·diag(Vᵀc/(√(n·e)·(e + λ))), one p×n×k product for
the whole path.

Certificate: the exact suboptimality P(w) − min P = rᵀ(G + λI)⁻¹r with the residual of
the normal equations r = c − G·w − λw computed from G (or from Xs: G·w = Xsᵀ(Xs·w)/n),
never from the basis.  The basis only applies (G + λI)⁻¹ to r: Σₖ (vₖᵀr)²/(eₖ + λ) over
the kept eigenvalues, plus ‖r − V·Vᵀr‖²/λ for the part of r in G's (numerical) null
space.  At λ = 0 that part is left out: least squares is then the pseudo-inverse's.
The objective comes from the same residual: P(w) = yy − wᵀ(c + r).

Small problems are timed cold (the benchmark collects garbage before each run, which
evicts the caches), so the code paths here keep the number of numpy calls low.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regcore.solvers.problem import Problem

EPS = float(np.finfo(float).eps)


@dataclass
class Spectrum:
    """G's eigenvalues above the rank cutoff and the basis that applies (G + λI)⁻¹.

    Gram form: ``V`` (p × r) holds the eigenvectors.  Kernel form (p > n, data mode):
    ``U`` (n × r) holds the kernel's, ``X`` is Xs, ``K`` = Xs·Xsᵀ/n and ``s`` = Xs·c.
    ``complete`` says the kept eigenvectors span all of ℝᵖ (no null space to account for).
    """

    e: np.ndarray  # kept eigenvalues of G (positive, above the rank cutoff), increasing
    rank: int
    Vc: np.ndarray  # Vᵀc
    complete: bool
    V: np.ndarray | None = None
    U: np.ndarray | None = None
    X: np.ndarray | None = None
    K: np.ndarray | None = None
    s: np.ndarray | None = None

    @classmethod
    def of(cls, prob: Problem) -> Spectrum:
        """G's decomposition, made once per problem and kept on it (``Problem.spectrum``)."""
        if prob.spectrum is None:
            prob.spectrum = cls._decompose(prob)
        return prob.spectrum

    @classmethod
    def _decompose(cls, prob: Problem) -> Spectrum:
        """Decompose G over its non-constant columns; constant ones get exactly zero weight."""
        n, p = prob.n, prob.p
        if prob.G is None and p > n:
            return cls._of_kernel(prob)
        G = prob.G
        if G is None:  # data mode with n ≥ p (more columns than GRAM_MAX_P): G is the smaller
            G = prob.Xs.T @ prob.Xs
            G /= n
        d = G.diagonal()
        if d.all():
            e, V = np.linalg.eigh(G)
        else:  # a constant column has a zero row in G: decompose the others, give it weight 0
            live = np.flatnonzero(d)
            e, Vl = np.linalg.eigh(G[np.ix_(live, live)])
            V = np.zeros((p, live.size))
            V[live] = Vl
        drop = _dropped(e, n, p)
        if drop:
            e, V = e[drop:], V[:, drop:]
        return cls(e=e, rank=e.size, Vc=prob.c @ V, complete=e.size == p, V=V)

    @classmethod
    def _of_kernel(cls, prob: Problem) -> Spectrum:
        """p > n: from the n×n kernel.  Constant columns of Xs are exactly 0, so their weight is too."""
        n, X = prob.n, prob.Xs
        K = X @ X.T  # numpy hands A·Aᵀ to syrk: half the flops of a general product
        K /= n
        e, U = np.linalg.eigh(K)
        drop = _dropped(e, n, prob.p)
        e, U = e[drop:], U[:, drop:]
        s = X @ prob.c
        return cls(
            e=e, rank=e.size, Vc=(s @ U) / np.sqrt(n * e), complete=False, U=U, X=X, K=K, s=s
        )

    def coefs(self, lambdas) -> np.ndarray:
        """w(λ) for each λ, as rows (k × p); λ = 0 gives the minimum-norm least squares."""
        return self._coefs(1.0 / (self.e + _column(lambdas)))

    def _coefs(self, D: np.ndarray) -> np.ndarray:
        """The rows w(λ) from D = 1/(e + λ) (k × r)."""
        A = self.Vc * D  # the coordinates of each w in the basis
        if self.V is not None:
            return A @ self.V.T
        A /= np.sqrt(self.X.shape[0] * self.e)
        return (A @ self.U.T) @ self.X

    def project(self, R: np.ndarray, XW: np.ndarray | None, lam: np.ndarray) -> np.ndarray:
        """R·V (k × r) for residual rows R = c − G·W − λW (``lam`` a column).

        Kernel form: Xs·r = Xs·c − K·(Xs·w) − λ·Xs·w from the products the certificate
        already holds (XW = W·Xsᵀ), so R itself is never multiplied by Xs again.
        """
        if self.V is not None:
            return R @ self.V
        XR = self.s - XW @ self.K
        XR -= lam * XW
        RU = XR @ self.U
        RU /= np.sqrt(self.X.shape[0] * self.e)
        return RU

    def df(self, lambdas) -> np.ndarray:
        return (1.0 / (self.e + _column(lambdas))) @ self.e

    def grid(self, n_lambdas: int) -> np.ndarray:
        """A geometric grid whose df runs from about rank/100 up to about 0.99·rank.

        df(λ) ≤ Σe/λ gives the top, λ_hi = 100·Σe/r; df(λ) ≥ r − λ·Σ(1/e) gives the
        bottom, λ_lo = 0.01·r/Σ(1/e).
        """
        hi, lo = 1.0, 1e-4
        if self.rank:
            hi = 100.0 * float(self.e.sum()) / self.rank
            lo = 0.01 * self.rank / float((1.0 / self.e).sum())
        if n_lambdas == 1:
            return np.array([hi])
        return hi * (lo / hi) ** (np.arange(n_lambdas) / (n_lambdas - 1.0))


@dataclass
class RidgePath:
    """Everything ``fit_path`` reports for ridge / least squares on a grid."""

    spectrum: Spectrum
    lambdas: np.ndarray
    W: np.ndarray  # k × p, standardised scale
    objective: np.ndarray
    gap: np.ndarray
    kkt: np.ndarray
    df: np.ndarray


def fit(prob: Problem, lambdas: np.ndarray | None = None, n_lambdas: int = 100) -> RidgePath:
    """The exact path on ``lambdas`` (default: the spectrum's own grid of ``n_lambdas``)."""
    spec = Spectrum.of(prob)
    lambdas = spec.grid(n_lambdas) if lambdas is None else np.asarray(lambdas, dtype=float)
    lam = lambdas[:, None]
    D = 1.0 / (spec.e + lam)
    if spec.V is not None:
        W = spec._coefs(D)
        objective, gap, kkt = _certify(prob, spec, W, lambdas, lam, D)
    else:
        W, parts = _kernel_coefs(prob, spec, lam, D)
        objective, gap, kkt = _certify(prob, spec, W, lambdas, lam, D, parts)
    return RidgePath(spec, lambdas, W, objective, gap, kkt, D @ spec.e)


def _kernel_coefs(prob: Problem, spec: Spectrum, lam: np.ndarray, D: np.ndarray):
    """Kernel form: (W, (XW, R)) with the rows w = Xsᵀz, and Xs·w and the residual of the
    normal equations for them, from one product with Xs for W and R together.

    For w = Xsᵀz, whatever z is: G·w = Xsᵀ·K·z, so r = c − Xsᵀ(K·z + λz) and Xs·w = n·K·z.
    The basis only makes z; r comes from K and Xs, so it is the residual of w up to the
    rounding of the product that forms w.
    """
    A = spec.Vc * D
    A /= np.sqrt(prob.n * spec.e)
    Z = A @ spec.U.T  # k × n
    KZ = Z @ spec.K
    k = Z.shape[0]
    WR = np.concatenate([Z, KZ + lam * Z]) @ spec.X  # [W; Xsᵀ-part of G·W + λW], 2k × p
    R = np.subtract(prob.c, WR[k:], out=WR[k:])
    KZ *= prob.n
    return WR[:k], (KZ, R)


def certificate(prob: Problem, spec: Spectrum, W: np.ndarray, lambdas):
    """(objective, gap, kkt) for each row of W at its λ (see the module docstring)."""
    lambdas = np.asarray(lambdas, dtype=float)
    lam = lambdas[:, None]
    return _certify(prob, spec, W, lambdas, lam, 1.0 / (spec.e + lam))


def _certify(prob, spec, W, lambdas, lam, D, parts=None):
    """(objective, gap, kkt); ``lam`` is lambdas as a column and D = 1/(e + lam).

    ``parts`` = (XW, R), Xs·w and the residual c − G·w − λw of each row, when the caller
    formed them (``_kernel_coefs``).
    """
    if parts is not None:
        XW, R = parts
    else:
        XW = None
        if prob.G is not None:
            R = W @ prob.G
        else:
            XW = W @ prob.Xs.T  # k × n, reused for G·w and for the projection
            R = (XW / prob.n) @ prob.Xs
        np.subtract(prob.c, R, out=R)  # c − G·w: k × p passes are what costs when p is large
        R -= lam * W
    RV = spec.project(R, XW, lam)
    RV *= RV
    gap = np.vecdot(RV, D)
    if not spec.complete:  # r outside the kept eigenvectors: ‖r‖² − ‖Vᵀr‖², over λ (none at λ = 0)
        null = np.vecdot(R, R) - RV.sum(axis=1)
        gap += np.maximum(null, 0.0) / np.where(lambdas > 0, lambdas, np.inf)
    objective = np.maximum(prob.yy - np.vecdot(W, R) - W @ prob.c, 0.0)
    kkt = 2.0 * np.abs(R).max(axis=1, initial=0.0)
    return objective, gap, kkt


def _column(lambdas) -> np.ndarray:
    return np.asarray(lambdas, dtype=float).reshape(-1, 1)


def _dropped(e: np.ndarray, n: int, p: int) -> int:
    """How many of the increasing eigenvalues e lie at or below the cutoff e_max·max(n, p)·ε."""
    if not e.size:
        return 0
    return int(np.searchsorted(e, max(float(e[-1]), 0.0) * max(n, p) * EPS, side="right"))
