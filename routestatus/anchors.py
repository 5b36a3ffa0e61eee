"""Anchored quotes: where each quote sits in its archived source, and whether it still does.

An anchor follows the W3C Web Annotation selectors: a TextQuoteSelector (``exact`` with a
short ``prefix`` and ``suffix``) and a TextPositionSelector (``start`` and ``end``, counted
in Unicode code points of the archived text read as UTF-8, end exclusive), plus the
SHA-256 of that text's bytes when the anchor was made. ``exact`` is the archived text's own
span, so it keeps the source's typographic quote marks and paragraph breaks, which the
curated ``quote`` smooths out (see :mod:`routestatus.quotes`).

Anchors are generated into ``data/anchors.json`` by ``python -m routestatus anchor``, never
typed by hand; ``validate`` reports the file when it is out of step with the statements.
JSON rather than CSV because prefixes, suffixes and spans keep their own spaces and line
breaks, which the tables' rules forbid at the edges of a cell.
``python -m routestatus verify`` re-finds every anchor and gives one verdict per statement:

- ``verbatim``: ``exact`` is at ``start``..``end``;
- ``moved``: ``exact`` is found unchanged, but at other offsets;
- ``near``: no exact match, but a span differing by a small edit distance (a curly instead
  of a straight quote mark, an editor's bracket) is found where the prefix and suffix, or
  the offsets, put it;
- ``missing``: none of these, or the archived text is gone.

Separately, a source whose archived text no longer has the recorded SHA-256 is flagged.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from routestatus.quotes import normalise_with_map

CONTEXT = 32  # characters of prefix and suffix, enough to tell repeated phrases apart
ANCHORS_FILE = "anchors.json"


SELECTORS = ("TextQuoteSelector", "TextPositionSelector")
VERDICTS = ("verbatim", "moved", "near", "missing")


@dataclass(frozen=True)
class Anchor:
    """One statement's place in its archived source (see the module docstring)."""

    statement_id: str
    source_id: str
    archived_copy: str
    text_sha256: str
    start: int
    end: int
    prefix: str
    exact: str
    suffix: str

    def to_json(self) -> dict:
        """The anchor as a W3C Web Annotation-style target: the source and two selectors."""
        return {
            "statement_id": self.statement_id,
            "source": {"source_id": self.source_id, "archived_copy": self.archived_copy, "sha256": self.text_sha256},
            "selector": [
                {"type": "TextQuoteSelector", "exact": self.exact, "prefix": self.prefix, "suffix": self.suffix},
                {"type": "TextPositionSelector", "start": self.start, "end": self.end},
            ],
        }

    @classmethod
    def from_json(cls, item: Mapping) -> Anchor:
        """Read one entry written by :meth:`to_json`; raises KeyError or TypeError if malformed."""
        quote, position = (next(s for s in item["selector"] if s["type"] == t) for t in SELECTORS)
        return cls(
            str(item["statement_id"]),
            str(item["source"]["source_id"]),
            str(item["source"]["archived_copy"]),
            str(item["source"]["sha256"]),
            int(position["start"]),
            int(position["end"]),
            str(quote["prefix"]),
            str(quote["exact"]),
            str(quote["suffix"]),
        )


@dataclass(frozen=True)
class Verdict:
    """What ``verify`` found for one statement."""

    statement_id: str
    status: str  # verbatim | moved | near | missing
    detail: str
    start: int | None = None
    end: int | None = None
    distance: int = 0


def sha256_text(raw: bytes) -> str:
    """SHA-256 hex digest of an archived text's bytes."""
    return hashlib.sha256(raw).hexdigest()


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """The span of ``text`` that ``quote`` matches under the quote rules, or None.

    Both are normalised alike; the match is mapped back to the original text, from the
    first to the last character that took part, so ``exact`` holds the source's own marks.
    """
    needle, _ = normalise_with_map(quote)
    hay, where = normalise_with_map(text)
    at = hay.find(needle) if needle else -1
    if at < 0:
        return None
    return where[at], where[at + len(needle) - 1] + 1


def make_anchor(statement_id: str, source_id: str, archived_copy: str, quote: str, raw: bytes) -> Anchor | None:
    """The anchor of ``quote`` in the archived text ``raw``; None if the quote is not in it."""
    text = raw.decode("utf-8")
    span = locate(quote, text)
    if span is None:
        return None
    start, end = span
    return Anchor(
        statement_id,
        source_id,
        archived_copy,
        sha256_text(raw),
        start,
        end,
        text[max(0, start - CONTEXT) : start],
        text[start:end],
        text[end : end + CONTEXT],
    )


