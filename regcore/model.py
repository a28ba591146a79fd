"""One fitted model, saved as JSON and loaded back to score new tables.

A ``Model`` is one λ of a path together with the design's encoding
(:class:`regcore.data.design.Encoding`): ``predict(df)`` encodes the rows exactly as the
training rows were (columns, one-hot levels, imputation) and returns b + X·w on the
original scale.  The JSON file holds:

- ``regcore_version`` and ``format`` (``"regcore-model/1"``);
- ``encoding``: the target and, per input column, its kind, fill value, levels and design columns;
- ``penalty``, ``l1_weight`` (the mixing α), ``lambda`` and how it was chosen (``lambda_rule``);
- ``feature_names``, ``coef`` and ``intercept`` (original scale); ``coef_std`` and
  ``intercept_std`` (ȳ) on the standardised scale, with the training ``mean`` and ``scale``
  of each column: w_std = w·scale and b = ȳ − w·mean;
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
from regcore.data.design import Encoding
from regcore.data.errors import MAX_ROWS, DataError
from regcore.data.names import clean_names
from regcore.data.read import _parse
from regcore.data.sniff import decode, sniff
from regcore.data.values import BOOLEAN, clean_column
from regcore.metrics import r2_score
from regcore.path import Path

FORMAT = "regcore-model/1"


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

    @classmethod
    def from_path(
        cls, path: Path, index: int, encoding: Encoding, lambda_rule: str = "given"
    ) -> Model:
        """Grid point ``index`` of ``path``, fitted on the design columns ``encoding`` makes
        (their names are the encoding's)."""
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
            intercept_std=float(path.y_mean),
            mean=np.asarray(path.x_mean, dtype=float).copy(),
            scale=np.asarray(path.x_scale, dtype=float).copy(),
            gap=float(path.gap[index]),
            kkt=float(path.kkt[index]),
            converged=bool(path.converged[index]),
            n_train=int(path.n_samples),
            lambda_rule=lambda_rule,
            regcore_version=__version__,
        )

    def transform(
        self, df: pd.DataFrame, unseen: str = "error", standardized: bool = False
    ) -> np.ndarray:
        """The design matrix of the rows of ``df`` (``Encoding.transform``), on the training
        rows' standardised scale when ``standardized`` (then b_std + X·w_std predicts)."""
        X, self.notes = self.encoding.transform(df, unseen=unseen)
        return (X - self.mean) / self.scale if standardized else X

    def predict(self, df: pd.DataFrame, unseen: str = "error") -> np.ndarray:
        """Predictions for the rows of ``df`` (see ``Encoding.transform`` for ``unseen``);
        what was imputed or read as the reference level is in ``notes`` afterwards."""
        return self.transform(df, unseen=unseen) @ self.coef + self.intercept

    def score_table(self, df: pd.DataFrame, unseen: str = "error") -> tuple[pd.DataFrame, dict]:
        """(df with a ``predicted <target>`` column, errors) where errors holds the ``mse``
        and ``r2`` on the rows whose target is present (empty when the column is absent)."""
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

    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
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
        if data.get("format") != FORMAT:
            raise DataError(f"This is not a regcore model file (expected format {FORMAT!r}).")
        cert = data["certificate"]
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
    decoded = decode(bytes(data))
    dialect = sniff(decoded)
    frame, _ = _parse(decoded, dialect, dialect.header, MAX_ROWS)  # (table, repair notes)
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
