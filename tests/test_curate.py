"""Writing reviewed statements: next ids, validation before any write, files always whole."""

import csv
import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from routestatus import curate
from routestatus.mode import curating
from routestatus.paths import PROJECT_ROOT
from routestatus.validate import validate
from tests.extract_scoring import load_fixture

FILES = ("data/statements.csv", "data/sources.csv", "data/anchors.json")
NEW_SOURCE = {
    "source_id": "fixture-agency",
    "title": "Composed fixture (agency attributions)",
    "publisher": "routestatus tests",
    "url": "https://example.org/fixture-agency",
    "published": "2023-09-13",
    "kind": "other",
    "notes": "composed for testing; not a real article",
}


def snapshot(root) -> dict[str, bytes]:
    """Every file under the root, by path."""
    return {p.relative_to(root.path).as_posix(): p.read_bytes() for p in root.path.rglob("*") if p.is_file()}


def rows(root, table):
    with open(root.data / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def review(name="agency"):
    text, doc = load_fixture(name)
    frame = curate.review_table(
        text, dt.date.fromisoformat(doc["published"]), "", curate.existing_statements(curate.Root(PROJECT_ROOT))
    )
    return text, frame


def test_curating_is_off_unless_asked():
    assert not curating({})
    assert not curating({"ROUTESTATUS_CURATE": "0"})
    assert curating({"ROUTESTATUS_CURATE": "1"}) and curating({"ROUTESTATUS_CURATE": "yes"})


def test_next_id_follows_the_highest_number():
    assert curate.next_id(["S001", "S119", "S002"]) == "S120"
    assert curate.next_id([]) == "S001"
    assert curate.next_id(["S999"]) == "S1000"


def test_review_table_puts_the_weakest_first():
    _, frame = review()
    assert list(frame["confidence"]) == sorted(frame["confidence"])
    assert sorted(frame["candidate"]) == list(range(1, len(frame) + 1))
    assert {"speaker_basis", "confidence", "date_basis", "carried_by"} <= set(frame.columns)
    assert "quoted via TASS" in set(frame["notes"])


def test_accepted_rows_are_written_with_the_next_ids_and_validate(root):
    text, frame = review()
    before = snapshot(root)
    last = rows(root, "statements")[-1]["statement_id"]
    first = curate.next_id([last])
    chosen = frame[frame["candidate"].isin([1, 3])].sort_values("candidate").copy()
    chosen["claim"] = ["says_blocked", "says_open"]
    outcome = curate.add_statements(root, chosen, new_source=NEW_SOURCE, archive_text=text)
    assert outcome.ok, outcome.problems
    assert outcome.statement_ids == [first, curate.next_id([first])]
    after = snapshot(root)
    seed = next(p for p in after if p.startswith("seeds/") and p not in before)
    assert sorted(p for p in after if after[p] != before.get(p)) == sorted([*FILES, seed])
    new = rows(root, "statements")[-2:]
    assert [r["statement_id"] for r in new] == outcome.statement_ids
    assert [r["speaker"] for r in new] == ["Nikol Pashinyan", "Jeyhun Mirzayev"]
    assert [r["claim"] for r in new] == ["says_blocked", "says_open"]
    assert {r["source_id"] for r in new} == {"fixture-agency"}
    source = rows(root, "sources")[-1]
    assert source["archived_copy"] == seed and source["sha256"] == hashlib.sha256(after[seed]).hexdigest()
    # the old rows are byte for byte as they were: the new ones are appended
    for name in ("data/statements.csv", "data/sources.csv"):
        assert after[name].startswith(before[name])
    assert validate(root).ok
    assert all(f'"{sid}"' in after["data/anchors.json"].decode() for sid in outcome.statement_ids)


def test_invalid_rows_are_reported_and_nothing_is_written(root):
    _, frame = review()
    chosen = frame[frame["candidate"] == 1].copy()
    chosen["claim"] = "is_fine"  # not a claim value
    chosen["date"] = "13/09/2023"
    before = snapshot(root)
    outcome = curate.add_statements(root, chosen, source_id="asbarez-us-eu-aghdam-route-2023-09")
    assert not outcome.ok and snapshot(root) == before
    assert any(p.startswith("data/statements.csv:") and "claim" in p for p in outcome.problems)
    assert any("date" in p for p in outcome.problems)
    assert all("Traceback" not in p for p in outcome.problems)


def test_unknown_source_and_empty_choice_are_refused(root):
    _, frame = review()
    before = snapshot(root)
    assert "not in data/sources.csv" in curate.add_statements(root, frame, source_id="nope").problems[0]
    assert "nothing to write" in curate.add_statements(root, frame.iloc[0:0], source_id="nope").problems[0]
    assert snapshot(root) == before


def test_a_failure_between_temp_file_and_rename_leaves_every_file_as_it_was(root):
    text, frame = review()
    before = snapshot(root)
    renamed = []

    def fail_on_statements(path: Path) -> None:
        renamed.append(path.name)
        if path.name == "statements.csv":  # the archived text and sources.csv are already in place
            raise OSError("disk full")

    chosen = frame[frame["candidate"] == 1].assign(claim="says_blocked")
    with pytest.raises(OSError, match="disk full"):
        curate.add_statements(root, chosen, new_source=NEW_SOURCE, archive_text=text, before_rename=fail_on_statements)
    assert renamed[-2:] == ["sources.csv", "statements.csv"]
    assert snapshot(root) == before  # the replaced files were put back; no temporary file is left
    assert validate(root).ok


CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from routestatus.curate import write_whole

    target = Path(sys.argv[1])
    def pause(path):
        print("ready", flush=True)
        time.sleep(60)
    write_whole({target: b"new,content\\n" * 200000}, before_rename=pause)
    """
)


def test_a_process_killed_mid_write_leaves_the_file_whole(root):
    target = root.data / "statements.csv"
    before = target.read_bytes()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(target)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )
    try:
        assert child.stdout.readline().strip() == "ready"  # the new bytes are in a temporary file beside it
        temps = [p for p in root.data.iterdir() if p.name.startswith(".statements.csv.")]
        assert len(temps) == 1 and temps[0].stat().st_size == len(b"new,content\n") * 200000
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    assert target.read_bytes() == before
    assert validate(root).ok  # a stray temporary file is not a table and breaks nothing
