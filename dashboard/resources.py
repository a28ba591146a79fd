"""What the dashboard may hold per server, and for how long: the cache policy in one place.

The decorators in :mod:`dashboard.loaders` take their options from here.

- **Tables and designs** (the large objects: a frame and two float64 matrices, together a few
  times the file's size) are cached per *session* (``scope="session"``). Streamlit drops a
  session's entries when its websocket closes, so a closed tab releases its upload at once
  instead of holding it until a count-bounded global cache happens to evict it. A session
  keeps at most ``SESSION_DATA_SETS`` data sets (the one in use and the one before), and none
  longer than ``TTL`` unused: with uploads capped at ``MAX_UPLOAD_MB``, that bounds the bytes
  one session holds.
- **Fits, CV curves and chart bases** (small: a few numbers per feature and λ) are shared by
  every session, bounded by bytes where Streamlit measures them (``max_size`` counts pickled
  bytes of ``cache_data``), by count otherwise, and by age (``TTL``).
- **Abandoned work**: cross-validation reports progress after every fold through a Streamlit
  progress bar; a Streamlit call is where a rerun or a closed session stops a script, so work
  abandoned by a reload stops within one fold. A single path fit is one bounded call.
"""

from regcore.data import MAX_UPLOAD_MB

TTL = "20m"  # an entry unused this long is dropped
SESSION_DATA_SETS = 2
FIT_CACHE_BYTES = "128MB"  # every cached fit and CV result together (pickled bytes)
MAX_CACHED_FITS = 48
MAX_CACHED_CHARTS = 48

TABLES = {"scope": "session", "max_entries": SESSION_DATA_SETS, "ttl": TTL}
FITS = {"max_size": FIT_CACHE_BYTES, "max_entries": MAX_CACHED_FITS, "ttl": TTL}
CHARTS = {"max_entries": MAX_CACHED_CHARTS, "ttl": TTL}

# The most one session's tables can hold: its data sets, each at most the upload limit as
# text and a few times that once parsed (the memory benchmark, bench/memory.py, measures it).
SESSION_TABLE_MB_BOUND = SESSION_DATA_SETS * 4 * MAX_UPLOAD_MB
