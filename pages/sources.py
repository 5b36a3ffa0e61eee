import streamlit as st

from pages.widgets import paged_table, problems_panel
from routestatus.codebook import status_definitions
from routestatus.snapshot import snapshot_tables

data = st.session_state["dataset"]
flt = st.session_state.get("filters")
st.title("Sources & method")

st.subheader("Validation")
if problems_panel(data.report):
    counts = ", ".join(f"{n} {name}" for name, n in data.counts.items())
    st.success(f"All checks pass: {counts}.")
st.caption(f"Data version {data.version}; content hash `{data.fingerprint[:16]}` of data/, geo/ and seeds/.")

if flt is not None:
    table = snapshot_tables(data, st.session_state["intervals"], flt, only=("sources",))["sources"]
    st.subheader(f"Sources cited in the chosen view ({len(table)})")
    st.caption("Cited by the events and statements in range, by the events behind each status, or by the road courses.")
    paged_table(
        table,
        lambda rows: rows,
        "sources",
        "sources",
        column_config={"url": st.column_config.LinkColumn("url")},
    )

st.subheader("Status definitions")
st.dataframe(status_definitions(), hide_index=True, key="status_defs")
st.subheader("Method")
st.markdown(
    "Status means what traffic could actually pass; each change is an event with its sources. "
    "A status holds until the next event that sets one for that road, and never past the last "
    "date in the record: before the first and after the last evidence the answer is *unknown*. "
    "Roads are drawn schematically, as straight lines through places whose coordinates were "
    "checked against two sources (see `geo/README.md`). Quotes whose source text is archived in "
    "`seeds/` are checked word for word by `python -m routestatus validate`."
)
