"""What was said set against what could pass: each statement's claim beside the road's recorded status that day.

Only the claims that say what passes (``says_open``, ``says_restricted``, ``says_blocked``)
are compared with the record; a call, an offer or a description asserts nothing about
what passes. A claim and the recorded status *differ* when the status is not among those
the claim is compatible with (:data:`COMPATIBLE`), as the codebook sets out. The words are
"claim" and "recorded status", never "false": the record can be wrong or late too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from routestatus.status import UNKNOWN, Interval

# claim -> the recorded statuses it agrees with. A status not listed differs; an unknown
# status is never compared (there is nothing recorded to set the claim against).
COMPATIBLE = {
    "says_open": ("open",),
    "says_restricted": ("restricted", "humanitarian_only", "outbound_only"),
    "says_blocked": ("humanitarian_only", "closed"),
}

EPOCH = dt.date(1970, 1, 1)

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
    positions: bool = False,
) -> pd.DataFrame:
    """One row per statement and road it names (of ``roads``): its claim, the status recorded that day, and how.

    ``events`` (all events) gives the sources of the events behind each status. Rows in
    the statements' order, then road order; every cell is text, as the CSV holds it. With
    ``positions``, a last column ``_row`` gives each row's statement as a position in ``statements``.
    """
    # Per road, on arrays: each statement's day found among the road's interval starts by a
    # binary search, where a loop of status_at calls cost a Python call per row (most of the
    # Statements page's time at 100,000 events). Same rows, same order, same text.
    parts = []
    for order, road in enumerate(roads):
        named = statements["route_ids"].str.contains(f"(?:^|;){re.escape(road)}(?:;|$)", regex=True, na=False)
        rows = statements[named.to_numpy(bool)]
        if rows.empty:
            continue
        road_intervals = intervals.get(road, [])
        days = rows["date"].dt.normalize().to_numpy("datetime64[D]").astype(np.int64)
        starts = np.asarray([(iv.start - EPOCH).days for iv in road_intervals], np.int64)
        ends = np.asarray([(iv.end - EPOCH).days for iv in road_intervals], np.int64)
        at = np.searchsorted(starts, days, side="right") - 1
        inside = (at >= 0) & (days <= ends[np.maximum(at, 0)]) if len(starts) else np.zeros(len(days), bool)
        at = np.where(inside, at, -1)
        table = [(iv.status, ";".join(iv.evidence)) for iv in road_intervals] + [(UNKNOWN, "")]
        status = [table[i][0] for i in at.tolist()]
        evidence = [table[i][1] for i in at.tolist()]
        claims = rows["claim"].fillna("").tolist()
        parts.append(
            pd.DataFrame(
                {
                    "statement_id": rows["statement_id"].to_numpy(object),
                    "date": rows["date"].dt.strftime("%Y-%m-%d").to_numpy(object),
                    "route_id": road,
                    "organisation": rows["organisation"].to_numpy(object, na_value=None),
                    "speaker": rows["speaker"].to_numpy(object, na_value=None),
                    "claim": claims,
                    "recorded_status": status,
                    "comparison": [comparison(c, st) for c, st in zip(claims, status, strict=True)],
                    "evidence_event_ids": evidence,
                    "statement_source_id": rows["source_id"].to_numpy(object, na_value=None),
                    "_evidence": [road_intervals[i].evidence if i >= 0 else () for i in at.tolist()],
                    "_row": np.flatnonzero(named.to_numpy(bool)),
                    "_road": order,
                }
            )
        )
    if not parts:
        return pd.DataFrame([], columns=list(COLUMNS) + ["_row"] * positions, dtype="string")
    frame = pd.concat(parts, ignore_index=True).sort_values(["_row", "_road"], kind="stable")
    # The sources of the events behind each status, looked up only for those events.
    wanted = {e for ids in frame["_evidence"] for e in ids}
    cited = events.loc[events["event_id"].isin(list(wanted)), ["event_id", "source_ids"]]
    sources = dict(zip(cited["event_id"].tolist(), cited["source_ids"].tolist(), strict=True))
    frame["evidence_source_ids"] = [";".join(sources.get(e, "") for e in ids) for ids in frame["_evidence"]]
    out = frame[list(COLUMNS)].reset_index(drop=True).astype("string")
    if positions:
        out["_row"] = frame["_row"].to_numpy()
    return out


VOICE_COLUMNS = (
    "route_id",
    "organisation",
    "statements",
    "first",
    "last",
    "longest_silence_days",
    "silence_from",
    "silence_to",
)


def voices(
    statements: pd.DataFrame,
    roads: Sequence[str],
    named: Mapping[str, np.ndarray] | None = None,
    organisations: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Per organisation and road named: statements in the range, the first and last, and the longest silence.

    The longest silence is the most days between two statements in a row (or, with one
    statement, none); the range's ends do not count, since nobody is expected to speak on
    the first day. ``named`` gives, per road, a flag per row for whether its ``route_ids``
    names the road (the dataset's flags, :attr:`routestatus.view.View.roads_named`), and
    ``organisations`` each row's organisation as codes and the names they number
    (:attr:`~routestatus.view.View.organisations`); without them the columns are read.
    """
    rows = []
    if statements.empty:
        return pd.DataFrame(rows)
    # On arrays, every organisation of a road at once: its rows sorted by organisation (in
    # name order) then day, each organisation a run, the gaps those within a run.
    days_all = statements["date"].to_numpy("datetime64[D]").astype(np.int64)  # a cast to days floors
    codes, uniques = pd.factorize(statements["organisation"]) if organisations is None else organisations
    names = np.asarray(uniques, object)
    rank = np.empty(len(names), np.int64)
    rank[np.argsort(names)] = np.arange(len(names))
    by_name = names[np.argsort(names)]
    parts = []
    for road in roads:
        if named is None:
            flags = statements["route_ids"].str.contains(f"(?:^|;){re.escape(road)}(?:;|$)", regex=True, na=False)
            flags = flags.to_numpy(bool)
        else:
            flags = named.get(road, np.zeros(len(statements), bool))
        on = flags & (codes >= 0)  # a statement with no organisation is nobody's
        org, days = rank[codes[on]], days_all[on]
        order = np.lexsort((days, org))
        org, days = org[order], days[order]
        if len(org):
            parts.append((road, org, days))
    if not parts:
        return pd.DataFrame(rows)
    columns: dict[str, list] = {name: [] for name in VOICE_COLUMNS}
    for road, org, days in parts:
        starts = np.flatnonzero(np.r_[True, org[1:] != org[:-1]])
        ends = np.r_[starts[1:], len(org)]
        # The longest gap of each run of two or more, and where the first of the longest starts.
        gaps = np.diff(days)
        run = np.repeat(np.arange(len(starts)), ends - starts)[:-1]  # the run each gap starts in
        inside = run == np.repeat(np.arange(len(starts)), ends - starts)[1:]  # and ends in
        longest = np.full(len(starts), -1, np.int64)
        np.maximum.at(longest, run[inside], gaps[inside])
        hit = np.flatnonzero(inside & (gaps == longest[run]))
        first_hit = np.full(len(starts), -1, np.int64)
        found_runs, at_first = np.unique(run[hit], return_index=True)
        first_hit[found_runs] = hit[at_first]
        dates = days.astype("datetime64[D]").astype(object)  # datetime.date, each
        silent = first_hit >= 0
        columns["route_id"] += [road] * len(starts)
        columns["organisation"] += by_name[org[starts]].tolist()
        columns["statements"] += (ends - starts).tolist()
        columns["first"] += dates[starts].tolist()
        columns["last"] += dates[ends - 1].tolist()
        columns["longest_silence_days"] += [g if s else None for g, s in zip(longest.tolist(), silent, strict=True)]
        columns["silence_from"] += [dates[h] if h >= 0 else None for h in first_hit.tolist()]
        columns["silence_to"] += [dates[h + 1] if h >= 0 else None for h in first_hit.tolist()]
    return pd.DataFrame(columns)


def _date(day: np.int64) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))
