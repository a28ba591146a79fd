r"""Lasso and elastic net along a λ path: working-set coordinate descent in numba.

Objective, on the standardised problem of ``regcore.solvers.problem`` (Xs, yc, n rows),
with per-feature penalty factors v_j ≥ 0 (v_j = 0: feature j is not penalised):

    P(w) = (1/n)·‖yc − Xs·w‖² + Σ_j v_j·(λ₁·|w_j| + λ₂·w_j²),    λ₁ = λα,  λ₂ = λ(1 − α).

With g = c − G·w = Xsᵀ(yc − Xs·w)/n, h_j = v_j·λ₁/2 and l_j = v_j·λ₂, optimality (KKT) is

    g_j − l_j·w_j = h_j·sign(w_j)   where w_j ≠ 0,        |g_j| ≤ h_j   where w_j = 0.

Duality gap (Fenchel): the dual point is the residual r = yc − Xs·w scaled by κ into the
dual feasible set, κ = min(1, min_j h_j/|g_j|) over the pure-L1 features (l_j = 0 < h_j).
With rr = ‖r‖²/n, ry = rᵀyc/n, the conjugate of h_j|t|·2 + l_j·t² at 2κg_j giving the last sum,

    gap = (1 + κ²)·rr − 2κ·ry + Σ_j (2h_j·|w_j| + l_j·w_j²) + Σ_{l_j>0} (κ|g_j| − h_j)₊²/l_j
        ≥   P(w) − min P.

It bounds the suboptimality when the unpenalised features' gradients g_j are 0 (their
dual constraint is an equality no scaling meets); they are always in the working set and
the solver drives them to rounding level before it calls a point converged.

Method, per λ of a decreasing grid, warm-started from the previous λ:
1. Working set: the previous support, the unpenalised features, and the strong rule's
   survivors |g_j(λ_prev)| ≥ v_j·(2λ − λ_prev)·α/2.
2. Coordinate descent on the working set's Gram block (``block_cd``, the one numba
   kernel: both Gram and data mode hand it G[W, W], formed on demand in data mode),
   with Anderson extrapolation every few epochs, until the working set's own gap is
   below a coarse target (``COARSE``·yy; the support has then usually settled).
3. An exact solve on the support with the signs found, (G_AA + diag(l_A))·w_A =
   c_A − h_A·s_A, by a short active-set walk (``_exact``), when the support is small
   (``EXACT_FREE``), its k³/3 flops cost no more than the descent did, or the descent stalls: kept when it lowers the objective or
   the gap (which then sits at rounding level); otherwise the descent goes on to the
   target itself.
4. The full gradient; every feature outside the set that violates |g_j| ≤ h_j joins (the
   worst first) and 2-4 repeat; none left and the gap met: the λ is done.

``converged`` means gap ≤ tol·yy, with yy = P(0) = ‖yc‖²/n.

``fit_path`` uses it for problems with penalty factors; without them the exact strategies
(``homotopy``, ``enet``) are faster on most shapes (the table in ``bench/README.md``).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from regcore.penalties import lambda_max_of
from regcore.solvers.problem import Problem

TINY = float(np.finfo(float).tiny)
ANDERSON_EVERY = 5  # epochs between Anderson extrapolations (and iterates they combine)
ROUND_EPOCHS = 200  # epochs per round of the working-set loop
MAX_EPOCHS = 20_000  # per λ, over all rounds: beyond that the λ reports its gap unmet
MAX_OUTER = 50
STALL = 10  # epochs in a row without a lower objective: the descent is at its rounding
EXACT_MAX = 3_000  # support size up to which a stalled descent is finished by a direct solve
EXACT_FREE = 500  # up to this support size a direct solve costs milliseconds: always tried
COARSE = 1e-6  # relative gap of the first descent, which the direct solve then finishes


@njit(nogil=True, cache=True)
def block_cd(Q, c, q, w, h, l2, yy, target, max_epochs):  # pragma: no cover - compiled
    """Cyclic coordinate descent on  −2cᵀw + wᵀQw + Σ 2h_j|w_j| + Σ l2_j·w_j²  (+ yy).

    Q is the working set's Gram block, c its correlations; q = c − Q·w is kept current;
    w and q are updated in place.  Stops when the block's duality gap (the module
    docstring's, on the block) is ≤ target, or after max_epochs.  Every
    ``ANDERSON_EVERY`` epochs the last iterates are extrapolated (Anderson acceleration)
    and the result kept when it lowers the objective.  Also stops when ``STALL`` epochs in a
    row lower the objective no further (it is then at the rounding of its terms).  Returns
    (epochs, block gap).
    """
    k = w.size
    m = ANDERSON_EVERY
    last = np.zeros((m + 1, k))
    qa = np.empty(k)
    gap = np.inf
    epoch = 0
    lowest = _block_objective(c, q, w, h, l2)
    flat = 0
    for epoch in range(1, max_epochs + 1):
        for j in range(k):
            d = Q[j, j] + l2[j]
            if d <= 0.0:
                continue
            z = q[j] + Q[j, j] * w[j]
            if z > h[j]:
                new = (z - h[j]) / d
            elif z < -h[j]:
                new = (z + h[j]) / d
            else:
                new = 0.0
            delta = new - w[j]
            if delta != 0.0:
                for i in range(k):
                    q[i] -= Q[j, i] * delta
                w[j] = new
        gap = _block_gap(c, q, w, h, l2, yy)
        if gap <= target:
            break
        now = _block_objective(c, q, w, h, l2)
        flat = flat + 1 if now >= lowest else 0
        lowest = min(lowest, now)
        if flat >= STALL:
            break
        slot = (epoch - 1) % (m + 1)
        last[slot] = w
        if slot == m:
            # Anderson: the affine combination of the last m + 1 iterates whose differences
            # cancel best (a small regularised least-squares problem in the weights)
            U = np.empty((m, k))
            for i in range(m):
                U[i] = last[i + 1] - last[i]
            A = np.empty((m, m))  # UUᵀ by loops: a BLAS call would make numba load scipy
            for a in range(m):
                for b in range(m):
                    A[a, b] = np.sum(U[a] * U[b])
            reg = 0.0
            for a in range(m):
                reg += 1e-10 * A[a, a]
            if reg <= 0.0:
                continue
            for i in range(m):
                A[i, i] += reg
            mix = _solve_small(A, np.ones(m))
            mix /= mix.sum()
            wa = np.zeros(k)
            for i in range(m):
                wa += mix[i] * last[i + 1]
            for i in range(k):
                qa[i] = c[i]
            for j in range(k):
                if wa[j] != 0.0:
                    for i in range(k):
                        qa[i] -= Q[j, i] * wa[j]
            if _block_objective(c, qa, wa, h, l2) < _block_objective(c, q, w, h, l2):
                w[:] = wa
                q[:] = qa
    return epoch, gap


@njit(nogil=True, cache=True)
def _block_objective(c, q, w, h, l2):  # pragma: no cover - compiled
    """P(w) − yy on the block: −(c + q)ᵀw + penalty, since wᵀQw = wᵀ(c − q)."""
    total = 0.0
    for j in range(w.size):
        total += -(c[j] + q[j]) * w[j] + 2.0 * h[j] * abs(w[j]) + l2[j] * w[j] * w[j]
    return total


@njit(nogil=True, cache=True)
def _block_gap(c, q, w, h, l2, yy):  # pragma: no cover - compiled
    """The module docstring's gap on the block (w is 0 outside it)."""
    cw = 0.0
    qw = 0.0
    pen = 0.0
    kappa = 1.0
    for j in range(w.size):
        cw += c[j] * w[j]
        qw += q[j] * w[j]
        pen += 2.0 * h[j] * abs(w[j]) + l2[j] * w[j] * w[j]
        if l2[j] == 0.0 and h[j] > 0.0 and abs(q[j]) * kappa > h[j]:
            kappa = h[j] / abs(q[j])
    rr = max(yy - cw - qw, 0.0)
    ry = yy - cw
    conj = 0.0
    for j in range(w.size):
        if l2[j] > 0.0:
            e = kappa * abs(q[j]) - h[j]
            if e > 0.0:
                conj += e * e / l2[j]
    return max((1.0 + kappa * kappa) * rr - 2.0 * kappa * ry + pen + conj, 0.0)


