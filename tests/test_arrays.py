"""mediaprov.arrays: NumPy helpers."""

from __future__ import annotations

import numpy as np
import pytest

from mediaprov.arrays import sorted_unique


@pytest.mark.parametrize("values", [
    np.array([3, 1, 3, 2, 1], dtype=np.int64),
    np.array([[5, 2], [2, 9], [5, 5]], dtype=np.int64),  # pairs: flattened, as np.unique does
    np.array([np.iinfo(np.uint64).max, 0, 7, np.iinfo(np.uint64).max], dtype=np.uint64),
    np.array([4, -4, 4], dtype=np.int32),
    np.zeros(0, dtype=np.int64),
    np.array([9], dtype=np.int64),
    np.array(["b", "a", "b"], dtype=object),
    np.array([1.5, np.nan, 1.5, np.nan]),
    np.array(["NaT", "2020-01-01", "NaT", "2019-05-05"], dtype="datetime64[D]"),
    np.array([True, False, True]),
    np.random.default_rng(7).integers(0, 1_000, 20_000),
])
def test_sorted_unique_is_np_unique(values: np.ndarray) -> None:
    got, want = sorted_unique(values), np.unique(values)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
