"""The article's gradient-descent updates of w, in its three forms, and one step of them.

With learning rate η and H = ∂L/∂w (``regcore.article.losses``), the updates of w are
(b always takes the plain step b ← b − η·∂L/∂b: the intercept is never penalised):

    eq. 0     L             w_new = w − η·H
    eq. 1.1   L1, w > 0     w_new = w − η·(H + λ)
    eq. 1.2   L1, w < 0     w_new = w − η·(H − λ)
              (together: w − η·(H + λ·sign(w)), with sign(0) = 0)
    eq. 2     L2            w_new = w − η·(H + 2λw)
    proximal  L1            w_new = S(w − η·H, ηλ),   S(v, t) = sign(v)·max(|v| − t, 0)

The article then sets η = 1, so that eq. 0 reads w − H, eq. 1.1 w − H − λ, eq. 1.2
w − H + λ and eq. 2 w − H − 2λw, and rearranges them to show what the penalty adds to the
plain step w − H:

    (3.1)  w_new = (w − λ) − H        (3.2)  w_new = (w + λ) − H        (4)  w_new = (w − 2λw) − H

L1 moves w by a fixed λ towards 0 whatever its size (only its sign matters); L2 by 2λw,
which depends on the sign and the magnitude of w and doubles λ.  The subgradient step
therefore overshoots near 0 and jitters; the proximal step sets every |v| ≤ ηλ to exactly
0.  The penalties and S come from ``regcore.penalties`` (the one objective, stated in ``regcore.penalties``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from regcore.article import checks
from regcore.article.losses import ERRORS, ErrorTerm, error_term, shape_like
from regcore.penalties import ElasticNetPenalty, penalty_for


@dataclass(frozen=True)
class Rule:
    """One update rule: its key, a label for legends, the formula, and how it treats w."""

    name: str
    label: str
    formula: str
    penalty: str | None  # a name for ``penalties.penalty_for``; None: no penalty
    proximal: bool  # True: gradient step on L, then the penalty's prox


RULES: dict[str, Rule] = {
    r.name: r
    for r in (
        Rule("plain", "L, no penalty (eq. 0)", "w − η·H", None, False),
        Rule("l1", "L1 subgradient (eq. 1.1/1.2)", "w − η·(H + λ·sign(w))", "lasso", False),
        Rule("l2", "L2 (eq. 2)", "w − η·(H + 2λw)", "ridge", False),
        Rule("l1_prox", "L1 proximal (soft-threshold)", "S(w − η·H, ηλ)", "lasso", True),
        Rule(
            "elasticnet",
            "elastic net subgradient",
            "w − η·(H + λ·(α·sign(w) + 2(1 − α)·w))",
            "elasticnet",
            False,
        ),
        Rule(
            "elasticnet_prox",
            "elastic net proximal",
            "S(w − η·H, ηλα) / (1 + 2ηλ(1 − α))",
            "elasticnet",
            True,
        ),
    )
}
"""Every rule ``step`` and ``trajectory`` know, in the order charts list them."""

DEFAULT_RULES = ("plain", "l1", "l2", "l1_prox")


def rule_of(name) -> Rule:
    if name not in RULES:
        raise ValueError(f"Unknown update rule {name!r}: choose one of {', '.join(RULES)}.")
    return RULES[name]


def rule_penalty(rule: Rule, alpha) -> ElasticNetPenalty | None:
    """The penalty object of a rule; α matters only for the elastic-net rules (default 0.5)."""
    if rule.penalty is None:
        return None
    return penalty_for(rule.penalty, alpha if rule.penalty == "elasticnet" else None)


def new_w(w, H, eta: float, lam: float, rule: Rule, penalty):
    """The rule's w_new from w and H = ∂L/∂w: the one place the update of w is written."""
    if penalty is None:
        return w - eta * H  # eq. 0
    if rule.proximal:
        return penalty.prox(w - eta * H, lam, eta)  # S(w − η·H, ηλ)
    return w - eta * (H + penalty.grad(w, lam))  # eq. 1.1 / 1.2 / 2


def advance(X, y, w, b, eta, lam, rule: Rule, penalty, error: ErrorTerm = ERRORS["squared"]):
    """One update of (w, b) from the gradient of ``error`` at the current (w, b) (validated
    arrays)."""
    H, db = error.gradient(X, y, w, b)
    return new_w(w, H, eta, lam, rule, penalty), b - eta * db


def step(
    X, y, w, b, *, eta: float, lam: float = 0.0, rule: str = "plain", alpha: float | None = None
):
    """One update of (w, b) by ``rule`` (a key of ``RULES``); returns (w_new, b_new).

    rule: "plain" (eq. 0), "l1" (eq. 1.1 / 1.2), "l2" (eq. 2), "l1_prox" (soft-threshold),
    "elasticnet" / "elasticnet_prox" (mixing ``alpha``, default 0.5; ignored by the others).
    With one feature w_new is a float, else a (p,) array.
    """
    Xa, ya, _, one = checks.as_problem(X, y)
    r = rule_of(rule)
    w_new, b_new = advance(
        Xa,
        ya,
        checks.as_weights(w, Xa.shape[1]),
        checks.real(b, "The intercept b"),
        checks.eta(eta),
        checks.lam(lam),
        r,
        rule_penalty(r, alpha),
    )
    return shape_like(one, w_new), b_new


