"""Main text and metadata of one HTML page, via trafilatura (called once per page).

:func:`extract_html` is shared by the HTML reader and the WARC reader. It returns the canonical
fields of :mod:`mediaprov.ingest.records`: ``title``, ``text`` (paragraphs separated by a blank
line), ``date``, ``date_source``, ``url``, ``outlet``, ``author``, ``language``, ``description``,
plus ``page_date`` when a date was seen only in the page body.

Dates are taken conservatively. trafilatura hands date finding to htmldate; we call it with
``extensive_search=False`` (no free-text guessing), ``original_date=True`` (publication, not
modification, date) and ``deferred_url_extractor=True`` (page markup before URL patterns). The
date is then classified by where its value occurs in the page:

* in a ``<meta>`` tag, JSON-LD (``datePublished``...) or a ``<time datetime>`` attribute:
  ``date_source="html-meta"``;
* only in the URL (``/2024/03/05/``): ``date_source="url"``, a guess;
* anywhere else (a date-like string in the body or chrome): it is NOT reported as ``date`` but
  kept as ``page_date`` (never the publication date), with ``date_source="none"``.

When markup gives no date (or only the URL does), a full date printed in the byline area, between
the headline (``</h1>``) and the first body paragraph, is taken (:func:`byline_date`,
``date_source="html-byline"``, confidence 0.7): never a date above the headline (the page header's crawl date), inside
the body (an embedded post's or an event's date) or labelled "Updated".

trafilatura's ``filedate`` (the crawl or run date, i.e. today) is never used. Dates after the
reference day ``as_of`` (:func:`mediaprov.ingest.dates.reference_day`: the ingest run's recorded
day, else today) are not taken, so a page gives the same date whenever it is ingested with that day.

Example:
    >>> page = ('<html><head><meta property="article:published_time" content="2024-03-05">'
    ...         '</head><body><article><p>' + 'The fictional council met on Tuesday. ' * 5 +
    ...         '</p></article></body></html>')
    >>> fields = extract_html(page)
    >>> fields["date"], fields["date_source"]
    ('2024-03-05', 'html-meta')
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import trafilatura
from lxml import etree
from trafilatura.settings import Document

from mediaprov.ingest.dates import parse_full_date, reference_day
from mediaprov.ingest.records import clean_text

__all__ = ["HtmlExtractionError", "extract_html"]


class HtmlExtractionError(ValueError):
    """An HTML page yields no main text; the message is the quarantine reason."""


_HTML_TAG_ISO_DATE = r"\s*{date}"
_META_VALUE = r"<meta\b[^<>]*\b(?:content|value)\s*=\s*[\"']" + _HTML_TAG_ISO_DATE
_JSON_DATE = r"\"date(?:Published|Created|Modified)?\"\s*:\s*\"" + _HTML_TAG_ISO_DATE
_TIME_ATTR = r"<time\b[^<>]*\bdatetime\s*=\s*[\"']?" + _HTML_TAG_ISO_DATE
_DATE_IN_TEXT = re.compile(
    r"\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}"
    r"|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})\b")
_URL_DATE = re.compile(r"(?<!\d)(\d{4})[/_-]?(\d{2})[/_-]?(\d{2})(?!\d)")


def extract_html(html: str, *, url: str | None = None, favor_precision: bool = False,
                 as_of: date | None = None) -> dict[str, Any]:
    """Extract the main text and metadata of an HTML page.

    Args:
        html: the decoded page.
        url: the page's address when known (WARC-Target-URI); used as ``url`` when the page has
            no canonical link or ``og:url``.
        favor_precision: trafilatura's stricter main-text filter. Off by default: on news pages
            it costs about a third more time, and the default already drops navigation, menus
            and footers on the test pages (tests/test_html.py).
        as_of: the reference day: later dates are not taken (default:
            :func:`~mediaprov.ingest.dates.reference_day`, the ingest run's day or today).

    Returns:
        Canonical fields (only those found; ``text`` always present), see the module docstring.

    Raises:
        HtmlExtractionError: "no main text found in HTML" when trafilatura finds no main text.

    Example:
        >>> body = "A fictional sentence here. " * 6
        >>> extract_html(f"<html><body><p>{body}</p></body></html>")["text"].startswith("A fict")
        True
    """
    day = reference_day(as_of)
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=favor_precision,
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "deferred_url_extractor": True,
            "max_date": day.isoformat(),
        },
    )
    if not isinstance(document, Document) or document.body is None:  # None, or a dict (as_dict)
        raise HtmlExtractionError("no main text found in HTML")
    title = clean_text(document.title)
    text = _paragraphs(document.body, title=title)
    if not text:
        raise HtmlExtractionError("no main text found in HTML")
    fields: dict[str, Any] = {
        "title": title,
        "text": text,
        "url": clean_text(document.url) or url,
        "outlet": clean_text(document.sitename),
        "author": clean_text(document.author),
        "language": clean_text(document.language),
        "description": clean_text(document.description),
    }
    found = clean_text(document.date)
    source = _date_source(found, html, fields["url"] or url) if found else "none"
    if source in ("html-meta", "url"):
        fields["date"] = found
    elif found:
        fields["page_date"] = found
        source = "none"
    if source in ("none", "url"):
        byline = byline_date(html, as_of=day)
        if byline is not None:  # a date printed under the headline beats a URL guess
            fields["date"], source = byline, "html-byline"
    fields["date_source"] = source
    return {key: value for key, value in fields.items() if value}


_H1_END = re.compile(r"</h1\s*>", re.I)
_BODY_PARAGRAPH = re.compile(r"<p\b[^>]*>(?:(?!</p>)[^<]|<(?:a|em|strong|b|i|span)\b[^>]*>|</(?:a|em|strong|b|i|span)>){120,}",
                             re.I)
_TAG = re.compile(r"<[^>]+>")
_SKIP_BLOCKS = re.compile(r"<(script|style|blockquote|figure|aside)\b.*?</\1\s*>", re.I | re.S)
_UPDATED = re.compile(r"\b(?:updated|modified|last edited|aktualisiert)\b[^0-9a-z]{0,3}\s*(?:on\s*)?$", re.I)


def byline_date(html: str, *, as_of: date | None = None) -> str | None:
    """The publication date printed between the headline and the first body paragraph.

    That is the byline area; the date is returned as ``YYYY-MM-DD``, ``None`` when there is none.
    A date after ``as_of`` (default: :func:`~mediaprov.ingest.dates.reference_day`) is not taken.

    Args:
        html: the page.
        as_of: the reference day.

    Returns:
        The date as ``YYYY-MM-DD``, or ``None``.

    Page-header dates (above the headline: the day the page was crawled), dates inside the
    article (an embedded post's date, an event date) and dates labelled "Updated" are not taken.

    Example:
        >>> page = ("<div class='top'>Monday, June 3, 2024</div><h1>Harbour reopens</h1>"
        ...         "<p class='byline'>By Ana Lind | Published March 4, 2021 | Updated May 2, 2021</p>"
        ...         "<p>" + "The fictional harbour of Port Almera reopened on Thursday. " * 3 + "</p>")
        >>> byline_date(page)
        '2021-03-04'
        >>> byline_date(page, as_of=date(2021, 3, 1)) is None
        True
    """
    day = reference_day(as_of)
    end = _H1_END.search(html)
    if end is None:
        return None
    paragraph = _BODY_PARAGRAPH.search(html, end.end())
    window = html[end.end():paragraph.start() if paragraph else end.end() + 3000][:3000]
    text = _TAG.sub(" ", _SKIP_BLOCKS.sub(" ", window))
    for match in _DATE_IN_TEXT.finditer(text):
        if _UPDATED.search(text[max(0, match.start() - 30):match.start()]):
            continue
        stamp = parse_full_date(match.group(), whole=True)
        if stamp is not None and stamp.date() <= day:
            return stamp.date().isoformat()
    return None


def _paragraphs(body: etree._Element, *, title: str | None) -> str:
    r"""Join the top-level blocks of trafilatura's body with blank lines; line breaks stay "\n"."""
    for line_break in body.iter("lb"):
        line_break.tail = "\n" + (line_break.tail or "")
    blocks = []
    for index, block in enumerate(body):
        content = "".join(block.itertext()).strip()
        if not content:
            continue
        if index == 0 and block.tag == "head" and title and content == title:
            continue  # the headline is already the title field
        blocks.append(content)
    return "\n\n".join(blocks)


def _date_source(found: str, html: str, url: str | None) -> str:
    """Say where an ISO date found by htmldate comes from: html-meta, url or page text."""
    value = re.escape(found[:10])
    for pattern in (_META_VALUE, _JSON_DATE, _TIME_ATTR):
        if re.search(pattern.format(date=value), html, flags=re.IGNORECASE):
            return "html-meta"
    if url:
        wanted = tuple(found[:10].split("-"))
        if any(match.groups() == wanted for match in _URL_DATE.finditer(url)):
            return "url"
    return "page-text"


