"""The exact Jaccard of candidate pairs where the shingle sets are: a shuffle of set rows.

On a cluster, reuse keeps each partition's shingle sets (renumbered into the corpus vocabulary:
:func:`mediaprov.reuse.content.renumbered`) on the worker that made them. Gathering them in the
calling process to score the candidate pairs would hold every article's set there (about 2 GB of
column numbers at 1,000,000 demo articles, and twice that while they are assembled), although the
candidates touch only a fraction of the articles. Instead:

1. :func:`similarity_plan` (calling process) cuts the candidate pairs into slices and, for each
   slice, lists the rows each partition must send: the articles of the slice's pairs that the
   partition holds.
2. :func:`set_rows` (where a partition's sets are) takes those rows: the send side.
3. :func:`pairs_similarity` (one task per slice) puts the rows it received together and computes
   the exact Jaccard of the slice's pairs with :func:`mediaprov.reuse.minhash.jaccard_pairs`:
   the receive side.

Each pair's similarity is the integer size of the intersection over that of the union of the
same two sets, so it is the same float whichever rows surround them: the similarities of the
slices, concatenated, are those of one :func:`~mediaprov.reuse.minhash.jaccard_pairs` call over
the assembled corpus (:func:`mediaprov.reuse.content.assemble_sets`), bit for bit.

Example:
    >>> part_sets = [(np.array([2, 1]), np.array([0, 1, 1])), (np.array([2]), np.array([0, 1]))]
    >>> groups = [np.array([0, 2]), np.array([1])]  # article 0 and 2 in partition 0
    >>> pairs = np.array([[0, 1], [1, 2]])
    >>> plan = similarity_plan(pairs, groups, 3, [(0, 2)])
    >>> pieces = [set_rows((part_sets[p], rows)) for p, _, rows in plan.requests]
    >>> pairs_similarity((pieces, (plan.docs[0], pairs))).tolist()
    [1.0, 0.5]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from mediaprov.arrays import sorted_unique
from mediaprov.engine import Engine, map_partitions, place
from mediaprov.reuse.minhash import jaccard_pairs

RenumberedSets = tuple[np.ndarray, np.ndarray]
"""``(lengths, indices)``: each row's set size and the corpus column of each entry, rows one after
the other (:func:`mediaprov.reuse.content.renumbered`)."""


@dataclass(frozen=True)
class SimilarityPlan:
    """What each partition sends to each slice of candidate pairs.

    Attributes:
        requests: ``(partition, slice, rows)`` for every partition holding articles of a slice:
            ``rows`` are the partition's own row numbers of those articles, ascending.
        docs: for each slice, the article index of each request's rows, in the order of that
            slice's requests (the order :func:`pairs_similarity` receives the pieces in).
    """

    requests: list[tuple[int, int, np.ndarray]]
    docs: list[list[np.ndarray]]


def similarity_plan(pairs: np.ndarray, groups: list[np.ndarray], n_docs: int,
                    slices: list[tuple[int, int]]) -> SimilarityPlan:
    """Which rows each partition sends to each slice of ``pairs`` (the calling process's step).

    Args:
        pairs: ``(n, 2)`` candidate pairs of article indices.
        groups: the sorted article indices of each partition (row ``r`` of partition ``p`` is
            article ``groups[p][r]``), together every article once.
        n_docs: articles in the corpus.
        slices: ``(start, stop)`` slices of ``pairs``, one task each.

    Returns:
        A :class:`SimilarityPlan`.

    Example:
        >>> plan = similarity_plan(np.array([[0, 1], [0, 2]]), [np.array([0, 2]), np.array([1])],
        ...                        3, [(0, 1), (1, 2)])
        >>> [(p, s, rows.tolist()) for p, s, rows in plan.requests]
        [(0, 0, [0]), (1, 0, [0]), (0, 1, [0, 1])]
        >>> [[d.tolist() for d in docs] for docs in plan.docs]
        [[[0], [1]], [[0, 2]]]
    """
    part_of = np.zeros(n_docs, dtype=np.int64)
    row_of = np.zeros(n_docs, dtype=np.int64)
    for index, group in enumerate(groups):
        part_of[group] = index
        row_of[group] = np.arange(len(group))
    requests: list[tuple[int, int, np.ndarray]] = []
    docs: list[list[np.ndarray]] = []
    for index, (start, stop) in enumerate(slices):
        touched = sorted_unique(pairs[start:stop])
        holder = part_of[touched]
        order = np.argsort(holder, kind="stable")  # by partition, articles ascending within
        cuts = np.flatnonzero(np.diff(holder[order])) + 1
        slice_docs = [touched[chunk] for chunk in np.split(order, cuts)] if len(order) else []
        requests += [(int(part_of[chunk[0]]), index, row_of[chunk]) for chunk in slice_docs]
        docs.append(slice_docs)
    return SimilarityPlan(requests, docs)


def set_rows(part: tuple[RenumberedSets, np.ndarray]) -> RenumberedSets:
    """Rows ``rows`` of a partition's renumbered sets: the send side of the shuffle.

    Args:
        part: ``((lengths, indices), rows)``: the partition's sets and the rows wanted.

    Returns:
        ``(lengths, indices)`` of those rows, in the order of ``rows``.

    Example:
        >>> lengths, indices = set_rows(((np.array([2, 0, 1]), np.array([4, 7, 5])),
        ...                              np.array([0, 2])))
        >>> lengths.tolist(), indices.tolist()
        ([2, 1], [4, 7, 5])
    """
    (lengths, indices), rows = part
    starts = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    wanted = np.asarray(lengths)[rows].astype(np.int64)
    before = np.zeros(len(wanted) + 1, dtype=np.int64)
    np.cumsum(wanted, out=before[1:])
    positions = np.repeat(starts[rows] - before[:-1], wanted) + np.arange(before[-1])
    return np.asarray(lengths)[rows], indices[positions]


def pairs_similarity(part: tuple[list[RenumberedSets], tuple[list[np.ndarray], np.ndarray]]
                     ) -> np.ndarray:
    """Exact Jaccard of a slice of pairs from the rows sent to it: the receive side.

    Args:
        part: ``(pieces, (docs, pairs))``: the rows each partition sent (:func:`set_rows`),
            the article index of each piece's rows (:attr:`SimilarityPlan.docs`), and the
            slice's ``(n, 2)`` pairs of article indices, all of them among ``docs``.

    Returns:
        ``float64`` similarities, one per pair, as
        :func:`mediaprov.reuse.minhash.jaccard_pairs` gives them on the whole corpus.

    Example:
        >>> pairs_similarity(([(np.array([2]), np.array([0, 1])),
        ...                    (np.array([1]), np.array([1]))],
        ...                   ([np.array([5]), np.array([9])], np.array([[5, 9]])))).tolist()
        [0.5]
    """
    pieces, (docs, pairs) = part
    if not len(pairs):
        return np.zeros(0, dtype=np.float64)
    lengths = np.concatenate([length for length, _ in pieces])  # pairs: pieces are sent
    indices = np.concatenate([index for _, index in pieces])  # the map's integer type kept
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    width = int(indices.max()) + 1 if len(indices) else 1
    sets = sparse.csr_matrix((np.ones(len(indices), dtype=np.int32), indices, indptr),
                             shape=(len(lengths), width))
    sets.has_sorted_indices = True  # a partition's sorted columns map in order
    row_doc = np.concatenate([np.zeros(0, np.int64)] + list(docs))
    order = np.argsort(row_doc, kind="stable")
    rows = order[np.searchsorted(row_doc[order], np.asarray(pairs, dtype=np.int64))]
    return jaccard_pairs(sets, rows.reshape(-1, 2))


def candidate_similarity(candidates: np.ndarray, kept_sets: list[Any], groups: list[np.ndarray],
                         n_docs: int, *, engine: Engine, least_pairs: int = 20) -> np.ndarray:
    """Exact Jaccard of every candidate pair from the sets kept where they were made, in pair order.

    The three steps of this module's shuffle: each slice of pairs receives the set rows of the
    articles it touches from the partitions holding them; the calling process holds no shingle
    set. Two slices per worker: each partition sends a piece to each slice, so the tasks that send
    grow as partitions x slices; with few slices they stay about a hundred per worker.

    Args:
        candidates: ``(n, 2)`` article indices of the candidate pairs.
        kept_sets: each partition's renumbered sets (:func:`mediaprov.reuse.content.renumbered`),
            or handles to them on the workers.
        groups: each partition's articles (every article once, ascending).
        n_docs: articles in all.
        engine: where the partitions are (:class:`mediaprov.engine.Engine`).
        least_pairs: fewest pairs in a slice.

    Returns:
        The similarity of each candidate pair (float64).

    Example:
        >>> from mediaprov.engine import Engine
        >>> part_sets = [(np.array([2, 1]), np.array([0, 1, 1])), (np.array([2]), np.array([0, 1]))]
        >>> groups = [np.array([0, 2]), np.array([1])]
        >>> candidate_similarity(np.array([[0, 1], [1, 2]]), part_sets, groups, 3,
        ...                      engine=Engine()).tolist()
        [1.0, 0.5]
    """
    slices = engine.partitions(len(candidates), least=least_pairs, per_worker=2)
    plan = similarity_plan(candidates, groups, n_docs, slices)
    rows = place([rows for _, _, rows in plan.requests], engine=engine)  # not in the graph
    pieces = map_partitions(set_rows, [(kept_sets[part], handle) for (part, _, _), handle
                                       in zip(plan.requests, rows, strict=True)],
                            engine=engine, keep=True)
    by_slice: list[list[Any]] = [[] for _ in slices]
    for (_, index, _), piece in zip(plan.requests, pieces, strict=True):
        by_slice[index].append(piece)
    wanted = place([(plan.docs[index], candidates[start:stop])
                    for index, (start, stop) in enumerate(slices)], engine=engine)
    found = map_partitions(pairs_similarity, [
        (by_slice[index], handle) for index, handle in enumerate(wanted)], engine=engine)
    return np.concatenate([np.zeros(0, dtype=np.float64)] + found)
