"""The Statements page's list in Markdown: each statement's line and what opening it shows.

Worded per row from :func:`routestatus.page_tables.statement_list`, so the page keeps them
for the dataset (``View.in_words``) and a rerun only takes them: wording 50 lines and their
openings again on every rerun cost about 4 ms. The search's words are highlighted; with no
search, the text is only escaped.
"""

from __future__ import annotations

import pandas as pd

from routestatus.labels import claim_label
from routestatus.page_tables import record_link, statement_list
from routestatus.search import Query, mark_markdown
from routestatus.textsafe import md_escape

OPENING_CHARS = 90  # of the quote on its line, cut at a word
CHECK_COLOURS = {"checked": "green", "near": "orange", "failed": "red", "open": "gray"}


def opening(quote: str) -> str:
    """The quote's first words, on one line."""
    words = " ".join(quote.split())
    return words if len(words) <= OPENING_CHARS else words[:OPENING_CHARS].rsplit(" ", 1)[0] + " …"


def _line(row, marked) -> str:
    """The statement's line: date, speaker, organisation, first words; then its roads, claim and check as badges."""
    badges = [f":blue-badge[{md_escape(road)}]" for road in row.roads] or [":gray-badge[names no road]"]
    if row.claim != "none":
        # "says …" claims are the ones set against the record below; the words carry the meaning, not the colour.
        colour = "violet" if row.claim.startswith("says_") else "gray"
        badges.append(f":{colour}-badge[{md_escape(claim_label(row.claim))}]")
    badges.append(f":{CHECK_COLOURS[row.check_tone]}-badge[{md_escape(row.check)}]")
    parts = [
        md_escape(row.date),
        f"**{marked(row.speaker)}**",
        marked(row.organisation),
        f"“{marked(opening(row.quote))}”",
    ]
    return " · ".join(parts) + " " + " ".join(badges)


def _details(row, marked) -> str:
    """The full quote as a block quote, then who, when, the source by publisher and date, the check and the notes."""
    source = md_escape(row.source)
    if row.source_url:
        source = f"[{source}]({row.source_url})"
    title = f": {marked(row.source_title)}" if row.source_title else ""
    who = (
        f"**{marked(row.speaker)}**" + (f", {marked(row.role)}" if row.role else "") + f" ({marked(row.organisation)})"
    )
    lines = [
        who,
        f"**Date:** {md_escape(row.date)}; {marked(row.date_basis)}",
        f"**Source:** {source}{title}" + (f" ({md_escape(row.quoted_via)})" if row.quoted_via else ""),
        f"**Quote check:** {md_escape(row.check)}",
    ]
    if row.notes:
        lines.append(f"**Notes:** {marked(row.notes)}")
    lines.append(f"[Statement {md_escape(row.statement_id)}: its record]({record_link('statement', row.statement_id)})")
    # Every line of the quote stays inside the block quote, paragraph breaks included.
    return "> " + marked(row.quote).replace("\n", "\n> ") + "\n\n" + "  \n".join(lines)


def statement_lines(
    statements: pd.DataFrame, sources: pd.DataFrame, verdicts: dict | None = None, search: Query | None = None
) -> pd.DataFrame:
    """Per statement, its id, its line (``line``) and what opening it shows (``details``), in Markdown.

    ``search`` is the view's search, as matched (a place's other names included); None for
    none, so that the words kept without a search serve every view without one.
    """
    if search is not None and search.active:

        def marked(text: object) -> str:
            return mark_markdown(text, search)

    else:
        # With nothing to highlight, marking is escaping: without a query parsed anew per call
        # (0.8 -> 0.6 s to word the 10,000 statements of 100,000 events).
        marked = md_escape

    listed = statement_list(statements, sources, verdicts)
    rows = list(listed.itertuples())
    return pd.DataFrame(
        {
            "statement_id": listed["statement_id"],
            "line": pd.Series([_line(row, marked) for row in rows], dtype=object),
            "details": pd.Series([_details(row, marked) for row in rows], dtype=object),
        }
    )
