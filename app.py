"""regcore dashboard: lasso, ridge and elastic-net paths you can see.

Run with ``streamlit run app.py``.  The pages live in ``app_pages/`` (not ``pages/``: a
folder with that name puts Streamlit into its legacy multipage mode before
``st.navigation`` runs); the shared settings (bound to the URL) are drawn here, before the
page, and the link's notices above it.
"""

import streamlit as st

from dashboard import resources, sidebar

resources.freeze_imports()

st.set_page_config(page_title="regcore: regularisation you can see", page_icon="📉", layout="wide")

PAGES = [
    st.Page("app_pages/data.py", title="Data", icon=":material/table:", url_path="data"),
    # the default page lives at "/" (Streamlit ignores a url_path on it)
    st.Page("app_pages/path.py", title="Path", icon=":material/show_chart:", default=True),
    st.Page("app_pages/cv.py", title="Cross-validation", icon=":material/rule:", url_path="cv"),
    st.Page("app_pages/compare.py", title="Compare", icon=":material/compare:", url_path="compare"),
    st.Page(
        "app_pages/moments.py",
        title="Summary statistics",
        icon=":material/functions:",
        url_path="moments",
    ),
    st.Page(
        "app_pages/descent.py",
        title="L1 and L2: the article",
        icon=":material/trending_down:",
        url_path="descent",
    ),
]

page = st.navigation(PAGES)
sidebar.render(data_page=page.title == "Data")
notices = st.container()
try:
    page.run()
finally:  # after the page: the Data page's settings, and notices it raised (an off-grid λ)
    sidebar.fill_data_page()
    sidebar.notices(notices)
