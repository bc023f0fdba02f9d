"""Texts the workers read from ``articles.parquet`` themselves: the client never holds them.

On a cluster, :func:`mediaprov.reuse.find_reuse` needs every text twice: to shingle partitions of
whole outlets, and to align the passages of the pairs that pass. When the client reads the texts
and sends each partition, its reading (a serial second at 100,000 articles, before any worker has
work), gathering and sending (a second more, on the cores the workers use) and the memory of every
text (2 GB at a million articles) are the client's. Here the workers read instead:

1. the file's row groups are cut into chunks (:func:`row_chunks`), one task each;
2. each chunk task reads its rows' analysis texts (:func:`mediaprov.text.read_analysis_articles`,
   so exactly the texts the client would have read) and cuts them into one piece per target (a
   partition of outlets, or a slice of pairs to verify), kept on its worker;
3. each target's task gathers its pieces (Dask moves them between workers) and puts them in the
   target's order (:func:`assembled`).

A target's texts are read again for the verification (not kept from the first read): holding
every text on the workers through the candidate search would add the corpus's texts to their peak.
What the workers hold instead: every text while the partitions are shingled (the pieces of all
partitions are cut before the first is shingled), and while the pairs are aligned the texts of
every slice's articles, once per slice that needs them (at 1,000,000 demo articles, workers
peaked at 5.5 and 4.2 GiB in reuse; the client at 1.2 GB instead of 3.6 GiB).

Example:
    >>> import tempfile
    >>> import pandas as pd
    >>> from mediaprov.engine import Engine, session
    >>> path = Path(tempfile.mkdtemp()) / "articles.parquet"
    >>> pd.DataFrame({"article_id": ["b", "a", "c"], "clean_text": ["text b", "text a", "text c"]
    ...               }).to_parquet(path)
    >>> texts = FileTexts(path, np.array([1, 0, 2]))  # articles in id order: a, b, c
    >>> with session(Engine()):
    ...     [pieces] = target_pieces(texts, [np.array([2, 0])], engine=Engine())
    >>> assembled(pieces, 2).to_pylist()
    ['text c', 'text a']
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from mediaprov.engine import Engine, map_partitions
from mediaprov.io import readable_path
from mediaprov.reuse.content import TextPartition, content_sets, pieces_by_index, take_rows
from mediaprov.text import analysis_texts, read_analysis_articles

if TYPE_CHECKING:
    from mediaprov.reuse.pairs import PairPartition

Piece = tuple[np.ndarray, pa.Array]
"""Texts of one target read from one chunk: their positions in the target, and the texts."""


@dataclass(frozen=True)
class FileTexts:
    """The analysis texts of ``articles.parquet``, left in the file.

    Attributes:
        path: the ``articles.parquet`` file.
        order: article ``i``'s row in the file (the reuse stage numbers articles in id order).
    """

    path: Path
    order: np.ndarray

    def __len__(self) -> int:
        return len(self.order)


def arrow_texts(articles: pd.DataFrame) -> pa.Array | pa.ChunkedArray:
    """The analysis texts of an articles table as Arrow large strings, its chunks kept.

    Zero-copy from a column read from Parquet (:func:`mediaprov.text.analysis_texts`); no Python
    string is made, and chunks are not joined (that would copy every text).

    Example:
        >>> arrow_texts(pd.DataFrame({"text": ["a", None]})).to_pylist()
        ['a', '']
    """
    texts = pa.array(analysis_texts(articles).array)
    return texts if texts.type == pa.large_string() else texts.cast(pa.large_string())


def rows_in_file(path: Path, article_ids: np.ndarray) -> np.ndarray:
    """The row of ``path`` (an articles table) holding each of ``article_ids``.

    Args:
        path: an ``articles.parquet`` file.
        article_ids: ids, each once.

    Returns:
        One row number per id (int64).

    Raises:
        ValueError: when the file does not hold exactly these ids, each once.

    Example:
        >>> import tempfile
        >>> import pandas as pd
        >>> path = Path(tempfile.mkdtemp()) / "articles.parquet"
        >>> pd.DataFrame({"article_id": ["b", "a", "c"]}).to_parquet(path)
        >>> rows_in_file(path, np.array(["a", "b", "c"], dtype=object)).tolist()
        [1, 0, 2]
    """
    import pyarrow.parquet as pq

    in_file = pd.Index(pq.read_table(readable_path(path), columns=["article_id"])
                       .column("article_id").to_pylist())
    if not in_file.is_unique:
        raise ValueError(f"{path} holds an article_id more than once: re-run `mediaprov ingest`")
    rows = in_file.get_indexer(article_ids)
    if len(in_file) != len(article_ids) or (rows < 0).any():
        raise ValueError(f"{path} does not hold the articles of the table: {len(in_file)} in the "
                         f"file, {len(article_ids)} in the table, {int((rows < 0).sum())} of "
                         "the table's ids not in the file; pass the table read from it")
    return rows.astype(np.int64)


def row_chunks(path: Path, *, engine: Engine) -> list[tuple[int, int]]:
    """``(start, stop)`` file rows of whole row groups, the engine's partitions of the groups.

    Example:
        >>> import tempfile
        >>> import pandas as pd
        >>> path = Path(tempfile.mkdtemp()) / "articles.parquet"
        >>> pd.DataFrame({"article_id": ["a", "b"]}).to_parquet(path)
        >>> row_chunks(path, engine=Engine())
        [(0, 2)]
    """
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(readable_path(path)).metadata
    sizes = [metadata.row_group(group).num_rows for group in range(metadata.num_row_groups)]
    bounds = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).tolist()
    return [(bounds[first], bounds[last]) for first, last in engine.partitions(len(sizes))]


def routes(order: np.ndarray, targets: list[np.ndarray], chunks: list[tuple[int, int]]
           ) -> list[list[tuple[np.ndarray, np.ndarray]]]:
    """For each chunk, for each target: its rows in the chunk (from the chunk's start) and positions.

    Args:
        order: file row of each article.
        targets: the articles each target wants, in the order it wants them.
        chunks: ``(start, stop)`` rows covering the file, in order.

    Returns:
        ``routes[chunk][target] = (rows, positions)``: the target's articles found in the chunk,
        as rows counted from the chunk's start, and their positions in the target.

    Example:
        >>> found = routes(np.array([3, 0, 2, 1]), [np.array([0, 1]), np.array([2])], [(0, 2), (2, 4)])
        >>> [[(r.tolist(), p.tolist()) for r, p in chunk] for chunk in found]
        [[([0], [1]), ([], [])], [([1], [0]), ([0], [0])]]
    """
    starts = np.array([start for start, _ in chunks], dtype=np.int64)
    found: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in chunks]
    for wanted in targets:
        rows = order[np.asarray(wanted, dtype=np.int64)]
        chunk_of = np.searchsorted(starts, rows, side="right") - 1
        by_chunk = np.argsort(chunk_of, kind="stable")
        cuts = np.searchsorted(chunk_of[by_chunk], np.arange(1, len(chunks)))
        for chunk, positions in enumerate(np.split(by_chunk, cuts)):
            found[chunk].append((rows[positions] - starts[chunk], positions))
    return found


def read_pieces(part: tuple[Path, int, int, list[tuple[np.ndarray, np.ndarray]]]) -> list[Piece]:
    """Read a chunk's analysis texts and cut them into one piece per target (a worker's task).

    Example:
        >>> import tempfile
        >>> import pandas as pd
        >>> path = Path(tempfile.mkdtemp()) / "articles.parquet"
        >>> pd.DataFrame({"text": ["x", "y"], "clean_text": [None, "y"]}).to_parquet(path)
        >>> [(p.tolist(), t.to_pylist()) for p, t in read_pieces((path, 0, 2, [
        ...     (np.array([1, 0]), np.array([0, 1]))]))]
        [([0, 1], ['y', 'x'])]
    """
    path, start, stop, wanted = part
    texts = arrow_texts(read_analysis_articles(path, [], rows=(start, stop)))
    return [(positions, take_rows(texts, rows)) for rows, positions in wanted]


def assembled(pieces: list[Piece], size: int) -> pa.Array:
    """A target's texts from its pieces, in the target's order.

    Raises:
        ValueError: when the pieces do not hold each position below ``size`` once.

    Example:
        >>> assembled([(np.array([1]), pa.array(["b"])), (np.array([0]), pa.array(["a"]))],
        ...           2).to_pylist()
        ['a', 'b']
    """
    positions = np.concatenate([np.zeros(0, np.int64)] + [p for p, _ in pieces]).astype(np.int64)
    if len(positions) != size or not np.array_equal(np.sort(positions), np.arange(size)):
        raise ValueError(f"text pieces hold {len(positions)} texts for {size} positions")
    where = np.empty(size, dtype=np.int64)
    where[positions] = np.arange(size)
    joined = pa.concat_arrays([pa.array([], pa.large_string())]
                              + [t.cast(pa.large_string()) for _, t in pieces])
    return joined.take(pa.array(where))


def target_pieces(texts: FileTexts, targets: list[np.ndarray], *,
                  engine: Engine) -> list[Any]:
    """Read the file on the workers; for each target, handles to its pieces (one per chunk).

    Needs an open :func:`mediaprov.engine.session` on a parallel engine (pieces stay on the
    workers); in-process, the pieces themselves.
    """
    if not targets:
        return []
    chunks = row_chunks(texts.path, engine=engine)
    read = map_partitions(read_pieces, [
        (texts.path, start, stop, wanted)
        for (start, stop), wanted in zip(chunks, routes(texts.order, targets, chunks),
                                         strict=True)], engine=engine, keep=True)
    return pieces_by_index(read, len(targets), engine=engine)


def released(items: list[Any]) -> Iterator[Any]:
    """Yield the items in order, each dropped from the list as it is yielded (the list empties).

    For handles to data on the workers: a partition's pieces are freed once its task has run,
    not when the whole step is over.

    Example:
        >>> items = [1, 2]
        >>> [(item, len(items)) for item in released(items)]
        [(1, 1), (2, 0)]
    """
    items.reverse()
    while items:
        yield items.pop()


def content_sets_of_pieces(part: tuple[list[Piece], np.ndarray], **options: Any) -> Any:
    """:func:`mediaprov.reuse.content.content_sets` of a partition whose texts come in pieces."""
    pieces, outlet_code = part
    return content_sets(TextPartition(assembled(pieces, len(outlet_code)), outlet_code), **options)


def verify_pairs_of_pieces(part: tuple[PairPartition, list[Piece]], **options: Any) -> list[dict]:
    """:func:`mediaprov.reuse.pairs.verify_pairs` of pairs whose texts come in pieces."""
    from mediaprov.reuse.pairs import verify_pairs

    table, pieces = part
    return verify_pairs(replace(table, texts=assembled(pieces, len(table.article_id))), **options)
