from functools import partial

import numpy as np
import streamlit as st

from pages.app.widgets import RECORD_COLUMN, paged_table, problems_panel, status_caption
from routestatus.accessmap import NAME_LANGUAGES, access_map, selected_records
from routestatus.figures import timeline_figure
from routestatus.labels import EVENT_SYMBOLS, ROAD_LABELS, STATUS_LABELS, passage_on_day, passage_words, show_date
from routestatus.page_tables import event_list, record_link
from routestatus.textsafe import md_escape, safe_url

view = st.session_state["view"]
data, choice = view.data, view.choice
st.title("Where could traffic pass?")
st.caption(status_caption(choice) + f" Events from {choice.start} to {choice.end}.")
if not problems_panel(
    data.report, ("data/events.csv", "data/sources.csv", "data/places.csv", "data/alignments.csv", "geo/")
):
    st.stop()

# The events in range by position alone: the marks read their types and places as the dataset's
# codes, and a mark's ids, dates and summaries from the events table for the few events it
# writes out (View.events_with). A take of three columns of text cost 3 ms at 100,000 events.
events, cards = view.events_with(), view.cards
all_events = data.tables["events"]
st.metric("Events in range", view.count("events"))

for col, card in zip(st.columns(len(cards)), cards.values(), strict=True):
    iv = card.interval
    with col.container(border=True):
        st.subheader(ROAD_LABELS[card.route_id])
        st.metric(f"Status on {choice.day}", STATUS_LABELS[iv.status])
        st.markdown(f"On {choice.day}: {passage_on_day(iv.status)}.")
        st.markdown(f"{choice.start} to {choice.end}: {passage_words(view.passage.loc[card.route_id])}.")
        if card.why_unknown:
            st.write(f"Unknown: {card.why_unknown}.")
        if iv.evidence and iv.status != "unknown":
            eid = iv.evidence[-1]
            # Looked up by position (the dataset's index of ids), not by comparing every event's id.
            ev = all_events.iloc[int(data.selection.event_positions([eid])[0])]
            st.markdown(f"Since {show_date(iv.start, iv.precision)}, per event [{eid}]({record_link('event', eid)}):")
            st.caption(md_escape(ev["summary"]))
            source = data.selection.source_of(ev["source_ids"].split(";")[0])
            url = safe_url(source["url"]) if source is not None else None
            if url:
                st.link_button(f"Source: {source['publisher']}", url)
        elif not card.why_unknown:
            st.write("No event in the record sets a status on this date.")

if data.map_layers is not None:
    statuses = {road: card.interval for road, card in cards.items()}
    language = st.segmented_control(
        "Names in", list(NAME_LANGUAGES), default="English", key="map_names", help="The language of the labels."
    )
    fig = access_map(
        data.map_layers,
        choice.shown_roads,
        statuses,
        choice.day,
        events,
        data.tables["events"],
        language or "English",
        EVENT_SYMBOLS,
        data.selection,
        texts=data.tables["events"],
    )
    picked = st.plotly_chart(
        fig,
        key="map_chart",
        on_select="rerun",
        selection_mode="points",
        # No scroll zoom: the wheel scrolls the page; the +/- buttons zoom. The camera saves a PNG, drawn here.
        config={"displaylogo": False, "scrollZoom": False, "toImageButtonOptions": {"filename": "routestatus_map"}},
    )
    placed = int(np.count_nonzero(data.selection.event_codes("place_id", events.index)[0] >= 0))
    st.caption(
        f"Roads by their status on {choice.day}, in colour and line pattern (legend), on the course in use that "
        f"day; the other course in grey. {placed:,} of {len(events):,} events in the range have a mapped place and "
        "are marked by type at it; sites are black while active on that day. Roads are schematic: straight lines "
        "through checked places. Click a mark to open its record. Base map: Natural Earth; nothing is fetched."
    )
    chosen = selected_records(picked, lambda: view.events_with("event_id", "event_type", "place_id"))
    if len(chosen) == 1:
        st.query_params["event"] = chosen[0]
        st.rerun()
    elif chosen:
        st.info(
            "Events at that mark: "
            + ", ".join(f"[{md_escape(e)}]({record_link('event', e)})" for e in chosen[:40])
            + (f" and {len(chosen) - 40} more" if len(chosen) > 40 else ""),
            icon=":material/place:",
        )
    strip = timeline_figure(view.clipped, events.iloc[:0], choice.day, compact=True)
    st.plotly_chart(strip, key="map_strip", config={"displaylogo": False, "displayModeBar": False})
    st.caption(f"Status over the range, {choice.start} to {choice.end}; the dashed line marks {choice.day}.")
else:
    st.warning("The map layers could not be read; see Sources & method.")

# The events on the map, each with a link to its record.
st.subheader(f"Events in range ({len(events):,})")
paged_table(
    view,
    "events",
    partial(event_list, places=data.tables["places"]),
    "map_events",
    column_config={"record": RECORD_COLUMN},
)
