"""``Moments``: the centred sufficient statistics of a linear fit, per group of rows.

Every row belongs to one group: a training fold 0 … k−1, or the test rows (group k).  Each
group g keeps

    n[g]                 its rows
    mean[g], y_mean[g]   the means of its columns and of its target, less ``shift`` / ``y_shift``
    lo[g], hi[g]         the smallest and largest value of each column (constant columns)
    Sxx[g] = Σ (x − m)(x − m)ᵀ,   Sxy[g] = Σ (x − m)(y − ȳ),   Syy[g] = Σ (y − ȳ)²

about the group's own means.  Two partial results merge exactly and stably (Chan's update:
with δ = m_b − m_a, S = S_a + S_b + δδᵀ·n_a·n_b/n), so the order and size of the chunks change
nothing beyond rounding.  Means are kept relative to one shift shared by every part (a
row of the data, usually the first): the difference of two groups' means, which Chan's
update multiplies up, then keeps its digits however far the columns sit from 0.

Rows are assigned to groups by a seeded hash of their global row number (``groups_of``), so
any chunking of a file read in order gives the same groups.
"""

from __future__ import annotations

import contextlib
import zipfile
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from regcore.solvers.problem import Problem, scale_rule

# below this many columns a chunk's p × p products run on one BLAS thread: measured 2.5×
# faster at p = 9 on 200 000 rows (threads cost more to wake than such thin products take)
ONE_THREAD_MAX_P = 64


def thin_products(p: int):
    """A context for accumulating chunks of p columns: one BLAS thread when p is small.

    Entered once around a whole stream (entering costs milliseconds), not once per chunk.
    """
    return threadpool_limits(1) if p <= ONE_THREAD_MAX_P else contextlib.nullcontext()


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def uniform_of(rows: np.ndarray, seed: int) -> np.ndarray:
    """A number in [0, 1) per global row number: the splitmix64 hash of (row, seed)."""
    z = np.asarray(rows).astype(np.uint64)  # a copy, worked on in place
    with np.errstate(over="ignore"):
        z *= _GOLDEN
        z += np.uint64(seed % 2**64) * np.uint64(0xD1B54A32D192ED03)
        for shift, factor in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB)):
            z ^= z >> np.uint64(shift)
            z *= np.uint64(factor)
        z ^= z >> np.uint64(31)
    z >>= np.uint64(11)
    out = z.astype(np.float64)
    out *= 2.0**-53
    return out


def groups_of(rows: np.ndarray, k: int, seed: int = 0, test_fraction: float = 0.0) -> np.ndarray:
    """The group of each global row number: k for a test row, else its fold 0 … k−1.

    A row is a test row with probability ``test_fraction``; the training rows spread evenly
    over the k folds.  Depends on the row number and the seed only, never on chunking.
    """
    u = uniform_of(rows, seed)
    fold = np.minimum((k * (u - test_fraction) / (1.0 - test_fraction)).astype(np.intp), k - 1)
    return np.where(u < test_fraction, k, fold)


