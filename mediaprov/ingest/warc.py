"""The WARC reader: one record per HTML or plain-text ``response`` of a web archive, streamed.

Fields come from :func:`~mediaprov.ingest.html.extract_html` (plain text goes to
``fields["text"]``), with ``url`` = WARC-Target-URI (a differing canonical link kept as
``canonical_url``) and ``crawl_date`` = WARC-Date, which is never used as the publication
``date``. A response that cannot be read is quarantined alone; a truncated or corrupt archive ends
with one quarantined record saying after how many responses.

Example:
    >>> import tempfile
    >>> from mediaprov.ingest.limits import ReadOptions
    >>> path = Path(tempfile.mkdtemp()) / "crawl.warc"; _ = path.write_bytes(b"")
    >>> options = ReadOptions(format="auto", columns=None, max_bytes=1 << 20, seconds=None)
    >>> [r.error for r in read_warc(path, {"raw_path": "crawl.warc", "raw_sha256": ""}, options)]
    ['no records: the WARC file holds no HTML or plain-text response']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mediaprov.ingest.decoding import DecodeError, decode_payload
from mediaprov.ingest.html import HtmlExtractionError, extract_html
from mediaprov.ingest.limits import ReadOptions, RecordTimeout, describe_error, record_budget
from mediaprov.ingest.records import RawRecord

__all__ = ["TEXT_PAYLOADS", "read_warc"]

TEXT_PAYLOADS: tuple[str, ...] = ("text/html", "application/xhtml+xml", "text/plain")
"""Content types of the responses read; other responses (images, scripts...) are passed over."""


def read_warc(file: Path, base: dict[str, Any], options: ReadOptions) -> Iterator[RawRecord]:
    r"""The records of one WARC file (``.warc`` or ``.warc.gz``), streamed response by response.

    Args:
        file: the archive.
        base: the fields every record of the file shares (``raw_path``, ``raw_sha256``,
            ``folder``).
        options: the reading options (most bytes per payload, time budget per extraction).

    Yields:
        One :class:`~mediaprov.ingest.records.RawRecord` per HTML or plain-text response
        (``record`` = response index), with ``fields`` or an ``error``; one error record for a
        truncated archive or one with no such response.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "cut.warc"; _ = path.write_bytes(b"not a warc")
        >>> options = ReadOptions(format="auto", columns=None, max_bytes=1 << 20, seconds=None)
        >>> next(read_warc(path, {"raw_path": "cut.warc", "raw_sha256": ""}, options)).error[:24]
        'cannot read WARC after 0'
    """
    from warcio.archiveiterator import ArchiveIterator

    index = 0
    end = 0  # where the last complete record ends: bytes after it are a truncated record
    with open(file, "rb") as handle:
        try:
            archive = ArchiveIterator(handle)
            for warc_record in archive:
                record = None
                http = warc_record.http_headers if warc_record.rec_type == "response" else None
                content_type = (http.get_header("Content-Type") if http else None) or ""
                mime = content_type.split(";")[0].strip().lower()
                if mime in TEXT_PAYLOADS:
                    try:
                        record = _warc_response(warc_record, mime, content_type, index, base,
                                                options)
                    except RecordTimeout as error:
                        record = RawRecord(record=index, format="warc", **base,
                                           error=f"WARC response {error}")
                    except Exception as error:  # noqa: BLE001 - one response must not abort
                        record = RawRecord(record=index, format="warc", **base, error=(
                            f"cannot read WARC response: {describe_error(error)}"))
                archive.read_to_end(warc_record)
                end = archive.get_record_offset() + archive.get_record_length()
                if record is not None:
                    yield record
                    index += 1
        except Exception as error:  # truncated or corrupt archive: warcio raises many kinds
            yield RawRecord(record=index, format="warc", **base, error=(
                f"cannot read WARC after {index} responses: {describe_error(error)}"))
            return
        handle.seek(end)
        rest = handle.read(4096)
    if rest.strip(b"\r\n\t \x00"):
        yield RawRecord(record=index, format="warc", **base, error=(
            f"truncated WARC: bytes after offset {end} are not a complete record "
            f"(after {index} responses)"))
        return
    if index == 0:
        yield RawRecord(record=0, format="warc", **base, error=(
            "no records: the WARC file holds no HTML or plain-text response"))


def _warc_response(warc_record: Any, mime: str, content_type: str, index: int,
                   base: dict[str, Any], options: ReadOptions) -> RawRecord:
    """One record of a text or HTML response (an error record when it cannot be read)."""
    url = warc_record.rec_headers.get_header("WARC-Target-URI")
    crawl_date = warc_record.rec_headers.get_header("WARC-Date")
    payload = warc_record.content_stream().read(options.max_bytes + 1)
    if len(payload) > options.max_bytes:
        return RawRecord(record=index, format="warc", **base, fields={"url": url}, error=(
            f"WARC response {url} is larger than the {options.max_bytes / 1e6:.1f} MB one "
            "article may hold: not read"))
    charset = re.search(r"charset=[\"']?([\w.:-]+)", content_type, flags=re.I)
    try:
        text, encoding = decode_payload(payload, charset.group(1) if charset else None)
        with record_budget(options.seconds):
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
