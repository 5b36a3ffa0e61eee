import streamlit as st

from pages.widgets import paged_table, problems_panel
from routestatus.figures import timeline_figure
from routestatus.filters import filter_events
from routestatus.labels import ROAD_LABELS, STATUS_LABELS
from routestatus.page_tables import events_table, intervals_table
from routestatus.snapshot import intervals_frame
from routestatus.status import clip, days_in_status

data, intervals, flt = (
    st.session_state["dataset"],
    st.session_state["intervals"],
    st.session_state["filters"],
)
st.title("Status over time")
if not problems_panel(data.report, ("data/events.csv", "data/sources.csv")):
    st.stop()

events = filter_events(data.tables["events"], flt)
shown = {road: clip(intervals[road], flt.start, flt.end) for road in flt.roads}
st.plotly_chart(timeline_figure(shown, events), key="timeline_chart", config={"displaylogo": False})

statuses = data.schema.enum("events", "status_after")
days = days_in_status(intervals, flt.start, flt.end, statuses).loc[list(flt.roads)]
days.index = days.index.map(ROAD_LABELS)
days.columns = days.columns.map(STATUS_LABELS)
st.subheader(f"Days in each status, {flt.start} to {flt.end}")
st.dataframe(days, key="days_table")

st.subheader(f"Events ({len(events)})")
paged_table(
    events,
    lambda rows: events_table(rows, data.tables["sources"]),
    "events",
    "events",
    column_config={"source": st.column_config.LinkColumn("source", display_text="open")},
)

status = intervals_frame(intervals, flt)
st.subheader(f"Status intervals ({len(status)})")
paged_table(status, intervals_table, "status_intervals", "intervals")
