"""Candidate statement rows from the plain text of a news article or statement.

``python -m routestatus extract DOCUMENT.txt`` prints, as CSV, one candidate row per
quotation in the columns of ``data/statements.csv`` followed by review columns. Nothing is
written to ``data/``: a curator reads every row, corrects it, assigns the id and copies it, or
reviews the rows on the dashboard's Add statements page (``make curate``; ``routestatus.curate``).

Method. It is a set of patterns for English news prose, not a parser; every row is a guess.

- Paragraphs are blocks separated by blank lines (each line, if the text has no blank line).
- A direct quotation runs from an opening double mark (“ „ « or a straight ") to its closing
  mark. Single marks never delimit, so nested quotations and apostrophes stay inside. A
  paragraph that leaves a quotation open continues it when the next paragraph opens with a
  mark; the pieces are joined by one space, without that re-opening mark (the form
  ``routestatus.quotes`` treats as equal to the printed text). A comma before the closing
  mark belongs to the reporting sentence and is dropped.
- The speaker comes from the reporting clause of the quotation (``speaker_basis`` says which): a clause
  that leads into it ("X said that “…", "X replied that the meeting was “…", "Y, who had said that “…"),
  else the clause after it (“…,” X said / said X / X added; a clause ending in a colon leads into the
  next quotation instead), a passive one ("This was stated by X", "It was stated by X that"), a
  headline-style "X: “…”", "according to X", else the subject of the prose sentence just before it,
  else the previous quotation's speaker. "According to TASS", ", Trend reports" and the like name the
  outlet that carried the words (``carried_by``), never the speaker; after "told" comes the listener.
  Capitalised words that are not titles or institutions are a person's name. Every person named in
  full in the prose is remembered (the subject of a sentence as the latest one), so a surname alone, a
  surname met first in a headline, or one spelt with a letter's difference finds the full name. The
  words around the name are the role. "X's office" is that person's office. "the statement", "he"/"she"
  and phrases such as "the spokesman" (a spokesperson), "the press secretary" or "the Armenian
  spokesperson" point back to the latest speaker sharing their nouns or organisation; "the Armenian
  Foreign Ministry" with no one of its nouns known is the ministry itself. Organisations come from a
  table of cue words, written as in ``statements.csv``.
- Roads come from a gazetteer matched on the quotation itself, as the codebook's
  ``route_ids`` says. A quotation of under five words that sits inside the reporter's
  sentence (a scare quote) takes its roads from that sentence, as the curated row S008 does;
  the reporting sentence around a full quotation is not read for roads (consistent with
  S001-S014, whose reporting clauses name no road).
- Reported speech: a sentence outside quotation marks with a reporting verb, a speaker and a
  road name is a candidate of kind ``indirect``; its quote is the whole sentence.
- Dates: a day named in the reporting clause ("on Tuesday", "today", "yesterday", "last week",
  "12 September", "a day earlier") is resolved against the publication date (a weekday is the latest
  such day on or before it; "a day earlier" counts back from the day the text named last). A day in
  a clause about another person's act ("a day before Hajizada spoke on Tuesday") is not the speaker's.
  A quotation whose clause names no day takes a day of its own sentence, else the first day the text
  gives its speaker, also in prose that names the speaker without quoting ("At the briefing on Monday,
  spokesperson X was asked …", "X pointed to the statement of 13 December"), unless the clause times
  the remark by an event ("after the truck was unloaded"). ``date_flag`` is set when the text gives a
  speaker two different days, an unnamed government ("The U.S.") counting as every speaker of that
  government. With no day at all, the publication date is used as ``approximate``; with no
  publication date, a relative day is named in ``date_basis`` and the date left blank.
- ``confidence`` (0 to 1) is the lower of how the speaker was found (a name in the reporting clause 0.9,
  reported speech 0.8, the sentence before or an unnamed government 0.7, a back-reference 0.6, carried
  over 0.5, none 0) and how the date was (the clause's own day 0.9, the sentence's or the speaker's
  earlier day 0.7, the publication date 0.4, none 0.2), halved when ``date_flag`` is set, so the review
  page can list the weakest first.

Limits: English reporting verbs only; quotations in single marks only are missed; "he"/"she" go to the
latest person whatever their gender; "the corridor" is read as Lachin and any "Aghdam" or "Askeran"
as the Aghdam road; a month alone ("in July") is not a day; no coreference beyond the rules above;
the language is guessed from the script alone. docs/extraction.md gives the figures and the method's
limits in full.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from routestatus.isodate import not_a_day, parse_day
from routestatus.paths import resolve_root
from routestatus.quotes import normalise

STATEMENT_COLUMNS = (
    "statement_id", "date", "date_precision", "date_basis", "speaker", "role", "organisation", "route_ids",
    "claim", "quote", "language", "source_id", "quoted_via", "retracted", "notes",
)  # fmt: skip
REVIEW_COLUMNS = (
    "kind", "confidence", "speaker_basis", "carried_by", "road_matches", "date_flag", "paragraph", "start", "end",
    "already_present",
)  # fmt: skip
COLUMNS = STATEMENT_COLUMNS + REVIEW_COLUMNS
ROUTE_ORDER = ("lachin", "aghdam_askeran")  # the codebook's order for route_ids
SHORT_WORDS = 5  # a quotation of fewer words is noted as short


@dataclass
class Candidate:
    """One candidate row: the statements columns, then the review columns.

    ``kind`` is ``direct`` or ``indirect``; ``road_matches`` the gazetteer words behind ``route_ids``;
    ``date_flag`` says when the text gives the speaker two days; ``paragraph`` is 1-based; ``start`` and
    ``end`` are character offsets of the quote in the decoded text (a byte-order mark removed), so
    ``text[start:end]`` is the quote as printed, re-opening marks included; ``already_present`` is the
    ``statement_id`` of the same quote from the same source in ``statements.csv``.
    """

    statement_id: str = ""
    date: str = ""
    date_precision: str = ""
    date_basis: str = ""
    speaker: str = ""
    role: str = ""
    organisation: str = ""
    route_ids: str = ""
    claim: str = ""  # "none" for a passage that names no road; otherwise the curator chooses
    quote: str = ""
    language: str = "en"
    source_id: str = ""
    quoted_via: str = "secondary"
    retracted: str = "false"
    notes: str = ""
    kind: str = "direct"
    confidence: float = 0.0
    speaker_basis: str = ""
    carried_by: str = ""
    road_matches: str = ""
    date_flag: str = ""
    paragraph: int = 0
    start: int = 0
    end: int = 0
    already_present: str = ""


# Gazetteer: longer names first, so "Lachin corridor" is one match rather than "Lachin".
_DASH = r"\s*[-‐‑–—]\s*"
_AG = r"(?:Aghdam|Agdam|Ağdam|Akna)"
_WAY = r"(?:\s+(?:road|route|highway)s?)?"
_GAZETTEER = (
    (ROUTE_ORDER, r"both\s+(?:corridors|roads|routes)"),
    (("aghdam_askeran",), rf"{_AG}{_DASH}(?:Askeran|Khank[ae]ndi|Stepanakert){_WAY}"),
    (("lachin",), rf"(?:Goris{_DASH}Stepanakert|Lachin{_DASH}(?:Khank[ae]ndi|Stepanakert)){_WAY}"),
    (("lachin",), r"(?:Lachin|Berdzor)\s+(?:corridor|road|route|highway)s?"),
    (("aghdam_askeran",), rf"(?:the\s+)?{_AG}\s+(?:road|route|highway)s?"),
    (("lachin",), r"Lachin|Berdzor|Hakari"),
    (("aghdam_askeran",), rf"{_AG}|Askeran"),
    (("lachin",), r"the\s+corridor"),
)
_ROADS = re.compile("|".join(f"(?P<r{i}>(?<!\\w){p}(?!\\w))" for i, (_, p) in enumerate(_GAZETTEER)), re.I)

# Cue words for the organisation, with the values statements.csv uses (the schema has no enum).
_ORGS = (
    ("European Union", r"European Council|European Union|EU|EEAS"),
    ("Government of the United States", r"U\.S\.|US|USA|United States|American|State Department|White House"),
    ("Government of Russia", r"Russian?|Kremlin|Moscow"),
    ("Government of Azerbaijan", r"Azerbaijani?|Baku"),
    ("Government of Armenia", r"Armenian?|Yerevan"),
    ("United Nations", r"UN|United Nations|Secretary-General|OCHA|UNHCR"),
    ("International Committee of the Red Cross", r"ICRC|Red Cross"),
    ("International Court of Justice", r"ICJ|International Court of Justice"),
    ("Nagorno-Karabakh de facto authorities", r"Artsakh\w*|de facto"),
)
_ORG = re.compile("|".join(f"(?P<o{i}>(?<![\\w.])(?:{p})(?!\\w))" for i, (_, p) in enumerate(_ORGS)))

# Capitalised words that are never part of a person's name.
_NOT_NAMES = set(
    "The A An In On At Mr Mrs Ms Dr Amb Gen President Prime Minister Foreign Deputy Ambassador Spokesperson "
    "Spokesman Spokeswoman Secretary State General Permanent Representative Special Envoy High Head Director "
    "Chairman Chair Commissioner Assistant Adviser Advisor Senior Chief Council European Union Office Ministry "
    "Department Committee Commission Parliament Government Republic Court Cross Red International Nations United "
    "Affairs Defence Defense Mission Embassy Press Service Information Centre Center Officials Sources Member "
    "Agency Organization Organisation Security Cooperation Co-operation Europe South Caucasus Karabakh "
    "Nagorno-Karabakh Turkish French Georgian Iranian Leader Speaking Meanwhile He She They It We Official Lead "
    "Crescent Society News Press This That These Those Its His Her Their Our One Two Three Both Questions".split()
)
_HEADS = set(
    "office ministry representative spokesperson spokesman spokeswoman minister ambassador envoy president leader "
    "department government embassy mission official secretary council committee statement release post".split()
)
_BODIES = {"ministry", "department", "government", "embassy", "mission", "council", "committee", "office"}
_LATEST = {"statement", "release", "post", "communiqué", "they", "it"}  # refer to whoever spoke last

_VERBS = (
    r"(?:said|says|added|adds|claimed|stated|stressed|noted|told|wrote|writes|explained|emphasi[sz]ed|underlined"
    r"|warned|announced|declared|insisted|urged|reiterated|tweeted|posted|commented|remarked|replied|confirmed"
    r"|continued|concluded|went\s+on|responded|recalled|pointed\s+out|assured|argued)"
)
_ADV = r"(?:(?:also|again|later|earlier|further|separately|then)\s+)?"
# "according to X" may carry an apposition: "according to C. Name, spokesperson of the ministry".
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<who>[^,;:“”\"]+(?:,\s+[a-z][^,;:“”\"]*)?)", re.I)
_TRAILING_WHO = re.compile(rf",\s*(?P<who>[^,“”\"]+?)\s+{_ADV}{_VERBS}\W*$", re.I)  # "…, the ministry said."
# After "told" comes the listener ("told Azernews"), never the speaker, so these two leave it out.
_SAID_VERBS = _VERBS.replace("told|", "")
_TRAILING_VERB = re.compile(rf",\s*{_ADV}{_SAID_VERBS}\s+(?P<who>[^,“”\"]+?)\W*$", re.I)  # "…, said the ministry."
_VERB_FIRST = re.compile(rf"^{_ADV}{_SAID_VERBS}\s+(?P<who>[^“”\"]+)", re.I)
_WHO_FIRST = re.compile(rf"^(?P<who>[^“”\"]+?)\s+{_ADV}{_VERBS}\b", re.I)
_INTRO = re.compile(r"^(?:In|On|At|During|Speaking|Meanwhile|Earlier|Later|A\s+\w+\s+(?:earlier|later))\b[^,]*,\s*")
# "This was stated by X", "It was stated by X that": the speaker follows "by".
_PASSIVE = re.compile(
    rf"\b(?:this|that|it)\s+(?:was|were|has\s+been|had\s+been|is)\s+{_ADV}{_SAID_VERBS}\b"
    r"[^“”\"]*?\bby\s+(?P<who>[^“”\"]+?)(?:,?\s+that\b[^“”\"]*)?\W*$",
    re.I,
)
# "Mirzoyan: “…”" (a headline or a transcript): capitalised words, a colon, then the quotation.
_HEADLINE = re.compile(r"^(?P<who>(?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]+)\s*:\s*$")
# News agencies and outlets that carry someone's words. They are noted in ``carried_by``, never the speaker.
_AGENCIES = (
    r"TASS|Interfax|RIA\s+Novosti|Sputnik|Armenpress|ARMENPRESS|Trend|APA|AZERTAC|Azertac|Report\.az|News\.am"
    r"|news\.am|Mediamax|Reuters|AFP|Agence\s+France-Presse|Associated\s+Press|Anadolu(?:\s+Agency)?|Xinhua"
    r"|Caucasus\s+Watch|Asbarez|Panorama\.am|Azatutyun|RFE/RL|CivilNet|JAMnews|Turan|Artsakhpress|Armradio"
)
_OUTLET = r"(?:news\s+)?agency|outlet|newspaper|report|channel|website|broadcaster"
_CARRIER = re.compile(
    rf",?\s*(?:[Aa]ccording\s+to|as\s+reported\s+by|reported\s+by|citing|quoted\s+by)\s+(?:the\s+)?"
    rf"(?P<a>{_AGENCIES}|{_OUTLET})(?:\s+(?:news\s+)?agency)?(?=\W*$|,)"
    rf"|,?\s*(?:the\s+)?(?P<b>{_AGENCIES})(?:\s+news\s+agency)?\s+(?:reported|reports|writes|wrote|said|says)(?=\W*$|,)"
)
# A clause that is about another person's act ("a day before Hajizada spoke on Tuesday"): its day is not the speaker's.
_SUBORDINATE = re.compile(
    r"(?:,\s*|\s+)(?:(?:a|one|two|three)\s+(?:day|days|week|weeks)\s+|hours\s+|shortly\s+|just\s+)?"
    r"(?:after|before|following|while|when|since)\s+(?P<rest>.*)",
    re.S,
)
_ROLE_NOUN = (
    r"(?i:spokesperson|spokesman|spokeswoman|secretary|minister|director|president|head|chief|representative"
    r"|ambassador|envoy|adviser|advisor|official|chair|chairman|commissioner|speaker|mayor|leader|officer|manager"
    r"|prosecutor|ombudsman|defender|coordinator|commander)\b"
)
# Role nouns that name the same office: "the spokesman" points back to a spokesperson.
_SYNONYMS = {"spokesman": "spokesperson", "spokeswoman": "spokesperson", "spokespersons": "spokesperson"}
# A sentence ends at . ! or ? before a space, except after an initial or "U.S." or a title.
_END = re.compile(r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bDr)(?<!\bAmb)(?<!\bSt)[.!?]+[”\"’)]*(?=\s|$)")

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = "January February March April May June July August September October November December".split()
_M = "|".join(_MONTHS)
_AGO = {"a": 1, "one": 1, "the": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_DAY = re.compile(
    r"\b(?P<ago>a|one|two|three|four|five|six|seven)\s+days?\s+(?:earlier|before)(?=\s*[,.;]|\s*$)"
    r"|\b(?P<the>the)\s+(?:day\s+before|previous\s+day)\b"
    rf"|\b(?:on\s+)?(?P<wd>{'|'.join(_WEEKDAYS)})\b|\b(?P<rel>today|yesterday|last\s+week|this\s+week)\b"
    rf"|\b(?:on\s+)?(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_M})|(?P<m2>{_M})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)"
    r"(?:,?\s+(?P<y>\d{4}))?\b",
    re.I,
)
# A reporting clause timed by an event rather than a day: the speaker's earlier day may not be this one's.
_EVENT = re.compile(r"\b(?:after|once|when|following)\s+(?:the|a|an|his|her|its|their)\s+[^,.;“”\"]+")
_OPENERS = {"“": "”", "„": "”", "«": "»", '"': '"'}


@dataclass(eq=False)
class _Speaker:
    """A person or body the text reports speaking, with the days the text gives them."""

    speaker: str
    role: str = ""
    organisation: str = ""
    person: bool = False
    unnamed: bool = False  # a government named only by its country ("The U.S.")
    owner: _Speaker | None = None  # the person whose office this is
    days: list[tuple[str, int]] = field(default_factory=list)

    def words(self) -> set[str]:
        return {_SYNONYMS.get(w, w) for w in re.findall(r"[a-z]+", f"{self.speaker} {self.role}".lower())}


def _organisation(phrase: str) -> str:
    """The organisation of the earliest cue word in ``phrase``, or ''."""
    m = _ORG.search(phrase)
    return _ORGS[int(m.lastgroup[1:])][0] if m else ""


def _is_name(word: str) -> bool:
    """True for a word that can be part of a person's name: capitalised, not a title, institution or initialism."""
    w = re.sub(r"['’]s$", "", word)
    if re.fullmatch(r"[A-Z]\.", w):  # an initial
        return True
    return w[:1].isupper() and not w.isupper() and w not in _NOT_NAMES and not _ORG.fullmatch(w)


