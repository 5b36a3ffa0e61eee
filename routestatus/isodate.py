"""The one reading of a day given by a person: strict ISO 8601, ``YYYY-MM-DD``.

Links, ``snapshot --from/--to/--asof``, ``extract --published`` and the data files all
accept exactly this form, so a value that one of them refuses is refused by all, with
the same words. ``20230901`` and ``2023-W39-5`` are ISO forms too, but nobody writing a
link means them, and accepting them in one place and not another confuses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import numpy as np

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


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_NAT = np.iinfo(np.int64).min  # what datetime64 holds for NaT


def as_days(values: Iterable[dt.date | None]) -> np.ndarray:
    """Dates (``None`` for none) as a ``datetime64[D]`` array: the same values numpy's own conversion gives.

    Made from each date's ordinal, as numpy's conversion of a date object takes about a
    microsecond each (0.6 ms for the 600 status intervals of a record of 100,000 events).
    """
    days = np.fromiter((_NAT if v is None else v.toordinal() - _EPOCH_ORDINAL for v in values), np.int64)
    return days.view("datetime64[D]")
