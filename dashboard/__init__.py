"""Streamlit glue for the regcore dashboard: state, cached loaders, safe output.

- ``state``: which data set, which settings, which model, λ hand-overs between pages;
  the widget keys that are bound to the URL query params.
- ``loaders``: the heavy work (read + design, path, cross-validation), cached with
  ``st.cache_data`` on a digest of the file's bytes plus the settings.
- ``views``: what the pages show, computed from regcore results (errors, R², fits).
- ``show``: output that never renders a user's text as markdown, and chart guards.

The numerics live in ``regcore``; the pages in ``app_pages/`` hold layout only.
"""
