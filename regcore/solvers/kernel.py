r"""The whole lasso / elastic-net path in one compiled call: working-set coordinate descent.

Objective, on the standardised problem of ``regcore.solvers.problem`` (Xs, yc, n rows),
with row weights ω_i (1/n for least squares) and per-feature penalty weights (a_j, b_j)
per unit λ (``ElasticNetPenalty.coordinate_weights``: a_j = α·v_j, b_j = (1 − α)·v_j):

    P(w) = Σᵢ ωᵢ·(ycᵢ − xᵢᵀw)² + Σ_j (2h_j·|w_j| + l_j·w_j²),     h_j = λ·a_j/2,  l_j = λ·b_j.

With g = Xsᵀ·diag(ω)·(yc − Xs·w) (= c − G·w, G = Xsᵀ·diag(ω)·Xs), optimality (KKT) is

    g_j − l_j·w_j = h_j·sign(w_j)   where w_j ≠ 0,        |g_j| ≤ h_j   where w_j = 0.

Duality gap (Fenchel): the residual scaled by κ = min(1, min_j h_j/|g_j|) over the pure-L1
features (l_j = 0 < h_j) is dual feasible; with rr = Σωr², ry = Σω·r·yc,

    gap = (1 + κ²)·rr − 2κ·ry + Σ_j (2h_j|w_j| + l_j·w_j²) + Σ_{l_j>0} (κ|g_j| − h_j)₊²/l_j
        ≥ P(w) − min P,

once the unpenalised features' gradients are 0 (they always sit in the working set and a
point counts as converged only when |g_j| ≤ 1e-6·√target there).

Per λ of a decreasing grid, warm-started from the previous λ:
1. Working set: the support, the unpenalised features and the strong rule's survivors
   |g_j(λ_prev)| ≥ (2λ − λ_prev)·a_j/2.
2. Cyclic coordinate descent on the set until its own gap is below half the target (or
   every ``EXACT_EVERY`` epochs, for step 4's sake, or when the objective stops falling),
   Anderson-accelerated: every ANDERSON + 1 epochs on an unchanged set, the extrapolation
   of the last iterates replaces the point where it lowers the objective.
3. The gradient of every feature; the violators of |g_j| ≤ h_j outside the set join it
   and 2 repeats.
4. Where it is cheap (no dearer than the descent so far, or at once when the last try
   was kept: along a path the support's solve usually works), the support's exact minimiser
   with the signs found, (G_AA + diag(l_A))·w_A = c_A − h_A·s_A by Cholesky (the factor
   kept along the path; for an elastic net, whose l_A falls with λ, a factor made at a
   larger l_A preconditions conjugate gradients until it is ``STALE``), replaces the
   descent's point when it lowers the objective, or its gap is below the descent's or the
   target (its KKT residual is then at rounding level, and so usually is its gap; on an
   ill-conditioned support it also ends a descent that would crawl).  Gap met, or the
   objective flat for ``STALL`` checks (the rounding floor): the λ is done; otherwise
   back to 2.

``cd_path`` in Gram mode keeps g current on the set as it goes (everywhere, by whole rows
of G, once the set holds 1/WHOLE_ROWS of the features) and forms it for the rest in step 3
when it was left behind; in data mode it keeps the residual and forms g when it checks.
``converged`` means gap ≤ target (``fit_path`` passes tol·yy).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from types import FunctionType

import numpy as np
from numba import njit
from numba.core.dispatcher import Dispatcher

from regcore.penalties import ElasticNetPenalty, lambda_max_of
from regcore.solvers.problem import Problem

TINY = float(np.finfo(float).tiny)
# float64 C-contiguous arrays and int64 indices only, so that each function has one
# signature; numpy's error model (no ZeroDivisionError branches) compiles faster
compiled = njit(nogil=True, cache=True, error_model="numpy")
# sums whose order does not matter: reassociated, they vectorise (several times faster)
summing = njit(nogil=True, cache=True, error_model="numpy", fastmath={"reassoc", "contract"})


@functools.cache
def python_twin(module: str) -> dict:
    """The globals of ``module`` with every compiled function replaced by its own Python
    source (``py_func``), rebound so that what it calls is the Python source too (also the
    compiled functions it imports from other modules).  One definition of each kernel: the
    twin runs the same code as plain Python, without compiling anything, which pays while
    the compiled kernel is not loaded in this process (``use_python``)."""
    source = vars(sys.modules[module])
    twin = dict(source)
    for name, obj in source.items():
        if isinstance(obj, Dispatcher):
            f = obj.py_func
            home = twin if f.__module__ == module else python_twin(f.__module__)
            twin[name] = FunctionType(f.__code__, home, f.__name__, f.__defaults__, f.__closure__)
    return twin


EXACT_MAX = 300  # support size up to which the exact solve on the support is tried
# data mode (p > n) with n up to this: the exact solve up to n columns, which a lasso support
# never outgrows (wide 500 × 5 000: the descent alone crawled, 100× slower; bench/README.md)
WIDE_EXACT_MAX = 1000
# Gram mode: the exact solve up to this many columns (its two blocks 2·k² floats, 64 MB at
# 2 000, against G's p²); dense 2 250 × 1 500 lasso: the descent alone crawled past 300
# columns (105 s), with the exact finish and the factor's downdate 1.5 s (bench/README.md)
GRAM_EXACT_MAX = 2000
EXACT_FREE = 4e6  # flops of an exact solve always worth spending (a few ms)
LOOSE_EPOCHS = 5  # epochs of descent before the next check when the support was not final
EXACT_EVERY = 20  # epochs between tries of the exact solve while the descent is slow
EXACT_FIRST = 2  # the first try: with the support of the previous λ it often ends the λ
WHOLE_ROWS = 16  # a Gram sweep updates whole rows of g once the set holds 1/16 of the features
SWEEP_COST = 10  # a Gram sweep's scattered update against one of the factor's vectorised flops
STALE = 0.7  # the elastic net's factor kept while l2 ≥ STALE·(its l2): a preconditioner
PCG_MAX = 25  # conjugate-gradient steps on a stale factor before a fresh one (cheaper then)
ANDERSON = 5  # iterate differences an extrapolation of the descent combines
STALL = 30  # gap checks in a row without a lower objective: the descent's rounding floor


@compiled
def _soft(z, h, d):  # pragma: no cover - compiled
    """argmin_x  d·x² − 2z·x + 2h·|x|  = S(z, h)/d."""
    if z > h:
        return (z - h) / d
    if z < -h:
        return (z + h) / d
    return 0.0


@summing
def _dot(u, v, m):  # pragma: no cover - compiled
    """Σ_{t<m} u_t·v_t."""
    s = 0.0
    for t in range(m):
        s += u[t] * v[t]
    return s


@summing
def _axpy(u, s, v, m):  # pragma: no cover - compiled
    """u_t += s·v_t for t < m."""
    for t in range(m):
        u[t] += s * v[t]


@summing
def _wdot(u, omega, v):  # pragma: no cover - compiled
    """Σᵢ ωᵢ·uᵢ·vᵢ."""
    s = 0.0
    for i in range(v.size):
        s += omega[i] * u[i] * v[i]
    return s


@compiled
def _grad(XT, omega, r, c0, j):  # pragma: no cover - compiled
    """c0_j + Σᵢ ωᵢ·x_ij·rᵢ."""
    return c0[j] + _wdot(XT[j], omega, r)


@compiled
def weighted_cd(XT, omega, r, c0, w, ws, m, h, l2, d):  # pragma: no cover - compiled
    """One cyclic sweep of coordinate descent over the features ws[:m] on

        Σᵢ ωᵢ·rᵢ² − 2·c0ᵀw + Σ_j (2h_j·|w_j| + l2_j·w_j²),      r = z − X·w,

    XT = Xᵀ (p × n, C-contiguous), ω ≥ 0 (n), c0 (p; zeros for a plain weighted least
    squares on a working response z), d_j = Σᵢ ωᵢ·x_ij² (precomputed).  w and the residual
    r are updated in place; the caller forms r = z − X·w at the start.  The negative half
    gradient of the smooth part is g_j = c0_j + Σᵢ ωᵢ·x_ij·rᵢ, and each coordinate moves to
    its exact minimiser given the others.  Returns Σ_j d_j·Δw_j², the sweep's size in the
    objective's units.  The inner routine of the gaussian data-mode path (z = 0, c0 = c,
    ω = 1/n) and of a proximal-Newton outer loop (ω = curvature weights, z = working response).
    """
    moved = 0.0
    n = r.size
    for t in range(m):
        j = ws[t]
        dj = d[j] + l2[j]
        if dj <= 0.0:
            continue
        x = XT[j]
        delta = _soft(_grad(XT, omega, r, c0, j) + d[j] * w[j], h[j], dj) - w[j]
        if delta != 0.0:
            w[j] += delta
            for i in range(n):
                r[i] -= x[i] * delta
            moved += d[j] * delta * delta
    return moved


@compiled
def _gap(c, yy, omega, r, g, w, h, l2, idx, m, gram):  # pragma: no cover - compiled
    """(gap, objective P(w)) of the module docstring over the features idx[:m] (w is 0
    elsewhere).  Gram mode (g = q): rr = yy − cᵀw − qᵀw; data mode (r = −Xs·w):
    rr = yy − 2cᵀw + Σωr².  Both: ry = yy − cᵀw."""
    cw = 0.0
    qw = 0.0
    for t in range(m):
        j = idx[t]
        cw += c[j] * w[j]
        qw += g[j] * w[j]
    if gram:
        rr = max(yy - cw - qw, 0.0)
    else:
        fit = 0.0
        for i in range(r.size):
            fit += omega[i] * r[i] * r[i]
        rr = max(yy - 2.0 * cw + fit, 0.0)
    ry = yy - cw
    kappa = 1.0
    pen = 0.0
    for t in range(m):
        j = idx[t]
        pen += 2.0 * h[j] * abs(w[j]) + l2[j] * w[j] * w[j]
        if l2[j] == 0.0 and h[j] > 0.0 and abs(g[j]) * kappa > h[j]:
            kappa = h[j] / abs(g[j])
    conj = 0.0
    for t in range(m):
        j = idx[t]
        if l2[j] > 0.0:
            e = kappa * abs(g[j]) - h[j]
            if e > 0.0:
                conj += e * e / l2[j]
    return max((1.0 + kappa * kappa) * rr - 2.0 * kappa * ry + pen + conj, 0.0), rr + pen


@compiled
def _refresh(G, XT, omega, r, c, w, g, keep, supp, nnz):  # pragma: no cover - compiled
    """g_i = c_i − Σ_t G[supp_t, i]·w[supp_t] (Gram mode, G not empty) or c_i + Σ ωx_i·r
    (data mode, r = −Xs·w) for every i where keep[i] is False."""
    p = c.size
    if G.shape[0] == 0:
        for i in range(p):
            if not keep[i]:
                g[i] = _grad(XT, omega, r, c, i)
        return
    for i in range(p):  # selects, not branches: the loops vectorise
        g[i] = g[i] if keep[i] else c[i]
    for t in range(nnz):
        j = supp[t]
        row = G[j]
        wj = w[j]
        for i in range(p):
            g[i] -= (0.0 if keep[i] else row[i]) * wj


@compiled
def _grow(g, h, ws, inset, m):  # pragma: no cover - compiled
    """Step 3: every feature outside the set with |g_j| > h_j joins it; returns the new size."""
    for j in range(g.size):
        if not inset[j] and abs(g[j]) > h[j]:
            inset[j] = True
            ws[m] = j
            m += 1
    return m


@compiled
def _drop(L, lused, t, k):  # pragma: no cover - compiled
    """Take place t out of the k × k Cholesky factor L (and its l_f, lused): the rows below
    move up one, and Givens rotations of neighbouring columns make L triangular again
    ((k − t)² work instead of the rows' recomputation, (k³ − t³)/6)."""
    for i in range(t, k - 1):
        lused[i] = lused[i + 1]
        for j in range(i + 2):
            L[i, j] = L[i + 1, j]
    for j in range(t, k - 1):
        rho = np.hypot(L[j, j], L[j, j + 1])
        if rho == 0.0:
            continue
        cs, sn = L[j, j] / rho, L[j, j + 1] / rho
        for i in range(j, k - 1):
            u, v = L[i, j], L[i, j + 1]
            L[i, j] = cs * u + sn * v
            L[i, j + 1] = cs * v - sn * u


@compiled
def _factor(G, XT, omega, w, l2, supp, nnz, F, Ix, dep, B, fk, slack):  # pragma: no cover
    """The support's factor, kept along the path: returns (its size k = nnz, stale).

    order[:k] (Ix[0]) lists the support's columns; pos (Ix[1]) maps a column to its place
    there, or −1.  Mo = B[0] holds their data-fit block G_AA (symmetric) and L = B[1] the
    Cholesky factor of Mo + diag(l_f) with the l_f in F[3] per place.  The first fk places
    are up to date from the last call: columns that left the support are taken out of Mo
    (no recomputation), the new ones appended (a row of G, or n·k products in data mode),
    and L is recomputed only from the first place that moved or whose l_f is no longer
    within slack·l_f ≤ l2 ≤ l_f, one row at a time (k² per row).  The lasso's l2 never
    changes, so along its path only the new columns cost; the elastic net's falls with λ,
    and a factor kept with l_f ≥ l2 is ``stale``: a preconditioner for ``_solve``.  A
    column dependent on those before it (a pivot at rounding level: collinear columns,
    one-hot groups) gets dep True and a unit row in L.
    """
    Mo, L = B[0], B[1]
    order, pos, src = Ix[0], Ix[1], Ix[2]
    lused = F[3]
    low = fk  # the first place that leaves
    for t in range(fk - 1, -1, -1):
        low = t if w[order[t]] == 0.0 else low
    rotate = True  # no dependent column from there on: the leavers rotated out of L
    for t in range(low, fk):
        rotate = rotate and not dep[t]
    size = fk
    for t in range(fk - 1, low - 1, -1):
        if rotate and w[order[t]] == 0.0:
            _drop(L, lused, t, size)
            size -= 1
    m, q = np.int64(0), fk
    for t in range(fk):  # keep the columns still in the support, in their order
        j = order[t]
        if w[j] != 0.0:
            src[m] = t
            order[m] = j
            pos[j] = m
            m += 1
        else:
            pos[j] = -1
            q = q if rotate else min(q, m)
    q = min(q, m)  # the new columns' rows, at least
    for a in range(m):
        if src[a] != a:
            for b in range(a + 1):
                Mo[a, b] = Mo[src[a], src[b]]
                Mo[b, a] = Mo[a, b]
    for t in range(nnz):  # the new columns at the end
        j = supp[t]
        if pos[j] < 0 and w[j] != 0.0:
            order[m] = j
            pos[j] = m
            for b in range(m + 1):
                if G.shape[0] > 0:
                    Mo[m, b] = G[j, order[b]]
                else:
                    Mo[m, b] = _wdot(XT[j], omega, XT[order[b]])
                Mo[b, m] = Mo[m, b]
            m += 1
    stale = False
    for t in range(min(q, m)):
        lt = l2[order[t]]
        if lt > lused[t] or lt < slack * lused[t]:
            q = t
            break
        stale = stale or lt != lused[t]
    for i in range(q, m):
        lused[i] = l2[order[i]]
        for j in range(i):
            L[i, j] = 0.0 if dep[j] else (Mo[i, j] - _dot(L[i], L[j], j)) / L[j, j]
        a = Mo[i, i] + lused[i]
        s = a - _dot(L[i], L[i], i)
        dep[i] = s <= 1e-11 * max(abs(a), 1e-300)
        if dep[i]:
            for j in range(i):
                L[i, j] = 0.0
        L[i, i] = 1.0 if dep[i] else np.sqrt(s)
    return m, stale


@compiled
def _chol_solve(L, x, k):  # pragma: no cover - compiled
    """x ← (L·Lᵀ)⁻¹·x on the first k places, L lower triangular (by rows, vectorised)."""
    for i in range(k):
        x[i] = (x[i] - _dot(L[i], x, i)) / L[i, i]
    for i in range(k - 1, -1, -1):
        x[i] /= L[i, i]
        _axpy(x, -x[i], L[i], i)


@compiled
def _block_times(B, l2, order, dep, v, out, k):  # pragma: no cover - compiled
    """out = (Mo + diag(l2)) · v on the first k places (0 at a dependent column's)."""
    Mo = B[0]
    for i in range(k):
        out[i] = 0.0 if dep[i] else _dot(Mo[i], v, k) + l2[order[i]] * v[i]


@compiled
def _solve(B, l2, order, dep, F, k, stale, small):  # pragma: no cover - compiled
    """x = F[2] ← (Mo + diag(l2))⁻¹·F[4] on the first k places (dependent ones 0): True
    when found.  With a fresh factor, two triangular solves; with a stale one (l_f ≥ l2),
    conjugate gradients preconditioned by it, until the error's energy (x − x*)ᵀM(x − x*),
    the objective's excess on the block, is below ``small`` (rᵀ·P⁻¹·r, within 1/STALE of
    it, since P = Mo + diag(l_f) ≥ Mo + diag(l2) ≥ STALE·P); False when
    ``PCG_MAX`` steps do not get there (a fresh factor is then cheaper).  Works in F[5:9].
    """
    L = B[1]
    x, rhs, r, z, d, Md = F[2], F[4], F[5], F[6], F[7], F[8]
    for t in range(k):
        x[t] = rhs[t]
    _chol_solve(L, x, k)
    if not stale:
        return True
    _block_times(B, l2, order, dep, x, r, k)
    for t in range(k):
        r[t] = rhs[t] - r[t]
        z[t] = r[t]
    _chol_solve(L, z, k)
    rz = _dot(r, z, k)
    for t in range(k):
        d[t] = z[t]
    for _ in range(PCG_MAX):
        if rz <= small:
            return True
        _block_times(B, l2, order, dep, d, Md, k)
        step = rz / _dot(d, Md, k)
        _axpy(x, step, d, k)
        _axpy(r, -step, Md, k)
        for t in range(k):
            z[t] = r[t]
        _chol_solve(L, z, k)
        rz, before = _dot(r, z, k), rz
        for t in range(k):
            d[t] = z[t] + rz / before * d[t]
    return rz <= small


@compiled
def _exact_point(G, XT, omega, c, w, h, l2, supp, nnz, out, F, Ix, dep, B, fk, small):
    """Step 4: (found, factor size): out = w with its support supp[:nnz] moved to the exact
    minimiser on the signs found; found False when the walk does not end.

    Each block (G_AA + diag(l_A))·x = c_A − h_A·s_A is solved on ``_factor``'s Cholesky
    factor (``_solve``: a stale one preconditions conjugate gradients to an objective
    excess below ``small``); a dependent column leaves (its fit is the others' to make:
    with exactly collinear columns a minimiser uses at most the independent ones, and the
    caller's objective and gap checks decide).  Where
    the minimiser would flip a penalised sign, the point walks toward it only as far as the
    first coefficient that reaches 0 (the objective falls along that segment), which leaves
    (the factor is recomputed from its place), and the rest is solved again.  Works in F
    (9 × ≥p floats), Ix (3 × ≥p indices), dep (≥p flags) and B (2 blocks ≥ nnz × nnz);
    fk is the factor's size from the last call (0 at first).
    """
    cur, sign, x, rhs, order = F[0], F[1], F[2], F[4], Ix[0]
    for j in range(w.size):
        out[j] = w[j]
    for _ in range(nnz):
        k, stale = _factor(G, XT, omega, out, l2, supp, nnz, F, Ix, dep, B, fk, STALE)
        for t in range(k):
            cur[t] = out[order[t]]
            sign[t] = 1.0 if cur[t] > 0 else -1.0
            rhs[t] = 0.0 if dep[t] else c[order[t]] - h[order[t]] * sign[t]
        if not _solve(B, l2, order, dep, F, k, stale, small):
            k, stale = _factor(G, XT, omega, out, l2, supp, nnz, F, Ix, dep, B, k, 1.0)
            _solve(B, l2, order, dep, F, k, stale, small)
        fk = k
        step, first = 1.0, -1
        for t in range(k):
            if h[order[t]] > 0.0 and x[t] * sign[t] <= 0.0:
                frac = cur[t] / (cur[t] - x[t])
                if frac < step:
                    step, first = frac, t
        for t in range(k):
            out[order[t]] = cur[t] + step * (x[t] - cur[t])
        if first < 0:
            return True, fk
        out[order[first]] = 0.0  # leaves: the next _factor takes it out
    return False, fk


@compiled
def _extrapolate(Hw, Hg, Hr, A, m, ws, gram, x, gx, rx):  # pragma: no cover - compiled
    """Anderson acceleration: from the K + 1 iterates of the set's coefficients Hw[:, :m]
    (with g over the set Hg in Gram mode, the residuals Hr in data mode: both linear in
    w), the combination Σ_i C_i·iterate_{i+1} with C = z/Σz, (UᵀU)·z = 1, U the iterates'
    K differences: x (at the set's places), gx or rx.  False when UᵀU is singular.
    A: (K + 1) × K scratch."""
    K = A.shape[1]
    for i in range(K):
        for j in range(i + 1):
            s = 0.0
            for t in range(m):
                s += (Hw[i + 1, t] - Hw[i, t]) * (Hw[j + 1, t] - Hw[j, t])
            A[i, j] = s
    z = A[K]
    for i in range(K):  # Cholesky of UᵀU (its lower half) in place, then z = (UᵀU)⁻¹·1
        for j in range(i + 1):
            s = A[i, j] - _dot(A[i], A[j], j)
            if i == j:
                if s <= 1e-14 * A[0, 0] or s <= 0.0:
                    return False
                A[i, i] = np.sqrt(s)
            else:
                A[i, j] = s / A[j, j]
        z[i] = 1.0
    _chol_solve(A, z, K)
    total = 0.0
    for i in range(K):
        total += z[i]
    for i in range(K):
        z[i] /= total
    for t in range(m):
        j = ws[t]
        x[j] = 0.0
        gx[j] = 0.0
        for i in range(K):
            x[j] += z[i] * Hw[i + 1, t]
            gx[j] += z[i] * Hg[i + 1, t]
    if not gram:
        for e in range(rx.size):
            rx[e] = 0.0
            for i in range(K):
                rx[e] += z[i] * Hr[i + 1, e]
    return True


@compiled
def cd_path(
    G, XT, omega, c, yy, a, b, grid, w, target, max_epochs, W, Gr, n_iter, conv, F, R, Ix, K, B, A
):
    """The path on c, yy, from w (in place), in Gram mode on G = XsᵀXs/n (p × p) when G is
    not empty (XT and ω then empty), else in data mode on XT = Xsᵀ (p × n) and row weights ω.
    Arrays float64 and C-contiguous.

    a, b: the penalty weights per unit λ; grid: decreasing λ > 0; target: the gap to meet.
    Fills, per λ = grid[k], W[k] (coefficients), Gr[k] (g = c − G·w), n_iter[k] (epochs)
    and conv[k] (gap ≤ target with the unpenalised gradients at 0).  Gram mode keeps
    g = q current on the set as it goes; data mode keeps r = −Xs·w (g = c + Xsᵀ·diag(ω)·r)
    and forms g over the set when it checks the set's gap.  Every ANDERSON + 1 epochs on an
    unchanged set, the descent's point is extrapolated (``_extrapolate``) and replaced
    where that lowers the objective.  F, R, Ix, K, B, A: ``workspace(p, n)``.
    """
    gram = G.shape[0] > 0
    p, n = c.size, omega.size
    g, h, l2, d, x, gx = F[0], F[1], F[2], F[3], F[4], F[5]
    r, rx = R[0], R[1]
    Hw, Hg, Hr = F[15 : 16 + ANDERSON], F[16 + ANDERSON :], R[2:]
    ws, supp, every = Ix[0], Ix[1], Ix[2]
    inset, none = K[0], K[1]
    nnz = np.int64(0)  # not a literal 0: one signature per callee
    for j in range(p):
        every[j] = j
        if w[j] != 0.0:
            supp[nnz] = j
            nnz += 1
            for i in range(n):
                r[i] -= XT[j, i] * w[j]
        d[j] = _wdot(XT[j], omega, XT[j]) if n else 0.0
    _refresh(G, XT, omega, r, c, w, g, inset, supp, nnz)
    ridged = False  # an L2 part: the support's factor changes with λ
    for j in range(p):
        ridged = ridged or b[j] > 0.0
        Ix[4, j] = -1  # no column in the support's factor yet
    fk = np.int64(0)
    lam_prev = grid[0]
    trusted = False  # the last exact solve tried was kept: try the next one early
    for k in range(grid.size):
        lam = grid[k]
        # step 1: the support, the unpenalised features and the strong rule's survivors
        cut = max(2.0 * lam - lam_prev, 0.0) / 2
        m = np.int64(0)
        for j in range(p):
            h[j] = lam * a[j] / 2
            l2[j] = lam * b[j]
            inset[j] = w[j] != 0.0 or a[j] == 0.0 or abs(g[j]) >= cut * a[j]
            if inset[j]:
                ws[m] = j
                m += 1
        epochs, flat, best, gap, resume, moved = 0, 0, np.inf, np.inf, 0, 0.0
        last, last_epochs = np.inf, 0  # the gap at the previous check, for the descent's rate
        since = 0  # iterates recorded since the set or the point last jumped
        behind = False  # g outside the set left behind (Gram mode: a sweep kept it on the set)
        while epochs < max_epochs:
            if gram:  # q = c − G·w kept current on the set, or everywhere (whole rows of G,
                # vectorised) when the set is a good share of the features
                whole = WHOLE_ROWS * m >= p
                behind = behind or not whole
                for t in range(m):
                    j = ws[t]
                    dj = G[j, j] + l2[j]
                    if dj <= 0.0:
                        continue
                    delta = _soft(g[j] + G[j, j] * w[j], h[j], dj) - w[j]
                    if delta != 0.0:
                        w[j] += delta
                        if whole:
                            _axpy(g, -delta, G[j], p)
                            continue
                        row = G[j]
                        for s in range(m):
                            i = ws[s]
                            g[i] -= row[i] * delta
            else:
                moved = weighted_cd(XT, omega, r, c, w, ws, m, h, l2, d)
            epochs += 1
            if since <= ANDERSON:
                for t in range(m):
                    Hw[since, t] = w[ws[t]]
                    Hg[since, t] = g[ws[t]]
                if not gram:
                    for i in range(n):
                        Hr[since, i] = r[i]
                since += 1
            else:
                since = 0
                if _extrapolate(Hw, Hg, Hr, A, m, ws, gram, x, gx, rx):
                    now = _gap(c, yy, omega, r, g, w, h, l2, ws, m, gram)[1]
                    if _gap(c, yy, omega, rx, gx, x, h, l2, ws, m, gram)[1] < now:
                        for t in range(m):
                            w[ws[t]] = x[ws[t]]
                            g[ws[t]] = gx[ws[t]] if gram else g[ws[t]]
                        behind = True
                        for i in range(n):
                            r[i] = rx[i]
            if not gram:  # data mode: g over the set, when the sweep moved little
                if moved > 0.1 * target and epochs % 10 != 0:
                    continue
                for t in range(m):
                    g[ws[t]] = _grad(XT, omega, r, c, ws[t])
            gap, obj = _gap(c, yy, omega, r, g, w, h, l2, ws, m, gram)
            flat = flat + 1 if obj >= best else 0  # the objective falls at every sweep
            best = min(best, obj)
            wait = gap > 0.5 * target or epochs < resume
            # with an L2 part (the support's factor made again, k³/3): the descent's cost to
            # the target at its rate so far against the exact solve's
            slow = True
            if ridged and 0.0 < gap < last and epochs > last_epochs:
                rate = np.log(last / gap) / (epochs - last_epochs)
                need = np.log(max(gap / (0.5 * target), 1.0)) / rate
                exact = m * m * m / 3 + p * m
                slow = need * m * (SWEEP_COST * m if gram else 4 * n) > exact
            last, last_epochs = gap, epochs
            early = trusted and slow and epochs >= EXACT_FIRST
            if wait and flat < STALL and epochs % EXACT_EVERY != 0 and not early:
                continue
            nnz = np.int64(0)
            for j in range(p):
                if w[j] != 0.0:
                    supp[nnz] = j
                    nnz += 1
            # step 4 where it costs (the factor's new rows, all k³/3 when l changed with λ,
            # the block's new columns, the gradient's p·k) no more than the descent did at
            # this λ, or than EXACT_FREE flops
            fresh = 0  # columns the factor lacks
            for t in range(nnz):
                fresh += Ix[4, supp[t]] < 0
            width = p if gram else n
            refactor = nnz * nnz * nnz / 3 if ridged else fresh * nnz * nnz
            cost = refactor + fresh * nnz * (1 if gram else n) + p * nnz
            cheap = cost <= EXACT_FREE or cost <= 2.0 * epochs * m * width or early
            exact = 0 < nnz <= B.shape[1] and cheap
            # data mode: a refresh reads all of Xs (n·p, the dearest step on a wide problem);
            # before an exact try it is left to the exact point's own refresh, and made
            # here only when that point is not kept
            skipped = exact and not gram
            if not skipped:  # step 3: g outside the set was left behind by the set's updates
                if behind or not gram:
                    _refresh(G, XT, omega, r, c, w, g, inset, supp, nnz)
                    behind = False
                grown = _grow(g, h, ws, inset, m)
                if grown > m:
                    m, flat, best, since = grown, 0, np.inf, 0
                    continue
            if exact:
                trusted = False
                found, fk = _exact_point(
                    G,
                    XT,
                    omega,
                    c,
                    w,
                    h,
                    l2,
                    supp,
                    nnz,
                    x,
                    F[6:],
                    Ix[3:],
                    K[2],
                    B,
                    fk,
                    1e-12 * target,
                )
                if found:
                    for i in range(n):
                        rx[i] = 0.0
                    for t in range(nnz):
                        j = supp[t]
                        for i in range(n):
                            rx[i] -= XT[j, i] * x[j]
                    _refresh(G, XT, omega, rx, c, x, gx, none, supp, nnz)
                    xgap, xobj = _gap(c, yy, omega, rx, gx, x, h, l2, every, p, gram)
                    if xobj < obj or xgap <= max(gap, target):
                        for j in range(p):
                            w[j] = x[j]
                            g[j] = gx[j]
                        for i in range(n):
                            r[i] = rx[i]
                        gap = xgap
                        trusted = True
                        since = 0
                        skipped = False
                if skipped:
                    _refresh(G, XT, omega, r, c, w, g, inset, supp, nnz)
                grown = _grow(g, h, ws, inset, m)  # the exact point may leave a violator
                if grown > m:
                    m, flat, best, since = grown, 0, np.inf, 0
                    continue
                loose = False  # a coefficient at 0 violates |g_j| ≤ h_j beyond rounding
                for j in range(p):
                    loose = loose or (w[j] == 0.0 and abs(g[j]) > h[j] * (1.0 + 1e-10))
                if loose and flat < STALL:
                    flat += 1
                    resume = epochs + LOOSE_EPOCHS
                    continue
            if gap <= target or flat >= STALL:
                break
        free = 0.0  # the largest |g_j| over the unpenalised features: 0 at their optimum
        for j in range(p):
            if a[j] == 0.0 and l2[j] == 0.0:
                free = max(free, abs(g[j]))
        conv[k] = gap <= target and free <= 1e-6 * np.sqrt(target)
        for j in range(p):
            W[k, j] = w[j]
            Gr[k, j] = g[j]
        n_iter[k] = epochs
        lam_prev = lam


MAX_EPOCHS = 100_000  # per λ: beyond that the λ reports its gap unmet


def exact_max(p: int, n: int) -> int:
    """The largest support the exact solve takes on, never above p: in Gram mode (n = 0: no
    rows in the kernel) ``GRAM_EXACT_MAX``; in data mode (n > 0 rows, p > n) n itself when
    ``EXACT_MAX`` < n ≤ ``WIDE_EXACT_MAX``, else ``EXACT_MAX``."""
    if n == 0:
        return min(p, GRAM_EXACT_MAX)
    return min(p, n if EXACT_MAX < n <= WIDE_EXACT_MAX else EXACT_MAX)


def workspace(p: int, n: int):
    """The buffers ``cd_path`` works in, (F, R, Ix, K, B, A): floats (17 + 2·ANDERSON) × p
    and (3 + ANDERSON) × n (zeros), indices 6 × p, flags 3 × p (False), two blocks
    ``exact_max(p, n)``² (the support's size for the exact solve is capped there; n = 0 in
    Gram mode) and
    (ANDERSON + 1) × ANDERSON.  The compiled code creates no arrays: each numpy allocation
    in it would be one more function to compile."""
    k = exact_max(p, n)
    return (
        np.zeros((17 + 2 * ANDERSON, p)),
        np.zeros((3 + ANDERSON, n)),
        np.zeros((6, p), dtype=np.int64),
        np.zeros((3, p), dtype=bool),
        np.zeros((2, k, k)),
        np.zeros((ANDERSON + 1, ANDERSON)),
    )


def path(
    prob: Problem, grid: np.ndarray, penalty, tol: float, weights=None, start=None, python=None
):
    """(W, g, n_iter, converged) on a decreasing grid of λ > 0, in one call of ``cd_path``.

    ``penalty`` is an ``ElasticNetPenalty`` (its ``coordinate_weights`` give a and b of the
    module docstring); ``weights`` the penalty factors v (default all 1); ``start`` the
    warm start at the first λ (default the fit at λ_max: the unpenalised features by least
    squares, the rest 0).  A λ at or above λ_max returns that fit exactly.  ``python``:
    True runs ``cd_path``'s Python twin, False the compiled kernel, None (default) lets
    ``python_route`` choose.
    """
    p, k = prob.p, grid.size
    a, b = penalty.coordinate_weights(weights, p)
    lam_max, w0 = lambda_max(prob, penalty.alpha, weights)
    w = np.array(w0 if start is None else start, dtype=float)
    W, Gr = np.zeros((k, p)), np.zeros((k, p))
    n_iter = np.zeros(k, dtype=np.int64)
    converged = np.zeros(k, dtype=bool)
    top = int(np.count_nonzero(grid >= lam_max)) if start is None else 0
    if top:  # exactly w₀: a descent would round around the threshold
        W[:top], Gr[:top] = w0, prob.gradient(w0, np.flatnonzero(w0))
        converged[:top] = True
    rest = np.ascontiguousarray(grid[top:], dtype=float)
    if rest.size:
        target = tol * max(prob.yy, TINY)
        out = (W[top:], Gr[top:], n_iter[top:], converged[top:])
        if prob.G is not None:
            G, XT, omega = np.ascontiguousarray(prob.G), np.empty((0, 0)), np.empty(0)
        else:
            G, XT = np.empty((0, 0)), np.ascontiguousarray(prob.Xs.T)
            omega = np.full(prob.n, 1.0 / prob.n)
        buffers = workspace(p, omega.size)
        if python is None:
            python = python_route(prob.n, p, rest.size)
        run = python_twin(__name__)["cd_path"] if python else cd_path
        run(G, XT, omega, prob.c, prob.yy, a, b, rest, w, target, MAX_EPOCHS, *out, *buffers)
    return W, Gr, n_iter, converged


# The Python route.  On a fresh install ``cd_path`` compiles on its first call in a
# process (10-20 s), and its Python twin solves a small path in a fraction of that, so
# until the compiled kernel is ready small paths run the twin while the compile runs in the
# background.  Once numba's cache holds the kernel its load (about 1 s) costs what the twin
# costs on the first chart's work, and the twin beside the load slows both (bench/cold.py
# --part route), so a cached kernel is loaded at once.  PYTHON_CAP (``work``): the twin's
# path stays within a fraction of the compile it spares (measured in the same script).
PYTHON_CAP = 3e5
_loader: list[threading.Thread] = []
_loader_lock = threading.Lock()


def work(n: int, p: int, k: int) -> float:
    """The twin's cost estimate for a path of k λ: k·p·min(n, p) (a sweep reads p² numbers
    of G in Gram mode, n·p of the data in data mode)."""
    return float(k) * p * min(n, p)


def use_python(cost: float, ready: bool, cap: float = PYTHON_CAP) -> bool:
    """Whether a path of estimated ``cost`` (``work``) runs the Python twin: only while the
    compiled kernel is not ready (neither loaded nor in numba's cache), only up to ``cap``."""
    return not ready and cost <= cap


def loaded() -> bool:
    """Whether the compiled ``cd_path`` is ready in this process (compiled or loaded; or
    numba's JIT is off, ``NUMBA_DISABLE_JIT``, and cd_path is its Python source anyway)."""
    return not isinstance(cd_path, Dispatcher) or bool(cd_path.signatures)


def cached() -> bool:
    """Whether numba's cache holds ``cd_path`` compiled from its current source (a load, not
    a compile, awaits: numba ignores an index older than the source file)."""
    try:
        return bool(cd_path._cache._cache_file._load_index())
    except Exception:  # noqa: BLE001 - no cache, an unreadable index, numba's layout changed
        return False


def python_route(n: int, p: int, k: int) -> bool:
    """``use_python`` for a path of k λ on n × p; when it says yes, the compiled kernel's
    preparation starts in the background (``load_in_background``, once per process)."""
    python = use_python(work(n, p, k), loaded() or cached())
    if python:
        load_in_background()
    return python


def load_in_background() -> threading.Thread:
    """Start (once) and return a daemon thread that makes the compiled ``cd_path`` ready in
    this process (``load``), after a separate low-priority process has compiled it into
    numba's cache when the cache holds nothing yet (``_COMPILE_ELSEWHERE``): that
    compile then leaves the GIL to the twin.  A failure anywhere only leaves the compile to
    the first path the twin does not take."""
    with _loader_lock:
        if not _loader:
            _loader.append(threading.Thread(target=_load_quietly, name="regcore-load", daemon=True))
            _loader[0].start()
    return _loader[0]


# ``load`` in a process whose priority drops before its imports
_COMPILE_ELSEWHERE = (
    "import os\n"
    "if hasattr(os, 'nice'):\n    os.nice(10)\n"
    "from regcore.solvers.kernel import load\n"
    "load()\n"
)


def _load_quietly() -> None:
    try:
        if not cached():
            subprocess.run(
                [sys.executable, "-c", _COMPILE_ELSEWHERE],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),  # has regcore/
                timeout=600,
                check=False,
            )
        load()
    except Exception:  # noqa: BLE001 - see load_in_background
        pass


