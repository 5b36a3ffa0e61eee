"""The CSV writer: the bytes Python's csv module writes over the same cells, for every table and any text."""

import random

import numpy as np
import pandas as pd
import pytest

from routestatus.export import FORMULA_STARTS, csv_bytes, csv_module_bytes
from routestatus.schema import Field, Table
from routestatus.snapshot import TABLES
from routestatus.status import build_intervals
from routestatus.view import Choice, View, table_schema

# Every character the quoting and the apostrophe rule look at, with text in the region's scripts.
PIECES = [*FORMULA_STARTS, "'", ",", '"', "\n", "\r\n", " ", "a", "Լաչին", "Laçın", "Лачин", "", ";", "\u2013"]


def views(dataset):
    """The whole record, a narrow range on one road, and a search that leaves no event."""
    default = View.default(dataset, build_intervals(dataset.tables["events"]))
    start, end = default.options.bounds
    middle = start + (end - start) / 2
    choices = [
        default.choice,
        Choice(middle, middle + (end - start) / 20, roads=("lachin",)).fit(default.options),
        Choice(start, end, q="zqxjkvw").fit(default.options),
    ]
    return [View(dataset, default.intervals, c, default.options) for c in choices]


@pytest.mark.parametrize("which", ["curated", "generated"])
def test_every_table_is_written_as_the_csv_module_writes_it(which, data, generated):
    dataset = data if which == "curated" else generated
    for v in views(dataset):
        for name in TABLES:
            table, frame = table_schema(dataset, name), v.table(name)
            assert csv_bytes(table, frame) == csv_module_bytes(table, frame), (which, name, len(frame))


def test_random_text_numbers_dates_and_blanks_are_written_as_the_csv_module_writes_them():
    rng = random.Random(7)
    n = 400
    texts = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 6))) for _ in range(n)]
    table = Table(
        "t",
        "t.csv",
        (
            Field("text", "string"),
            Field("more", "string"),
            Field("n", "integer"),
            Field("x", "number"),
            Field("day", "date"),
            Field("flag", "boolean", true_values=("true",), false_values=("false",)),
        ),
        ("text",),
    )
    days = pd.to_datetime([f"2023-0{1 + i % 9}-1{i % 10}" for i in range(n)]).astype("datetime64[us]").to_series()
    frame = pd.DataFrame(
        {
            "text": pd.array([t if i % 11 else None for i, t in enumerate(texts)], dtype="string"),
            "more": pd.array(list(reversed(texts)), dtype="string"),
            "n": pd.array([None if i % 7 == 0 else i - 200 for i in range(n)], dtype="Int64"),
            "x": [np.nan if i % 5 == 0 else (i - 200) / 8 for i in range(n)],
            "day": days.where(np.arange(n) % 3 != 0).to_numpy(),
            "flag": pd.array([None if i % 4 == 0 else bool(i % 2) for i in range(n)], dtype="boolean"),
        }
    )
    raw = csv_bytes(table, frame)
    assert raw == csv_module_bytes(table, frame)
    assert b'"' in raw and b"'=" in raw and "Լաչին".encode() in raw  # the cases were there to be written
    # Text held as plain Python objects rather than Arrow gives the same bytes.
    plain = frame.astype({"text": object, "more": object})
    assert csv_bytes(table, plain) == raw
    assert csv_bytes(table, frame.iloc[:0]) == csv_module_bytes(table, frame.iloc[:0])
    one = Table("one", "one.csv", (Field("text", "string"),), ("text",))
    blank = pd.DataFrame({"text": pd.array(["", None, "a,b"], dtype="string")})
    assert csv_bytes(one, blank) == csv_module_bytes(one, blank)
