"""Synthetic data directories for the benchmarks: the curated data grown to N events.

``generate(out_dir, n_events)`` writes a folder holding ``data/``, ``geo/`` and ``seeds/``
that ``python -m routestatus --root DIR validate`` accepts:

- ``geo/``, ``seeds/`` and every file of ``data/`` except the two grown tables are copied
  unchanged (so ``anchors.json`` and the map layers stay in step with them);
- ``events.csv`` holds ``n_events`` events: the curated ones first, then synthetic rows;
- ``statements.csv`` holds ``n_events // 10`` statements (never fewer than the curated
  ones): the curated ones first, unchanged, then synthetic rows.

Synthetic rows follow the codebook: dates from 2020-11-10 to 2023-11-23 (denser during the
2022-2023 blockade), month-precision dates on the 1st, end dates after start dates, a
status only on a road (never on ``none``) and only on a small share of events, places and
sources taken from the curated tables (sources without an archived copy, so no quote needs
to be found in ``seeds/``), summaries and quotes of realistic length with Armenian,
Azerbaijani and Russian words. Event ids are ``E`` + six digits (more when N needs them),
the curated events keep their numbers; statement ids continue the curated ``S001``... so
``anchors.json`` still matches. The same ``seed`` gives the same bytes.

Command line::

    python benchmarks/generate.py --events 100000 --out /tmp/rs-100k
    python benchmarks/generate.py --events curated --out /tmp/rs-curated
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import shutil
import sys
import time
from bisect import bisect_right
from itertools import accumulate
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
COPIED_DATA = ("datapackage.json", "README.md", "sources.csv", "places.csv", "alignments.csv", "anchors.json")
CURATED = "curated"

FIRST_DAY = dt.date(2020, 11, 10)  # the ceasefire statement: the record's first day
LAST_DAY = dt.date(2023, 11, 23)  # the record's last day; nothing is dated after it
BLOCKADE = (dt.date(2022, 12, 12), dt.date(2023, 10, 15))  # where most reporting falls
BLOCKADE_SHARE = 0.5
STATUS_SHARE = 0.01  # events that change a road's status
PLACED_SHARE = 0.4  # events tied to a mapped place
SPAN_SHARE = 0.08  # events with an end date
NOTE_SHARE = 0.2
RETRACTED_SHARE = 0.005
STATEMENTS_PER_EVENT = 10

ROUTES = {"lachin": 55, "aghdam_askeran": 15, "both": 10, "none": 20}
PRECISIONS = {"day": 88, "approximate": 9, "month": 3}
CONFIDENCE = {"high": 50, "medium": 40, "low": 10}
EVENT_TYPES = {
    "other": 12,
    "humanitarian_passage": 10,
    "utility_cut": 6,
    "detention": 5,
    "protest_blockade": 5,
    "delivery": 6,
    "exodus": 3,
    "alignment_change": 1,
    "court_order": 2,
    "aid_convoy_held": 5,
    "agreement": 1,
    "reopening": 2,
    "incident": 4,
    "suspension": 3,
    "checkpoint": 3,
    "military_operation": 1,
    "ceasefire": 1,
}
STATUSES = {"open": 15, "restricted": 25, "humanitarian_only": 30, "closed": 20, "outbound_only": 5, "unknown": 5}
STATEMENT_ROUTES = {"lachin": 50, "aghdam_askeran": 15, "lachin;aghdam_askeran": 15, "": 20}
LANGUAGES = {"en": 85, "ru": 7, "hy": 4, "az": 4}

ROAD_WORDS = {
    "lachin": "the Lachin corridor (Լաչինի միջանցք, Laçın dəhlizi, Лачинский коридор)",
    "aghdam_askeran": "the Aghdam–Askeran road (Ակնա–Ասկերան, Ağdam–Əsgəran yolu, дорога Агдам–Аскеран)",
    "both": "both roads (երկու ճանապարհ, hər iki yol, обе дороги)",
    "none": "Stepanakert (Ստեփանակերտ, Xankəndi, Степанакерт)",
}
EVENT_WORDS = {
    "agreement": "an arrangement for passage is announced",
    "alignment_change": "traffic is moved to another course of the road",
    "protest_blockade": "protesters sit in across the carriageway",
    "checkpoint": "the checkpoint changes its inspection regime",
    "suspension": "passage is suspended for all vehicles",
    "humanitarian_passage": "an ICRC convoy transfers patients for treatment",
    "aid_convoy_held": "trucks with flour and medicine are held at the roadside",
    "delivery": "a humanitarian delivery of food and fuel arrives",
    "court_order": "a court order on free movement is reported",
    "utility_cut": "gas and electricity supply is cut for several hours",
    "military_operation": "shelling is reported near the road",
    "ceasefire": "a ceasefire is reported to hold",
    "exodus": "cars and buses leave in a long queue",
    "detention": "a passenger is detained during an inspection",
    "reopening": "the road reopens for some traffic",
    "incident": "shots are reported close to the road",
    "other": "officials meet to discuss the movement of people and goods",
}
QUOTE_OPENINGS = (
    "We call for the immediate restoration of free and safe movement of people, vehicles and cargo",
    "The humanitarian situation of the population is deteriorating day by day and requires urgent attention",
    "Any attempt to use the road for purposes other than those agreed is unacceptable to our side",
    "Our teams continue to facilitate the transfer of patients in need of medical care across the line",
    "The parties must refrain from steps that increase tensions and must return to dialogue without delay",
    "We remain ready to provide humanitarian assistance through all available routes, including new ones",
)
QUOTE_MIDDLES = (
    "along the Lachin corridor in both directions",
    "on the road through Aghdam and Askeran",
    "for the residents of Stepanakert and the villages",
    "without new checkpoints or other obstacles",
)
QUOTE_ENDINGS = (
    "and we will keep raising this issue with all the partners involved.",
    "as the obligations undertaken in the trilateral statement clearly require.",
    "so that families are not separated and essential goods reach those who need them.",
    "in line with the order of the International Court of Justice.",
    "and we urge the sides to refrain from rhetoric that makes it harder.",
)
FOREIGN_QUOTES = {
    "ru": (
        "Мы призываем стороны обеспечить беспрепятственное движение граждан, транспорта и грузов "
        "по Лачинскому коридору в обоих направлениях в соответствии с трехсторонним заявлением "
        "от 9 ноября 2020 года, и продолжим работу в этом направлении."
    ),
    "hy": (
        "Լաչինի միջանցքի շրջափակումը խախտում է 2020 թվականի նոյեմբերի 9-ի եռակողմ հայտարարությունը, "
        "և մենք կոչ ենք անում անհապաղ վերականգնել մարդկանց, տրանսպորտային միջոցների և բեռների "
        "ազատ տեղաշարժը երկու ուղղությամբ։"
    ),
    "az": (
        "Laçın yolu humanitar yüklərin daşınması üçün açıqdır və Ağdam–Əsgəran yolu vasitəsilə də "
        "yardımın çatdırılmasına hazırıq; bu yolun başqa məqsədlər üçün istifadəsinə isə yol verilməyəcək, "
        "dedi nümayəndə."
    ),
}
NOTES = (
    "Two reports give dates a day apart; followed the earlier dated report.",
    "Only one source read; the count of vehicles is the source's own estimate.",
    "The source names the place in Russian only (Лачин); matched to the mapped town.",
    "Synthetic benchmark row: not a real event.",
)


def _picker(rng: random.Random, weights: dict[str, int]):
    """A function drawing ``k`` values of ``weights`` by their weights (fast: one bisect each)."""
    values = list(weights)
    cum = list(accumulate(weights.values()))
    total = cum[-1]

    def draw(k: int) -> list[str]:
        return [values[bisect_right(cum, rng.random() * total)] for _ in range(k)]

    return draw


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write as the curated files are: UTF-8 without BOM, LF, minimal RFC 4180 quoting."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def _days(rng: random.Random, k: int) -> list[dt.date]:
    """``k`` days over the record, half of them in the blockade months."""
    every = [FIRST_DAY + dt.timedelta(days=d) for d in range((LAST_DAY - FIRST_DAY).days + 1)]
    blockade = every[(BLOCKADE[0] - FIRST_DAY).days : (BLOCKADE[1] - FIRST_DAY).days + 1]
    rnd = rng.random
    return [
        blockade[int(rnd() * len(blockade))] if rnd() < BLOCKADE_SHARE else every[int(rnd() * len(every))]
        for _ in range(k)
    ]


def _dated(day: dt.date, precision: str) -> tuple[dt.date, str]:
    """The day as stored: the 1st for month precision (unless that falls before the record)."""
    if precision == "month":
        first = day.replace(day=1)
        return (first, precision) if first >= FIRST_DAY else (day, "day")
    return day, precision


def _summary(rng: random.Random, event_type: str, route: str, place: dict[str, str] | None) -> str:
    where = (
        f"near {place['name_en']} ({place['name_hy']}, {place['name_az']}, {place['name_ru']})"
        if place
        else f"on {ROAD_WORDS[route]}"
    )
    people = 2 + int(rng.random() * 400)
    return f"{EVENT_WORDS[event_type].capitalize()} {where}; {people} people are affected, reports say."


def _events(rng: random.Random, n: int, curated: list[dict[str, str]], places, sources) -> list[list[str]]:
    width = max(6, len(str(n)))
    rows = [[f"E{int(r['event_id'][1:]):0{width}d}", *list(r.values())[1:]] for r in curated[:n]]
    k = n - len(rows)
    if k <= 0:
        return rows
    routes, types = _picker(rng, ROUTES)(k), _picker(rng, EVENT_TYPES)(k)
    precisions, confidence = _picker(rng, PRECISIONS)(k), _picker(rng, CONFIDENCE)(k)
    statuses, days = _picker(rng, STATUSES), _days(rng, k)
    rnd, n_places, n_sources = rng.random, len(places), len(sources)
    first = len(rows) + 1
    for i in range(k):
        route, event_type = routes[i], types[i]
        start, precision = _dated(days[i], precisions[i])
        end = ""
        if precision != "month" and rng.random() < SPAN_SHARE:
            last = min(start + dt.timedelta(days=1 + int(rnd() * 20)), LAST_DAY)
            end = last.isoformat() if last > start else ""
        place = places[int(rnd() * n_places)] if rnd() < PLACED_SHARE else None
        status = statuses(1)[0] if route != "none" and rnd() < STATUS_SHARE else ""
        cited = ";".join(sorted({sources[int(rnd() * n_sources)] for _ in range(1 + int(rnd() * 3))}))
        retracted = rnd() < RETRACTED_SHARE
        note = "Retracted: the only source was withdrawn." if retracted else ""
        if not note and rnd() < NOTE_SHARE:
            note = rng.choice(NOTES)
        rows.append(
            [
                f"E{first + i:0{width}d}",
                start.isoformat(),
                end,
                precision,
                route,
                place["place_id"] if place else "",
                event_type,
                status,
                _summary(rng, event_type, route, place),
                cited,
                confidence[i],
                "true" if retracted else "false",
                note,
            ]
        )
    return rows


def _quote(rng: random.Random, language: str) -> str:
    if language != "en":
        return FOREIGN_QUOTES[language]
    return f"{rng.choice(QUOTE_OPENINGS)} {rng.choice(QUOTE_MIDDLES)}, {rng.choice(QUOTE_ENDINGS)}"


def _statements(rng: random.Random, n: int, curated: list[dict[str, str]], sources) -> list[list[str]]:
    rows = [list(r.values()) for r in curated]
    k = n - len(rows)
    if k <= 0:
        return rows
    people = sorted({(r["speaker"], r["role"], r["organisation"]) for r in curated})
    routes, languages = _picker(rng, STATEMENT_ROUTES)(k), _picker(rng, LANGUAGES)(k)
    precisions, days = _picker(rng, PRECISIONS)(k), _days(rng, k)
    first = len(rows) + 1
    for i in range(k):
        day, precision = _dated(days[i], precisions[i])
        speaker, role, organisation = rng.choice(people)
        retracted = rng.random() < RETRACTED_SHARE
        note = "Retracted: misattributed in the source." if retracted else ""
        if not note and rng.random() < NOTE_SHARE:
            note = "Translated by the publisher; the original wording was not seen."
        rows.append(
            [
                f"S{first + i:03d}",
                day.isoformat(),
                precision,
                f"report dated {day.isoformat()} says it was said '{day.strftime('%A')}'",
                speaker,
                role,
                organisation,
                routes[i],
                rng.choice(CLAIMS) if routes[i] else "none",
                _quote(rng, languages[i]),
                languages[i],
                rng.choice(sources),
                "primary" if rng.random() < 0.3 else "secondary",
                "true" if retracted else "false",
                note,
            ]
        )
    return rows


# Claims for synthetic statements that name a road (see the codebook's claim section).
CLAIMS = ("calls_to_open", "says_restricted", "says_blocked", "describes_conditions")


def generate(out_dir: Path, n_events: int | str, seed: int = 0) -> Path:
    """Write a data folder with ``n_events`` events (``"curated"`` or 0: the curated data as is).

    Returns ``out_dir``. Raises ``ValueError`` for a count below the curated events'.
    """
    out_dir = Path(out_dir)
    data = out_dir / "data"
    data.mkdir(parents=True, exist_ok=True)
    for folder in ("geo", "seeds"):
        shutil.copytree(PROJECT / folder, out_dir / folder, dirs_exist_ok=True)
    for name in COPIED_DATA:
        shutil.copyfile(PROJECT / "data" / name, data / name)
    if n_events in (CURATED, 0, "0"):
        for name in ("events.csv", "statements.csv"):
            shutil.copyfile(PROJECT / "data" / name, data / name)
        return out_dir
    n = int(n_events)
    event_header, curated_events = _read(PROJECT / "data" / "events.csv")
    statement_header, curated_statements = _read(PROJECT / "data" / "statements.csv")
    if n < len(curated_events):
        raise ValueError(f"n_events must be 0, 'curated' or at least {len(curated_events)} (the curated events)")
    _, places = _read(PROJECT / "data" / "places.csv")
    _, source_rows = _read(PROJECT / "data" / "sources.csv")
    # Pages events and statements can cite: not archived, and not the coordinate or name checks of places.
    sources = sorted(
        r["source_id"]
        for r in source_rows
        if not r["archived_copy"] and not r["source_id"].startswith(("coord-", "names-"))
    )
    rng = random.Random(seed)
    _write(data / "events.csv", event_header, _events(rng, n, curated_events, places, sources))
    n_statements = max(n // STATEMENTS_PER_EVENT, len(curated_statements))
    _write(data / "statements.csv", statement_header, _statements(rng, n_statements, curated_statements, sources))
    return out_dir


def main(argv: list[str] | None = None) -> int:
    """Command line: ``--events N|curated --out DIR [--seed S]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", required=True, help="number of events, or 'curated' for the curated data")
    parser.add_argument("--out", required=True, type=Path, help="folder to write data/, geo/ and seeds/ into")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        generate(args.out, args.events if args.events == CURATED else int(args.events), args.seed)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"wrote {args.out} in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
