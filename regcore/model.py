"""One fitted model, saved as JSON and loaded back to score new tables.

A ``Model`` is one λ of a path together with the design's encoding
(:class:`regcore.data.design.Encoding`): ``decision_function(df)`` encodes the rows exactly
as the training rows were (columns, one-hot levels, imputation) and returns b + X·w on the
original scale.  That is the linear family's prediction; a logistic model (``family``
"logistic") turns it into P(target = the label that is 1) = σ(b + X·w)
(``predict_proba``) and predicts that label where the probability is above ½, the other
one elsewhere, both spelt as in the training file.  The JSON file holds:

- ``regcore_version`` and ``format`` (``"regcore-model/2"``; files of format 1, from before
  the logistic family, load as linear models);
- ``family`` ("gaussian" or "logistic") and, for a logistic model, ``classes``: the
  ``labels`` of 0 and of 1 as written in the file, and the ``values`` the design held them
  as (a target column of new rows is read through either);
- ``encoding``: the target and, per input column, its kind, fill value, levels and design columns;
- ``penalty``, ``l1_weight`` (the mixing α), ``lambda`` and how it was chosen (``lambda_rule``);
- ``feature_names``, ``coef`` and ``intercept`` (original scale); ``coef_std`` and
  ``intercept_std`` = b + w·mean (ȳ for the linear family) on the standardised scale, with
  the training ``mean`` and ``scale`` of each column: w_std = w·scale;
- ``certificate``: duality ``gap``, ``kkt`` residual and ``converged`` at that λ;
- ``n_train``.

Floats are written with Python's shortest round-trip repr, so a loaded model predicts
bit for bit what the saved one did.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path as FilePath

import numpy as np
import pandas as pd

from regcore import __version__
from regcore.data.binary import BinaryTarget, encode_binary
from regcore.data.design import Encoding
from regcore.data.errors import DataError
from regcore.data.names import clean_names
from regcore.data.read import read_raw
from regcore.data.values import BOOLEAN, clean_column
from regcore.logistic import MEASURES
from regcore.metrics import r2_score
from regcore.path import Path
from regcore.solvers.logistic import sigmoid

FORMAT = "regcore-model/2"
FORMATS = ("regcore-model/1", FORMAT)  # format 1: linear models only, no family field
#: the classes of a logistic model fitted on 0/1 numbers, when no other labels are given
ZERO_ONE = BinaryTarget(labels=("0", "1"), values=(0.0, 1.0))


@dataclass
class Model:
    """A fitted λ with its encoding; see the module docstring."""

    encoding: Encoding
    penalty: str
    l1_weight: float
    lam: float
    feature_names: list[str]
    coef: np.ndarray
    intercept: float
    coef_std: np.ndarray
    intercept_std: float
    mean: np.ndarray
    scale: np.ndarray
    gap: float
    kkt: float
    converged: bool
    n_train: int
    lambda_rule: str = "given"
    regcore_version: str = ""
    notes: list[str] = field(default_factory=list)
    family: str = "gaussian"
    classes: BinaryTarget | None = None  # the logistic family's labels of 0 and 1

    @classmethod
    def from_path(
        cls,
        path: Path,
        index: int,
        encoding: Encoding,
        lambda_rule: str = "given",
        classes: BinaryTarget | None = None,
    ) -> Model:
        """Grid point ``index`` of ``path``, fitted on the design columns ``encoding`` makes
        (their names are the encoding's).  ``classes``: a logistic path's labels of 0 and 1
        and the values the design held them as (the design's ``binary``, with the labels
        as the file spells them); ``ZERO_ONE`` when not given."""
        if path.n_features != len(encoding.feature_names):
            raise ValueError(
                f"The path has {path.n_features} columns but the encoding makes "
                f"{len(encoding.feature_names)}: fit the path on that design's columns."
            )
        return cls(
            encoding=encoding,
            penalty=path.penalty,
            l1_weight=float(path.alpha),
            lam=float(path.lambdas[index]),
            feature_names=encoding.feature_names,
            coef=path.coef[index].copy(),
            intercept=float(path.intercept[index]),
            coef_std=path.coef_std[index].copy(),
            intercept_std=float(path.intercept[index] + path.coef[index] @ path.x_mean),
            mean=np.asarray(path.x_mean, dtype=float).copy(),
            scale=np.asarray(path.x_scale, dtype=float).copy(),
            gap=float(path.gap[index]),
            kkt=float(path.kkt[index]),
            converged=bool(path.converged[index]),
            n_train=int(path.n_samples),
            lambda_rule=lambda_rule,
            regcore_version=__version__,
            family=path.family,
            classes=(classes or ZERO_ONE) if path.family == "logistic" else None,
        )

    def transform(
        self, df: pd.DataFrame, unseen: str = "error", standardized: bool = False
    ) -> np.ndarray:
        """The design matrix of the rows of ``df`` (``Encoding.transform``), on the training
        rows' standardised scale when ``standardized`` (then b_std + X·w_std predicts)."""
        X, self.notes = self.encoding.transform(df, unseen=unseen)
        return (X - self.mean) / self.scale if standardized else X

    @property
    def logistic(self) -> bool:
        return self.family == "logistic"

    def decision_function(self, df: pd.DataFrame, unseen: str = "error") -> np.ndarray:
        """b + X·w for the rows of ``df`` (see ``Encoding.transform`` for ``unseen``): the
        linear family's prediction, the logistic family's log-odds of the class that is 1.
        What was imputed or read as the reference level is in ``notes`` afterwards."""
        return self.transform(df, unseen=unseen) @ self.coef + self.intercept

    def predict_proba(self, df: pd.DataFrame, unseen: str = "error") -> np.ndarray:
        """P(target = ``classes.positive``) for each row of ``df`` (logistic models only)."""
        if not self.logistic:
            raise ValueError("Probabilities come from a logistic model; this one is linear.")
        return sigmoid(self.decision_function(df, unseen=unseen))

    def predict(self, df: pd.DataFrame, unseen: str = "error") -> np.ndarray:
        """Predictions for the rows of ``df``: b + X·w (linear), or the predicted label
        (logistic: ``classes.positive`` where its probability is above ½), as objects."""
        if self.logistic:
            return self._labels_of(self.predict_proba(df, unseen=unseen))
        return self.decision_function(df, unseen=unseen)

    def _labels_of(self, prob: np.ndarray) -> np.ndarray:
        zero, one = self.classes.labels
        return np.where(prob > 0.5, one, zero).astype(object)

    def score_table(self, df: pd.DataFrame, unseen: str = "error") -> tuple[pd.DataFrame, dict]:
        """(df with a ``predicted <target>`` column, errors) where errors holds the number of
        ``rows`` whose target is present and, on them, the ``mse`` and ``r2`` (linear) or the
        ``deviance``, ``misclassification`` and ``auc`` (logistic); empty when the column is
        absent.  A logistic model adds ``probability <target> = <label of 1>`` before the
        predicted label."""
        if self.logistic:
            return self._score_classes(df, unseen)
        pred = self.predict(df, unseen=unseen)
        target = self.encoding.target
        out = df.copy()
        out[f"predicted {target}"] = pred
        errors: dict = {}
        if target in df.columns:
            y = pd.to_numeric(df[target], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            known = np.isfinite(y)
            if known.sum() >= 2:
                resid = y[known] - pred[known]
                errors = {
                    "rows": int(known.sum()),
                    "mse": float(np.mean(resid * resid)),
                    "r2": r2_score(y[known], pred[known]),
                }
        return out, errors

    def _score_classes(self, df: pd.DataFrame, unseen: str) -> tuple[pd.DataFrame, dict]:
        prob = self.predict_proba(df, unseen=unseen)
        target = self.encoding.target
        out = df.copy()
        out[f"probability {target} = {self.classes.positive}"] = prob
        out[f"predicted {target}"] = self._labels_of(prob)
        if target not in df.columns:
            return out, {}
        y = self.class_codes(df[target])
        known = np.isfinite(y)
        if not known.any():
            return out, {}
        errors = {m: float(f(y[known], prob[known])) for m, f in MEASURES.items()}
        return out, {"rows": int(known.sum()), **errors}

    def class_codes(self, series: pd.Series) -> np.ndarray:
        """A target column of new rows as 0/1 (NaN where missing), read through the training
        labels (text) or the values the design held them as (numbers, yes/no words read as
        1/0).  Any other value raises DataError naming it."""
        classes = self.classes
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            values = series.to_numpy(dtype=float, na_value=np.nan)
        else:
            values = encode_binary(series.astype("str").str.strip(), classes)
        present = series.notna().to_numpy()
        other = present & ~np.isin(values, classes.values)
        if other.any():
            raise DataError(
                f"The column {self.encoding.target!r} should hold {classes.labels[0]!r} or "
                f"{classes.labels[1]!r}, as in training, but {int(other.sum())} row(s) hold "
                f"something else (e.g. {str(series[other].iloc[0])!r}). Correct those values "
                "or remove the column to score the rows without it."
            )
        return np.where(present, classes.codes(values), np.nan)

    def to_dict(self) -> dict:
        classes = self.classes
        return {
            "format": FORMAT,
            "family": self.family,
            **(
                {"classes": {"labels": list(classes.labels), "values": list(classes.values)}}
                if classes is not None
                else {}
            ),
            "regcore_version": self.regcore_version,
            "encoding": self.encoding.to_dict(),
            "penalty": self.penalty,
            "l1_weight": self.l1_weight,
            "lambda": self.lam,
            "lambda_rule": self.lambda_rule,
            "feature_names": self.feature_names,
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "coef_std": self.coef_std.tolist(),
            "intercept_std": self.intercept_std,
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "certificate": {"gap": self.gap, "kkt": self.kkt, "converged": self.converged},
            "n_train": self.n_train,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False, allow_nan=False)

    def save(self, path) -> None:
        FilePath(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def from_dict(cls, data: dict) -> Model:
        if data.get("format") not in FORMATS:
            raise DataError(f"This is not a regcore model file (expected format {FORMAT!r}).")
        cert = data["certificate"]
        family = data.get("family", "gaussian")
        if family not in ("gaussian", "logistic"):
            raise DataError(f"The model file names an unknown family {family!r}.")
        classes = data.get("classes")
        if family == "logistic":
            labels, values = classes["labels"], classes["values"]
            if len(labels) != 2 or len(values) != 2:
                raise DataError("A logistic model file must name two classes.")
            classes = BinaryTarget(
                labels=(str(labels[0]), str(labels[1])),
                values=(float(values[0]), float(values[1])),
            )
        return cls(
            encoding=Encoding.from_dict(data["encoding"]),
            penalty=data["penalty"],
            l1_weight=float(data["l1_weight"]),
            lam=float(data["lambda"]),
            feature_names=list(data["feature_names"]),
            coef=np.array(data["coef"], dtype=float),
            intercept=float(data["intercept"]),
            coef_std=np.array(data["coef_std"], dtype=float),
            intercept_std=float(data["intercept_std"]),
            mean=np.array(data["mean"], dtype=float),
            scale=np.array(data["scale"], dtype=float),
            gap=float(cert["gap"]),
            kkt=float(cert["kkt"]),
            converged=bool(cert["converged"]),
            n_train=int(data["n_train"]),
            lambda_rule=data.get("lambda_rule", "given"),
            regcore_version=data.get("regcore_version", ""),
            family=family,
            classes=classes if family == "logistic" else None,
        )


def load_model(path) -> Model:
    """The model saved at ``path`` (a file name, or JSON text already read as bytes/str)."""
    if isinstance(path, bytes | bytearray):
        text = path.decode("utf-8")
    elif isinstance(path, str) and path.lstrip().startswith("{"):
        text = path
    else:
        text = FilePath(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise DataError(f"The model file is not valid JSON ({err.msg}).") from err
    if not isinstance(data, dict):
        raise DataError("This is not a regcore model file.")
    try:
        return Model.from_dict(data)
    except (KeyError, TypeError, ValueError) as err:
        if isinstance(err, DataError):
            raise
        raise DataError(f"The model file is incomplete or damaged ({err!r}).") from err


def read_rows(data: bytes) -> pd.DataFrame:
    """CSV bytes of rows to score, read as ``regcore.data.read_csv`` reads them (encoding,
    dialect, names, numbers, booleans, dates) but keeping every column: a file of new rows
    may hold one value per column, which the reader would drop as constant (a column so
    dropped keeps its values as parsed)."""
    frame, dialect = read_raw(data)
    if not dialect.header:
        raw = [f"column_{i}" for i in range(1, frame.shape[1] + 1)]
    elif len(dialect.first_record) == frame.shape[1]:
        raw = dialect.first_record
    else:
        raw = [str(name) for name in frame.columns]
    columns = {}
    for position, name in enumerate(clean_names(raw).names):
        parsed = frame.iloc[:, position]
        cleaned = clean_column(name, parsed, dialect.decimal).values
        if cleaned is None:  # constant here: yes / no words still read as 1 / 0
            words = parsed.astype("str").str.strip().str.lower()
            cleaned = words.map(BOOLEAN) if words.dropna().isin(BOOLEAN).all() else parsed
        columns[name] = cleaned
    return pd.DataFrame(columns)