def eta_limit(
    X, *, lam: float = 0.0, rule: str = "plain", alpha: float | None = None, error="squared"
) -> float:
    """The learning rate at and above which the descent stops being stable: 2 / L.

    L is the largest curvature of what the rule differentiates: the Hessian of Error in
    (w, b), (2/n)·[X 1]ᵀ[X 1], plus 2λ(1 − α) on the w block when the rule takes the
    gradient of an L2 part (rules "l2" and "elasticnet"; the proximal rules handle it in
    the prox).  For η < 2/L plain and L2 descent converge; above it the loss grows
    geometrically.  The L1 subgradient step never settles exactly, whatever η.
    ``error="logistic"`` bounds the log-loss's Hessian by (1/(4n))·[X 1]ᵀ[X 1] instead
    (``ErrorTerm.curvature``): below its 2/L the descent converges; above it, it may not.
    """
    Xa = checks.as_features(X)
    lam = checks.lam(lam)
    r = rule_of(rule)
    penalty = rule_penalty(r, alpha)
    n, p = Xa.shape
    Z = np.hstack([Xa, np.ones((n, 1))])
    hessian = error_term(error).curvature / n * (Z.T @ Z)
    if penalty is not None and not r.proximal:
        hessian[:p, :p] += 2.0 * lam * penalty.l2 * np.eye(p)
    return 2.0 / float(np.linalg.eigvalsh(hessian)[-1])


# ---------------------------------------------------------------- the article's three forms

FORMS = ("with η", "η = 1", "rearranged")


def _equation(rule: str, w: float, form: str) -> tuple[str, str]:
    """(equation number, the update written in the article's symbols) for one form."""
    if rule == "plain" or (rule == "l1" and w == 0):
        # sign(0) = 0: at w = 0 neither 1.1 nor 1.2 applies and L1 adds nothing this step
        number = "0" if rule == "plain" else "1.1/1.2"
        return number, "w − η·H" if form == "with η" else "w − H"
    if rule == "l2":
        return {
            "with η": ("2", "w − η·(H + 2λw)"),
            "η = 1": ("2", "w − H − 2λw"),
            "rearranged": ("4", "(w − 2λw) − H"),
        }[form]
    sign = "+" if w > 0 else "−"
    other = "−" if w > 0 else "+"
    return {
        "with η": ("1.1" if w > 0 else "1.2", f"w − η·(H {sign} λ)"),
        "η = 1": ("1.1" if w > 0 else "1.2", f"w − H {other} λ"),
        "rearranged": ("3.1" if w > 0 else "3.2", f"(w {other} λ) − H"),
    }[form]


def _number(v: float) -> str:
    text = f"{v:.4g}".replace("-", "−")
    return f"({text})" if v < 0 else text


def worked(update: str, w: float, H: float, lam: float, eta: float) -> str:
    """The update with the numbers put in for w, H, λ and η (negative numbers in brackets)."""
    text = update.replace("2λw", "2·λ·w")
    for symbol, value in (("η", eta), ("λ", lam), ("H", H), ("w", w)):
        text = text.replace(symbol, _number(value))
    return text


def article_forms(w: float, H: float, lam: float, eta: float) -> pd.DataFrame:
    """The updates of L (eq. 0), L1 (1.1/1.2) and L2 (2) in the article's three forms.

    One row per (rule, form): rule ("plain", "l1", "l2"), form (``FORMS``), equation (its
    number: 0, 1.1 or 1.2, 2; rearranged 3.1 or 3.2, 4), update (in symbols), worked (the
    same with the numbers put in), w_new, and
    penalty_move: what the penalty adds to the plain step (−ηλ·sign(w) or −2ηλw with η,
    the same with η = 1 in the other two forms).  "with η" uses ``eta``; the other forms
    set η = 1.  The rearranged values are computed from their own arithmetic, so a test
    can check that the article's rearrangement changes nothing.
    """
    w, H = checks.real(w, "w"), checks.real(H, "H")
    lam, eta = checks.lam(lam), checks.eta(eta)
    rows = []
    for name in ("plain", "l1", "l2"):
        rule = RULES[name]
        penalty = rule_penalty(rule, None)
        for form in FORMS:
            step_size = eta if form == "with η" else 1.0
            if form == "rearranged":
                pull = {"plain": 0.0, "l1": -lam * np.sign(w), "l2": -2.0 * lam * w}[name]
                value = (w + pull) - H
            else:
                value = float(new_w(np.array([w]), np.array([H]), step_size, lam, rule, penalty)[0])
            plain = w - step_size * H
            equation, update = _equation(name, w, form)
            numbers = worked(update, w, H, lam, step_size)
            rows.append((name, form, equation, update, numbers, float(value), float(value - plain)))
    return pd.DataFrame(
        rows,
        columns=["rule", "form", "equation", "update", "worked", "w_new", "penalty_move"],
    )
