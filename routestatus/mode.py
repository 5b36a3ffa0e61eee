"""Whether the dashboard was started for curating, read from the environment.

Kept apart from :mod:`routestatus.curate`, so the reader pages can ask without loading the
curating tools (the extractor and its fuzzy matching: 30 ms of every start).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

CURATE_ENV = "ROUTESTATUS_CURATE"


def curating(environ: Mapping[str, str] | None = None) -> bool:
    """True when the dashboard was started for curating (``ROUTESTATUS_CURATE`` set to 1, true, yes or on)."""
    value = (os.environ if environ is None else environ).get(CURATE_ENV, "")
    return value.strip().lower() in {"1", "true", "yes", "on"}