def _tolerance(exact: str) -> int:
    # A bracketed insertion or a handful of changed marks, never a changed sentence.
    return max(4, len(exact) // 10)


def _candidates(anchor: Anchor, text: str) -> list[tuple[int, int]]:
    """Spans where an edited quote may now sit: between its prefix and suffix, or at its offsets."""
    spans = []
    slack = _tolerance(anchor.exact)
    if anchor.prefix:
        pos = text.find(anchor.prefix)
        while pos >= 0:
            start = pos + len(anchor.prefix)
            if anchor.suffix:
                end = text.find(anchor.suffix, start, start + len(anchor.exact) + slack + len(anchor.suffix))
                if end >= 0:
                    spans.append((start, end))
            else:
                spans.append((start, min(len(text), start + len(anchor.exact))))
            pos = text.find(anchor.prefix, pos + 1)
    if anchor.suffix and not anchor.prefix:
        end = text.find(anchor.suffix)
        if end >= 0:
            spans.append((max(0, end - len(anchor.exact)), end))
    spans.append((anchor.start, min(len(text), anchor.end)))
    located = locate(anchor.exact, text)
    if located:
        spans.append(located)
    return spans


def check(anchor: Anchor, text: str | None) -> Verdict:
    """Re-find one anchor in the current archived text; see the module docstring."""
    sid = anchor.statement_id
    if text is None:
        return Verdict(sid, "missing", f"archived text {anchor.archived_copy} not found")
    if text[anchor.start : anchor.end] == anchor.exact:
        return Verdict(sid, "verbatim", f"at {anchor.start}–{anchor.end}", anchor.start, anchor.end)
    at = text.find(anchor.exact)
    if at >= 0:
        end = at + len(anchor.exact)
        return Verdict(sid, "moved", f"now at {at}–{end}, was {anchor.start}–{anchor.end}", at, end)
    # Levenshtein distance (insertions, deletions and substitutions of one character); past
    # the tolerance it stops counting and returns tolerance + 1, which is never a match.
    tolerance = _tolerance(anchor.exact)
    best: tuple[int, int, int] | None = None
    for start, end in _candidates(anchor, text):
        if start >= end:
            continue
        d = Levenshtein.distance(anchor.exact, text[start:end], score_cutoff=tolerance)
        if best is None or d < best[0]:
            best = (d, start, end)
    if best and best[0] <= tolerance:
        d, start, end = best
        return Verdict(sid, "near", f"edit distance {d} at {start}–{end}", start, end, d)
    return Verdict(sid, "missing", f"not found in {anchor.archived_copy}")


def read_text(path: Path) -> tuple[bytes, str] | None:
    """An archived text's bytes and its UTF-8 text (undecodable bytes replaced); None if absent."""
    if not path.is_file():
        return None
    raw = path.read_bytes()
    return raw, raw.decode("utf-8", errors="replace")


def build_anchors(
    statements: Iterable[Mapping[str, str]], sources: Iterable[Mapping[str, str]], root: Path
) -> list[Anchor]:
    """Anchors for every statement whose source has an archived copy and whose quote is found in it.

    ``statements`` and ``sources`` are rows as read from the CSV files (text cells);
    ``root`` is the folder the ``archived_copy`` paths are relative to.
    """
    copies = {s["source_id"]: s["archived_copy"] for s in sources if s.get("archived_copy")}
    texts: dict[str, bytes | None] = {}
    anchors = []
    for row in statements:
        copy = copies.get(row["source_id"])
        if not copy:
            continue
        if copy not in texts:
            path = root / copy
            texts[copy] = path.read_bytes() if path.is_file() else None
        raw = texts[copy]
        anchor = make_anchor(row["statement_id"], row["source_id"], copy, row["quote"], raw) if raw else None
        if anchor:
            anchors.append(anchor)
    return sorted(anchors, key=lambda a: a.statement_id)


def anchors_json(anchors: Iterable[Anchor]) -> str:
    """The text of ``data/anchors.json`` for these anchors (stable, so regenerating changes nothing)."""
    doc = {
        "description": "Generated by `python -m routestatus anchor`; do not edit. Where each quote whose "
        "source is archived sits in that text (W3C Web Annotation selectors; offsets in Unicode code points).",
        "anchors": [a.to_json() for a in anchors],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def read_anchors(path: Path) -> list[Anchor]:
    """The anchors in ``path``; raises ValueError with a one-line reason if it cannot be read."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return [Anchor.from_json(item) for item in doc["anchors"]]
    except FileNotFoundError as err:
        raise ValueError("no file; create it with: python -m routestatus anchor") from err
    except json.JSONDecodeError as err:
        raise ValueError(f"invalid JSON at line {err.lineno} column {err.colno}: {err.msg}") from err
    except (KeyError, TypeError, ValueError, StopIteration, UnicodeDecodeError) as err:
        raise ValueError(f"not an anchors file as `python -m routestatus anchor` writes it ({err!r})") from err


@dataclass
class Verification:
    """Everything ``verify`` found: a verdict per anchored statement, changed and missing texts."""

    verdicts: dict[str, Verdict] = field(default_factory=dict)
    changed: dict[str, tuple[str, str]] = field(default_factory=dict)  # archived_copy -> (recorded, now)

    @property
    def ok(self) -> bool:
        """False on any missing quote or changed archived text."""
        return not self.changed and all(v.status != "missing" for v in self.verdicts.values())


def verify(anchors: Iterable[Anchor], root: Path) -> Verification:
    """Re-find every anchor in the archived texts under ``root``."""
    result = Verification()
    texts: dict[str, tuple[bytes, str] | None] = {}
    for anchor in anchors:
        if anchor.archived_copy not in texts:
            texts[anchor.archived_copy] = read_text(root / anchor.archived_copy)
        found = texts[anchor.archived_copy]
        if found is not None:
            now = sha256_text(found[0])
            if now != anchor.text_sha256:
                result.changed[anchor.archived_copy] = (anchor.text_sha256, now)
        result.verdicts[anchor.statement_id] = check(anchor, found[1] if found else None)
    return result
