"""The standardised least-squares problem every solver works on.

A ``Problem`` holds what the solvers need of (X, y) after centring and scaling:

    n, p               rows and columns
    mean, scale        per column: the training mean and the 1/n standard deviation
                       (scale is 1 for a constant column, whose centred values are all 0)
    y_mean             the training mean of y (0 without an intercept)
    c  = Xsᵀ·yc / n    correlations of the standardised columns with the centred target
    yy = ycᵀ·yc / n    the objective of the all-zero model
    G  = Xsᵀ·Xs / n    the Gram matrix, formed once when n ≥ p ("gram" mode), or
    Xs                 the standardised columns themselves when p > n ("data" mode),
                       with Gram blocks formed on demand for the columns that become active.

Solvers ask it for three things only: the data-fit gradient ``c − G[:, A]·w_A`` over every
column, the block ``G[A, A]``, and the moments above.  After forming G, a path costs
nothing that grows with n.

A ``Problem`` is solver state and never rides along in a result: a ``Path`` records only the
moments (mean, scale, y_mean) and settings, and whoever solves again off the grid keeps the
problem (``Path.problem``) or passes the training rows.  Ridge's decomposition of G, once
made, is kept on the problem (``spectrum``), so leave-one-out and off-grid ridge reuse it.
"""

from __future__ import annotations

import numpy as np

from regcore.solvers import blas

TINY = float(np.finfo(float).tiny)
GRAM_MAX_P = 3000  # above this many columns a p×p Gram matrix costs more memory than it saves


def as_float_matrix(X, name: str = "X") -> tuple[np.ndarray, list[str] | None]:
    """X as a 2-D float64 array plus its column names when it came as a DataFrame."""
    names = None
    if hasattr(X, "columns") and hasattr(X, "dtypes"):
        names = [str(c) for c in X.columns]
        bad = [
            str(c)
            for c, t in zip(X.columns, X.dtypes, strict=True)
            if not (np.issubdtype(np.dtype(t), np.number) or np.dtype(t) == bool)
        ]
        if bad:
            raise ValueError(
                f"{name} has non-numeric columns ({', '.join(bad[:5])}); encode or drop them first."
            )
        X = X.to_numpy(dtype=float)
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must hold numbers only.") from exc
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D table of numbers (rows × features); got {X.ndim} dimensions."
        )
    return X, names


def check_xy(X, y, *, check_finite: bool = True) -> tuple[np.ndarray, np.ndarray, list[str] | None]:
    """Validate a design and a target; raise ValueError with a plain message.

    check_finite=False leaves the NaN/inf scan of X to ``Problem.from_data``, which gets it
    almost free from the products it forms anyway.
    """
    X, names = as_float_matrix(X)
    if hasattr(y, "to_numpy"):
        y = y.to_numpy()
    try:
        y = np.asarray(y, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError("y must hold numbers only.") from exc
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"y must be one column of numbers; got shape {y.shape}.")
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]}: they must match.")
    if X.shape[0] < 2:
        raise ValueError(f"At least 2 rows are needed to fit a model; got {X.shape[0]}.")
    if X.shape[1] < 1:
        raise ValueError("X has no feature columns.")
    if check_finite and not np.isfinite(X).all():
        raise ValueError(non_finite_message(X))
    if not np.isfinite(y).all():
        bad = int((~np.isfinite(y)).sum())
        raise ValueError(f"y contains {bad} missing or infinite value(s); drop those rows first.")
    return X, y, names


