"""Finding a verbatim quote in its archived source text.

A quote counts as verbatim when it appears in the source after only these changes, made
to both texts alike:
- typographic quote marks and apostrophes become straight ones (‘ ’ ‚ ‛ → ', “ ” „ ‟ → ");
- a quote mark that opens a paragraph is dropped, because by print convention it only
  marks that a quotation runs on from the paragraph before;
- every run of whitespace, line breaks included, becomes one space.
Nothing else is tolerated: a changed word, bracket or dash is a mismatch.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

_TYPOGRAPHIC = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'})
_PARAGRAPH_OPENING_MARK = re.compile(r"(^|\n)[ \t]*[\"']", re.MULTILINE)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Return ``text`` reduced as described in the module docstring."""
    text = text.translate(_TYPOGRAPHIC)
    text = _PARAGRAPH_OPENING_MARK.sub(r"\1", text)
    return _SPACE.sub(" ", text).strip()


def quote_in_text(quote: str, source_text: str) -> bool:
    """True if ``quote`` appears verbatim (in the sense above) in ``source_text``."""
    needle = normalise(quote)
    return bool(needle) and needle in normalise(source_text)


def sha256_file(path: Path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
