"""Entry point: page config, the cached data load, and navigation between pages."""

import streamlit as st

from routestatus.load import fingerprint, load_dataset
from routestatus.paths import resolve_root

st.set_page_config(page_title="routestatus: Lachin corridor and Aghdam–Askeran road", layout="wide")


@st.cache_data(show_spinner="Loading the curated data…", max_entries=4)
def _load(root_path: str, content_hash: str):
    # content_hash is part of the cache key only: an edited file changes it, so the next
    # rerun reloads without a restart. Returned frames are copies, never shared objects.
    return load_dataset(resolve_root(root_path))


root = resolve_root()
st.session_state["dataset"] = _load(str(root.path), fingerprint(root))

page = st.navigation(
    [st.Page("pages/overview.py", title="Overview", icon=":material/table:", default=True)]
)
page.run()
