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
import errno
import hashlib
import json
import os
import re
import signal
import stat
import threading
from collections import Counter, deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from mediaprov.io import sha256_bytes
from mediaprov.ingest.columns import PRESETS, ColumnsError, guess_preset, resolve_columns
from mediaprov.ingest.html import HtmlExtractionError, extract_html
from mediaprov.ingest.records import FORMATS, RawRecord

__all__ = [
    "MAX_RECORD_BYTES", "SUPPORTED_FORMATS", "DecodeError", "IngestInputError", "RecordTimeout",
    "WalkEntry", "decode_bytes", "detect_format", "iter_records", "record_budget", "safe_name",
    "walk",
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
MAX_RECORD_BYTES: int = 1 << 23
"""8 MiB: the most one record (a page, a scrape, a JSON line, a CSV field, a WARC payload) may
hold; a larger record is quarantined unread, so memory stays bounded for any single input."""
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
    if _HTML_START.match(sample[:4096]):
        return "html"
    if sample.startswith(b"WARC/"):
        return "warc"
    return by_extension


class RecordTimeout(BaseException):
    """One record took longer than its time budget (see :func:`record_budget`).

    A ``BaseException``, like ``KeyboardInterrupt``, so that a library's ``except Exception``
    cannot swallow it and carry on past the budget; every budgeted block catches it by name.
    """


@contextmanager
def record_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`RecordTimeout` in the block when it runs longer than ``seconds``.

    Uses ``SIGALRM`` (a real-time interval timer), so it interrupts pure-Python work and regular
    expressions; it is a no-op outside the main thread, on platforms without ``setitimer``, or
    when ``seconds`` is ``None`` or not positive.

    Example:
        >>> with record_budget(5.0):
        ...     sum(range(10))
        45
    """
    usable = (seconds is not None and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def _expired(signum: int, frame: object) -> None:
        raise RecordTimeout(f"took more than {seconds:g} s (time budget per record)")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def safe_name(name: str) -> str:
    """A file name as a valid UTF-8 string: undecodable bytes become ``\\xNN`` escapes.

    File names are bytes on POSIX; Python keeps undecodable ones as lone surrogates, which no
    table can store. The escaped form is stable, readable and never fails to encode.

    Example:
        >>> safe_name("caf\\udce9.txt")
        'caf\\\\xe9.txt'
        >>> safe_name("café.txt")
        'café.txt'
    """
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", errors="backslashreplace")


@dataclass(frozen=True)
class WalkEntry:
    """One entry met while walking the input: a file to read, or why it is not read.

    Attributes:
        path: the path to open (a symlink is opened through its link).
        raw_path: the entry relative to the input root, POSIX separators, bytes-safe.
        folder: the name of the folder that holds it (``None`` at the root).
        skipped: why the entry is not an input at all (hidden, reference file, ground truth,
            a folder already walked); such entries are listed in the run's summary.
        error: why an input cannot be read (dangling link, special file, link outside the
            input); it becomes one quarantined record.
    """

    path: Path
    raw_path: str
    folder: str | None = None
    skipped: str | None = None
    error: str | None = None


def walk(root: Path, *, follow_outside_links: bool = False) -> list[WalkEntry]:
    """Every entry under ``root`` that is read, quarantined or skipped, sorted by ``raw_path``.

    Hidden entries, ``README.md``, ``MANIFEST.json``, datasheets (``datasheet*``) and folders
    named ``truth`` are skipped with a reason. Symbolic links to folders are followed, with a
    guard against loops (a folder reached twice is skipped, naming where it was walked);
    links whose target lies outside ``root`` are refused unless ``follow_outside_links``;
    dangling links and special files (FIFOs, sockets, devices) are inputs that cannot be read.

    Args:
        root: the input folder.
        follow_outside_links: read links that point outside ``root``.

    Returns:
        The entries, sorted by ``raw_path``.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp()); _ = (folder / "a.txt").write_text("x")
        >>> _ = (folder / "README.md").write_text("about")
        >>> [(e.raw_path, e.skipped) for e in walk(folder)]
        [('README.md', 'reference file (documents the corpus, not part of it)'), ('a.txt', None)]
    """
    root = Path(root)
    real_root = os.path.realpath(root)
    entries: list[WalkEntry] = []
    visited: dict[tuple[int, int], str] = {}
    root_stat = os.stat(root)
    visited[(root_stat.st_dev, root_stat.st_ino)] = "."
    queue: list[tuple[Path, str]] = [(root, "")]
    linked: list[tuple[Path, str]] = []  # folders reached through a link: walked after real ones
    while queue or linked:
        if queue:
            folder, prefix = queue.pop()
        else:
            folder, prefix = linked.pop(0)
            try:
                info = os.stat(folder)
            except OSError as error:
                entries.append(WalkEntry(folder, prefix, error=(
                    f"cannot open linked folder: {error.strerror or error}")))
                continue
            key = (info.st_dev, info.st_ino)
            if key in visited:
                entries.append(WalkEntry(folder, prefix, skipped=(
                    f"symlink to a folder already walked as {visited[key]}/ "
                    "(a loop or a second link): its files are read once")))
                continue
            visited[key] = prefix.rstrip("/")
        try:
            children = sorted(os.scandir(folder), key=lambda item: item.name)
        except OSError as error:
            entries.append(WalkEntry(folder, prefix or ".", error=(
                f"cannot list folder: {error.strerror or error}")))
            continue
        holder = prefix.rstrip("/").rsplit("/", 1)[-1] or None
        for child in children:
            name = safe_name(child.name)
            relative = prefix + name
            path = Path(child.path)
            if name.startswith("."):
                entries.append(WalkEntry(path, relative + ("/" if _is_dir(child) else ""),
                                         holder, skipped="hidden entry"))
                continue
            is_link = child.is_symlink()
            if is_link:
                problem = _link_problem(path, real_root, follow_outside_links)
                if problem:
                    entries.append(WalkEntry(path, relative, holder, error=problem))
                    continue
            if _is_dir(child):
                if name.lower() in SKIPPED_FOLDERS:
                    entries.append(WalkEntry(path, relative + "/", holder,
                                             skipped="ground-truth folder, not input"))
                    continue
                if is_link:
                    linked.append((path, relative + "/"))
                else:
                    info = child.stat()
                    visited.setdefault((info.st_dev, info.st_ino), relative)
                    queue.append((path, relative + "/"))
                continue
            kind = _special_kind(child)
            if kind:
                entries.append(WalkEntry(path, relative, holder,
                                         error=f"special file ({kind}), not read"))
                continue
            lower = name.lower()
            if lower in SKIPPED_NAMES or lower.startswith("datasheet"):
                entries.append(WalkEntry(path, relative, holder, skipped=(
                    "reference file (documents the corpus, not part of it)")))
                continue
            entries.append(WalkEntry(path, relative, holder))
    return sorted(entries, key=lambda entry: entry.raw_path)


def _is_dir(child: os.DirEntry) -> bool:
    try:
        return child.is_dir()
    except OSError:
        return False


def _special_kind(child: os.DirEntry) -> str | None:
    """The kind of a non-regular file (``FIFO``, ``socket``, ``device``), else ``None``."""
    try:
        mode = child.stat().st_mode
    except OSError:
        return "unreadable"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "not a regular file"


def _link_problem(path: Path, real_root: str, follow_outside_links: bool) -> str | None:
    """Why a symbolic link is not followed (dangling, looping, outside the input), or ``None``."""
    try:
        target = os.readlink(path)
    except OSError as error:
        return f"unreadable symlink: {error.strerror or error}"
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return f"symlink loop ({safe_name(target)}), not followed"
        return f"dangling symlink to {safe_name(target)}: its target does not exist"
    real = os.path.realpath(path)
    inside = real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)
    if not inside and not follow_outside_links:
        return (f"symlink to {safe_name(real)}, outside the input folder: not read "
                "(pass --follow-outside-links to read it)")
    return None


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
    """Walk a file or a folder and yield every record of every input file, in a fixed order.

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
        >>> _ = (folder / "feed.jsonl").write_text('{"headline": "H", "body": "B"}\\n')
        >>> [r.fields for r in iter_records(folder)]
        [{'title': 'H', 'text': 'B'}]
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
    options = _Options(format=format, columns=columns, max_bytes=max_record_bytes,
                       seconds=record_seconds)
    return _iter_checked(path, options, follow_outside_links=follow_outside_links,
                         skipped=skipped)


