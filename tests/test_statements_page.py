"""The Statements page's list: one line per statement, each opening to its quote, its source and its check."""

import calendar
import datetime as dt
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from routestatus.search import mark_markdown
from routestatus.textsafe import md_escape
from tests.expected import read

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
PAGE = "pages/app/statements.py"
# The page's own cap on lines drawn; the table pages through the rest.
CAP = int(re.search(r"^PASSAGES_SHOWN = (\d+)", (ROOT / PAGE).read_text(encoding="utf-8"), re.M).group(1))
D = dt.date.fromisoformat
NOT_ARCHIVED = "source not archived here; open the link to check"
CHECKED = "checked against the archived text"
STATEMENT_ID = re.compile(r"\[Statement (S\d+): its record\]\(\./\?statement=S\d+\)")
LINK = re.compile(r"(?<!\\)\[((?:\\.|[^\]\\])*)\]\((https?://[^)\s]+)\)")


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def in_view(lo: dt.date, hi: dt.date) -> list[dict[str, str]]:
    """Live statements dated in [lo, hi] (a month-precision date spans its month), by date then id."""
    rows = []
    for r in read("statements"):
        start = end = D(r["date"])
        if r["date_precision"] == "month":
            end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        if r["retracted"] == "false" and end >= lo and start <= hi:
            rows.append(r)
    return sorted(rows, key=lambda r: (r["date"], r["statement_id"]))


def run(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def lines(at: AppTest) -> dict[str, tuple[str, str]]:
    """The list's lines, in page order: statement id -> (line, the text it opens to)."""
    out = {}
    for e in at.expander:
        body = "\n".join(m.value for m in e.markdown)
        found = STATEMENT_ID.search(body)
        if found:
            out[found.group(1)] = (e.label, body)
    return out


@pytest.fixture(scope="module")
def whole_record():
    return run()


@pytest.fixture(scope="module")
def one_week():
    lo, hi = D("2023-09-12"), D("2023-09-18")
    return run(**{"from": str(lo), "to": str(hi)}), in_view(lo, hi)


def test_one_line_per_statement_up_to_the_cap(whole_record):
    lo = min(D(r["date"]) for r in read("statements"))
    everyone = in_view(lo, dt.date.max)
    shown = lines(whole_record)
    assert list(shown) == [r["statement_id"] for r in everyone[:CAP]]
    if len(everyone) > CAP:
        assert any(f"The first {CAP} of {len(everyone):,} statements" in c.value for c in whole_record.caption)


def test_a_short_range_lists_every_statement_in_it(one_week):
    at, expected = one_week
    assert 0 < len(expected) <= CAP, "the week chosen fits under the cap"
    assert list(lines(at)) == [r["statement_id"] for r in expected]


def test_each_line_names_date_speaker_and_organisation(one_week):
    at, expected = one_week
    shown = lines(at)
    for r in expected:
        line = unescape(shown[r["statement_id"]][0])
        assert line.startswith(("≈ " if r["date_precision"] == "approximate" else "") + r["date"]), line
        assert r["speaker"] in line and r["organisation"] in line, line
        assert " ".join(r["quote"].split()[:3]) in line, "the line starts the quote"


def test_the_source_is_named_by_publisher_and_date_and_linked(whole_record):
    sources = {r["source_id"]: r for r in read("sources")}
    by_id = {r["statement_id"]: r for r in read("statements")}
    for sid, (_, body) in lines(whole_record).items():
        source = sources[by_id[sid]["source_id"]]
        day = D(source["published"]) if source["published"] else None
        credit = f"{source['publisher']}, " + (f"{day.day} {day:%b %Y}" if day else "no date on the page")
        links = [(unescape(text), url) for text, url in LINK.findall(body)]
        assert not {text for text, _ in links} & set(sources), "no source id is shown as a link"
        words = unescape(LINK.sub(lambda m: m.group(1), body))  # the text a reader sees, without link targets
        assert source["source_id"] not in words, "the internal id is not shown at all"
        if source["url"].startswith(("https://", "http://")):
            assert (credit, source["url"]) in links, (sid, links)
        else:
            assert credit in unescape(body)


def test_the_quote_check_is_in_plain_words(whole_record):
    sources = {r["source_id"]: r for r in read("sources")}
    verdicts = whole_record.session_state["view"].data.quote_checks.verdicts
    by_id = {r["statement_id"]: r for r in read("statements")}
    for sid, (line, body) in lines(whole_record).items():
        archived = bool(sources[by_id[sid]["source_id"]]["archived_copy"])
        if not archived:
            expected = NOT_ARCHIVED
        elif sid in verdicts and verdicts[sid].status in ("verbatim", "moved"):
            expected = CHECKED
        else:
            continue  # a near or failed match is worded by its verdict; this data has none
        assert expected in unescape(line) and f"Quote check:** {expected}" in unescape(body), sid


def test_the_line_opens_to_the_full_quote_and_the_record(one_week):
    at, expected = one_week
    shown = lines(at)
    for r in expected:
        body = shown[r["statement_id"]][1]
        quote, _, rest = body.partition("\n\n")
        assert all(q.startswith("> ") for q in quote.split("\n")), "every line of the quote is in the block quote"
        assert unescape(quote).replace("\n> ", "\n").removeprefix("> ").split() == r["quote"].split()
        text = unescape(rest)
        for field in ("role", "date_basis", "notes"):
            assert " ".join(r[field].split()) in " ".join(text.split()), field


def test_the_searched_words_are_marked_in_the_quote():
    word = "peacekeepers"
    holding = [r for r in in_view(D("2020-01-01"), D("2025-01-01")) if word in r["quote"].casefold()]
    if not holding:
        pytest.skip(f"no quote holds {word!r}")
    at = run(q=word)
    shown = lines(at)
    marked = [r for r in holding if r["statement_id"] in shown]
    assert marked, "a statement whose quote holds the word is listed"
    for r in marked:
        line, body = shown[r["statement_id"]]
        assert mark_markdown(r["quote"], word) != md_escape(r["quote"]), "the quote has a mark"
        assert mark_markdown(r["quote"], word) in body.replace("\n> ", "\n"), r["statement_id"]


def test_a_range_without_statements_says_so():
    said = {D(r["date"]) for r in read("statements") if r["retracted"] == "false"}
    lo = min(said)
    day = next(lo + dt.timedelta(days=i) for i in range(1, 400) if lo + dt.timedelta(days=i) not in said)
    if in_view(day, day):
        pytest.skip("every day near the start has a statement")
    at = run(**{"from": str(day), "to": str(day)})
    assert any("No statement in this range matches the filters" in i.value for i in at.info)
    assert not lines(at)


def test_every_verdict_has_plain_words():
    """Each verdict ``verify`` can give is worded, and the words differ where the verdicts mean different things."""
    from routestatus.anchors import Verdict
    from routestatus.page_tables import quote_check_words

    words = {
        status: quote_check_words(True, Verdict("S001", status, "", distance=2))[0]
        for status in ("verbatim", "moved", "near", "missing")
    }
    assert words["verbatim"] == words["moved"] == CHECKED
    assert "2 characters" in words["near"] and words["near"] != CHECKED
    assert words["missing"] not in (CHECKED, words["near"])
    assert quote_check_words(False, None)[0] == NOT_ARCHIVED
    assert quote_check_words(True, None)[0] not in words.values()
