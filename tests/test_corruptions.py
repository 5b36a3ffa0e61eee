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


# The files each page is drawn from (None: the Sources & method page lists every problem).
# A page drawn from a damaged file must show the error panel naming it and stop there.
DRAWN_FROM = {
    PAGES[0]: ("data/events.csv", "data/sources.csv", "data/places.csv", "data/alignments.csv", "geo/"),
    PAGES[1]: ("data/events.csv", "data/sources.csv"),
    PAGES[2]: ("data/statements.csv", "data/sources.csv", "data/anchors.json"),
    PAGES[3]: None,
}
# Problems the Statements page marks on the rows concerned (the quote check) instead of stopping.
PER_ROW = (("data/statements.csv", "quote"), ("data/sources.csv", "sha256"), ("data/anchors.json", None))


def _per_row(problem) -> bool:
    return any(problem.file == f and (column is None or problem.column == column) for f, column in PER_ROW)


@pytest.mark.parametrize("corruption", CORPUS, ids=[c.name for c in CORPUS])
def test_dashboard_shows_a_problems_panel(root, monkeypatch, corruption):
    corruption.apply(root)
    report = load_dataset(root).report
    loaded = bool(load_dataset(root).counts.get("events"))
    monkeypatch.setenv("ROUTESTATUS_ROOT", str(root.path))
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=60).run()
    for page in PAGES:
        if page != PAGES[0]:
            at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        errors = "\n".join(e.value for e in at.error)
        warnings = "\n".join(w.value for w in at.warning)
        files = DRAWN_FROM[page]
        hits = [p for p in report.problems if files is None or not loaded or p.file.startswith(files)]
        marked = [p for p in hits if page == PAGES[2] and _per_row(p)]
        stopping = [p for p in hits if p not in marked]
        if stopping:
            for name in {p.file for p in stopping}:
                assert name in errors, (page, name, errors)
            if page != PAGES[3]:  # the page stopped at the panel: nothing drawn from the damaged data
                assert not at.get("plotly_chart") and not at.metric, page
        elif marked:
            assert "quote check problem" in warnings, (page, warnings)
        else:
            assert not errors and "problem(s) in files this page does not use" in warnings, (page, errors, warnings)
