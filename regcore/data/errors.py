"""The reader's one error type and the limits it enforces.

Every refusal is a :class:`DataError` whose ``str()`` is one plain-language
message: what is wrong with the file and how to fix it. Pages show that text as
it is; nothing else from the reader should ever reach a user.
"""

MAX_ROWS = 1_000_000
MAX_COLUMNS = 5_000
MAX_UPLOAD_MB = 200  # the same number as [server] maxUploadSize in .streamlit/config.toml
MIN_TRAIN_ROWS = 5
MIN_TEST_ROWS = 2
# The largest |value| a column may hold. Losses square a target's values and the spread of
# cross-validated losses squares them again: a million fourth powers of 1e75 (1e306) still
# fit in a double (about 1.8e308), so every statistic the app shows stays finite.
MAX_ABS_VALUE = 1e75


class DataError(ValueError):
    """A file or a choice of columns that cannot become a model, with the reason."""


def plural(count: int, word: str, many: str | None = None) -> str:
    """``"1 row"``, ``"3 rows"``, ``"1,200 rows"``: counts as people write them."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def quoted_list(items, limit: int = 5) -> str:
    """``'a', 'b', 'c' and 2 more``: a short list of names for a message."""
    items = [repr(str(item)) for item in items]
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit:,} more"
