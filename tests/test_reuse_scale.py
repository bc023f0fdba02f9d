"""Reuse at scale: strided LSH bands, bucket cap, frequent shingles, vectorised verification."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from mediaprov.reuse import find_reuse, synthetic_corpus
from mediaprov.reuse.boilerplate import (boilerplate_candidates, boilerplate_keys,
                                         boilerplate_runs, is_candidate, outlet_shingle_keys)
from mediaprov.reuse.minhash import (band_keys, bucket_pairs, bucket_pairs_counted, jaccard,
                                     jaccard_pairs, lsh_pairs, shingle_sets, union_pairs)


def test_is_candidate_matches_isin_for_sorted_and_unsorted_keys() -> None:
    rng = np.random.default_rng(0)
    shingles = rng.integers(0, 50, 400).astype(np.uint64)
    outlet = rng.integers(-1, 3, 400)
    keys = np.unique(outlet_shingle_keys(shingles[:100], outlet[:100]))
    keys = keys[keys != 0]
    expected = np.isin(outlet_shingle_keys(shingles, outlet), keys) & (outlet >= 0)
    assert is_candidate(shingles, outlet, keys).tolist() == expected.tolist()
    assert is_candidate(shingles, outlet, keys[::-1].copy()).tolist() == expected.tolist()


@pytest.mark.parametrize("docs_in_order", [True, False])
def test_candidates_from_the_key_sort_are_those_of_the_keys(docs_in_order) -> None:
    rng = np.random.default_rng(2)
    shingles = rng.integers(0, 30, 3000).astype(np.uint64)  # few shingles: many recur
    doc = rng.integers(0, 200, 3000)
    doc = np.sort(doc) if docs_in_order else doc
    doc_outlet = rng.integers(-1, 4, 200)
    keys, candidate = boilerplate_candidates(shingles, doc, doc_outlet, min_articles=5)
    assert 0 < candidate.sum() < len(candidate)  # the test can fail both ways
    assert np.array_equal(keys, boilerplate_keys(shingles, doc, doc_outlet, min_articles=5))
    assert np.array_equal(candidate, is_candidate(shingles, doc_outlet[doc], keys))
    # by definition: a known outlet's shingle in at least 5 distinct articles of that outlet
    outlet = doc_outlet[doc]
    for index in rng.choice(len(doc), 200, replace=False).tolist():
        same = (shingles == shingles[index]) & (outlet == outlet[index])
        expected = outlet[index] >= 0 and len(np.unique(doc[same])) >= 5
        assert candidate[index] == expected


def _runs_by_sorted_bounds(candidate: np.ndarray, doc: np.ndarray, k: int,
                           min_words: int) -> np.ndarray:
    """The run rule as first written (run bounds and article cuts sorted together): reference."""
    if not candidate.any():
        return candidate
    flags = np.zeros(len(candidate) + 2, dtype=bool)
    flags[1:-1] = candidate
    edges = np.flatnonzero(flags[1:] != flags[:-1])
    cuts = np.flatnonzero(doc[1:] != doc[:-1]) + 1
    bounds = np.union1d(np.concatenate([edges[0::2], edges[1::2]]), cuts)
    starts, stops = bounds[:-1], bounds[1:]
    inside = candidate[starts]
    starts, stops = starts[inside], stops[inside]
    long_runs = (stops - starts) + k - 1 >= min_words
    depth = np.zeros(len(candidate) + 1, dtype=np.int64)
    np.add.at(depth, starts[long_runs], 1)
    np.add.at(depth, stops[long_runs], -1)
    return np.cumsum(depth[:-1]) > 0


def test_boilerplate_runs_equal_the_rule_as_first_written() -> None:
    rng = np.random.default_rng(3)
    marked = 0
    for _ in range(2000):
        n = int(rng.integers(0, 60))
        candidate = rng.random(n) < rng.random()
        doc = np.sort(rng.integers(0, n // 5 + 1, n))
        k, min_words = int(rng.integers(1, 6)), int(rng.integers(1, 12))
        got = boilerplate_runs(candidate, doc, k=k, min_words=min_words)
        assert np.array_equal(got, _runs_by_sorted_bounds(candidate, doc, k, min_words))
        marked += int(got.sum())
    assert marked > 0


def test_jaccard_pairs_equals_pairwise_jaccard() -> None:
    rng = np.random.default_rng(1)
    shingles = rng.integers(0, 40, 600).astype(np.uint64)
    doc = np.sort(rng.integers(0, 30, 600))
    sets, values = shingle_sets(shingles, doc, 31)  # document 30 has no shingles
    pairs = np.array([(i, j) for i in range(31) for j in range(i + 1, 31)])
    got = jaccard_pairs(sets, pairs, batch=37)
    for (i, j), value in zip(pairs.tolist(), got.tolist(), strict=True):
        left, right = np.unique(shingles[doc == i]), np.unique(shingles[doc == j])
        assert value == jaccard(left, right)
    assert values.tolist() == np.unique(shingles).tolist()


def test_bands_read_strided_rows() -> None:
    # two documents agree on positions 0 and 2 only: with 2 bands of 2 rows, band 0 reads
    # positions 0 and 2 (strided), so they collide; side-by-side rows (0, 1) would not
    sig = np.array([[1, 2, 3, 4], [1, 9, 3, 8]], dtype=np.uint64)
    assert lsh_pairs(sig, bands=2, rows=2).tolist() == [[0, 1]]
    keys = band_keys(sig, bands=2, rows=2)
    assert keys[0, 0] == keys[1, 0] and keys[0, 1] != keys[1, 1]


def test_bucket_cap_bounds_pairs_and_logs(caplog) -> None:
    keys = np.full((10, 1), 7, dtype=np.uint64)  # ten documents in one bucket
    assert len(bucket_pairs(keys)) == 45
    with caplog.at_level(logging.INFO, logger="mediaprov.reuse.minhash"):
        capped = bucket_pairs(keys, max_bucket=3)
    assert capped.tolist() == sorted([i, j] for i in range(10) for j in (i + 1, i + 2) if j < 10)
    assert "1 buckets held more than 3 documents" in caplog.text
    with pytest.raises(ValueError, match="max_bucket"):
        bucket_pairs(keys, max_bucket=1)


def test_bucketing_slices_of_bands_gives_the_pairs_of_all_bands() -> None:
    rng = np.random.default_rng(5)
    keys = rng.integers(1, 6, size=(300, 24)).astype(np.uint64)  # few keys: crowded buckets
    keys[::7] = 0  # documents without a searched shingle are in no bucket
    for cap in (None, 4):
        whole, capped, docs = bucket_pairs_counted(keys, max_bucket=cap)
        assert len(whole) > 0 and (cap is None or capped > 0)  # the test can fail
        parts = [bucket_pairs_counted(keys[:, lo:hi], max_bucket=cap)
                 for lo, hi in ((0, 5), (5, 6), (6, 24))]
        assert np.array_equal(union_pairs([p for p, _, _ in parts], len(keys)), whole)
        assert sum(p[1] for p in parts) == capped and sum(p[2] for p in parts) == docs
        assert np.array_equal(whole, bucket_pairs(keys, max_bucket=cap))


def test_frequent_shingles_leave_search_not_similarity() -> None:
    articles, _ = synthetic_corpus(60, seed=4)
    every = find_reuse(articles, max_shingle_articles=None)
    capped = find_reuse(articles, max_shingle_articles=2)
    assert len(every) > 0
    # pairs found either way have the same exact similarity (frequent shingles still count)
    merged = every.merge(capped, on=["article_a", "article_b"])
    assert len(merged) > 0
    assert (merged["similarity_x"] == merged["similarity_y"]).all()
    with pytest.raises(ValueError, match="max_shingle_articles"):
        find_reuse(articles, max_shingle_articles=1)
