r"""The exact lasso path by homotopy (LARS with drops) in Gram mode, read off at the grid.

With h = λ/2, on an active set A with signs s the lasso solution is affine in h,

    w_A(h) = u − h·d,        u = G_AA⁻¹·c_A,   d = G_AA⁻¹·s_A,

and so are the correlations g(h) = c − G[:, A]·w_A(h) = q + h·a, with q = c − G[:, A]·u and
a = G[:, A]·d.  The set holds while every active w_j keeps its sign and every inactive
|g_j(h)| ≤ h.  Going down in h, the first place where one of these fails is the next kink:

    an inactive j joins at   h = q_j / (1 − a_j)   or   h = −q_j / (1 + a_j),
    an active j leaves at    h = u_j / d_j,

and every grid point between two kinks is read off the affine formula.  The cost is two
p×p products and an O(|A|²) update of G_AA⁻¹ per kink, whatever the number of grid points:
on small and tall problems the path has few kinks and this beats solving λ by λ.

The answer is a proposal, not a verdict: ``fit_path`` certifies every grid point with its
duality gap and solves again any point that misses the target.  Ties (two columns joining
at once) are taken one after the other at the same h; a column dependent on the active
ones stops the homotopy there (the path is no longer unique), and so does running past
a budget of kinks: it says how far it got, and the one-λ search solves the rest.
"""

from __future__ import annotations

import numpy as np

from regcore.solvers import enet
from regcore.solvers.factor import ActiveInverse
from regcore.solvers.problem import Problem

SAME_H = 1e-9  # relative: a kink this close to the current h happens at h (a tie)
RECROSS = 1e-6  # relative: a column that just left (joined) does not rejoin (leave) this close
# below h; its root there is the one it just crossed, moved by rounding in an ill-conditioned block