@dataclass
class Moments:
    """Per-group centred moments (see the module docstring); groups 0 … k−1 are the training
    folds and group k the test rows."""

    n: np.ndarray  # (g,) rows per group
    mean: np.ndarray  # (g, p), less shift
    y_mean: np.ndarray  # (g,), less y_shift
    lo: np.ndarray  # (g, p), +inf for an empty group
    hi: np.ndarray  # (g, p), −inf for an empty group
    Sxx: np.ndarray  # (g, p, p)
    Sxy: np.ndarray  # (g, p)
    Syy: np.ndarray  # (g,)
    feature_names: list[str]
    shift: np.ndarray | None = None  # (p,); None means 0
    y_shift: float = 0.0
    target: str = "y"
    seed: int = 0
    test_fraction: float = 0.0
    lines: list[str] = field(default_factory=list)  # what was read and done, in plain words

    @property
    def k(self) -> int:
        """The number of training folds."""
        return self.n.shape[0] - 1

    @property
    def p(self) -> int:
        return self.mean.shape[1]

    def __post_init__(self):
        if self.shift is None:
            self.shift = np.zeros(self.mean.shape[1])

    # ------------------------------------------------------------------ building
    @classmethod
    def empty(cls, p: int, k: int, feature_names: list[str], **meta) -> Moments:
        g = k + 1
        return cls(
            n=np.zeros(g, dtype=np.int64),
            mean=np.zeros((g, p)),
            y_mean=np.zeros(g),
            lo=np.full((g, p), np.inf),
            hi=np.full((g, p), -np.inf),
            Sxx=np.zeros((g, p, p)),
            Sxy=np.zeros((g, p)),
            Syy=np.zeros(g),
            feature_names=list(feature_names),
            **meta,
        )

    @classmethod
    def of_rows(cls, X, y, groups, k: int, feature_names=None, **options) -> Moments:
        """The moments of the rows (X, y), row i in group ``groups[i]`` (0 … k); the options
        are those of ``of_columns``."""
        X = np.asarray(X, dtype=float)
        return cls.of_columns(list(X.T), y, groups, k, feature_names, **options)

    @classmethod
    def of_columns(
        cls,
        columns,
        y,
        groups,
        k: int,
        feature_names=None,
        shift=None,
        y_shift=None,
        fill=None,
        **meta,
    ) -> Moments:
        """The moments of rows given as p columns of equal length (1-D float arrays).

        ``shift`` / ``y_shift`` default to the first row; parts to be merged should share them.
        ``fill`` (p values): a NaN in column j counts as ``fill[j]`` in the sums and is left out
        of its smallest and largest value (a group with no other value: +inf and −inf).
        Callers adding up many chunks run them under ``thin_products(p)``.
        """
        y = np.asarray(y, dtype=float)
        p = len(columns)
        names = list(feature_names) if feature_names is not None else [f"x{j}" for j in range(p)]
        if shift is None:
            shift = np.array([column[0] for column in columns], dtype=float)
            if fill is not None:
                shift = np.where(np.isnan(shift), fill, shift)
        shift = np.asarray(shift, dtype=float)
        y_shift = float(y[0]) if y_shift is None else float(y_shift)
        out = cls.empty(p, k, names, shift=shift, y_shift=y_shift, **meta)
        # columns as rows, each gathered in group order so that a group is one contiguous
        # block (one copy of the data); a 16-bit key sorts by radix
        groups = np.asarray(groups).astype(np.int16)
        order = np.argsort(groups, kind="stable")
        counts = np.bincount(groups, minlength=k + 1)
        present = np.flatnonzero(counts)
        bounds = np.concatenate([[0], np.cumsum(counts)])
        XT = np.empty((p, y.size))
        for j, column in enumerate(columns):
            np.take(np.asarray(column, dtype=float), order, out=XT[j])
        starts = bounds[present]
        if fill is None:
            out.lo[present] = np.minimum.reduceat(XT, starts, axis=1).T
            out.hi[present] = np.maximum.reduceat(XT, starts, axis=1).T
        else:
            lo, hi = np.fmin.reduceat(XT, starts, axis=1).T, np.fmax.reduceat(XT, starts, axis=1).T
            out.lo[present] = np.where(np.isnan(lo), np.inf, lo)
            out.hi[present] = np.where(np.isnan(hi), -np.inf, hi)
            for j in np.flatnonzero(np.isnan(XT).any(axis=1)):
                np.copyto(XT[j], fill[j], where=np.isnan(XT[j]))
        XT -= shift[:, None]
        yo = y[order] - y_shift
        for g in present:
            Xg, yg = XT[:, bounds[g] : bounds[g + 1]], yo[bounds[g] : bounds[g + 1]]
            m, ym = Xg.mean(axis=1), float(yg.mean())
            Xc, yc = Xg - m[:, None], yg - ym
            out.n[g] = yg.shape[0]
            out.mean[g], out.y_mean[g] = m, ym
            out.Sxx[g], out.Sxy[g], out.Syy[g] = Xc @ Xc.T, Xc @ yc, float(yc @ yc)
        return out

    def merge(self, other: Moments) -> Moments:
        """Both sets of rows together, group by group (exact up to rounding, order-free)."""
        if other.mean.shape != self.mean.shape:
            raise ValueError("Moments of different shapes (features or folds) cannot be merged.")
        out = Moments.empty(self.p, self.k, self.feature_names, **self._meta())
        out.lines = list(self.lines)
        moved = other.shift - self.shift, other.y_shift - self.y_shift
        for g in range(self.n.shape[0]):
            out._set(g, *_chan(self._group(g), other._group(g, *moved)))
        return out

    def pooled(self, groups) -> Moments:
        """One group (k = 0) holding the rows of ``groups`` together."""
        acc = None
        for g in groups:
            acc = self._group(g) if acc is None else _chan(acc, self._group(g))
        out = Moments.empty(self.p, 0, self.feature_names, **self._meta())
        out._set(0, *acc)
        return out

    def select(self, columns) -> Moments:
        """The same rows restricted to some feature columns."""
        cols = np.asarray(columns, dtype=np.intp)
        return Moments(
            n=self.n.copy(),
            mean=self.mean[:, cols],
            y_mean=self.y_mean.copy(),
            lo=self.lo[:, cols],
            hi=self.hi[:, cols],
            Sxx=self.Sxx[:, cols[:, None], cols],
            Sxy=self.Sxy[:, cols],
            Syy=self.Syy.copy(),
            feature_names=[self.feature_names[j] for j in cols],
            lines=list(self.lines),
            **{**self._meta(), "shift": self.shift[cols]},
        )

    def padded(self, names: list[str]) -> Moments:
        """The same rows with more columns, zero in every row (about a shift of 0)."""
        q = len(names)
        meta = {**self._meta(), "shift": np.concatenate([self.shift, np.zeros(q)])}
        out = Moments.empty(self.p + q, self.k, [*self.feature_names, *names], **meta)
        filled = self.n > 0
        out.n, out.y_mean, out.Sxy[:, : self.p], out.Syy = self.n, self.y_mean, self.Sxy, self.Syy
        out.mean[:, : self.p], out.Sxx[:, : self.p, : self.p] = self.mean, self.Sxx
        out.lo[:, : self.p], out.hi[:, : self.p] = self.lo, self.hi
        out.lo[filled, self.p :], out.hi[filled, self.p :] = 0.0, 0.0
        out.lines = list(self.lines)
        return out

    def mapped(self, A: np.ndarray, names: list[str], lo: np.ndarray, hi: np.ndarray) -> Moments:
        """The moments of the columns Z·A, Z these columns (p × q ``A``), given the new
        columns' smallest and largest values per group (the one moment a linear map loses).

        Exact: every centred moment of a linear map of the columns is that map of theirs.
        """
        return Moments(
            n=self.n.copy(),
            mean=self.mean @ A,
            y_mean=self.y_mean.copy(),
            lo=lo,
            hi=hi,
            Sxx=np.einsum("ji,gjk,kl->gil", A, self.Sxx, A, optimize=True),
            Sxy=self.Sxy @ A,
            Syy=self.Syy.copy(),
            feature_names=list(names),
            lines=list(self.lines),
            **{**self._meta(), "shift": self.shift @ A},
        )

    def _meta(self) -> dict:
        return dict(
            target=self.target,
            seed=self.seed,
            test_fraction=self.test_fraction,
            shift=self.shift,
            y_shift=self.y_shift,
        )

    def _group(self, g: int, moved=0.0, y_moved=0.0) -> tuple:
        """Group g's moments, means relative to the shift (moved by the given amounts)."""
        return (
            int(self.n[g]),
            self.mean[g] + moved,
            float(self.y_mean[g]) + y_moved,
            self.lo[g],
            self.hi[g],
            self.Sxx[g],
            self.Sxy[g],
            float(self.Syy[g]),
        )

    def _set(self, g: int, n, mean, y_mean, lo, hi, Sxx, Sxy, Syy) -> None:
        self.n[g], self.mean[g], self.y_mean[g] = n, mean, y_mean
        self.lo[g], self.hi[g] = lo, hi
        self.Sxx[g], self.Sxy[g], self.Syy[g] = Sxx, Sxy, Syy

    # ------------------------------------------------------------------ using
    def training(self) -> Moments:
        """The training rows (every fold) as one group."""
        return self.pooled(range(self.k))

    def to_problem(
        self, standardize: bool = True, fit_intercept: bool = True, groups=None
    ) -> Problem:
        """The Gram-mode ``Problem`` of the rows of ``groups`` (default: the training folds).

        The one place where moments become a solver's problem: the scale is the 1/n standard
        deviation; with an intercept a column constant on these rows (all values equal, or a
        spread below 1e-12 of its magnitude when standardising) gets scale 1 and zero Gram
        entries, as ``Problem.from_data`` does; without one the moments are taken about 0.
        """
        n, m, ym, lo, hi, S, sxy, syy = self.pooled(
            range(self.k) if groups is None else groups
        )._group(0, self.shift, self.y_shift)
        if n < 2:
            raise ValueError(f"At least 2 rows are needed to fit a model; got {n}.")
        p = m.shape[0]
        if fit_intercept:
            mean, y_mean, C, cxy, cyy = m, ym, S.copy(), sxy.copy(), syy
        else:
            mean, y_mean = np.zeros(p), 0.0
            C = S + n * np.outer(m, m)
            cxy, cyy = sxy + n * m * ym, syy + n * ym * ym
        magnitude = np.maximum(np.abs(lo), np.abs(hi))
        scale, constant = scale_rule(
            np.diag(C) / n, magnitude, lo == hi, standardize, fit_intercept
        )
        C[constant, :] = 0.0
        C[:, constant] = 0.0
        cxy[constant] = 0.0
        G = C / np.outer(scale, scale) / n
        return Problem(
            n=n, mean=mean, scale=scale, y_mean=y_mean, c=cxy / scale / n, yy=cyy / n, G=G
        )

    def mse(self, g: int, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
        """Mean squared error on group g's rows of each row of ``coef`` (original scale).

        About the group's own means the error splits into the squared bias at the means and
        the centred terms: Σ(y − b − xᵀw)² = n·(ȳ − b − mᵀw)² + Syy − 2wᵀSxy + wᵀSxxw.
        """
        n = int(self.n[g])
        if n == 0:
            return np.full(coef.shape[0], np.nan)
        bias = (self.y_shift - intercept - coef @ self.shift) + (
            self.y_mean[g] - coef @ self.mean[g]
        )
        centred = self.Syy[g] - 2.0 * (coef @ self.Sxy[g]) + np.vecdot(coef @ self.Sxx[g], coef)
        return bias * bias + np.maximum(centred, 0.0) / n

    # ------------------------------------------------------------------ files
    def save(self, file) -> None:
        """Write to an ``.npz`` file (a path or a binary file object)."""
        np.savez_compressed(
            file,
            n=self.n,
            mean=self.mean,
            y_mean=self.y_mean,
            lo=self.lo,
            hi=self.hi,
            Sxx=self.Sxx,
            Sxy=self.Sxy,
            Syy=self.Syy,
            feature_names=np.array(self.feature_names, dtype=str),
            shift=self.shift,
            y_shift=np.array(self.y_shift),
            target=np.array(self.target),
            seed=np.array(self.seed),
            test_fraction=np.array(self.test_fraction),
            lines=np.array(self.lines, dtype=str),
        )

    @classmethod
    def load(cls, file) -> Moments:
        """Read what ``save`` wrote; ValueError with a plain message for anything else."""
        try:
            with np.load(file, allow_pickle=False) as z:
                out = cls(
                    **{key: z[key] for key in ("n", "mean", "y_mean", "lo", "hi")},
                    Sxx=z["Sxx"],
                    Sxy=z["Sxy"],
                    Syy=z["Syy"],
                    feature_names=[str(s) for s in z["feature_names"]],
                    shift=z["shift"],
                    y_shift=float(z["y_shift"]),
                    target=str(z["target"]),
                    seed=int(z["seed"]),
                    test_fraction=float(z["test_fraction"]),
                    lines=[str(s) for s in z["lines"]],
                )
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as exc:
            raise ValueError(
                "This is not a moments file written by regcore (python -m regcore ... "
                "--save-moments FILE.npz)."
            ) from exc
        g, p = out.mean.shape
        if out.n.shape != (g,) or out.Sxx.shape != (g, p, p) or len(out.feature_names) != p:
            raise ValueError("The moments file is damaged: its arrays do not fit together.")
        return out


def _chan(a: tuple, b: tuple) -> tuple:
    """Two groups' moments merged (Chan's pairwise update of centred moments)."""
    na, ma, ya, loa, hia, Sa, sa, qa = a
    nb, mb, yb, lob, hib, Sb, sb, qb = b
    if nb == 0:
        return na, ma.copy(), ya, loa.copy(), hia.copy(), Sa.copy(), sa.copy(), qa
    if na == 0:
        return nb, mb.copy(), yb, lob.copy(), hib.copy(), Sb.copy(), sb.copy(), qb
    n = na + nb
    w = na * nb / n
    d, dy = mb - ma, yb - ya
    return (
        n,
        ma + d * (nb / n),
        ya + dy * (nb / n),
        np.minimum(loa, lob),
        np.maximum(hia, hib),
        Sa + Sb + w * np.outer(d, d),
        sa + sb + w * d * dy,
        qa + qb + w * dy * dy,
    )
