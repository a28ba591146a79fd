"""L1 removes features, L2 only shrinks them: a fitted model written as the article writes it.

The article's closing example reads a fitted lasso as an equation such as
ŷ = 0.4561x₁ − 0.0007x₂ + …: terms with weights near 0 add almost nothing, and the lasso
sets many of them to exactly 0, which removes those features.  L2's pull 2λw shrinks with
w itself, so it brings weights close to 0 but (almost) never exactly to it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regcore.article import checks

NEAR_ZERO_SHARE = 0.01
"""A weight is "near 0" when |w| is at most this share of the largest |w| of its model."""


def _number(value: float, digits: int) -> str:
    return f"{abs(value):.{digits}f}"


def model_equation(intercept: float, coef, names, digits: int = 4, target: str = "ŷ") -> str:
    """The model as one line, e.g. "ŷ = 0.4561·x1 − 0.0007·x2 + 0·x3 + 5.0000".

    Every feature keeps its place; an exact zero is written "0·name" (the feature is
    removed), a weight that rounds to zero but is not zero keeps its sign and digits
    (e.g. "0.0000…" becomes "−0.00003" with enough digits to show it).
    """
    digits = checks.count(digits, "The number of digits", 0, 12)
    coef = np.asarray(coef, dtype=float).ravel()
    names = [str(n) for n in names]
    if len(names) != coef.size:
        raise ValueError(f"{coef.size} weights but {len(names)} names.")
    terms = []
    for w, name in zip(coef, names, strict=True):
        if w == 0.0:
            text = "0"
        else:
            shown = digits
            while float(_number(w, shown)) == 0.0 and shown < 12:
                shown += 1  # never print a non-zero weight as 0
            text = _number(w, shown)
        terms.append(("−" if w < 0 else "+", f"{text}·{name}"))
    terms.append(("−" if intercept < 0 else "+", _number(intercept, digits)))
    first_sign, first = terms[0]
    line = ("−" if first_sign == "−" else "") + first
    line += "".join(f" {sign} {term}" for sign, term in terms[1:])
    return f"{target} = {line}"


def weight_table(names, lasso, ridge, share: float = NEAR_ZERO_SHARE) -> pd.DataFrame:
    """The lasso's and the ridge's weights side by side, with what each did to every feature.

    Columns: feature, lasso, ridge, lasso_is ("exactly 0", "near 0" or "kept") and
    ridge_is (the same).  "near 0": |w| ≤ ``share`` × the largest |w| of that model.
    """
    lasso, ridge = (np.asarray(v, dtype=float).ravel() for v in (lasso, ridge))
    if lasso.shape != ridge.shape or lasso.size != len(names):
        raise ValueError("The lasso and ridge weights must have one value per feature name.")

    def kind(w: np.ndarray) -> np.ndarray:
        top = float(np.max(np.abs(w), initial=0.0))
        return np.where(w == 0.0, "exactly 0", np.where(np.abs(w) <= share * top, "near 0", "kept"))

    return pd.DataFrame(
        {
            "feature": [str(n) for n in names],
            "lasso": lasso,
            "ridge": ridge,
            "lasso_is": kind(lasso),
            "ridge_is": kind(ridge),
        }
    )