def lasso_path(
    prob: Problem, lambdas: np.ndarray, max_kinks: int | None = None
) -> tuple[np.ndarray, np.ndarray, int]:
    """(W, kinks, done) for a decreasing grid of λ > 0 on a Gram-mode problem.

    W holds the solution at each grid point (rows), ``kinks[i]`` the kinks crossed since
    the previous point, and ``done`` how many leading grid points are filled: fewer than
    the grid when the budget of kinks (default 4p + 50) ran out.
    """
    G, c, p = prob.G, prob.c, prob.p
    hs = np.asarray(lambdas, dtype=float) / 2.0
    k = hs.size
    W = np.zeros((k, p))
    kinks = np.zeros(k, dtype=int)
    out = prob.diag() <= 0  # constant columns never enter
    absc = np.where(out, 0.0, np.abs(c))
    h = float(absc.max(initial=0.0))
    i = _reached(hs, h)  # grid points at or above λ_max: all zero
    if h == 0.0 or i == k:
        return W, kinks, k
    budget = 4 * p + 50 if max_kinks is None else max_kinks
    h_top = h
    inv = ActiveInverse(prob, 0.0)
    first = int(np.argmax(absc))
    inv.add(first)
    signs = np.array([np.sign(c[first])])
    fresh, gone = {first}, set()  # joined / left at the current h: no immediate reversal
    since = count = 0
    rebuilt = False
    u_full, d_full = np.zeros(p), np.zeros(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        while i < k:
            A = inv.idx
            M = inv.inv
            u, d = M @ c[A], M @ signs  # two products: BLAS is slow at a width of 2
            u_full[A], d_full[A] = u, d
            q, a = c - G @ u_full, G @ d_full
            u_full[A], d_full[A] = 0.0, 0.0
            if not rebuilt and np.max(np.abs(q[A] + h * (a[A] - signs))) > 1e-9 * h_top:
                inv.rebuild(A)  # the updated inverse has drifted: invert the block afresh
                rebuilt = True
                continue
            rebuilt = False
            h_next, join, leave = _next_kink(q, a, u, d, A, out, h, fresh, gone)
            if h_next <= hs[-1]:  # no kink left above the grid's end
                W[i:, A] = u[None, :] - hs[i:, None] * d[None, :]
                kinks[i] = since
                return W, kinks, k
            stop = _reached(hs, h_next)
            if stop > i:
                W[i:stop, A] = u[None, :] - hs[i:stop, None] * d[None, :]
                kinks[i] = since
                since = 0
                i = stop
            if h_next < h * (1 - SAME_H):
                fresh, gone = set(), set()
            h = h_next
            since += 1
            count += 1
            if join >= 0:
                if not inv.add(join):
                    # a combination of the active columns (G is singular there): the path is
                    # no longer unique, and which columns carry it can change; the one-λ
                    # search, which handles that, takes over from here
                    return W, kinks, i
                signs = np.append(signs, 1.0 if q[join] + h * a[join] > 0 else -1.0)
                fresh.add(join)
            else:
                signs = signs[inv.keep(A != leave)]
                gone.add(leave)
            if count >= budget or inv.idx.size == 0:
                return W, kinks, i
    return W, kinks, k


def _reached(hs: np.ndarray, h: float) -> int:
    """How many points of the decreasing grid hs lie at or above h."""
    return int(np.searchsorted(-hs, -h, side="right"))


def _next_kink(q, a, u, d, A, out, h, fresh, gone) -> tuple[float, int, int]:
    """(h of the next kink, the column joining or −1, the column leaving or −1).

    Candidates are the roots in (0, h]; anything else counts as −1, no kink.  Call under
    ``np.errstate(divide="ignore", invalid="ignore")``: 0/0 and x/0 are simply not roots.
    """
    ceiling, near = h * (1 + SAME_H), h * (1 - RECROSS)
    up = q / (1.0 - a)  # g_j reaches +h
    down = -q / (1.0 + a)  # g_j reaches −h
    up[~(up < ceiling)] = -1.0
    down[~(down < ceiling)] = -1.0
    for j in gone:  # a column that just left sits on one bound: it may not join there at once
        if up[j] >= near:
            up[j] = -1.0
        if down[j] >= near:
            down[j] = -1.0
    t_join = np.maximum(up, down)
    t_join[A] = -1.0
    t_join[out] = -1.0
    t_leave = u / d
    t_leave[~(t_leave < ceiling)] = -1.0
    if fresh:
        for pos in np.flatnonzero(t_leave >= near):
            if int(A[pos]) in fresh:
                t_leave[pos] = -1.0
    j = int(t_join.argmax())
    r = int(t_leave.argmax())
    tj, tl = float(t_join[j]), float(t_leave[r])
    if tj <= 0.0 and tl <= 0.0:
        return 0.0, -1, -1
    if tj >= tl:
        return min(tj, h), j, -1
    return min(tl, h), -1, int(A[r])


def enet_path(prob: Problem, lambdas: np.ndarray, alpha: float, tol: float, searcher=None):
    r"""(W, g, n_iter, settled, finished) for a decreasing grid of λ > 0 on a Gram-mode problem.

    The elastic net is not piecewise linear in λ, but on a fixed active set A with signs s
    it has a closed form for every λ at once: with G_AA = Q·diag(e)·Qᵀ,

        w_A(λ) = Q · (Qᵀc_A − (λα/2)·Qᵀs) / (e + λ(1 − α)).

    So each grid point that ``enet.search_point`` (the one-λ active-set search, finished
    by ``enet.solve`` when it does not settle; ``searcher`` replaces the search) solves gives the set,
    the set's closed form is evaluated on the following grid points in one pass, and the
    points where it keeps its signs and no inactive column violates |g_j| ≤ λα/2 are taken
    as they are.  At the first point where it fails, the columns that lost their sign leave
    and the violators join with the sign of their correlation, and the new set's closed
    form is tried from that point on; only when that fails at the point itself does the
    point go back to ``search``.  The cost is one small eigen-decomposition per change of
    the active set on the grid, and a search now and then.
    """
    G, c, p = prob.G, prob.c, prob.p
    k = lambdas.size
    W, g = np.zeros((k, p)), np.zeros((k, p))
    n_iter = np.zeros(k, dtype=int)
    settled = np.ones(k, dtype=bool)
    finished = np.zeros(k, dtype=bool)
    h_all, l2_all = lambdas * alpha / 2, lambdas * (1 - alpha)
    slack = 1e-11 * h_all + 1e-13 * (h_all + np.sqrt(max(prob.yy, 0.0)))
    w, factor = np.zeros(p), None
    A = s = None  # a set to try at point i before searching there
    i = 0
    while i < k:
        if A is None:
            step = enet.search_point(prob, 2 * h_all[i], l2_all[i], w, factor, tol, searcher)
            w, factor = step.w, step.factor
            W[i], g[i], n_iter[i], settled[i], finished[i] = (
                w,
                step.g,
                step.n_iter,
                step.settled,
                step.finished,
            )
            i += 1
            A = np.flatnonzero(w)
            if i == k or not A.size or not step.settled:
                A = None
                continue
            s = np.sign(w[A])
            tried = False
        e, Q = np.linalg.eigh(G[A[:, None], A])
        hs, l2 = h_all[i:], l2_all[i:]
        WA = Q @ (
            ((Q.T @ c[A])[:, None] - (Q.T @ s)[:, None] * hs[None, :]) / (e[:, None] + l2[None, :])
        )
        GR = c[:, None] - G[:, A] @ WA  # p × rest
        excess = np.abs(GR) - hs[None, :] - slack[None, i:]
        excess[A] = -1.0
        kept = s[:, None] * WA > 0
        ok = kept.all(axis=0) & (excess <= 0).all(axis=0)
        t = int(np.argmin(ok)) if not ok.all() else ok.size
        if t:
            W[i : i + t, A] = WA[:, :t].T
            g[i : i + t] = GR[:, :t].T
            w = W[i + t - 1].copy()
            factor = None  # the search's inverse was for λ₂ at the step's point
            i += t
        if i == k or (tried and not t):
            A = None  # the updated set failed at its first point: search there
            continue
        # at point i the set fails: the columns that lost their sign leave, violators join
        joins = np.flatnonzero(excess[:, t] > 0)
        stay = kept[:, t]
        A = np.concatenate([A[stay], joins])
        s = np.concatenate([s[stay], np.sign(GR[joins, t])])
        tried = True
        if not A.size:
            A = None
    return W, g, n_iter, settled, finished
