"""The one reading of a day given by a person: strict ISO 8601, ``YYYY-MM-DD``.

Links, ``snapshot --from/--to/--asof``, ``extract --published`` and the data files all
accept exactly this form, so a value that one of them refuses is refused by all, with
the same words. ``20230901`` and ``2023-W39-5`` are ISO forms too, but nobody writing a
link means them, and accepting them in one place and not another confuses.
"""

from __future__ import annotations

import datetime as dt
import re

DAY_FORM = "YYYY-MM-DD"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(text: str) -> dt.date | None:
    """The date ``text`` names in the form ``YYYY-MM-DD``; ``None`` if it is not one that exists."""
    if not isinstance(text, str) or not _DAY.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def not_a_day(text: str) -> str:
    """The words for a value that :func:`parse_day` refused, e.g. ``'20230901' is not a date …``."""
    shown = text if len(text) <= 30 else text[:30] + "…"
    return f"{shown!r} is not a date in the form {DAY_FORM} (for example 2023-09-19)"
