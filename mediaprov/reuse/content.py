"""Steps 1 and 2 of reuse detection: shingle sets with boilerplate removed, per partition of outlets.

Boilerplate is found per outlet (:mod:`mediaprov.reuse.boilerplate`), so a partition that holds
every article of its outlets finds the same boilerplate as one pass over the corpus: cutting the
corpus into partitions of whole outlets (:func:`outlet_partitions`) is reuse's shuffle. Each
partition is shingled and cleared of boilerplate on its own (:func:`content_sets`, on a Dask
worker or in this process), and the partitions' shingle sets are joined by merging their sorted
vocabularies by hash range where the partitions are (:func:`corpus_columns`;
:func:`merge_content_sets` runs the same steps in one process), which gives the sets of one pass
over the corpus.

Example:
    >>> texts = ["one two three four", "three four five six", "seven eight"]
    >>> outlet = np.array([0, 1, 0])
    >>> groups = outlet_partitions(outlet, 2)
    >>> parts = [content_sets(TextPartition([texts[d] for d in g], outlet[g]), k=2,
    ...                       boilerplate_min_articles=None, boilerplate_min_words=12)
    ...          for g in groups]
    >>> sets, values, keys = merge_content_sets(parts, groups, 3)
    >>> sets.getnnz(axis=1).tolist(), len(values)
    ([3, 3, 1], 6)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import pyarrow as pa
from scipy import sparse

from mediaprov.arrays import sorted_unique
from mediaprov.engine import Engine, map_partitions
from mediaprov.reuse.boilerplate import boilerplate_candidates, boilerplate_runs
from mediaprov.reuse.minhash import shingle_sets
from mediaprov.reuse.tokens import batches, shingle_hashes, tokenize


@dataclass(frozen=True)
class OrderedTexts:
    """Texts kept in the order they were read: article ``i``'s text is ``texts[order[i]]``.

    The reuse stage sorts its articles by id; sorting the texts too would copy every text once
    more in the calling process (on 100,000 articles, 0.8 s while the workers waited, and a
    gigabyte per 500,000 articles), so each partition gathers its own texts through ``order``.
    """

    texts: pa.Array | pa.ChunkedArray
    order: np.ndarray

    def __len__(self) -> int:
        return len(self.order)


Texts: TypeAlias = Sequence[str] | pa.Array | pa.ChunkedArray | OrderedTexts
"""Texts in article order: Python strings, an Arrow string array (one chunk or several), or an
Arrow array read in another order (:class:`OrderedTexts`)."""


@dataclass
class TextPartition:
    """The texts of whole outlets: one partition of :func:`content_sets`.

    Attributes:
        texts: analysis texts (:func:`mediaprov.text.analysis_text`), in article order: a list,
            or an Arrow string array (:func:`take_texts`), which is sent between processes as
            its buffers and made into Python strings where it is used (:func:`as_strings`).
        outlet_code: the outlet code of each (``-1`` when unknown); every article of an outlet
            with a code is in the same partition, so its boilerplate is found inside it.
    """

    texts: Texts
    outlet_code: np.ndarray


def text_partition(texts: Texts, outlet_code: np.ndarray,
                   docs: np.ndarray) -> TextPartition:
    """The partition of articles ``docs``: their texts (:func:`take_texts`) and outlet codes.

    No copy when ``docs`` are all the articles (the one partition of a small in-process run).

    Example:
        >>> text_partition(["a", "b", "c"], np.array([0, 1, 0]), np.array([0, 2])).texts
        ['a', 'c']
    """
    if len(docs) == len(texts):
        return TextPartition(texts, outlet_code)
    return TextPartition(take_texts(texts, docs), outlet_code[docs])


def take_texts(texts: Texts, docs: np.ndarray) -> Texts:
    """The texts at positions ``docs``, of the same kind: an Arrow array stays one.

    The calling process keeps the corpus's texts as one Arrow array: a partition cut from it is
    one gather of its bytes, and it reaches a worker as buffers, with no Python string made or
    pickled on the way (on 100,000 articles, 2 s of the calling process's time, during which the
    workers waited).

    Example:
        >>> take_texts(pa.array(["a", "b", "c"]), np.array([2, 0])).to_pylist()
        ['c', 'a']
        >>> take_texts(["a", "b", "c"], np.array([1]))
        ['b']
        >>> take_texts(OrderedTexts(pa.array(["c", "a", "b"]), np.array([1, 2, 0])),
        ...            np.array([0, 2])).to_pylist()  # articles in id order: a, b, c
        ['a', 'c']
    """
    if isinstance(texts, OrderedTexts):
        return take_rows(texts.texts, texts.order[np.asarray(docs, dtype=np.int64)])
    if isinstance(texts, (pa.Array, pa.ChunkedArray)):
        return take_rows(texts, np.asarray(docs, dtype=np.int64))
    return [texts[d] for d in np.asarray(docs).tolist()]


def take_rows(array: pa.Array | pa.ChunkedArray, positions: np.ndarray) -> pa.Array:
    """``array.take(positions)`` without joining a chunked array's chunks first.

    Arrow's ``ChunkedArray.take`` concatenates every chunk before taking (pyarrow 26: taking 3
    rows of 480 MB of texts allocated 961 MB and took 1.5 s), so each partition cut from a
    million articles' texts copied all of them (2 GB) once more. Here each chunk gives its own
    rows, which are then put in the order asked: only the rows taken are copied.

    Args:
        array: an Arrow array, one chunk or several (empty chunks allowed).
        positions: row numbers to take, in the order wanted (repeats allowed).

    Returns:
        One ``pa.Array`` (not chunked) of the rows, of the array's type.

    Raises:
        IndexError: a position outside the array.

    Example:
        >>> chunked = pa.chunked_array([["a", "b"], [], ["c"]])
        >>> take_rows(chunked, np.array([2, 0, 2])).to_pylist()
        ['c', 'a', 'c']
    """
    positions = np.asarray(positions, dtype=np.int64)
    if isinstance(array, pa.Array):
        return array.take(pa.array(positions))
    if array.num_chunks == 1:
        return array.chunk(0).take(pa.array(positions))
    if not len(positions):
        return pa.array([], type=array.type)
    starts = np.zeros(array.num_chunks + 1, dtype=np.int64)
    np.cumsum([len(chunk) for chunk in array.chunks], out=starts[1:])
    if positions.min() < 0 or positions.max() >= starts[-1]:
        raise IndexError(f"positions out of range for {starts[-1]} rows")
    chunk_of = np.searchsorted(starts, positions, side="right") - 1  # empty chunks skipped
    order = np.argsort(chunk_of, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(chunk_of[order])) + 1)
    gathered = pa.concat_arrays([
        array.chunk(int(chunk_of[group[0]])).take(pa.array(positions[group]
                                                            - starts[chunk_of[group[0]]]))
        for group in groups])
    if np.array_equal(order, np.arange(len(order))):
        return gathered
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return gathered.take(pa.array(inverse))


def as_strings(texts: Texts) -> Sequence[str]:
    """The texts as Python strings (an Arrow array converted; a list as it is).

    Example:
        >>> as_strings(pa.array(["a", "b"]))
        ['a', 'b']
        >>> as_strings(OrderedTexts(pa.array(["b", "a"]), np.array([1, 0])))
        ['a', 'b']
    """
    if isinstance(texts, OrderedTexts):
        return take_rows(texts.texts, texts.order).to_pylist()
    return texts.to_pylist() if isinstance(texts, (pa.Array, pa.ChunkedArray)) else texts


def outlet_partitions(outlet_code: np.ndarray, n_parts: int) -> list[np.ndarray]:
    """Cut articles into at most ``n_parts`` partitions of whole outlets, of balanced size.

    Boilerplate is found per outlet (:mod:`mediaprov.reuse.boilerplate`), so a partition that
    holds every article of its outlets finds the same boilerplate as a pass over the corpus:
    this is reuse's shuffle by outlet. Outlets go, largest first, to the partition with the
    fewest articles so far; articles without an outlet are spread in slices. One outlet larger
    than the others bounds how well the step balances.

    Args:
        outlet_code: outlet code of each article (``-1`` when unknown).
        n_parts: partitions wanted (1: every article in one partition).

    Returns:
        The article indices of each non-empty partition, each sorted.

    Example:
        >>> [p.tolist() for p in outlet_partitions(np.array([0, 1, 0, 2, -1, 1, 0]), 2)]
        [[0, 2, 4, 6], [1, 3, 5]]
    """
    codes = np.asarray(outlet_code, dtype=np.int64)
    if n_parts <= 1 or len(codes) == 0:
        return [np.arange(len(codes))] if len(codes) else []
    known = codes >= 0
    order = np.argsort(codes, kind="stable")
    order = order[known[order]]
    groups = np.split(order, np.flatnonzero(np.diff(codes[order])) + 1) if len(order) else []
    unknown = np.flatnonzero(~known)
    slice_size = max(1, -(-len(codes) // (n_parts * PARTITION_SLICES)))
    groups += [unknown[first: first + slice_size] for first in range(0, len(unknown), slice_size)]
    groups.sort(key=lambda group: (-len(group), int(group[0])))
    members: list[list[np.ndarray]] = [[] for _ in range(n_parts)]
    load = [0] * n_parts
    for group in groups:
        target = load.index(min(load))
        members[target].append(group)
        load[target] += len(group)
    return [np.sort(np.concatenate(chosen)) for chosen in members if chosen]


PARTITION_SLICES = 4
"""Slices per partition that articles without an outlet are cut into, to fill partitions."""


def content_sets(part: TextPartition, *, k: int, boilerplate_min_articles: int | None,
                 boilerplate_min_words: int) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """Shingle sets, boilerplate removed, of a partition of whole outlets (steps 1 and 2).

    Args:
        part: texts of whole outlets (:func:`outlet_partitions`).
        k: words per shingle.
        boilerplate_min_articles: see :func:`find_reuse` (``None``: no boilerplate removal).
        boilerplate_min_words: see :func:`find_reuse`.

    Returns:
        ``(sets, values, keys)``: :func:`mediaprov.reuse.minhash.shingle_sets` of the content
        shingles (one row per text, columns index ``values``), and the sorted boilerplate keys
        of the partition's outlets (:func:`mediaprov.reuse.boilerplate.boilerplate_keys`).

    Example:
        >>> text = "a sign off line that every article of this outlet ends with today"
        >>> part = TextPartition([f"story {i} " + text for i in range(5)], np.zeros(5, int))
        >>> sets, values, keys = content_sets(part, k=2, boilerplate_min_articles=5,
        ...                                   boilerplate_min_words=6)
        >>> sets.getnnz(axis=1).tolist(), len(keys)  # left of each text: "story i", "i a"
        ([2, 2, 2, 2, 2], 12)
    """
    shingles, doc = _all_shingles(as_strings(part.texts), k=k)
    keys, candidate = np.zeros(0, dtype=np.uint64), np.zeros(len(shingles), dtype=bool)
    if boilerplate_min_articles:
        keys, candidate = boilerplate_candidates(shingles, doc, part.outlet_code,
                                                 min_articles=boilerplate_min_articles)
    content = ~boilerplate_runs(candidate, doc, k=k, min_words=boilerplate_min_words)
    sets, values = shingle_sets(shingles[content], doc[content], len(part.texts))
    return sets, values, keys


def merge_content_sets(parts: list[tuple[sparse.csr_matrix, np.ndarray, np.ndarray]],
                       docs: list[np.ndarray], n_docs: int
                       ) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """Join the :func:`content_sets` of partitions into those of the corpus.

    In this process, by the steps :func:`~mediaprov.reuse.pairs.find_reuse` runs on any engine
    (:func:`corpus_columns`, :func:`renumbered`, :func:`assemble_sets`): the result is what
    :func:`content_sets` of all articles in one partition returns.

    Args:
        parts: ``content_sets`` of each partition.
        docs: the article indices of each partition (:func:`outlet_partitions`).
        n_docs: articles in the corpus.

    Returns:
        ``(sets, values, keys)`` of the corpus: rows in article order, columns indexing the
        sorted distinct shingle hashes ``values``, the sorted boilerplate keys of all outlets.

    Example:
        >>> a, va = shingle_sets(np.array([5, 9], np.uint64), np.array([0, 0]), 1)
        >>> b, vb = shingle_sets(np.array([7, 9], np.uint64), np.array([0, 0]), 1)
        >>> none = np.zeros(0, np.uint64)
        >>> sets, values, _ = merge_content_sets([(a, va, none), (b, vb, none)],
        ...                                      [np.array([1]), np.array([0])], 2)
        >>> sets.toarray().tolist(), values.tolist()
        ([[0, 1, 1], [1, 0, 1]], [5, 7, 9])
    """
    found = corpus_columns(parts, engine=Engine())
    sets = assemble_sets([renumbered(located, n_values=found.n_values)
                          for located in zip(parts, found.maps, strict=True)],
                         docs, n_docs, found.n_values)
    values = sorted_unique(np.concatenate([np.zeros(0, np.uint64)] + [part[1] for part in parts]))
    return sets, values, merge_keys([part[2] for part in parts])


ContentSets = tuple[sparse.csr_matrix, np.ndarray, np.ndarray]
"""What :func:`content_sets` returns for a partition: ``(sets, values, keys)``."""


def boilerplate_keys_of(part: ContentSets) -> np.ndarray:
    """The sorted boilerplate keys of a partition's outlets (what the calling process gathers)."""
    return part[2]