@dataclass(frozen=True)
class _Options:
    format: str
    columns: Any
    max_bytes: int
    seconds: float | None


def _iter_checked(path: Path, options: _Options, *, follow_outside_links: bool,
                  skipped: list[WalkEntry] | None) -> Iterator[RawRecord]:
    """The generator behind :func:`iter_records`, once its arguments are checked."""
    if not path.is_dir():
        mode = path.stat().st_mode
        problem = None if stat.S_ISREG(mode) else (
            f"special file ({'FIFO' if stat.S_ISFIFO(mode) else 'device or socket'}), not read")
        entries = [WalkEntry(path, safe_name(path.name), error=problem)]
    else:
        entries = walk(path, follow_outside_links=follow_outside_links)
    for entry in entries:
        if entry.skipped:
            if skipped is not None:
                skipped.append(entry)
            continue
        base = {"raw_path": entry.raw_path, "raw_sha256": "", "folder": entry.folder}
        if entry.error:
            yield RawRecord(record=0, format=_format_by_name(entry.raw_path), error=entry.error,
                            **base)
            continue
        yield from _guarded(_read_file(entry.path, entry.raw_path, folder=entry.folder,
                                       options=options), base)


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
            f"cannot read the file {where}: {_describe(error)}; the rest of the file is skipped"))


