"""The Add statements page, driven through the real dashboard.py with AppTest on a copy of data/."""

import csv
import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from routestatus.paths import PROJECT_ROOT
from routestatus.validate import validate
from tests.extract_scoring import load_fixture

APP = str(PROJECT_ROOT / "dashboard.py")
PAGE = "pages/app/add_statements.py"


def snapshot(root) -> dict[str, bytes]:
    return {p.relative_to(root.path).as_posix(): p.read_bytes() for p in root.path.rglob("*") if p.is_file()}


def rows(root, table):
    with open(root.data / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def start(root, monkeypatch, curate: str | None = "1") -> AppTest:
    monkeypatch.setenv("ROUTESTATUS_ROOT", str(root.path))
    if curate is None:
        monkeypatch.delenv("ROUTESTATUS_CURATE", raising=False)
    else:
        monkeypatch.setenv("ROUTESTATUS_CURATE", curate)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    return at


def titles(at) -> list[str]:
    return [t.value for t in at.title]


def test_the_page_does_not_exist_unless_curating(root, monkeypatch):
    at = start(root, monkeypatch, curate=None)
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # it is not declared
        at.switch_page(PAGE).run()
    at = start(root, monkeypatch)
    at.switch_page(PAGE).run()
    assert not at.exception and "Add statements" in titles(at)


def fill_new_source(at, text: str) -> None:
    at.text_area(key="add_text").set_value(text)
    at.radio(key="add_source_mode").set_value("A new source").run()
    at.text_input(key="add_src_id").set_value("fixture-two-officials")
    at.text_input(key="add_src_title").set_value("Composed fixture (two officials in one sentence)")
    at.text_input(key="add_src_publisher").set_value("routestatus tests")
    at.text_input(key="add_src_url").set_value("https://example.org/fixture-two-officials")
    at.selectbox(key="add_src_kind").set_value("other")
    at.text_input(key="add_src_notes").set_value("composed for testing; not a real article")
    at.text_input(key="add_published").set_value("2023-09-01")
    at.checkbox(key="add_archive").check().run()


def test_review_and_write_a_fixture_article(root, monkeypatch):
    text, doc = load_fixture("two_officials")
    before = snapshot(root)
    last_id = rows(root, "statements")[-1]["statement_id"]
    at = start(root, monkeypatch)
    at.switch_page(PAGE).run()
    fill_new_source(at, text)
    at.button(key="add_find").click().run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "speaker_basis" in d.value.columns)
    assert len(table) == len(doc["rows"])
    assert list(table["confidence"]) == sorted(table["confidence"])  # the weakest first
    # the passage of a chosen candidate is shown highlighted in its text
    at.selectbox(key="add_show").set_value(2).run()
    marked = [m.value for m in at.markdown if ":orange-background[" in m.value]
    assert marked and "another opportunity to talk about painful topics" in marked[0].replace("\\", "")
    # accept candidates 1 and 2 (Lavrov's and Mirzoyan's quotations of the first sentence); their claims are
    # `none` already (no road named), so they validate without an edit
    at.multiselect(key="add_accept").set_value([1, 2]).run()
    at.button(key="add_write").click().run()
    assert not at.exception
    success = [s.value for s in at.success]
    n = int(last_id[1:])
    ids = [f"S{n + 1:03d}", f"S{n + 2:03d}"]
    assert success and all(i in success[0] for i in ids), [e.value for e in at.error]

    after = snapshot(root)
    new_seed = [p for p in after if p not in before]
    assert len(new_seed) == 1 and new_seed[0].startswith("seeds/")
    changed = sorted(p for p in before if after[p] != before[p])
    assert changed == ["data/anchors.json", "data/sources.csv", "data/statements.csv"]  # nothing else
    with open(PROJECT_ROOT / "data" / "statements.csv", encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    written = rows(root, "statements")[-2:]
    assert [r["statement_id"] for r in written] == ids
    assert all(list(r) == header for r in written)
    expected = doc["rows"][:2]
    assert [r["speaker"] for r in written] == [e["speaker"] for e in expected]
    assert [r["date"] for r in written] == [e["date"] for e in expected]
    assert {r["source_id"] for r in written} == {"fixture-two-officials"}
    assert all(r["claim"] == "none" and r["route_ids"] == "" for r in written)
    source = rows(root, "sources")[-1]
    assert source["source_id"] == "fixture-two-officials" and source["archived_copy"] == new_seed[0]
    assert source["sha256"] == hashlib.sha256(after[new_seed[0]]).hexdigest()
    assert validate(root).ok
    assert all(f'"{i}"' in after["data/anchors.json"].decode() for i in ids)  # anchored in the archived text


def test_a_row_that_fails_validation_is_reported_and_nothing_is_written(root, monkeypatch):
    text, _ = load_fixture("two_officials")
    before = snapshot(root)
    at = start(root, monkeypatch)
    at.switch_page(PAGE).run()
    fill_new_source(at, text)
    at.button(key="add_find").click().run()
    # candidate 4 names the Lachin corridor, so it needs a claim: left blank, validation refuses it
    at.multiselect(key="add_accept").set_value([4]).run()
    at.button(key="add_write").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and "Nothing was written" in errors[0]
    assert "data/statements.csv:" in errors[0].replace("\\", "") and "claim" in errors[0]
    assert "Traceback" not in errors[0]
    assert snapshot(root) == before


def test_bad_publication_date_is_one_clear_line(root, monkeypatch):
    at = start(root, monkeypatch)
    at.switch_page(PAGE).run()
    at.text_area(key="add_text").set_value("“The corridor must open,” A. Example said.")
    at.text_input(key="add_published").set_value("13/09/2023").run()
    assert not at.exception
    assert [e.value for e in at.error][0].startswith("Publication date:")
    assert not [b for b in at.button if b.key == "add_find"]


def test_reader_pages_are_unchanged_when_curating(root, monkeypatch):
    at = start(root, monkeypatch)
    for page in ["pages/app/map.py", "pages/app/timeline.py", "pages/app/statements.py", "pages/app/sources.py"]:
        at.switch_page(page).run()
        assert not at.exception, page
    assert Path(APP).is_file()
