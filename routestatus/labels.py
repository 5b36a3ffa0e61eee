"""Words and styles for roads and statuses, in one place.

Colours are the Okabe–Ito palette, chosen to stay distinct with the common forms of colour
blindness; every use of a colour also carries the status in words (legend, label or
hover) and, where the chart type allows, a fill pattern, so colour is never the only cue.
"""

from collections.abc import Mapping

import numpy as np
import pandas as pd

from routestatus.status import NO_CIVILIAN_PASSAGE, ONE_WAY, UNKNOWN

ROAD_LABELS = {
    "lachin": "Lachin corridor",
    "aghdam_askeran": "Aghdam–Askeran road",
    "both": "Both roads",
    "none": "No road",
}

STATUS_LABELS = {
    "open": "Open",
    "restricted": "Restricted",
    "humanitarian_only": "Humanitarian only",
    "closed": "Closed",
    "outbound_only": "Outbound only",
    "unknown": "Unknown",
}

STATUS_COLOURS = {
    "open": "#009E73",
    "restricted": "#E69F00",
    "humanitarian_only": "#56B4E9",
    "closed": "#D55E00",
    "outbound_only": "#CC79A7",
    "unknown": "#999999",
}

# Plotly bar fill patterns: a second cue besides colour.
STATUS_PATTERNS = {
    "open": "",
    "restricted": "/",
    "humanitarian_only": ".",
    "closed": "x",
    "outbound_only": "|",
    "unknown": "-",
}


# Plotly marker symbols for a statement's claim: the mark's shape, with the claim in the
# legend and the hover, so shape is never the only cue either.
CLAIM_SYMBOLS = {
    "says_open": "circle",
    "says_restricted": "triangle-up",
    "says_blocked": "x",
    "calls_to_open": "diamond",
    "calls_for_alternative_route": "star",
    "rejects_alternative_route": "square-x",
    "cites_court_order": "square",
    "describes_alignment": "cross",
    "describes_conditions": "circle-open",
    "none": "circle-dot",
}


# Marker symbols for an event's type on the timeline and the map, each valid for plotly's
# ``scatter`` and ``scattergeo``; the type is also in the legend and the hover. All are
# filled shapes (the ``-x`` and ``-cross`` ones with lines in the marker's outline colour), so
# each reads at small sizes; no two are alike.
EVENT_SYMBOLS = {
    "agreement": "square",
    "alignment_change": "triangle-right",
    "protest_blockade": "hexagram",
    "checkpoint": "hourglass",
    "suspension": "bowtie",
    "humanitarian_passage": "cross",
    "aid_convoy_held": "triangle-down",
    "delivery": "triangle-up",
    "court_order": "diamond",
    "utility_cut": "star-diamond",
    "military_operation": "x",
    "ceasefire": "circle",
    "exodus": "triangle-left",
    "detention": "square-x",
    "reopening": "star",
    "incident": "pentagon",
    "other": "diamond-wide",
}
# One timeline mark can stand for several events of one day (or week): of different types, it
# takes this shape, and its hover names each event's type.
MIXED_EVENTS_SYMBOL = "circle-cross"
MIXED_EVENTS_LABEL = "Several types"

# The derived measure "no civilian passage" (routestatus.status.NO_CIVILIAN_PASSAGE), in words.
NO_PASSAGE_LABEL = "No civilian passage"
NO_PASSAGE_COLUMN = "No civilian passage (closed + humanitarian only)"
ONE_WAY_LABEL = "Outbound only (no way in)"


def _days(n: int) -> str:
    return f"{n:,} day" if n == 1 else f"{n:,} days"


def passage_words(row: Mapping[str, int]) -> str:
    """One road's :func:`routestatus.status.passage_days` row as a sentence no one can misread.

    E.g. "No civilian passage: 283 days (closed 13, humanitarian only 270); outbound only (no
    way in): 25 days; status unknown: 341 days" (the unknown part only when there are such days).
    """
    parts = ", ".join(f"{STATUS_LABELS[s].lower()} {int(row[s]):,}" for s in NO_CIVILIAN_PASSAGE)
    text = (
        f"{NO_PASSAGE_LABEL}: {_days(int(row['no_civilian_passage']))} ({parts}); "
        f"{ONE_WAY_LABEL.lower()}: {_days(int(row[ONE_WAY]))}"
    )
    return text + (f"; status unknown: {_days(int(row[UNKNOWN]))}" if row[UNKNOWN] else "")


def passage_on_day(status: str) -> str:
    """Whether a day with ``status`` is one without civilian passage, in words."""
    if status in NO_CIVILIAN_PASSAGE:
        return f"no civilian passage ({STATUS_LABELS[status].lower()})"
    if status == ONE_WAY:
        return "outbound only: people could leave, no one could enter"
    if status == UNKNOWN:
        return "not known whether civilians could pass"
    return f"civilians could pass ({STATUS_LABELS[status].lower()})"


def claim_label(claim: str) -> str:
    """A claim in words: ``says_open`` → ``Says open``."""
    return claim.replace("_", " ").capitalize()


def type_label(event_type: str) -> str:
    """An event type in words: ``protest_blockade`` → ``Protest blockade``."""
    return event_type.replace("_", " ").capitalize()


PRECISION_MARKS = {"day": "", "month": "(month only)", "approximate": "≈"}


def show_date(day, precision: str) -> str:
    """A date as text that never claims more precision than it has."""
    if day is None or pd.isna(day):
        return ""
    text = day.strftime("%Y-%m") if precision == "month" else day.strftime("%Y-%m-%d")
    return f"≈ {text}" if precision == "approximate" else text


def show_dates(days, precisions) -> list[str]:
    """:func:`show_date` for whole columns: the same texts, written by numpy in one pass.

    ``days`` is a datetime Series or array (missing days give ``""``), ``precisions`` the
    matching precisions. A table of 500 rows otherwise makes 500 Timestamps and 500
    ``strftime`` calls on every rerun.
    """
    values = np.asarray(days, dtype="datetime64[us]")
    precision = np.asarray(precisions, dtype=object).astype(str)  # a missing precision reads as a day
    by_day = np.datetime_as_string(values, unit="D")
    by_month = np.datetime_as_string(values, unit="M")
    text = np.where(precision == "month", by_month, by_day).astype(object)
    approximate = precision == "approximate"
    text[approximate] = "≈ " + text[approximate]
    text[np.isnat(values)] = ""
    return text.tolist()
