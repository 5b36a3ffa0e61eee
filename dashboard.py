"""Entry point: page config, the cached data load, the shared filters, navigation."""

import streamlit as st

from pages.widgets import problems_panel, snapshot_button
from routestatus.filters import PRECISION_RULE, Filters, fit_range, parse_query
from routestatus.labels import ROAD_LABELS
from routestatus.load import fingerprint, load_dataset
from routestatus.paths import resolve_root
from routestatus.status import ROADS, build_intervals, record_span

# An emoji icon is drawn in the browser; a Material icon as the tab icon would be fetched
# from Google's font server, and nothing here may leave the machine.
st.set_page_config(page_title="routestatus: Lachin corridor and Aghdam–Askeran road", page_icon="🛣️", layout="wide")


@st.cache_resource(show_spinner="Loading the curated data…", max_entries=4)
def _load(root_path: str, content_hash: str):
    # content_hash is only part of the cache key: an edited file changes it, so the next
    # rerun reloads without a restart. One copy is shared by every session, so nothing may
    # change it in place: filters and views always return new frames.
    data = load_dataset(resolve_root(root_path))
    intervals = build_intervals(data.tables["events"]) if data.counts.get("events") else {}
    bounds = record_span(data.tables["events"]) if data.counts.get("events") else None
    return data, intervals, bounds


root = resolve_root()
data, intervals, bounds = _load(str(root.path), fingerprint(root))
st.session_state["dataset"], st.session_state["intervals"] = data, intervals

# url_path differs from each file's name on purpose: Streamlit still treats a folder called
# pages/ as a legacy multipage app on a fresh process, and if a page's address matched its
# file name that legacy path would run the page without this frame (no data, no filters).
pages = {
    "map": st.Page("pages/map.py", title="Map", icon=":material/map:", default=True, url_path="road-map"),
    "timeline": st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="status-timeline"),
    "statements": st.Page(
        "pages/statements.py", title="Statements", icon=":material/format_quote:", url_path="road-statements"
    ),
    "sources": st.Page("pages/sources.py", title="Sources & method", icon=":material/menu_book:", url_path="method"),
}

# The view (range, roads, types) is kept under keys of its own, not only under the widgets'
# keys: Streamlit forgets a widget's value when the widget is drawn from another script, and
# opening a page by its address runs this file from a hand-over file in pages/. Each run sets
# the widgets from the kept view; a change by the user is copied back by the widget's callback,
# which runs before the script does.
VIEW_KEYS = ("flt_range", "flt_roads", "flt_types")


def _keep(key: str) -> None:
    st.session_state["view_" + key] = st.session_state[key]


if data.counts.get("events"):
    types = data.schema.enum("events", "event_type")
    if "view_flt_range" not in st.session_state:  # first run of this session: the URL sets the view
        start, notices = parse_query(st.query_params.to_dict(), bounds, types)
        st.session_state["view_flt_range"] = (start.start, start.end)
        st.session_state["view_flt_roads"] = list(start.roads)
        st.session_state["view_flt_types"] = list(start.event_types)
        st.session_state["url_notices"] = notices
    else:  # the data may have changed under this session: keep its choices inside what exists now
        kept, notice = fit_range(st.session_state["view_flt_range"], bounds, st.session_state.get("flt_bounds"))
        st.session_state["view_flt_range"] = kept
        if notice:
            st.session_state["url_notices"] = [notice]
        st.session_state["view_flt_types"] = [t for t in st.session_state["view_flt_types"] if t in types]
    st.session_state["flt_bounds"] = bounds
    for key in VIEW_KEYS:
        st.session_state[key] = st.session_state["view_" + key]
    with st.sidebar:
        for notice in st.session_state.get("url_notices", []):
            st.warning(notice, icon=":material/link_off:")
        chosen = st.date_input(
            "Date range",
            key="flt_range",
            min_value=bounds[0],
            max_value=bounds[1],
            format="YYYY-MM-DD",
            on_change=_keep,
            args=("flt_range",),
        )
        st.multiselect(
            "Roads", ROADS, key="flt_roads", format_func=ROAD_LABELS.get, on_change=_keep, args=("flt_roads",)
        )
        st.multiselect("Event types", types, key="flt_types", on_change=_keep, args=("flt_types",))
        st.caption(PRECISION_RULE)
    # While a range is being picked the widget holds one date; keep the old end until it has two.
    lo, hi = (tuple(chosen) + (bounds[1],))[:2] if chosen else bounds
    roads = tuple(r for r in ROADS if r in st.session_state["flt_roads"]) or ROADS
    flt = Filters(lo, hi, roads, tuple(st.session_state["flt_types"]) or types)
    st.session_state["filters"] = flt
    st.query_params.from_dict(flt.to_query(bounds, types))
    with st.sidebar:
        snapshot_button()

page = st.navigation(list(pages.values()))
if not data.counts.get("events") and page.title != "Sources & method":
    # Without events no page but Sources & method can be drawn; say why here instead.
    st.title(page.title)
    st.error("The data could not be loaded, so this page cannot be drawn. Sources & method lists every problem.")
    problems_panel(data.report)
else:
    page.run()
