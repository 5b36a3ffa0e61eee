import streamlit as st

from pages.app.widgets import TABLE_LINKS, paged_table, problems_panel, status_caption
from routestatus.figures import timeline_figure
from routestatus.labels import ROAD_LABELS, STATUS_LABELS
from routestatus.page_tables import events_table, intervals_table

view = st.session_state["view"]
data, choice = view.data, view.choice
st.title("Status over time")
if not problems_panel(data.report, ("data/events.csv", "data/sources.csv")):
    st.stop()

st.caption(status_caption(choice) + " The dashed line on the chart marks that day.")
st.plotly_chart(
    timeline_figure(view.clipped, view.events, choice.day), key="timeline_chart", config={"displaylogo": False}
)

days = view.days.copy()
days.index = days.index.map(ROAD_LABELS)
days.columns = days.columns.map(STATUS_LABELS)
st.subheader(f"Days in each status, {choice.start} to {choice.end}")
st.dataframe(days, key="days_table")

st.subheader(f"Events ({len(view.events)})")
paged_table(
    view,
    "events",
    lambda rows: events_table(rows, data.tables["sources"]),
    "events",
    column_config=TABLE_LINKS,
)

st.subheader(f"Status intervals ({len(view.status_intervals)})")
paged_table(view, "status_intervals", intervals_table, "intervals")
