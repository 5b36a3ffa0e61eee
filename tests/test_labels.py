"""Dates in words: the column form gives exactly the texts of the one-value form."""

import random

import numpy as np
import pandas as pd

from routestatus.labels import show_date, show_dates


def test_show_dates_is_show_date_for_every_row():
    rng = random.Random(5)
    days = pd.Series(
        [
            pd.NaT if rng.random() < 0.1 else pd.Timestamp("2020-01-01") + pd.Timedelta(days=rng.randrange(3000))
            for _ in range(3000)
        ],
        dtype="datetime64[us]",
    )
    precisions = pd.Series([rng.choice(["day", "month", "approximate"]) for _ in range(3000)], dtype="string")
    assert show_dates(days, precisions) == [show_date(d, p) for d, p in zip(days, precisions, strict=True)]
    # A slice of a larger frame, and plain numpy input, give the same.
    assert show_dates(days.iloc[100:200], precisions.iloc[100:200].to_numpy()) == [
        show_date(d, p) for d, p in zip(days.iloc[100:200], precisions.iloc[100:200], strict=True)
    ]


def test_show_dates_of_nothing_and_of_missing_days():
    assert show_dates(pd.Series([], dtype="datetime64[us]"), []) == []
    assert show_dates(np.array(["NaT", "2023-09-19"], dtype="datetime64[us]"), ["month", "month"]) == ["", "2023-09"]
    assert show_dates(pd.Series([pd.Timestamp("2023-09-19")]), ["approximate"]) == ["≈ 2023-09-19"]
