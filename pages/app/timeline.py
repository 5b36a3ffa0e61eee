from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from pages.app.widgets import TABLE_LINKS, paged_table, problems_panel, status_caption
from routestatus.figures import timeline_figure
from routestatus.labels import (
    NO_PASSAGE_COLUMN,
    NO_PASSAGE_LABEL,
    ONE_WAY_LABEL,
    ROAD_LABELS,
    STATUS_LABELS,
    passage_words,
)
from routestatus.page_tables import events_table, intervals_arrow
from routestatus.status import labels

view = st.session_state["view"]
data, choice = view.data, view.choice
st.title("Status over time")
if not problems_panel(data.report, ("data/events.csv", "data/sources.csv")):
    st.stop()

st.caption(status_caption(choice) + " The dashed line on the chart marks that day.")
# The marks read the events in range by their labels alone: their days, roads and types from
# the dataset's arrays, and a lone event's line and a mark's ids from the events table.
marked = view.events_with()
st.plotly_chart(
    timeline_figure(
        view.clipped,
        marked,
        choice.day,
        texts=data.tables["events"],
        selection=data.selection,
        record=view.event_filter,
    ),
    key="timeline_chart",
    config={"displaylogo": False},
)

# The derived total first, so "how long was it shut" is read from it, not from "Closed" alone.
# Made as one block of numbers: relabelling a copy, or a frame of its columns, cost more than they.
counts, passage = view.days, view.passage
days = pd.DataFrame(
    np.column_stack([passage["no_civilian_passage"].to_numpy(), counts.to_numpy()]),
    index=labels(tuple(ROAD_LABELS.get(r, r) for r in counts.index)),
    columns=labels((NO_PASSAGE_COLUMN, *(STATUS_LABELS.get(c, c) for c in counts.columns))),
)
st.subheader(f"Days in each status, {choice.start} to {choice.end}")
st.dataframe(days, key="days_table")
for road, row in zip(passage.index, passage.to_numpy().tolist(), strict=True):
    st.markdown(f"**{ROAD_LABELS[road]}**: {passage_words(dict(zip(passage.columns, row, strict=True)))}.")
st.caption(
    f"{NO_PASSAGE_LABEL} counts the days a road was closed or open to humanitarian traffic only (ICRC, "
    f"peacekeepers): no civilian could travel it either way. {ONE_WAY_LABEL} days, when people could leave but "
    "no one could enter, are counted apart; days of unknown status are in neither."
)

st.subheader(f"Events ({view.count('events')})")
paged_table(
    view,
    "events",
    partial(events_table, sources=data.tables["sources"]),
    "events",
    column_config=TABLE_LINKS,
)

st.subheader(f"Status intervals ({view.count('status_intervals')})")
# As Arrow, worded from the intervals themselves: typing a frame of them, wording it and converting
# it cost more than the rows.
paged_table(view, "status_intervals", intervals_arrow, "intervals")
