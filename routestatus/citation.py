"""Suggested citations: the words a reader copies to cite a view, a table or one record.

Every citation names the dataset's version (a short form of its content hash), what was
cited, the day it was retrieved (UTC) and a link that opens the same thing again.
"""

from __future__ import annotations

import datetime as dt

from routestatus.load import Dataset

VERSION_CHARS = 12  # of the SHA-256 content hash: enough to tell versions apart, short enough to read


def dataset_version(data: Dataset) -> str:
    """The dataset's short version: the first characters of its content hash (the link's ``v=``)."""
    return data.fingerprint[:VERSION_CHARS]


def cite(what: str, version: str, retrieved: dt.date, link: str) -> str:
    """One citation in the project's form.

    >>> cite("view 2023-09-01 to 2023-09-30", "0123456789ab", dt.date(2026, 12, 2), "http://x/?v=0123456789ab")
    'routestatus curated dataset, version 0123456789ab, view 2023-09-01 to 2023-09-30, retrieved 2026-12-02, http://x/?v=0123456789ab'
    """
    return f"routestatus curated dataset, version {version}, {what}, retrieved {retrieved.isoformat()}, {link}"
