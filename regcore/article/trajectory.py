"""Many steps of the update rules: trajectories of (w, b) and what they do around 0.

``trajectory`` runs one rule of ``regcore.article.updates`` from a starting (w0, b0) and
returns a tidy table (one row per recorded step and feature) ready for
``regcore.charts.descent``; ``sign_changes``, ``final_weights`` and ``zero_counts`` read
the jitter of the L1 subgradient step and the exact zeros of the proximal step off it.
Divergence is never silent: a run that blows up stops and is flagged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regcore.article import checks
from regcore.article.losses import error_term
from regcore.article.updates import DEFAULT_RULES, RULES, advance, eta_limit, rule_of, rule_penalty

MAX_STEPS = 100_000
"""The most steps one trajectory may run."""

MAX_ROWS = 2_000_000
"""The most rows (recorded steps × features) one trajectory may return."""

BLOWUP_FACTOR = 1e12
"""A run stops as diverged once its loss exceeds this many times its scale."""


def trajectory(
    X,
    y,
    *,
    rule: str,
    eta: float,
    lam: float = 0.0,
    steps: int = 100,
    w0=0.0,
    b0: float = 0.0,
    alpha: float | None = None,
    every: int = 1,
    feature_names=None,
    error: str = "squared",
) -> pd.DataFrame:
    """Run ``steps`` updates by ``rule`` from (w0, b0); one row per recorded step and feature.

    Columns: rule, step, feature, w, b, error, loss, diverged.  ``loss`` is Error + λ·the
    rule's penalty (Error alone for "plain"); b, error and loss repeat on every feature
    row of a step.  Step 0 is the start; every ``every``-th step and the last one are
    recorded.  X may be one column (feature "x", or the Series name) or (n, p) (features
    "x1".."xp", or the DataFrame's column names).  X is used as given: standardise it
    first if the features have different scales.

    Divergence is never silent: a run stops once the loss is non-finite or exceeds
    ``BLOWUP_FACTOR`` times its scale (the larger of the starting loss and mean(y²)), and
    ``diverged`` is True on all its rows; it is also True when η ≥ ``eta_limit`` and the
    last loss is above the first.  Raises ValueError for η ≤ 0, λ < 0, steps outside
    0..MAX_STEPS, more than MAX_ROWS rows, an unknown rule or bad data.
    ``error``: "squared" (the article's) or "logistic" (the log-loss of a 0/1 y; the
    column ``error`` then holds it), see ``regcore.article.losses.ERRORS``.
    """
    term = error_term(error)
    Xa, ya, names, _ = checks.as_problem(X, y, feature_names)
    r = rule_of(rule)
    penalty = rule_penalty(r, alpha)
    eta, lam = checks.eta(eta), checks.lam(lam)
    steps = checks.count(steps, "The number of steps", 0, MAX_STEPS)
    every = checks.count(every, "'every'", 1, MAX_STEPS)
    p = Xa.shape[1]
    recorded = np.unique(np.r_[np.arange(0, steps + 1, every), steps])
    if recorded.size * p > MAX_ROWS:
        raise ValueError(
            f"{recorded.size} steps × {p} features is more than {MAX_ROWS:,} rows; "
            "record fewer steps (raise 'every') or use fewer features."
        )
    w, b = checks.as_weights(w0, p, "w0"), checks.real(b0, "The starting intercept b0")

    def loss_of(w, b):
        e = term.value(Xa, ya, w, b)
        return e, e + (0.0 if penalty is None else penalty.value(w, lam))

    e, total = loss_of(w, b)
    ceiling = BLOWUP_FACTOR * max(total, float(ya @ ya) / len(ya), np.finfo(float).tiny)
    rows = [(0, w, b, e, total)]
    blew_up = False
    record = set(recorded.tolist())
    # Overflow is detected below by value, so the floating-point warnings carry no news.
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            w, b = advance(Xa, ya, w, b, eta, lam, r, penalty, term)
            e, total = loss_of(w, b)
            if not np.isfinite(total) or total > ceiling:
                blew_up = True
                break
            if t in record:
                rows.append((t, w + 0.0, b, e, total))  # + 0.0 turns the prox's −0.0 into 0.0
    diverged = blew_up or (
        rows[-1][4] > rows[0][4]
        and eta >= eta_limit(Xa, lam=lam, rule=rule, alpha=alpha, error=error)
    )
    k = len(rows)
    return pd.DataFrame(
        {
            "rule": r.name,
            "step": np.repeat([row[0] for row in rows], p),
            "feature": np.tile(names, k),
            "w": np.concatenate([row[1] for row in rows]),
            "b": np.repeat([row[2] for row in rows], p),
            "error": np.repeat([row[3] for row in rows], p),
            "loss": np.repeat([row[4] for row in rows], p),
            "diverged": diverged,
        }
    )


def trajectories(X, y, *, rules=DEFAULT_RULES, **settings) -> pd.DataFrame:
    """``trajectory`` for each rule in ``rules`` with the same settings, stacked (long format)."""
    if isinstance(rules, str) or not len(rules):
        raise ValueError("Give a list of one or more update rules, e.g. ['plain', 'l1'].")
    return pd.concat([trajectory(X, y, rule=r, **settings) for r in rules], ignore_index=True)


def sign_changes(traj: pd.DataFrame, last: int | None = None) -> pd.DataFrame:
    """How each weight behaves around 0: one row per (rule, feature).

    Columns: rule, feature, crossings (recorded consecutive steps where w jumps from one
    side of 0 to the other without landing on it), steps_at_zero (recorded steps with
    w exactly 0.0), final_w, ends_at_zero (final w == 0.0).  ``last``: look only at the
    last ``last`` recorded steps of each run.
    """
    if last is not None:
        last = checks.count(last, "'last'", 1, MAX_STEPS + 1)

    def summary(g: pd.DataFrame) -> pd.Series:
        w = g.sort_values("step")["w"].to_numpy()
        if last is not None:
            w = w[-last:]
        return pd.Series(
            {
                "crossings": int(np.count_nonzero(w[:-1] * w[1:] < 0)),
                "steps_at_zero": int(np.count_nonzero(w == 0.0)),
                "final_w": float(w[-1]),
                "ends_at_zero": bool(w[-1] == 0.0),
            }
        )

    out = traj.groupby(["rule", "feature"], sort=False)[["step", "w"]].apply(summary).reset_index()
    return out.astype(
        {"crossings": int, "steps_at_zero": int, "final_w": float, "ends_at_zero": bool}
    )


def final_weights(traj: pd.DataFrame, exact=None, exact_label: str = "exact") -> pd.DataFrame:
    """The last w of every (rule, feature), optionally with an exact solution as one more rule.

    Columns: rule, label (for legends), feature, w, is_zero (w == 0.0 exactly).
    ``exact``: a mapping feature → weight or a sequence in the trajectory's feature
    order (e.g. the coefficients of ``regcore.fit_path(..., standardize=False)`` at the
    same λ); it is added under rule and label ``exact_label``.
    """
    last = traj[traj["step"] == traj.groupby("rule")["step"].transform("max")]
    out = last[["rule", "feature", "w"]].reset_index(drop=True)
    out.insert(1, "label", out["rule"].map(lambda r: RULES[r].label if r in RULES else r))
    if exact is not None:
        features = list(dict.fromkeys(out["feature"]))
        values = [exact[f] for f in features] if isinstance(exact, dict) else list(np.ravel(exact))
        if len(values) != len(features):
            raise ValueError(
                f"The exact solution has {len(values)} weights but there are {len(features)} features."
            )
        extra = pd.DataFrame(
            {
                "rule": exact_label,
                "label": exact_label,
                "feature": features,
                "w": np.asarray(values, float),
            }
        )
        out = pd.concat([out, extra], ignore_index=True)
    out["is_zero"] = out["w"] == 0.0
    return out


def zero_counts(final: pd.DataFrame) -> pd.DataFrame:
    """Per rule (from ``final_weights``): label, n_weights, exact_zeros (weights == 0.0)."""
    return (
        final.groupby(["rule", "label"], sort=False)
        .agg(n_weights=("w", "size"), exact_zeros=("is_zero", "sum"))
        .reset_index()
        .astype({"n_weights": int, "exact_zeros": int})
    )
