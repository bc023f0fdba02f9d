r"""The record types that pass between ingestion's readers, parsers and pipeline.

A *reader* turns an input file into :class:`RawRecord` objects (one per article-sized record:
a text scrape, an HTML page, a JSONL line, a CSV row, a WARC response). The pipeline turns each
raw record into an ``articles`` row or quarantines it, and logs every record in ``ingest_log``.

Canonical field names in :attr:`RawRecord.fields` (structured inputs and HTML extraction map
their own names onto these): ``title``, ``text``, ``date`` (the date as written in the input),
``date_source`` (``html-meta`` or ``structured``), ``url``, ``outlet`` (a publisher name, id or
domain as written), ``author``, ``language``, ``credit`` (a credited source as written),
``description``.

Example:
    >>> record = RawRecord(raw_path="a.txt", record=0, raw_sha256="0" * 64, format="text",
    ...                    text="Title\n\nBody.")
    >>> record.key
    'a.txt#0'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FORMATS: tuple[str, ...] = ("text", "html", "jsonl", "csv", "warc")


def clean_text(value: Any) -> str | None:
    """Strip a metadata value to a string; missing values and empty strings become ``None``.

    Example:
        >>> clean_text("  Title "), clean_text(""), clean_text(float("nan"))
        ('Title', None, None)
    """
    if value is None or (isinstance(value, float) and value != value):  # NaN
        return None
    text = str(value).strip()
    return text or None


@dataclass
class RawRecord:
    """One input record, before parsing.

    Attributes:
        raw_path: the input file, relative to the ingested root (POSIX separators).
        record: position of the record in its file (0 for one-article files; line or row index,
            counting from 0, for JSONL and CSV; response index for WARC).
        raw_sha256: SHA-256 of the whole input file.
        format: one of :data:`FORMATS`.
        text: decoded text of a text scrape (``format == "text"``), else ``None``.
        fields: canonical fields for HTML, JSONL, CSV and WARC records.
        folder: name of the folder that holds the file, a hint for the outlet (``None`` at root).
        encoding: the encoding the bytes were decoded with (``utf-8``, ``utf-16``, ``cp1252``...).
        error: why this record cannot be read (empty, binary, undecodable, malformed line...);
            a record with an error is quarantined with this reason.
    """

    raw_path: str
    record: int
    raw_sha256: str
    format: str
    text: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    folder: str | None = None
    encoding: str | None = None
    error: str | None = None

    @property
    def key(self) -> str:
        """``raw_path#record``: unique within one ingest run."""
        return f"{self.raw_path}#{self.record}"


@dataclass
class ParsedArticle:
    """What a parser found in one raw record; the pipeline turns it into an ``articles`` row.

    Dates: ``published`` is set only from a trustworthy source (``date_source``); ``page_date``
    keeps a date that appeared only in page chrome; ``date_flag`` says why a date in the input was
    rejected. ``chrome_lines`` are the lines removed as site chrome, in input order.
    ``text_repaired`` names the record's fields (``text`` for a text scrape) repaired before
    parsing: HTML character references decoded, mojibake decoded again
    (:func:`mediaprov.ingest.normalise.repair_text`).
    """

    text: str
    title: str | None = None
    subtitle: str | None = None
    published: Any = None
    date_source: str = "none"
    date_confidence: float = 0.0
    date_flag: str | None = None
    page_date: Any = None
    byline: str | None = None
    outlet_id: str | None = None
    outlet_evidence: str | None = None
    credited_source: str | None = None
    credit_line: str | None = None
    language: str | None = None
    url: str | None = None
    chrome_lines: list[str] = field(default_factory=list)
    source_fields: dict[str, str] = field(default_factory=dict)
    embeds: list[Any] = field(default_factory=list)  # mediaprov.embeds.Embed
    text_repaired: tuple[str, ...] = ()
