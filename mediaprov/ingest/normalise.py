"""Normalising a record before and after it is parsed: repaired text, valid text, plausible dates.

:func:`repair_text` is the first step of parsing a record: HTML character references left in
plain text (``&#8220;``, ``&apos;``) are decoded (:func:`unescape_entities`), and text that was
UTF-8 but was read as Windows-1252 or Latin-1 somewhere upstream ("Zorvan\u00c3\u00a2\u00e2\u201a\u00ac\u00e2\u201e\u00a2s"
for "Zorvan\u2019s") is decoded again by ftfy, before anything finds offsets in it.
:func:`normalise_article` is the last step (:mod:`mediaprov.ingest.pipeline`): it drops
characters no table can store, flags dates outside the plausible range (judged against the
ingest's ``as_of`` day) and says how many characters it had to remove.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from typing import Any

import ftfy
import pandas as pd
from ftfy.fixes import unescape_html

from mediaprov.ingest.dates import DATE_CONFIDENCE, MIN_YEAR, latest_year
from mediaprov.ingest.records import ParsedArticle

__all__ = ["ENTITY", "MOJIBAKE_CLUE", "normalise_article", "repair_mojibake", "repair_text", "unescape_entities",
           "valid_text"]

_CP1252_HIGH = "\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d" \
               "\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
MOJIBAKE_CLUE = re.compile(f"[\x80-\x9f]|[\xc2-\xf4][\x80-\xbf{_CP1252_HIGH}]")
"""What UTF-8 read as Windows-1252 or Latin-1 leaves: a C1 control character, or a lead byte
(\u00c2-\u00f4) followed by a continuation byte (0x80-0xBF as Latin-1 or Windows-1252 reads it).
Only text with such a pair is handed to ftfy: the check reads about 60 MB/s, ftfy's own
about 4 MB/s."""

ENTITY = re.compile(r"&#?[0-9A-Za-z]{1,24};")
"""An HTML character reference with its semicolon (``&amp;``, ``&#8217;``, ``&#x2019;``): the
only kind ftfy decodes, so ``R&D``, ``Q&A`` and ``?a=1&para=2`` stay as they are."""


_INVALID_CHARS = re.compile(r"[\ud800-\udfff]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TEXT_ATTRIBUTES = ("text", "title", "subtitle", "byline", "outlet_id", "outlet_evidence",
                    "credited_source", "credit_line", "language", "url", "date_source",
                    "date_flag")


def valid_text(value: str) -> tuple[str, int]:
    r"""``value`` as text any table can store, and the number of characters replaced.

    Lone surrogates become U+FFFD and control characters (other than tab and newlines) a space,
    so offsets do not move.

    Args:
        value: any text.

    Returns:
        The storable text (same length) and how many characters were replaced.

    Example:
        >>> valid_text("a\ud800b\x00c")
        ('a\ufffdb c', 2)
    """
    if value.isascii() and value.isprintable():
        return value, 0
    count = 0

    def _replace(match: re.Match) -> str:
        nonlocal count
        count += 1
        return " " if match.group() < "\x80" else "\ufffd"

    return _INVALID_CHARS.sub(_replace, value), count


def repair_mojibake(value: str) -> str:
    r"""``value`` with mojibake decoded again (``ftfy.fix_encoding``), or ``value`` itself.

    ftfy judges whether a sequence is mojibake and undoes one or more layers of it; it leaves
    correct text alone (accented names, Cyrillic, curly quotes). Only text that holds a
    :data:`MOJIBAKE_CLUE` is handed to it.

    Args:
        value: any text.

    Returns:
        The repaired text (it may be shorter), or ``value`` itself (the same object) when
        nothing was repaired.

    Example:
        >>> repair_mojibake("Zorvan\u00e2\u20ac\u2122s \u00e2\u20ac\u02dcreview\u00e2\u20ac\u2122")
        'Zorvan’s ‘review’'
        >>> repair_mojibake("Café Ñandú — «Zürich»")
        'Café Ñandú — «Zürich»'
    """
    if value.isascii() or MOJIBAKE_CLUE.search(value) is None:
        return value
    repaired = ftfy.fix_encoding(value)
    return value if repaired == value else repaired


def unescape_entities(value: str) -> str:
    r"""``value`` with its HTML character references decoded (``ftfy.fixes.unescape_html``).

    Plain-text fields of JSONL and CSV exports, and text scrapes, sometimes keep the escapes of
    the page they came from; a quotation mark written ``&#8220;`` hides the quote from
    :mod:`mediaprov.quotes`. Only references ending in a semicolon are decoded (:data:`ENTITY`).

    Args:
        value: any text.

    Returns:
        The decoded text, or ``value`` itself (the same object) when it holds no reference.

    Example:
        >>> unescape_entities("&#8220;We will not wait,&#8221; said Zorvan&#8217;s aide (R&D, Q&A)")
        '“We will not wait,” said Zorvan’s aide (R&D, Q&A)'
    """
    if "&" not in value or ENTITY.search(value) is None:
        return value
    decoded = unescape_html(value)
    return value if decoded == value else decoded


def repair_text(value: str) -> str:
    r"""``value`` with HTML character references decoded, then mojibake decoded again.

    The order of ``ftfy.fix_text``: a reference can spell out mojibake, never the other way.

    Args:
        value: any text.

    Returns:
        The repaired text, or ``value`` itself (the same object) when nothing was repaired.

    Example:
        >>> repair_text("Zorvan\u00e2\u20ac\u2122s &#8216;review&#8217;")
        'Zorvan’s ‘review’'
    """
    return repair_mojibake(unescape_entities(value))  # each returns its input itself when it changes nothing


def normalise_article(parsed: ParsedArticle, *, as_of: date | None = None) -> int:
    r"""Make one parsed article storable, in place; return the characters replaced.

    Text becomes valid UTF-8 (:func:`valid_text`), and dates outside the plausible range
    (before :data:`mediaprov.ingest.dates.MIN_YEAR` or after the year following ``as_of``, which
    also keeps them representable as nanosecond timestamps) are moved out of ``published`` into
    ``date_flag``.

    Args:
        parsed: the article, changed in place.
        as_of: the reference day (default: :func:`mediaprov.ingest.dates.reference_day`).

    Returns:
        The number of characters replaced.

    Example:
        >>> from datetime import timezone
        >>> article = ParsedArticle(text="Body\x00", published=datetime(2263, 1, 1, tzinfo=timezone.utc),
        ...                         date_source="marker", date_confidence=0.95)
        >>> normalise_article(article), article.published, article.date_flag
        (1, None, 'implausible year 2263: 2263-01-01')
        >>> article = ParsedArticle(text="Body", published=datetime(2022, 1, 5, tzinfo=timezone.utc))
        >>> _ = normalise_article(article, as_of=date(2020, 6, 1)); article.date_flag
        'implausible year 2022: 2022-01-05'
    """
    replaced = 0
    for name in _TEXT_ATTRIBUTES:
        value = getattr(parsed, name)
        if isinstance(value, str):
            clean, count = valid_text(value)
            if count:
                setattr(parsed, name, clean)
                replaced += count
        elif value is not None:
            setattr(parsed, name, str(value))
    if parsed.chrome_lines:
        lines = []
        for line in parsed.chrome_lines:
            clean, count = valid_text(str(line))
            lines.append(clean)
            replaced += count
        parsed.chrome_lines = lines
    problem = _implausible(parsed.published, as_of=as_of)
    if problem:
        parsed.published, parsed.date_flag = None, problem
        parsed.date_source, parsed.date_confidence = "none", DATE_CONFIDENCE.get("none", 0.0)
    if _implausible(parsed.page_date, as_of=as_of):
        parsed.page_date = None
    for index, embed in enumerate(parsed.embeds):
        if _implausible(getattr(embed, "posted", None), as_of=as_of):
            parsed.embeds[index] = dataclasses.replace(embed, posted=None)
        for name in ("author", "handle"):
            value = getattr(parsed.embeds[index], name, None)
            if isinstance(value, str):
                clean, count = valid_text(value)
                if count:
                    parsed.embeds[index] = dataclasses.replace(parsed.embeds[index], **{name: clean})
                    replaced += count
    return replaced


def _implausible(value: Any, *, as_of: date | None = None) -> str | None:
    """Why a date cannot be a publication date here (year out of range for ``as_of``), else ``None``."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    try:
        year = value.year
    except AttributeError:
        return f"not a date: {str(value)[:40]}"
    latest = latest_year(as_of)
    if MIN_YEAR <= year <= latest:
        try:
            pd.Timestamp(value)
        except (ValueError, OverflowError, TypeError):
            return f"unrepresentable date: {str(value)[:40]}"
        return None
    shown = value.date().isoformat() if isinstance(value, datetime) else str(value)[:40]
    return f"implausible year {year}: {shown}"
