"""One reading of a typed day everywhere: links, snapshot --from, extract --published."""

import datetime as dt

import numpy as np
import pytest

from routestatus.cli import main
from routestatus.isodate import as_days, parse_day
from routestatus.load import load_dataset
from routestatus.paths import PROJECT_ROOT, Root
from routestatus.view import Options, parse

ARTICLE = PROJECT_ROOT / "tests" / "fixtures" / "articles" / "dates.txt"
WORDS = "is not a date in the form YYYY-MM-DD (for example 2023-09-19)"


@pytest.fixture(scope="module")
def options() -> Options:
    return Options.of(load_dataset(Root(PROJECT_ROOT)))


@pytest.mark.parametrize("text", ["20230913", "2023-W37-3", "2023-256", "2023-9-13", "2023-09-31", " 2023-09-13"])
def test_other_forms_are_refused_in_the_same_words_everywhere(text, options, capsys, tmp_path):
    assert parse_day(text) is None
    _, notices = parse({"from": text}, options)
    assert [str(n) for n in notices] == [f"The link's start of the range {text!r} {WORDS}. It was ignored."]
    assert main(["snapshot", "--from", text, "--out", str(tmp_path / "x.zip")]) == 2
    assert capsys.readouterr().err.strip() == f"error: --from {text!r} {WORDS}"
    assert main(["extract", str(ARTICLE), "--published", text]) == 2
    assert capsys.readouterr().err.strip() == f"extract: --published {text!r} {WORDS}"
    assert not (tmp_path / "x.zip").exists()


def test_the_one_form_is_taken(options):
    assert parse_day("2023-09-13") == dt.date(2023, 9, 13)
    choice, notices = parse({"from": "2023-09-13"}, options)
    assert choice.start == dt.date(2023, 9, 13) and not notices


def test_days_from_their_ordinals_are_numpys_own():
    days = [dt.date(2023, 9, 19), None, dt.date(1969, 12, 31), dt.date(1, 1, 1), dt.date(9999, 12, 31)]
    days.append(dt.datetime(2023, 9, 19, 23, 59))  # a datetime is its day
    expected = np.array([np.datetime64("NaT") if d is None else d for d in days], dtype="datetime64[D]")
    assert as_days(days).dtype == expected.dtype
    assert np.array_equal(as_days(days), expected, equal_nan=True)
    assert as_days(iter([])).dtype == np.dtype("datetime64[D]")
