r"""Readers: turn input files of any supported format into :class:`RawRecord` objects.

:func:`iter_records` walks a file or a folder (:func:`~mediaprov.ingest.folders.walk`) and yields
every record of every input file, in a deterministic order, so that every input is accounted for:
a file that cannot be read still yields one record whose ``error`` says why (empty, binary,
undecodable, unsupported format).

Formats (:data:`SUPPORTED_FORMATS`), told by extension then by sniffing the first bytes
(:func:`detect_format`):

* ``text`` (``.txt``, ``.text``, no extension): one record per file, ``text`` set.
* ``html`` (``.html``, ``.htm``, or content starting ``<!doctype html`` / ``<html``): one record,
  fields from :func:`mediaprov.ingest.html.extract_html`.
* ``jsonl`` (``.jsonl``, ``.ndjson``): one record per non-blank line, ``record`` = line index
  (:mod:`mediaprov.ingest.jsonl`).
* ``csv`` (``.csv``, ``.tsv``; delimiter sniffed): one record per data row
  (:mod:`mediaprov.ingest.delimited`).
* ``warc`` (``.warc``, ``.warc.gz``): one record per HTML or plain-text ``response``
  (:mod:`mediaprov.ingest.warc`); ``crawl_date`` = WARC-Date is never the publication ``date``.

Decoding (:mod:`mediaprov.ingest.decoding`): a BOM wins; else strict UTF-8; else cp1252 when it
decodes strictly and yields no control characters; an undecodable file is quarantined with the
offset of its first bad byte. Limits (:mod:`mediaprov.ingest.limits`): the most bytes one record
may hold and the time budget of one extraction.

JSONL, CSV and WARC files are streamed (never read whole); the SHA-256 of every file is computed
in a first pass in chunks. The names of those modules that other code imports are re-exported
here (``from mediaprov.ingest.readers import decode_bytes, walk`` keeps working).

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()); _ = (folder / "a.txt").write_text("Title\n\nBody.")
    >>> [(r.raw_path, r.format, r.text) for r in iter_records(folder)]
    [('a.txt', 'text', 'Title\n\nBody.')]
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from mediaprov.io import sha256_bytes
from mediaprov.ingest.columns import PRESETS
from mediaprov.ingest.decoding import (
    BOMS, DecodeError, decode_bytes, decode_html, hash_and_encoding,
)
from mediaprov.ingest.delimited import read_csv
from mediaprov.ingest.folders import WalkEntry, safe_name, walk
from mediaprov.ingest.html import HtmlExtractionError, extract_html
from mediaprov.ingest.jsonl import read_jsonl
from mediaprov.ingest.limits import (
    MAX_RECORD_BYTES, ReadOptions, RecordTimeout, describe_error, record_budget,
)
from mediaprov.ingest.records import FORMATS, RawRecord
from mediaprov.ingest.warc import read_warc

__all__ = [
    "MAX_RECORD_BYTES", "SUPPORTED_FORMATS", "DecodeError", "IngestInputError", "RecordTimeout",
    "WalkEntry", "decode_bytes", "decode_html", "detect_format", "holds_many_records",
    "iter_records", "plan_input", "read_entry", "record_budget", "safe_name", "walk",
]

SUPPORTED_FORMATS: tuple[str, ...] = FORMATS
"""Formats a reader exists for; ``format="auto"`` detects one of these per file."""

_EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text", "": "text",
    ".html": "html", ".htm": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "csv",
    ".warc": "warc", ".warc.gz": "warc",
}
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_SNIFF_BYTES = 1 << 16
_STREAMED_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".tsv", ".warc", ".warc.gz")


class IngestInputError(ValueError):
    """The input cannot be walked: a missing path, an unknown format or column preset."""


def detect_format(path: Path, head: bytes) -> str | None:
    """Tell a file's format from its extension and its first bytes.

    Args:
        path: the file (only its name is used).
        head: its first bytes (a few KB are enough).

    Returns:
        One of :data:`SUPPORTED_FORMATS`, or ``None`` when the format cannot be told.

    Example:
        >>> detect_format(Path("page.dat"), b"<!DOCTYPE html><html>")
        'html'
        >>> detect_format(Path("scan.pdf"), b"%PDF-1.7") is None
        True
    """
    name = Path(path).name.lower()
    suffix = ".warc.gz" if name.endswith(".warc.gz") else Path(name).suffix
    by_extension = _EXTENSIONS.get(suffix)
    if by_extension not in (None, "text"):
        return by_extension
    sample = head
    for bom, encoding in BOMS:
        if head.startswith(bom):
            sample = head[len(bom):].decode(encoding, errors="ignore").encode("utf-8")
            break
    if _HTML_START.match(sample[:4096]):
        return "html"
    if sample.startswith(b"WARC/"):
        return "warc"
    return by_extension


def iter_records(
    path: Path,
    *,
    format: str = "auto",  # noqa: A002 - the CLI flag is --format
    columns: str | Mapping[str, str] | None = None,
    follow_outside_links: bool = False,
    max_record_bytes: int = MAX_RECORD_BYTES,
    record_seconds: float | None = None,
    skipped: list[WalkEntry] | None = None,
) -> Iterator[RawRecord]:
    r"""Walk a file or a folder and yield every record of every input file, in a fixed order.

    Folders are walked by :func:`walk` (sorted by POSIX relative path); entries that are not
    inputs (hidden, ``README.md``, ``MANIFEST.json``, datasheets, ``truth`` folders) are
    appended to ``skipped`` when a list is given. Every failure while reading one record
    (or the rest of one file) becomes a record with an ``error``: the walk goes on.

    Args:
        path: an input file or folder.
        format: ``"auto"`` (detect per file) or one of :data:`SUPPORTED_FORMATS` to force it.
        columns: column mapping for JSONL and CSV: a preset name (see
            :data:`mediaprov.ingest.columns.PRESETS`), ``{input column: canonical field}``, a
            string ``"title=headline,text=body"`` (canonical=input), or ``None`` to guess.
        follow_outside_links: read symbolic links whose target is outside ``path``.
        max_record_bytes: the most one record (a file, a line, a row, a WARC payload) may hold;
            a larger one is quarantined without being read whole.
        record_seconds: time budget to extract one HTML record (``None``: no budget).
        skipped: a list that receives the :class:`WalkEntry` of every entry skipped as no input.

    Yields:
        :class:`RawRecord` objects; ``raw_path`` is relative to ``path`` when it is a folder (the
        file name when it is a file).

    Raises:
        IngestInputError: at call time when ``path`` is empty or does not exist, or ``format``
            or the ``columns`` preset is unknown.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "feed.jsonl").write_text('{"headline": "H", "body": "B"}\n')
        >>> [r.fields for r in iter_records(folder)]
        [{'title': 'H', 'text': 'B'}]
    """
    options, entries = plan_input(
        path, format=format, columns=columns, follow_outside_links=follow_outside_links,
        max_record_bytes=max_record_bytes, record_seconds=record_seconds)
    return _iter_entries(entries, options, skipped=skipped)


def plan_input(
    path: Path,
    *,
    format: str = "auto",  # noqa: A002 - the CLI flag is --format
    columns: str | Mapping[str, str] | None = None,
    follow_outside_links: bool = False,
    max_record_bytes: int = MAX_RECORD_BYTES,
    record_seconds: float | None = None,
) -> tuple[ReadOptions, list[WalkEntry]]:
    r"""Check the arguments of a walk and list its entries, without reading any file.

    What :func:`iter_records` does before its first record; a partitioned ingest
    (:mod:`mediaprov.ingest.partitioned`) then reads the entries with :func:`read_entry`.

    Args:
        path: an input file or folder.
        format: ``"auto"`` or the format forced on every file.
        columns: the column mapping of JSONL and CSV files.
        follow_outside_links: read symbolic links whose target is outside ``path``.
        max_record_bytes: the most one record may hold.
        record_seconds: time budget to extract and to parse one record.

    (As for :func:`iter_records`.)

    Returns:
        The read options and every entry of the walk, in order (a file alone is one entry;
        skipped entries are in the list with their reason).

    Raises:
        IngestInputError: ``path`` is empty or does not exist, or ``format`` or the ``columns``
            preset is unknown.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp()); _ = (folder / "a.txt").write_text("T\n\nBody.")
        >>> options, entries = plan_input(folder)
        >>> [entry.raw_path for entry in entries], options.format
        (['a.txt'], 'auto')
    """
    if str(path) == "":
        raise IngestInputError("empty input path: name a file or a folder to ingest")
    path = Path(path)
    if format != "auto" and format not in SUPPORTED_FORMATS:
        raise IngestInputError(
            f"unknown format {format!r} for {path}: use 'auto' or one of "
            f"{', '.join(SUPPORTED_FORMATS)}"
        )
    if isinstance(columns, str) and "=" not in columns and columns not in PRESETS:
        raise IngestInputError(
            f"unknown column preset {columns!r} for {path}: use one of "
            f"{', '.join(sorted(PRESETS))}, or a mapping such as 'title=headline,text=body'"
        )
    if not path.exists():
        raise IngestInputError(
            f"input path {path} does not exist: check the path (supported formats: "
            f"{', '.join(SUPPORTED_FORMATS)})"
        )
    options = ReadOptions(format=format, columns=columns, max_bytes=max_record_bytes,
                          seconds=record_seconds)
    if not path.is_dir():
        info = path.stat()
        problem = None if stat.S_ISREG(info.st_mode) else (
            f"special file ({'FIFO' if stat.S_ISFIFO(info.st_mode) else 'device or socket'}), not read")
        return options, [WalkEntry(path, safe_name(path.name), error=problem, size=info.st_size)]
    return options, walk(path, follow_outside_links=follow_outside_links)


def _iter_entries(entries: list[WalkEntry], options: ReadOptions, *,
                  skipped: list[WalkEntry] | None) -> Iterator[RawRecord]:
    """The generator behind :func:`iter_records`, once its arguments are checked."""
    for entry in entries:
        if entry.skipped:
            if skipped is not None:
                skipped.append(entry)
            continue
        yield from read_entry(entry, options)


def read_entry(entry: WalkEntry, options: ReadOptions) -> Iterator[RawRecord]:
    r"""Yield the records of one entry of a walk that is not skipped.

    An entry that cannot be opened gives one record with its ``error``; an exception while
    reading ends the file with one such record (the records before it stand).

    Args:
        entry: an entry of :func:`plan_input` (``entry.skipped`` is ``None``).
        options: the read options of :func:`plan_input`.

    Yields:
        The entry's records, in order.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp()); _ = (folder / "a.txt").write_text("T\n\nBody.")
        >>> options, [entry] = plan_input(folder)
        >>> [(r.raw_path, r.text) for r in read_entry(entry, options)]
        [('a.txt', 'T\n\nBody.')]
    """
    base: dict[str, Any] = {"raw_path": entry.raw_path, "raw_sha256": "", "folder": entry.folder}
    if entry.error:
        yield RawRecord(record=0, format=_format_by_name(entry.raw_path), error=entry.error, **base)
        return
    yield from _guarded(_read_file(entry.path, entry.raw_path, folder=entry.folder,
                                   options=options), base)


def holds_many_records(name: str, options: ReadOptions) -> bool:
    """True for a file read as a stream of records (JSONL, CSV, WARC by name), not one article.

    A file forced to one article (``--format text`` or ``html``) is read whole whatever its name.

    Example:
        >>> options = ReadOptions(format="auto", columns=None, max_bytes=1, seconds=None)
        >>> holds_many_records("feed.jsonl", options), holds_many_records("a.html", options)
        (True, False)
    """
    return options.format not in ("text", "html") and name.lower().endswith(_STREAMED_SUFFIXES)


def _format_by_name(raw_path: str) -> str:
    name = raw_path.lower()
    suffix = ".warc.gz" if name.endswith(".warc.gz") else Path(name).suffix
    return _EXTENSIONS.get(suffix) or "text"


def _guarded(records: Iterator[RawRecord], base: dict[str, Any]) -> Iterator[RawRecord]:
    """Yield the records of one file; an exception ends the file with one quarantined record."""
    last: RawRecord | None = None
    try:
        for record in records:
            last = record
            yield record
    except Exception as error:  # one bad file must not abort the run: quarantine and say why
        index = last.record + 1 if last is not None else 0
        where = f"after record {last.record}" if last is not None else "at its start"
        fields = dict(base)
        if last is not None:
            fields["raw_sha256"] = last.raw_sha256
        yield RawRecord(record=index, format=last.format if last else _format_by_name(
            base["raw_path"]), **fields, error=(
            f"cannot read the file {where}: {describe_error(error)}; "
            "the rest of the file is skipped"))


def _read_file(file: Path, raw_path: str, *, folder: str | None,
               options: ReadOptions) -> Iterator[RawRecord]:
    """Yield the records of one file, with its hash computed first.

    A single-article file (a scrape or HTML page of at most ``max_bytes``) is read once and
    hashed from memory; a JSONL, CSV or WARC file is hashed in chunks, then streamed; a larger
    single-article file is hashed in chunks and quarantined unread.
    """
    size = file.stat().st_size
    streamed = holds_many_records(file.name, options)
    data = None if streamed or size > options.max_bytes else file.read_bytes()
    encoding: str | None = None
    if data is not None:
        digest, head = sha256_bytes(data), data[:_SNIFF_BYTES]
    else:
        with open(file, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
        digest, encoding = hash_and_encoding(file, head)
    kind = options.format if options.format != "auto" else detect_format(file, head)
    base: dict[str, Any] = {"raw_path": raw_path, "raw_sha256": digest, "folder": folder}
    if kind in ("text", "html"):
        if data is None:  # only a file larger than one article may be (see ``streamed``)
            yield RawRecord(record=0, format=kind, **base, error=(
                f"file of {size / 1e6:.1f} MB is larger than the {options.max_bytes / 1e6:.1f} MB "
                "one article may hold: not read (split it, or raise --max-record-mb)"))
        elif kind == "text":
            yield _read_text(base, data)
        else:
            yield _read_html(base, data, options)
    elif kind == "jsonl":
        yield from read_jsonl(file, base, options)
    elif kind == "csv":
        yield from read_csv(file, head, base, options, encoding)
    elif kind == "warc":
        yield from read_warc(file, base, options)
    else:
        yield _unsupported(file, head, base)


def _read_text(base: dict[str, Any], data: bytes) -> RawRecord:
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as error:
        return RawRecord(record=0, format="text", error=str(error), **base)
    return RawRecord(record=0, format="text", text=text, encoding=encoding, **base)


def _read_html(base: dict[str, Any], data: bytes, options: ReadOptions) -> RawRecord:
    try:
        html, encoding = decode_html(data)
        with record_budget(options.seconds):
            fields = extract_html(html)
    except (DecodeError, HtmlExtractionError) as error:
        return RawRecord(record=0, format="html", error=str(error), **base)
    except RecordTimeout as error:
        return RawRecord(record=0, format="html", error=f"HTML extraction {error}", **base)
    return RawRecord(record=0, format="html", fields=fields, encoding=encoding, **base)


def _unsupported(file: Path, head: bytes, base: dict[str, Any]) -> RawRecord:
    name = file.name.lower()
    suffix = ".warc.gz" if name.endswith(".warc.gz") else file.suffix.lower()
    detail = ""
    try:
        decode_bytes(head)
        kind = "text"
    except DecodeError as error:
        kind = suffix.lstrip(".") or "unknown"
        detail = f"; content: {error}"
    return RawRecord(
        record=0, format=safe_name(kind)[:20], **base,
        error=f"unsupported format: {safe_name(suffix) or 'no extension'}{detail} (supported: "
              f"{', '.join(SUPPORTED_FORMATS)}; rename the file or force --format)",
    )
