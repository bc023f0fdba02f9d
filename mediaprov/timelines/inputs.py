"""The reference tables the timelines read: outlets (with camps) and the events overlay."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mediaprov import reference
from mediaprov.ingest.outlets import read_registry

EVENT_COLUMNS: tuple[str, ...] = ("date", "label", "citation", "event_id")


def load_outlets(path: Path | None = None, *, corpus: str | None = None) -> pd.DataFrame:
    """The outlet registry (``outlets.csv``) with every column as text, empty cells missing.

    Args:
        path: the CSV; default ``<reference>/outlets.csv``.
        corpus: scope it to one corpus (see :mod:`mediaprov.reference`).

    Returns:
        The registry; empty cells (such as a camp the researcher has not filled) are missing.

    Raises:
        ValueError: the file has no ``outlet_id`` column.

    Example:
        >>> "camp" in load_outlets().columns
        True
    """
    return read_registry(path, corpus=corpus).astype("string").replace("", pd.NA)


def load_events(path: Path | None = None, *, corpus: str | None = None) -> pd.DataFrame:
    """Read the events overlay (``events.csv``: date, label, citation, event_id).

    Args:
        path: the CSV; default ``<reference>/events.csv``. A missing file gives an empty table.
        corpus: only the events whose pack applies to this corpus (the fictional demo events
            only on the demo corpus), plus ``data/reference/<corpus>/events.csv``.

    Returns:
        Columns ``date`` (UTC), ``label``, ``citation``, ``event_id``, sorted by date then label.

    Raises:
        ValueError: a column is missing, or a date cannot be read (the message gives the line).

    Example:
        >>> list(load_events(Path("/nonexistent.csv")).columns)
        ['date', 'label', 'citation', 'event_id']
    """
    table = reference.read("events", corpus=corpus, path=path)
    if table.empty:
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns, UTC]"),
                             **{c: pd.Series(dtype="string") for c in EVENT_COLUMNS[1:]}})
    where = path if path is not None else reference.table_path("events")
    dates = pd.to_datetime(table["date"], utc=True, errors="coerce", format="mixed")
    if dates.isna().any():
        line = int(dates.index[dates.isna()][0]) + 2  # +1 header, +1 one-based
        raise ValueError(f"{where}, line {line}: cannot read date {table['date'].iloc[line - 2]!r}; "
                         "write it as YYYY-MM-DD")
    table = table.assign(date=dates.astype("datetime64[ns, UTC]"))
    table = table.loc[:, list(EVENT_COLUMNS)].astype({c: "string" for c in EVENT_COLUMNS[1:]})
    return table.sort_values(["date", "label"], kind="stable").reset_index(drop=True)


