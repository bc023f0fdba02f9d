"""Readers: turn input files of any supported format into :class:`RawRecord` objects.

:func:`iter_records` walks a file or a folder and yields every record of every input file, in a
deterministic order, so that every input is accounted for: a file that cannot be read still
yields one record whose ``error`` says why (empty, binary, undecodable, unsupported format).

Formats (:data:`SUPPORTED_FORMATS`), told by extension then by sniffing the first bytes:

* ``text`` (``.txt``, ``.text``, no extension): one record per file, ``text`` set.
* ``html`` (``.html``, ``.htm``, or content starting ``<!doctype html`` / ``<html``): one record,
  fields from :func:`mediaprov.ingest.html.extract_html`.
* ``jsonl`` (``.jsonl``, ``.ndjson``): one record per non-blank line, ``record`` = line index.
* ``csv`` (``.csv``, ``.tsv``; delimiter sniffed): one record per data row.
* ``warc`` (``.warc``, ``.warc.gz``): one record per HTML or plain-text ``response``; fields
  from :func:`~mediaprov.ingest.html.extract_html` (plain text goes to ``fields["text"]``), with
  ``url`` = WARC-Target-URI (a differing canonical link kept as ``canonical_url``) and
  ``crawl_date`` = WARC-Date, which is never used as the publication ``date``.

Decoding of text and HTML files: a BOM (UTF-8, UTF-16, UTF-32) wins; else strict UTF-8; else
cp1252 when it decodes strictly and yields no control characters besides tab, CR and LF. We do
not use charset-normalizer: on news text the rule above is exact and explainable, while a
statistical guess could silently mis-decode a short file; an undecodable file is quarantined
with the offset of its first bad byte instead.

JSONL, CSV and WARC files are streamed (never read whole); the SHA-256 of every file is computed
in a first pass in chunks.

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()); _ = (folder / "a.txt").write_text("Title\\n\\nBody.")
    >>> [(r.raw_path, r.format, r.text) for r in iter_records(folder)]
    [('a.txt', 'text', 'Title\\n\\nBody.')]
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from mediaprov.io import sha256_bytes, sha256_file
from mediaprov.ingest.columns import PRESETS, ColumnsError, guess_preset, resolve_columns
from mediaprov.ingest.html import HtmlExtractionError, extract_html
from mediaprov.ingest.records import FORMATS, RawRecord

__all__ = [
    "SUPPORTED_FORMATS", "IngestInputError", "DecodeError", "decode_bytes", "detect_format",
    "iter_records",
]

SUPPORTED_FORMATS: tuple[str, ...] = FORMATS
"""Formats a reader exists for; ``format="auto"`` detects one of these per file."""

SKIPPED_NAMES: frozenset[str] = frozenset({"readme.md", "manifest.json"})
"""File names (case-insensitive) that document a corpus rather than belong to it."""

SKIPPED_FOLDERS: frozenset[str] = frozenset({"truth"})
"""Folder names whose contents are ground truth, not input."""

_EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text", "": "text",
    ".html": "html", ".htm": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "csv",
    ".warc": "warc", ".warc.gz": "warc",
}
_BOMS: tuple[tuple[bytes, str], ...] = (  # UTF-32 before UTF-16: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_TEXT_PAYLOADS = ("text/html", "application/xhtml+xml", "text/plain")
_SNIFF_BYTES = 1 << 16
_WHOLE_FILE_BYTES = 1 << 24  # 16 MiB: read once and hash in memory; larger files are streamed
_STREAMED_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".tsv", ".warc", ".warc.gz")


class IngestInputError(ValueError):
    """The input cannot be walked: a missing path, an unknown format or column preset."""


class DecodeError(ValueError):
    """Bytes that are not text we can decode; the message is the quarantine reason."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text or HTML file (BOM, then UTF-8, then cp1252) and normalise line endings.

    Args:
        data: the whole file.

    Returns:
        ``(text, encoding)``: text with ``\\n`` line endings and no leading BOM, and the encoding
        used (``utf-8``, ``utf-8-sig``, ``utf-16-le``, ``utf-16-be``, ``utf-32-le``,
        ``utf-32-be`` or ``cp1252``).

    Raises:
        DecodeError: "empty file", "binary file (NUL bytes), not text" or "cannot decode: not
            valid UTF-8 or cp1252 (first bad byte at offset N)".

    Example:
        >>> decode_bytes("caf\\u00e9\\r\\n".encode("cp1252"))
        ('café\\n', 'cp1252')
    """
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding is not None:
        bom_length = 4 if encoding.startswith("utf-32") else 3 if encoding == "utf-8" else 2
        try:
            text = data[bom_length:].decode(encoding)
        except UnicodeDecodeError as error:
            raise DecodeError(
                f"cannot decode: invalid {encoding} after its byte-order mark "
                f"(first bad byte at offset {error.start + bom_length})"
            ) from error
        encoding = "utf-8-sig" if encoding == "utf-8" else encoding
    else:
        if not data.strip():
            raise DecodeError("empty file")
        if b"\x00" in data:
            raise DecodeError("binary file (NUL bytes), not text")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as error:
            first_bad = error.start
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                text = ""
            if not text or _BAD_CONTROL.search(text):
                raise DecodeError(
                    "cannot decode: not valid UTF-8 or cp1252 "
                    f"(first bad byte at offset {first_bad})"
                ) from error
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DecodeError("empty file")
    return text, encoding


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
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            sample = head[len(bom):].decode(encoding, errors="ignore").encode("utf-8")
            break
    if _HTML_START.match(sample):
        return "html"
    if sample.startswith(b"WARC/"):
        return "warc"
    return by_extension


def iter_records(
    path: Path,
    *,
    format: str = "auto",  # noqa: A002 - the CLI flag is --format
    columns: str | Mapping[str, str] | None = None,
) -> Iterator[RawRecord]:
    """Walk a file or a folder and yield every record of every input file, in a fixed order.

    Folders are walked recursively, sorted by POSIX relative path, skipping hidden files and
    folders, ``README.md``, ``MANIFEST.json`` and datasheets (``datasheet*``) at any level, and
    any folder named ``truth``.

    Args:
        path: an input file or folder.
        format: ``"auto"`` (detect per file) or one of :data:`SUPPORTED_FORMATS` to force it.
        columns: column mapping for JSONL and CSV: a preset name (see
            :data:`mediaprov.ingest.columns.PRESETS`), ``{input column: canonical field}``, a
            string ``"title=headline,text=body"`` (canonical=input), or ``None`` to guess.

    Yields:
        :class:`RawRecord` objects; ``raw_path`` is relative to ``path`` when it is a folder (the
        file name when it is a file).

    Raises:
        IngestInputError: at call time when ``path`` does not exist or ``format`` or the
            ``columns`` preset is unknown; while iterating when an explicit column mapping names
            columns a file lacks.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "feed.jsonl").write_text('{"headline": "H", "body": "B"}\\n')
        >>> [r.fields for r in iter_records(folder)]
        [{'title': 'H', 'text': 'B'}]
    """
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
    return _iter_checked(path, format=format, columns=columns)


def _iter_checked(
    path: Path, *, format: str, columns: str | Mapping[str, str] | None,  # noqa: A002
) -> Iterator[RawRecord]:
    """The generator behind :func:`iter_records`, once its arguments are checked."""
    if path.is_file():
        yield from _read_file(path, path.name, folder=None, format=format, columns=columns)
        return
    for relative in _walk(path):
        parts = relative.split("/")
        folder = parts[-2] if len(parts) > 1 else None
        yield from _read_file(path / relative, relative, folder=folder, format=format,
                              columns=columns)


def _walk(root: Path) -> list[str]:
    """Return the input files under ``root`` as POSIX relative paths, sorted."""
    found = []
    for candidate in root.rglob("*"):
        relative = candidate.relative_to(root)
        parts = relative.parts
        if any(part.startswith(".") for part in parts):
            continue
        if any(part.lower() in SKIPPED_FOLDERS for part in parts[:-1]):
            continue
        if not candidate.is_file():
            continue
        name = parts[-1].lower()
        if name in SKIPPED_NAMES or name.startswith("datasheet"):
            continue
        found.append(relative.as_posix())
    return sorted(found)


def _read_file(
    file: Path, raw_path: str, *, folder: str | None, format: str,  # noqa: A002
    columns: str | Mapping[str, str] | None,
) -> Iterator[RawRecord]:
    """Yield the records of one file, with its hash computed first.

    A single-article file (a scrape or HTML page of at most :data:`_WHOLE_FILE_BYTES`) is read
    once and hashed from memory; a JSONL, CSV or WARC file is hashed in chunks, then streamed.
    """
    streamed = file.name.lower().endswith(_STREAMED_SUFFIXES)
    data = None if streamed or file.stat().st_size > _WHOLE_FILE_BYTES else file.read_bytes()
    if data is not None:
        digest, head = sha256_bytes(data), data[:_SNIFF_BYTES]
    else:
        digest = sha256_file(file)
        with open(file, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    kind = format if format != "auto" else detect_format(file, head)
    base = {"raw_path": raw_path, "raw_sha256": digest, "folder": folder}
    if kind == "text":
        yield _read_text(file, base, data)
    elif kind == "html":
        yield _read_html(file, base, data)
    elif kind == "jsonl":
        yield from _read_jsonl(file, base, columns)
    elif kind == "csv":
        yield from _read_csv(file, head, base, columns)
    elif kind == "warc":
        yield from _read_warc(file, base)
    else:
        yield _unsupported(file, head, base)


def _read_text(file: Path, base: dict[str, Any], data: bytes | None = None) -> RawRecord:
    try:
        text, encoding = decode_bytes(data if data is not None else file.read_bytes())
    except DecodeError as error:
        return RawRecord(record=0, format="text", error=str(error), **base)
    return RawRecord(record=0, format="text", text=text, encoding=encoding, **base)


_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode an HTML page: a BOM, then valid UTF-8, then the charset the page declares in a
    ``<meta>`` tag (first 4 KB), then :func:`decode_bytes`'s cp1252 fallback.

    Valid UTF-8 wins over a declared single-byte charset (pages that declare ISO-8859-1 but are
    UTF-8 are common; non-ASCII text in another charset is almost never valid UTF-8 by chance).

    Example:
        >>> page = '<html><head><meta charset="iso-8859-2"></head><body>Łódź</body></html>'
        >>> decode_html(page.encode("iso-8859-2"))[1]
        'iso-8859-2'
    """
    declared = _META_CHARSET.search(data[:4096])
    if declared and not any(data.startswith(bom) for bom, _ in _BOMS):
        try:
            return decode_bytes(data) if _is_utf8(data) else _decode_payload(data, declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _read_html(file: Path, base: dict[str, Any], data: bytes | None = None) -> RawRecord:
    try:
        html, encoding = decode_html(data if data is not None else file.read_bytes())
        fields = extract_html(html)
    except (DecodeError, HtmlExtractionError) as error:
        return RawRecord(record=0, format="html", error=str(error), **base)
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
        record=0, format=kind, **base,
        error=f"unsupported format: {suffix or 'no extension'}{detail} (supported: "
              f"{', '.join(SUPPORTED_FORMATS)}; rename the file or force --format)",
    )


