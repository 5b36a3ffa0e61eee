"""The dataset every session shares: loaded once per content hash and kept by Streamlit."""

import streamlit as st

from routestatus.diskcache import load_cached
from routestatus.paths import resolve_root
from routestatus.status import build_intervals
from routestatus.view import Options


# Here, in a module imported once, not in dashboard.py: Streamlit runs the entry script anew on
# every rerun, and a cached function defined there was decorated anew each time, which reads
# its source back and hashes it (inspect.getsource, about 1 ms a rerun).
@st.cache_resource(show_spinner="Loading the curated data…", max_entries=4)
def load(root_path: str, content_hash: str):
    """The dataset under ``root_path``, its status intervals and the choice's options (None without events).

    ``content_hash`` is only part of the cache key: an edited file changes it, so the next
    rerun reloads without a restart. One copy is shared by every session, so nothing may
    change it in place: the view's tables are always new frames. A new process finds data
    it has seen before in the disk cache (:mod:`routestatus.diskcache`) instead of checking
    it again.
    """
    data = load_cached(resolve_root(root_path), content_hash)
    if not data.counts.get("events"):
        return data, {}, None
    return data, build_intervals(data.tables["events"]), Options.of(data)
