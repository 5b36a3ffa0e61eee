"""Shared page pieces: the problems panel, the paged table with its "Download CSV", the snapshot button."""

from functools import partial

import pandas as pd
import streamlit as st

from routestatus.citation import today, view_citation, view_link
from routestatus.search import holds
from routestatus.snapshot import builder, table_csv
from routestatus.textsafe import md_escape


def problems_panel(report, depends_on: tuple[str, ...] | None = None, per_row: tuple = ()) -> bool:
    """Show the validation problems; False when a file this page is drawn from has one.

    ``depends_on`` lists path prefixes (``data/events.csv``, ``geo/``); None means every
    file. A page that gets False stops, showing the panel instead of views that could be
    incomplete; problems only in other files get a one-line notice. ``per_row`` names
    (file, column) pairs, or (file, None) for a whole file, whose problems the page marks on
    each row it concerns (the quote check): those are listed without stopping the page.
    """
    if report.ok:
        return True
    hits = report.problems if depends_on is None else report.touching(depends_on)
    marked = [p for p in hits if (p.file, p.column) in per_row or (p.file, None) in per_row]
    hits = [p for p in hits if p not in marked]
    if marked:
        st.warning(
            f"{len(marked)} quote check problem(s); the rows concerned are marked in the quote_check column:\n\n"
            + "\n".join(f"- {md_escape(str(p))}" for p in marked),
            icon=":material/format_quote:",
        )
    if not hits and marked:
        return True
    if not hits:
        st.warning(
            f"The data has {len(report.problems)} problem(s) in files this page does not use; see Sources & method.",
            icon=":material/warning:",
        )
        return True
    files = sorted({p.file for p in hits})
    st.error(
        f"{len(hits)} problem(s) in {', '.join(files)}. Until they are fixed this page shows the "
        "problems instead of views that could be incomplete. Each line names file, line and column."
    )
    st.code("\n".join(str(p) for p in hits), language=None, wrap_lines=True)
    return False


# The link columns of the events and statements tables: each row's own record, its first source.
RECORD_COLUMN = st.column_config.LinkColumn("record", display_text="open", help="Opens the record in a new tab")
TABLE_LINKS = {"record": RECORD_COLUMN, "source": st.column_config.LinkColumn("source", display_text="open")}

PAGE_ROWS = 500  # rows sent to the browser at once; a download always holds them all


def paged_table(view, table: str, make_view, key: str, column_config=None) -> None:
    """Show the view's ``table`` as ``make_view`` words it, a page at a time, and a "Download CSV" button.

    Only the page shown is worded and sent, so a range with 100,000 events costs no more
    than one with 500; a ``make_view`` that is a ``functools.partial`` of a table of
    ``routestatus.page_tables`` keeps its words for the dataset (``View.in_words``). The
    download is made by ``snapshot.table_csv`` from the same view (the same bytes as the
    command line's snapshot for this choice) when the button is clicked, not on every
    rerun; it holds every row, with the codebook's columns (ids and codes where the table
    shows words).
    """
    total = view.count(table)
    part = slice(None)
    if total > PAGE_ROWS:
        pages = -(-total // PAGE_ROWS)
        page = st.number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=1, step=1, key=f"{key}_page")
        first = (int(page) - 1) * PAGE_ROWS
        part = slice(first, first + PAGE_ROWS)
        st.caption(
            f"Rows {first + 1:,}–{min(first + PAGE_ROWS, total):,} of {total:,}; the download holds all {total:,}."
        )
    # Without a search, as an Arrow table where the words are kept in one: st.dataframe sends
    # that as it is, where it converts a frame (a search marks cells, which takes a frame).
    rows = view.in_words(table, make_view, part, arrow=not view.search.active)
    st.dataframe(
        marked(rows, view) if isinstance(rows, pd.DataFrame) else rows,
        hide_index=True,
        column_config=column_config,
        key=f"{key}_table",
    )
    st.download_button(
        "Download CSV",
        data=partial(table_csv, view, table),
        file_name=view.file_name(table),
        mime="text/csv",
        key=f"{key}_download",
        icon=":material/download:",
        on_click="ignore",
        help=f"All {total:,} rows with the codebook's columns; UTF-8 CSV that Excel opens as is.",
    )
    # Beside the button, not in the file: the CSV holds rows only, the same bytes as snapshot --table.
    st.caption(f"Cite as: {md_escape(view_citation(view, today(), page_address(), table=table))}")


