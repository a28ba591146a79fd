"""CSV bytes -> a clean DataFrame and a report -> train / test design matrices.

The one entry for files from users and samples alike:

    df, report = read_csv(data)            # DataError with a plain message if it cannot
    design = make_design(df, default_target(df), test_fraction=0.25, seed=0)

- :mod:`regcore.data.read`: ``read_csv`` and ``ReadReport`` (the pipeline).
- :mod:`regcore.data.sniff`: encoding, "is it CSV text", delimiter, decimal mark, header.
- :mod:`regcore.data.names`, :mod:`regcore.data.values`: column names and column values.
- :mod:`regcore.data.design`: targets, features, the split, imputation, one-hot.
- :mod:`regcore.data.export`: ``safe_csv_bytes`` (formula injection neutralised).
- :mod:`regcore.data.errors`: ``DataError`` and the limits.
"""

from regcore.data.design import (
    Design,
    default_target,
    make_design,
    target_problems,
    usable_features,
    usable_targets,
    varying_columns,
)
from regcore.data.errors import (
    MAX_ABS_VALUE,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UPLOAD_MB,
    MIN_TEST_ROWS,
    MIN_TRAIN_ROWS,
    DataError,
)
from regcore.data.export import safe_csv_bytes
from regcore.data.read import ReadReport, read_csv

__all__ = [
    "MAX_ABS_VALUE",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UPLOAD_MB",
    "MIN_TEST_ROWS",
    "MIN_TRAIN_ROWS",
    "DataError",
    "Design",
    "ReadReport",
    "default_target",
    "make_design",
    "read_csv",
    "safe_csv_bytes",
    "target_problems",
    "usable_features",
    "usable_targets",
    "varying_columns",
]
