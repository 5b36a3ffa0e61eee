"""What was said against what passed, on the curated data, worked out straight from the CSV files."""

import datetime as dt
import re

from routestatus.load import load_dataset
from routestatus.paths import PROJECT_ROOT, Root
from routestatus.saidpassed import COMPATIBLE
from routestatus.status import build_intervals
from routestatus.view import View
from tests.expected import expected_status, read

CODEBOOK = (PROJECT_ROOT / "data" / "README.md").read_text(encoding="utf-8")


def codebook_rule() -> dict[str, set[str]]:
    """The codebook's table of which recorded statuses each claim agrees with."""
    section = CODEBOOK.split("**Said vs. passed.**", 1)[1].split("\n\n", 2)[1]
    return {m[1]: set(re.findall(r"`(\w+)`", m[2])) for m in re.finditer(r"^\| `(\w+)` \| (.+?) \|$", section, re.M)}


def test_the_rule_is_the_codebooks():
    assert codebook_rule() == {claim: set(statuses) for claim, statuses in COMPATIBLE.items()}


def test_said_vs_passed_on_the_curated_data_matches_the_csv_files():
    rule = codebook_rule()
    expected = {}
    for r in read("statements"):
        if r["retracted"] != "false":
            continue
        for road in filter(None, r["route_ids"].split(";")):
            status = expected_status(road, dt.date.fromisoformat(r["date"]))[0]
            if r["claim"] not in rule or status == "unknown":
                verdict = "not compared"
            else:
                verdict = "agrees" if status in rule[r["claim"]] else "differs"
            expected[(r["statement_id"], road)] = (r["claim"], status, verdict)
    data = load_dataset(Root(PROJECT_ROOT))
    table = View.default(data, build_intervals(data.tables["events"])).said_vs_passed
    got = {(r.statement_id, r.route_id): (r.claim, r.recorded_status, r.comparison) for r in table.itertuples()}
    assert got == expected
    differs = {k for k, v in expected.items() if v[2] == "differs"}
    assert differs, "the curated record has claims that differ from the recorded status"
    # Each row names the sources on both sides: the quote's, and those of the events behind the status.
    for r in table.itertuples():
        assert r.statement_source_id
        if r.recorded_status != "unknown":
            assert r.evidence_event_ids and r.evidence_source_ids


def test_the_statements_page_shows_the_differences_and_exports_the_table(tmp_path):
    from streamlit.testing.v1 import AppTest

    from routestatus.cli import main

    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/app/statements.py").run()
    assert not at.exception
    assert "Said vs. passed" in [h.value for h in at.header]
    shown = next(d.value for d in at.dataframe if "comparison" in d.value.columns and "recorded status" in d.value)
    view = at.session_state["view"]
    assert set(shown["comparison"]) == {"differs"}
    assert len(shown) == int(view.said_vs_passed["comparison"].eq("differs").sum())
    charts = [
        c for c in at.get("plotly_chart") if '"kind": "claim"' in c.proto.spec or '"kind":"claim"' in c.proto.spec
    ]
    assert charts, "a said-vs-passed chart per road"
    out = tmp_path / "said.csv"
    assert main(["snapshot", "--table", "said_vs_passed", "--out", str(out)]) == 0
    from routestatus.snapshot import table_csv

    assert out.read_bytes() == table_csv(view, "said_vs_passed")
