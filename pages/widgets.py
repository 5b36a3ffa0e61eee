"""Shared page pieces: the problems panel, the paged table with its "Download CSV", the snapshot button."""

from functools import partial

import pandas as pd
import streamlit as st

from routestatus.snapshot import EVERYONE, builder, file_name, table_csv


def problems_panel(report) -> bool:
    """Show the validation problems, if any; True when the data is clean."""
    if report.ok:
        return True
    st.error(f"The data has {len(report.problems)} problem(s). Views that depend on it may be incomplete.")
    st.code("\n".join(report.lines()), language=None, wrap_lines=True)
    return False


def _view():
    data = st.session_state["dataset"]
    return data, st.session_state["intervals"], st.session_state["filters"], data.schema.enum("events", "event_type")


PAGE_ROWS = 500  # rows sent to the browser at once; a download always holds them all


def paged_table(rows: pd.DataFrame, make_view, table: str, key: str, column_config=None, people=EVERYONE) -> None:
    """Show ``rows`` as ``make_view`` words them, a page at a time, and a "Download CSV" button.

    Only the page shown is worded and sent, so a range with 100,000 events costs no more
    than one with 500. The download is made by ``snapshot.table_csv`` (the same bytes as
    the command line's snapshot for these filters) when the button is clicked, not on every
    rerun; it holds every row, with the codebook's columns (ids and codes where the table
    shows words).
    """
    data, intervals, flt, types = _view()
    total = len(rows)
    shown = rows
    if total > PAGE_ROWS:
        pages = -(-total // PAGE_ROWS)
        page = st.number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=1, step=1, key=f"{key}_page")
        first = (int(page) - 1) * PAGE_ROWS
        shown = rows.iloc[first : first + PAGE_ROWS]
        st.caption(f"Rows {first + 1:,}–{first + len(shown):,} of {total:,}; the download holds all {total:,}.")
    st.dataframe(make_view(shown), hide_index=True, column_config=column_config, key=f"{key}_table")
    st.download_button(
        "Download CSV",
        data=partial(table_csv, data, intervals, flt, table, people),
        file_name=file_name(table, flt, types, people),
        mime="text/csv",
        key=f"{key}_download",
        icon=":material/download:",
        on_click="ignore",
        help=f"All {total:,} rows with the codebook's columns; UTF-8 CSV that Excel opens as is.",
    )


def snapshot_button() -> None:
    """The sidebar's "Download snapshot" button: every table for the current filters in one zip."""
    data, intervals, flt, types = _view()
    st.download_button(
        "Download snapshot (zip)",
        data=builder(data, intervals, flt),
        file_name=file_name("snapshot", flt, types, extension="zip"),
        mime="application/zip",
        key="snapshot_download",
        icon=":material/folder_zip:",
        on_click="ignore",
        disabled=not data.report.ok,
        help="Events, statements, sources and status intervals for these filters, both map layers, "
        "a README with the field meanings and a manifest with SHA-256 hashes. Built when you click.",
    )
    if not data.report.ok:
        st.caption("Snapshots are off while the data has problems (see Sources & method).")
