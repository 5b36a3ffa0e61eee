"""Material for the Sources & method page: definitions from the codebook, cited sources."""

from __future__ import annotations

import re

import pandas as pd

from routestatus.paths import PROJECT_ROOT


def status_definitions(codebook=PROJECT_ROOT / "data" / "README.md") -> pd.DataFrame:
    """The road-status table of the codebook, read from it so it is written only once."""
    text = codebook.read_text(encoding="utf-8").split("## Road status", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| (.+?) \| (.+?) \|$", text, re.M)
    return pd.DataFrame(rows, columns=["status", "meaning", "decide it when the sources report"])


def used_sources(sources: pd.DataFrame, events: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """The sources cited by the given events and statements, sorted by id."""
    ids = set(statements["source_id"])
    for cell in events["source_ids"]:
        ids.update(str(cell).split(";"))
    cols = ["source_id", "title", "publisher", "url", "published", "kind", "archived_copy", "notes"]
    used = sources[sources["source_id"].isin(ids)][cols].copy()
    used["published"] = used["published"].dt.strftime("%Y-%m-%d")
    return used.sort_values("source_id").reset_index(drop=True)