def _mapped_fields(item: Mapping[str, Any], mapping: Mapping[str, str]) -> dict[str, Any]:
    """Canonical fields of one JSON object or CSV row; the first non-empty column wins."""
    fields: dict[str, Any] = {}
    for column, canonical in mapping.items():
        if canonical in fields:
            continue
        value = _as_text(item.get(column))
        if value is not None:
            fields[canonical] = value
    if "date" in fields:
        fields.setdefault("date_source", "structured")
    return fields


def _as_text(value: Any) -> str | None:
    """Render a JSON or CSV value as a string: lists joined by ", ", blanks as ``None``."""
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v).strip() for v in value if v is not None and str(v).strip())
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text if text.strip() else None


def _resolve(
    columns: str | Mapping[str, str] | None, header: list[str], where: str
) -> dict[str, str]:
    try:
        return resolve_columns(columns, header)
    except ColumnsError as error:
        raise IngestInputError(f"{where}: {error}") from error


def _jsonl_mapping(columns: Any, keys: list[str], where: str) -> dict[str, str]:
    """Column mapping of a JSONL file: keys vary by line, so presets apply whole (lenient)."""
    if columns is None:
        return dict(PRESETS[guess_preset(keys)])
    if isinstance(columns, str) and "=" not in columns:
        return dict(PRESETS[columns])
    return _resolve(columns, keys, where)


