r"""The JSONL reader: one record per non-blank line of a JSON Lines file, streamed.

Each line must be one JSON object; its keys are mapped to canonical fields with the column
presets of :mod:`mediaprov.ingest.columns` (guessed from the first object when none is given).
A line that is too long, too deeply nested, not UTF-8, not JSON or not an object becomes one
quarantined record naming its line; the file goes on.

Example:
    >>> import tempfile
    >>> from mediaprov.ingest.limits import ReadOptions
    >>> path = Path(tempfile.mkdtemp()) / "feed.jsonl"
    >>> _ = path.write_text('{"headline": "H", "body": "B"}\n\n[1]\n')
    >>> options = ReadOptions(format="auto", columns=None, max_bytes=1 << 20, seconds=None)
    >>> base = {"raw_path": "feed.jsonl", "raw_sha256": ""}
    >>> for r in read_jsonl(path, base, options):
    ...     print(r.record, r.fields, r.error)
    0 {'title': 'H', 'text': 'B'} None
    2 {} invalid JSON on line 3: a list, not an object
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from mediaprov.ingest.columns import PRESETS, ColumnsError, guess_preset, resolve_columns
from mediaprov.ingest.limits import ReadOptions, describe_error
from mediaprov.ingest.records import RawRecord
from mediaprov.ingest.rows import mapped_fields

__all__ = ["MAX_JSON_DEPTH", "json_depth", "read_jsonl", "read_lines"]

MAX_JSON_DEPTH = 100
"""Deepest nesting of arrays and objects a JSONL record may have (an article record needs a few
levels; a deep one would hit Python's recursion limit, which depends on the process, in json.loads)."""

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')


def json_depth(line: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text, in linear time (strings skipped).

    Args:
        line: one JSON text (a JSONL line).

    Returns:
        The depth (0 for a scalar).

    Example:
        >>> json_depth(b'{"a": [[1], "[[["]}')
        3
    """
    import numpy as np

    bare = np.frombuffer(_JSON_STRING.sub(b'""', line), dtype=np.uint8)
    steps = (np.isin(bare, (ord("["), ord("{"))).astype(np.int64)
             - np.isin(bare, (ord("]"), ord("}"))).astype(np.int64))
    return int(np.cumsum(steps).max(initial=0))


def _jsonl_mapping(columns: Any, keys: list[str]) -> dict[str, str]:
    """Column mapping of a JSONL file: keys vary by line, so presets apply whole (lenient)."""
    if columns is None:
        return dict(PRESETS[guess_preset(keys)])
    if isinstance(columns, str) and "=" not in columns:
        return dict(PRESETS[columns])
    return resolve_columns(columns, keys)


def read_lines(handle: IO[bytes], limit: int) -> Iterator[bytes | int]:
    r"""Lines of a binary file, each at most ``limit`` bytes, or the length of a longer one.

    A line longer than ``limit`` yields its length (an ``int``) instead, without ever holding
    more than ``limit`` bytes of it.

    Args:
        handle: a file opened in binary mode.
        limit: the most bytes one line may hold.

    Yields:
        Each line (with its ``\n``), or the length of a line that is too long.

    Example:
        >>> import io
        >>> list(read_lines(io.BytesIO(b"ab\n" + b"x" * 9 + b"\nc"), 5))
        [b'ab\n', 10, b'c']
    """
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


def read_jsonl(file: Path, base: dict[str, Any], options: ReadOptions) -> Iterator[RawRecord]:
    r"""The records of one JSONL file, streamed line by line.

    Args:
        file: the file.
        base: the fields every record of the file shares (``raw_path``, ``raw_sha256``,
            ``folder``).
        options: the reading options (column mapping, most bytes per line).

    Yields:
        One :class:`~mediaprov.ingest.records.RawRecord` per non-blank line (``record`` = line
        index), with ``fields`` or an ``error``; one error record when the file has no line.

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "empty.jsonl"; _ = path.write_text("\n")
        >>> options = ReadOptions(format="auto", columns=None, max_bytes=1 << 20, seconds=None)
        >>> [r.error for r in read_jsonl(path, {"raw_path": "empty.jsonl", "raw_sha256": ""}, options)]
        ['no records: the JSONL file holds no non-blank line']
    """
    mapping: dict[str, str] | None = None
    found = 0
    with open(file, "rb") as handle:
        for index, raw_line in enumerate(read_lines(handle, options.max_bytes)):
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
                                error=f"invalid JSON on line {line_number}: {describe_error(error)}")
                continue
            if not isinstance(item, dict):
                yield RawRecord(record=index, format="jsonl", **base, error=(
                    f"invalid JSON on line {line_number}: a {type(item).__name__}, "
                    "not an object"))
                continue
            try:
                if mapping is None:
                    mapping = _jsonl_mapping(options.columns, [str(key) for key in item])
                fields = mapped_fields(item, mapping)
            except ColumnsError as error:
                yield RawRecord(record=index, format="jsonl", **base,
                                error=f"line {line_number}: {error}")
                continue
            except (ValueError, TypeError, RecursionError) as error:
                yield RawRecord(record=index, format="jsonl", **base,
                                error=f"cannot read line {line_number}: {describe_error(error)}")
                continue
            yield RawRecord(record=index, format="jsonl", fields=fields, encoding="utf-8", **base)
    if not found:
        yield RawRecord(record=0, format="jsonl", **base,
                        error="no records: the JSONL file holds no non-blank line")
