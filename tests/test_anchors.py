"""Anchored quotes: generated anchors, and verify's verdict on altered copies of a source."""

import csv
import json
import time

import pytest
from streamlit.testing.v1 import AppTest

from routestatus import anchors
from routestatus.cli import main
from routestatus.paths import PROJECT_ROOT
from routestatus.quotes import normalise
from routestatus.validate import validate

SEED = "seeds/000_6dd4dc6e34bed8c8.txt"


def statements():
    with open(PROJECT_ROOT / "data" / "statements.csv", encoding="utf-8", newline="") as f:
        return {r["statement_id"]: r for r in csv.DictReader(f)}


def verdicts(root):
    result = anchors.verify(anchors.read_anchors(root.data / "anchors.json"), root.path)
    return result, {sid: v.status for sid, v in result.verdicts.items()}


def edit_seed(root, old, new, count=1):
    path = root.path / SEED
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_anchors_sit_on_their_quotes_and_verify_passes(capsys):
    rows = statements()
    found = anchors.read_anchors(PROJECT_ROOT / "data" / "anchors.json")
    text = (PROJECT_ROOT / SEED).read_text(encoding="utf-8")
    archived = [sid for sid, r in rows.items() if r["source_id"] == "asbarez-us-eu-aghdam-route-2023-09"]
    assert [a.statement_id for a in found] == archived
    for a in found:
        assert text[a.start : a.end] == a.exact
        assert normalise(a.exact) == normalise(rows[a.statement_id]["quote"])
        assert text[a.start - len(a.prefix) : a.start] == a.prefix and text[a.end :].startswith(a.suffix)
        assert a.text_sha256 == anchors.sha256_text((PROJECT_ROOT / SEED).read_bytes())
    assert main(["verify"]) == 0
    out = capsys.readouterr().out
    assert f"{len(archived)} anchored statements: {len(archived)} verbatim, 0 moved, 0 near, 0 missing" in out


def test_anchor_command_regenerates_the_same_file(root):
    before = (root.data / "anchors.json").read_bytes()
    (root.data / "anchors.json").unlink()
    assert [str(p) for p in validate(root).problems] == [
        "data/anchors.json:0:-: found 'no file'; expected the file written by: python -m routestatus anchor"
    ]
    assert main(["--root", str(root.path), "anchor"]) == 0
    assert (root.data / "anchors.json").read_bytes() == before
    assert validate(root).ok


def test_unchanged_copy_is_verbatim(root):
    result, got = verdicts(root)
    assert set(got.values()) == {"verbatim"} and not result.changed and result.ok


def test_text_inserted_before_moves_every_anchor_and_flags_the_hash(root, capsys):
    edit_seed(root, "The United States and", "Editor's note: updated.\n\nThe United States and")
    result, got = verdicts(root)
    assert set(got.values()) == {"moved"}
    assert list(result.changed) == [SEED]
    assert main(["--root", str(root.path), "verify"]) == 1
    out = capsys.readouterr().out
    assert "S001: moved, now at" in out and f"{SEED}: SHA-256 changed since the anchors were made" in out


def test_curly_to_straight_apostrophe_is_a_near_match(root):
    edit_seed(root, "Armenia’s Prime Minister", "Armenia's Prime Minister")
    result, got = verdicts(root)
    assert got["S002"] == "near" and result.verdicts["S002"].distance == 1
    assert {got[s] for s in got if s != "S002"} == {"verbatim"}
    assert not result.ok  # the text's hash changed


def test_editors_bracket_is_a_near_match(root):
    edit_seed(
        root, "both the Lachin and the Aghdam-Askeran route", "both the Lachin [road] and the Aghdam-Askeran route"
    )
    result, got = verdicts(root)
    assert got["S004"] == "near" and result.verdicts["S004"].distance == len(" [road]")


CURLY = {"“": '"', "”": '"', "‘": "'", "’": "'"}


def test_straightened_quote_marks_are_near_matches_found_quickly(root):
    path = root.path / SEED
    text = path.read_text(encoding="utf-8")
    path.write_text(text.translate(str.maketrans(CURLY)), encoding="utf-8")
    recorded = anchors.read_anchors(root.data / "anchors.json")
    # Each mark is replaced by one character, so offsets hold and the distance is the marks in the span.
    marks = {a.statement_id: sum(a.exact.count(c) for c in CURLY) for a in recorded}
    assert sum(1 for n in marks.values() if n) >= 3
    started = time.perf_counter()
    result = anchors.verify(recorded, root.path)
    elapsed = time.perf_counter() - started
    for a in recorded:
        v = result.verdicts[a.statement_id]
        if marks[a.statement_id]:
            assert (v.status, v.distance, v.start, v.end) == ("near", marks[a.statement_id], a.start, a.end)
        else:
            assert v.status == "verbatim"
    assert list(result.changed) == [SEED]
    # A pure-Python edit distance took about 0.7 s on this copy; rapidfuzz takes under a millisecond.
    assert elapsed < 0.25, f"verify took {elapsed:.2f} s"


def test_deleted_passage_is_missing(root, capsys):
    edit_seed(root, "I am deeply concerned", "We are concerned as ever, and have nothing to add; ")
    _, got = verdicts(root)
    assert got["S011"] == "missing"
    assert main(["--root", str(root.path), "verify"]) == 1
    assert "S011: missing, not found in" in capsys.readouterr().out


def test_missing_archive_and_bad_anchor_file(root, capsys):
    (root.path / SEED).unlink()
    _, got = verdicts(root)
    assert set(got.values()) == {"missing"}
    (root.data / "anchors.json").write_text('{"anchors": [', encoding="utf-8")
    assert main(["--root", str(root.path), "verify"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("data/anchors.json: invalid JSON at line 1") and "\n" not in err


@pytest.mark.parametrize(
    ("edit", "badge"),
    [
        (None, "✓ verbatim in archived copy"),
        (("Armenia’s Prime Minister", "Armenia's Prime Minister"), "≈ near match (edit distance 1)"),
    ],
)
def test_statements_page_shows_the_verdict(root, monkeypatch, edit, badge):
    if edit:
        edit_seed(root, *edit)
    monkeypatch.setenv("ROUTESTATUS_ROOT", str(root.path))
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/app/statements.py").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "quote_check" in d.value.columns)
    checks = dict(zip(table["statement_id"], table["quote_check"], strict=True))
    assert checks["S002"] == badge
    assert checks["S001"] == "✓ verbatim in archived copy"
    assert checks["S020"] == "not archived: not checkable offline"


def test_anchor_json_is_web_annotation_shaped():
    doc = json.loads((PROJECT_ROOT / "data" / "anchors.json").read_text(encoding="utf-8"))
    first = doc["anchors"][0]
    assert [s["type"] for s in first["selector"]] == ["TextQuoteSelector", "TextPositionSelector"]
    assert set(first["source"]) == {"source_id", "archived_copy", "sha256"}