def snapshot_button(view) -> None:
    """The sidebar's "Download snapshot" button: every table of the view in one zip."""
    data = view.data
    st.download_button(
        "Download snapshot (zip)",
        data=builder(view, page_address()),
        file_name=view.file_name("snapshot", extension="zip"),
        mime="application/zip",
        key="snapshot_download",
        icon=":material/folder_zip:",
        on_click="ignore",
        disabled=not data.report.ok,
        help="Events, statements, sources and status intervals of this view, both map layers, "
        "a README with the field meanings and a manifest with SHA-256 hashes. Built when you click.",
    )
    if not data.report.ok:
        st.caption("Snapshots are off while the data has problems (see Sources & method).")


MARK = "background-color: rgba(255, 170, 0, 0.35)"  # the same orange as the marks in quotes


# The table columns that hold searched text. Styling only these, not every cell, costs about
# a third as much per rerun (0.05 s against 0.14 s for 500 rows).
SEARCHED_COLUMNS = ("summary", "notes", "event_type", "place_id", "quote", "speaker", "role", "organisation")


def marked(frame, view):
    """``frame`` with each cell that holds a searched word marked, or as it is with no search on."""
    query = view.search
    columns = [c for c in SEARCHED_COLUMNS if c in frame.columns]
    if not query.active or frame.empty or not columns:
        return frame

    def css(part: pd.DataFrame) -> pd.DataFrame:
        # Each distinct cell is tested once (a column repeats its values: types, places), and
        # the marks go to the Styler as one frame: 16 -> 14 ms a page of 500 rows at 100,000 events.
        out = {}
        for column in part.columns:
            values = part[column].tolist()
            marks = {v: MARK for v in set(values) if isinstance(v, str) and holds(v, query)}
            out[column] = [marks.get(v, "") if isinstance(v, str) else "" for v in values]
        return pd.DataFrame(out, index=part.index)

    return frame.style.apply(css, axis=None, subset=columns)


def search_summary(view) -> None:
    """What the search keeps, said at the top of every page while a search is on."""
    q = view.choice.q
    if not q:
        return
    # The first search on a large dataset folds its text once (seconds at 100,000 events).
    with st.spinner("Searching…"):
        events, statements = view.count("events"), view.count("statements")  # no take of the rows
    shown = md_escape(q if len(q) <= 80 else q[:80] + "…")
    if events or statements:
        st.info(
            f"{events:,} event{'s' * (events != 1)} and {statements:,} statement{'s' * (statements != 1)} "
            f"match “{shown}” in this view. Clear the search box to see every row.",
            icon=":material/search:",
        )
    else:
        st.warning(
            f"Nothing in this view matches “{shown}”. Every word must be found in a row: try fewer words "
            "or another spelling, or widen the date range and the other filters. The search looks in "
            "summaries, notes, event types, place names in four languages, quotes, speakers, roles, "
            "organisations and the titles and publishers of sources.",
            icon=":material/search_off:",
        )


def page_address() -> str:
    """This page's address in the reader's browser, without its query; "" where unknown (links then start at ``?``)."""
    return st.context.url or ""


def cite_box(view) -> None:
    """The sidebar's "Cite this view": the suggested citation, copied with one click, and the view's link."""
    base = page_address()
    with st.expander("Cite this view", icon=":material/format_quote:"):
        st.code(view_citation(view, today(), base), language=None, wrap_lines=True)
        # Angle brackets keep the address whole in Markdown whatever it holds; its query is percent-encoded.
        st.markdown(f"[Link to this view](<{view_link(view, base)}>) (it names the dataset version, `v=`)")


# The sidebar's "»" control, shown when the sidebar is closed (always, on a phone), gets a word:
# an arrow alone does not say that the filters are behind it.
PHONE_CSS = """<style>
[data-testid="stExpandSidebarButton"]::after { content: "Filters"; margin-left: 0.3rem; font-size: 0.9rem; }
</style>"""


def labelled_controls() -> None:
    """Words beside the icon-only control that opens the sidebar (styles only; nothing from the data)."""
    st.html(PHONE_CSS)


def status_caption(choice) -> str:
    """Says plainly which day's status is shown and why that day."""
    why = "the end of the chosen range" if choice.asof is None else "the day chosen under “Status on”"
    return f"Status on **{choice.day}**, {why}."
