from functools import partial

import streamlit as st

from pages.app.sidebar import bound
from pages.app.widgets import RECORD_COLUMN, TABLE_LINKS, paged_table, problems_panel
from routestatus.figures import said_passed_figures, statements_chart
from routestatus.labels import ROAD_LABELS
from routestatus.page_tables import said_table, statements_table
from routestatus.statement_lines import statement_lines

PASSAGES_SHOWN = 50  # lines drawn; the table below pages through every statement

view = st.session_state["view"]
data, choice = view.data, view.choice
st.title("Who said what about each road")
QUOTE_CHECKS = (("data/statements.csv", "quote"), ("data/sources.csv", "sha256"), ("data/anchors.json", None))
if not problems_panel(data.report, ("data/statements.csv", "data/sources.csv", "data/anchors.json"), QUOTE_CHECKS):
    st.stop()

left, right = st.columns(2)
# The choices offered: everyone who spoke in the range, and anyone already chosen (a link may
# name an organisation that said nothing in this range).
orgs = sorted(set(view.names_in_range("organisation")) | set(choice.organisations))
speakers = sorted(set(view.names_in_range("speaker")) | set(choice.speakers))
left.multiselect("Organisation", orgs, placeholder="Every organisation", **bound("st_orgs"))
right.multiselect("Speaker", speakers, placeholder="Every speaker", **bound("st_speakers"))
shown = view.count("statements")
st.metric("Statements in view", shown)
if not shown:
    st.info("No statement in this range matches the filters. Widen the date range or clear the filters.")
    st.stop()

# The chart reads the statements' days alone; their roads and organisations are the dataset's flags and codes.
dated = view.statements_with("date", "date_precision")
st.plotly_chart(
    statements_chart(dated, (choice.start, choice.end), view.roads_named, view.organisations),
    key="statements_chart",
    config={"displaylogo": False},
)
sources, verdicts = data.tables["sources"], data.quote_checks.verdicts


st.subheader("Statements")
st.caption(
    "One line per statement: date, speaker, organisation and first words, then the roads it names, its claim "
    "and whether its quote was checked against an archived copy of its source. Open a line for the full quote "
    "and its source."
)
# Worded once per dataset (and search): with no search the same words serve every view.
search = view.search if view.search.active else None
lines = partial(statement_lines, sources=sources, verdicts=verdicts, search=search)
listed = view.in_words("statements", lines, slice(PASSAGES_SHOWN))
for statement_id, text, details in zip(listed["statement_id"], listed["line"], listed["details"], strict=True):
    with st.expander(text, key=f"statement_{statement_id}"):
        st.markdown(details)
if shown > PASSAGES_SHOWN:
    st.caption(f"The first {PASSAGES_SHOWN} of {shown:,} statements; all are in the table below.")
st.subheader("Table")
paged_table(
    view,
    "statements",
    partial(statements_table, sources=sources, verdicts=verdicts),
    "statements",
    column_config=TABLE_LINKS,
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
comparison = view.said_columns("comparison")["comparison"]
LINKS = {"record": RECORD_COLUMN} | {
    c: st.column_config.LinkColumn(c, display_text="open") for c in ("statement source", "record source")
}
figures = said_passed_figures(view)
for road in choice.shown_roads:
    st.subheader(ROAD_LABELS[road])
    if road not in figures:
        st.info("No statement in view names this road.")
        continue
    st.plotly_chart(figures[road], key=f"said_passed_{road}", config={"displaylogo": False})

differs = comparison == "differs"
st.subheader(f"Where the claim and the recorded status differ ({differs.sum()})")
if not differs.any():
    st.info("In this view no claim about what passes differs from the recorded status of its day.")
else:
    differing = view.in_words("said_vs_passed", partial(said_table, sources=sources), differs, arrow=True)
    st.dataframe(differing, hide_index=True, key="said_differs", column_config=LINKS)
st.subheader("Who spoke about each road")
st.caption("Per organisation and road, in this view: the first and last statement and the longest silence between two.")
st.dataframe(view.voices, hide_index=True, key="said_voices")
paged_table(view, "said_vs_passed", partial(said_table, sources=sources), "said_passed", column_config=LINKS)