def merge_keys(parts: list[np.ndarray]) -> np.ndarray:
    """The sorted boilerplate keys of all partitions (each outlet is in one partition).

    Example:
        >>> merge_keys([np.array([4, 8], np.uint64), np.array([6], np.uint64)]).tolist()
        [4, 6, 8]
    """
    return np.sort(np.concatenate([np.zeros(0, np.uint64)] + list(parts)))


@dataclass
class CorpusColumns:
    """Where each partition's shingles are in the corpus vocabulary (:func:`corpus_columns`).

    Attributes:
        maps: for each partition, the corpus column of each value of its vocabulary (``int32``
            when it fits; on a cluster a handle to it, kept where the partition is).
        n_values: the size of the corpus vocabulary.
        frequent: the sorted corpus columns of the shingles in more than ``more_than``
            articles (empty when ``more_than`` is None).
    """

    maps: list[Any]
    n_values: int
    frequent: np.ndarray


def corpus_columns(content: list[Any], *, engine: Engine, n_ranges: int | None = None,
                   more_than: int | None = None) -> CorpusColumns:
    """The corpus column of every shingle of each partition, the vocabulary merged by hash range.

    A shingle's corpus column is its rank among the distinct shingle hashes of all partitions
    (the sorted distinct union of their vocabularies). That vocabulary is never assembled in one process:
    each partition's sorted vocabulary is cut at fixed hash bounds (:func:`vocabulary_pieces`),
    each hash range's pieces are merged on their own (:func:`merge_range_counted`, one task
    per range), and a shingle's column is the size of the lower ranges plus its rank in its
    own (:func:`column_map`). The shingles in more than ``more_than`` articles are found in the
    same tasks. This process only adds up the ranges' sizes: on a cluster the merge runs on
    the workers, and the partitions' vocabularies never come here.

    Args:
        content: :func:`content_sets` of each partition, or handles to them kept on workers.
        engine: where to run.
        n_ranges: hash ranges to merge on their own (default: one per task slot of the engine,
            one in-process). The columns do not depend on it.
        more_than: find the shingles in more than this many articles (None: do not).

    Returns:
        The :class:`CorpusColumns`.

    Example:
        >>> a, va = shingle_sets(np.array([5, 9], np.uint64), np.array([0, 0]), 1)
        >>> b, vb = shingle_sets(np.array([7, 9], np.uint64), np.array([0, 0]), 1)
        >>> found = corpus_columns([(a, va, None), (b, vb, None)], engine=Engine(), more_than=1)
        >>> [m.tolist() for m in found.maps], found.n_values, found.frequent.tolist()
        ([[0, 2], [1, 2]], 3, [2])
    """
    if not content:
        return CorpusColumns([], 0, np.zeros(0, dtype=np.int64))
    n_ranges = n_ranges or len(engine.partitions(_MOST_RANGES))
    pieces = map_partitions(vocabulary_pieces, content, engine=engine, keep=True,
                            shared={"bounds": range_bounds(n_ranges)})
    ranges = map_partitions(merge_range_counted, pieces_by_index(pieces, n_ranges, engine=engine),
                            engine=engine, keep=True, shared={"more_than": more_than})
    offsets = np.zeros(n_ranges + 1, dtype=np.int64)
    sizes_and_frequent = map_partitions(_size_and_frequent, ranges, engine=engine)
    np.cumsum([size for size, _ in sizes_and_frequent], out=offsets[1:])
    frequent = np.concatenate([np.zeros(0, dtype=np.int64)] + [
        found + offset for (_, found), offset in zip(sizes_and_frequent, offsets[:-1].tolist(),
                                                     strict=True)])
    maps = map_partitions(column_map, [(part, ranges) for part in pieces], engine=engine,
                          keep=True, shared={"offsets": offsets})
    return CorpusColumns(maps, int(offsets[-1]), frequent)


