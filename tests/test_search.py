"""Search: what `q` keeps, in the package, on the pages and in the downloads.

The expected rows are worked out from the CSV files with plain case-folded substring tests
over the searched fields (tests/expected.py), not with the search module's own folding.
"""

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from routestatus.cli import main
from routestatus.search import MAX_WORDS, fold, mark_markdown, parse_query, spans
from routestatus.snapshot import table_csv
from routestatus.status import build_intervals
from routestatus.view import MAX_VALUE_LENGTH, Options, View, parse
from tests.expected import expected_search, live

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture(scope="module")
def curated(data):
    return data, build_intervals(data.tables["events"]), Options.of(data)


def view_of(curated, **query):
    data, intervals, options = curated
    choice, notices = parse(query, options)
    return View(data, intervals, choice, options), notices


@pytest.mark.parametrize("q", ["hakari", "ICJ", "Hakari bridge", "peacekeepers Stepanakert"])
def test_a_search_returns_exactly_the_records_holding_every_word(curated, q):
    want_events, want_statements = expected_search(q)
    view, notices = view_of(curated, q=q)
    assert notices == []
    assert set(view.events["event_id"]) == want_events
    assert set(view.statements["statement_id"]) == want_statements
    assert want_events or want_statements  # the query finds something, so the test can fail


def test_the_curated_record_has_hakari_and_icj_rows(curated):
    # The issue's own figures are the floor: Hakari in at least 16 events, ICJ in 3 events and 5 statements.
    hakari, _ = view_of(curated, q="hakari")
    icj, _ = view_of(curated, q="ICJ")
    assert len(hakari.events) >= 16
    assert len(icj.events) >= 3 and len(icj.statements) >= 5


def test_a_place_is_found_by_any_of_its_names(curated):
    found = {q: set(view_of(curated, q=q)[0].events["event_id"]) for q in ("Բերձոր", "Laçın", "Лачин", "Berdzor")}
    assert len({frozenset(v) for v in found.values()}) == 1, found
    at_lachin = {r["event_id"] for r in live("events") if r["place_id"] == "lachin"}
    assert at_lachin and at_lachin <= found["Berdzor"]


def test_khankendi_finds_stepanakert(curated):
    khankendi = set(view_of(curated, q="Khankendi")[0].events["event_id"])
    assert khankendi == set(view_of(curated, q="Stepanakert")[0].events["event_id"])
    at_stepanakert = {r["event_id"] for r in live("events") if r["place_id"] == "stepanakert"}
    assert at_stepanakert and at_stepanakert <= khankendi


def test_case_accents_and_quote_marks_are_ignored():
    assert fold("LAÇIN “corridor” — Xankəndi") == fold('lacin "corridor" - xankendi')
    assert parse_query("“Hakari”,  hakari ...").words == ("hakari",)
    assert parse_query("?!... ---").words == ()


def test_a_short_place_name_is_a_whole_word(curated):
    # "Sus" is a village on the old road: it must not find every "suspension".
    view, _ = view_of(curated, q="Sus")
    assert not any("suspen" in s.casefold() and " sus" not in s.casefold() for s in view.events["summary"])


def test_marks_fall_on_the_words_as_written():
    query = parse_query("lacin hakari")
    text = "The Laçın road at the HAKARI bridge [x]"
    assert [text[a:b] for a, b in spans(text, query)] == ["Laçın", "HAKARI"]
    marked = mark_markdown(text, query)
    assert ":orange-background[Laçın]" in marked and ":orange-background[HAKARI]" in marked
    assert "\\[x\\]" in marked  # the rest stays escaped


@pytest.mark.parametrize(
    ("q", "words"),
    [
        ("<script>alert(1)</script>", "HTML"),
        ("x" * 10_000, f"longer than {MAX_VALUE_LENGTH}"),
        ("!!! ... ???", "no word"),
        (" ".join(f"w{i}" for i in range(MAX_WORDS + 5)), f"more than {MAX_WORDS} words"),
    ],
)
def test_a_bad_search_in_a_link_gives_a_valid_view_and_a_notice(q, words):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["q"] = q
    at.run()
    assert not at.exception
    notices = [w.value for w in at.sidebar.warning]
    assert any("search text" in n and words in n for n in notices), notices
    for page in ("pages/app/timeline.py", "pages/app/statements.py", "pages/app/sources.py"):
        at.switch_page(page).run()
        assert not at.exception, page


def test_typing_a_search_filters_every_page_and_the_link():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/app/timeline.py").run()
    everything = len(at.session_state["view"].events)
    at.text_input(key="flt_q").set_value("Hakari bridge").run()
    assert not at.exception
    view = at.session_state["view"]
    assert 0 < len(view.events) < everything
    assert at.query_params["q"] == "Hakari bridge"
    events_table = next(d.value for d in at.dataframe if "summary" in d.value.columns)
    assert list(events_table["event_id"]) == list(view.events["event_id"])
    summary = at.info[0].value
    assert f"{len(view.events)} events and {len(view.statements)} statement" in summary
    at.switch_page("pages/app/statements.py").run()
    assert not at.exception
    assert at.session_state["view"].choice.q == "Hakari bridge"


def test_nothing_found_says_what_to_try():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["q"] = "zzqxv"
    at.run()
    assert not at.exception
    assert any("Nothing in this view matches" in w.value for w in at.warning)
    at.switch_page("pages/app/statements.py").run()
    assert not at.exception


def test_the_download_of_a_searched_view_is_the_command_lines(tmp_path):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["q"] = "Laçın"
    at.query_params["from"] = "2022-12-01"
    at.run()
    assert not at.exception
    view = at.session_state["view"]
    for table in ("events", "statements", "sources"):
        out = tmp_path / f"{table}.csv"
        assert main(["snapshot", "--from", "2022-12-01", "--q", "Laçın", "--table", table, "--out", str(out)]) == 0
        assert out.read_bytes() == table_csv(view, table), table
    assert "q-lacin" in view.file_name("events")


def test_the_command_line_search(tmp_path, capsys):
    out = tmp_path / "events.csv"
    assert main(["snapshot", "--q", "<b>ICJ</b>", "--table", "events", "--out", str(out)]) == 0
    assert "note: --q looks like HTML markup" in capsys.readouterr().err
    assert main(["snapshot", "--q", "...", "--table", "events", "--out", str(out)]) == 2
    assert "error: --q holds no word" in capsys.readouterr().err


def test_the_search_is_part_of_every_written_form(curated):
    data, intervals, options = curated
    view, _ = view_of(curated, q="Hakari bridge", to="2023-06-30")
    choice = view.choice
    assert view.query()["q"] == "Hakari bridge"
    assert parse(view.query(), options)[0] == choice
    assert "--q 'Hakari bridge'" in choice.command_line(options)
    assert choice.record(options)["q"] == "Hakari bridge"
    assert view.file_name("events").endswith("_q-hakari-bridge.csv")
    assert dt.date(2023, 6, 30) == choice.end


def test_typing_only_punctuation_says_so_and_shows_every_row():
    at = AppTest.from_file(APP, default_timeout=60).run()
    everything = len(at.session_state["view"].events)
    at.text_input(key="flt_q").set_value("?!").run()
    assert not at.exception
    assert any(w.value.startswith("Your search text holds no word") for w in at.sidebar.warning)
    assert len(at.session_state["view"].events) == everything
    at.text_input(key="flt_q").set_value("Hakari").run()  # a new search clears the notice
    assert not any("search text" in w.value for w in at.sidebar.warning)