@njit(nogil=True, cache=True)
def _solve_small(A, b):  # pragma: no cover - compiled
    """A⁻¹b by Gaussian elimination with partial pivoting (A small and regularised)."""
    n = b.size
    A = A.copy()
    x = b.copy()
    for i in range(n):
        p = i + np.argmax(np.abs(A[i:, i]))
        if p != i:
            for j in range(n):
                A[i, j], A[p, j] = A[p, j], A[i, j]
            x[i], x[p] = x[p], x[i]
        for r in range(i + 1, n):
            f = A[r, i] / A[i, i]
            for j in range(i, n):
                A[r, j] -= f * A[i, j]
            x[r] -= f * x[i]
    for i in range(n - 1, -1, -1):
        s = x[i]
        for j in range(i + 1, n):
            s -= A[i, j] * x[j]
        x[i] = s / A[i, i]
    return x


def certificates(prob: Problem, W, g, lam1, lam2, weights=None, fit=None):
    """(objective, gap, kkt) arrays for the rows of W at (λ₁, λ₂) per row, given g = c − G·w.

    ``weights`` are the penalty factors v (default all 1).  ``fit`` = (rr, ry) when the
    residuals were formed from the rows themselves (``Problem.fit_from_rows``); otherwise
    they come from the moments: rr = yy − 2cᵀw + wᵀGw.  ``kkt`` is the largest violation
    of the optimality conditions in units of ∂P/∂w.
    """
    v = np.ones(prob.p) if weights is None else weights
    h = (np.asarray(lam1, dtype=float) / 2)[:, None] * v
    L = np.asarray(lam2, dtype=float)[:, None] * v
    if fit is None:
        cw = W @ prob.c
        wGw = cw - np.einsum("kp,kp->k", g, W)  # wᵀGw = wᵀ(c − g)
        rr = np.maximum(prob.yy - 2.0 * cw + wGw, 0.0)
        ry = prob.yy - cw
    else:
        rr, ry = fit
    pen = 2.0 * np.einsum("kp,kp->k", h, np.abs(W)) + np.einsum("kp,kp->k", L * W, W)
    objective = rr + pen
    A = np.abs(g)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where((L == 0) & (h > 0), h / A, np.inf)
        kappa = np.minimum(1.0, ratio.min(axis=1, initial=np.inf))
        excess = np.maximum(kappa[:, None] * A - h, 0.0)
        conj = np.where(L > 0, excess * excess / np.where(L > 0, L, 1.0), 0.0).sum(axis=1)
    gap = (1 + kappa**2) * rr - 2 * kappa * ry + pen + conj
    viol = np.where(W != 0, np.abs(g - L * W - h * np.sign(W)), np.maximum(np.abs(g) - h, 0.0))
    return objective, np.maximum(gap, 0.0), 2.0 * viol.max(axis=1, initial=0.0)


