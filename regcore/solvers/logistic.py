r"""Logistic lasso, ridge and elastic net along a λ path: proximal Newton in numba.

Objective, on standardised columns Xs (training mean, 1/n standard deviation; n rows),
y ∈ {0, 1}, linear predictor η = b + Xs·w, penalty factors v_j ≥ 0:

    P(b, w) = (1/n)·Σᵢ [log(1 + e^ηᵢ) − yᵢ·ηᵢ]  +  Σ_j (h_j·|w_j| + l_j·w_j²),
    h_j = v_j·λα,   l_j = v_j·λ(1 − α),

the intercept b unpenalised.  With p = σ(η) and the negative gradient g = Xsᵀ(y − p)/n,
optimality (KKT) is Σ(y − p) = 0 and

    g_j − 2l_j·w_j = h_j·sign(w_j)   where w_j ≠ 0,        |g_j| ≤ h_j   where w_j = 0.

λ_max: at w = 0 the intercept alone fits, p = ȳ, so every w_j = 0 is optimal while
λα·v_j ≥ |xs_jᵀ(y − ȳ)|/n: λ_max = max_j |xs_jᵀ(y − ȳ)| / (n·α·v_j) — no factor 2, as the
log-loss has none (the squared error's gradient (2/n)Xᵀr has one).

Duality gap (Fenchel).  The log-loss's conjugate is the negative binary entropy: for
s = u + y ∈ [0, 1], sup_η uη − [log(1 + e^η) − yη] = s·log s + (1 − s)·log(1 − s).  The
dual point is u = κ·(p − y), i.e. sᵢ = yᵢ + κ(pᵢ − yᵢ) ∈ [0, 1], scaled by
κ = min(1, min_j h_j/|g_j|) over the pure-L1 features (l_j = 0 < h_j), and

    D = (1/n)·Σᵢ H(sᵢ) − Σ_{l_j>0} (κ|g_j| − h_j)₊² / (4·l_j),   H(s) = −s·log s − (1 − s)·log(1 − s),
    gap = P(b, w) − D  ≥  P(b, w) − min P.

It bounds the suboptimality when Σᵢ uᵢ = 0 (the intercept's optimality) and g_j = 0 for
the unpenalised features (v_j = 0): those constraints are equalities no scaling meets, so
the solver keeps the intercept and those features in every step and drives them to rounding
level: the gap reported is the larger of the duality gap and their largest |g_j|.
``converged`` means gap ≤ tol·P₀ with P₀ the objective of the all-zero model with
its best intercept, the entropy H(ȳ) (≤ log 2), or log 2 without an intercept.

Method (glmnet's IRLS as a proximal Newton method), per λ of a decreasing grid,
warm-started from the previous λ:
1. Working set: the previous support, the unpenalised features and the strong rule's
   survivors |g_j(λ_prev)| ≥ v_j·α·(2λ − λ_prev).
2. Newton steps on the working set (``newton``): the log-loss replaced by its quadratic
   model at the current η — weights ωᵢ = pᵢ(1 − pᵢ), working residual y − p — minimised
   with the penalty by coordinate descent (``weighted_cd``, the one weighted routine),
   then a backtracking line search on the true objective so that no step increases it.
   Until the working set's own gap meets the target.
3. The full gradient: features outside the set that violate |g_j| ≤ h_j join (the worst
   first) and 2-3 repeat.

Separable data: the training loss can go to 0 as λ → 0 and the weights to infinity.  The
path stops (glmnet's rule) at the first λ whose fit explains 99.9 % of the null deviance,
and says so in ``notes``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from regcore.penalties import lambda_max_of

MAX_NEWTON = 200  # Newton steps per call of ``newton``
MAX_EPOCHS = 50  # coordinate-descent epochs per Newton step
INNER_REL = 1e-2  # a Newton step's descent stops at this fraction of its first sweep's moves
INNER_ABS = 1e-3  # … or at this fraction of the gap target
NEWTON_FIRST = 3  # Newton steps by coordinate descent before the exact steps on the support
EXACT_STEPS = 50
EXACT_ROUNDS = 4  # rounds of (descent, exact steps) per working set
MAX_OUTER = 100  # working-set rounds per λ
SEPARATED = 1e-3  # the path stops once the training loss is below this fraction of P₀
LINE_SEARCH_HALVINGS = 40
ROUNDING = 1e-13  # relative change of the objective below which its values cannot judge a step


@njit(nogil=True, cache=True)
def weighted_cd(
    X, omega, q, w, b, ws, a, h, l2, fit_intercept, tol, rel, max_epochs
):  # pragma: no cover
    """Coordinate descent on a row-weighted least-squares problem plus the penalty:

        minimise over w_ws, b:  (1/(2n))·Σᵢ ωᵢ·(zᵢ − b − xᵢᵀw)² + Σ_{j∈ws} (h_j|w_j| + l2_j·w_j²),

    given through the weighted residual q = ω∘(z − b − Xw), kept current (updated in place
    with w and b[0]).  a_j = (1/n)·Σᵢ ωᵢ·x_ij² for j in ws.  As glmnet: a sweep over ws, then
    sweeps over its non-zero coordinates until they settle, then a sweep over ws again, until
    a sweep over ws moves no coordinate by more than max(tol, rel × the first sweep's largest
    move) in the metric (a_j + 2l2_j)·Δ², or after max_epochs sweeps.  Returns the sweeps run.
    """
    n = X.shape[0]
    wsum = 0.0
    for i in range(n):
        wsum += omega[i]
    epochs = 0
    stop = -1.0
    while epochs < max_epochs:
        biggest = _sweep(X, omega, q, w, b, ws, a, h, l2, fit_intercept, wsum, False)
        epochs += 1
        if stop < 0.0:
            stop = max(tol, rel * biggest)
        if biggest <= stop:
            break
        while epochs < max_epochs:
            epochs += 1
            if _sweep(X, omega, q, w, b, ws, a, h, l2, fit_intercept, wsum, True) <= stop:
                break
    return epochs


@njit(nogil=True, cache=True)
def _sweep(X, omega, q, w, b, ws, a, h, l2, fit_intercept, wsum, nonzero_only):  # pragma: no cover
    """One cyclic pass of ``weighted_cd`` (its non-zero coordinates only, if asked) and the
    intercept; returns the largest move (a_j + 2l2_j)·Δ²."""
    n = X.shape[0]
    biggest = 0.0
    for k in range(ws.size):
        j = ws[k]
        d = a[k] + 2.0 * l2[j]
        if d <= 0.0 or (nonzero_only and w[j] == 0.0):
            continue
        u = 0.0
        for i in range(n):
            u += X[i, j] * q[i]
        u = u / n + a[k] * w[j]
        if u > h[j]:
            new = (u - h[j]) / d
        elif u < -h[j]:
            new = (u + h[j]) / d
        else:
            new = 0.0
        delta = new - w[j]
        if delta != 0.0:
            for i in range(n):
                q[i] -= omega[i] * X[i, j] * delta
            w[j] = new
            biggest = max(biggest, d * delta * delta)
    if fit_intercept and wsum > 0.0:
        s = 0.0
        for i in range(n):
            s += q[i]
        delta = s / wsum
        for i in range(n):
            q[i] -= omega[i] * delta
        b[0] += delta
        biggest = max(biggest, wsum / n * delta * delta)
    return biggest


@njit(nogil=True, cache=True)
def _loss_at(eta, y):  # pragma: no cover - compiled
    """(1/n)·Σ log(1 + e^η) − yη, without overflow."""
    total = 0.0
    for i in range(eta.size):
        e = eta[i]
        if e > 0.0:
            total += e + math.log1p(math.exp(-e)) - y[i] * e
        else:
            total += math.log1p(math.exp(e)) - y[i] * e
    return total / eta.size


@njit(nogil=True, cache=True)
def gap_of(X, y, eta, w, h, l2, cols, g):  # pragma: no cover - compiled
    """(objective, duality gap) at (b, w) with linear predictor η, over the features ``cols``
    (the module docstring's certificate restricted to them; all features for the full one).
    The gap reported is the larger of the duality gap and the unpenalised features' largest
    |g_j| (their dual constraint g_j = 0, which the gap alone does not see).
    ``g`` receives g_j = xs_jᵀ(y − p)/n for j in cols (in place, indexed like cols)."""
    n = X.shape[0]
    r = np.empty(n)
    for i in range(n):
        r[i] = y[i] - 1.0 / (1.0 + math.exp(-eta[i]))
    pen = 0.0
    kappa = 1.0
    free = 0.0
    for k in range(cols.size):
        j = cols[k]
        s = 0.0
        for i in range(n):
            s += X[i, j] * r[i]
        g[k] = s / n
        pen += h[j] * abs(w[j]) + l2[j] * w[j] * w[j]
        if h[j] == 0.0 and l2[j] == 0.0:
            free = max(free, abs(g[k]))
        if l2[j] == 0.0 and h[j] > 0.0 and abs(g[k]) > h[j]:
            kappa = min(kappa, h[j] / abs(g[k]))
    conj = 0.0
    for k in range(cols.size):
        j = cols[k]
        if l2[j] > 0.0:
            excess = kappa * abs(g[k]) - h[j]
            if excess > 0.0:
                conj += excess * excess / (4.0 * l2[j])
    entropy = 0.0
    for i in range(n):
        s = y[i] - kappa * r[i]
        if 0.0 < s < 1.0:
            entropy -= s * math.log(s) + (1.0 - s) * math.log1p(-s)
    objective = _loss_at(eta, y) + pen
    return objective, max(objective - (entropy / n - conj), free)


@njit(nogil=True, cache=True)
def refit_intercept(y, eta, b):  # pragma: no cover - compiled
    """The intercept's own optimality, Σᵢ(yᵢ − pᵢ) = 0, by Newton on b alone (b[0] and η in
    place): the certificate's dual point needs it exactly, and a damped or inexact step
    leaves it at the step's error.  Never increases the objective (a convex 1-D problem
    started near its minimum; a step is halved while it overshoots)."""
    n = eta.size
    for _ in range(50):
        s = 0.0
        hs = 0.0
        for i in range(n):
            p = 1.0 / (1.0 + math.exp(-eta[i]))
            s += y[i] - p
            hs += p * (1.0 - p)
        if hs <= 0.0:
            return
        delta = s / hs
        if abs(delta) <= 1e-16 * (1.0 + abs(b[0])):
            return
        if abs(delta) > 1.0:
            delta = math.copysign(1.0, delta)
        b[0] += delta
        for i in range(n):
            eta[i] += delta


@njit(nogil=True, cache=True)
def newton(X, y, w, b, eta, ws, h, l2, fit_intercept, target, max_newton):  # pragma: no cover
    """Proximal Newton steps on the working set ``ws`` (w, b[0], η updated in place) until
    the working set's gap is ≤ target.  Returns (Newton steps, the working set's gap)."""
    n = X.shape[0]
    k = ws.size
    omega = np.empty(n)
    q = np.empty(n)
    a = np.empty(k)
    g = np.empty(k)
    w_old = np.empty(k)
    deta = np.empty(n)
    trial = np.empty(n)
    objective, gap = gap_of(X, y, eta, w, h, l2, ws, g)
    step = 0
    for step in range(1, max_newton + 1):
        if gap <= target:
            return step - 1, gap
        for i in range(n):
            p = 1.0 / (1.0 + math.exp(-eta[i]))
            omega[i] = max(p * (1.0 - p), 1e-300)
            q[i] = y[i] - p
        for t in range(k):
            j = ws[t]
            s = 0.0
            for i in range(n):
                s += omega[i] * X[i, j] * X[i, j]
            a[t] = s / n
            w_old[t] = w[j]
        b_old = b[0]
        # the model solved to a fraction of its first sweep's moves (a forcing term, so the
        # steps stay Newton steps as they shrink), and at least to the target's scale
        weighted_cd(
            X,
            omega,
            q,
            w,
            b,
            ws,
            a,
            h,
            l2,
            fit_intercept,
            INNER_ABS * target,
            INNER_REL,
            MAX_EPOCHS,
        )
        # direction d = (w − w_old, b − b_old); Δη = b-part + X·d; predicted decrease of the
        # objective for the whole step: ∇ᵀd + penalty(new) − penalty(old)
        db = b[0] - b_old
        for i in range(n):
            deta[i] = db
        decrease = 0.0
        moved = db != 0.0
        for t in range(k):
            j = ws[t]
            d = w[j] - w_old[t]
            if d != 0.0:
                moved = True
                for i in range(n):
                    deta[i] += X[i, j] * d
            decrease += h[j] * (abs(w[j]) - abs(w_old[t])) + l2[j] * (
                w[j] * w[j] - w_old[t] * w_old[t]
            )
        for i in range(n):
            p = 1.0 / (1.0 + math.exp(-eta[i]))
            decrease += (p - y[i]) * deta[i] / n
        if not moved:  # the model's minimiser is the current point: rounding level reached
            break
        # backtracking on the true objective: the step never increases it (a step whose
        # predicted change is below the objective's rounding is taken whole: the values
        # cannot judge it, and the quadratic model is exact at that scale)
        tiny = -decrease <= ROUNDING * objective
        scale = 1.0
        accepted = False
        for _ in range(LINE_SEARCH_HALVINGS):
            for i in range(n):
                trial[i] = eta[i] + scale * deta[i]
            pen = 0.0
            for t in range(k):
                j = ws[t]
                wj = w_old[t] + scale * (w[j] - w_old[t])
                pen += h[j] * abs(wj) + l2[j] * wj * wj
            value = _loss_at(trial, y) + pen
            if value <= objective + 0.25 * scale * min(decrease, 0.0) or tiny:
                accepted = True
                break
            scale *= 0.5
        if not accepted:
            scale = 0.0
        for t in range(k):
            j = ws[t]
            w[j] = w_old[t] + scale * (w[j] - w_old[t])
        b[0] = b_old + scale * db
        for i in range(n):
            eta[i] += scale * deta[i]
        if fit_intercept:
            refit_intercept(y, eta, b)
        objective, gap = gap_of(X, y, eta, w, h, l2, ws, g)
        if not accepted:
            break
    return step, gap


def exact_newton(Xs, y, w, b, eta, ws, h, l2, fit_intercept, target) -> int:
    """Newton steps on the support of w within ``ws`` with its signs held (w, b, η in place):
    there the penalty is smooth, h·s·w + l2·w², and the step solves the Hessian system
    (H_AA + 2·diag(l2_A))·δ = −∇ exactly (least squares if singular), with the intercept as
    one more unknown; the same backtracking as ``newton``.  Until the working set's gap is
    ≤ target (quadratic convergence once the support is right).  Returns the steps taken."""
    n = Xs.shape[0]
    g = np.empty(ws.size)
    objective, gap = gap_of(Xs, y, eta, w, h, l2, ws, g)
    step = 0
    for step in range(1, EXACT_STEPS + 1):
        if gap <= target:
            return step - 1
        A = ws[(w[ws] != 0) | (h[ws] == 0)]
        Z = np.empty((n, A.size + fit_intercept))  # the support's columns, then the intercept's
        Z[:, : A.size] = Xs[:, A]
        if fit_intercept:
            Z[:, -1] = 1.0
        p = sigmoid(eta)
        pen = np.zeros(Z.shape[1])
        pen[: A.size] = h[A] * np.sign(w[A]) + 2.0 * l2[A] * w[A]
        grad = pen - Z.T @ (y - p) / n
        H = (Z.T * (p * (1.0 - p))) @ Z / n
        H[np.arange(A.size), np.arange(A.size)] += 2.0 * l2[A]
        XA = Z[:, : A.size]
        # least squares: one-hot columns beside the intercept make H singular (the step is
        # then the least-norm one, within the span the objective sees)
        delta = -np.linalg.lstsq(H, grad, rcond=None)[0]
        dw, db = delta[: A.size], (delta[A.size] if fit_intercept else 0.0)
        scale, w_old, b_old, eta_old = 1.0, w[A].copy(), b[0], eta.copy()
        tiny = -(grad @ delta) <= ROUNDING * objective  # as in ``newton``
        held = h[A] > 0
        for _ in range(LINE_SEARCH_HALVINGS):
            trial = w_old + scale * dw
            trial[held & (np.sign(trial) != np.sign(w_old))] = 0.0  # no sign crosses: 0 instead
            w[A] = trial
            b[0] = b_old + scale * db
            eta[:] = eta_old + XA @ (trial - w_old) + scale * db
            if fit_intercept:
                refit_intercept(y, eta, b)
            new, new_gap = gap_of(Xs, y, eta, w, h, l2, ws, g)
            if new <= objective + 0.25 * scale * (grad @ delta) or (tiny and new_gap < gap):
                break
            scale *= 0.5
        else:
            w[A], b[0], eta[:] = w_old, b_old, eta_old
            return step
        objective, gap = new, new_gap
    return step


def null_objective(y: np.ndarray, fit_intercept: bool) -> float:
    """P₀: the objective of the all-zero model with its best intercept (the entropy H(ȳ))."""
    if not fit_intercept:
        return math.log(2.0)
    m = float(y.mean())
    return -(m * math.log(m) + (1.0 - m) * math.log1p(-m))


def start(Xs: np.ndarray, y: np.ndarray, v: np.ndarray, fit_intercept: bool, tol: float):
    """(w, b, η, g) of the all-penalised-zero model: the intercept and the unpenalised
    features fitted by Newton, g = Xsᵀ(y − p)/n at that fit."""
    n, p = Xs.shape
    w = np.zeros(p)
    ybar = float(y.mean())
    b = np.array([math.log(ybar / (1.0 - ybar)) if fit_intercept else 0.0])
    eta = np.full(n, b[0])
    free = np.flatnonzero(v == 0).astype(np.intp)
    zeros = np.zeros(p)
    if free.size:
        newton(Xs, y, w, b, eta, free, zeros, zeros, fit_intercept, tol, MAX_NEWTON)
    g = Xs.T @ (y - sigmoid(eta)) / n
    return w, b, eta, g


def sigmoid(eta):
    """σ(η) = 1/(1 + e^−η) elementwise, without overflow and with full relative precision
    in both tails."""
    eta = np.asarray(eta, dtype=float)
    e = np.exp(-np.abs(eta))
    return np.where(eta >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def lambda_max(g: np.ndarray, alpha: float, v: np.ndarray | None) -> float:
    """max_j |g_j| / (α·v_j) over the penalised features, g = Xsᵀ(y − p)/n at the start fit:
    the squared error's formula (``lambda_max_of``, which doubles its half-gradient) at g/2."""
    return lambda_max_of(np.asarray(g) / 2.0, alpha, v)


