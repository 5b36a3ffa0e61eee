"""The real dashboard, driven through Streamlit's AppTest."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def test_overview_loads_and_counts_rows():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    data = at.session_state["dataset"]
    assert metrics["Events"] == str(len(data.tables["events"]))
    assert metrics["Statements"] == str(len(data.tables["statements"]))
    assert int(metrics["Statements"]) >= 15
