r"""Parsing: one raw record in, one article (or the reason it cannot be one) out.

:func:`parse_record` turns a :class:`~mediaprov.ingest.records.RawRecord` of any format into a
:class:`~mediaprov.ingest.records.ParsedArticle` (text scrapes by
:func:`~mediaprov.ingest.scrape.parse_scrape`, the other formats' fields by :func:`parse_fields`);
:func:`parse_checked` does it under the record's time budget, normalises the article and turns
every failure into a quarantine reason, so that one record never stops a run. The ingest loop
(:mod:`mediaprov.ingest.pipeline`) and the workers of a partitioned ingest
(:mod:`mediaprov.ingest.partitioned`) both call :func:`parse_checked`.

Example:
    >>> from mediaprov.ingest.scrape import load_boilerplate
    >>> rec = RawRecord("a.txt", 0, "0" * 64, "text", text="Headline\n\nBody text here.")
    >>> article, replaced = parse_checked(rec, registry=OutletRegistry.load(),
    ...                                   boilerplate=load_boilerplate())
    >>> article.title, replaced
    ('Headline', 0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from mediaprov.embeds import find_embeds
from mediaprov.ingest.columns import source_fields
from mediaprov.ingest.dates import DATE_CONFIDENCE, parse_structured_date
from mediaprov.ingest.limits import RecordTimeout, record_budget
from mediaprov.ingest.normalise import normalise_article, repair_text, valid_text
from mediaprov.ingest.outlets import OutletRegistry, provisional_outlet_id
from mediaprov.ingest.records import ParsedArticle, RawRecord, clean_text
from mediaprov.ingest.scrape import BoilerplatePattern, parse_scrape, strip_chrome_lines

__all__ = ["parse_checked", "parse_fields", "parse_record", "repair_record"]


def parse_fields(
    fields: Mapping[str, Any],
    *,
    registry: OutletRegistry,
    folder: str | None = None,
    boilerplate: tuple[BoilerplatePattern, ...] | None = None,
    as_of: date | None = None,
) -> ParsedArticle:
    """Turn the canonical fields of a structured or HTML record into an article.

    Args:
        fields: canonical fields (see :mod:`mediaprov.ingest.records`).
        registry: outlet registry for the ``outlet``, ``url`` and ``credit`` fields.
        folder: the folder holding the file, a last-resort outlet hint.
        boilerplate: chrome line patterns stripped from the start and end of the body.
        as_of: the reference day of the date checks (default:
            :func:`mediaprov.ingest.dates.reference_day`).

    Returns:
        The parsed article; a bad date gives ``published=None`` and a ``date_flag``.

    Example:
        >>> parsed = parse_fields({"title": "T", "text": "Body.", "date": "9/6/17",
        ...     "outlet": "The Guardian"}, registry=OutletRegistry.load())
        >>> parsed.outlet_id, parsed.published, parsed.date_flag
        ('the-guardian', None, 'ambiguous short date: 9/6/17')
    """
    text, chrome = strip_chrome_lines(str(fields.get("text") or ""), boilerplate=boilerplate)
    article = ParsedArticle(text=text, chrome_lines=chrome)
    article.title = clean_text(fields.get("title"))
    article.byline = clean_text(fields.get("author"))
    article.language = clean_text(fields.get("language"))
    article.url = clean_text(fields.get("url"))
    published, flag = parse_structured_date(fields.get("date"), as_of=as_of)
    if published is not None:
        article.published = published
        article.date_source = str(fields.get("date_source") or "structured")
    elif fields.get("date") not in (None, ""):
        article.date_flag = flag
    if fields.get("page_date"):  # a date the page shows outside trusted metadata: kept apart
        article.page_date, _ = parse_structured_date(fields.get("page_date"), as_of=as_of)
    article.date_confidence = DATE_CONFIDENCE.get(article.date_source, 0.5)
    outlet_name = clean_text(fields.get("outlet"))
    for evidence, candidate in (("field", outlet_name), ("url", article.url), ("folder", folder)):
        outlet = registry.resolve(candidate) if candidate else None
        if outlet:
            article.outlet_id, article.outlet_evidence = outlet, evidence
            break
    if article.outlet_id is None and outlet_name:
        article.outlet_id = provisional_outlet_id(outlet_name)
        article.outlet_evidence = "field-unregistered"
    credit = clean_text(fields.get("credit"))
    if credit:
        article.credit_line = credit
        article.credited_source = registry.resolve(credit)
    article.embeds = find_embeds(text)
    return article




def parse_record(
    record: RawRecord, *, registry: OutletRegistry, boilerplate: tuple[BoilerplatePattern, ...],
    as_of: date | None = None,
) -> ParsedArticle:
    r"""Parse one raw record of any format.

    Text scrapes are parsed by :func:`parse_scrape`, the rest by :func:`parse_fields`.

    Args:
        record: the raw record (its ``format`` picks the parser).
        registry: outlet registry, to resolve the outlet (and credited source) to an ``outlet_id``.
        boilerplate: chrome line patterns stripped from the start and end of the body.
        as_of: the reference day of the date checks of structured and HTML fields.

    Returns:
        The parsed article; for JSONL and CSV records, with the corpus's own columns in
        ``source_fields``.

    Example:
        >>> from mediaprov.ingest.scrape import load_boilerplate
        >>> rec = RawRecord("a.txt", 0, "0" * 64, "text", text="Headline\n\nBody text here.")
        >>> parse_record(rec, registry=OutletRegistry.load(), boilerplate=load_boilerplate()).title
        'Headline'
    """
    record, repaired = repair_record(record)
    if record.format == "text":
        parsed = parse_scrape(record.text or "", registry=registry, folder=record.folder,
                              boilerplate=boilerplate)
    else:
        parsed = parse_fields(record.fields, registry=registry, folder=record.folder,
                              boilerplate=boilerplate, as_of=as_of)
        if record.format in ("jsonl", "csv"):  # a corpus's own columns (ratings, ids) travel with it
            parsed.source_fields = source_fields(record.fields)
    parsed.text_repaired = repaired
    return parsed


def repair_record(record: RawRecord) -> tuple[RawRecord, tuple[str, ...]]:
    r"""``record`` with its text and fields repaired (:func:`~mediaprov.ingest.normalise.repair_text`), and which were.

    HTML character references are decoded and mojibake is decoded again. Done before parsing, so that everything found in the text (embedded posts, chrome lines,
    later mentions and quotes) has offsets into the repaired text.

    Args:
        record: a raw record.

    Returns:
        ``(record, names)``: a new record when something was repaired (the given one is not
        changed), else the same one; ``names`` are the repaired fields, in order (``text`` for
        a text scrape's text).

    Example:
        >>> rec = RawRecord("a.jsonl", 0, "0" * 64, "jsonl",
        ...                 fields={"title": "Zorvan\u00e2\u20ac\u2122s review", "text": "R&amp;D body."})
        >>> fixed, names = repair_record(rec)
        >>> fixed.fields, names, rec.fields["title"] == fixed.fields["title"]
        ({'title': 'Zorvan’s review', 'text': 'R&D body.'}, ('title', 'text'), False)
    """
    names: list[str] = []
    text = record.text
    if text is not None:
        text = repair_text(text)
        if text is not record.text:
            names.append("text")
    fields = record.fields  # copied only when a field is repaired: most records need nothing
    for name, value in record.fields.items():
        if isinstance(value, str):
            repaired = repair_text(value)
            if repaired is not value:
                fields = dict(fields) if fields is record.fields else fields
                fields[name] = repaired
                names.append(name)
    if not names:
        return record, ()
    return replace(record, text=text, fields=fields), tuple(names)


def parse_checked(
    record: RawRecord, *, registry: OutletRegistry, boilerplate: tuple[BoilerplatePattern, ...],
    seconds: float | None = None, as_of: date | None = None,
) -> tuple[ParsedArticle | str, int]:
    r"""Parse and normalise one record within its time budget, or say why it is quarantined.

    Args:
        record: the raw record (one whose ``error`` is set gives that error as the reason).
        registry: outlet registry (see :func:`parse_record`).
        boilerplate: chrome line patterns stripped from the start and end of the body.
        seconds: the record's time budget (:func:`mediaprov.ingest.limits.record_budget`).
        as_of: the reference day of the date checks.

    Returns:
        ``(article, characters replaced to make its text valid)``, or ``(reason, 0)`` when the
        record cannot be an article (unreadable, over its budget, a parser error, no body text).

    Example:
        >>> rec = RawRecord("a.txt", 0, "0" * 64, "text", error="empty file")
        >>> parse_checked(rec, registry=OutletRegistry.load(), boilerplate=())
        ('empty file', 0)
    """
    if record.error:
        return valid_text(record.error)[0], 0
    try:
        with record_budget(seconds):
            parsed = parse_record(record, registry=registry, boilerplate=boilerplate, as_of=as_of)
            replaced = normalise_article(parsed, as_of=as_of)
    except RecordTimeout as error:
        return f"parsing {error}", 0
    except Exception as error:  # a parser bug must not lose the record: quarantine and say why
        return valid_text(f"parser error: {type(error).__name__}: {str(error)[:300]}")[0], 0
    if not parsed.text.strip():
        return "no body text after removing site chrome", replaced
    return parsed, replaced
