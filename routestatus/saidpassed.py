"""What was said set against what could pass: each statement's claim beside the road's recorded status that day.

Only the claims that say what passes (``says_open``, ``says_restricted``, ``says_blocked``)
are compared with the record; a call, an offer or a description asserts nothing about
what passes. A claim and the recorded status *differ* when the status is not among those
the claim is compatible with (:data:`COMPATIBLE`), as the codebook sets out. The words are
"claim" and "recorded status", never "false": the record can be wrong or late too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from routestatus.status import UNKNOWN, Interval, status_at

# claim -> the recorded statuses it agrees with. A status not listed differs; an unknown
# status is never compared (there is nothing recorded to set the claim against).
COMPATIBLE = {
    "says_open": ("open",),
    "says_restricted": ("restricted", "humanitarian_only", "outbound_only"),
    "says_blocked": ("humanitarian_only", "closed"),
}

COLUMNS = (
    "statement_id",
    "date",
    "route_id",
    "organisation",
    "speaker",
    "claim",
    "recorded_status",
    "comparison",
    "evidence_event_ids",
    "statement_source_id",
    "evidence_source_ids",
)


def comparison(claim: str, status: str) -> str:
    """``agrees``, ``differs``, or ``not compared`` (a claim about no passage, or an unknown status)."""
    if claim not in COMPATIBLE or status == UNKNOWN:
        return "not compared"
    return "agrees" if status in COMPATIBLE[claim] else "differs"


def said_vs_passed(
    statements: pd.DataFrame,
    intervals: Mapping[str, list[Interval]],
    events: pd.DataFrame,
    roads: Sequence[str],
) -> pd.DataFrame:
    """One row per statement and road it names (of ``roads``): its claim, the status recorded that day, and how.

    ``events`` (all events) gives the sources of the events behind each status. Rows in
    the statements' order, then road order; every cell is text, as the CSV holds it.
    """
    # Plain lists, not row tuples: iterating pandas' Arrow-backed columns costs a Python call
    # per cell, which at 100,000 events took most of this function's time.
    sources = dict(zip(events["event_id"].tolist(), events["source_ids"].tolist(), strict=True))
    columns = ("statement_id", "date", "route_ids", "organisation", "speaker", "claim", "source_id")
    rows = []
    for sid, date, route_ids, org, speaker, claim, source_id in zip(
        *(statements[c].tolist() for c in columns), strict=True
    ):
        named = route_ids.split(";") if isinstance(route_ids, str) else []
        day = pd.Timestamp(date).date()
        claim = claim if isinstance(claim, str) else ""
        for road in roads:
            if road not in named:
                continue
            iv = status_at(intervals, road, day)
            rows.append(
                (
                    sid,
                    day.isoformat(),
                    road,
                    org,
                    speaker,
                    claim,
                    iv.status,
                    comparison(claim, iv.status),
                    ";".join(iv.evidence),
                    source_id,
                    ";".join(sources.get(e, "") for e in iv.evidence),
                )
            )
    return pd.DataFrame(rows, columns=list(COLUMNS), dtype="string")


def voices(statements: pd.DataFrame, roads: Sequence[str]) -> pd.DataFrame:
    """Per organisation and road named: statements in the range, the first and last, and the longest silence.

    The longest silence is the most days between two statements in a row (or, with one
    statement, none); the range's ends do not count, since nobody is expected to speak on
    the first day.
    """
    rows = []
    for road in roads:
        if statements.empty:
            break
        names = statements["route_ids"].fillna("").str.split(";").map(lambda ids, road=road: road in ids)
        part = statements[names]
        for org, group in part.groupby("organisation", sort=True):
            days = sorted(pd.Timestamp(d).date() for d in group["date"])
            gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
            longest = max(gaps) if gaps else None
            at = gaps.index(longest) if gaps else None
            rows.append(
                {
                    "route_id": road,
                    "organisation": org,
                    "statements": len(days),
                    "first": days[0],
                    "last": days[-1],
                    "longest_silence_days": longest,
                    "silence_from": days[at] if at is not None else None,
                    "silence_to": days[at + 1] if at is not None else None,
                }
            )
    return pd.DataFrame(rows)
