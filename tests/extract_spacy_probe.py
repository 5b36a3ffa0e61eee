"""A measurement, run by hand, of a spaCy dependency parse as the speaker finder (see docs/extraction.md).

Not part of the suite, and spaCy is not a dependency of the project: run it in an environment of its own
that has the project on its path, ``spacy`` 3.8 and an ``en_core_web_sm`` pipeline installed from PyPI
(the name of its package is given as the argument; the default is ``en_core_web_sm``)::

    python -m tests.extract_spacy_probe [PIPELINE]

For every candidate the pattern extractor finds (so both read the same quotations), the probe takes the
reporting verb next to the quotation in the parse (say, add, tell, state, …), its subject or, in the passive,
its agent; a pronoun or a noun such as "the spokesman" becomes the latest PERSON entity before it, and a
surname the latest full name ending in it. It then scores the speakers as tests/extract_scoring.py does and
prints the time to import spaCy and load the pipeline.
"""

from __future__ import annotations

import datetime as dt
import time

from tests.extract_scoring import (
    SEED_PUBLISHED,
    fixture_names,
    load_fixture,
    same_speaker,
    seed_rows,
    seed_text,
)

REPORTING = {
    "say", "add", "tell", "state", "note", "stress", "write", "announce", "declare", "claim", "explain",
    "emphasize", "emphasise", "underline", "warn", "insist", "urge", "reiterate", "tweet", "post", "comment",
    "remark", "reply", "confirm", "continue", "conclude", "respond", "recall", "assure", "argue",
}  # fmt: skip


def _speaker_of(doc, start: int, end: int, persons: list[str]) -> str:
    """The speaker the parse gives a quotation at characters [start, end) of the parsed text."""
    near = [t for t in doc if t.lemma_ in REPORTING and t.pos_ == "VERB" and not start <= t.idx < end]
    # the reporting verb nearest to the quotation, in the same or the next sentence
    near = [t for t in near if abs(t.idx - end) < 200 or abs(start - t.idx) < 200]
    near.sort(key=lambda t: min(abs(t.idx - end), abs(start - t.idx)))
    for verb in near[:1]:
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        agent = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        head = (agent or subj or [None])[0]
        if head is None:
            continue
        ent = next((e for e in doc.ents if e.start <= head.i < e.end), None)
        if ent is not None and ent.label_ == "PERSON":
            full = next((p for p in reversed(persons) if p.split()[-1] == ent.text.split()[-1]), ent.text)
            return full
        if ent is not None:
            return ent.text
        # a pronoun or a role noun ("he", "the spokesman"): the latest person named before
        before = [e.text for e in doc.ents if e.label_ == "PERSON" and e.end_char <= start]
        return before[-1] if before else head.text
    before = [e.text for e in doc.ents if e.label_ == "PERSON" and e.end_char <= start]
    return before[-1] if before else ""


def score_speakers(nlp, text: str, rows: list[dict], published: dt.date | None) -> tuple[int, int]:
    """(right, expected) speakers for one text."""
    from routestatus.extract import extract
    from routestatus.quotes import normalise

    doc = nlp(text)
    persons = [e.text for e in doc.ents if e.label_ == "PERSON" and len(e.text.split()) > 1]
    by_quote = {normalise(c.quote): c for c in extract(text, published=published)}
    right = 0
    for r in rows:
        c = by_quote.get(normalise(r["quote"]))
        if c is not None and same_speaker(_speaker_of(doc, c.start, c.end, persons), r["speaker"]):
            right += 1
    return right, len(rows)


def main(pipeline: str = "en_core_web_sm") -> None:
    """Load the pipeline, score the seed and every fixture, print the figures."""
    t0 = time.perf_counter()
    import spacy

    t1 = time.perf_counter()
    nlp = spacy.load(pipeline)
    t2 = time.perf_counter()
    print(f"import spacy: {t1 - t0:.2f} s; load en_core_web_sm {nlp.meta.get('version')}: {t2 - t1:.2f} s")
    texts = [("seed", seed_text(), seed_rows(), SEED_PUBLISHED)]
    for name in fixture_names():
        text, doc = load_fixture(name)
        texts.append((name, text, doc["rows"], dt.date.fromisoformat(doc["published"])))
    total = [0, 0]
    for name, text, rows, published in texts:
        t = time.perf_counter()
        right, n = score_speakers(nlp, text, rows, published)
        total[0] += right
        total[1] += n
        print(f"{name}: speaker {right}/{n} = {right / n:.2f} ({time.perf_counter() - t:.2f} s)")
    print(f"all: speaker {total[0]}/{total[1]} = {total[0] / total[1]:.2f}")


if __name__ == "__main__":
    import sys

    main(*sys.argv[1:2])
