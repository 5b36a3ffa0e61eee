"""What was said against what passed, on the curated data, worked out straight from the CSV files."""

import dataclasses
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


def _voices_by_hand(statements, roads):
    """Who spoke about each road, worked out statement by statement from the rows."""
    out = []
    for road in roads:
        days: dict[str, list[dt.date]] = {}
        for r in statements.itertuples():
            if isinstance(r.route_ids, str) and road in r.route_ids.split(";") and isinstance(r.organisation, str):
                days.setdefault(r.organisation, []).append(r.date.date())
        for org in sorted(days):
            said = sorted(days[org])
            gaps = [(b - a).days for a, b in zip(said, said[1:], strict=False)]
            at = gaps.index(max(gaps)) if gaps else None
            out.append(
                (road, org, len(said), said[0], said[-1], gaps[at] if gaps else None)
                + ((said[at], said[at + 1]) if gaps else (None, None))
            )
    return out


def _rows(voices):
    nothing = lambda v: None if v is None or v != v else v  # noqa: E731  (NaN from a column of ints and None)
    return [
        (r.route_id, r.organisation, r.statements, r.first, r.last)
        + tuple(nothing(getattr(r, c)) for c in ("longest_silence_days", "silence_from", "silence_to"))
        for r in voices.itertuples()
    ]


def test_who_spoke_about_each_road_is_worked_out_as_by_hand(data, generated):
    from routestatus.saidpassed import voices

    for dataset in (data, generated):
        intervals = build_intervals(dataset.tables["events"])
        whole = View.default(dataset, intervals)
        for start, end, roads in (
            (whole.choice.start, whole.choice.end, ()),
            (dt.date(2022, 12, 1), dt.date(2023, 9, 30), ("lachin",)),
            (dt.date(2023, 1, 1), dt.date(2023, 12, 31), ("aghdam_askeran",)),
        ):
            choice = dataclasses.replace(whole.choice, start=start, end=end, roads=roads).fit(whole.options)
            view = View(dataset, intervals, choice, whole.options)
            expected = _voices_by_hand(view.statements, choice.shown_roads)
            assert expected, "someone spoke in each view"
            assert _rows(view.voices) == expected
            # From the columns alone (no flags, no codes), the same table.
            assert view.voices.equals(voices(view.statements, choice.shown_roads))


def test_the_statements_chart_counts_the_same_from_the_datasets_flags_and_codes(data, generated):
    from routestatus.figures import statements_chart

    for dataset in (data, generated):
        intervals = build_intervals(dataset.tables["events"])
        whole = View.default(dataset, intervals)
        for start, end in ((whole.choice.start, whole.choice.end), (dt.date(2023, 9, 1), dt.date(2023, 9, 20))):
            choice = dataclasses.replace(whole.choice, start=start, end=end).fit(whole.options)
            view = View(dataset, intervals, choice, whole.options)
            span = (choice.start, choice.end)
            # As the page draws it: the days alone, the roads and organisations as the dataset's flags and codes.
            dated = view.statements_with("date", "date_precision")
            chart = statements_chart(dated, span, view.roads_named, view.organisations)
            assert chart.to_json() == statements_chart(view.statements, span).to_json()
            counted = sum(sum(t.y) for t in chart.data)
            named = view.statements["route_ids"].fillna("none").str.split(";").str.len()
            assert counted == int(named[view.statements["organisation"].notna()].sum())


def test_the_people_offered_are_those_who_spoke_in_the_range(generated):
    intervals = build_intervals(generated.tables["events"])
    whole = View.default(generated, intervals)
    choice = dataclasses.replace(whole.choice, start=dt.date(2023, 1, 1), end=dt.date(2023, 3, 31))
    view = View(generated, intervals, choice.fit(whole.options), whole.options)
    rows = view.statements_in_range
    assert 0 < len(rows) < len(generated.tables["statements"])
    for column in ("organisation", "speaker"):
        assert view.names_in_range(column) == sorted(set(rows[column].dropna()))
