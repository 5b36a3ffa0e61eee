"""Expected values computed straight from the CSV files, independently of the app's code."""

import calendar
import csv
import datetime as dt

from routestatus.paths import PROJECT_ROOT

D = dt.date.fromisoformat


def read(table: str) -> list[dict[str, str]]:
    """A curated table's rows as text."""
    with open(PROJECT_ROOT / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def expected_events(lo: dt.date, hi: dt.date, road: str | None = None) -> int:
    """Events in [lo, hi] by the documented rule.

    A month-precision event spans its month, one with date_end counts if any day overlaps,
    retracted rows are left out. With ``road``, only events on that road, on both roads, or
    on none (as the road filter keeps them).
    """
    n = 0
    for r in read("events"):
        start = D(r["date_start"])
        end = D(r["date_end"]) if r["date_end"] else start
        if r["date_precision"] == "month":
            end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        on_road = road is None or r["route_id"] in (road, "both", "none")
        n += r["retracted"] == "false" and end >= lo and start <= hi and on_road
    return n


def expected_status(road: str, day: dt.date) -> tuple[str, dt.date | None]:
    """A road's status on ``day`` by the documented rule, and the day that status began.

    The latest live event on ``road`` or ``both`` with a ``status_after`` that starts on or
    before ``day`` (the higher id wins a tie); ``unknown`` before the first such event.
    """
    setting = [
        r for r in read("events") if r["retracted"] == "false" and r["status_after"] and r["route_id"] in (road, "both")
    ]
    before = [r for r in setting if D(r["date_start"]) <= day]
    if not before:
        return "unknown", None
    latest = max(before, key=lambda r: (r["date_start"], r["event_id"]))
    return latest["status_after"], D(latest["date_start"])


def first_status_day(road: str) -> dt.date:
    """The first day any live event sets a status on ``road`` (or on both roads)."""
    return min(
        D(r["date_start"])
        for r in read("events")
        if r["retracted"] == "false" and r["status_after"] and r["route_id"] in (road, "both")
    )


def record_bounds() -> tuple[dt.date, dt.date]:
    """The record's first and last day: the earliest start and the latest start or end of a live event."""
    live = [r for r in read("events") if r["retracted"] == "false"]
    days = [D(r["date_start"]) for r in live] + [D(r["date_end"]) for r in live if r["date_end"]]
    return min(days), max(days)


NAMES = ("name_en", "name_hy", "name_az", "name_ru")


def live(table: str) -> list[dict[str, str]]:
    """A curated table's rows that are not retracted."""
    return [r for r in read(table) if r["retracted"] == "false"]


def expected_search(q: str) -> tuple[set[str], set[str]]:
    """Ids of the live events and statements whose searched fields hold every word of ``q``.

    A plain case-folded substring test, for queries without accents or place names (the
    search's folding and place names are tested on their own): an event's summary, notes,
    event type (as code and in words), its place's four names and its sources' titles and
    publishers; a statement's quote, speaker, role, organisation, date basis and source.
    """
    places = {r["place_id"]: r for r in read("places")}
    sources = {r["source_id"]: f"{r['title']} {r['publisher']}" for r in read("sources")}
    words = q.casefold().split()

    def holds(fields: list[str]) -> bool:
        return all(any(w in f.casefold() for f in fields) for w in words)

    def event_fields(row: dict[str, str]) -> list[str]:
        place = places.get(row["place_id"], {})
        return [
            row["summary"],
            row["notes"],
            row["event_type"],
            row["event_type"].replace("_", " "),
            *(place.get(n, "") for n in NAMES),
            *(sources.get(s, "") for s in row["source_ids"].split(";")),
        ]

    def statement_fields(row: dict[str, str]) -> list[str]:
        keys = ("quote", "speaker", "role", "organisation", "date_basis")
        return [row[k] for k in keys] + [sources.get(row["source_id"], "")]

    return (
        {r["event_id"] for r in live("events") if holds(event_fields(r))},
        {r["statement_id"] for r in live("statements") if holds(statement_fields(r))},
    )