def _read_jsonl(file: Path, base: dict[str, Any], columns: Any) -> Iterator[RawRecord]:
    mapping: dict[str, str] | None = None
    with open(file, "rb") as handle:
        for index, raw_line in enumerate(handle):
            if index == 0 and raw_line.startswith(codecs.BOM_UTF8):
                raw_line = raw_line[len(codecs.BOM_UTF8):]
            if not raw_line.strip():
                continue
            line_number = index + 1
            try:
                item = json.loads(raw_line.decode("utf-8"))
            except UnicodeDecodeError as error:
                yield RawRecord(record=index, format="jsonl", **base, error=(
                    f"invalid JSON on line {line_number}: not UTF-8 (byte offset {error.start})"))
                continue
            except json.JSONDecodeError as error:
                yield RawRecord(record=index, format="jsonl", **base,
                                error=f"invalid JSON on line {line_number}: {error.msg} "
                                      f"(column {error.colno})")
                continue
            if not isinstance(item, dict):
                yield RawRecord(record=index, format="jsonl", **base, error=(
                    f"invalid JSON on line {line_number}: a {type(item).__name__}, "
                    "not an object"))
                continue
            if mapping is None:
                where = f"{base['raw_path']} line {line_number}"
                mapping = _jsonl_mapping(columns, list(item), where)
            yield RawRecord(record=index, format="jsonl", fields=_mapped_fields(item, mapping),
                            encoding="utf-8", **base)


