"""The exact Jaccard of candidate pairs scored where the sets are (mediaprov.reuse.similarity).

The shuffle must give, bit for bit, the similarities of one ``jaccard_pairs`` call over the
corpus's assembled sets, whatever the partitions, the slices of pairs and the pairs' order.
"""

from __future__ import annotations

import numpy as np
import pytest

from mediaprov.reuse.content import assemble_sets, outlet_partitions
from mediaprov.reuse.minhash import jaccard_pairs
from mediaprov.reuse.similarity import pairs_similarity, set_rows, similarity_plan


def _partition_sets(rng: np.random.Generator, groups: list[np.ndarray], n_values: int
                    ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Random renumbered sets for each partition's rows (sorted columns, some rows empty)."""
    parts = []
    for group in groups:
        rows = [np.sort(rng.choice(n_values, size=int(rng.integers(0, 12)), replace=False))
                for _ in group]
        parts.append((np.array([len(r) for r in rows], dtype=np.int64),
                      np.concatenate([np.zeros(0, np.int32)] + [r.astype(np.int32) for r in rows])))
    return parts


def _shuffled_similarity(pairs, parts, groups, n_docs, slices) -> np.ndarray:
    plan = similarity_plan(pairs, groups, n_docs, slices)
    pieces = [set_rows((parts[p], rows)) for p, _, rows in plan.requests]
    by_slice: list[list] = [[] for _ in slices]
    for (_, index, _), piece in zip(plan.requests, pieces, strict=True):
        by_slice[index].append(piece)
    found = [pairs_similarity((by_slice[i], (plan.docs[i], pairs[a:b])))
             for i, (a, b) in enumerate(slices)]
    return np.concatenate([np.zeros(0)] + found)


@pytest.mark.parametrize("seed", range(6))
def test_shuffled_similarity_is_that_of_the_assembled_sets_bit_for_bit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_docs, n_values = int(rng.integers(5, 60)), 40
    outlet = rng.integers(-1, 6, size=n_docs)  # -1: articles of no known outlet
    groups = outlet_partitions(outlet, int(rng.integers(1, 5)))
    parts = _partition_sets(rng, groups, n_values)
    i, j = rng.integers(0, n_docs, size=(2, 80))
    pairs = np.unique(np.stack([np.minimum(i, j), np.maximum(i, j)], axis=1)[i != j], axis=0)
    rng.shuffle(pairs)  # any order of pairs
    cuts = np.sort(rng.choice(np.arange(1, max(len(pairs), 2)), size=min(3, max(len(pairs) - 1, 0)),
                              replace=False)) if len(pairs) > 1 else np.zeros(0, np.int64)
    bounds = [0, *cuts.tolist(), len(pairs)]
    slices = [(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]
    whole = assemble_sets(parts, groups, n_docs, n_values)
    expected = jaccard_pairs(whole, pairs)
    got = _shuffled_similarity(pairs, parts, groups, n_docs, slices)
    assert got.dtype == np.float64 and got.tobytes() == expected.tobytes()
    assert (expected > 0).any() or not len(pairs)  # the comparison is not all zeros


def test_each_partition_sends_only_the_rows_a_slice_touches() -> None:
    groups = [np.array([0, 3, 4]), np.array([1, 2])]
    plan = similarity_plan(np.array([[0, 1], [3, 4]]), groups, 5, [(0, 1), (1, 2)])
    assert [(p, s, rows.tolist()) for p, s, rows in plan.requests] == \
        [(0, 0, [0]), (1, 0, [0]), (0, 1, [1, 2])]
    assert [[d.tolist() for d in docs] for docs in plan.docs] == [[[0], [1]], [[3, 4]]]


def test_set_rows_takes_rows_in_the_order_asked_with_empty_rows() -> None:
    lengths, indices = np.array([2, 0, 3]), np.array([1, 5, 0, 2, 9], dtype=np.int32)
    got_lengths, got_indices = set_rows(((lengths, indices), np.array([2, 1, 0])))
    assert got_lengths.tolist() == [3, 0, 2] and got_indices.tolist() == [0, 2, 9, 1, 5]
    assert got_indices.dtype == np.int32  # the map's integer type is kept (half the bytes)


def test_no_pairs_no_rows() -> None:
    plan = similarity_plan(np.zeros((0, 2), np.int64), [np.arange(3)], 3, [])
    assert plan.requests == [] and plan.docs == []
    assert pairs_similarity(([], ([], np.zeros((0, 2), np.int64)))).tolist() == []