def _runs(phrase: str) -> list[list[re.Match]]:
    """Runs of adjacent name words in ``phrase``."""
    runs: list[list[re.Match]] = []
    for m in re.finditer(r"[^\s,;:()“”\"]+", phrase):
        if _is_name(m.group()) and runs and runs[-1] and phrase[runs[-1][-1].end() : m.start()].isspace():
            runs[-1].append(m)
        else:
            runs.append([m] if _is_name(m.group()) else [])
    return [r for r in runs if r]


def _full_names(sentence: str) -> list[tuple[str, str, int]]:
    """(name, role, offset) of every person named in full (two or more name words) in a sentence of prose.

    The role is the apposition after the name (", the press secretary of …,") or the title words just before
    it ("spokesperson Matthew Miller"), as far as the clause goes.
    """
    out = []
    for run in _runs(sentence):
        if len(run) < 2 or not all(re.search(r"[a-z]", m.group()) or m.group().endswith(".") for m in run):
            continue
        lo, hi = run[0].start(), run[-1].end()
        name = re.sub(r"['’]s$", "", sentence[lo:hi])
        appositive = rf",\s+((?:the\s+)?(?:\S+\s+){{0,3}}?{_ROLE_NOUN}[^,.;“”\"]*(?:,\s+[A-Z][^,.;“”\"]*)?)"
        after = re.match(appositive, sentence[hi:])
        before = re.split(r"[,;:“”\"]|\b(?:by|with|to|and|about|answered|met|received)\b", sentence[:lo])[-1]
        before = re.sub(r"^\s*(?:the\s+)?", "", _DAY.sub(" ", before)).strip()
        titled = len(before.split()) <= 8 and re.search(_ROLE_NOUN, before)
        role = after[1] if after else before if titled else ""
        role = re.split(rf"\s+{_ADV}{_VERBS}\b", role, flags=re.I)[0]
        role = re.sub(r"^((?:[A-Z]\.)+)['’]s\b", r"\1", re.sub(r"^the\s+", "", role.strip(), flags=re.I))
        out.append((name, role, lo))
    return out


