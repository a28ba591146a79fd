r"""Lasso and elastic net at one λ: an exact active-set method with a duality-gap certificate.

Objective, on the standardised problem of ``regcore.solvers.problem`` (Xs, yc, n rows):

    P(w) = (1/n)·‖yc − Xs·w‖² + λ₁·‖w‖₁ + λ₂·‖w‖²,      λ₁ = λα,  λ₂ = λ(1 − α).

Optimality (KKT), with g = c − G·w = Xsᵀ(yc − Xs·w)/n:

    g_j − λ₂·w_j = (λ₁/2)·sign(w_j)   where w_j ≠ 0,
    |g_j|        ≤  λ₁/2              where w_j = 0.

Method (a feature-sign / active-set search; every step lowers P):
1. On the active set A with signs s, the objective is the quadratic whose minimiser solves
   (G_AA + λ₂·I)·w_A = c_A − (λ₁/2)·s_A.  Solve it.
2. If some w_A would change sign, walk from the current point toward that minimiser only
   as far as the first coordinate that reaches 0, set it to exactly 0, drop it, go to 1.
   (The quadratic is convex and falls along that segment, and equals P on it.)
3. Otherwise check every inactive column: add the violators of |g_j| ≤ λ₁/2 with
   s_j = sign(g_j) and go to 1.  New columns whose sign the solve contradicts leave again
   at once (they are still 0, so the point does not move) and the rest of the batch is
   solved again; should the worst violator be among them, the batch is retried with it
   alone, for which the sign is always right (the Newton step on one new coordinate moves
   it along −∂P).  No violator: the point is optimal, exactly.

A violator that is a combination of the active columns (a singular block: more columns
than the rows can separate, or duplicated ones) cannot join; for the lasso it swaps in for
an active column instead, at the same fit and a smaller ‖w‖₁ (``_pivot``).  A
coordinate-descent pass on the Gram block is the fallback should the search still not
settle, or its gap miss tol by more than the gap's own rounding (``gap_rounding``: no
iteration lowers that).  Either way the answer carries its certificate, never a silent
failure:

Duality gap: the kernel's (``kernel.certificates``, the one definition), ≥ P(w) − min P ≥ 0.
``converged`` means gap ≤ tol·yy, with yy = P(0) = ‖yc‖²/n.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from regcore.solvers.factor import ActiveInverse
from regcore.solvers.kernel import certificates
from regcore.solvers.problem import Problem

TINY = np.finfo(float).tiny
EPS = float(np.finfo(float).eps)


@dataclass
class Solution:
    w: np.ndarray  # standardised coefficients
    objective: float
    gap: float
    kkt: float  # largest violation of the optimality conditions, in units of ∂P/∂w
    n_iter: int
    converged: bool
    factor: ActiveInverse | None = None  # the active block's inverse, for the next λ


def certificate(prob: Problem, w: np.ndarray, g: np.ndarray, lam1: float, lam2: float):
    """(objective, gap, kkt) at w, given g = c − G·w (``kernel.certificates``, one row)."""
    cert = certificates(prob, w[None, :], g[None, :], np.array([lam1]), np.array([lam2]))
    return tuple(float(v[0]) for v in cert)


def solve(
    prob: Problem,
    lam1: float,
    lam2: float,
    w0: np.ndarray | None = None,
    *,
    tol: float = 1e-10,
    max_iter: int | None = None,
    factor: ActiveInverse | None = None,
) -> Solution:
    """Minimise P at one (λ₁, λ₂), warm-started from w0 (see the module docstring).

    ``factor`` may carry the inverse of the previous λ's active block (its columns must be
    w0's non-zeros); the returned ``Solution.factor`` is the one to pass to the next λ.
    """
    target = tol * max(prob.yy, TINY)
    n_iter = 0
    w = np.zeros(prob.p) if w0 is None else np.asarray(w0, dtype=float)
    best = None  # (objective, w): the lowest point met, once the first search has failed
    for direct in (False, True):  # then again, solving with the blocks themselves
        step = search(
            prob,
            lam1,
            lam2,
            w if best is None else best[1],
            max_iter=max_iter,
            factor=None if direct else factor,
            direct=direct,
        )
        n_iter += step.n_iter
        objective, gap, kkt = certificate(prob, step.w, step.g, lam1, lam2)
        if step.settled and (gap <= target or gap <= gap_rounding(prob, step.w, target)[0]):
            # no violator is left: a gap still above tol but within its own rounding is as
            # low as any iteration could take it; converged stays honest
            return Solution(
                w=step.w,
                objective=objective,
                gap=gap,
                kkt=kkt,
                n_iter=n_iter,
                converged=bool(gap <= target) or prob.yy == 0.0,
                factor=step.factor,
            )
        if best is None:
            best = (certificate(prob, w, prob.gradient(w, np.flatnonzero(w)), lam1, lam2)[0], w)
        # on a nearly singular block rounding can lead the search above where it began: go
        # on from the lowest point met
        best = min(best, (objective, step.w), key=lambda b: b[0])
    return _fallback(prob, best[1], lam1, lam2, tol, n_iter)


def gap_rounding(prob: Problem, W: np.ndarray, above: float = 0.0) -> np.ndarray:
    """Bounds on the rounding error of the gaps ``kernel.certificates`` forms from G, row by row.

    Two parts, both growing with the coefficients.  The data-fit term rr = yy − 2cᵀw + wᵀGw
    is a difference of terms as large as yy, |c|ᵀ|w| and |w|ᵀ|G||w|; and an error δ in g moves
    the dual scaling κ (for the elastic net, the L2 part's conjugate term, by as much: there
    |g_j| − h_j = λ₂·|w_j|), and with it the gap, by about 2‖w‖₁·δ, where δ is of the order of
    ε·max_j(|c_j| + (|G||w|)_j).  With nearly collinear columns and large opposite
    coefficients both exceed yy by many orders, and the gap's low digits are then rounding
    that no iteration can lower (formed from the rows, the gap rounds less, but on the same
    scale).  Each sum has at most |A| + 2 terms.  |G| is first bounded through
    |G_jk| ≤ √(G_jj·G_kk) (Cauchy–Schwarz), and used itself only for the rows where that
    leaves the bound above ``above``.
    """
    W = np.atleast_2d(W)
    A = np.abs(W)
    factor = 2.0 * EPS * (np.count_nonzero(W, axis=1) + 2)
    l1 = A.sum(axis=1)
    root = np.sqrt(prob.diag())
    s = A @ root
    quad, row = s * s, s * root.max(initial=0.0)  # bounds on |w|ᵀ|G||w| and max_j (|G||w|)_j

    def bound():
        return factor * (
            prob.yy
            + 2.0 * (A @ np.abs(prob.c))
            + quad
            + 2.0 * l1 * (np.abs(prob.c).max(initial=0.0) + row)
        )

    rows = np.flatnonzero(bound() > above)
    if rows.size:  # one block over the union of their columns serves them all
        cols = np.flatnonzero(A[rows].any(axis=0))
        Gw = np.abs(prob.block(cols)) @ A[np.ix_(rows, cols)].T  # |cols| × rows
        quad[rows] = np.einsum("kj,jk->k", A[np.ix_(rows, cols)], Gw)
        row[rows] = Gw.max(axis=0, initial=0.0)
    return bound()


def _fallback(
    prob: Problem, w: np.ndarray, lam1: float, lam2: float, tol: float, n_iter: int = 0
) -> Solution:
    """The fallback: coordinate descent from w until the gap meets tol (or its bound), certified.

    On a numerically singular Gram block the descent's own rounding can leave it worse off
    than where it started: the start is kept then (the smaller gap wins, then the objective).
    """
    start = (w, *certificate(prob, w, prob.gradient(w, np.flatnonzero(w)), lam1, lam2))
    w, n_more = _coordinate_descent(prob, w, lam1, lam2, tol, start_objective=start[1])
    end = (w, *certificate(prob, w, prob.gradient(w, np.flatnonzero(w)), lam1, lam2))
    w, objective, gap, kkt = min(start, end, key=lambda c: (c[2], c[1]))
    converged = bool(gap <= tol * max(prob.yy, TINY)) or prob.yy == 0.0
    return Solution(
        w=w, objective=objective, gap=gap, kkt=kkt, n_iter=n_iter + n_more, converged=converged
    )


@dataclass
class Step:
    """Where the active-set search ended: w, g = c − G·w, and whether no violator was left.

    ``finished`` marks a point the search could not settle and ``solve`` then finished (its
    fallback included); ``settled`` is then whether that reached the tolerance.
    """

    w: np.ndarray
    g: np.ndarray
    n_iter: int
    settled: bool
    factor: ActiveInverse | None
    finished: bool = False


def search_point(
    prob: Problem,
    lam1: float,
    lam2: float,
    w0: np.ndarray,
    factor: ActiveInverse | None,
    tol: float,
    searcher=None,
    g0: np.ndarray | None = None,
) -> Step:
    """One point of a path: the search, and when it does not settle, ``solve`` there at once.

    Finishing such a point before moving on keeps the next point's warm start optimal; a
    warm start from an unsettled search can leave every later search unsettled too.
    ``g0``, a prediction of c − G·w at this point, lets the search take the columns likely to
    violate in before its first solve (see ``search``).
    """
    if searcher is not None:
        step = searcher(prob, lam1, lam2, w0, factor=factor)
    else:
        step = search(prob, lam1, lam2, w0, factor=factor, g0=g0, ahead=True)
    if step.settled:
        return step
    sol = solve(prob, lam1, lam2, step.w, tol=tol)
    return Step(
        w=sol.w,
        g=prob.gradient(sol.w, np.flatnonzero(sol.w)),
        n_iter=step.n_iter + sol.n_iter,
        settled=sol.converged,
        factor=None,
        finished=True,
    )


def search(
    prob: Problem,
    lam1: float,
    lam2: float,
    w0: np.ndarray | None = None,
    *,
    max_iter: int | None = None,
    factor: ActiveInverse | None = None,
    g0: np.ndarray | None = None,
    ahead: bool = False,
    direct: bool = False,
) -> Step:
    """Steps 1-3 of the module docstring, uncertified: ``solve`` or ``fit_path`` certify.

    Given ``g0``, a prediction of c − G·w at the solution (on a path, the last two points'
    gradients extrapolated to this λ), step 3 runs first, on it: the columns it predicts to
    violate enter before the first solve, which saves the solve that would only confirm
    w0's own active set.  A wrong prediction costs time, never the answer: columns whose
    sign the solve contradicts leave again by step 3's rule, and step 3 on the true
    gradient decides when the search ends.  ``direct`` solves with the active block itself
    from the start (see ``ActiveInverse.direct``); the search turns it on by itself when
    rebuilding the inverse does not bring the active residual down.
    """
    p = prob.p
    w = np.zeros(p) if w0 is None else np.array(w0, dtype=float)
    if max_iter is None:
        max_iter = 50 + 4 * p
    h = lam1 / 2.0
    scale = h + math.sqrt(max(prob.yy, 0.0))
    slack = h * 1e-11 + 1e-13 * scale  # rounding floor of g = c − G·w: a violation must clear it
    if (
        factor is None
        or not factor.close(lam2)
        or factor.idx.size != np.count_nonzero(w)
        or (factor.idx.size and not w[factor.idx].all())
    ):
        factor = ActiveInverse.build(prob, lam2, np.flatnonzero(w), ahead=ahead)
    factor.direct = factor.direct or direct
    active = factor.idx
    signs = np.sign(w[active])
    blocked = None  # made when a violator proves dependent on the active columns
    n_iter = rebuilds = 0
    settled = False
    lead = -1  # the worst violator of the last batch added
    if g0 is not None:
        excess = np.abs(g0)
        excess[active] = 0.0
        violators = (excess > h + slack).nonzero()[0]
        if violators.size:
            added = _take_in(factor, violators, excess, active.size)[
                1
            ]  # dependent ones: step 3 finds them
            if added.size:
                lead = int(added[0])
                active = factor.idx
                signs = np.concatenate([signs, np.sign(g0[added])])
    while n_iter < max_iter:
        # ---- steps 1-2: the sign-consistent minimiser on the active set
        while active.size and n_iter < max_iter:
            n_iter += 1
            target = factor.solve(prob.c[active] - h * signs, lam2)
            wrong = target * signs <= 0
            if not wrong.any():
                w[active] = target
                break
            current = w[active]
            contradicted = wrong & (current == 0)
            if contradicted.any():
                # the solve contradicts new columns' signs: drop those (they sit at 0, so
                # the point does not move) and solve again with the rest of the batch; if
                # the worst violator is among them, keep only it (a lone Newton step always
                # keeps its sign), and drop it too if the block is nearly singular and even
                # that fails, and let step 3 decide again
                keep = ~contradicted
                if not keep[active == lead].all():
                    keep = (current != 0) | (active == lead)
                    if keep.all():
                        keep &= active != lead
                order = factor.keep(keep)
                active, signs, lead = factor.idx, signs[order], -1
                continue
            t = np.full(active.size, np.inf)
            t[wrong] = current[wrong] / (current[wrong] - target[wrong])
            k = int(np.argmin(t))
            w[active] = current + t[k] * (target - current)
            keep = w[active] * signs > 0  # ties reaching 0 together leave together
            keep[k] = False
            w[active[~keep]] = 0.0
            order = factor.keep(keep)
            active, signs = factor.idx, signs[order]
        g = prob.gradient(w, active, exact_from=h)
        # ---- step 3: inactive violators
        excess = np.abs(g)
        excess[active] = 0.0
        if blocked is not None:
            excess[blocked] = 0.0
        violators = (excess > h + slack).nonzero()[0]
        if violators.size == 0:
            resid = g[active] - h * signs  # the active KKT residual: 0 up to rounding
            if lam2:
                resid -= lam2 * w[active]
            if active.size and rebuilds < 3 and np.abs(resid).max(initial=0.0) > 1e-9 * scale:
                rebuilds += 1  # the updated inverse has drifted: rebuild it and solve again,
                if rebuilds < 3:
                    factor.rebuild(active, lam2)
                else:  # or, if that has not helped, solve with the block itself from now on
                    factor.direct = True
                continue
            if blocked is not None:  # are the columns set aside as dependent still violating?
                left = np.flatnonzero(blocked & (np.abs(g) > h + slack))
                if left.size and lam2 == 0.0 and n_iter < max_iter:
                    j = int(left[np.argmax(np.abs(g[left]))])
                    pivot = _pivot(prob, factor, w, j, g)
                    if pivot is not None:
                        signs = np.append(signs[pivot], np.sign(w[j]))
                        active, blocked, lead = factor.idx, None, -1
                        n_iter += 1
                        continue
                settled = not left.size
            else:
                settled = True
            break
        violators, added = _take_in(factor, violators, excess, active.size)
        if added.size < violators.size:
            if blocked is None:
                blocked = np.zeros(p, dtype=bool)  # violators dependent on the active columns
            blocked[violators] = True
            blocked[added] = False
        if not added.size:
            continue
        lead = int(added[0])
        active = factor.idx
        signs = np.concatenate([signs, np.sign(g[added])])
    return Step(w=w, g=g, n_iter=n_iter, settled=settled, factor=factor)


def _pivot(
    prob: Problem, factor: ActiveInverse, w: np.ndarray, j: int, g: np.ndarray
) -> np.ndarray | None:
    """Lasso with a singular active block: swap violator j in for an active column, same fit.

    j violates (|g_j| > λ₁/2) but x_j = X_A·a lies in the span of the active columns, so it
    cannot join.  With g_A = (λ₁/2)·s_A on the active set, g_j = aᵀg_A gives σ·aᵀs_A > 1 for
    σ = sign(g_j).  Moving w_j = σt, w_A − σt·a leaves X·w unchanged while ‖w‖₁ changes at
    the rate 1 − σ·aᵀs_A < 0, so P falls until the first active coefficient reaches 0 (a
    ratio test); that column leaves and j takes its place, after which the block is
    non-singular again.  Returns the order of the kept columns (as ``keep``), or None, with
    nothing changed, when no column can leave or j still cannot join.
    """
    active = factor.idx.copy()
    move = np.sign(g[j]) * factor.solve(prob.cross(active, j))
    wa = w[active]
    toward = move * wa > 0  # coefficients that shrink as t grows
    if not toward.any():
        return None
    t = np.full(active.size, np.inf)
    t[toward] = wa[toward] / move[toward]
    k = int(np.argmin(t))
    new = wa - t[k] * move
    keep = new * np.sign(wa) > 0
    keep[k] = False
    order = factor.keep(keep)
    if not factor.add(j):
        factor.rebuild(active)  # j depends on the rest too: back to where it was
        return None
    w[active] = np.where(keep, new, 0.0)
    w[j] = np.sign(g[j]) * t[k]
    return order


def _take_in(factor: ActiveInverse, violators: np.ndarray, excess: np.ndarray, m: int):
    """Add a batch of violators to the factor: the worst first (the lead of the batch), at
    most m/2 + 8 of them beside m active columns.  Returns (the batch, those that entered)."""
    if violators.size > 1:
        violators = violators[np.argsort(-excess[violators])][: max(1, m // 2 + 8)]
    return violators, factor.add_many(violators)


def _coordinate_descent(
    prob: Problem,
    w: np.ndarray,
    lam1: float,
    lam2: float,
    tol: float,
    max_updates: int = 2_000_000,
    start_objective: float = np.inf,
) -> tuple[np.ndarray, int]:
    """Cyclic coordinate descent with the Gram matrix (or the active block), the fallback.

    Update (glmnet's): w_j ← S(g_j + G_jj·w_j, λ₁/2) / (G_jj + λ₂), keeping g = c − G·w current.
    Stops when the duality gap is within tol·yy or within its own rounding (checked every 10
    sweeps), when 10 sweeps lowered the objective no further (from ``start_objective`` at
    first: coordinate descent never raises it, so it is then stuck at rounding), or after
    about ``max_updates`` coordinate updates (a pure-Python loop: a bound keeps a fit
    interactive).  The certificate then says whether the λ converged.
    """
    h = lam1 / 2.0
    w = w.copy()
    if prob.G is not None:
        cols = np.arange(prob.p)
        G = prob.G
    else:  # the columns that can matter: active now or violating at the start
        g0 = prob.gradient(w, np.flatnonzero(w))
        cols = np.flatnonzero((w != 0) | (np.abs(g0) >= h * 0.5))
        G = prob.block(cols)
    c = prob.c[cols]
    wc = w[cols]
    q = c - G @ wc
    diag = np.diag(G)
    sweeps = 0
    max_sweeps = max(10, max_updates // max(cols.size, 1))
    target = tol * max(prob.yy, TINY)
    last = start_objective
    for sweeps in range(1, max_sweeps + 1):  # noqa: B007 - sweeps is reported
        for k in range(cols.size):
            denom = diag[k] + lam2
            old = wc[k]
            z = q[k] + diag[k] * old  # soft-thresholded in line: a numpy call per update costs 2×
            new = ((z - h if z > h else z + h if z < -h else 0.0) / denom) if denom > 0 else 0.0
            if new != old:
                q -= G[:, k] * (new - old)
                wc[k] = new
        if sweeps % 10 == 0:
            w[:] = 0.0
            w[cols] = wc
            g = prob.gradient(w, np.flatnonzero(w))
            objective, gap, _ = certificate(prob, w, g, lam1, lam2)
            if gap <= target or objective >= last or gap <= gap_rounding(prob, w, target)[0]:
                break
            last = objective
    w[:] = 0.0
    w[cols] = wc
    return w, sweeps