def lambda_max(prob: Problem, alpha: float, weights=None) -> tuple[float, np.ndarray]:
    """(λ_max, w₀): the smallest λ at which every penalised coefficient is 0, and the fit there.

    w₀ is least squares on the unpenalised features alone (all zeros when there are none);
    λ_max = (2/α)·max_j |g_j(w₀)|/v_j over the penalised features (∞ for α = 0).
    """
    w0 = np.zeros(prob.p)
    if weights is None:
        return lambda_max_of(prob.c, alpha), w0
    free = np.flatnonzero(weights == 0)
    if free.size:
        w0[free] = np.linalg.lstsq(prob.block(free), prob.c[free], rcond=None)[0]
    return lambda_max_of(prob.gradient(w0, free), alpha, weights), w0


def path(prob: Problem, grid: np.ndarray, alpha: float, tol: float, weights=None, start=None):
    """(W, g, n_iter, converged) on a decreasing grid of λ > 0 (see the module docstring).

    ``weights``: the penalty factors v (default all 1); ``start``: a warm start for the
    first λ (default the fit at λ_max).
    """
    p = prob.p
    v = np.ones(p) if weights is None else np.asarray(weights, dtype=float)
    target = tol * max(prob.yy, TINY)
    lam_max, w0 = lambda_max(prob, alpha, weights)
    w = w0 if start is None else np.asarray(start, dtype=float)
    g = prob.gradient(w, np.flatnonzero(w))
    lam_prev = None
    k = grid.size
    W, Gr = np.zeros((k, p)), np.zeros((k, p))
    n_iter = np.zeros(k, dtype=int)
    converged = np.zeros(k, dtype=bool)
    for i, lam in enumerate(grid):
        lam1, lam2 = lam * alpha, lam * (1 - alpha)
        if lam >= lam_max:  # exactly w₀: the descent would round around the threshold
            W[i], Gr[i], converged[i] = w0, g, True
            continue
        strong = lam1 if lam_prev is None else max(2 * lam - lam_prev, 0.0) * alpha
        ws = (w != 0) | (v == 0) | (np.abs(g) >= v * strong / 2)
        w, g, n_iter[i], converged[i] = solve(prob, lam1, lam2, v, w, ws, target)
        W[i], Gr[i] = w, g
        lam_prev = lam
    return W, Gr, n_iter, converged


