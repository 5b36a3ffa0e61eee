import streamlit as st

from routestatus.summary import overview

data = st.session_state["dataset"]
st.title("Lachin corridor and Aghdam–Askeran road: reported status, 2020–2023")
st.caption(
    "Curated events, verbatim statements and sources. The map, timeline and statements "
    "pages are being built; this page shows what the data holds."
)

if not data.report.ok:
    st.error(f"The data has {len(data.report.problems)} problem(s); fix them and reload.")
    st.code("\n".join(data.report.lines()), language=None)

summary = overview(data)
cols = st.columns(len(summary.counts))
for col, (name, count) in zip(cols, summary.counts.items(), strict=True):
    col.metric(name.capitalize(), count)
if summary.first_date:
    st.write(f"Events run from **{summary.first_date}** to **{summary.last_date}**.")
st.caption(f"Data version {data.version}, content hash `{data.fingerprint[:12]}`.")