def _name(phrase: str) -> tuple[str, str] | None:
    """(name, role) when ``phrase`` holds a person's name; the role is the apposition or the titles before."""
    runs = _runs(phrase)
    if not runs:
        return None
    run = next((r for r in runs if len(r) > 1), runs[0])
    lo, hi = run[0].start(), run[-1].end()
    after = phrase[hi:].strip()
    role = after[1:] if after.startswith(",") else phrase[:lo]
    role = re.sub(r"^the\s+", "", role.strip(" ,"), flags=re.I)
    role = re.sub(r"^((?:[A-Z]\.)+)['’]s\b", r"\1", role)  # "U.S.’s Permanent Representative" → "U.S. …"
    return re.sub(r"['’]s$", "", phrase[lo:hi]), role


def _clean_who(phrase: str) -> str:
    """The speaker phrase without day words and trailing clauses, or '' if too long to be one."""
    p = _DAY.sub(" ", phrase)
    p = re.split(r",?\s+(?:in|at|during|after|before|while|when|that|who|which)\s+", p)[0]
    p = re.sub(r"^(?:also|and|but)\s+", "", " ".join(p.split()).strip(" ,;:—–-"), flags=re.I)
    p = re.sub(r"(?<!\b[A-Z])\.$", "", p)  # a sentence's full stop, not the one of "U.S."
    if re.match(r"(?:that|to|how|whether|if)\b", p, re.I):  # "said that the US is …": the clause, not a speaker
        return ""
    return p if len(p.split()) <= 14 else ""