def load() -> None:
    """Make the compiled ``cd_path`` ready in this process (compile it, or load it from
    numba's cache) by solving a tiny path with it."""
    X = np.arange(12.0).reshape(4, 3) ** 2 % 7
    prob = Problem.from_data(X, X[:, 0] - X[:, 1])
    path(prob, np.array([0.1, 0.01]), ElasticNetPenalty(1.0), 1e-8, python=False)


def certificates(prob: Problem, W, g, lam1, lam2, weights=None, fit=None):
    """(objective, gap, kkt) arrays for the rows of W at (λ₁, λ₂) per row, given g = c − G·w.

    ``weights`` are the penalty factors v (default all 1).  ``fit`` = (rr, ry) when the
    residuals were formed from the rows themselves (``Problem.fit_from_rows``); otherwise
    they come from the moments: rr = yy − 2cᵀw + wᵀGw.  ``kkt`` is the largest violation
    of the optimality conditions in units of ∂P/∂w.

    The one gap of both solvers (the active-set search's ``enet.certificate`` too): its dual
    point scales the residual by κ over the pure-L1 features only and charges the L2 part
    through its conjugate, so it holds feature by feature with penalty factors, unpenalised
    features (left out of κ: their gradient is 0 at a solution) included.  The form it
    replaced scaled g − λ₂w by one κ over every feature: one weight for all features, and
    κ = 0 at an unpenalised one.
    """
    v = np.ones(prob.p) if weights is None else weights
    h = (np.asarray(lam1, dtype=float) / 2)[:, None] * v
    L = np.asarray(lam2, dtype=float)[:, None] * v
    rr, ry = prob.fit_from_moments(W, g) if fit is None else fit
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
