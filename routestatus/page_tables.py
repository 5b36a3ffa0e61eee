"""Tables as the pages show them: readable columns, precision-aware dates, source links.

Each function takes the loaded frames and returns a new frame; nothing is changed in place,
so cached data is never mutated.
"""

from __future__ import annotations

import pandas as pd

from routestatus.labels import ROAD_LABELS, STATUS_LABELS, show_date
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


def quote_check(archived: bool, verdict) -> str:
    """The badge text for one quote: ``verify``'s verdict, or why there is none."""
    if not archived:
        return "not archived: not checkable offline"
    if verdict is None:
        return "not anchored: run python -m routestatus anchor"
    return {
        "verbatim": "✓ verbatim in archived copy",
        "moved": "✓ verbatim, at other offsets",
        "near": f"≈ near match (edit distance {verdict.distance})",
        "missing": "✗ missing from archived copy",
    }[verdict.status]


def statements_table(statements: pd.DataFrame, sources: pd.DataFrame, verdicts: dict | None = None) -> pd.DataFrame:
    """Statements with date at its precision, the quote's check against its archived copy, source link."""
    src = sources.set_index("source_id")
    archived = statements["source_id"].map(src["archived_copy"]).notna()
    verdicts = verdicts or {}
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
            "claim": statements["claim"].fillna("") if "claim" in statements else "",
            "quote": statements["quote"],
            "language": statements["language"],
            "quote_check": [
                quote_check(a, verdicts.get(sid)) for a, sid in zip(archived, statements["statement_id"], strict=True)
            ],
            "source": statements["source_id"].map(src["url"]).map(safe_url),
            "source_id": statements["source_id"],
            "quoted_via": statements["quoted_via"],
            "notes": statements["notes"].fillna(""),
        }
    ).reset_index(drop=True)


def intervals_table(status: pd.DataFrame) -> pd.DataFrame:
    """The snapshot's status intervals (see ``View.status_intervals``) with road and status in words."""
    return pd.DataFrame(
        {
            "road": status["route_id"].map(ROAD_LABELS),
            "status": status["status"].map(STATUS_LABELS),
            "from": status["date_from"].dt.strftime("%Y-%m-%d"),
            "to": status["date_to"].dt.strftime("%Y-%m-%d"),
            "days": status["days"],
            "start_precision": status["start_precision"],
            "evidence": status["evidence_event_ids"].fillna(""),
        }
    )


def said_table(rows: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``View.said_vs_passed`` in words, with the statement's source and the record's first source."""
    urls = sources.set_index("source_id")["url"]
    return pd.DataFrame(
        {
            "statement_id": rows["statement_id"],
            "date": rows["date"].dt.strftime("%Y-%m-%d"),
            "road": rows["route_id"].map(ROAD_LABELS),
            "organisation": rows["organisation"],
            "speaker": rows["speaker"],
            "claim": rows["claim"],
            "recorded status": rows["recorded_status"].map(STATUS_LABELS),
            "comparison": rows["comparison"],
            "statement source": [_first_url(s, urls) for s in rows["statement_source_id"]],
            "evidence": rows["evidence_event_ids"].fillna(""),
            "record source": [_first_url(s, urls) if isinstance(s, str) else None for s in rows["evidence_source_ids"]],
        }
    ).reset_index(drop=True)
