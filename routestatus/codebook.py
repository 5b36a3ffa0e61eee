"""Material for the Sources & method page: the status definitions, read from the codebook."""

from __future__ import annotations

import functools
import re

import pandas as pd

from routestatus.paths import PROJECT_ROOT


def status_definitions(codebook=PROJECT_ROOT / "data" / "README.md") -> pd.DataFrame:
    """The road-status table of the codebook, read from it so it is written only once.

    Read again only when the file changes (its size and time of change), not on every rerun.
    Shared, so never changed in place.
    """
    info = codebook.stat()
    return _definitions(codebook, info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=4)
def _definitions(codebook, _mtime_ns: int, _size: int) -> pd.DataFrame:
    text = codebook.read_text(encoding="utf-8").split("## Road status", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| (.+?) \| (.+?) \|$", text, re.M)
    return pd.DataFrame(rows, columns=["status", "meaning", "decide it when the sources report"])