class Problem:
    """Centred, scaled sufficient statistics of one training set (see the module docstring)."""

    def __init__(self, *, n, mean, scale, y_mean, c, yy, G=None, Xs=None):
        self.n = int(n)
        self.mean = mean
        self.scale = scale
        self.y_mean = float(y_mean)
        self.c = c
        self.yy = float(yy)
        self.G = G
        self.Xs = Xs
        self.p = c.shape[0]
        self._diag: np.ndarray | None = None
        # data mode: a Gram cache over the columns met so far, in order of arrival
        self._pos = np.full(self.p, -1, dtype=np.intp)  # each column's place in the cache
        self._m = 0
        self._Xc = np.empty((self.n, 0), order="F")  # those columns, contiguous
        self._block = np.empty((0, 0))  # their Gram block
        self._X32: np.ndarray | None = None  # Xs in single precision, for screening products
        self.spectrum = None  # ridge's decomposition of G, made on first use (``Spectrum.of``)

    # ------------------------------------------------------------------ building
    @classmethod
    def from_data(cls, X, y, *, standardize=True, fit_intercept=True, gram: bool | None = None):
        """Centre and scale (X, y) with their own moments; choose Gram or data mode.

        Raises ValueError when X holds NaN or infinite values.
        """
        n, p = X.shape
        if gram is None:
            gram = n >= p and p <= GRAM_MAX_P
        if gram:
            # one pass of products about the first rows' means and the target's mean (so that
            # a large common offset costs no digits); None when the offsets left are still too
            # large to centre them afterwards, or for NaN/inf, which the centred route names
            shift = None
            if fit_intercept:
                with np.errstate(invalid="ignore", over="ignore"):
                    head = X[:SHIFT_ROWS]
                    shift = head.mean(axis=0)
                    spread = head.std(axis=0)
                # NaN/inf: the products fail and the centred route names them; offsets within
                # the spread cost centring afterwards no digits, and shifting them a copy
                if not np.isfinite(shift).all() or (np.abs(shift) <= spread).all():
                    shift = None
            ym = float(y.sum()) / n if fit_intercept else 0.0
            with np.errstate(invalid="ignore", over="ignore"):  # NaN/inf: from_products says
                prods = products(X, y - ym, shift)
            prob = cls.from_products(
                n, *prods, y, standardize, fit_intercept, y_shift=ym, x_shift=shift
            )
            if prob is not None:
                return prob
        if fit_intercept:
            mean = X.mean(axis=0)
            y_mean = float(y.mean())
        else:
            mean = np.zeros(p)
            y_mean = 0.0
        # a column holding NaN or ±inf never sums to a finite number: the mean is the scan
        if not np.isfinite(mean).all() or not (fit_intercept or np.isfinite(X).all()):
            raise ValueError(non_finite_message(X))
        Xs = X - mean
        yc = centred_target(y, y_mean, fit_intercept)
        scale, constant = column_scale(Xs, X, standardize, fit_intercept)
        if standardize:  # otherwise scale is all ones
            Xs /= scale
        if constant.any():
            Xs[:, constant] = 0.0
        c = Xs.T @ yc / n
        yy = float(yc @ yc) / n
        if gram:
            G = Xs.T @ Xs
            G /= n
            return cls(n=n, mean=mean, scale=scale, y_mean=y_mean, c=c, yy=yy, G=G)
        return cls(n=n, mean=mean, scale=scale, y_mean=y_mean, c=c, yy=yy, Xs=Xs)

    @classmethod
    def from_products(
        cls,
        n,
        XtX,
        sums,
        Xty,
        y,
        standardize,
        fit_intercept,
        y_shift: float = 0.0,
        x_shift: np.ndarray | None = None,
    ):
        """Gram mode from the products XᵀX, Xᵀ1 and Xᵀ(y − y_shift) of the n rows (X, y),
        X taken as X − x_shift when ``x_shift`` is given (with an intercept only).

        Centring afterwards (XᵀX − n·μμᵀ) loses about (μ²/σ²)·ε of relative precision, so
        this route is taken only when every column's spread is at least 1 % of its offset
        (after the shift) and no column is constant; otherwise (and for NaN/inf) returns
        None.  ``y_shift`` set to the target's own mean (as ``float(y.sum()) / n``) leaves
        Xᵀ(y − ȳ) exact.
        """
        p = XtX.shape[0]
        if not (np.isfinite(XtX).all() and np.isfinite(sums).all() and np.isfinite(Xty).all()):
            return None
        if fit_intercept:
            offset = sums / n  # the mean of the columns as given: X − x_shift
            y_mean = float(y.sum()) / n
            C = XtX - n * (offset[:, None] * offset)
            yc = centred_target(y, y_mean, fit_intercept)
            cxy = Xty - n * offset * (y_mean - y_shift) if yc.any() else np.zeros(p)
            yy = float(yc @ yc) / n
            mean = offset if x_shift is None else offset + x_shift
        else:
            mean, y_mean, C, cxy = np.zeros(p), 0.0, XtX, Xty + sums * y_shift
            offset = mean
            yy = float(y @ y) / n
        var = C.diagonal() / n
        if not (var > 1e-4 * (offset * offset + var)).all():
            return None
        if standardize:
            scale = np.sqrt(var)
            G = C / (scale[:, None] * scale)
            G /= n
        else:  # no division by ones: the same numbers, one pass fewer
            scale = np.ones(p)
            G = C / n
        return cls(n=n, mean=mean, scale=scale, y_mean=y_mean, c=cxy / scale / n, yy=yy, G=G)

    # ------------------------------------------------------------------ queries
    @property
    def mode(self) -> str:
        return "gram" if self.G is not None else "data"

    def gradient(
        self, w: np.ndarray, active: np.ndarray, exact_from: float | None = None
    ) -> np.ndarray:
        """c − G[:, A]·w_A for every column (the negative half-gradient of the data fit).

        In data mode with ``exact_from`` = t, only the active columns and those with
        |g_j| ≥ t need to be exact: the rest need only be known to lie below t.  The product
        Xsᵀr then runs in single precision (half the memory traffic, which is its cost);
        the active columns come in double from the contiguous cache of the columns met so
        far, and the columns within twice its error bound of t are computed again in double.
        The bound is the worst case of a float32 dot product of n terms, conversions included:
        |error| ≤ (n + 2)·2⁻²⁴·‖x_j‖·‖r‖ / n.
        """
        if active.size == 0:
            return self.c.copy()
        if self.G is not None:
            if 8 * active.size > self.p:  # a full product beats copying the columns out
                return self.c - self.G @ w
            return self.c - self.G[:, active] @ w[active]
        pos = self._cached(active)
        wc = np.zeros(self._m)
        wc[pos] = w[active]
        r = self._Xc[:, : self._m] @ wc
        if exact_from is None or self.p < 4 * self.n:
            return self.c - self.Xs.T @ r / self.n
        g = self.c - (self._single().T @ r.astype(np.float32)).astype(float) / self.n
        bound = (
            (self.n + 2)
            * 2.0**-24
            * np.sqrt(self.n * self.diag().max())
            * float(np.linalg.norm(r))
            / self.n
        )
        near = np.abs(g) >= exact_from - 2.0 * bound
        near[active] = False
        redo = np.flatnonzero(near)
        if 4 * redo.size > self.p:
            return self.c - self.Xs.T @ r / self.n
        g[active] = (
            self.c[active] - (self._Xc[:, : self._m].T @ r)[pos] / self.n
        )  # exact, contiguous columns
        if redo.size:
            g[redo] = self.c[redo] - self.Xs[:, redo].T @ r / self.n
        return g

    def _single(self) -> np.ndarray:
        """Xs in single precision (data mode), made on first use."""
        if self._X32 is None:
            self._X32 = self.Xs.astype(np.float32)
        return self._X32

    def block(self, rows: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        """G[rows, cols] (cols defaults to rows); in data mode from the cache."""
        cols = rows if cols is None else cols
        if self.G is not None:
            return self.G[rows[:, None], cols]
        pos = self._cached(np.concatenate([rows, cols]))
        # two takes, the shorter list first (the cache is symmetric), beat one fancy index 3×
        pr, pc = pos[: rows.size], pos[rows.size :]
        if pc.size < pr.size:
            return np.take(np.take(self._block, pc, axis=0), pr, axis=1).T
        return np.take(np.take(self._block, pr, axis=0), pc, axis=1)

    def cross(self, active: np.ndarray, j: int) -> np.ndarray:
        """G[A, j]."""
        if self.G is not None:
            return self.G[active, j]
        pos = self._cached(np.append(active, j))
        return self._block[pos[:-1], pos[-1]]

    def _cached(self, cols: np.ndarray) -> np.ndarray:
        """Positions of cols in the data-mode Gram cache, adding the missing ones (n·m each)."""
        pos = self._pos[cols]
        if (pos < 0).any():
            new = np.unique(cols[pos < 0])
            m, k = self._m, new.size
            if m + k > self._Xc.shape[1]:  # grow by doubling
                cap = max(2 * self._Xc.shape[1], m + k, 16)
                Xc = np.empty((self.n, cap), order="F")
                Xc[:, :m] = self._Xc[:, :m]
                B = np.empty((cap, cap))
                B[:m, :m] = self._block[:m, :m]
                self._Xc, self._block = Xc, B
            Xnew = self.Xs[:, new]
            self._Xc[:, m : m + k] = Xnew
            cross = Xnew.T @ self._Xc[:, : m + k] / self.n  # (k, m + k)
            self._block[m : m + k, : m + k] = cross
            self._block[:m, m : m + k] = cross[:, :m].T
            self._pos[new] = np.arange(m, m + k)
            self._m = m + k
            pos = self._pos[cols]
        return pos

    def diag(self) -> np.ndarray:
        """G_jj for every column (1 for a standardised column, 0 for a constant one)."""
        if self._diag is None:
            self._diag = (
                np.diag(self.G).copy()
                if self.G is not None
                else np.einsum("ij,ij->j", self.Xs, self.Xs) / self.n
            )
        return self._diag

    def fit_from_moments(self, W: np.ndarray, g: np.ndarray):
        """(rr, ry) for each row w of W given g = c − G·w row by row, from the moments:
        rr = yy − 2cᵀw + wᵀGw (wᵀGw = wᵀ(c − g)) and ry = yy − cᵀw (``fit_from_rows`` keeps
        more digits where rr ≪ yy)."""
        cw = W @ self.c
        wGw = cw - np.einsum("kp,kp->k", g, W)
        return np.maximum(self.yy - 2.0 * cw + wGw, 0.0), self.yy - cw

    # ------------------------------------------------------------------ scale
    def fit_from_rows(
        self, X: np.ndarray, y: np.ndarray, W: np.ndarray, block_elements: int = 1 << 22
    ):
        """(rr, ry, g) for each row w of W from the training rows (X, y) themselves.

        r = yc − Xs·w is formed directly, then rr = ‖r‖²/n, ry = rᵀyc/n and g = Xsᵀr/n (one
        pass over X per block of W's rows, the columns centred a block at a time: against
        the raw columns an offset far above their spread would cost g its digits).  Through
        G they are differences of terms that grow with |w|ᵀ|G||w|, which nearly collinear
        columns with large opposite coefficients make many orders larger than yy; formed
        from the rows they keep their digits.  Blocks hold about ``block_elements`` numbers.
        """
        n, k = X.shape[0], W.shape[0]
        yc = y - self.y_mean
        rr, ry, g = np.empty(k), np.empty(k), np.empty((k, self.p))
        step = max(1, block_elements // max(n, 1))
        R = np.empty((n, min(step, k)))
        for start in range(0, k, step):
            Wb = W[start : start + step]
            cols = np.flatnonzero(Wb.any(axis=0))
            Rb = R[:, : Wb.shape[0]]
            np.subtract(yc[:, None], self.standardised(X, cols) @ Wb[:, cols].T, out=Rb)
            rr[start : start + step] = np.einsum("nk,nk->k", Rb, Rb) / n
            ry[start : start + step] = yc @ Rb / n
            for first in range(0, self.p, step):  # Xsᵀr on centred columns: an offset would round
                cols = np.arange(first, min(first + step, self.p))
                g[start : start + step, cols] = Rb.T @ self.standardised(X, cols) / n
        return rr, ry, g

    def standardised(self, X: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Xs[:, cols] from the raw columns: centred and scaled, constant ones exactly 0."""
        Xs = (X[:, cols] - self.mean[cols]) / self.scale[cols]
        Xs[:, self.diag()[cols] == 0] = 0.0
        return Xs

    def to_original(self, w_std: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Coefficients on the original feature scale and the intercepts, for rows of w_std."""
        coef = w_std / self.scale
        intercept = self.y_mean - coef @ self.mean
        return coef, intercept


PRODUCT_BLOCK_BYTES = 512 << 10  # a block of rows of X that stays in a core's cache
PRODUCT_BLOCK_ROWS = 2048  # fewer rows per block make each XᵀX product less efficient
PRODUCT_MIN_BLOCKS = 16  # below this many blocks, two plain products are as fast
PRODUCT_TASK_BLOCKS = 4  # blocks per part handed to a core (``blas.workers``)
SHIFT_ROWS = 1024  # ``Problem.from_data`` shifts the columns by these first rows' means


def products(
    X: np.ndarray, v: np.ndarray, shift: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(XᵀX, Xᵀ1, Xᵀv) in one pass over a tall C-ordered X, of X − shift when given (each
    block shifted while in cache, so no shifted copy of X is made).

    Done as plain products, the column sums and Xᵀv would read X from memory again (on
    200 000 × 50, a quarter of XᵀX's time); block by block, they read each block while it is
    still in cache, as two matrix-vector products (a product with the two vectors stacked
    is slower on these shapes).  Inside ``blas.capped`` the parts of ``PRODUCT_TASK_BLOCKS``
    blocks go to one core each (``blas.workers``) and are added in order, so the sums do
    not depend on which core did what.
    """
    n, p = X.shape
    rows = max(PRODUCT_BLOCK_ROWS, PRODUCT_BLOCK_BYTES // (8 * p))
    if n < PRODUCT_MIN_BLOCKS * rows or not X.flags.c_contiguous:
        if shift is not None:
            X = X - shift
        return X.T @ X, np.ones(n) @ X, v @ X
    step = rows * PRODUCT_TASK_BLOCKS
    errors = np.geterr()  # the caller's floating-point error handling, for the workers too

    def part(start: int):
        with np.errstate(**errors):
            return block_products(start)

    def block_products(start: int):
        stop = min(start + step, n)
        XtX, sums, Xtv = np.zeros((p, p)), np.zeros(p), np.zeros(p)
        ones = np.ones(rows)
        for first in range(start, stop, rows):
            B = X[first : min(first + rows, stop)]
            if shift is not None:
                B = B - shift
            XtX += B.T @ B
            sums += ones[: B.shape[0]] @ B
            Xtv += v[first : first + B.shape[0]] @ B
        return XtX, sums, Xtv

    pool = blas.workers()
    parts = (pool.map if pool is not None else map)(part, range(0, n, step))
    XtX, sums, Xtv = next(parts)
    for more in parts:
        XtX += more[0]
        sums += more[1]
        Xtv += more[2]
    return XtX, sums, Xtv


def centred_target(y: np.ndarray, y_mean: float, fit_intercept: bool) -> np.ndarray:
    """y − ȳ, exactly 0 for a constant target (its mean may be off by a rounding unit)."""
    if fit_intercept and y.size and np.ptp(y) == 0:
        return np.zeros_like(y)
    return y - y_mean


def non_finite_message(X: np.ndarray) -> str:
    bad = int((~np.isfinite(X)).sum())
    if bad:
        return f"X contains {bad} missing or infinite value(s); impute or drop them first."
    return (
        "X holds values too large to square in double precision (beyond about 1e150); rescale them."
    )


def column_scale(Xc: np.ndarray, X: np.ndarray, standardize: bool, fit_intercept: bool):
    """(scale, constant) of the raw columns X, centred as Xc: ``scale_rule`` on their rows."""
    n, p = X.shape
    equal = np.ptp(X, axis=0) == 0 if fit_intercept else np.zeros(p, dtype=bool)
    if not standardize:
        return scale_rule(None, None, equal, standardize, fit_intercept)
    var = np.einsum("ij,ij->j", Xc, Xc) / n
    return scale_rule(var, np.max(np.abs(X), axis=0), equal, standardize, fit_intercept)


def scale_rule(var, magnitude, equal, standardize: bool, fit_intercept: bool):
    """(scale, constant): the one standardisation rule, from each column's 1/n variance about
    its mean, its largest magnitude and whether all its values are equal.

    The scale is the 1/n standard deviation (1 for every column when not standardising).  A
    column is constant when its values are all equal, or (when standardising) when its spread
    is below 1e-12 of its magnitude, i.e. equal up to rounding.  With an intercept such a
    column can explain nothing: it keeps scale 1 and its centred values become exactly 0, so
    its coefficient is 0 and nothing is divided by zero.  Without an intercept no column is
    constant (the moments are about 0), though a tiny one still keeps scale 1.
    """
    equal = np.asarray(equal, dtype=bool)
    constant = equal.copy() if fit_intercept else np.zeros(equal.shape, dtype=bool)
    if not standardize:
        return np.ones(equal.shape), constant
    sd = np.sqrt(np.maximum(var, 0.0))
    tiny = sd <= 1e-12 * magnitude
    if fit_intercept:
        constant |= tiny
    return np.where(tiny | constant, 1.0, sd), constant


def gap_target(tol: float, yy: float) -> float:
    """The duality gap a solution must reach: ``tol`` relative to yy, the all-zero model's
    objective (floored at the smallest positive double, so a tiny yy still has a target)."""
    return tol * max(yy, TINY)


def gap_converged(gap, tol: float, yy: float):
    """The convergence test of every solver: gap ≤ tol·yy (``gap_target``), elementwise.

    yy = 0 (a constant target, fitted exactly by w = 0) counts as converged whatever the
    gap's rounding.  A bool for one gap, a bool array for an array of gaps.
    """
    ok = (np.asarray(gap) <= gap_target(tol, yy)) | (yy == 0.0)
    return bool(ok) if ok.ndim == 0 else ok
