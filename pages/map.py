import streamlit as st

from pages.widgets import problems_panel
from routestatus.figures import map_figure
from routestatus.filters import filter_events
from routestatus.labels import ROAD_LABELS, STATUS_LABELS, show_date
from routestatus.status import status_at
from routestatus.textsafe import md_escape, safe_url

data, intervals, flt = (
    st.session_state["dataset"],
    st.session_state["intervals"],
    st.session_state["filters"],
)
st.title("Where could traffic pass?")
st.caption(f"Status of each road on **{flt.end}**, the end of the chosen range; events from {flt.start} to {flt.end}.")
if not problems_panel(
    data.report, ("data/events.csv", "data/sources.csv", "data/places.csv", "data/alignments.csv", "geo/")
):
    st.stop()

events = filter_events(data.tables["events"], flt)
statuses = {road: status_at(intervals, road, flt.end) for road in intervals}
sources = data.tables["sources"].set_index("source_id")
all_events = data.tables["events"]
st.metric("Events in range", len(events))

cards = st.columns(len(flt.roads))
for col, road in zip(cards, flt.roads, strict=True):
    iv = statuses[road]
    with col.container(border=True):
        st.subheader(ROAD_LABELS[road])
        st.metric("Status", STATUS_LABELS[iv.status], label_visibility="collapsed")
        if iv.evidence:
            ev = all_events[all_events["event_id"].eq(iv.evidence[-1])].iloc[0]
            st.write(f"Since {show_date(iv.start, iv.precision)}, per event {iv.evidence[-1]}:")
            st.caption(md_escape(ev["summary"]))
            sid = ev["source_ids"].split(";")[0]
            url = safe_url(sources.loc[sid, "url"]) if sid in sources.index else None
            if url:
                st.link_button(f"Source: {sources.loc[sid, 'publisher']}", url)
        else:
            st.write("No event in the record sets a status on this date.")

if data.map_layers is not None:
    fig = map_figure(data.map_layers, flt.roads, statuses, flt.end, events)
    st.plotly_chart(fig, key="map_chart", config={"displaylogo": False})
    unplaced = int(events["place_id"].isna().sum())
    st.caption(
        f"{len(events):,} events in the range; {len(events) - unplaced:,} have a mapped place and are marked "
        "with one circle per place (larger for more events; hover lists the latest five), "
        f"{unplaced:,} are not tied to a place. Roads are schematic (straight lines through known places); "
        "colour, legend text and hover all give the status. Base map: Natural Earth; no tiles are loaded."
    )
else:
    st.warning("The map layers could not be read; see Sources & method.")
