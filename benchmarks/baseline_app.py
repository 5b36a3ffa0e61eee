"""Streamlit's floor for the benchmarks: the dashboard's widgets, rows and points, none of its logic.

A plain Streamlit script that reads ``$ROUTESTATUS_ROOT/data/events.csv`` (default: the
project's own) with pandas, shows the same sidebar widgets as the dashboard (keys
``flt_range``, ``flt_roads``, ``flt_types``), filters with plain pandas masks and sends one
metric, one dataframe and one map figure. Whatever the project's pages take beyond this
script is the project's own cost.

Environment:
- ``BASELINE_ROWS``: rows of the dataframe (default: every filtered row);
- ``BASELINE_POINTS``: points on the map (default: the number of filtered rows), placed
  inside the region (lon 45.5-47.5, lat 39-40.5) by the filtered rows' positions, so the
  map changes with the range.

Retracted events are left out, as the dashboard leaves them out.

Run it on its own with ``streamlit run benchmarks/baseline_app.py``.
"""

import os
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

ROADS = ["lachin", "aghdam_askeran"]

st.set_page_config(page_title="baseline", layout="wide")


@st.cache_resource(show_spinner=False)
def read_events(path: str, mtime: float) -> pd.DataFrame:
    """The events table; ``mtime`` is only part of the cache key, so an edited file is read again."""
    frame = pd.read_csv(path, dtype="string", keep_default_na=False)
    frame["date_start"] = pd.to_datetime(frame["date_start"], format="%Y-%m-%d")
    frame["date_end"] = pd.to_datetime(frame["date_end"].replace("", None), format="%Y-%m-%d")
    return frame


root = Path(os.environ.get("ROUTESTATUS_ROOT") or Path(__file__).resolve().parent.parent)
path = root / "data" / "events.csv"
events = read_events(str(path), path.stat().st_mtime)
first = events["date_start"].min().date()
last = max(events["date_start"].max(), events["date_end"].max()).date()
types = sorted(events["event_type"].unique())

if "flt_range" not in st.session_state:
    st.session_state["flt_range"] = (first, last)
    st.session_state["flt_roads"] = list(ROADS)
    st.session_state["flt_types"] = list(types)
with st.sidebar:
    chosen = st.date_input("Date range", key="flt_range", min_value=first, max_value=last, format="YYYY-MM-DD")
    roads = st.multiselect("Roads", ROADS, key="flt_roads")
    chosen_types = st.multiselect("Event types", types, key="flt_types")
lo, hi = (tuple(chosen) + (last,))[:2] if chosen else (first, last)

mask = (events["date_start"] >= pd.Timestamp(lo)) & (events["date_start"] <= pd.Timestamp(hi))
mask &= events["route_id"].isin([*(roads or ROADS), "both", "none"]) & events["event_type"].isin(chosen_types or types)
# Retracted rows are left out, as the dashboard leaves them out: so the filter drops rows on
# every range (pandas then copies, as it does for the dashboard) rather than keeping them all.
mask &= ~events["retracted"].eq("true")
rows = events[mask]

st.metric("Events in range", len(rows))
shown_rows = int(os.environ.get("BASELINE_ROWS") or len(rows))
st.dataframe(rows.head(shown_rows), hide_index=True)

points = int(os.environ.get("BASELINE_POINTS") or len(rows))
# Points that follow the range: each drawn row's place is a function of its position in the
# file, so a new range gives a new figure (the browser redraws it, as the dashboard's).
at = np.resize(rows.index.to_numpy(), points) if len(rows) else np.arange(points)
# The same kind of map as the project's: SVG scattergeo with plotly's own layers off.
fig = go.Figure(
    go.Scattergeo(
        lon=45.5 + 2.0 * ((at * 0.6180339887) % 1.0),
        lat=39.0 + 1.5 * ((at * 0.7548776662) % 1.0),
        mode="markers",
        marker={"size": 8},
    )
)
fig.update_geos(visible=False, projection_type="mercator", lonaxis_range=[46.15, 47.15], lataxis_range=[39.4, 40.1])
fig.update_layout(height=780)
st.plotly_chart(fig, key="baseline_map")