_MOST_RANGES = 1 << 16
"""More hash ranges than any cluster has task slots (the engine cuts one range per slot)."""


def range_bounds(n_ranges: int) -> np.ndarray:
    """The inner bounds that cut the ``uint64`` hash space into ``n_ranges`` equal ranges.

    Example:
        >>> range_bounds(4).tolist()
        [4611686018427387904, 9223372036854775808, 13835058055282163712]
    """
    step = (1 << 64) // n_ranges
    return np.array([step * index for index in range(1, n_ranges)], dtype=np.uint64)


def vocabulary_pieces(part: ContentSets, *, bounds: np.ndarray
                      ) -> list[tuple[np.ndarray, np.ndarray]]:
    """A partition's sorted vocabulary cut at ``bounds``, each value with its article count.

    Returns:
        One ``(values, counts)`` piece per hash range: the partition's shingle hashes in the
        range, sorted, and how many of the partition's articles hold each.

    Example:
        >>> sets, values = shingle_sets(np.array([2, 9, 5, 9], np.uint64),
        ...                             np.array([0, 0, 0, 1]), 2)
        >>> [(v.tolist(), c.tolist()) for v, c in vocabulary_pieces((sets, values, None),
        ...                                                     bounds=np.array([4], np.uint64))]
        [([2], [1]), ([5, 9], [1, 2])]
    """
    sets, values, _ = part
    counts = np.bincount(sets.indices, minlength=len(values)).astype(np.int32)
    cuts = np.searchsorted(values, bounds)
    return list(zip(np.split(values, cuts), np.split(counts, cuts), strict=True))


