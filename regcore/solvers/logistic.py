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
   model at the current η — weights ωᵢ = pᵢ(1 − pᵢ), working response η + (y − p)/ω —
   minimised with the penalty by the one row-weighted coordinate descent,
   ``kernel.weighted_cd``, on XT (the standardised columns as rows, then a row of ones:
   the intercept is one more, unpenalised, coordinate), then a backtracking line search
   on the true objective so that no step increases it;
   the intercept is then refitted exactly (the dual point needs Σ(y − p) = 0).  Until a
   step leaves every sign as it was (the support has settled): then Newton's exact steps
   on the support with its signs held (``exact_newton``: the Hessian system solved by
   least squares), which converge quadratically where coordinate descent would crawl
   (correlated or one-hot columns).  Descent and exact steps alternate until the working
   set's own gap meets the target.
3. The full gradient: features outside the set that violate |g_j| ≤ h_j join (the worst
   first) and 2-3 repeat.

Separable data: the training loss can go to 0 as λ → 0 and the weights to infinity.  The
path stops (glmnet's rule) at the first λ whose fit explains 99.9 % of the null deviance,
and says so in ``notes``.
"""

from __future__ import annotations

import math

import numpy as np

from regcore.penalties import lambda_max_of
from regcore.solvers.kernel import compiled, weighted_cd

MAX_NEWTON = 200  # Newton steps per call of ``newton``
MAX_EPOCHS = 50  # coordinate-descent sweeps per Newton step
INNER_REL = 1e-2  # a Newton step's descent stops at this fraction of its first sweep's size
INNER_ABS = 1e-3  # … or at this fraction of the gap target
NEWTON_FIRST = 3  # Newton steps by coordinate descent before the exact steps on the support
EXACT_STEPS = 50
EXACT_ROUNDS = 4  # rounds of (descent, exact steps) per working set
MAX_OUTER = 100  # working-set rounds per λ
SEPARATED = 1e-3  # the path stops once the training loss is below this fraction of P₀
LINE_SEARCH_HALVINGS = 40
ROUNDING = 1e-13  # relative change of the objective below which its values cannot judge a step


# compiled code below writes max/min of two floats as a conditional: each builtin max/min
# signature is one more function for numba to compile on a cold start


@compiled
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


@compiled
def gap_of(XT, y, eta, w, h, l2, cols, g, r):  # pragma: no cover - compiled
    """(objective, duality gap) at w with linear predictor η, over the coordinates ``cols``
    (the module docstring's certificate restricted to them; all of them for the full one).
    The gap reported is the larger of the duality gap and the unpenalised coordinates'
    largest |g_j| (the intercept's and the free features' constraint g_j = 0, which the gap
    alone does not see).  ``g`` receives g_j = x_jᵀ(y − p)/n for j in cols (in place);
    ``r`` (n) is work space."""
    n = y.size
    for i in range(n):
        r[i] = y[i] - 1.0 / (1.0 + math.exp(-eta[i]))
    pen = 0.0
    kappa = 1.0
    free = 0.0
    for k in range(cols.size):
        j = cols[k]
        x = XT[j]
        s = 0.0
        for i in range(n):
            s += x[i] * r[i]
        g[j] = s / n
        pen += h[j] * abs(w[j]) + l2[j] * w[j] * w[j]
        if h[j] == 0.0 and l2[j] == 0.0 and abs(g[j]) > free:
            free = abs(g[j])
        if l2[j] == 0.0 and h[j] > 0.0 and abs(g[j]) * kappa > h[j]:
            kappa = h[j] / abs(g[j])
    conj = 0.0
    for k in range(cols.size):
        j = cols[k]
        if l2[j] > 0.0:
            excess = kappa * abs(g[j]) - h[j]
            if excess > 0.0:
                conj += excess * excess / (4.0 * l2[j])
    entropy = 0.0
    for i in range(n):
        s = y[i] - kappa * r[i]
        if 0.0 < s < 1.0:
            entropy -= s * math.log(s) + (1.0 - s) * math.log1p(-s)
    objective = _loss_at(eta, y) + pen
    gap = objective - (entropy / n - conj)
    return objective, gap if gap > free else free


@compiled
def refit_intercept(y, eta, w):  # pragma: no cover - compiled
    """The intercept's own optimality, Σᵢ(yᵢ − pᵢ) = 0, by Newton on b = w[-1] alone (w[-1]
    and η in place): the certificate's dual point needs it exactly, and a damped or inexact
    step leaves it at the step's error.  Never increases the objective (a convex 1-D problem
    started near its minimum; a step is capped at 1 while it overshoots)."""
    n = eta.size
    b = w.size - 1
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
        if abs(delta) <= 1e-16 * (1.0 + abs(w[b])):
            return
        if abs(delta) > 1.0:
            delta = math.copysign(1.0, delta)
        w[b] += delta
        for i in range(n):
            eta[i] += delta


@compiled
def _model_cd(XT, omega, r, c0, w, ws, h, l2k, d, supp, tol, rel):  # pragma: no cover
    """The quadratic model of one Newton step minimised by ``kernel.weighted_cd`` (glmnet's
    order): a sweep over ws, then sweeps over its non-zero coordinates until they settle,
    then a sweep over ws again, until a sweep over ws has size ≤ max(tol, rel × the first
    sweep's size), or after MAX_EPOCHS sweeps.  ``supp`` (≥ ws.size indices) is work space."""
    m = ws.size
    epochs = 1
    moved = weighted_cd(XT, omega, r, c0, w, ws, m, h, l2k, d)
    stop = rel * moved if rel * moved > tol else tol
    while moved > stop and epochs < MAX_EPOCHS:
        nnz = np.int64(0)  # not a literal 0: one signature for weighted_cd
        for t in range(m):
            if w[ws[t]] != 0.0:
                supp[nnz] = ws[t]
                nnz += 1
        while epochs < MAX_EPOCHS:
            epochs += 1
            if weighted_cd(XT, omega, r, c0, w, supp, nnz, h, l2k, d) <= stop:
                break
        epochs += 1
        moved = weighted_cd(XT, omega, r, c0, w, ws, m, h, l2k, d)


@compiled
def newton(
    XT, y, w, eta, ws, h, l2, l2k, fit_intercept, target, max_newton, settle, N, Q, supp
):  # pragma: no cover - compiled
    """Proximal Newton steps on the working set ``ws`` (w and η updated in place) until the
    working set's gap is ≤ target, or (``settle``) once a step leaves every sign as it was:
    the support has settled and ``exact_newton`` finishes faster.  l2k = 2·l2 (the kernel's
    convention); N (5 × n) and Q (4 × len(w), Q[3] zeros) and supp (len(w)) are work space.
    Returns (Newton steps, the working set's gap)."""
    n = y.size
    k = ws.size
    omega, r, deta, trial, gres = N[0], N[1], N[2], N[3], N[4]
    d, g, w_old, c0 = Q[0], Q[1], Q[2], Q[3]
    objective, gap = gap_of(XT, y, eta, w, h, l2, ws, g, gres)
    step = 0
    for step in range(1, max_newton + 1):
        if gap <= target:
            return step - 1, gap
        # the quadratic model at η: ωᵢ = pᵢ(1 − pᵢ)/n, working residual (y − p)/(p(1 − p))
        for i in range(n):
            e = math.exp(-abs(eta[i]))
            if eta[i] >= 0.0:  # p and q = 1 − p, each to full relative precision
                p, q = 1.0 / (1.0 + e), e / (1.0 + e)
            else:
                p, q = e / (1.0 + e), 1.0 / (1.0 + e)
            curv = p * q if p * q > 1e-300 else 1e-300
            gres[i] = y[i] - p
            omega[i] = curv / n
            r[i] = (y[i] * q - (1.0 - y[i]) * p) / curv
        for t in range(k):
            j = ws[t]
            x = XT[j]
            s = 0.0
            for i in range(n):
                s += omega[i] * x[i] * x[i]
            d[j] = s
            w_old[j] = w[j]
        # the model solved to a fraction of its first sweep's size (a forcing term, so the
        # steps stay Newton steps as they shrink), and at least to the target's scale
        _model_cd(XT, omega, r, c0, w, ws, h, l2k, d, supp, INNER_ABS * target, INNER_REL)
        # direction Δw; Δη = X·Δw (the intercept is the row of ones); predicted decrease of
        # the objective for the whole step: ∇ᵀΔw + penalty(new) − penalty(old)
        for i in range(n):
            deta[i] = 0.0
        decrease = 0.0
        moved = False
        for t in range(k):
            j = ws[t]
            dw = w[j] - w_old[j]
            if dw != 0.0:
                moved = True
                x = XT[j]
                for i in range(n):
                    deta[i] += x[i] * dw
            decrease += h[j] * (abs(w[j]) - abs(w_old[j])) + l2[j] * (
                w[j] * w[j] - w_old[j] * w_old[j]
            )
        for i in range(n):
            decrease -= gres[i] * deta[i] / n
        if not moved:  # the model's minimiser is the current point: rounding level reached
            break
        # backtracking on the true objective: the step never increases it (a step whose
        # predicted change is below the objective's rounding is taken whole: the values
        # cannot judge it, and the quadratic model is exact at that scale)
        tiny = -decrease <= ROUNDING * objective
        scale = 1.0
        accepted = False
        descent = decrease if decrease < 0.0 else 0.0
        for _ in range(LINE_SEARCH_HALVINGS):
            for i in range(n):
                trial[i] = eta[i] + scale * deta[i]
            pen = 0.0
            for t in range(k):
                j = ws[t]
                wj = w_old[j] + scale * (w[j] - w_old[j])
                pen += h[j] * abs(wj) + l2[j] * wj * wj
            value = _loss_at(trial, y) + pen
            if value <= objective + 0.25 * scale * descent or tiny:
                accepted = True
                break
            scale *= 0.5
        if not accepted:
            scale = 0.0
        flipped = False
        for t in range(k):
            j = ws[t]
            w[j] = w_old[j] + scale * (w[j] - w_old[j])
            flipped = (
                flipped or (w[j] > 0.0) != (w_old[j] > 0.0) or (w[j] < 0.0) != (w_old[j] < 0.0)
            )
        for i in range(n):
            eta[i] += scale * deta[i]
        if fit_intercept:
            refit_intercept(y, eta, w)
        objective, gap = gap_of(XT, y, eta, w, h, l2, ws, g, gres)
        if not accepted or (settle and not flipped):
            break
    return step, gap


def workspace(n: int, m: int):
    """The buffers ``newton`` works in: (N, Q, supp) = floats 5 × n, floats 4 × m (zeros),
    indices m, for n rows and m coordinates (the features, then the intercept if fitted)."""
    return np.zeros((5, n)), np.zeros((4, m)), np.zeros(m, dtype=np.int64)


def exact_newton(XT, y, w, eta, ws, h, l2, fit_intercept, target, buffers) -> int:
    """Newton steps on the support of w within ``ws`` with its signs held (w and η in place):
    there the penalty is smooth, h·s·w + l2·w², and the step solves the Hessian system
    (H_AA + 2·diag(l2_A))·δ = −∇ exactly (least squares if singular; the intercept, an
    unpenalised coordinate, is always in A); the same backtracking as ``newton``.  Until
    the working set's gap is ≤ target (quadratic convergence once the support is right).
    Returns the steps taken."""
    n = y.size
    g, work = buffers[1][1], buffers[0][4]
    objective, gap = gap_of(XT, y, eta, w, h, l2, ws, g, work)
    step = 0
    for step in range(1, EXACT_STEPS + 1):
        if gap <= target:
            return step - 1
        A = ws[(w[ws] != 0) | (h[ws] == 0)]
        ZT = XT[A]
        p = sigmoid(eta)
        grad = h[A] * np.sign(w[A]) + 2.0 * l2[A] * w[A] - ZT @ (y - p) / n
        H = (ZT * (p * (1.0 - p))) @ ZT.T / n
        H[np.arange(A.size), np.arange(A.size)] += 2.0 * l2[A]
        delta = -_newton_step(H, grad)
        scale, w_old, eta_old = 1.0, w[A].copy(), eta.copy()
        tiny = -(grad @ delta) <= ROUNDING * objective  # as in ``newton``
        held = h[A] > 0
        for _ in range(LINE_SEARCH_HALVINGS):
            trial = w_old + scale * delta
            trial[held & (np.sign(trial) != np.sign(w_old))] = 0.0  # no sign crosses: 0 instead
            w[A] = trial
            eta[:] = eta_old + (trial - w_old) @ ZT
            if fit_intercept:
                refit_intercept(y, eta, w)
            new, new_gap = gap_of(XT, y, eta, w, h, l2, ws, g, work)
            if new <= objective + 0.25 * scale * (grad @ delta) or (tiny and new_gap < gap):
                break
            scale *= 0.5
        else:
            w[A], eta[:] = w_old, eta_old
            return step
        objective, gap = new, new_gap
    return step


def _newton_step(H: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """H⁻¹·grad, by LU where Cholesky finds H well conditioned (its pivots within 1e-10 of
    each other: an order of magnitude cheaper), else by least squares: one-hot columns
    beside the intercept make H singular, and the step is then the least-norm one, within
    the span the objective sees."""
    try:
        pivots = np.diag(np.linalg.cholesky(H))
        if pivots.min() ** 2 > 1e-10 * pivots.max() ** 2:
            return np.linalg.solve(H, grad)
    except np.linalg.LinAlgError:
        pass
    return np.linalg.lstsq(H, grad, rcond=None)[0]


def null_objective(y: np.ndarray, fit_intercept: bool) -> float:
    """P₀: the objective of the all-zero model with its best intercept (the entropy H(ȳ))."""
    if not fit_intercept:
        return math.log(2.0)
    m = float(y.mean())
    return -(m * math.log(m) + (1.0 - m) * math.log1p(-m))


def start(XT: np.ndarray, y: np.ndarray, v: np.ndarray, fit_intercept: bool, tol: float):
    """(w, η, g) of the all-penalised-zero model: the intercept and the unpenalised features
    fitted by Newton, g = Xᵀ(y − p)/n at that fit (over every coordinate, the intercept last)."""
    m, n = XT.shape
    w = np.zeros(m)
    ybar = float(y.mean())
    if fit_intercept:
        w[-1] = math.log(ybar / (1.0 - ybar))
    eta = np.full(n, w[-1] if fit_intercept else 0.0)
    free = np.flatnonzero(v == 0).astype(np.int64)
    if free.size:
        zeros = np.zeros(m)
        cols = np.append(free, m - 1) if fit_intercept else free
        newton(XT, y, w, eta, cols, zeros, zeros, zeros, fit_intercept, tol, MAX_NEWTON, False,
               *workspace(n, m))  # fmt: skip
    g = XT @ (y - sigmoid(eta)) / n
    return w, eta, g


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


def coordinates(Xs: np.ndarray, fit_intercept: bool) -> np.ndarray:
    """XT: the columns of Xs as rows (C order, the layout ``kernel.weighted_cd`` reads), then
    a row of ones, the intercept's coordinate, when it is fitted."""
    n, p = Xs.shape
    XT = np.empty((p + fit_intercept, n))
    XT[:p] = Xs.T
    if fit_intercept:
        XT[p] = 1.0
    return XT


def path(
    XT: np.ndarray,
    y: np.ndarray,
    grid: np.ndarray,
    alpha: float,
    tol: float,
    v: np.ndarray,
    fit_intercept: bool,
    stop_separated: bool = True,
    warm: tuple[np.ndarray, float] | None = None,
):
    """The path on the coordinates XT (``coordinates``: standardised columns as rows, then the
    intercept's row of ones if fitted) along a decreasing grid, from the all-penalised-zero
    model or from ``warm`` = (w, b).

    Returns (W, b, objective, gap, kkt, n_iter, n_done): rows past n_done were not solved
    (the path stopped on separated data, see the module docstring).
    """
    m, n = XT.shape
    p = v.size
    k = grid.size
    W = np.zeros((k, p))
    B = np.zeros(k)
    objective, gap, kkt = np.zeros(k), np.full(k, np.inf), np.full(k, np.inf)
    n_iter = np.zeros(k, dtype=int)
    p0 = null_objective(y, fit_intercept)
    target = tol * p0
    vx = np.append(v, 0.0) if fit_intercept else np.asarray(v, dtype=float)
    if warm is None:
        w, eta, g = start(XT, y, v, fit_intercept, 0.01 * target)
        lam_prev = lambda_max(g[:p], alpha, v) if alpha > 0 else grid[0]
    else:
        w = np.append(warm[0], float(warm[1])) if fit_intercept else warm[0].copy()
        eta = w @ XT
        g = XT @ (y - sigmoid(eta)) / n
        lam_prev = grid[0]
    free = vx == 0
    all_cols = np.arange(m, dtype=np.int64)
    g_all = np.empty(m)
    buffers = workspace(n, m)
    done = 0
    for i, lam in enumerate(grid):
        h, l2 = lam * alpha * vx, lam * (1.0 - alpha) * vx
        l2k = 2.0 * l2
        strong = np.abs(g) >= vx * alpha * (2.0 * lam - lam_prev)
        in_ws = (w != 0) | free | strong
        for _ in range(MAX_OUTER):
            ws = np.flatnonzero(in_ws).astype(np.int64)
            for _ in range(EXACT_ROUNDS):
                steps, ws_gap = newton(
                    XT, y, w, eta, ws, h, l2, l2k, fit_intercept, 0.5 * target, NEWTON_FIRST,
                    True, *buffers,
                )  # fmt: skip
                n_iter[i] += steps
                if ws_gap <= 0.5 * target:
                    break
                # slow descent (correlated columns): Newton's exact steps on the support
                n_iter[i] += exact_newton(
                    XT, y, w, eta, ws, h, l2, fit_intercept, 0.5 * target, buffers
                )
            objective[i], gap[i] = gap_of(XT, y, eta, w, h, l2, all_cols, g_all, buffers[0][4])
            viol = ~in_ws & (np.abs(g_all) > h * (1.0 + 1e-12))
            if not viol.any():  # features outside hold no gap: the working set's is the whole's
                break
            worst = np.flatnonzero(viol)
            worst = worst[np.argsort(-np.abs(g_all[worst]))[: max(10, ws.size)]]
            in_ws[worst] = True
        g = g_all.copy()
        kkt[i] = kkt_violation(g, w, h, l2)
        W[i] = w[:p]
        B[i] = w[p] if fit_intercept else 0.0
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