def solve(prob: Problem, lam1: float, lam2: float, v, w, start, target: float):
    """Steps 2-4 of the module docstring at one λ from w with the working set ``start``.

    Returns (w, g, epochs, whether the gap met ``target``).  The descent first aims at a
    relative gap of ``COARSE`` (the support is then usually final); the direct solve on the
    support (up to ``EXACT_MAX`` columns) finishes it to rounding, and where it cannot the
    descent goes on, tighter.  When a round brings the working set's gap down by less than
    half and no feature outside it violates, the λ is at its rounding floor and stops.
    """
    w = w.copy()
    h, l2 = v * (lam1 / 2), v * lam2
    ws = np.flatnonzero(start)
    inner = max(target, COARSE * prob.yy)  # then the direct solve, or a tighter descent
    floor = float(v[v > 0].min(initial=1.0))  # the smallest penalised factor: screening's bound
    free = np.flatnonzero(v == 0)
    sqrt_target = math.sqrt(target)
    epochs = 0
    g = None
    before = np.inf
    for _ in range(MAX_OUTER):
        Q = np.ascontiguousarray(prob.block(ws))
        c = prob.c[ws]
        hb, lb = h[ws], l2[ws]
        wb = w[ws].copy()
        q = c - Q @ wb
        done, bgap = block_cd(Q, c, q, wb, hb, lb, prob.yy, 0.5 * inner, ROUND_EPOCHS)
        epochs += done
        support = np.flatnonzero(wb)
        stalled = bgap > 0.5 * inner and done < ROUND_EPOCHS  # flat: the descent's rounding
        # k³/3 flops: always cheap up to EXACT_FREE columns, else no more than the descent's
        cheap = support.size**3 <= max(3 * epochs * ws.size**2, EXACT_FREE**3)
        if (
            support.size
            and (bgap > 0.5 * target or free.size or support.size <= EXACT_FREE)
            and (cheap or stalled)
            and support.size <= EXACT_MAX
        ):
            exact = _exact(Q, c, wb, hb, lb, support)
            if exact is not None:
                xq = c - Q @ exact
                xgap = _block_gap(c, xq, exact, hb, lb, prob.yy)
                lower = _block_objective(c, xq, exact, hb, lb) < _block_objective(c, q, wb, hb, lb)
                if lower or xgap <= bgap:  # objectives equal to rounding: the gap decides
                    wb, bgap = exact, xgap
        w[ws] = wb
        g = prob.gradient(w, np.flatnonzero(w), exact_from=lam1 / 2 * floor)
        gap = _block_gap(prob.c, g, w, h, l2, prob.yy)  # the whole problem as one block
        # the gap bounds the suboptimality once the unpenalised gradients vanish; asking
        # them below 1e-6·√target keeps what they add to it under 1e-12·target/curvature
        free_ok = np.abs(g[free] - l2[free] * w[free]).max(initial=0.0) <= 1e-6 * sqrt_target
        if gap <= target and free_ok:
            return w, g, epochs, True
        excess = np.abs(g) - h
        excess[ws] = -np.inf
        violators = np.flatnonzero(excess > 0)
        if violators.size:
            take = violators[np.argsort(-excess[violators])][: max(10, ws.size)]
            ws = np.union1d(ws, take)
        elif (stalled and bgap > 0.5 * before) or epochs >= MAX_EPOCHS:
            break  # no progress left to make: the gap is at its rounding floor
        elif bgap <= 0.5 * inner or not free_ok:
            inner = min(inner, max(0.1 * bgap, target))  # the set is right: tighten
        before = bgap
    return w, g, epochs, False


