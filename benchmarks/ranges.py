"""The date ranges the timed reruns set: a seeded sequence of distinct ranges inside the data's span.

A benchmark that alternates two ranges measures a page whose per-view caches hit on every
run after the first two. ``new_ranges`` gives ranges never used before: each label (size,
page and mode) seeds its own sequence, so no page meets a range another page has already
set in the same process, and the project and both floors get exactly the same ranges.
"""

from __future__ import annotations

import datetime as dt
import random

# Range lengths in days, drawn at random: from a week to the whole record, so both short
# and long views are timed (the page's work grows with the rows in range).
LENGTHS = (7, 30, 120, 365, 900, None)


def new_ranges(
    bounds: tuple[dt.date, dt.date],
    n: int,
    label: str,
    containing: dt.date | None = None,
    avoid: tuple[tuple[dt.date, dt.date], ...] = (),
) -> list[tuple[dt.date, dt.date]]:
    """``n`` distinct (start, end) pairs inside ``bounds``, the same for the same arguments.

    With ``containing``, every range holds that day before its last (an as-of day stays
    set from run to run). Ranges in ``avoid`` (the default view, the alternation's ranges) are never given.
    """
    lo, hi = bounds
    span = (hi - lo).days
    if span < 14:
        raise ValueError(f"the data's span {lo} to {hi} is too short for distinct ranges")
    rng = random.Random(f"routestatus-bench:{label}")
    seen = {tuple(r) for r in avoid}
    out: list[tuple[dt.date, dt.date]] = []
    while len(out) < n:
        length = min(rng.choice(LENGTHS) or span, span)
        start = lo + dt.timedelta(days=rng.randrange(span - length + 1))
        end = start + dt.timedelta(days=length)
        if containing is not None:
            # After the day, never on it: an as-of day equal to the range's end means "follow the end".
            start, end = min(start, containing), min(max(end, containing + dt.timedelta(days=1)), hi)
        if (start, end) not in seen:
            seen.add((start, end))
            out.append((start, end))
    return out
