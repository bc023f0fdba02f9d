"""Tables too large for memory, put aside on disk a part at a time and read back a key range at a time.

A stage that meets a corpus partition by partition (:func:`mediaprov.features.run_features`)
cannot hold every partition's tables until the corpus-wide steps have run: a million articles'
mentions alone are 30 million rows. It cuts the key (``article_id``) into ranges
(:func:`key_bounds`), and puts each partition's tables aside (:class:`RangeSpool`), every table
split by range. Once every partition is in, it reads range after range: the rows of one range
from every partition, in partition order. Sorting a range's rows then gives the rows of the
whole table in that range, in the order a sort of the whole table gives, so the ranges written
one after another are the sorted table, with only one range in memory at a time (an external
sort by range partitioning, as Dask's shuffle does).

Each table of a partition is one file of pickled frames, one per range, whose byte offsets are
kept in memory: a range is read with one seek per partition, and a frame comes back with the
dtypes it went in with.

Example:
    >>> import tempfile
    >>> bounds = key_bounds(pd.Series(["a", "b", "c", "d"]), per_range=2)
    >>> bounds
    ['c']
    >>> with RangeSpool(Path(tempfile.mkdtemp()), bounds) as spool:
    ...     spool.add({"t": pd.DataFrame({"article_id": ["d", "a"], "n": [1, 2]})})
    ...     spool.add({"t": pd.DataFrame({"article_id": ["c", "b"], "n": [3, 4]})})
    ...     [pd.concat(piece["t"]).n.tolist() for piece in spool.ranges()]
    [[2, 4], [1, 3]]
"""

from __future__ import annotations

import pickle
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd


def key_bounds(keys: Iterable[str], *, per_range: int) -> list[str]:
    """Cut the distinct keys, sorted, into ranges of ``per_range`` keys.

    The bounds are the first key of each range but the first.

    Args:
        keys: every key (repeats are counted once).
        per_range: keys per range (at least 1).

    Returns:
        Sorted bounds: range ``i`` holds the keys ``k`` with ``bounds[i-1] <= k < bounds[i]``.

    Example:
        >>> key_bounds(["e", "a", "c", "a", "d"], per_range=2)
        ['d']
    """
    distinct = sorted(set(map(str, keys)))
    return distinct[max(per_range, 1)::max(per_range, 1)]


class RangeSpool:
    """Tables of consecutive partitions, on disk, split by key range.

    Use it as a context manager: its folder (a ``.spool.*.tmp`` folder inside ``folder``, which
    :func:`mediaprov.io.recover` removes if a killed run leaves it) is removed on exit.

    Args:
        folder: where to make the spool's folder (the stage's output folder: the same disk).
        bounds: :func:`key_bounds`.
        key: the column the ranges cut (every table has it).

    Example: see the module docstring.
    """

    def __init__(self, folder: Path, bounds: list[str], *, key: str = "article_id") -> None:
        self.bounds = np.array(bounds, dtype=object)
        self.key = key
        self.folder = Path(folder)
        self.path: Path | None = None
        self._files: dict[str, list[tuple[Path, list[int]]]] = {}

    def __enter__(self) -> RangeSpool:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(dir=self.folder, prefix=".spool.", suffix=".tmp"))
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None

    @property
    def n_ranges(self) -> int:
        """How many key ranges there are."""
        return len(self.bounds) + 1

    def add(self, tables: Mapping[str, pd.DataFrame]) -> None:
        """Put one partition's tables aside, each keeping its row order within a range.

        A key's rows must all be in one partition (an article's, in the partition of its
        article), or a range's rows would not come back in the order of the whole table.
        """
        if self.path is None:
            raise ValueError("RangeSpool.add outside its `with` block")
        for name, table in tables.items():
            files = self._files.setdefault(name, [])
            keys = table[self.key].astype(str).to_numpy(dtype=object)
            ranges = np.searchsorted(self.bounds, keys, side="right") if len(self.bounds) else \
                np.zeros(len(table), dtype=np.int64)
            order = np.argsort(ranges, kind="stable")
            ends = np.cumsum(np.bincount(ranges, minlength=self.n_ranges))
            path = self.path / f"{name}.{len(files):06d}.pickle"
            offsets = []
            with open(path, "wb") as handle:
                for stop, start in zip(ends, np.concatenate([[0], ends[:-1]]), strict=True):
                    offsets.append(handle.tell())
                    rows = table.iloc[order[start:stop]].reset_index(drop=True)
                    pickle.dump(rows, handle, protocol=pickle.HIGHEST_PROTOCOL)
            files.append((path, offsets))

    def ranges(self) -> Iterator[dict[str, list[pd.DataFrame]]]:
        """Each key range in order: table name -> that range's rows of every partition.

        The frames are in partition order; ranges without a row are skipped. Read them inside
        the ``with`` block: the files go with it.
        """
        if self.path is None:
            raise ValueError("RangeSpool.ranges outside its `with` block: the spooled files are gone")
        for index in range(self.n_ranges):
            piece = {name: [_read_frame(path, offsets[index]) for path, offsets in files]
                     for name, files in self._files.items()}
            if any(len(frame) for frames in piece.values() for frame in frames):
                yield piece


def _read_frame(path: Path, offset: int) -> pd.DataFrame:
    with open(path, "rb") as handle:
        handle.seek(offset)
        frame = pickle.load(handle)  # noqa: S301 - our own file, written by RangeSpool.add
    return frame
