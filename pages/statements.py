import streamlit as st

from pages.widgets import problems_panel, table_with_download
from routestatus.figures import statements_chart
from routestatus.filters import filter_people, filter_statements
from routestatus.labels import ROAD_LABELS
from routestatus.snapshot import People
from routestatus.textsafe import md_escape
from routestatus.views import statements_table

data, flt = st.session_state["dataset"], st.session_state["filters"]
st.title("Who said what about each road")
problems_panel(data.report)

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
table = statements_table(chosen, data.tables["sources"], data.quote_checks.verdicts)
groups = [(ROAD_LABELS[r], table["roads"].str.contains(ROAD_LABELS[r], regex=False)) for r in flt.roads]
groups.append(("Passages that name no road", table["roads"].eq("(names no road)")))
for label, mask in groups:
    part = table[mask]
    with st.expander(f"{label} ({len(part)})", expanded=label == groups[0][0]):
        for row in part.itertuples():
            st.markdown(f"> {md_escape(row.quote)}")
            st.caption(
                f"{md_escape(row.speaker)}, {md_escape(row.role)} ({md_escape(row.organisation)}) · "
                f"{md_escape(row.date)} · date: {md_escape(row.date_basis)} · {md_escape(row.quote_check)} · "
                f"{md_escape(row.statement_id)}"
            )
            if row.source:
                st.markdown(f"[source: {md_escape(row.source_id)}]({row.source})")
st.subheader("Table")
table_with_download(
    table,
    "statements",
    "statements",
    column_config={"source": st.column_config.LinkColumn("source", display_text="open")},
    people=People(tuple(orgs), tuple(speakers)),
)
