"""Texts read from ``articles.parquet`` where they are used (mediaprov.reuse.file_texts).

The cluster runs (the workers read, the client never does) are in ``test_engine.py``, beside the
other two-worker tests; here the pieces themselves and the in-process form of ``text_file``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from mediaprov.engine import Engine, session
from mediaprov.reuse import find_reuse, synthetic_corpus
from mediaprov.reuse.file_texts import (FileTexts, assembled, read_pieces, routes, rows_in_file,
                                        target_pieces)


def _written(articles: pd.DataFrame, path: Path, *, cleaned: bool = True) -> Path:
    """The table as a Parquet file, rows shuffled (not in id order), in row groups of 7.

    With ``cleaned``, every third article has a ``clean_text``.
    """
    table = articles.copy()
    table["clean_text"] = [text.upper() if cleaned and i % 3 == 0 else None
                           for i, text in enumerate(table["text"])]
    table.sample(frac=1, random_state=0).to_parquet(path, row_group_size=7, index=False)
    return path


def _analysis_texts_by_id(path: Path) -> dict[str, str]:
    table = pd.read_parquet(path)
    return {article: text if pd.isna(clean) else clean for article, text, clean
            in zip(table["article_id"], table["text"], table["clean_text"], strict=True)}


def test_routes_send_every_wanted_article_once_from_the_chunk_holding_it() -> None:
    rng = np.random.default_rng(3)
    order = rng.permutation(50)
    targets = [np.sort(rng.choice(50, size, replace=False)) for size in (10, 0, 50, 3)]
    chunks = [(0, 7), (7, 30), (30, 50)]
    found = routes(order, targets, chunks)
    for index, wanted in enumerate(targets):
        rows = np.concatenate([chunks[c][0] + found[c][index][0] for c in range(len(chunks))])
        positions = np.concatenate([found[c][index][1] for c in range(len(chunks))])
        assert sorted(positions.tolist()) == list(range(len(wanted)))
        assert np.array_equal(rows[np.argsort(positions)], order[wanted])
        for c, (start, stop) in enumerate(chunks):
            local = found[c][index][0]
            assert ((local >= 0) & (local < stop - start)).all()


def test_pieces_put_back_together_give_the_file_texts_in_each_targets_order(tmp_path) -> None:
    articles, _ = synthetic_corpus(40, seed=2)
    path = _written(articles, tmp_path / "articles.parquet")
    expected = _analysis_texts_by_id(path)
    ids = np.sort(articles["article_id"].to_numpy(object))  # articles numbered in id order
    rows = rows_in_file(path, ids)
    assert not np.array_equal(rows, np.arange(40)), "the file must not be in id order"
    targets = [np.array([5, 0, 39]), np.arange(40), np.array([], dtype=np.int64)]
    with session(Engine()):
        pieces = target_pieces(FileTexts(path, rows), targets, engine=Engine())
    for wanted, found in zip(targets, pieces, strict=True):
        assert assembled(found, len(wanted)).to_pylist() == [expected[ids[d]] for d in wanted]
    chunks = [(0, 7), (7, 21), (21, 40)]  # as a cluster cuts them: reads that start past row 0
    by_chunk = [read_pieces((path, start, stop, wanted)) for (start, stop), wanted
                in zip(chunks, routes(rows, targets, chunks), strict=True)]
    for index, wanted in enumerate(targets):
        texts = assembled([chunk[index] for chunk in by_chunk], len(wanted)).to_pylist()
        assert texts == [expected[ids[d]] for d in wanted]


def test_pieces_that_miss_or_repeat_a_position_are_refused() -> None:
    with pytest.raises(ValueError, match="2 texts for 3 positions"):
        assembled([(np.array([0, 2]), pa.array(["a", "c"]))], 3)
    with pytest.raises(ValueError, match="2 texts for 2 positions"):
        assembled([(np.array([1]), pa.array(["b"])), (np.array([1]), pa.array(["b"]))], 2)


def test_text_file_in_process_gives_the_table_of_the_texts_themselves(tmp_path) -> None:
    articles, _ = synthetic_corpus(120, seed=4)
    path = _written(articles, tmp_path / "articles.parquet", cleaned=False)
    found = find_reuse(articles, engine=Engine())
    assert len(found) > 5
    table = articles.drop(columns=["text"]).sample(frac=1, random_state=1)  # a third order
    pd.testing.assert_frame_equal(found, find_reuse(table, engine=Engine(), text_file=path))


def test_text_file_of_another_table_is_refused(tmp_path) -> None:
    articles, _ = synthetic_corpus(30, seed=1)
    path = _written(articles.iloc[:20], tmp_path / "articles.parquet")
    with pytest.raises(ValueError, match="20 in the file, 30 in the table, 10 of"):
        find_reuse(articles.drop(columns=["text"]), engine=Engine(), text_file=path)
    other = articles.iloc[:20].copy()
    other["article_id"] = [f"x{i}" for i in range(20)]  # as many articles as the file, other ids
    with pytest.raises(ValueError, match="20 in the file, 20 in the table, 20 of"):
        find_reuse(other.drop(columns=["text"]), engine=Engine(), text_file=path)