def pieces_by_index(kept: list[Any], count: int, *, engine: Engine) -> list[list[Any]]:
    """Regroup kept lists by index: for each ``i < count``, the ``i``-th item of every list.

    The shuffle's exchange step: each partition cut its result into ``count`` pieces (a hash
    range of its vocabulary, a slice of bands, one target's texts) and each piece goes to the
    task of its index. All pieces are cut out in one map of tasks, each where its list is; on a
    cluster the results are handles, so only the pieces move, to where they are used.

    Args:
        kept: one list per partition (or handles to them, from ``map_partitions(keep=True)``).
        count: pieces per list.
        engine: where the lists are.

    Returns:
        ``count`` lists of ``len(kept)`` pieces (or handles).

    Example:
        >>> pieces_by_index([["a0", "a1"], ["b0", "b1"]], 2, engine=Engine())
        [['a0', 'b0'], ['a1', 'b1']]
    """
    flat = map_partitions(_piece_at, [(pieces, index) for index in range(count)
                                      for pieces in kept], engine=engine, keep=True)
    return [flat[index * len(kept): (index + 1) * len(kept)] for index in range(count)]


def _piece_at(part: tuple[list[Any], int]) -> Any:
    """Item ``index`` of a kept list (a task of :func:`pieces_by_index`)."""
    pieces, index = part
    return pieces[index]


