"""Every corrupted copy in the corpus: one clear line per problem, a problems panel, nothing dropped."""

import csv
import io
import re

import pytest
from streamlit.testing.v1 import AppTest

from routestatus.cli import main
from routestatus.load import load_dataset
from routestatus.paths import PROJECT_ROOT
from tests.corruptions import CORPUS

LINE = re.compile(r"^[\w./()-]+:\d+:[\w.()-]+: found .+; expected .+$")
PAGES = ("pages/app/map.py", "pages/app/timeline.py", "pages/app/statements.py", "pages/app/sources.py")


def test_the_corpus_is_large_and_distinct():
    assert len(CORPUS) >= 40
    assert len({c.name for c in CORPUS}) == len(CORPUS)


def records(path) -> int | None:
    """Data records in a CSV file as Python's csv module reads it; None if it is not UTF-8."""
    try:
        body = path.read_bytes().decode("utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    return max(len(list(csv.reader(io.StringIO(body, newline="")))) - 1, 0)


@pytest.mark.parametrize("corruption", CORPUS, ids=[c.name for c in CORPUS])
def test_validate_names_each_problem_and_nothing_is_dropped(root, capsys, corruption):
    corruption.apply(root)
    assert main(["--root", str(root.path), "validate"]) == 1
    captured = capsys.readouterr()
    lines = [line for line in captured.out.splitlines() if line]
    assert "Traceback" not in captured.out + captured.err
    assert lines, "no problem reported"
    for line in lines:
        assert LINE.match(line), line
    for fragment in corruption.expect:
        assert any(fragment in line for line in lines), (fragment, lines)
    # Nothing dropped unreported: a table loads every record of its file, or its file is reported.
    data = load_dataset(root)
    reported = {p.file for p in data.report.problems}
    for name, frame in data.tables.items():
        path = root.data / f"{name}.csv"
        n = records(path)
        if n is not None and len(frame) != n:
            assert f"data/{name}.csv" in reported, (name, len(frame), n)


@pytest.mark.parametrize("corruption", CORPUS, ids=[c.name for c in CORPUS])
def test_dashboard_shows_a_problems_panel(root, monkeypatch, corruption):
    corruption.apply(root)
    monkeypatch.setenv("ROUTESTATUS_ROOT", str(root.path))
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=60).run()
    pages = PAGES if corruption.name in ("half-written file", "descriptor not JSON", "anchors deleted") else PAGES[:1]
    for page in pages:
        if page != PAGES[0]:
            at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        shown = [e.value for e in at.error] + [w.value for w in at.warning]
        assert any("problem" in text for text in shown), (page, shown)
