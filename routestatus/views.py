"""Tables as the pages show (and download) them: readable columns, precision-aware dates.

Each function takes the loaded frames and returns a new frame; nothing is changed in place,
so cached data is never mutated.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from routestatus.labels import ROAD_LABELS, STATUS_LABELS, show_date
from routestatus.status import Interval, clip
from routestatus.textsafe import safe_url


def _first_url(ids: str, urls: pd.Series) -> str | None:
    """The first of the ``;``-separated source ids that has an http(s) URL."""
    for sid in str(ids).split(";"):
        if sid in urls.index:
            return safe_url(urls[sid])
    return None


def events_table(events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Events with dates shown at their precision, road and status in words, first source link."""
    urls = sources.set_index("source_id")["url"]
    return pd.DataFrame(
        {
            "event_id": events["event_id"],
            "date": [show_date(d, p) for d, p in zip(events["date_start"], events["date_precision"], strict=True)],
            "date_end": [
                show_date(d, p) if pd.notna(d) else ""
                for d, p in zip(events["date_end"], events["date_precision"], strict=True)
            ],
            "date_precision": events["date_precision"],
            "road": events["route_id"].map(ROAD_LABELS),
            "place_id": events["place_id"].fillna(""),
            "event_type": events["event_type"],
            "status_after": events["status_after"].map(STATUS_LABELS).fillna(""),
            "summary": events["summary"],
            "source": [_first_url(s, urls) for s in events["source_ids"]],
            "source_ids": events["source_ids"],
            "confidence": events["confidence"],
            "notes": events["notes"].fillna(""),
        }
    ).reset_index(drop=True)


def statements_table(statements: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Statements with date at its precision, whether the quote is checkable offline, source link."""
    src = sources.set_index("source_id")
    archived = statements["source_id"].map(src["archived_copy"]).notna()
    return pd.DataFrame(
        {
            "statement_id": statements["statement_id"],
            "date": [show_date(d, p) for d, p in zip(statements["date"], statements["date_precision"], strict=True)],
            "date_precision": statements["date_precision"],
            "date_basis": statements["date_basis"],
            "speaker": statements["speaker"],
            "role": statements["role"].fillna(""),
            "organisation": statements["organisation"],
            "roads": statements["route_ids"]
            .fillna("")
            .map(lambda r: "; ".join(ROAD_LABELS[x] for x in r.split(";")) if r else "(names no road)"),
            "quote": statements["quote"],
            "language": statements["language"],
            "quote_check": archived.map({True: "verified against archived copy", False: "not archived"}),
            "source": statements["source_id"].map(src["url"]).map(safe_url),
            "source_id": statements["source_id"],
            "quoted_via": statements["quoted_via"],
            "notes": statements["notes"].fillna(""),
        }
    ).reset_index(drop=True)


def intervals_table(intervals: dict[str, list[Interval]], lo: dt.date, hi: dt.date) -> pd.DataFrame:
    """Status intervals clipped to [lo, hi], one row each, with their evidence events."""
    rows = []
    for road, ivs in intervals.items():
        for iv in clip(ivs, lo, hi):
            rows.append(
                {
                    "road": ROAD_LABELS[road],
                    "status": STATUS_LABELS[iv.status],
                    "from": iv.start.isoformat(),
                    "to": iv.end.isoformat(),
                    "days": (iv.end - iv.start).days + 1,
                    "start_precision": iv.precision,
                    "evidence": " ".join(iv.evidence),
                }
            )
    return pd.DataFrame(rows, columns=["road", "status", "from", "to", "days", "start_precision", "evidence"])
