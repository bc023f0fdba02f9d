"""Texts cut from the corpus's Arrow array for reuse's partitions (mediaprov.reuse.content).

Reuse keeps the corpus's texts as the Arrow column read (chunked, in the order read) and cuts each
partition's texts from it, chunk by chunk (Arrow's own ``take`` copies every chunk first: the
memory that saves is measured by ``benchmarks/bench_scale.py``); the rows must be Arrow's ``take``'s.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from mediaprov.reuse.content import OrderedTexts, as_strings, take_rows, take_texts


def test_take_rows_of_a_chunked_array_gives_arrows_take_chunk_by_chunk() -> None:
    rng = np.random.default_rng(3)
    words = [f"text {i}" for i in range(60)]
    for _ in range(20):
        cuts = np.sort(rng.integers(0, 61, size=int(rng.integers(0, 6))))  # empty chunks too
        bounds = [0, *cuts.tolist(), 60]
        chunked = pa.chunked_array([pa.array(words[a:b], pa.large_string())
                                    for a, b in zip(bounds[:-1], bounds[1:], strict=True)],
                                   type=pa.large_string())
        positions = rng.integers(0, 60, size=int(rng.integers(0, 30)))
        got = take_rows(chunked, positions)
        assert got.type == pa.large_string()
        assert got.to_pylist() == chunked.take(pa.array(positions, pa.int64())).to_pylist()
    with pytest.raises(IndexError):
        take_rows(pa.chunked_array([["a"], ["b"]]), np.array([2]))


def test_partition_texts_follow_the_id_order_of_texts_read_in_another_order() -> None:
    chunked = pa.chunked_array([["c", "a"], ["b"]])  # read order; id order is a, b, c
    ordered = OrderedTexts(chunked, np.array([1, 2, 0]))
    assert take_texts(ordered, np.array([2, 0])).to_pylist() == ["c", "a"]
    assert take_texts(chunked, np.array([2])).to_pylist() == ["b"]
    assert as_strings(ordered) == ["a", "b", "c"]
