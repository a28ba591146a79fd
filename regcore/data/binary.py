"""Two-valued targets: which columns are binary, and which of the two labels is 1.

A column is a binary target when it holds exactly two distinct non-missing values: 0/1
numbers, booleans, yes/no or true/false text, any two text labels, any two numbers (1/2).
Missing values are not a third value (the rows are dropped like any missing target).

Which label is 1:

- numbers and booleans: the larger (1 of 0/1, 2 of 1/2, True of False);
- text: a label that sounds positive (``POSITIVE_WORDS``: yes, true, positive, …, any
  case), when exactly one of the two does; otherwise the second of the two sorted.

The second sorted label is what the logistic estimators call ``classes_[1]``; every
positive word sorts after its usual opposite (no < yes, false < true, 0 < 1,
negative < positive), so the rules agree on the usual pairs and differ only where case
puts a positive word first ("Yes" < "no").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

POSITIVE_WORDS = frozenset({"yes", "y", "true", "t", "1", "positive", "pos", "success", "on"})


@dataclass(frozen=True)
class BinaryTarget:
    """A two-valued column: its labels as shown (``labels[1]`` is 1), and how the design
    holds them as numbers (``values``: the numbers themselves for a numeric column,
    0.0 and 1.0 for text)."""

    labels: tuple[str, str]
    values: tuple[float, float]

    @property
    def positive(self) -> str:
        return self.labels[1]

    def codes(self, y) -> np.ndarray:
        """The design's target values ``y`` as 0/1 (1 where y is the positive value)."""
        return (np.asarray(y, dtype=float) == self.values[1]).astype(np.float64)

    def describe(self) -> str:
        """The report's sentence: which label is 1."""
        return f"two values: {self.labels[1]!r} is 1 (the positive class), {self.labels[0]!r} is 0"


def _is_number(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)


def binary_target(series: pd.Series) -> BinaryTarget | None:
    """The column as a binary target, or None when it does not hold exactly two values.

    Dates are never binary targets.
    """
    if pd.api.types.is_datetime64_any_dtype(series):
        return None
    present = series.dropna()
    if _is_number(series):
        numbers = present.to_numpy(dtype="float64")
        distinct = np.unique(numbers[np.isfinite(numbers)])
        if distinct.size != 2:
            return None
        if pd.api.types.is_bool_dtype(series):
            shown = ("False", "True")
        else:
            shown = tuple(f"{v:g}" for v in distinct)
        return BinaryTarget(labels=shown, values=(float(distinct[0]), float(distinct[1])))
    distinct = sorted({str(v) for v in present.unique()})  # unique first: one pass in C
    if len(distinct) != 2:
        return None
    order = _positive_last(tuple(distinct))
    return BinaryTarget(labels=(distinct[order[0]], distinct[order[1]]), values=(0.0, 1.0))


def _positive_last(sorted_labels: tuple[str, str]) -> tuple[int, int]:
    """(index of the 0 label, index of the 1 label) among two sorted labels."""
    sounds = [label.strip().lower() in POSITIVE_WORDS for label in sorted_labels]
    return (1, 0) if sounds == [True, False] else (0, 1)


def encode_binary(series: pd.Series, target: BinaryTarget) -> np.ndarray:
    """A text column's two labels as the design's numbers (``target.values``), NaN where missing."""
    text = series.astype("str")
    out = np.full(len(series), np.nan)
    present = series.notna().to_numpy()
    for label, value in zip(target.labels, target.values, strict=True):
        out[present & (text == label).to_numpy()] = value
    return out


_READ_AS = re.compile(r"^'(?P<name>.*)': (?P<ones>.+) read as 1, (?P<zeros>.+) as 0$")


def file_classes(design, report_lines) -> BinaryTarget:
    """The design's two-valued target with its labels as written in the file (a saved
    logistic model's classes).

    The reader turns yes/no and true/false words into 1/0 and says so in its report; those
    words are the labels then (the first spelling of each), else the design's own labels.
    """
    labels = design.binary.labels
    for line in report_lines:
        found = _READ_AS.match(line)
        if found and found["name"] == design.target:
            labels = found["zeros"].split("/")[0], found["ones"].split("/")[0]
            break
    return BinaryTarget(labels=labels, values=design.binary.values)
