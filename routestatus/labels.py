"""Words and styles for roads and statuses, in one place.

Colours are the Okabe–Ito palette, chosen to stay distinct with the common forms of colour
blindness; every use of a colour also carries the status in words (legend, label or
hover) and, where the chart type allows, a fill pattern, so colour is never the only cue.
"""

import pandas as pd

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