def _describe(error: BaseException) -> str:
    """``Type: message``, cut to a readable length."""
    message = str(error)
    if len(message) > 300:
        message = message[:300] + "..."
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _read_file(file: Path, raw_path: str, *, folder: str | None,
               options: _Options) -> Iterator[RawRecord]:
    """Yield the records of one file, with its hash computed first.

    A single-article file (a scrape or HTML page of at most ``max_bytes``) is read once and
    hashed from memory; a JSONL, CSV or WARC file is hashed in chunks, then streamed; a larger
    single-article file is hashed in chunks and quarantined unread.
    """
    size = file.stat().st_size
    streamed = file.name.lower().endswith(_STREAMED_SUFFIXES)
    data = None if streamed or size > options.max_bytes else file.read_bytes()
    encoding: str | None = None
    if data is not None:
        digest, head = sha256_bytes(data), data[:_SNIFF_BYTES]
    else:
        with open(file, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
        digest, encoding = _hash_and_encoding(file, head)
    kind = options.format if options.format != "auto" else detect_format(file, head)
    base = {"raw_path": raw_path, "raw_sha256": digest, "folder": folder}
    if kind in ("text", "html") and data is None:
        yield RawRecord(record=0, format=kind, **base, error=(
            f"file of {size / 1e6:.1f} MB is larger than the {options.max_bytes / 1e6:.1f} MB one "
            "article may hold: not read (split it, or raise --max-record-mb)"))
    elif kind == "text":
        yield _read_text(base, data)
    elif kind == "html":
        yield _read_html(base, data, options)
    elif kind == "jsonl":
        yield from _read_jsonl(file, base, options)
    elif kind == "csv":
        yield from _read_csv(file, head, base, options, encoding)
    elif kind == "warc":
        yield from _read_warc(file, base, options)
    else:
        yield _unsupported(file, head, base)


def _hash_and_encoding(file: Path, head: bytes) -> tuple[str, str | None]:
    """SHA-256 of a file and the encoding of the whole file (checked in the same pass).

    The encoding is told from the whole file, not its first bytes, so that a cp1252 file whose
    first accent comes late is not read as UTF-8 and cut short: a BOM wins; else UTF-8 when every
    byte decodes; else cp1252 when no control characters appear; else ``None``.
    """
    digest = hashlib.sha256()
    bom = next((name for mark, name in _BOMS if head.startswith(mark)), None)
    utf8 = codecs.getincrementaldecoder("utf-8")() if bom is None else None
    cp1252_ok = bom is None
    with open(file, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            if utf8 is not None:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = None
            if cp1252_ok and utf8 is None:
                try:
                    cp1252_ok = not _BAD_CONTROL.search(chunk.decode("cp1252"))
                except UnicodeDecodeError:
                    cp1252_ok = False
    if bom is not None:
        encoding: str | None = {"utf-8": "utf-8-sig", "utf-16-le": "utf-16",
                                "utf-16-be": "utf-16", "utf-32-le": "utf-32",
                                "utf-32-be": "utf-32"}[bom]
    elif utf8 is not None:
        try:
            utf8.decode(b"", final=True)
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252" if cp1252_ok else None
    else:
        encoding = "cp1252" if cp1252_ok else None
    return digest.hexdigest(), encoding


def _read_text(base: dict[str, Any], data: bytes) -> RawRecord:
    try:
        text, encoding = decode_bytes(data)
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
        >>> decode_html(page.encode("iso-8859-2"))[1]  # the codec's canonical name
        'iso8859-2'
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


MAX_JSON_DEPTH = 100
"""Deepest nesting of arrays and objects a JSONL record may have (an article record needs a few
levels; a deep one would hit Python's recursion limit, which depends on the process, in json.loads)."""

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')


def json_depth(line: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text, in linear time (strings skipped).

    Example:
        >>> json_depth(b'{"a": [[1], "[[["]}')
        3
    """
    import numpy as np

    bare = np.frombuffer(_JSON_STRING.sub(b'""', line), dtype=np.uint8)
    steps = (np.isin(bare, (ord("["), ord("{"))).astype(np.int64)
             - np.isin(bare, (ord("]"), ord("}"))).astype(np.int64))
    return int(np.cumsum(steps).max(initial=0))


def _read_html(base: dict[str, Any], data: bytes, options: _Options) -> RawRecord:
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
    """Render a JSON or CSV value as a string: lists joined by ", ", blanks and booleans as
    ``None`` (``"text": true`` is no body)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, list):
        value = ", ".join(str(v).strip() for v in value
                          if v is not None and not isinstance(v, (bool, dict, list))
                          and str(v).strip())
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text if text.strip() else None


def _jsonl_mapping(columns: Any, keys: list[str]) -> dict[str, str]:
    """Column mapping of a JSONL file: keys vary by line, so presets apply whole (lenient)."""
    if columns is None:
        return dict(PRESETS[guess_preset(keys)])
    if isinstance(columns, str) and "=" not in columns:
        return dict(PRESETS[columns])
    return resolve_columns(columns, keys)


def _read_lines(handle: IO[bytes], limit: int) -> Iterator[bytes | int]:
    """Lines of a binary file, each at most ``limit`` bytes; a longer line yields its length
    (an ``int``) instead, without ever holding more than ``limit`` bytes of it."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        length = len(line)
        while line and not line.endswith(b"\n"):
            line = handle.readline(1 << 20)
            length += len(line)
        yield length


def _read_jsonl(file: Path, base: dict[str, Any], options: _Options) -> Iterator[RawRecord]:
    mapping: dict[str, str] | None = None
    found = 0
    with open(file, "rb") as handle:
        for index, raw_line in enumerate(_read_lines(handle, options.max_bytes)):
            line_number = index + 1
            if isinstance(raw_line, int):
                found += 1
                yield RawRecord(record=index, format="jsonl", **base, error=(
                    f"JSON line {line_number} of {raw_line / 1e6:.1f} MB is larger than the "
                    f"{options.max_bytes / 1e6:.1f} MB one article may hold: not read"))
                continue
            if index == 0 and raw_line.startswith(codecs.BOM_UTF8):
                raw_line = raw_line[len(codecs.BOM_UTF8):]
            if not raw_line.strip():
                continue
            found += 1
            brackets = raw_line.count(b"[") + raw_line.count(b"{")  # a bound: exact depth only when needed
            depth = json_depth(raw_line) if brackets > MAX_JSON_DEPTH else brackets
            if depth > MAX_JSON_DEPTH:
                yield RawRecord(record=index, format="jsonl", **base, error=(
                    f"invalid JSON on line {line_number}: nested {depth} levels deep, more than the "
                    f"{MAX_JSON_DEPTH} an article record may have (RecursionError guard)"))
                continue
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
            except (ValueError, RecursionError) as error:  # 4,300-digit ints, deep nesting
                yield RawRecord(record=index, format="jsonl", **base,
                                error=f"invalid JSON on line {line_number}: {_describe(error)}")
                continue
            if not isinstance(item, dict):
                yield RawRecord(record=index, format="jsonl", **base, error=(
                    f"invalid JSON on line {line_number}: a {type(item).__name__}, "
                    "not an object"))
                continue
            try:
                if mapping is None:
                    mapping = _jsonl_mapping(options.columns, [str(key) for key in item])
                fields = _mapped_fields(item, mapping)
            except ColumnsError as error:
                yield RawRecord(record=index, format="jsonl", **base,
                                error=f"line {line_number}: {error}")
                continue
            except (ValueError, TypeError, RecursionError) as error:
                yield RawRecord(record=index, format="jsonl", **base,
                                error=f"cannot read line {line_number}: {_describe(error)}")
                continue
            yield RawRecord(record=index, format="jsonl", fields=fields, encoding="utf-8", **base)
    if not found:
        yield RawRecord(record=0, format="jsonl", **base,
                        error="no records: the JSONL file holds no non-blank line")


class _LineTooLong(Exception):
    """A CSV line longer than the most one record may hold (skipped without being held)."""


class _Lines:
    """The lines of a text file for :mod:`csv`, with the lines of the current row kept and a
    way to push lines back (to re-read the rows an unbalanced quote swallowed). A line longer
    than ``limit`` characters raises :class:`_LineTooLong` after skipping it in chunks."""

    def __init__(self, handle: IO[str], limit: int) -> None:
        self._handle = handle
        self._limit = limit
        self._pushed: deque[tuple[int, str]] = deque()
        self.number = 0  # physical line number of the last line handed out
        self.taken: list[tuple[int, str]] = []

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        if self._pushed:
            self.number, line = self._pushed.popleft()
        else:
            line = self._handle.readline(self._limit + 1)
            if not line:
                raise StopIteration
            self.number += 1
            if len(line) > self._limit and not line.endswith(("\n", "\r")):
                while line and not line.endswith(("\n", "\r")):
                    line = self._handle.readline(1 << 20)
                raise _LineTooLong(self.number)
        self.taken.append((self.number, line))
        return line

    def push_back(self, lines: list[tuple[int, str]]) -> None:
        self._pushed.extendleft(reversed(lines))


def _read_csv(file: Path, head: bytes, base: dict[str, Any], options: _Options,
              encoding: str | None) -> Iterator[RawRecord]:
    if encoding is None:
        yield RawRecord(record=0, format="csv", **base, error=(
            "cannot decode: not valid UTF-8 or cp1252 (the whole file was checked)"))
        return
    if not head.strip():
        yield RawRecord(record=0, format="csv", error="empty file", **base)
        return
    csv.field_size_limit(max(1024, min(options.max_bytes, 2**31 - 1)))
    delimiter = "\t" if file.name.lower().endswith(".tsv") else _sniff_delimiter(head, encoding)
    with open(file, encoding=encoding, newline="") as handle:
        lines = _Lines(handle, options.max_bytes)
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        try:
            header = next(reader, None)
        except _LineTooLong:
            yield RawRecord(record=0, format="csv", encoding=encoding, **base, error=(
                f"the CSV header line is longer than the {options.max_bytes / 1e6:.1f} MB one "
                "record may hold: not read"))
            return
        except csv.Error as error:
            yield RawRecord(record=0, format="csv", encoding=encoding, **base,
                            error=f"cannot read the CSV header: {error}")
            return
        if not header or not any(cell.strip() for cell in header):
            yield RawRecord(record=0, format="csv", error="empty file", **base)
            return
        problem = _header_problem(header, options.columns)
        if isinstance(problem, str):
            yield RawRecord(record=0, format="csv", encoding=encoding, **base, error=problem)
            return
        mapping = problem
        yield from _csv_rows(lines, reader, header, mapping, delimiter, base, encoding)


def _header_problem(header: list[str], columns: Any) -> dict[str, str] | str:
    """The column mapping of a CSV header, or why the file cannot be read (the quarantine
    reason names the columns found)."""
    shown = ", ".join(repr(c[:40]) for c in header[:12]) + (", ..." if len(header) > 12 else "")
    repeated = sorted(name for name, n in Counter(header).items() if n > 1)
    if repeated:
        return (f"duplicate column names {', '.join(repr(c) for c in repeated)} in the header "
                f"(columns found: {shown}): rename them so each column is read")
    try:
        mapping = resolve_columns(columns, header)
    except ColumnsError as error:
        return f"header matches no column mapping (columns found: {shown}): {error}"
    if "text" not in mapping.values() and "title" not in mapping.values():
        return (f"header matches no column preset (columns found: {shown}): no title or text "
                "column; is it a CSV export? pass --columns 'title=...,text=...'")
    return mapping


def _csv_rows(lines: _Lines, reader: Any, header: list[str], mapping: dict[str, str],
              delimiter: str, base: dict[str, Any], encoding: str) -> Iterator[RawRecord]:
    """The data rows of a CSV file; a row broken by an unbalanced quote is quarantined alone
    and the lines it swallowed are read again as rows."""
    index = 0
    while True:
        lines.taken = []
        try:
            row = next(reader, None)
            error = None
        except _LineTooLong as caught:
            yield RawRecord(record=index, format="csv", encoding=encoding, **base, error=(
                f"CSV row {index} (line {caught.args[0]}) is longer than the most one record "
                "may hold: not read"))
            index += 1
            continue
        except csv.Error as caught:
            row, error = None, caught
        if row is None and error is None:
            return
        taken = lines.taken
        first_line = taken[0][0] if taken else lines.number
        if error is None and not row:
            continue
        if error is None and len(row) == len(header):
            try:
                fields = _mapped_fields(dict(zip(header, row)), mapping)
            except Exception as caught:  # noqa: BLE001 - one row must not abort the file
                yield RawRecord(record=index, format="csv", encoding=encoding, **base,
                                error=f"CSV row {index} (line {first_line}): {_describe(caught)}")
            else:
                yield RawRecord(record=index, format="csv", encoding=encoding, **base,
                                fields=fields)
            index += 1
            continue
        if error is not None and len(taken) == 1:  # one line: read it leniently
            lenient = next(csv.reader([taken[0][1]], delimiter=delimiter), [])
            if len(lenient) == len(header):
                yield RawRecord(record=index, format="csv", encoding=encoding, **base,
                                fields=_mapped_fields(dict(zip(header, lenient)), mapping))
                index += 1
                continue
        if len(taken) > 1:
            lines.push_back(taken[1:])
        found = f"{len(row)} fields, the header has {len(header)}" if row else str(error)
        yield RawRecord(record=index, format="csv", encoding=encoding, **base, error=(
            f"CSV row {index} (line {first_line}) has {found}: fix the quoting or the "
            "delimiter" + ("; the lines after it are read again" if len(taken) > 1 else "")))
        index += 1


def _sniff_delimiter(head: bytes, encoding: str) -> str:
    sample = head[:8192].decode(encoding, errors="ignore")
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in ",;\t|"}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    if counts[best] == 0:
        return ","
    if list(counts.values()).count(counts[best]) == 1:
        return best
    try:
        with record_budget(2.0):
            return csv.Sniffer().sniff(sample[:4096], delimiters=",;\t|").delimiter
    except (csv.Error, RecordTimeout):
        return best


def _read_warc(file: Path, base: dict[str, Any], options: _Options) -> Iterator[RawRecord]:
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
                if mime in _TEXT_PAYLOADS:
                    try:
                        record = _warc_response(warc_record, mime, content_type, index, base,
                                                options)
                    except RecordTimeout as error:
                        record = RawRecord(record=index, format="warc", **base,
                                           error=f"WARC response {error}")
                    except Exception as error:  # noqa: BLE001 - one response must not abort
                        record = RawRecord(record=index, format="warc", **base, error=(
                            f"cannot read WARC response: {_describe(error)}"))
                archive.read_to_end(warc_record)
                end = archive.get_record_offset() + archive.get_record_length()
                if record is not None:
                    yield record
                    index += 1
        except Exception as error:  # truncated or corrupt archive: warcio raises many kinds
            yield RawRecord(record=index, format="warc", **base, error=(
                f"cannot read WARC after {index} responses: {_describe(error)}"))
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
                   base: dict[str, Any], options: _Options) -> RawRecord:
    url = warc_record.rec_headers.get_header("WARC-Target-URI")
    crawl_date = warc_record.rec_headers.get_header("WARC-Date")
    payload = warc_record.content_stream().read(options.max_bytes + 1)
    if len(payload) > options.max_bytes:
        return RawRecord(record=index, format="warc", **base, fields={"url": url}, error=(
            f"WARC response {url} is larger than the {options.max_bytes / 1e6:.1f} MB one "
            "article may hold: not read"))
    charset = re.search(r"charset=[\"']?([\w.:-]+)", content_type, flags=re.I)
    try:
        text, encoding = _decode_payload(payload, charset.group(1) if charset else None)
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


_TEXT_CODECS = frozenset({"utf-8", "utf-16", "utf-32", "utf-8-sig"})


def _decode_payload(payload: bytes, charset: str | None) -> tuple[str, str]:
    """Decode a WARC payload with its declared charset (a text codec only: ``punycode``,
    ``base64`` or ``rot13`` are not charsets), falling back to :func:`decode_bytes`."""
    if charset:
        try:
            info = codecs.lookup(charset)
            if not getattr(info, "_is_text_encoding", True):
                raise LookupError(charset)
            if info.name in ("punycode", "idna", "raw-unicode-escape", "unicode-escape"):
                raise LookupError(charset)
            text = payload.decode(info.name)
            if text.strip():
                text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
                return text, info.name
        except (LookupError, UnicodeError, ValueError):
            pass
    return decode_bytes(payload)
