"""Suggested citations: the words a reader copies to cite a view, a table or one record.

Every citation names the dataset's version (a short form of its content hash), what was
cited, the day it was retrieved (UTC) and a link that opens the same thing again. A link
carries the version as ``v=``; :func:`version_notice` words what a reader should know when
the version in a link is not the data now loaded. The columns that let an exported row be
cited on its own are in :mod:`routestatus.exportcolumns`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from routestatus.labels import ROAD_LABELS, type_label
from routestatus.load import Dataset
from routestatus.view import View

VERSION_CHARS = 12  # of the SHA-256 content hash: enough to tell versions apart, short enough to read
VERSION_KEY = "v"  # the link's key for the dataset version; not part of the reader's choice
MIN_VERSION_CHARS = 7  # a shorter hex prefix could match many versions
_HEX = re.compile(r"[0-9a-f]+")


def dataset_version(data: Dataset) -> str:
    """The dataset's short version: the first characters of its content hash (the link's ``v=``)."""
    return data.fingerprint[:VERSION_CHARS]


def cite(what: str, version: str, retrieved: dt.date, link: str) -> str:
    """One citation in the project's form.

    >>> cite("view 2023-09-01 to 2023-09-30", "0123456789ab", dt.date(2026, 12, 2), "http://x/?v=0123456789ab")
    'routestatus curated dataset, version 0123456789ab, view 2023-09-01 to 2023-09-30, retrieved 2026-12-02, http://x/?v=0123456789ab'
    """
    return f"routestatus curated dataset, version {version}, {what}, retrieved {retrieved.isoformat()}, {link}"


# The view's citation and link.
def _listed(values: tuple[str, ...], word, limit: int = 4) -> str:
    shown = [word(v) for v in values[:limit]]
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return ", ".join(shown) + more


def view_words(view: View) -> str:
    """The view's filters in words, e.g. ``view 2023-09-01 to 2023-09-30; Lachin corridor; all event types``.

    Parts are separated by ``;`` (the citation itself is separated by commas); only the
    parts that narrow the view are named besides the range, the roads and the event types.
    """
    c = view.choice
    parts = [f"view {c.start.isoformat()} to {c.end.isoformat()}"]
    if c.asof is not None:
        parts.append(f"status on {c.day.isoformat()}")
    parts.append("both roads" if not c.roads else _listed(c.roads, lambda r: ROAD_LABELS.get(r, r)))
    parts.append("all event types" if not c.event_types else "event types " + _listed(c.event_types, type_label))
    if c.organisations:
        parts.append("statements by " + _listed(c.organisations, str))
    if c.speakers:
        parts.append("speakers " + _listed(c.speakers, str))
    if c.q:  # already trimmed and its spaces collapsed by Choice.fit
        parts.append(f"search “{c.q}”")
    return "; ".join(parts)


def link_query(view: View) -> dict[str, str]:
    """The view's link query with the dataset version: what the dashboard writes to its address."""
    return {**view.query(), VERSION_KEY: dataset_version(view.data)}


def view_link(view: View, base: str = "") -> str:
    """The link that opens this view on this dataset version: ``base`` (the page's address) + ``?`` + the query.

    With no ``base`` (the command line knows no address) it is the query part alone, to be
    put after the dashboard's address.
    """
    # Commas stay as they are: the dashboard writes lists as a,b, and a link reads better so.
    return f"{base.split('?')[0]}?{urlencode(link_query(view), quote_via=quote, safe=',')}"


def view_citation(view: View, retrieved: dt.date, base: str = "", table: str | None = None) -> str:
    """The suggested citation of the view, or of one of its tables (``table``, e.g. ``events``)."""
    what = view_words(view)
    if table:
        what = f"{table}.csv of {what}"
    return cite(what, dataset_version(view.data), retrieved, view_link(view, base))


def today() -> dt.date:
    """Today's date in UTC: the "retrieved" day of a citation made now."""
    return dt.datetime.now(dt.UTC).date()


# The version a link was made for.
@dataclass(frozen=True)
class VersionNotice:
    """The notice for a link made for another dataset version, shown with the link's other notices.

    It has the ``keys`` and ``str()`` of :class:`routestatus.view.Notice`, so the sidebar
    shows it and drops it as it does those; no widget covers ``v``, so it stays.
    """

    text: str
    key: str = VERSION_KEY
    note: bool = True  # it only informs: the link's view is shown as it asks

    @property
    def keys(self) -> tuple[str, ...]:
        """The link keys this notice concerns."""
        return (self.key,)

    def __str__(self) -> str:
        return self.text


def version_notice(link_version: str | list[str] | None, data: Dataset) -> VersionNotice | None:
    """What to tell a reader whose link carries ``link_version`` (its ``v=``), or None when nothing.

    None when the link has no version or names the one loaded (or a prefix of it at least
    :data:`MIN_VERSION_CHARS` long). A link holds only the version's hash, not the ids of
    the rows that version held, so what was added, changed or retracted since cannot be
    told from it: the notice says the data has changed. A value that is not a version
    (not hexadecimal, too short or too long) is named and ignored. Never raises.
    """
    if isinstance(link_version, list):
        link_version = link_version[-1] if link_version else None
    if link_version is None:
        return None
    loaded = dataset_version(data)
    given = str(link_version).strip().lower()
    if not (MIN_VERSION_CHARS <= len(given) <= 64 and _HEX.fullmatch(given)):
        # The value itself is not repeated: it could be any text, and notices are drawn as markdown.
        return VersionNotice(
            f"The link's dataset version (v=) is not a version (7 to 64 hexadecimal digits), so it was "
            f"ignored. The data now loaded is version {loaded}."
        )
    if data.fingerprint.startswith(given):
        return None
    return VersionNotice(
        f"This link was made for dataset version {given[:VERSION_CHARS]}; the data now loaded is version "
        f"{loaded}, so the rows may differ. The link does not say which events and statements that version "
        "held, so what was added, changed or retracted since cannot be told: the data has changed."
    )
