"""Large Parquet tables by parts: written chunk by chunk, read slice by slice.

Ingest writes ``articles.parquet`` with :class:`ChunkedTableWriter`, a few thousand rows per row
group, so memory stays bounded however many articles come; :func:`read_rows` reads any slice of
rows back by touching only the row groups that hold it, so a stage can hand a worker (or its own
next step) one slice of a million articles at a time (:func:`mediaprov.features.run_features`).
Both write and read through :mod:`mediaprov.io`: atomic renames, staging folders, schemas.

Example:
    >>> import tempfile
    >>> from mediaprov.schema import STORIES
    >>> target = Path(tempfile.mkdtemp()) / "stories.parquet"
    >>> with ChunkedTableWriter(target, STORIES) as writer:
    ...     for part in ("ab", "cd"):
    ...         writer.write(pd.DataFrame({"article_id": list(part), "story_id": "s", "joined_by": "x"}))
    >>> read_rows(target, 1, 3, STORIES, columns=["article_id"]).article_id.tolist()
    ['b', 'c']
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from mediaprov.io import default_mode, readable_path, staged_path
from mediaprov.schema import Schema, validate

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa


def arrow_schema(schema: Schema) -> pa.Schema:
    """Return the Arrow schema that matches a table schema (lists are lists of strings).

    Example:
        >>> from mediaprov.schema import STORIES
        >>> arrow_schema(STORIES).names
        ['article_id', 'story_id', 'joined_by', 'event_group', 'event_joined_by']
    """
    import pyarrow as pa

    kinds = {
        "string": pa.string(), "Int64": pa.int64(), "float64": pa.float64(),
        "boolean": pa.bool_(), "datetime64[ns, UTC]": pa.timestamp("ns", tz="UTC"),
        "object": pa.list_(pa.string()),
    }
    return pa.schema([(name, kinds[dtype]) for name, dtype in schema.columns.items()])


def arrow_table(frame: pd.DataFrame, schema: Schema, *, where: str = "table") -> pa.Table:
    """A DataFrame validated against ``schema`` and made the Arrow table that is written to Parquet.

    What :meth:`ChunkedTableWriter.write` does to a chunk; a worker that does it in its place hands
    back a table :meth:`ChunkedTableWriter.write_arrow` appends as it is.

    Args:
        frame: the rows, with the schema's columns (optional ones may be missing).
        schema: the table's schema.
        where: named in a validation error.

    Returns:
        The Arrow table, with :func:`arrow_schema`'s schema.

    Raises:
        mediaprov.schema.SchemaError: the rows do not fit the schema.

    Example:
        >>> from mediaprov.schema import STORIES
        >>> arrow_table(pd.DataFrame({"article_id": ["a"], "story_id": ["s"], "joined_by": ["x"]}),
        ...             STORIES).num_rows
        1
    """
    import pyarrow as pa

    table = validate(frame, schema, where=where)
    return pa.Table.from_pandas(table, schema=arrow_schema(schema), preserve_index=False)


def rows_table(rows: list, schema: Schema, *, where: str = "table") -> pa.Table:
    """Rows (dicts, or tuples in the schema's column order) as :func:`arrow_table` makes them, faster.

    Arrow builds the table from the rows directly when it can do so exactly as
    :func:`arrow_table` would (every value already of its column's type; no NaN, which pandas
    would store as missing; no missing list, which it would store as empty); any other batch
    goes through :func:`arrow_table`, which casts what it can and names what it cannot. The
    direct way skips pandas' fixed cost per column, most of the time of a batch of a few hundred
    rows (a worker's parsed articles).

    Args:
        rows: the rows; a dict's keys outside the schema are ignored, its missing ones empty.
        schema: the table's schema.
        where: named in a validation error.

    Returns:
        The Arrow table, with :func:`arrow_schema`'s schema: equal to :func:`arrow_table`'s.

    Raises:
        mediaprov.schema.SchemaError: the rows do not fit the schema.

    Example:
        >>> from mediaprov.schema import STORIES
        >>> rows_table([{"article_id": "a", "story_id": "s", "joined_by": "x"}], STORIES).num_rows
        1
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = arrow_schema(schema)
    exact = not _floats_in_integer_columns(rows, arrow)  # Arrow would truncate 3.5 to 3, pandas refuses it
    if exact:
        try:
            if rows and not isinstance(rows[0], dict):  # tuples in the schema's column order
                table = pa.Table.from_arrays([pa.array(column, type=field.type) for column, field
                                              in zip(zip(*rows, strict=True), arrow, strict=True)], schema=arrow)
            else:
                table = pa.Table.from_pylist(rows, schema=arrow)
            exact = all(not table[name].null_count for name in schema.required) and all(
                not (pa.types.is_floating(field.type) and pc.any(pc.is_nan(table[field.name])).as_py())
                and not (pa.types.is_list(field.type) and table[field.name].null_count)
                for field in arrow)
        except (pa.ArrowException, ValueError, TypeError, OverflowError):
            exact = False
    if exact:
        return table
    return arrow_table(pd.DataFrame(rows, columns=list(schema.columns)), schema, where=where)


def _floats_in_integer_columns(rows: list, arrow: pa.Schema) -> bool:
    """Whether any value of an integer column of ``rows`` is a float (dict or tuple rows)."""
    import numpy as np
    import pyarrow as pa

    whole = [(place, field.name) for place, field in enumerate(arrow) if pa.types.is_integer(field.type)]
    if not rows or not whole:
        return False
    if isinstance(rows[0], dict):
        return any(isinstance(row.get(name), (float, np.floating)) for row in rows for _, name in whole)
    return any(isinstance(row[place], (float, np.floating)) for row in rows for place, _ in whole)


class ChunkedTableWriter:
    """Write a large table to Parquet chunk by chunk, with bounded memory, atomically.

    Chunks are validated against the schema and appended to a temporary file beside the target;
    :meth:`close` renames it into place (an empty table is written when no chunk came).
    Use it as a context manager: on an exception the temporary file is removed.

    Example:
        >>> import tempfile
        >>> from mediaprov.schema import STORIES
        >>> target = Path(tempfile.mkdtemp()) / "stories.parquet"
        >>> with ChunkedTableWriter(target, STORIES) as writer:
        ...     writer.write(pd.DataFrame({"article_id": ["a"], "story_id": ["s"], "joined_by": ["x"]}))
        >>> len(pd.read_parquet(target))
        1
    """

    def __init__(self, path: Path, schema: Schema) -> None:
        import pyarrow.parquet as pq

        self.path = staged_path(Path(path))
        self.schema = schema
        self.rows = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, self._temporary = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        os.close(descriptor)
        default_mode(self._temporary)
        self._arrow = arrow_schema(schema)
        self._writer = pq.ParquetWriter(self._temporary, self._arrow)
        self._closed = False

    def write(self, chunk: pd.DataFrame) -> None:
        """Validate and append one chunk (a DataFrame with the schema's columns)."""
        self.write_arrow(arrow_table(chunk, self.schema, where=str(self.path)))

    def write_arrow(self, table: pa.Table) -> None:
        """Append one chunk already validated and made Arrow (:func:`arrow_table`), e.g. by a worker.

        Args:
            table: the chunk, with the writer's Arrow schema (:func:`arrow_schema`).

        Raises:
            ValueError: the chunk's Arrow schema is not the table's.

        Example:
            >>> import tempfile
            >>> from mediaprov.schema import STORIES
            >>> target = Path(tempfile.mkdtemp()) / "stories.parquet"
            >>> chunk = arrow_table(pd.DataFrame({"article_id": ["a"], "story_id": ["s"],
            ...                                   "joined_by": ["x"]}), STORIES)
            >>> with ChunkedTableWriter(target, STORIES) as writer:
            ...     writer.write_arrow(chunk)
            >>> writer.rows
            1
        """
        if not table.schema.equals(self._arrow):
            raise ValueError(f"{self.path}: a chunk with Arrow schema {table.schema} does not match "
                             f"the table's {self._arrow}")
        self._writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> Path:
        """Finish the file and move it into place; returns the final path.

        Closing twice is harmless.
        """
        if not self._closed:
            self._writer.close()
            os.replace(self._temporary, self.path)
            self._closed = True
        return self.path

    def abort(self) -> None:
        """Drop the temporary file (after an error)."""
        if self._closed:
            return
        self._closed = True
        self._writer.close()
        if os.path.exists(self._temporary):
            os.unlink(self._temporary)

    def __enter__(self) -> ChunkedTableWriter:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


def row_count(path: Path) -> int:
    """The number of rows of a Parquet table, from its footer (no column is read).

    Example:
        >>> import tempfile
        >>> from mediaprov.schema import STORIES
        >>> from mediaprov.io import write_table
        >>> path = Path(tempfile.mkdtemp()) / "stories.parquet"
        >>> _ = write_table(pd.DataFrame({"article_id": list("abc"), "story_id": "s",
        ...                               "joined_by": "x"}), path, STORIES)
        >>> row_count(path)
        3
    """
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(readable_path(path)).metadata.num_rows)


def read_rows(path: Path, start: int, stop: int, schema: Schema, *,
              columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Read rows ``start:stop`` of a Parquet table, touching only the row groups that hold them.

    A stage reads a large table one slice at a time and hands each slice on (to a worker, or to
    its own next step) before reading the next, so it never holds the whole table
    (:func:`mediaprov.features.run_features`). Tables written in chunks
    (:class:`ChunkedTableWriter`, as ingest writes ``articles.parquet``) have row groups of a few
    thousand rows, so a slice reads little more than itself.

    Args:
        path: the ``.parquet`` file.
        start: first row (0-based).
        stop: one past the last row.
        schema: the table's schema: columns are checked and cast as :func:`read_table` does.
        columns: read only these columns.

    Returns:
        The rows, with a fresh ``RangeIndex``: equal to ``read_table(...).iloc[start:stop]``.

    Example:
        >>> import tempfile
        >>> from mediaprov.schema import STORIES
        >>> path = Path(tempfile.mkdtemp()) / "stories.parquet"
        >>> table = pd.DataFrame({"article_id": list("abcde"), "story_id": "s", "joined_by": "x"})
        >>> from mediaprov.io import write_table
        >>> _ = write_table(table, path, STORIES)
        >>> read_rows(path, 1, 3, STORIES, columns=["article_id"]).article_id.tolist()
        ['b', 'c']
    """
    path = readable_path(path)
    wanted = list(columns) if columns is not None else list(schema.columns)
    table = arrow_rows(path, start, stop, columns=wanted).to_pandas()  # validate adds the optional rest
    return validate(table, schema.select(wanted), where=str(path))


def arrow_rows(path: Path, start: int, stop: int, *, columns: Iterable[str] | None = None) -> pa.Table:
    """Rows ``start:stop`` of a Parquet file as an Arrow table, reading only the row groups that hold them.

    Args:
        path: the ``.parquet`` file.
        start: first row (0-based).
        stop: one past the last row.
        columns: read only these of the file's columns (names it lacks are left out); default all.

    Returns:
        The rows, with the file's Arrow types (no schema check: :func:`read_rows` does that).

    Example:
        >>> import tempfile
        >>> from mediaprov.schema import STORIES
        >>> from mediaprov.io import write_table
        >>> path = Path(tempfile.mkdtemp()) / "stories.parquet"
        >>> _ = write_table(pd.DataFrame({"article_id": list("abcde"), "story_id": "s",
        ...                               "joined_by": "x"}), path, STORIES)
        >>> arrow_rows(path, 3, 9, columns=["article_id"]).column(0).to_pylist()
        ['d', 'e']
    """
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as handle:
        groups: list[int] = []
        first = seen = 0
        for group in range(handle.metadata.num_row_groups):
            rows = handle.metadata.row_group(group).num_rows
            if seen + rows > start and seen < stop:
                first = seen if not groups else first
                groups.append(group)
            seen += rows
        names = handle.schema_arrow.names
        present = [c for c in columns if c in names] if columns is not None else names
        arrow = handle.read_row_groups(groups, columns=present) if groups else \
            handle.schema_arrow.empty_table().select(present)
    return arrow.slice(max(start - first, 0), max(stop - start, 0))