def merge_range(pieces: list[np.ndarray]) -> np.ndarray:
    """The sorted distinct values of sorted pieces (the corpus vocabulary in one hash range).

    Example:
        >>> merge_range([np.array([5, 9], np.uint64), np.array([7, 9], np.uint64)]).tolist()
        [5, 7, 9]
    """
    if len(pieces) == 1:
        return pieces[0]
    merged = np.sort(np.concatenate([np.zeros(0, np.uint64)] + list(pieces)))
    distinct = np.ones(len(merged), dtype=bool)
    distinct[1:] = merged[1:] != merged[:-1]
    return merged[distinct]


def merge_range_counted(pieces: list[tuple[np.ndarray, np.ndarray]], *, more_than: int | None
                        ) -> tuple[np.ndarray, np.ndarray]:
    """One hash range's corpus vocabulary, and where in it the shingles of many articles are.

    A shingle in more than ``more_than`` articles is in at least ``(more_than + 1) / len(pieces)``
    articles of one partition, so only those few are looked up in every piece and counted.

    Args:
        pieces: every partition's ``(values, counts)`` in the range (:func:`vocabulary_pieces`).
        more_than: least article count, exclusive (None: none is looked for).

    Returns:
        ``(values, frequent)``: the sorted distinct values, and the sorted positions among them
        of the values in more than ``more_than`` articles.

    Example:
        >>> pieces = [(np.array([5, 9], np.uint64), np.array([3, 1])),
        ...           (np.array([7, 9], np.uint64), np.array([1, 2]))]
        >>> values, frequent = merge_range_counted(pieces, more_than=2)
        >>> values.tolist(), frequent.tolist()
        ([5, 7, 9], [0, 2])
    """
    values = merge_range([piece_values for piece_values, _ in pieces])
    if more_than is None or not pieces:
        return values, np.zeros(0, dtype=np.int64)
    least = -(-(more_than + 1) // len(pieces))
    candidates = merge_range([v[c >= least] for v, c in pieces])
    total = np.zeros(len(candidates), dtype=np.int64)
    for piece_values, counts in pieces:
        if len(piece_values) == 0:
            continue
        at = np.minimum(np.searchsorted(piece_values, candidates), len(piece_values) - 1)
        held = piece_values[at] == candidates
        total[held] += counts[at[held]]
    return values, np.searchsorted(values, candidates[total > more_than]).astype(np.int64)


def _size_and_frequent(merged: tuple[np.ndarray, np.ndarray]) -> tuple[int, np.ndarray]:
    """A merged range's size and its frequent positions (what the calling process gathers)."""
    return len(merged[0]), merged[1]


def column_map(part: tuple[list[tuple[np.ndarray, np.ndarray]], list[tuple[np.ndarray, Any]]],
               *, offsets: np.ndarray) -> np.ndarray:
    """The corpus column of each value of a partition's vocabulary (:func:`corpus_columns`).

    Args:
        part: ``(pieces, ranges)``: the partition's :func:`vocabulary_pieces` and every hash
            range's merge (:func:`merge_range_counted`).
        offsets: distinct values below each range, then in all (``len(ranges) + 1`` numbers).

    Example:
        >>> none = np.zeros(0, np.int64)
        >>> column_map(([(np.array([5]), none), (np.array([9]), none)],
        ...             [(np.array([5, 7]), none), (np.array([8, 9]), none)]),
        ...            offsets=np.array([0, 2, 4])).tolist()
        [0, 3]
    """
    pieces, ranges = part
    column_type = np.int32 if offsets[-1] < np.iinfo(np.int32).max else np.int64
    found = [np.searchsorted(values, piece_values) + offset
             for (piece_values, _), (values, _), offset
             in zip(pieces, ranges, offsets[:-1].tolist(), strict=True)]
    return np.concatenate([np.zeros(0, dtype=column_type)] + found).astype(column_type)


def renumbered(part: tuple[ContentSets, np.ndarray], *, n_values: int
               ) -> tuple[np.ndarray, np.ndarray]:
    """A partition's sets with columns renumbered by its :func:`column_map`.

    Args:
        part: ``(content, columns)``: the partition's :func:`content_sets` and the corpus
            column of each value of its vocabulary.
        n_values: the size of the corpus vocabulary.

    Returns:
        ``(lengths, indices)``: the set size of each of its articles, and the corpus column of
        each entry (the map's integer type), rows one after the other.

    Example:
        >>> sets, part_values = shingle_sets(np.array([9, 5], np.uint64), np.array([0, 0]), 1)
        >>> lengths, indices = renumbered(((sets, part_values, None), np.array([0, 2])),
        ...                               n_values=3)
        >>> lengths.tolist(), indices.tolist()
        ([2], [0, 2])
    """
    (sets, _, _), columns = part
    if len(columns) == n_values:  # the partition's vocabulary is the corpus's
        return np.diff(sets.indptr), sets.indices.astype(columns.dtype, copy=False)
    return np.diff(sets.indptr), columns[sets.indices]


def assemble_sets(columns: list[tuple[np.ndarray, np.ndarray]], docs: list[np.ndarray],
                  n_docs: int, n_values: int) -> sparse.csr_matrix:
    """The corpus's shingle sets from the partitions' :func:`renumbered` sets, in article order.

    Example:
        >>> sets = assemble_sets([(np.array([1]), np.array([2])), (np.array([2]), np.array([0, 1]))],
        ...                      [np.array([1]), np.array([0])], 2, 3)
        >>> sets.toarray().tolist()
        [[1, 1, 0], [0, 0, 1]]
    """
    if not columns:
        return sparse.csr_matrix((n_docs, n_values), dtype=np.int32)
    lengths = np.concatenate([length for length, _ in columns])
    indices = np.concatenate([index for _, index in columns])
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    stacked = sparse.csr_matrix((np.ones(len(indices), dtype=np.int32), indices, indptr),
                                shape=(len(lengths), n_values))
    stacked.has_sorted_indices = True  # a partition's sorted columns map in order
    if len(docs) == 1 and np.array_equal(docs[0], np.arange(n_docs)):
        return stacked
    return stacked[np.argsort(np.concatenate(docs), kind="stable")]


def _all_shingles(texts: Sequence[str], *, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes of all texts and the text index of each, in text order."""
    hashes: list[np.ndarray] = [np.zeros(0, dtype=np.uint64)]
    docs: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    for first, batch in batches(texts):
        words = tokenize(batch)
        batch_hashes, first_word = shingle_hashes(words.hash, words.doc, k=k)
        hashes.append(batch_hashes)
        docs.append(words.doc[first_word] + first)
    return np.concatenate(hashes), np.concatenate(docs)
