"""Search: which events and statements hold every word of a query, and where in a text they are.

Text is compared in a folded form: case, diacritics and typographic quote marks are
ignored (``Laçın`` = ``Lacin``, ``“`` = ``"``), and Azerbaijani ``ə`` and ``ı`` read as
``e`` and ``i``. A word is found anywhere in a text (``bridge`` in ``bridges``), except a
word that is one of a place's names: it stands for all of that place's names (English,
Armenian, Azerbaijani, Russian), each found at the start of a word, so ``Berdzor``,
``Բերձոր``, ``Laçın`` and ``Лачин`` give the same rows, and ``Khankendi`` finds Stepanakert.

The searched text of each row (its *haystack*) is folded once per dataset and kept, so a
query costs one substring scan per word over prepared strings.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from routestatus.labels import type_label
from routestatus.textsafe import md_escape

MAX_WORDS = 12  # more words than any real query; each costs one scan of every row
_SEPARATOR = "\n"  # between fields, so that no word matches across two of them

# Letters that NFKD leaves alone but a reader types as plain Latin, and typographic marks
# (after case folding, so only lower case is needed).
_LETTERS = {
    "ə": "e",
    "ı": "i",
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "«": '"',
    "»": '"',
    "–": "-",
    "—": "-",
}
# A regex pass finds the few such characters; str.translate looks up every character.
_LETTER = re.compile("|".join(map(re.escape, _LETTERS)))
_EDGE_PUNCTUATION = "\"'.,;:!?()[]{}<>«»“”‘’`*_-–—/\\|"


# Every combining mark (what NFKD splits from a letter with a diacritic), removed by one regex
# pass, which is about ten times quicker over 100,000 summaries than a test per character.
_COMBINING = re.compile("[" + "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c))) + "]")


def fold(text: str) -> str:
    """``text`` as search compares it: no case, no diacritics, plain quote marks and dashes."""
    if text.isascii():  # most text: only case to fold
        return text.lower()
    plain = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()
    return _LETTER.sub(lambda m: _LETTERS[m.group()], plain)


@dataclass(frozen=True)
class Query:
    """A query as searched: its folded words, and what was set aside and why."""

    text: str
    words: tuple[str, ...]
    dropped: int = 0  # words past MAX_WORDS
    markup: bool = False  # it looks like HTML; it is searched as plain text
    # Per word, the place names it stands for (see Index.expand); () for a word matched as typed.
    alternatives: tuple[tuple[str, ...], ...] = ()

    def patterns(self) -> list[tuple[str, bool]]:
        """Per word, what is looked for: (the word, False) as a substring, or (a regex, True)."""
        out = []
        for i, word in enumerate(self.words):
            names = self.alternatives[i] if i < len(self.alternatives) else ()
            out.append((_names_pattern(names), True) if names else (word, False))
        return out

    def needles(self) -> list[tuple[str, ...]]:
        """Per word, the strings any one of which a marked haystack (see :func:`mark_words`) must hold."""
        out = []
        for i, word in enumerate(self.words):
            names = self.alternatives[i] if i < len(self.alternatives) else ()
            if not names:  # anywhere, even inside a word: drop the marks around the word's own ends
                out.append((mark_words(word).removeprefix(_START).removesuffix(_END),))
            else:  # at the start of a word, and a short name as the whole word
                out.append(
                    tuple(mark_words(n) if len(n) < SHORT_NAME else mark_words(n).removesuffix(_END) for n in names)
                )
        return out

    @property
    def active(self) -> bool:
        """Whether the query searches at all (it has at least one word)."""
        return bool(self.words)


def parse_query(text: str) -> Query:
    """The words of a query: folded, split on spaces, punctuation trimmed from each end.

    A word of punctuation only is no word; repeated words count once; at most
    :data:`MAX_WORDS` words are kept.
    """
    words: list[str] = []
    for raw in fold(text).split():
        word = raw.strip(_EDGE_PUNCTUATION)
        if word and word not in words:
            words.append(word)
    kept = tuple(words[:MAX_WORDS])
    return Query(text, kept, len(words) - len(kept), bool(re.search(r"<[a-zA-Z/!][^>]*>", text)))


SHORT_NAME = 5  # a place name shorter than this (Sus, Tex) must be a whole word, or "sus" finds "suspension"
# Haystacks carry a mark before and after every word, so that "at the start of a word" is a
# plain substring test ("\x01lachin"): a regex with a look-behind over 100,000 rows is ten
# times slower.
_START, _END = "\x01", "\x02"
_WORD = re.compile(r"\w+")


def mark_words(folded: str) -> str:
    """``folded`` with :data:`_START` before and :data:`_END` after each word (run of letters and digits)."""
    return _WORD.sub(lambda m: f"{_START}{m.group()}{_END}", folded)


def _names_pattern(names: tuple[str, ...]) -> str:
    # The same rule as Query.needles, for finding the words in a text as written.
    parts = [re.escape(n) + ("" if len(n) >= SHORT_NAME else r"(?!\w)") for n in sorted(names, key=len, reverse=True)]
    return r"(?<!\w)(?:" + "|".join(parts) + ")"


def place_names(places: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Each folded name of a place (each piece of ``Lachin / Berdzor``, ``Степанакерт (Ханкенди)``) -> all of them."""
    out: dict[str, tuple[str, ...]] = {}
    for row in places[["name_en", "name_hy", "name_az", "name_ru"]].itertuples(index=False):
        pieces = []
        for name in row:
            if isinstance(name, str):
                pieces += [fold(p).strip() for p in re.split(r"[/(),]", name)]
        names = tuple(dict.fromkeys(p for p in pieces if p))
        for n in names:
            out[n] = tuple(dict.fromkeys(out.get(n, ()) + names))
    return out


