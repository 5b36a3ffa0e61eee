from functools import partial

import streamlit as st

from pages.app.widgets import paged_table, problems_panel
from routestatus.codebook import status_definitions
from routestatus.page_tables import sources_table

view = st.session_state["view"]
data = view.data
st.title("Sources & method")

st.subheader("Validation")
if problems_panel(data.report):
    counts = ", ".join(f"{n} {name}" for name, n in data.counts.items())
    st.success(f"All checks pass: {counts}.")
st.caption(f"Data version {data.version}; content hash `{data.fingerprint[:16]}` of data/, geo/ and seeds/.")

if view.choice is not None:
    st.subheader(f"Sources cited in the chosen view ({view.count('sources')})")
    st.caption("Cited by the events and statements in range, by the events behind each status, or by the road courses.")
    paged_table(
        view,
        "sources",
        partial(sources_table, schema=data.schema),
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
    "The status shown on the map and the cards is the status on one day: the end of the range "
    "unless another day is chosen under “Status on”. "
    "Roads are drawn schematically, as straight lines through places whose coordinates were "
    "checked against two sources (see `geo/README.md`). Quotes whose source text is archived in "
    "`seeds/` are checked word for word by `python -m routestatus validate`."
)
