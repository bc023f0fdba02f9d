"""Reading and writing tables and manifests, atomically.

Every write goes to a temporary file in the destination folder and is then renamed over the
target, so a crash never leaves a half-written table behind.

Example:
    >>> import tempfile, pandas as pd
    >>> from mediaprov.schema import STORIES
    >>> folder = Path(tempfile.mkdtemp())
    >>> table = pd.DataFrame({"article_id": ["a"], "story_id": ["s1"], "joined_by": ["seed"]})
    >>> _ = write_table(table, folder / "stories.parquet", STORIES)
    >>> read_table(folder / "stories.parquet", STORIES).story_id.tolist()
    ['s1']
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

import pandas as pd

from mediaprov.schema import Schema, validate


def sha256_bytes(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``.

    Example:
        >>> sha256_bytes(b"")[:8]
        'e3b0c442'
    """
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path, *, chunk_size: int = 1 << 20) -> str:
    """Return the hex SHA-256 of a file, read in chunks.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "x"; _ = p.write_bytes(b"")
        >>> sha256_file(p)[:8]
        'e3b0c442'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def _default_mode(path: str) -> None:
    """Give a temporary file the permissions a normal ``open`` would (mkstemp makes it 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


@contextmanager
def atomic_write(path: Path, mode: str = "wb", **open_kwargs: object) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success rename it over ``path``.

    Args:
        path: the final destination; its folder is created if needed.
        mode: ``"wb"`` or ``"w"``.
        open_kwargs: passed to :func:`open` (e.g. ``encoding="utf-8"``, ``newline=""``).

    Example:
        >>> import tempfile
        >>> target = Path(tempfile.mkdtemp()) / "a.txt"
        >>> with atomic_write(target, "w", encoding="utf-8") as handle:
        ...     _ = handle.write("done")
        >>> target.read_text()
        'done'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    _default_mode(temporary)
    try:
        with os.fdopen(descriptor, mode, **open_kwargs) as handle:  # type: ignore[call-overload]
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def write_table(table: pd.DataFrame, path: Path, schema: Schema | None = None) -> Path:
    """Validate ``table`` against ``schema`` (when given) and write it to Parquet atomically.

    Args:
        table: the DataFrame.
        path: destination ``.parquet`` file.
        schema: the table's schema; the table is validated and its columns ordered first.

    Returns:
        The path written.

    Example: see the module docstring.
    """
    if schema is not None:
        table = validate(table, schema, where=str(path))
    with atomic_write(Path(path), "wb") as handle:
        table.to_parquet(handle, index=False)
    return Path(path)


def read_table(path: Path, schema: Schema | None = None) -> pd.DataFrame:
    """Read a Parquet table and validate it against ``schema`` (when given).

    Raises:
        FileNotFoundError: with a hint about which command writes the table.

    Example: see the module docstring.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} does not exist: run `mediaprov ingest` (or the notebook that writes it) first"
        )
    table = pd.read_parquet(path)
    return validate(table, schema, where=str(path)) if schema is not None else table


def write_manifest(files: Iterable[Path], root: Path, path: Path) -> Path:
    """Write a JSON manifest of ``files`` (relative to ``root``) with their SHA-256 and sizes.

    Example:
        >>> import tempfile
        >>> root = Path(tempfile.mkdtemp()); _ = (root / "a.txt").write_text("x")
        >>> _ = write_manifest([root / "a.txt"], root, root / "MANIFEST.json")
        >>> json.loads((root / "MANIFEST.json").read_text())["files"][0]["path"]
        'a.txt'
    """
    entries = [
        {"path": Path(f).relative_to(root).as_posix(), "sha256": sha256_file(Path(f)),
         "bytes": Path(f).stat().st_size}
        for f in sorted(files, key=lambda p: Path(p).relative_to(root).as_posix())
    ]
    with atomic_write(Path(path), "w", encoding="utf-8") as handle:
        json.dump({"files": entries}, handle, indent=1, sort_keys=True)
        handle.write("\n")
    return Path(path)


def arrow_schema(schema: Schema) -> "pa.Schema":
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

        self.path = Path(path)
        self.schema = schema
        self.rows = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, self._temporary = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        os.close(descriptor)
        _default_mode(self._temporary)
        self._arrow = arrow_schema(schema)
        self._writer = pq.ParquetWriter(self._temporary, self._arrow)

    def write(self, chunk: pd.DataFrame) -> None:
        """Validate and append one chunk (a DataFrame with the schema's columns)."""
        import pyarrow as pa

        table = validate(chunk, self.schema, where=str(self.path))
        self._writer.write_table(pa.Table.from_pandas(table, schema=self._arrow, preserve_index=False))
        self.rows += len(table)

    def close(self) -> Path:
        """Finish the file and move it into place; returns the final path."""
        self._writer.close()
        os.replace(self._temporary, self.path)
        return self.path

    def abort(self) -> None:
        """Drop the temporary file (after an error)."""
        self._writer.close()
        if os.path.exists(self._temporary):
            os.unlink(self._temporary)

    def __enter__(self) -> "ChunkedTableWriter":
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()
