r"""The CSV reader: one record per data row of a CSV or TSV export, streamed.

The delimiter is a tab for ``.tsv``, else sniffed from the header line; the encoding was told from
the whole file while it was hashed (:func:`mediaprov.ingest.decoding.hash_and_encoding`). The
header is mapped to canonical fields with the column presets of :mod:`mediaprov.ingest.columns`.
A row broken by an unbalanced quote is quarantined alone and the lines it swallowed are read
again as rows; a line longer than one record may hold is skipped without being held.

Example:
    >>> import tempfile
    >>> from mediaprov.ingest.limits import ReadOptions
    >>> path = Path(tempfile.mkdtemp()) / "export.csv"
    >>> _ = path.write_text("title,text\nH,Body one\nH2,Body two\n")
    >>> options = ReadOptions(format="auto", columns=None, max_bytes=1 << 20, seconds=None)
    >>> base = {"raw_path": "export.csv", "raw_sha256": ""}
    >>> [r.fields["text"] for r in read_csv(path, path.read_bytes(), base, options, "utf-8")]
    ['Body one', 'Body two']
"""

from __future__ import annotations

import csv
from collections import Counter, deque
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from mediaprov.ingest.columns import ColumnsError, resolve_columns
from mediaprov.ingest.limits import ReadOptions, RecordTimeout, describe_error, record_budget
from mediaprov.ingest.records import RawRecord
from mediaprov.ingest.rows import mapped_fields

__all__ = ["read_csv"]


class _LineTooLong(Exception):
    """A CSV line longer than the most one record may hold (skipped without being held)."""


class _Lines:
    """The lines of a text file for :mod:`csv`, with the lines of the current row kept.

    Lines can be pushed back (to re-read the rows an unbalanced quote swallowed). A line longer
    than ``limit`` characters raises :class:`_LineTooLong` after skipping it in chunks.
    """

    def __init__(self, handle: IO[str], limit: int) -> None:
        self._handle = handle
        self._limit = limit
        self._pushed: deque[tuple[int, str]] = deque()
        self.number = 0  # physical line number of the last line handed out
        self.taken: list[tuple[int, str]] = []

    def __iter__(self) -> _Lines:
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


def read_csv(file: Path, head: bytes, base: dict[str, Any], options: ReadOptions,
             encoding: str | None) -> Iterator[RawRecord]:
    r"""The records of one CSV or TSV file, streamed row by row.

    Args:
        file: the file.
        head: its first bytes (to sniff the delimiter).
        base: the fields every record of the file shares (``raw_path``, ``raw_sha256``,
            ``folder``).
        options: the reading options (column mapping, most bytes per record).
        encoding: the encoding of the whole file, or ``None`` when it is neither UTF-8 nor
            cp1252 (the file is then quarantined).

    Yields:
        One :class:`~mediaprov.ingest.records.RawRecord` per data row (``record`` = row index),
        with ``fields`` or an ``error``; one error record when the file or its header cannot be
        read.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "a.csv"; _ = path.write_text("id,views\n1,2\n")
        >>> options = ReadOptions(format="auto", columns=None, max_bytes=1 << 20, seconds=None)
        >>> base = {"raw_path": "a.csv", "raw_sha256": ""}
        >>> next(read_csv(path, path.read_bytes(), base, options, "utf-8")).error.split(" (")[0]
        'header matches no column mapping'
    """
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
    """The column mapping of a CSV header, or why the file cannot be read.

    The quarantine reason names the columns found.
    """
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
    """The data rows of a CSV file.

    A row broken by an unbalanced quote is quarantined alone and the lines it swallowed are read
    again as rows.
    """
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
        if error is None and row is not None and len(row) == len(header):  # row: no error
            try:
                fields = mapped_fields(dict(zip(header, row, strict=True)), mapping)
            except Exception as caught:  # noqa: BLE001 - one row must not abort the file
                yield RawRecord(record=index, format="csv", encoding=encoding, **base,
                                error=f"CSV row {index} (line {first_line}): {describe_error(caught)}")
            else:
                yield RawRecord(record=index, format="csv", encoding=encoding, **base,
                                fields=fields)
            index += 1
            continue
        if error is not None and len(taken) == 1:  # one line: read it leniently
            lenient = next(csv.reader([taken[0][1]], delimiter=delimiter), [])
            if len(lenient) == len(header):
                yield RawRecord(record=index, format="csv", encoding=encoding, **base,
                                fields=mapped_fields(dict(zip(header, lenient, strict=True)), mapping))
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
