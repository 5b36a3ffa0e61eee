"""The `claim` of each statement: its vocabulary, the codebook's rules that the CSV alone can show."""

import csv
import io
import re

from routestatus.paths import PROJECT_ROOT
from routestatus.schema import load_schema
from routestatus.validate import validate

SCHEMA = load_schema(PROJECT_ROOT / "data" / "datapackage.json")
CODEBOOK = (PROJECT_ROOT / "data" / "README.md").read_text(encoding="utf-8")
VOCABULARY = SCHEMA.enum("statements", "claim")
SECTION_HEADING = "### `claim`: what the passage says about a road"


def statements(path=PROJECT_ROOT / "data" / "statements.csv") -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def codebook_steps() -> list[tuple[int, str]]:
    """(step, value) of each row of the decision table in the codebook's `claim` section."""
    assert CODEBOOK.count(SECTION_HEADING) == 1
    section = CODEBOOK.split(SECTION_HEADING)[1]
    section = re.split(r"^#{2,3} |^\*\*Verbatim\.\*\*", section, flags=re.M)[0]
    return [(int(n), v) for n, v in re.findall(r"^\| (\d+) \| `(\w+)` \|", section, re.M)]


def test_schema_declares_claim_after_route_ids():
    field = SCHEMA.tables["statements"].field("claim")
    assert field.type == "string" and field.required
    assert "none" in VOCABULARY and len(set(VOCABULARY)) == len(VOCABULARY)
    columns = SCHEMA.tables["statements"].columns
    assert columns[columns.index("route_ids") + 1] == "claim"


def test_csv_header_matches_schema():
    with open(PROJECT_ROOT / "data" / "statements.csv", encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == SCHEMA.tables["statements"].columns


def test_every_statement_has_a_claim_from_the_vocabulary():
    rows = statements()
    assert rows
    bad = {r["statement_id"]: r["claim"] for r in rows if r["claim"] not in VOCABULARY}
    assert not bad


def test_none_exactly_when_the_passage_names_no_road():
    for r in statements():
        assert (r["claim"] == "none") == (r["route_ids"] == ""), (r["statement_id"], r["route_ids"], r["claim"])


def test_cites_court_order_names_the_court_and_is_not_the_court_itself():
    court = re.compile(r"\bICJ\b|\bCourt\b", re.I)
    for r in statements():
        if r["claim"] == "cites_court_order":
            assert court.search(r["quote"]), r["statement_id"]
            assert r["organisation"] != "International Court of Justice", r["statement_id"]


def test_codebook_section_lists_exactly_the_vocabulary_in_order():
    steps = codebook_steps()
    values = [v for _, v in steps]
    assert sorted(values) == sorted(VOCABULARY)
    assert [n for n, _ in steps] == list(range(1, len(steps) + 1))
    assert values[0] == "none" and values[-1] == "describes_conditions"


def test_codebook_field_table_has_claim_after_route_ids():
    table = CODEBOOK.split("## `statements.csv`")[1].split("\n\n")[1]
    names = re.findall(r"^\| `(\w+)` \|", table, re.M)
    assert names == SCHEMA.tables["statements"].columns


def _write(root, rows):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    (root.data / "statements.csv").write_text(buf.getvalue(), encoding="utf-8")


def test_validate_reports_a_claim_outside_the_vocabulary(root):
    rows = statements(root.data / "statements.csv")
    rows[0]["claim"] = "says_closed"
    _write(root, rows)
    lines = validate(root).lines()
    assert len(lines) == 1 and "data/statements.csv:2:claim" in lines[0], lines


def test_validate_reports_a_blank_claim(root):
    rows = statements(root.data / "statements.csv")
    rows[0]["claim"] = ""
    _write(root, rows)
    lines = validate(root).lines()
    assert len(lines) == 1 and "data/statements.csv:2:claim" in lines[0], lines
