import streamlit as st

from pages.widgets import paged_table, problems_panel
from routestatus.figures import statements_chart
from routestatus.filters import filter_people, filter_statements
from routestatus.labels import ROAD_LABELS
from routestatus.page_tables import statements_table
from routestatus.snapshot import People
from routestatus.textsafe import md_escape

PASSAGES_SHOWN = 50

data, flt = st.session_state["dataset"], st.session_state["filters"]
st.title("Who said what about each road")
QUOTE_CHECKS = (("data/statements.csv", "quote"), ("data/sources.csv", "sha256"), ("data/anchors.json", None))
if not problems_panel(data.report, ("data/statements.csv", "data/sources.csv", "data/anchors.json"), QUOTE_CHECKS):
    st.stop()

in_range = filter_statements(data.tables["statements"], flt)
left, right = st.columns(2)
orgs = left.multiselect("Organisation", sorted(in_range["organisation"].unique()), key="st_orgs")
speakers = right.multiselect("Speaker", sorted(in_range["speaker"].unique()), key="st_speakers")
chosen = filter_people(in_range, orgs, speakers)
st.metric("Statements in view", len(chosen))
if chosen.empty:
    st.info("No statement in this range matches the filters. Widen the date range or clear the filters.")
    st.stop()

st.plotly_chart(statements_chart(chosen), key="statements_chart", config={"displaylogo": False})
sources, verdicts = data.tables["sources"], data.quote_checks.verdicts
route_sets = chosen["route_ids"].fillna("").str.split(";")
groups = [(ROAD_LABELS[r], route_sets.map(lambda ids, r=r: r in ids)) for r in flt.roads]
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
    chosen,
    lambda rows: statements_table(rows, sources, verdicts),
    "statements",
    "statements",
    column_config={"source": st.column_config.LinkColumn("source", display_text="open")},
    people=People(tuple(orgs), tuple(speakers)),
)
