"""Plain summaries of a loaded dataset for overview pages and the command line."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from routestatus.load import Dataset


@dataclass(frozen=True)
class Overview:
    """Row counts per table and the span of the event dates (ISO strings, or None)."""

    counts: dict[str, int]
    first_date: str | None
    last_date: str | None


def overview(data: Dataset) -> Overview:
    """Count rows per table and find the first and last event dates."""
    events = data.tables.get("events", pd.DataFrame())
    dates = pd.concat([events.get("date_start", pd.Series()), events.get("date_end", pd.Series())]).dropna()
    first = dates.min().date().isoformat() if len(dates) else None
    last = dates.max().date().isoformat() if len(dates) else None
    return Overview(counts=dict(data.counts), first_date=first, last_date=last)
