"""Dates: parse what inputs write, and refuse what cannot be trusted.

Two rules run through this module:

* A date is a publication date only when it comes with a day, a month and a year. A bare
  "July 12" or "Thursday" is an event reference, never completed with a guessed year, and never
  replaced by "today".
* A date in a structured field is checked for plausibility: empty, unparseable, ambiguous
  (``9/6/17``: September 6 or June 9, 2017?) and out-of-range years (``0001``, ``2050``) give no
  date and a *flag* saying why, so that the record is kept and the problem is visible.

"Out of range" is judged against a reference day, ``as_of`` (:func:`reference_day`): years after
``as_of.year + 1`` are implausible, and page dates after ``as_of`` are not taken; ``dateparser``
too is given ``as_of`` as its reference time instead of the clock. An ingest run fixes that day
once (default: the day it runs) and records it, so that the same files give the same dates
whenever they are ingested again with it (:func:`judging_as_of`).

Fast paths (ISO dates, "June 19, 2024", "19 June 2024") use the standard library; anything else
falls back to ``dateparser`` in strict mode (day, month and year required).

Example:
    >>> parse_full_date("Wednesday, June 19, 2024").date().isoformat()
    '2024-06-19'
    >>> parse_full_date("July 12") is None
    True
    >>> parse_structured_date("9/6/17")
    (None, 'ambiguous short date: 9/6/17')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time

import pandas as pd

DATE_CONFIDENCE: dict[str, float] = {
    "marker": 0.95, "html-meta": 0.9, "structured": 0.9, "byline": 0.9, "footer": 0.8,
    "html-byline": 0.7, "url": 0.6, "page-chrome": 0.0, "none": 0.0,
}
"""How much each date source is trusted (0..1); ``page-chrome`` dates are never used."""

MIN_YEAR = 1990
"""Earliest plausible publication year for online news (structured dates before it are flagged)."""

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1)
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+"
_ISO = re.compile(r"(?P<year>\d{4})-(?P<num_month>\d{1,2})-(?P<day>\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_MDY = re.compile(rf"(?:{_WEEKDAY})?{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})", re.I)
_DMY = re.compile(rf"(?:{_WEEKDAY})?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})", re.I)
_SHORT_NUMERIC = re.compile(r"\d{1,2}[/.]\d{1,2}[/.]\d{2}")
_HAS_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")

_DATEPARSER_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"], "STRICT_PARSING": True,
    "RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": "UTC", "TO_TIMEZONE": "UTC",
    "PREFER_DATES_FROM": "past",
}


_AS_OF: ContextVar[date | None] = ContextVar("mediaprov_dates_as_of", default=None)
"""The reference day set by :func:`judging_as_of` for the code that runs inside it."""


def _today() -> date:
    """The day on the clock: the only place date checks read it (tests monkeypatch this)."""
    return date.today()


def reference_day(as_of: date | None = None) -> date:
    """The day dates are judged against: dates after it cannot be publication dates.

    Args:
        as_of: the day given explicitly; wins over everything else.

    Returns:
        ``as_of`` when given, else the day set by an enclosing :func:`judging_as_of` (an ingest
        run sets it), else today.

    Example:
        >>> reference_day(date(2020, 6, 1))
        datetime.date(2020, 6, 1)
        >>> with judging_as_of(date(2019, 1, 2)):
        ...     reference_day()
        datetime.date(2019, 1, 2)
    """
    if as_of is not None:
        return as_of.date() if isinstance(as_of, datetime) else as_of
    return _AS_OF.get() or _today()


def latest_year(as_of: date | None = None) -> int:
    """The latest plausible publication year: the year after the reference day's.

    Args:
        as_of: the reference day (default: :func:`reference_day`).

    Returns:
        ``reference_day(as_of).year + 1``.

    Example:
        >>> latest_year(date(2020, 6, 1))
        2021
    """
    return reference_day(as_of).year + 1


@contextmanager
def judging_as_of(as_of: date | None) -> Iterator[date]:
    """Judge every date checked inside the block against ``as_of`` (``None``: today, fixed now).

    Code that is not handed ``as_of`` (the HTML and WARC readers call
    :func:`mediaprov.ingest.html.extract_html` without it) then uses the same day as the run.

    Args:
        as_of: the reference day.

    Returns:
        A context manager that yields the day in force.

    Example:
        >>> with judging_as_of(date(2020, 6, 1)) as day:
        ...     parse_structured_date("2022-01-05")
        (None, 'implausible year 2022: 2022-01-05')
    """
    day = reference_day(as_of)
    token = _AS_OF.set(day)
    try:
        yield day
    finally:
        _AS_OF.reset(token)


def _utc(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def parse_full_date(text: str, *, whole: bool = True, as_of: date | None = None) -> datetime | None:
    """Parse a date that has a day, a month and a year; return it at midnight UTC.

    Args:
        text: the date as written ("June 19, 2024", "19 June 2024", "2024-06-19", "Wed, 19 Jun
            2024"). ISO timestamps keep only their date; use :func:`parse_timestamp` for times.
        whole: when True the text must be only the date (surrounding spaces and punctuation
            allowed); when False the first full date inside the text is taken.
        as_of: the reference time handed to ``dateparser`` instead of the clock (default:
            :func:`reference_day`); dates without a four-digit year are refused before that.

    Returns:
        A timezone-aware UTC datetime, or ``None`` when no complete date is there.

    Example:
        >>> parse_full_date("Posted on January 22, 2022 by staff", whole=False).day
        22
        >>> parse_full_date("19 Jun 24") is None  # a two-digit year is not a full date
        True
    """
    candidate = text.strip().strip(" .,;|-–—")
    if not candidate or not _HAS_YEAR.search(candidate):
        return None
    for pattern in (_ISO, _MDY, _DMY):
        match = pattern.fullmatch(candidate) if whole else pattern.search(candidate)
        if match:
            parts = match.groupdict()
            month = int(parts["num_month"]) if parts.get("num_month") else _MONTHS[parts["month"].lower()]
            return _utc(int(parts["year"]), month, int(parts["day"]))
    if not whole or len(candidate) > 40:
        return None
    import dateparser  # slow import, only needed for unusual formats

    settings = {**_DATEPARSER_SETTINGS, "RELATIVE_BASE": datetime.combine(reference_day(as_of), time())}
    parsed = dateparser.parse(candidate, languages=["en"], settings=settings)
    return parsed.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0) if parsed else None


def parse_timestamp(text: str, *, as_of: date | None = None) -> datetime | None:
    """Parse an ISO 8601 timestamp or full date (as HTML metadata and feeds give it) to UTC.

    Naive timestamps are taken as UTC. Returns ``None`` when the text has no full date.

    Args:
        text: the timestamp or date as written.
        as_of: the reference day handed to :func:`parse_full_date`.

    Returns:
        A timezone-aware UTC datetime, or ``None``.

    Example:
        >>> parse_timestamp("2022-03-04T09:30:00+02:00").isoformat()
        '2022-03-04T07:30:00+00:00'
    """
    candidate = text.strip()
    if _ISO.fullmatch(candidate):
        try:
            stamp = pd.Timestamp(candidate)
        except ValueError:
            return None
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
        return stamp.to_pydatetime()
    return parse_full_date(candidate, as_of=as_of)


def parse_structured_date(
    value: object, *, min_year: int = MIN_YEAR, max_year: int | None = None, as_of: date | None = None
) -> tuple[datetime | None, str | None]:
    """Parse a date from a structured field (JSONL, CSV, HTML metadata) with a plausibility check.

    Args:
        value: the field as read (string, number, datetime or missing).
        min_year: earliest plausible year; earlier dates are flagged.
        max_year: latest plausible year (default: the year after ``as_of``).
        as_of: the reference day (default: :func:`reference_day`, the ingest run's day or today).

    Returns:
        ``(datetime in UTC, None)`` for a good date, or ``(None, flag)`` where ``flag`` says why
        the value was rejected (``None`` flag too when the field is simply empty).

    Example:
        >>> parse_structured_date("0001-01-01")
        (None, 'implausible year 1: 0001-01-01')
        >>> parse_structured_date("")
        (None, 'empty date')
        >>> parse_structured_date("2022-01-05", as_of=date(2020, 6, 1))
        (None, 'implausible year 2022: 2022-01-05')
    """
    latest = max_year if max_year is not None else latest_year(as_of)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None, "empty date"
    if isinstance(value, datetime):
        stamp: datetime | None = value if value.tzinfo else value.replace(tzinfo=UTC)
        written = value.isoformat()
    else:
        written = str(value).strip()
        if not written:
            return None, "empty date"
        if _SHORT_NUMERIC.fullmatch(written):
            return None, f"ambiguous short date: {written}"
        year_match = re.match(r"(\d{4})-\d{1,2}-\d{1,2}", written)
        if year_match and not min_year <= int(year_match.group(1)) <= latest:
            return None, f"implausible year {int(year_match.group(1))}: {written}"
        stamp = parse_timestamp(written, as_of=as_of)
    if stamp is None:
        return None, f"unparseable date: {written[:40]}"
    if not min_year <= stamp.year <= latest:
        return None, f"implausible year {stamp.year}: {written[:40]}"
    return stamp.astimezone(UTC), None
