"""Structured rows (a JSON object, a CSV row) to the canonical fields of a record.

The column mapping comes from :mod:`mediaprov.ingest.columns`; this module applies it to one row:
values become text (lists joined, objects as JSON, blanks and booleans dropped) and the first
non-empty column mapped to a field wins.

Example:
    >>> mapped_fields({"headline": "H", "body": " "}, {"headline": "title", "body": "text"})
    {'title': 'H'}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["as_text", "mapped_fields"]


def mapped_fields(item: Mapping[str, Any], mapping: Mapping[str, str]) -> dict[str, Any]:
    """Canonical fields of one JSON object or CSV row; the first non-empty column wins.

    Args:
        item: the row, ``{input column: value}``.
        mapping: ``{input column: canonical field}``, in order of preference.

    Returns:
        ``{canonical field: text}``; a ``date`` field comes with ``date_source="structured"``.

    Example:
        >>> mapped_fields({"a": "", "b": "2024-03-05"}, {"a": "date", "b": "date"})
        {'date': '2024-03-05', 'date_source': 'structured'}
    """
    fields: dict[str, Any] = {}
    for column, canonical in mapping.items():
        if canonical in fields:
            continue
        value = as_text(item.get(column))
        if value is not None:
            fields[canonical] = value
    if "date" in fields:
        fields.setdefault("date_source", "structured")
    return fields


def as_text(value: Any) -> str | None:
    r"""Render a JSON or CSV value as a string, or ``None`` when it holds no text.

    Lists are joined by ``", "`` (their blank, boolean and nested items dropped), objects are
    written as JSON, line endings become ``\n``; blanks and booleans are ``None`` (``"text":
    true`` is no body).

    Args:
        value: the value of one column.

    Returns:
        The text, or ``None``.

    Example:
        >>> as_text(["Ana Ruiz", None, " Li Wei "]), as_text(True), as_text("  ")
        ('Ana Ruiz, Li Wei', None, None)
    """
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