def _joined(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    parts = [frame[c].astype("string").fillna("") for c in columns]
    out = parts[0]
    for part in parts[1:]:
        out = out + _SEPARATOR + part
    return out


def _fold_series(texts: pd.Series, marked: bool = False) -> np.ndarray:
    # Many rows share text (a source cited by many events): fold each distinct string once.
    codes, uniques = pd.factorize(texts, use_na_sentinel=False)
    if marked:
        folded = np.array([mark_words(fold(str(u))) for u in uniques], dtype=object)
    else:
        folded = np.array([fold(str(u)) for u in uniques], dtype=object)
    return folded[codes]


def _sources_text(source_ids: pd.Series, sources: pd.DataFrame) -> pd.Series:
    """For each ``;``-list of source ids, its sources' titles and publishers."""
    src = sources.set_index("source_id")
    words = (src["title"].astype("string").fillna("") + " " + src["publisher"].astype("string").fillna("")).to_dict()
    cache: dict[str, str] = {}

    def text(ids: object) -> str:
        if not isinstance(ids, str):
            return ""
        if ids not in cache:
            cache[ids] = _SEPARATOR.join(words.get(i, "") for i in ids.split(";"))
        return cache[ids]

    return source_ids.map(text)


def event_haystacks(events: pd.DataFrame, places: pd.DataFrame, sources: pd.DataFrame) -> np.ndarray:
    """Each event's searched text, folded: summary, notes, event type, its place's four names, its sources."""
    names = places.set_index("place_id")[["name_en", "name_hy", "name_az", "name_ru"]]
    place_text = _joined(names, list(names.columns))
    types = events["event_type"].astype("string")
    frame = pd.DataFrame(
        {
            "summary": events["summary"],
            "notes": events["notes"],
            "type": types.fillna("") + " " + types.map(lambda t: type_label(t) if isinstance(t, str) else ""),
            "place": events["place_id"].map(place_text),
            "sources": _sources_text(events["source_ids"], sources),
        }
    )
    return _fold_joined(frame)


def _fold_joined(frame: pd.DataFrame) -> np.ndarray:
    """Each row's columns folded and joined by the separator.

    Each column is folded on its own distinct values: a place's names or a source's title
    recur on many rows and are folded once, not once per row.
    """
    folded = [_fold_series(frame[c].astype("string").fillna(""), marked=True) for c in frame.columns]
    out = folded[0]
    for part in folded[1:]:
        out = out + _SEPARATOR + part  # object arrays of str: numpy adds them element by element
    return out


def statement_haystacks(statements: pd.DataFrame, sources: pd.DataFrame) -> np.ndarray:
    """Each statement's searched text, folded: quote, speaker, role, organisation, date basis, source."""
    frame = statements[["quote", "speaker", "role", "organisation", "date_basis"]].copy()
    frame["source"] = _sources_text(statements["source_id"], sources)
    return _fold_joined(frame)


def matches(haystacks: np.ndarray, query: Query) -> np.ndarray:
    """A boolean array: which marked haystacks hold every word of the query (all, for no words)."""
    keep = np.ones(len(haystacks), dtype=bool)
    texts = pd.Series(haystacks, dtype=object)
    for needles in query.needles():
        rows = texts[keep]  # only the rows every earlier word was found in
        found = np.zeros(len(rows), dtype=bool)
        for needle in needles:
            found |= rows.str.contains(needle, regex=False).to_numpy(bool)
        keep[np.flatnonzero(keep)] = found
    return keep


class Index:
    """A dataset's folded haystacks, made on the first search, and the masks of its recent queries.

    One index serves every session on the same data (it is kept with the cached load), so
    a query typed in one session and repeated on a rerun is scanned once.
    """

    RECENT = 32  # masks kept: a boolean per row each, about 100 kB per query at 100,000 events

    def __init__(self, tables: dict[str, pd.DataFrame]) -> None:
        self._tables = tables
        self._haystacks: dict[str, np.ndarray] = {}
        self._masks: OrderedDict[tuple[str, tuple[str, ...]], np.ndarray] = OrderedDict()
        self._names: dict[str, tuple[str, ...]] | None = None
        # Sessions run in threads of one process and share the index: one fills it at a time.
        self._lock = threading.Lock()

    def expand(self, query: Query) -> Query:
        """``query`` with each word that is a place's name standing for all of that place's names."""
        with self._lock:
            return self._expand(query)

    def _expand(self, query: Query) -> Query:
        if self._names is None:
            places = self._tables.get("places")
            self._names = place_names(places) if places is not None else {}
        return dataclasses.replace(query, alternatives=tuple(self._names.get(w, ()) for w in query.words))

    def haystacks(self, name: str) -> np.ndarray:
        """The folded searched text of each row of ``events`` or ``statements``, in the table's order."""
        if name not in self._haystacks:  # callers hold the lock
            t = self._tables
            if name == "events":
                self._haystacks[name] = event_haystacks(t["events"], t["places"], t["sources"])
            else:
                self._haystacks[name] = statement_haystacks(t["statements"], t["sources"])
        return self._haystacks[name]

    def mask(self, name: str, query: Query) -> np.ndarray:
        """Which rows of table ``name`` match ``query``, as a boolean array in the table's order."""
        key = (name, tuple(query.needles()))
        with self._lock:
            if key in self._masks:
                self._masks.move_to_end(key)
                return self._masks[key]
            found = matches(self.haystacks(name), query)
            self._masks[key] = found
            while len(self._masks) > self.RECENT:
                self._masks.popitem(last=False)
            return found


def spans(text: str, query: Query) -> list[tuple[int, int]]:
    """Where in ``text`` (as written) the query's words occur: sorted, merged (start, end) pairs."""
    if not query.words or not text:
        return []
    # Fold char by char, remembering which written char each folded char came from.
    folded, origin = [], []
    for i, char in enumerate(text):
        piece = fold(char)
        folded.append(piece)
        origin.extend([i] * len(piece))
    flat = "".join(folded)
    found = []
    for pattern, regex in query.patterns():
        for m in re.finditer(pattern if regex else re.escape(pattern), flat):
            if m.end() > m.start():
                found.append((origin[m.start()], origin[m.end() - 1] + 1))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(found):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def mark_markdown(text: object, q: str | Query) -> str:
    """``text`` escaped for Markdown, with each match of the query highlighted."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    text = str(text)
    query = q if isinstance(q, Query) else parse_query(q or "")
    out, at = [], 0
    for a, b in spans(text, query):
        out.append(md_escape(text[at:a]))
        out.append(f":orange-background[{md_escape(text[a:b])}]")
        at = b
    out.append(md_escape(text[at:]))
    return "".join(out)


def holds(text: object, query: Query) -> bool:
    """Whether ``text`` holds any word of the query (to mark a table cell)."""
    if not query.words or not isinstance(text, str):
        return False
    folded = fold(text)
    return any(p.search(folded) if regex else p in folded for p, regex in _compiled(query))


@functools.lru_cache(maxsize=32)
def _compiled(query: Query) -> tuple[tuple[re.Pattern | str, bool], ...]:
    # A table marks hundreds of cells with one query: its patterns are built and compiled once.
    return tuple((re.compile(p) if regex else p, regex) for p, regex in query.patterns())
