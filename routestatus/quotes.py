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

import functools
import hashlib
from pathlib import Path

_TYPOGRAPHIC = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'})
_MARKS = "\"'"


@functools.lru_cache(maxsize=64)  # an archived text is reduced once, not once per quote in it
def normalise_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` reduced as described in the module docstring, and where each character came from.

    ``where[i]`` is the index in ``text`` of the character that gave character ``i`` of
    the result (for a collapsed run of whitespace, its first character), so a match found
    in reduced text can be mapped back to the original.
    """
    out: list[str] = []
    where: list[int] = []
    line_start = True  # only spaces and tabs since the start of the text or of a line
    space_at = -1  # where a pending run of whitespace began, or -1
    for i, ch in enumerate(text.translate(_TYPOGRAPHIC)):
        if ch == "\n":
            line_start = True
        elif line_start and ch in _MARKS:
            line_start = False
            continue  # the mark that opens a continued paragraph
        elif not (line_start and ch in " \t"):
            line_start = False
        if ch.isspace():
            if space_at < 0:
                space_at = i
            continue
        if space_at >= 0 and out:
            out.append(" ")
            where.append(space_at)
        space_at = -1
        out.append(ch)
        where.append(i)
    return "".join(out), tuple(where)


def normalise(text: str) -> str:
    """Return ``text`` reduced as described in the module docstring."""
    return normalise_with_map(text)[0]


def quote_in_text(quote: str, source_text: str) -> bool:
    """True if ``quote`` appears verbatim (in the sense above) in ``source_text``."""
    needle = normalise(quote)
    return bool(needle) and needle in normalise(source_text)


def sha256_file(path: Path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
