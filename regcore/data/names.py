"""Column names: trimmed, never blank, never repeated, every change reported."""

import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from regcore.data.export import unescape_formulas

PANDAS_BLANK = re.compile(r"Unnamed: \d+")
# Whole words only: "id", "customer_id", "id number", "orderID", "rowNo"; never the end of
# another word ("amount_paid", "valid", "piano").
ID_NAME = re.compile(
    r"(?i:id|idx|index|key|row|rownum|row_?number|no|nr|#|record|uuid|guid)"
    r"|.*[\s_.\-](?i:id|idx|key|no|nr|uuid)"
    r"|(?i:id)[\s_.\-].*"
    r"|.*[a-z0-9](Id|ID|Idx|No|Nr|Key)"
)


@dataclass
class Names:
    names: list[str]
    renamed: dict[str, str]  # how the name read in the file (or its place, if ambiguous) -> new
    blank: set[str]  # new names of columns whose header was empty
    lines: list[str]


def clean_names(raw: list[str]) -> Names:
    """Collapse whitespace, name blank headers ``column_<position>``, number repeats ``name_2``.

    A header pandas would call ``Unnamed: 3`` counts as blank. Keys of ``renamed``
    are the names as written, except that a blank or repeated name is keyed by
    its place, e.g. ``"(column 3: '')"``, so that no two renames collide.
    """
    cleaned = unescape_formulas(pd.Series([str(name) for name in raw], dtype="str")).tolist()
    cleaned = [" ".join(name.split()) for name in cleaned]
    taken = {name for name in cleaned if name and not PANDAS_BLANK.fullmatch(name)}
    repeats = {name for name, count in Counter(cleaned).items() if count > 1}
    seen: set[str] = set()
    names, renamed, blank, lines = [], {}, set(), []
    for position, (old, name) in enumerate(zip(raw, cleaned, strict=True), start=1):
        is_blank = not name or PANDAS_BLANK.fullmatch(name) is not None
        new = f"column_{position}" if is_blank else name
        if new in seen or (is_blank and new in taken):
            new = next_free(new, seen | taken)
        seen.add(new)
        names.append(new)
        if is_blank:
            blank.add(new)
        if new == old:
            continue
        ambiguous = is_blank or name in repeats
        key = f"(column {position}: {old!r})" if ambiguous else str(old)
        renamed[key] = new
        shown = key if ambiguous else repr(key)
        lines.append(f"renamed {shown} to {new!r} ({_why(old, name, is_blank, new)})")
    return Names(names=names, renamed=renamed, blank=blank, lines=lines)


def _why(old: str, cleaned: str, is_blank: bool, new: str) -> str:
    if is_blank:
        return "blank name"
    if new != cleaned:
        return "repeated name"
    if " ".join(str(old).split()) != str(old):
        return "spaces trimmed"
    return "spreadsheet escape removed"


def next_free(name: str, used: set[str]) -> str:
    """``name_2``, ``name_3``, ...: the first that is not in ``used``."""
    suffix = 2
    while f"{name}_{suffix}" in used:
        suffix += 1
    return f"{name}_{suffix}"


def looks_like_id_name(name: str) -> bool:
    """Names people give to row identifiers: id, index, customer_id, orderID, row_no, ..."""
    return ID_NAME.fullmatch(name.strip()) is not None
