"""Altair chart builders: pure functions, data in, chart out (testable without Streamlit)."""