def _exact(Q, c, wb, h, l2, support):
    """The block's minimiser by a short active-set walk (feature-sign search) from w.

    On the support A with signs s, solve (Q_AA + diag(l_A))·x = c_A − h_A·s_A.  Where x
    would flip a penalised sign, walk from w toward x only as far as the first coefficient
    that reaches 0 (the objective falls along that segment), drop it and solve again.
    Where x keeps the signs, take it; then the worst block column with |q_j| > h_j joins
    with the sign of q_j, until none is left.  On a singular block (more columns than the
    rows separate) the walk follows a null direction instead, which keeps the fit and
    lowers the penalty, until a coefficient leaves.  Every step lowers the objective.  Returns the new block
    point, or None when the steps (4·|block| + 20) run out.
    """
    w = wb.copy()
    A = support
    slack = 1e-13 * (np.abs(c).max(initial=0.0) + h.max(initial=0.0))
    for _ in range(4 * w.size + 20):
        s = np.sign(w[A])
        M = Q[np.ix_(A, A)] + np.diag(l2[A])
        rhs = c[A] - h[A] * s
        try:
            x = np.linalg.solve(M, rhs)
        except np.linalg.LinAlgError:
            x = None
        if x is None or np.abs(M @ x - rhs).max() > 1e-10 * np.abs(rhs).max():
            # singular block: along a null direction d the fit stays and the penalty moves
            # linearly; go the way it falls until a coefficient reaches 0, which then leaves
            d = np.linalg.svd(M)[2][-1]
            if (h[A] * s) @ d > 0:
                d = -d
            cur = w[A]
            shrink = d * cur < 0
            if not shrink.any():
                return None
            t = np.full(A.size, np.inf)
            t[shrink] = -cur[shrink] / d[shrink]
            k = int(np.argmin(t))
            new = cur + t[k] * d
            keep = new * s > 0
            keep[k] = False
            w[A] = np.where(keep, new, 0.0)
            A = A[keep]
            continue
        flips = (x * s <= 0) & (h[A] > 0)
        if not flips.any():
            w[A] = x
            q = c - Q[:, A] @ x
            excess = np.abs(q) - h
            excess[A] = -np.inf
            j = int(np.argmax(excess))
            if excess[j] <= slack:
                return w
            w[j] = np.sign(q[j]) * 1e-300  # joins with its sign; the next solve sets it
            A = np.append(A, j)
            continue
        cur = w[A]
        t = np.full(A.size, np.inf)
        t[flips] = cur[flips] / (cur[flips] - x[flips])
        k = int(np.argmin(t))
        new = cur + t[k] * (x - cur)
        keep = (new * s > 0) | (h[A] == 0)
        keep[k] = False
        w[A] = np.where(keep, new, 0.0)
        A = A[keep]
    return None