def _one_letter_apart(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` with one letter changed, added or dropped (a transliteration variant)."""
    if a == b or abs(len(a) - len(b)) > 1 or a[:3] != b[:3]:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:k] + long_[k + 1 :] == short for k in range(len(long_)))


class _People:
    """The speakers met so far, the most recently mentioned last."""

    def __init__(self) -> None:
        self.known: list[_Speaker] = []
        self.last_day = ""  # the day phrase the text gave last, which "a day earlier" counts back from

    def anchored(self, own: str) -> str:
        """``own``, with the day it counts back from when it is "a day earlier"; remembers a day that is not."""
        if not own:
            return own
        m = _DAY.search(own)
        if m["ago"] or m["the"]:
            return f"{own} than '{self.last_day}'" if self.last_day else own
        self.last_day = own
        return own

    def by_surname(self, name: str) -> _Speaker | None:
        """The latest person whose surname is the last word of ``name``.

        One letter's difference is allowed in a long surname with the same first name: "Aykhan Hajizade"
        is "Aykhan Hajizada" (a transliteration variant, as one cited page spells it).
        """
        words = name.split()
        persons = [s for s in reversed(self.known) if s.person]
        found = next((s for s in persons if s.speaker.split()[-1] == words[-1]), None)
        if found is None and len(words[-1]) >= 6:
            found = next(
                (
                    s
                    for s in persons
                    if _one_letter_apart(s.speaker.split()[-1], words[-1])
                    and (len(words) == 1 or len(s.speaker.split()) == 1 or s.speaker.split()[0] == words[0])
                ),
                None,
            )
        return found

    def _use(self, s: _Speaker) -> _Speaker:
        if s in self.known:
            self.known.remove(s)
        self.known.append(s)
        return s

    def latest(self, person: bool = False) -> _Speaker | None:
        return next((s for s in reversed(self.known) if s.person or not person), None)

    @staticmethod
    def _upgrade(found: _Speaker, full: str, role: str, org: str) -> None:
        """Give a person first met by surname alone ("Mirzoyan: …") the full name met later."""
        if len(full.split()) > len(found.speaker.split()) and full.split()[-1] == found.speaker.split()[-1]:
            found.speaker = full
        found.role, found.organisation = found.role or role, found.organisation or org

    def mention(self, sentence: str, subject: bool) -> _Speaker | None:
        """Remember the people a sentence names in full; return its subject (the first) when ``subject``.

        Only the subject becomes the latest speaker: a person named as the object ("received X") must not
        become the "he" of the next quotation.
        """
        first = None
        for full, role, lo in _full_names(sentence):
            org = _organisation(role) or _organisation(sentence[max(0, lo - 60) : lo])
            found = self.by_surname(full)
            if found:
                self._upgrade(found, full, role, org)
            else:
                found = _Speaker(full, role, org, person=True)
                self.known.insert(0, found)
            first = first or found
        if subject and first is not None:
            self._use(first)
        return first if subject else None

    def office(self, owner: _Speaker) -> _Speaker:
        if owner.owner or not owner.person:  # already an office, or a body
            return owner
        found = next((s for s in self.known if s.owner is owner), None)
        role = f"Office of the {owner.role}" if owner.role else ""
        return found or _Speaker(f"Office of {owner.speaker}", role, owner.organisation, owner=owner)

    def resolve(self, phrase: str) -> tuple[_Speaker | None, str]:
        """The speaker a reporting phrase names, and a note when it was inferred."""
        p = _clean_who(phrase)
        words = {_SYNONYMS.get(w, w) for w in re.findall(r"[a-zé]+", p.lower())}
        if not p:
            return None, ""
        if words <= {"he", "she"}:
            s = self.latest(person=True)
            return (self._use(s), f"speaker from '{p}'") if s else (None, "")
        if m := re.fullmatch(r"(.+?)['’]s\s+((?:press\s+)?office|press\s+service)", p):
            owner, _ = self.resolve(m[1])
            if owner:
                return self._use(self.office(owner)), "" if _name(m[1]) else f"speaker from back-reference '{p}'"
        org = _organisation(p)
        if named := _name(p):
            full, role = named
            found = self.by_surname(full)
            if found:
                self._upgrade(found, full, role, org)
                return self._use(found), ""
            return self._use(_Speaker(full, role, org, person=True)), ""
        if words & _LATEST and (s := self.latest()):
            return self._use(s), f"speaker from back-reference '{p}'"
        if heads := words & _HEADS:
            pool = [s for s in reversed(self.known) if s.organisation == org or not org]
            scores = [len(heads & s.words()) for s in pool]
            # "the Armenian Foreign Ministry" is the ministry itself unless someone known shares its nouns;
            # "the Armenian spokesperson" points back to the latest Armenian speaker even so.
            if pool and (max(scores) or (org and heads - _BODIES)):
                return self._use(pool[scores.index(max(scores))]), f"speaker from back-reference '{p}'"
        rest = re.sub(r"\bthe\b", "", _ORG.sub("", p), flags=re.I).strip(" ,.’'s")
        if org and not rest:
            found = next((s for s in self.known if s.unnamed and s.organisation == org), None)
            return self._use(found or _Speaker(f"{org} (speaker not named)", "", org, unnamed=True)), ""
        body = _Speaker(re.sub(r"^the\s+", "", p, flags=re.I), "", org)
        body.speaker = body.speaker[:1].upper() + body.speaker[1:]
        # A phrase naming no person and no organisation is not remembered for later back-references.
        return (self._use(body), "") if org else (body, "speaker not identified")


def _carriers(fragment: str) -> tuple[str, list[str]]:
    """The fragment without "according to TASS" or ", Trend reports", and the agencies or outlets it named."""
    found: list[str] = []

    def drop(m: re.Match) -> str:
        name = " ".join((m["a"] or m["b"]).split())
        found.append(name if name[0].isupper() else f"the {name}")
        return ""

    return _CARRIER.sub(drop, fragment), found


def _who(fragment: str, mode: str) -> tuple[str, str]:
    """(speaker phrase, basis) of a reporting fragment: ``mode`` is 'tail', 'pre' or 'sentence'."""
    frag = _INTRO.sub("", fragment.strip(" \t\r\n,;:—–-"))
    if mode == "pre" and (m := _HEADLINE.match(fragment.strip())) and (_name(m["who"]) or _organisation(m["who"])):
        return m["who"], "headline-style attribution (name: quotation)"
    if (m := _PASSIVE.search(frag)) and (who := _clean_who(m["who"])):
        return who, "passive attribution (stated by …)"
    if mode == "pre" and (who := _introducing(frag)):
        return who, "reporting clause before the quotation"
    patterns = [_ACCORDING] + [_TRAILING_WHO, _TRAILING_VERB] * (mode == "sentence") + [_VERB_FIRST] * (mode == "tail")
    where = {"tail": "reporting clause after the quotation", "pre": "reporting clause before the quotation"}
    # The first pattern whose phrase survives cleaning wins: "said on Thursday that …" names nobody.
    for pattern in patterns + [_WHO_FIRST]:
        if (m := pattern.search(frag)) and (who := _clean_who(m["who"])):
            return who, where.get(mode, "reported speech")
    return "", ""


def _introducing(pre: str) -> str:
    """The subject of the reporting clause that leads into the quotation ("X replied that the meeting was “…"), or ''.

    The clause is the one of the last reporting verb before the opening mark, so in "A said that “…”, and B
    replied that “…”" the second quotation is B's; "B, who had said that “…”" is B's, not the sentence subject's.
    """
    verbs = list(re.finditer(rf"\b{_ADV}{_VERBS}\b", pre, re.I))
    if not verbs:
        return ""
    verb = verbs[-1]
    rest = pre[verb.end() :]
    if len(rest.split()) > 8 or re.search(r"[.;!?]", rest):
        return ""
    head = re.split(r",\s+(?:and|while|but|whereas)\s+|;\s+|[”\"]\s*,?\s*(?:and\s+|while\s+)?", pre[: verb.start()])[-1]
    if m := re.fullmatch(r"(?s)(?P<ante>.*?),?\s+who\s+(?:(?:had|has|have|also|earlier)\s+)*", head):
        parts = [x for x in m["ante"].split(",") if x.strip()]
        head = next((x for x in reversed(parts) if _name(x)), parts[-1] if parts else "")
    return _clean_who(_INTRO.sub("", head.strip()))


def _roads(text: str) -> tuple[str, str]:
    """(route_ids, matched words) for the gazetteer names in ``text``."""
    ids: set[str] = set()
    words: list[str] = []
    for m in _ROADS.finditer(text):
        ids.update(_GAZETTEER[int(m.lastgroup[1:])][0])
        w = " ".join(m.group().split())
        if w.lower() not in {x.lower() for x in words}:
            words.append(w)
    return ";".join(r for r in ROUTE_ORDER if r in ids), "; ".join(words)


def _resolve_day(phrase: str, published: dt.date | None) -> tuple[dt.date | None, str, bool]:
    """(date, precision, relative?) for a day phrase; the date is None when it cannot be resolved."""
    anchor = re.fullmatch(r"(.+?) than '(.+)'", phrase)
    m = _DAY.search(anchor[1] if anchor else phrase)
    if m["ago"] or m["the"]:
        # "a day earlier" counts back from the day the text named last ("than 'on Thursday'"), else from publication
        base, precision, relative = _resolve_day(anchor[2], published) if anchor else (published, "day", True)
        back = _AGO[(m["ago"] or m["the"]).lower()]
        return (base - dt.timedelta(back) if base else None), precision, relative
    if m["wd"]:
        back = (published.weekday() - _WEEKDAYS.index(m["wd"].lower())) % 7 if published else 0
        return (published - dt.timedelta(back) if published else None), "day", True
    if m["rel"]:
        rel = " ".join(m["rel"].lower().split())
        shift = {"yesterday": 1, "last week": 7}.get(rel, 0)
        precision = "day" if rel in ("today", "yesterday") else "approximate"
        return (published - dt.timedelta(shift) if published else None), precision, True
    month, day = _MONTHS.index((m["m1"] or m["m2"]).capitalize()) + 1, int(m["d1"] or m["d2"])
    year = int(m["y"]) if m["y"] else published.year if published else None
    try:
        found = dt.date(year, month, day) if year else None
        if found and not m["y"] and found > published:  # "on 28 December" in a January article
            found = found.replace(year=year - 1)
    except ValueError:  # 31 June, or 29 February in the year before
        return None, "day", False
    return found, "day", not m["y"]


def _day_key(phrase: str, published: dt.date | None) -> str:
    found = _resolve_day(phrase, published)[0]
    return found.isoformat() if found else re.sub(r"^on\s+", "", " ".join(phrase.lower().split()))


def _dating(own: str, s: _Speaker | None, published: dt.date | None, own_basis: str = "") -> tuple:
    """(date, date_precision, date_basis, confidence) from the quotation's own day phrase or its speaker's."""
    phrase, where, confidence = own, own_basis, 0.9 if not own_basis else 0.7
    days = (s.days or (s.owner.days if s.owner else [])) if s else []
    if not phrase and days:
        phrase, where, confidence = days[0][0], f" (paragraph {days[0][1]}, same speaker)", 0.7
    if not phrase:
        if published:
            return published.isoformat(), "approximate", f"no day in the text; publication date {published} used", 0.4
        return "", "", "no day in the text and no publication date given", 0.2
    found, precision, relative = _resolve_day(phrase, published)
    basis = f"text says '{phrase}'{where}"
    if not found:
        return "", "", basis + "; no publication date given to resolve it", 0.3
    basis += f"; resolved against publication date {published}" if relative else ""
    return found.isoformat(), precision, basis, confidence


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, trimmed of surrounding whitespace."""
    blank = re.search(r"\n[ \t\r]*\n", text)
    out = []
    for m in re.finditer(r"(?:[^\n]|\n(?![ \t\r]*\n))+" if blank else r"[^\n]+", text):
        lo, hi = m.start() + len(m.group()) - len(m.group().lstrip()), m.start() + len(m.group().rstrip())
        if lo < hi:
            out.append((lo, hi))
    return out


@dataclass
class _Quote:
    opener: int
    paragraph: int
    pieces: list[tuple[int, int]] = field(default_factory=list)
    closer: int | None = None
    end_paragraph: int = 0


def _scan(text: str, paras: list[tuple[int, int]]) -> list[_Quote]:
    """Every double-marked quotation, continued across paragraphs that re-open it."""
    quotes: list[_Quote] = []
    cur, depth, piece = None, 0, 0
    for n, (lo, hi) in enumerate(paras, 1):
        i = lo
        if cur and _OPENERS.get(text[lo]) == _OPENERS[text[cur.opener]]:
            i = piece = lo + 1  # the re-opening mark of a quotation that runs on
        elif cur:
            quotes.append(cur)  # never closed; its notes say so
            cur = None
        for j in range(i, hi):
            ch = text[j]
            if cur is None:
                # A straight mark after a letter or digit is an inch sign or a typo, not an opening.
                if ch in _OPENERS and (ch != '"' or j == lo or not text[j - 1].isalnum()):
                    cur, depth, piece = _Quote(j, n), 0, j + 1
                continue
            close = _OPENERS[text[cur.opener]]
            if ch == text[cur.opener] and ch != close:
                depth += 1
            elif ch == close and depth:
                depth -= 1
            elif ch == close:
                cur.pieces.append((piece, j))
                cur.closer, cur.end_paragraph = j, n
                quotes.append(cur)
                cur = None
        if cur:
            cur.pieces.append((piece, hi))
    return quotes + ([cur] if cur else [])


def _quote_text(text: str, q: _Quote) -> tuple[str, int, int]:
    """(quote, start, end): pieces joined by one space, a final comma dropped; offsets into ``text``."""
    joined = " ".join(" ".join(text[a:b].split()) for a, b in q.pieces).strip()
    joined = joined[:-1].rstrip() if joined.endswith(",") else joined
    start, end = q.pieces[0][0], q.pieces[-1][1]
    start += len(text[start:end]) - len(text[start:end].lstrip())
    end = start + len(text[start:end].rstrip().removesuffix(",").rstrip())
    return joined, start, end


def _language(quote: str) -> str:
    letters = [c for c in quote if c.isalpha()] or ["a"]
    if sum("\u0530" <= c <= "\u058f" for c in letters) * 2 > len(letters):
        return "hy"
    return "ru" if sum("\u0400" <= c <= "\u04ff" for c in letters) * 2 > len(letters) else "en"


def _context(text: str, paras: list[tuple[int, int]], spans: list[tuple[int, int]], q: _Quote) -> tuple[str, str]:
    """The reporting text before the opening mark (same sentence) and after the closing mark (to the sentence end)."""
    lo = paras[q.paragraph - 1][0]
    pre = text[max([lo] + [y + 1 for _, y in spans if lo <= y < q.opener]) : q.opener]
    pre = pre[max([0] + [m.end() for m in _END.finditer(pre)]) :]
    if q.closer is None:
        return pre, ""
    hi = paras[q.end_paragraph - 1][1]
    tail = text[q.closer + 1 : min([x for x, _ in spans if q.closer < x < hi] + [hi])]
    return pre, tail[: m.start()] if (m := _END.search(tail)) else tail


def _row(quote: str, roads: tuple[str, str], **review: object) -> Candidate:
    return Candidate(
        route_ids=roads[0],
        claim="" if roads[0] else "none",
        road_matches=roads[1],
        quote=quote,
        language=_language(quote),
        **review,
    )


def _own_day(fragment: str, s: _Speaker | None) -> str:
    """The day phrase of a reporting fragment, leaving out a clause about another person's act.

    In "Miller said, a day before Hajizada spoke on Tuesday" the Tuesday is Hajizada's, not Miller's.
    """
    if (m := _SUBORDINATE.search(fragment)) and (other := _name(m["rest"])):
        if s is None or other[0].split()[-1] != s.speaker.split()[-1]:
            fragment = fragment[: m.start()]
    return m.group() if (m := _DAY.search(fragment)) else ""


@dataclass
class _Found:
    """A candidate and what its speaker and date were worked out from."""

    cand: Candidate
    speaker: _Speaker | None
    own: str  # the day phrase of its own sentence
    notes: list[str]
    speaker_basis: str
    speaker_confidence: float
    own_basis: str = ""  # where ``own`` came from, when not the reporting clause itself
    event: str = ""  # a time the reporting clause gives by an event, not a day ("after the truck was unloaded")


def _direct(
    text: str, paras: list, spans: list, q: _Quote, people: _People, previous: _Speaker | None, before: _Speaker | None
) -> _Found:
    """The candidate for one direct quotation; ``before`` is the subject of the prose sentence just before it."""
    quote, start, end = _quote_text(text, q)
    pre, tail = _context(text, paras, spans, q)
    if tail.rstrip().endswith(":"):  # "“…” Miller went on: “…”": the clause leads into the next quotation
        tail = ""
    pre, via_pre = _carriers(pre)
    tail, via_tail = _carriers(tail)
    words = len(quote.split())
    # A few quoted words inside the reporter's own sentence (a scare quote) are a fragment: its speaker is
    # that sentence's subject and its roads are that sentence's. A full quotation's speaker is usually after it,
    # unless a reporting clause leads into it ("X said that “…”"), which then is its own.
    fragment = q.closer is not None and words < SHORT_WORDS and bool(pre.strip())
    leads = bool(_introducing(_INTRO.sub("", pre.strip(" \t\r\n,;:—–-")))) or bool(_HEADLINE.match(pre.strip()))
    order = [(pre, "pre"), (tail, "tail")] if fragment or leads else [(tail, "tail"), (pre, "pre")]
    who, basis = next((found for frag, mode in order if (found := _who(frag, mode))[0]), ("", ""))
    s, how = people.resolve(who) if who else (None, "")
    for frag in (pre, tail):  # after resolving, so that the reporting clause's own reading of the role wins
        people.mention(frag, subject=False)
    confidence = 0.9 if s is not None and not how else 0.6 if s is not None else 0.0
    if how and s is not None:
        basis = f"{basis}; {how}"
    if s is not None and s.unnamed:
        confidence = 0.7
    if s is None and before is not None and not fragment:
        s, basis, confidence = before, "named in the sentence before the quotation", 0.7
    elif s is None and previous is not None and not fragment:
        s, how = previous, "speaker carried over from the previous quotation"
        basis, confidence = how, 0.5
    own = _own_day(pre, s) or _own_day(tail, s)
    own_basis = ""
    if not own and (whole := _sentence_before(text, paras, spans, q)):
        # A second quotation in a sentence ("A said on 19 May that “…”, and B replied that “…”") shares its day.
        if own := _own_day(whole, s):
            own_basis = " (same sentence)"
    own = people.anchored(own)
    event = ""
    if not own and (m := _EVENT.search(f"{pre} {tail}")) and not _name(m.group()):
        event = " ".join(m.group().split())  # "after the Russian truck was unloaded": another occasion
    if s is not None and own:
        s.days.append((own, q.paragraph))
    notes = [f"quotation runs over {len(q.pieces)} paragraphs"] if len(q.pieces) > 1 else []
    notes += ["closing quote mark not found; check where it ends"] if q.closer is None else []
    notes += [f"short quotation ({words} word{'s' * (words > 1)})"] * (words < SHORT_WORDS)
    notes += ["inside the reporter's sentence; roads read from that sentence"] * fragment
    roads = _roads(pre + quote + tail if fragment else quote)
    cand = _row(quote, roads, paragraph=q.paragraph, start=start, end=end, carried_by="; ".join(via_pre + via_tail))
    notes += [how] * bool(how)
    return _Found(cand, s, own, notes, basis or "no speaker found", confidence, own_basis, event)


def _sentence_before(text: str, paras: list, spans: list, q: _Quote) -> str:
    """The prose of the quotation's sentence before its opening mark, other quotations blanked out."""
    lo = paras[q.paragraph - 1][0]
    chunk = list(text[lo : q.opener])
    for a, b in spans:
        for k in range(max(a, lo) + 1, min(b, q.opener)):
            chunk[k - lo] = " "
    flat = "".join(chunk)
    return flat[max([0] + [m.end() for m in _END.finditer(flat)]) :]


def _reported(text: str, lo: int, hi: int, paragraph: int, people: _People) -> tuple[_Found | None, _Speaker | None]:
    """(candidate or None, the sentence's speaker or subject) for a sentence of prose outside quotations.

    A sentence with a reporting verb, a speaker and a road name is a candidate of reported speech. Any other
    sentence still tells who is being written about, and on which day, for the quotations after it.
    """
    lo += len(text[lo:hi]) - len(text[lo:hi].lstrip())
    hi = lo + len(text[lo:hi].strip())
    sentence = " ".join(text[lo:hi].split())
    bare, via = _carriers(sentence)
    who, basis = _who(bare, "sentence")
    s, how = people.resolve(who) if who else (None, "")
    if s is not None and how == "speaker not identified":
        s = None  # "The talks continued": no one is speaking
    subject = people.mention(_INTRO.sub("", bare), subject=s is None)
    speaker = s or subject
    own = people.anchored(_own_day(bare, speaker))
    if speaker is not None and own:
        speaker.days.append((own, paragraph))  # remembered even without a road, for later quotations
    roads = _roads(sentence)
    if s is None or not roads[0]:
        return None, speaker
    notes = ["reported speech: the quote is the reporter's whole sentence"] + [how] * bool(how)
    cand = _row(sentence, roads, kind="indirect", paragraph=paragraph, start=lo, end=hi, carried_by="; ".join(via))
    basis = "reported speech" + (f"; {how}" if how else "")
    return _Found(cand, s, own, notes, basis, 0.6 if how else 0.8), speaker


def _date_flag(s: _Speaker, people: _People, published: dt.date | None) -> str:
    """Non-empty when the text gives ``s`` (or its office, owner or unnamed government) two different days."""
    days: dict[str, tuple[str, int]] = {}
    for x in people.known:
        same_government = x.organisation == s.organisation and (x.unnamed or s.unnamed)
        if x is s or x is s.owner or x.owner is s or same_government:
            for phrase, n in x.days:
                days.setdefault(_day_key(phrase, published), (phrase, n))
    if len(days) < 2:
        return ""
    given = " and ".join(f"'{p}' (paragraph {n})" for p, n in sorted(days.values(), key=lambda d: d[1]))
    return f"the text gives {given} for the same speaker"


def extract(
    text: str, *, published: dt.date | None = None, source_id: str = "", existing: pd.DataFrame | None = None
) -> list[Candidate]:
    """Candidate statement rows for every quotation, and every reported statement naming a road, in ``text``.

    ``published`` resolves relative days; ``existing`` (the statements table) fills ``already_present``
    for rows with the same ``source_id`` and the same quote after :func:`routestatus.quotes.normalise`.
    """
    present: dict[str, str] = {}
    if existing is not None and source_id and not existing.empty:
        rows = existing.fillna("").astype(str)
        rows = rows[rows["source_id"] == source_id]
        present = {normalise(q): sid for sid, q in zip(rows["statement_id"], rows["quote"], strict=True)}
    paras = _paragraphs(text)
    quotes = [q for q in _scan(text, paras) if _quote_text(text, q)[0]]
    spans = [(q.opener, q.closer if q.closer is not None else q.pieces[-1][1]) for q in quotes]
    # Quotations and the sentences outside them are read in document order, so that a back-reference
    # ("the statement", "he") finds the speakers named before it.
    items: list[tuple[int, _Quote | tuple[int, int, int]]] = [(q.opener, q) for q in quotes]
    for n, (lo, hi) in enumerate(paras, 1):
        starts = [lo] + [m.end() for m in _END.finditer(text, lo, hi)]
        for a, b in zip(starts, starts[1:] + [hi], strict=True):
            if text[a:b].strip() and not any(x <= b and a <= y for x, y in spans):
                items.append((a, (a, b, n)))
    people, found, previous, before = _People(), [], None, None
    for _, item in sorted(items, key=lambda it: it[0]):
        if isinstance(item, _Quote):
            row = _direct(text, paras, spans, item, people, previous, before)
            previous, before = row.speaker or previous, None
        else:
            row, before = _reported(text, *item, people)
            if row is None:
                continue
        found.append(row)
    for f in found:
        cand, s = f.cand, f.speaker
        cand.source_id, cand.already_present = source_id, present.get(normalise(cand.quote), "")
        if s is not None:  # filled last: a name first met as a surname ("Mirzoyan: …") may be completed later
            cand.speaker, cand.role, cand.organisation = s.speaker, s.role, s.organisation
        dating = _dating(f.own, None if f.event else s, published, f.own_basis)
        cand.date, cand.date_precision, cand.date_basis, date_confidence = dating
        if f.event:
            cand.date_basis += f"; the text times this remark by an event ('{f.event}'), not by a day"
        cand.date_flag = _date_flag(s, people, published) if s else ""
        missing = ["no speaker found"] if s is None else ["organisation not identified"] * (not s.organisation)
        notes = f.notes + missing
        notes += [f"words carried by {cand.carried_by}"] * bool(cand.carried_by)
        cand.notes = "; ".join(notes)
        cand.speaker_basis = f.speaker_basis
        flagged = 0.5 if cand.date_flag else 1.0
        cand.confidence = round(min(f.speaker_confidence, date_confidence * flagged), 2)
    return [f.cand for f in found]


def candidates_frame(cands: list[Candidate]) -> pd.DataFrame:
    """The candidates as a DataFrame with :data:`COLUMNS` in order (header only when there are none)."""
    return pd.DataFrame([asdict(c) for c in cands], columns=list(COLUMNS))


def candidates_csv(cands: list[Candidate]) -> str:
    """The candidates as CSV text: header, one row each, LF line endings."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([getattr(c, col) for col in COLUMNS] for c in cands)
    return buf.getvalue()


def run(args: argparse.Namespace) -> int:
    """Handle ``extract``: read the document and the statements table, write CSV; return the exit status."""
    published = None
    if args.published:
        published = parse_day(args.published)
        if published is None:
            print(f"extract: --published {not_a_day(args.published)}", file=sys.stderr)
            return 2
    path = Path(args.document)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as err:
        print(f"extract: cannot read {path}: {err.strerror or err}", file=sys.stderr)
        return 1
    except UnicodeDecodeError as err:
        print(f"extract: {path} is not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start})", file=sys.stderr)
        return 1
    root = resolve_root(getattr(args, "root", None))
    table = root.data / "statements.csv"
    try:
        existing = pd.read_csv(table, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError) as err:  # pandas' parser and decoding errors are ValueErrors
        print(f"extract: cannot read {root.rel(table)}: {str(err).splitlines()[0]}", file=sys.stderr)
        return 1
    cands = extract(text, published=published, source_id=args.source_id, existing=existing)
    out = candidates_csv(cands)
    if not args.out:
        sys.stdout.write(out)
        return 0
    try:
        with open(args.out, "w", encoding="utf-8", newline="") as f:
            f.write(out)
    except OSError as err:
        print(f"extract: cannot write {args.out}: {err.strerror or err}", file=sys.stderr)
        return 1
    print(f"extract: {len(cands)} candidate(s) written to {args.out}", file=sys.stderr)
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``extract DOCUMENT.txt [--published YYYY-MM-DD] [--source-id ID] [--out FILE]``."""
    parser = subparsers.add_parser(
        "extract", help="list candidate statement rows (CSV) found in a plain-text article, for a curator to review"
    )
    parser.add_argument("document", metavar="DOCUMENT.txt", help="the article as UTF-8 plain text")
    parser.add_argument("--published", metavar="YYYY-MM-DD", help="publication date, to resolve 'on Tuesday' etc.")
    parser.add_argument("--source-id", default="", metavar="ID", help="source_id of the article in data/sources.csv")
    parser.add_argument("--out", metavar="FILE", help="write the CSV here instead of standard output")
    parser.set_defaults(func=run)
    return parser
