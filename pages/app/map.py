import streamlit as st

from pages.app.widgets import TABLE_LINKS, paged_table, problems_panel, status_caption
from routestatus.figures import map_figure
from routestatus.labels import ROAD_LABELS, STATUS_LABELS, passage_on_day, passage_words, show_date
from routestatus.page_tables import events_table, record_link
from routestatus.textsafe import md_escape, safe_url

view = st.session_state["view"]
data, choice = view.data, view.choice
st.title("Where could traffic pass?")
st.caption(status_caption(choice) + f" Events from {choice.start} to {choice.end}.")
if not problems_panel(
    data.report, ("data/events.csv", "data/sources.csv", "data/places.csv", "data/alignments.csv", "geo/")
):
    st.stop()

events, cards = view.events, view.cards
sources = data.tables["sources"].set_index("source_id")
all_events = data.tables["events"]
st.metric("Events in range", len(events))

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
            ev = all_events[all_events["event_id"].eq(iv.evidence[-1])].iloc[0]
            eid = iv.evidence[-1]
            st.markdown(f"Since {show_date(iv.start, iv.precision)}, per event [{eid}]({record_link('event', eid)}):")
            st.caption(md_escape(ev["summary"]))
            sid = ev["source_ids"].split(";")[0]
            url = safe_url(sources.loc[sid, "url"]) if sid in sources.index else None
            if url:
                st.link_button(f"Source: {sources.loc[sid, 'publisher']}", url)
        elif not card.why_unknown:
            st.write("No event in the record sets a status on this date.")

if data.map_layers is not None:
    statuses = {road: card.interval for road, card in cards.items()}
    fig = map_figure(data.map_layers, choice.shown_roads, statuses, choice.day, events)
    st.plotly_chart(fig, key="map_chart", config={"displaylogo": False})
    unplaced = int(events["place_id"].isna().sum())
    st.caption(
        f"Roads coloured by their status on {choice.day}, on the course in use that day. "
        f"{len(events):,} events in the range; {len(events) - unplaced:,} have a mapped place and are marked "
        "with one circle per place (larger for more events; hover lists the latest five), "
        f"{unplaced:,} are not tied to a place. Roads are schematic (straight lines through known places); "
        "colour, legend text and hover all give the status. Base map: Natural Earth; no tiles are loaded."
    )
else:
    st.warning("The map layers could not be read; see Sources & method.")

# The events on the map, each with a link to its record.
with st.expander(f"Events in range ({len(events):,})"):
    paged_table(
        view,
        "events",
        lambda rows: events_table(rows, data.tables["sources"]),
        "map_events",
        column_config=TABLE_LINKS,
    )
