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
from mediaprov.reuse.file_texts import FileTexts, assembled, routes, target_pieces


def _written(articles: pd.DataFrame, path: Path, *, cleaned: bool = True) -> Path:
    """The table as a Parquet file; with ``cleaned``, every third article has a ``clean_text``."""
    table = articles.copy()
    table["clean_text"] = [text.upper() if cleaned and i % 3 == 0 else None
                           for i, text in enumerate(table["text"])]
    table.to_parquet(path, row_group_size=7)  # several row groups: chunks cut between them
    return path


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
    expected = [text if pd.isna(clean) else clean for text, clean
                in zip(articles["text"], pd.read_parquet(path)["clean_text"], strict=True)]
    order = np.argsort(articles["article_id"].to_numpy(), kind="stable")
    targets = [np.array([5, 0, 39]), np.arange(40), np.array([], dtype=np.int64)]
    with session(Engine()):
        pieces = target_pieces(FileTexts(path, order), targets, engine=Engine())
    for wanted, found in zip(targets, pieces, strict=True):
        assert assembled(found, len(wanted)).to_pylist() == [expected[order[d]] for d in wanted]


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
    from_file = find_reuse(articles.drop(columns=["text"]), engine=Engine(), text_file=path)
    pd.testing.assert_frame_equal(found, from_file)


def test_text_file_of_another_table_is_refused(tmp_path) -> None:
    articles, _ = synthetic_corpus(30, seed=1)
    path = _written(articles.iloc[:20], tmp_path / "articles.parquet")
    with pytest.raises(ValueError, match="has 20 rows, the articles table 30"):
        find_reuse(articles.drop(columns=["text"]), engine=Engine(), text_file=path)