def path(
    Xs: np.ndarray,
    y: np.ndarray,
    grid: np.ndarray,
    alpha: float,
    tol: float,
    v: np.ndarray,
    fit_intercept: bool,
    stop_separated: bool = True,
    warm: tuple[np.ndarray, float] | None = None,
):
    """The path on standardised columns Xs (Fortran order) along a decreasing grid, from
    the all-penalised-zero model or from ``warm`` = (w, b).

    Returns (W, b, objective, gap, kkt, n_iter, n_done): rows past n_done were not solved
    (the path stopped on separated data, see the module docstring).
    """
    n, p = Xs.shape
    k = grid.size
    W = np.zeros((k, p))
    B = np.zeros(k)
    objective, gap, kkt = np.zeros(k), np.full(k, np.inf), np.full(k, np.inf)
    n_iter = np.zeros(k, dtype=int)
    p0 = null_objective(y, fit_intercept)
    target = tol * p0
    if warm is None:
        w, b, eta, g = start(Xs, y, v, fit_intercept, 0.01 * target)
        lam_prev = lambda_max(g, alpha, v) if alpha > 0 else grid[0]
    else:
        w, b = warm[0].copy(), np.array([float(warm[1])])
        eta = b[0] + Xs @ w
        g = Xs.T @ (y - sigmoid(eta)) / n
        lam_prev = grid[0]
    free = v == 0
    all_cols = np.arange(p, dtype=np.intp)
    g_all = np.empty(p)
    done = 0
    for i, lam in enumerate(grid):
        h, l2 = lam * alpha * v, lam * (1.0 - alpha) * v
        strong = np.abs(g) >= v * alpha * (2.0 * lam - lam_prev)
        in_ws = (w != 0) | free | strong
        for _ in range(MAX_OUTER):
            ws = np.flatnonzero(in_ws).astype(np.intp)
            for _ in range(EXACT_ROUNDS):
                steps, ws_gap = newton(
                    Xs, y, w, b, eta, ws, h, l2, fit_intercept, 0.5 * target, NEWTON_FIRST
                )
                n_iter[i] += steps
                if ws_gap <= 0.5 * target:
                    break
                # slow descent (correlated columns): Newton's exact steps on the support
                n_iter[i] += exact_newton(Xs, y, w, b, eta, ws, h, l2, fit_intercept, 0.5 * target)
            objective[i], gap[i] = gap_of(Xs, y, eta, w, h, l2, all_cols, g_all)
            viol = ~in_ws & (np.abs(g_all) > h * (1.0 + 1e-12))
            if not viol.any():  # features outside hold no gap: the working set's is the whole's
                break
            worst = np.flatnonzero(viol)
            worst = worst[np.argsort(-np.abs(g_all[worst]))[: max(10, ws.size)]]
            in_ws[worst] = True
        g = g_all.copy()
        kkt[i] = kkt_violation(g, w, h, l2)
        W[i], B[i] = w, b[0]
        lam_prev = lam
        done = i + 1
        if stop_separated and _loss(eta, y) <= SEPARATED * p0:
            break
    return W, B, objective, gap, kkt, n_iter, done


def _loss(eta, y) -> float:
    return float(_loss_at(eta, y))


def kkt_violation(g: np.ndarray, w: np.ndarray, h: np.ndarray, l2: np.ndarray) -> float:
    """The largest distance of −∇ from the penalty's subdifferential (0 at the optimum)."""
    resid = g - 2.0 * l2 * w
    nz = w != 0
    dist = np.where(nz, np.abs(resid - h * np.sign(w)), np.maximum(np.abs(resid) - h, 0.0))
    return float(dist.max(initial=0.0))
