"""Output helpers: user text shown literally, errors in plain words, charts that fail alone.

Streamlit renders the body of ``st.error``/``st.warning``/``st.caption`` as markdown, so a
column called ``**bold**`` would turn bold and ``$x$`` into maths.  ``literal`` escapes
every ASCII punctuation mark (CommonMark renders ``\\*`` as ``*``), so such text shows
exactly as typed; HTML is never enabled.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import streamlit as st

from regcore.data import safe_csv_bytes

_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
# Escapes do not stop autolinks (www.x.org, http://…, a@b.c are linked from the rendered
# text), so an invisible word joiner goes where a link would start.
_LINK_START = re.compile(
    r"(?i)(?<=www)(?=\.)|(?<=http)(?=s?:)|(?<=ftp)(?=:)|(?<=mailto)(?=:)|(?<=xmpp)(?=:)|(?=@)"
)
WORD_JOINER = "\u2060"


def literal(text: object) -> str:
    """``text`` escaped so that markdown shows it character for character, never as a link."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _LINK_START.sub(WORD_JOINER, str(text)))


def unliteral(text: str) -> str:
    """Undo ``literal`` (for tests that read a message back)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text).replace(WORD_JOINER, "")


def error(message: object) -> None:
    """A plain-language error box, the message shown literally."""
    st.error(literal(message), icon=":material/error:")


def chart(build: Callable[[], object], what: str, **kwargs) -> bool:
    """Build an Altair chart (or a Vega-Lite spec, a dict) and draw it; if either step fails,
    say so in its place.

    Returns whether the chart was drawn, so one bad chart never stops the page.
    """
    try:
        built = build()
        if isinstance(built, dict):
            st.vega_lite_chart(built, width="stretch", **kwargs)
        else:
            st.altair_chart(built, width="stretch", **kwargs)
    except Exception as exc:  # noqa: BLE001 - any failure must stay inside this chart's slot
        st.warning(
            literal(
                f"The {what} could not be drawn ({type(exc).__name__}: {exc}). "
                "The rest of the page still works."
            )
        )
        return False
    return True


PHONE_METRICS_CSS = """<style>
@media (max-width: 640px) {
  [data-testid="stMetricValue"] { font-size: 1.4rem; }
  [data-testid="stMetricLabel"] p { font-size: 0.8rem; }
}
</style>"""


def compact_metrics_on_phones() -> None:
    """Smaller metric values on a narrow screen, so a row of four fits a phone's width."""
    st.html(PHONE_METRICS_CSS)


def download_csv(where, label: str, table: Callable[[], object], file_name: str) -> None:
    """A CSV download of ``table()`` (a DataFrame), built only when clicked, not on every rerun."""
    where.download_button(
        label,
        lambda: safe_csv_bytes(table()),
        file_name=file_name,
        mime="text/csv",
        on_click="ignore",
    )
