import streamlit as st

from pages.app.sidebar import bound
from pages.app.widgets import paged_table, problems_panel
from routestatus.figures import said_passed_figure, statements_chart
from routestatus.labels import ROAD_LABELS
from routestatus.page_tables import said_table, statements_table
from routestatus.saidpassed import voices
from routestatus.textsafe import md_escape

PASSAGES_SHOWN = 50

view = st.session_state["view"]
data, choice = view.data, view.choice
st.title("Who said what about each road")
QUOTE_CHECKS = (("data/statements.csv", "quote"), ("data/sources.csv", "sha256"), ("data/anchors.json", None))
if not problems_panel(data.report, ("data/statements.csv", "data/sources.csv", "data/anchors.json"), QUOTE_CHECKS):
    st.stop()

in_range = view.statements_in_range
left, right = st.columns(2)
# The choices offered: everyone who spoke in the range, and anyone already chosen (a link may
# name an organisation that said nothing in this range).
orgs = sorted(set(in_range["organisation"].dropna()) | set(choice.organisations))
speakers = sorted(set(in_range["speaker"].dropna()) | set(choice.speakers))
left.multiselect("Organisation", orgs, placeholder="Every organisation", **bound("st_orgs"))
right.multiselect("Speaker", speakers, placeholder="Every speaker", **bound("st_speakers"))
chosen = view.statements
st.metric("Statements in view", len(chosen))
if chosen.empty:
    st.info("No statement in this range matches the filters. Widen the date range or clear the filters.")
    st.stop()

st.plotly_chart(statements_chart(chosen), key="statements_chart", config={"displaylogo": False})
sources, verdicts = data.tables["sources"], data.quote_checks.verdicts
route_sets = chosen["route_ids"].fillna("").str.split(";")
groups = [(ROAD_LABELS[r], route_sets.map(lambda ids, r=r: r in ids)) for r in choice.shown_roads]
groups.append(("Passages that name no road", chosen["route_ids"].isna()))
for label, mask in groups:
    part = chosen[mask]
    with st.expander(f"{label} ({len(part):,})", expanded=label == groups[0][0]):
        # Only the first passages are written out; the table below pages through all of them.
        for row in statements_table(part.head(PASSAGES_SHOWN), sources, verdicts).itertuples():
            # One element per passage: quote, attribution and link in a single block.
            link = f"  \n[source: {md_escape(row.source_id)}]({row.source})" if row.source else ""
            st.markdown(
                # Every line of the quote stays inside the block quote, paragraph breaks included.
                "> " + md_escape(row.quote).replace("\n", "\n> ") + "\n\n"
                f":gray[{md_escape(row.speaker)}, {md_escape(row.role)} ({md_escape(row.organisation)}) · "
                f"{md_escape(row.date)} · date: {md_escape(row.date_basis)} · {md_escape(row.quote_check)} · "
                f"{md_escape(row.statement_id)}]{link}"
            )
        if len(part) > PASSAGES_SHOWN:
            st.caption(f"The first {PASSAGES_SHOWN} of {len(part):,} passages; all are in the table below.")
st.subheader("Table")
paged_table(
    view,
    "statements",
    lambda rows: statements_table(rows, sources, verdicts),
    "statements",
    column_config={"source": st.column_config.LinkColumn("source", display_text="open")},
)

st.header("Said vs. passed")
st.caption(
    "Each statement on its day, beside the status the record gives the road that day. A claim "
    "about what passes (says open, restricted or blocked) agrees or differs with the recorded "
    "status by the codebook's rule; calls, offers and descriptions are not compared. A difference "
    "is not a verdict on either: the record can be wrong or late too."
)
if data.report.touching(("data/events.csv",)):
    # The recorded statuses come from the events; with problems there they could be wrong.
    st.warning("This part needs the events, and data/events.csv has problems; see Sources & method.")
    st.stop()
said = view.said_vs_passed
LINKS = {c: st.column_config.LinkColumn(c, display_text="open") for c in ("statement source", "record source")}
quotes = dict(zip(chosen["statement_id"], chosen["quote"], strict=True))
for road in choice.shown_roads:
    rows = said[said["route_id"].eq(road)]
    st.subheader(ROAD_LABELS[road])
    if rows.empty:
        st.info("No statement in view names this road.")
        continue
    fig = said_passed_figure(view.clipped[road], rows, quotes)
    st.plotly_chart(fig, key=f"said_passed_{road}", config={"displaylogo": False})

differs = said[said["comparison"].eq("differs")]
st.subheader(f"Where the claim and the recorded status differ ({len(differs)})")
if differs.empty:
    st.info("In this view no claim about what passes differs from the recorded status of its day.")
else:
    st.dataframe(said_table(differs, sources), hide_index=True, key="said_differs", column_config=LINKS)
st.subheader("Who spoke about each road")
st.caption("Per organisation and road, in this view: the first and last statement and the longest silence between two.")
st.dataframe(voices(chosen, choice.shown_roads), hide_index=True, key="said_voices")
paged_table(view, "said_vs_passed", lambda rows: said_table(rows, sources), "said_passed", column_config=LINKS)
