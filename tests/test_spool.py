"""The spool that lets features hold one key range of a corpus's tables at a time."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mediaprov.spool import RangeSpool, key_bounds


def _partition(rng: np.random.Generator, keys: list[str]) -> pd.DataFrame:
    """Rows for some keys (a few per key, in a random order), typed as the feature tables are."""
    rows = [(key, int(n)) for key in keys for n in range(rng.integers(0, 4))]
    order = rng.permutation(len(rows))
    table = pd.DataFrame([rows[i] for i in order], columns=["article_id", "start"])
    return table.astype({"article_id": "string", "start": "Int64"})


def test_ranges_read_back_in_key_order_give_the_sorted_whole(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    keys = [f"{k:016x}" for k in rng.integers(0, 2**63, size=400)]
    partitions = [_partition(rng, keys[i:i + 57]) for i in range(0, 400, 57)]  # 8, the last short
    whole = pd.concat(partitions, ignore_index=True)
    expected = whole.sort_values(["article_id", "start"], kind="stable", ignore_index=True)
    bounds = key_bounds(whole.article_id, per_range=30)
    assert len(bounds) == (whole.article_id.nunique() - 1) // 30 > 5
    with RangeSpool(tmp_path, bounds) as spool:
        for table in partitions:
            spool.add({"t": table, "u": table.iloc[:0]})
        pieces = list(spool.ranges())
        assert len(list(tmp_path.iterdir())) == 1  # the spool's own folder
    assert not list(tmp_path.iterdir())  # removed on exit
    assert len(pieces) == len(bounds) + 1
    for piece, low, high in zip(pieces, [""] + bounds, bounds + ["~"], strict=True):
        assert [len(frame) for frame in piece["t"]] == [
            int(((p.article_id >= low) & (p.article_id < high)).sum()) for p in partitions]
        assert all(len(frame) == 0 for frame in piece["u"])
    got = pd.concat([pd.concat(p["t"]).sort_values(["article_id", "start"], kind="stable")
                     for p in pieces], ignore_index=True)
    pd.testing.assert_frame_equal(got, expected)  # dtypes included
    # within a range, a partition's rows keep their order
    first = pieces[0]["t"][0]
    original = partitions[0][partitions[0].article_id < bounds[0]].reset_index(drop=True)
    pd.testing.assert_frame_equal(first, original)


def test_empty_ranges_are_skipped_and_one_range_needs_no_bounds(tmp_path: Path) -> None:
    table = pd.DataFrame({"article_id": ["b", "a"], "n": [1, 2]})
    with RangeSpool(tmp_path, ["0", "c", "d"]) as spool:  # nothing below "0" nor from "d" on
        spool.add({"t": table})
        assert [pd.concat(p["t"]).n.tolist() for p in spool.ranges()] == [[1, 2]]
    with RangeSpool(tmp_path, []) as spool:
        spool.add({"t": table})
        assert [pd.concat(p["t"]).n.tolist() for p in spool.ranges()] == [[1, 2]]
    assert key_bounds([], per_range=5) == [] and key_bounds(["a"], per_range=1) == []


def test_the_spool_folder_goes_on_an_error_and_add_needs_the_block(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), RangeSpool(tmp_path, ["m"]) as spool:
        spool.add({"t": pd.DataFrame({"article_id": ["a", "z"]})})
        raise RuntimeError("a partition failed")
    assert not list(tmp_path.iterdir())
    with pytest.raises(ValueError, match="with"):
        RangeSpool(tmp_path, []).add({"t": pd.DataFrame({"article_id": ["a"]})})
