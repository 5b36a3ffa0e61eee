"""The extractor scored against expected rows: recall, speaker, roads, date and precision per text.

Each figure must reach 0.9 on the seed and on every fixture with expected rows (see
tests/extract_scoring.py and docs/extraction.md). The fixtures are composed texts: invented prose around
quotations copied verbatim from the pages their rows cite.
"""

import re

import pytest

from routestatus.quotes import normalise
from tests.extract_scoring import FIGURES, FLOOR, fixture_names, load_fixture, score_fixture, score_seed, table

NAMES = fixture_names()


def test_there_are_fixtures_for_each_pattern():
    patterns = {"backref_role", "two_officials", "passive", "headline", "agency", "previous_sentence", "speaker_dates"}
    assert patterns <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_fixture_is_composed_and_sourced(name):
    text, doc = load_fixture(name)
    first = text.split("\n\n")[0]
    assert first.startswith("Composed for testing") and "verbatim" in first and "not a news report" in first
    urls = {s["url"] for s in doc["sources"]}
    assert all(re.match(r"https?://", s["url"]) and s["title"] for s in doc["sources"])
    flat = normalise(text)
    for row in doc["rows"]:
        assert row["source"] in urls, row["quote"][:40]
        assert normalise(row["quote"]) in flat, row["quote"][:40]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"]) and row["date_precision"] in ("day", "approximate")
    # every double-marked quotation of the text is an expected row: nothing is left unscored
    quoted = [normalise(a or b).rstrip(",") for a, b in re.findall(r"“([^”]*)”|\"([^\"]*)\"", text)]
    direct = {normalise(r["quote"]) for r in doc["rows"] if r["kind"] == "direct"}
    assert set(quoted) == direct


def check(scored):
    figures = scored.figures()
    low = {k: round(v, 2) for k, v in figures.items() if v < FLOOR}
    assert not low, f"{scored.name}: below {FLOOR}: {low}\n" + "\n".join(scored.misses)


def test_seed_scores():
    check(score_seed())


@pytest.mark.parametrize("name", NAMES)
def test_fixture_scores(name):
    check(score_fixture(name))


def test_table_reports_every_figure():
    text = table([score_seed()])
    assert text.splitlines()[0] == "| text | rows | " + " | ".join(FIGURES) + " |"
    assert "| seed | 15 |" in text
