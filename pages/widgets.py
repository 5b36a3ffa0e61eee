"""Shared page pieces: the problems panel and the one "table + download" helper."""

import pandas as pd
import streamlit as st

from routestatus.export import csv_bytes, file_name


def problems_panel(report) -> bool:
    """Show the validation problems, if any; True when the data is clean."""
    if report.ok:
        return True
    st.error(f"The data has {len(report.problems)} problem(s). Views that depend on it may be incomplete.")
    st.code("\n".join(report.lines()), language=None, wrap_lines=True)
    return False


def table_with_download(frame: pd.DataFrame, table: str, flt, key: str, column_config=None) -> None:
    """Show ``frame`` and a "Download CSV" button for exactly those rows."""
    st.dataframe(frame, hide_index=True, column_config=column_config, key=f"{key}_table")
    st.download_button(
        "Download CSV",
        data=csv_bytes(frame),
        file_name=file_name(table, flt.start, flt.end),
        mime="text/csv",
        key=f"{key}_download",
        icon=":material/download:",
    )
