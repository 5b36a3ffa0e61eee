"""Citable exports: readable source columns from sources.csv, a citation with every snapshot and table, v= in links."""

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from streamlit.testing.v1 import AppTest

from routestatus.citation import dataset_version, version_notice, view_citation, view_link
from routestatus.cli import main
from routestatus.exportcolumns import EXPORT_FIELDS
from routestatus.paths import PROJECT_ROOT
from routestatus.snapshot import CITATION_FILE, read_snapshot, snapshot_zip, table_csv
from routestatus.status import build_intervals
from routestatus.view import View, table_schema
from tests.expected import read

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
D = dt.date.fromisoformat
CODEBOOK = (PROJECT_ROOT / "data" / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def whole(data):
    """The view of a link with no query: the whole record."""
    return View.default(data, build_intervals(data.tables["events"]))


def rows(raw: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def item(text: str, inner: str) -> str:
    """One value as a ;-list item: its own ';' written as ``inner`` (the documented rule)."""
    return text.replace(";", inner)


def run(**query):
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def other_version(version: str) -> str:
    """A well-formed version that is not ``version``: its first digit changed."""
    return ("1" if version[0] == "0" else "0") + version[1:]


def test_events_cite_the_urls_titles_and_publishers_of_sources_csv(whole):
    sources = {s["source_id"]: s for s in read("sources")}
    places = {p["place_id"]: p["name_en"] for p in read("places")}
    live = {e["event_id"]: e for e in read("events") if e["retracted"] == "false"}
    exported = rows(table_csv(whole, "events"))
    assert [r["event_id"] for r in exported] and {r["event_id"] for r in exported} == set(live)
    for row in exported:
        ids = live[row["event_id"]]["source_ids"].split(";")
        assert row["source_urls"].split(";") == [item(sources[i]["url"], "%3B") for i in ids], row["event_id"]
        assert row["source_titles"].split(";") == [item(sources[i]["title"], ",") for i in ids], row["event_id"]
        assert row["source_publishers"].split(";") == [item(sources[i]["publisher"], ",") for i in ids]
        assert row["place_name"] == places.get(live[row["event_id"]]["place_id"], "")
    # The file has titles holding ';' that events cite: the items still line up with source_ids.
    cited = {i for e in live.values() for i in e["source_ids"].split(";")}
    assert any(";" in sources[i]["title"] for i in cited)


def test_statements_cite_their_source(whole):
    sources = {s["source_id"]: s for s in read("sources")}
    live = {s["statement_id"]: s for s in read("statements") if s["retracted"] == "false"}
    exported = rows(table_csv(whole, "statements"))
    assert {r["statement_id"] for r in exported} == set(live)
    for row in exported:
        source = sources[live[row["statement_id"]]["source_id"]]
        assert (row["source_url"], row["source_title"], row["source_publisher"]) == (
            source["url"],
            source["title"],
            source["publisher"],
        )
        # A quote whose source is not archived here cannot have been checked here.
        assert row["quote_check"] and (source["archived_copy"] == "") == ("not archived" in row["quote_check"])


def test_export_columns_follow_the_codebook_columns_and_read_back(data, whole):
    for name, fields in EXPORT_FIELDS.items():
        codebook = data.schema.tables[name].columns
        assert table_schema(data, name).columns == codebook + [f.name for f in fields]
        header = next(csv.reader(io.StringIO(table_csv(whole, name).decode("utf-8-sig"))))
        assert header == table_schema(data, name).columns
    snap = read_snapshot(snapshot_zip(whole))
    assert snap.problems == []
    assert list(snap.tables["events"]["source_urls"]) == list(whole.table("events")["source_urls"])


def test_codebook_and_snapshot_readme_describe_the_export_columns(whole):
    section = CODEBOOK.split("## Export-only columns")[1].split("\n## ")[0]
    with zipfile.ZipFile(io.BytesIO(snapshot_zip(whole))) as zf:
        readme = zf.read("README.md").decode("utf-8")
    for fields in EXPORT_FIELDS.values():
        for f in fields:
            # The codebook gives each column's description as declared, so the two cannot drift apart.
            assert f"| `{f.name}` |" in section and f.description in section, f.name
            assert f"- `{f.name}` (string): {f.description}" in readme


def test_a_snapshot_carries_its_citation(data, whole):
    version = dataset_version(data)
    with zipfile.ZipFile(io.BytesIO(snapshot_zip(whole, base_url="http://dash.example/"))) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(files["manifest.json"])
    citation = files[CITATION_FILE].decode("utf-8").strip()
    assert citation == manifest["citation"] and citation in files["README.md"].decode("utf-8")
    assert f"version {version}" in citation and manifest["dataset_version"] == f"sha256:{data.fingerprint}"
    assert citation.startswith("routestatus curated dataset, ")
    assert f"retrieved {manifest['generated_at'][:10]}" in citation
    link = citation.rsplit(", ", 1)[1]
    assert link.startswith("http://dash.example/?") and f"v={version}" in link
    assert CITATION_FILE in {e["path"] for e in manifest["files"]}
    assert read_snapshot(snapshot_zip(whole)).problems == []


def test_the_citation_names_the_filters_and_the_link_opens_them(data, whole):
    lo, hi = whole.options.bounds
    text = view_citation(whole, lo)
    assert f"view {lo} to {hi}" in text and "both roads" in text and "all event types" in text
    at = run(**{"from": "2023-09-01", "to": "2023-09-30", "roads": "lachin", "q": "bridge"})
    view = at.session_state["view"]
    text = view_citation(view, lo)
    assert "view 2023-09-01 to 2023-09-30" in text and "Lachin corridor" in text and "“bridge”" in text
    # The link's query is read back into the same choice.
    link = view_link(view)
    assert link.startswith("?")
    reopened = AppTest.from_file(APP, default_timeout=60)
    for k, v in parse_qsl(link[1:]):
        reopened.query_params[k] = v
    reopened.run()
    assert not reopened.exception and not reopened.warning
    assert reopened.session_state["choice"] == view.choice


def test_the_dashboard_download_equals_the_command_line_and_is_cited(tmp_path, capsys, data):
    at = run(**{"from": "2023-09-01", "to": "2023-09-30", "roads": "lachin"})
    at.switch_page("pages/app/timeline.py").run()  # the page whose table is the events
    assert not at.exception
    view = at.session_state["view"]
    assert "Download CSV" in [b.proto.label for b in at.get("download_button")]
    out = tmp_path / "events.csv"
    argv = ["snapshot", "--from", "2023-09-01", "--to", "2023-09-30", "--route", "lachin", "--table", "events"]
    assert main([*argv, "--out", str(out)]) == 0
    # table_csv(view, ...) is what the page's button is given to call on a click.
    assert out.read_bytes() == table_csv(view, "events")
    assert out.read_bytes().startswith(b"\xef\xbb\xbfevent_id,")  # rows only: no comment lines
    err = capsys.readouterr().err
    assert f"version {dataset_version(data)}" in err and "events.csv of view 2023-09-01 to 2023-09-30" in err
    assert f"?from=2023-09-01&to=2023-09-30&roads=lachin&v={dataset_version(data)}" in err
    captions = [c.value for c in at.caption if c.value.startswith("Cite as:")]
    assert captions and all(dataset_version(data) in c for c in captions)


def test_the_dashboard_writes_v_and_offers_the_citation(data):
    at = run()
    version = dataset_version(data)
    assert at.query_params["v"] in (version, [version])
    assert not at.warning
    box = [c.value for c in at.sidebar.code]
    retrieved = D(box[0].split("retrieved ")[1][:10])
    assert box == [view_citation(at.session_state["view"], retrieved)]
    assert f"v={version}" in box[0]
    assert any("Link to this view" in m.value and f"v={version}" in m.value for m in at.sidebar.markdown)


def test_a_link_for_another_version_says_the_data_has_changed(data):
    version = dataset_version(data)
    old = other_version(version)
    at = run(**{"from": "2023-09-01", "to": "2023-09-30", "v": old})
    assert not at.exception
    notices = [w.value for w in at.warning]
    assert any(f"made for dataset version {old}" in n and f"now loaded is version {version}" in n for n in notices)
    assert at.date_input(key="flt_range").value == (D("2023-09-01"), D("2023-09-30"))  # the link's view all the same
    assert at.query_params["v"] in (version, [version])  # the address now names the data shown


@pytest.mark.parametrize("junk", ["<b>not hex</b>", "zz", "12", "a" * 65, "[x](javascript:alert(1))", ""])
def test_a_junk_version_gives_a_notice_and_no_error(junk, data):
    at = run(v=junk)
    assert not at.exception
    notices = [w.value for w in at.warning]
    assert any("is not a version" in n for n in notices), notices
    assert all(junk not in n for n in notices if junk)  # the value itself is never drawn
    assert at.date_input(key="flt_range").value == run().date_input(key="flt_range").value


def test_version_notice_words(data):
    version = dataset_version(data)
    assert version_notice(None, data) is None
    assert version_notice(version, data) is None
    assert version_notice(version.upper(), data) is None
    assert version_notice(data.fingerprint, data) is None  # the whole hash names the same version
    assert version_notice(version[:7], data) is None
    assert version_notice(["junk", version], data) is None  # a repeated key: the last one counts
    changed = str(version_notice(other_version(version), data))
    assert "the data has changed" in changed and "rows may differ" in changed
    assert "is not a version" in str(version_notice(version[:6], data))