def _read_csv(file: Path, head: bytes, base: dict[str, Any], columns: Any) -> Iterator[RawRecord]:
    encoding = _stream_encoding(head)
    if encoding is None:
        yield RawRecord(record=0, format="csv", **base,
                        error="cannot decode: not valid UTF-8 or cp1252 in the first 64 KB")
        return
    if not head.strip():
        yield RawRecord(record=0, format="csv", error="empty file", **base)
        return
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    delimiter = "\t" if file.name.lower().endswith(".tsv") else _sniff_delimiter(head, encoding)
    with open(file, encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        index = -1
        try:
            header = next(reader, None)
            if not header:
                yield RawRecord(record=0, format="csv", error="empty file", **base)
                return
            mapping = _resolve(columns, header, f"{base['raw_path']} header")
            for index, row in enumerate(reader):
                if not row:
                    continue
                if len(row) != len(header):
                    yield RawRecord(record=index, format="csv", encoding=encoding, **base, error=(
                        f"CSV row {index} (line {reader.line_num}) has {len(row)} fields, the "
                        f"header has {len(header)}: fix the quoting or the delimiter"))
                    continue
                yield RawRecord(record=index, format="csv", encoding=encoding, **base,
                                fields=_mapped_fields(dict(zip(header, row)), mapping))
        except (UnicodeDecodeError, csv.Error) as error:
            yield RawRecord(record=index + 1, format="csv", encoding=encoding, **base, error=(
                f"cannot read CSV after row {index} (line {reader.line_num}): {error}; "
                "the rest of the file is skipped"))


def _stream_encoding(head: bytes) -> str | None:
    """Choose the encoding of a streamed CSV from its first bytes (a cut character is allowed)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = head.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return None if _BAD_CONTROL.search(text) else "cp1252"


def _sniff_delimiter(head: bytes, encoding: str) -> str:
    sample = head.decode(encoding, errors="ignore")
    try:
        return csv.Sniffer().sniff(sample[:16384], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _read_warc(file: Path, base: dict[str, Any]) -> Iterator[RawRecord]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    index = 0
    with open(file, "rb") as handle:
        try:
            for warc_record in ArchiveIterator(handle):
                if warc_record.rec_type != "response":
                    continue
                http = warc_record.http_headers
                content_type = (http.get_header("Content-Type") if http else None) or ""
                mime = content_type.split(";")[0].strip().lower()
                if mime not in _TEXT_PAYLOADS:
                    continue
                yield _warc_response(warc_record, mime, content_type, index, base)
                index += 1
        except ArchiveLoadFailed as error:
            yield RawRecord(record=index, format="warc", **base, error=(
                f"cannot read WARC after {index} responses: {error}"))


def _warc_response(warc_record: Any, mime: str, content_type: str, index: int,
                   base: dict[str, Any]) -> RawRecord:
    url = warc_record.rec_headers.get_header("WARC-Target-URI")
    crawl_date = warc_record.rec_headers.get_header("WARC-Date")
    payload = warc_record.content_stream().read()
    charset = re.search(r"charset=[\"']?([\w.:-]+)", content_type, flags=re.I)
    try:
        text, encoding = _decode_payload(payload, charset.group(1) if charset else None)
        fields: dict[str, Any] = (
            {"text": text} if mime == "text/plain" else extract_html(text, url=url)
        )
    except (DecodeError, HtmlExtractionError) as error:
        return RawRecord(record=index, format="warc", error=f"{error} (WARC response {url})",
                         fields={"url": url, "crawl_date": crawl_date}, **base)
    canonical = fields.get("url")
    if canonical and canonical != url:
        fields["canonical_url"] = canonical
    fields.update({"url": url, "crawl_date": crawl_date})
    return RawRecord(record=index, format="warc", fields=fields, encoding=encoding, **base)


def _decode_payload(payload: bytes, charset: str | None) -> tuple[str, str]:
    """Decode a WARC payload with its declared charset, falling back to :func:`decode_bytes`."""
    if charset:
        try:
            text = payload.decode(charset)
            if text.strip():
                text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
                return text, charset.lower()
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(payload)


