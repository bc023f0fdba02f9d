"""Date parsing: complete dates only, bad structured dates flagged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mediaprov.ingest.dates import parse_full_date, parse_structured_date, parse_timestamp


@pytest.mark.parametrize("text, iso", [
    ("Wednesday, June 19, 2024", "2024-06-19"), ("January 22, 2022", "2022-01-22"),
    ("22 January 2022", "2022-01-22"), ("2021-02-21", "2021-02-21"), ("Sept. 3, 2020", "2020-09-03"),
    ("Mon, 4 Jan 2021", "2021-01-04"), ("3rd March 2021", "2021-03-03"),
])
def test_full_dates_parse(text, iso):
    assert parse_full_date(text).date().isoformat() == iso


@pytest.mark.parametrize("text", ["July 12", "Thursday", "November last year", "2021", "", "June 31, 2022"])
def test_incomplete_or_impossible_dates_give_nothing(text):
    assert parse_full_date(text) is None


def test_whole_line_versus_search():
    sentence = "The meeting on January 22, 2022 was short."
    assert parse_full_date(sentence) is None
    assert parse_full_date(sentence, whole=False).day == 22


@pytest.mark.parametrize("value, flag_start", [
    ("", "empty date"), (None, "empty date"), ("9/6/17", "ambiguous short date"),
    ("0001-01-01", "implausible year 1"), ("2050-05-05", "implausible year 2050"),
    ("next tuesday-ish", "unparseable date"),
])
def test_bad_structured_dates_are_flagged(value, flag_start):
    stamp, flag = parse_structured_date(value, max_year=2030)
    assert stamp is None and flag.startswith(flag_start)


def test_good_structured_dates_are_utc():
    stamp, flag = parse_structured_date("2022-03-04T09:30:00+02:00")
    assert flag is None and stamp == datetime(2022, 3, 4, 7, 30, tzinfo=UTC)
    assert parse_structured_date(datetime(2020, 1, 2))[0].tzinfo is not None
    assert parse_timestamp("2022-03-04").isoformat() == "2022-03-04T00:00:00+00:00"
