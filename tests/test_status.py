"""The status engine on the curated data's known dates and on small synthetic timelines."""

import datetime as dt

import pandas as pd
import pytest

from routestatus.load import load_dataset
from routestatus.paths import PROJECT_ROOT, Root
from routestatus.status import build_intervals, days_in_status, record_span, status_at

D = dt.date.fromisoformat
STATUSES = ("open", "restricted", "humanitarian_only", "closed", "outbound_only", "unknown")


@pytest.fixture(scope="module")
def curated():
    return build_intervals(load_dataset(Root(PROJECT_ROOT)).tables["events"])


@pytest.mark.parametrize(
    ("day", "lachin", "aghdam"),
    [
        ("2021-06-01", "open", "closed"),
        ("2023-01-15", "humanitarian_only", "closed"),
        ("2023-06-20", "closed", "closed"),
        ("2023-09-12", "humanitarian_only", "humanitarian_only"),
        ("2023-09-18", "humanitarian_only", "humanitarian_only"),
        ("2023-09-27", "outbound_only", "restricted"),
        ("2023-01-10", "closed", "closed"),  # snow: not even ICRC or peacekeeper vehicles, 9-11 Jan
        ("2023-08-01", "closed", "closed"),  # no passage of any kind reported, 30 Jul - 7 Aug
        ("2023-10-05", "outbound_only", "restricted"),  # officials and residents still leaving
        ("2023-10-20", "unknown", "unknown"),
        ("2030-01-01", "unknown", "unknown"),
    ],
)
def test_known_dates(curated, day, lachin, aghdam):
    assert status_at(curated, "lachin", D(day)).status == lachin
    assert status_at(curated, "aghdam_askeran", D(day)).status == aghdam


def test_evidence_of_the_blockade(curated):
    iv = status_at(curated, "lachin", D("2023-01-05"))
    assert (iv.start, iv.evidence) == (D("2022-12-12"), ("E011",))


def test_days_humanitarian_only_in_2023_first_half(curated):
    table = days_in_status(curated, D("2023-01-01"), D("2023-06-30"), STATUSES)
    # Humanitarian only 1-8 Jan (8 days), 12 Jan - 14 Jun (154) and 25-30 Jun (6);
    # closed 9-11 Jan (snow, 3) and 15-24 Jun (10).
    assert table.loc["lachin", "humanitarian_only"] == 168
    assert table.loc["lachin", "closed"] == 13
    assert table.loc["aghdam_askeran", "closed"] == 181
    assert table.sum(axis=1).tolist() == [181, 181]


def events(*rows):
    cols = ["event_id", "date_start", "date_end", "date_precision", "route_id", "status_after", "retracted"]
    frame = pd.DataFrame(rows, columns=cols)
    for c in ("date_start", "date_end"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def test_gap_before_first_evidence_and_after_the_record_is_unknown():
    ivs = build_intervals(
        events(
            ("E001", "2021-01-01", None, "day", "none", None, False),
            ("E002", "2021-01-10", None, "day", "lachin", "open", False),
            ("E003", "2021-02-01", None, "day", "none", None, False),
        )
    )
    assert status_at(ivs, "lachin", D("2021-01-05")).status == "unknown"
    assert status_at(ivs, "lachin", D("2021-01-31")).status == "open"
    assert status_at(ivs, "lachin", D("2021-02-02")).status == "unknown"
    assert status_at(ivs, "aghdam_askeran", D("2021-01-20")).status == "unknown"
    assert record_span(events(("E001", "2021-01-01", "2021-03-01", "day", "none", None, False))) == (
        D("2021-01-01"),
        D("2021-03-01"),
    )


def test_same_day_events_later_record_wins_and_both_applies_to_each():
    ivs = build_intervals(
        events(
            ("E001", "2022-05-01", None, "day", "both", "closed", False),
            ("E002", "2022-05-01", None, "day", "lachin", "humanitarian_only", False),
            ("E003", "2022-05-10", None, "day", "none", None, False),
        )
    )
    assert status_at(ivs, "lachin", D("2022-05-05")).evidence == ("E002",)
    assert status_at(ivs, "lachin", D("2022-05-05")).status == "humanitarian_only"
    assert status_at(ivs, "aghdam_askeran", D("2022-05-05")).status == "closed"


def test_overlapping_and_retracted_events():
    ivs = build_intervals(
        events(
            ("E001", "2022-01-01", "2022-03-01", "day", "lachin", "restricted", False),
            ("E002", "2022-02-01", None, "day", "lachin", "closed", False),
            ("E003", "2022-02-15", None, "day", "lachin", "open", True),
            ("E004", "2022-04-01", None, "day", "none", None, False),
        )
    )
    assert status_at(ivs, "lachin", D("2022-01-31")).status == "restricted"
    assert status_at(ivs, "lachin", D("2022-02-20")).status == "closed"  # the retracted E003 is ignored


def test_month_precision_keeps_its_precision():
    ivs = build_intervals(
        events(
            ("E001", "2022-06-01", None, "month", "aghdam_askeran", "closed", False),
            ("E002", "2022-08-01", None, "day", "none", None, False),
        )
    )
    iv = status_at(ivs, "aghdam_askeran", D("2022-06-20"))
    assert (iv.status, iv.precision, iv.start) == ("closed", "month", D("2022-06-01"))


def _clipped_by_hand(intervals, lo, hi):
    return [(iv.status, max(iv.start, lo), min(iv.end, hi)) for iv in intervals if iv.end >= lo and iv.start <= hi]


def test_running_totals_and_the_binary_search_count_as_a_loop_over_every_interval(curated, generated):
    import random

    from routestatus.status import DayTotals, clip

    many = build_intervals(generated.tables["events"])
    rng = random.Random(16)
    for intervals in (curated, many):
        # "open" left out of the statuses shown: its days are covered (not unknown), not counted.
        shown = tuple(s for s in STATUSES if s != "open")
        totals = DayTotals(intervals, STATUSES)
        lo, hi = (
            min(iv.start for r in intervals.values() for iv in r),
            max(iv.end for r in intervals.values() for iv in r),
        )
        span = (hi - lo).days
        for _ in range(200):
            a = lo + dt.timedelta(days=rng.randrange(-30, span + 30))
            b = a + dt.timedelta(days=rng.choice((0, 1, 6, 40, 400, span)))
            loop = days_in_status(intervals, a, b, STATUSES)
            pd.testing.assert_frame_equal(days_in_status(intervals, a, b, STATUSES, totals=totals), loop)
            partial = days_in_status(intervals, a, b, shown, totals=DayTotals(intervals, shown))
            pd.testing.assert_frame_equal(partial, days_in_status(intervals, a, b, shown))
            for road in intervals:
                cut = [(iv.status, iv.start, iv.end) for iv in clip(intervals[road], a, b)]
                assert cut == _clipped_by_hand(intervals[road], a, b)
