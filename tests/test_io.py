"""Reading tables: whole, by columns, and by slices of rows (mediaprov.io)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mediaprov.io import read_table
from mediaprov.parquet import ChunkedTableWriter, read_rows
from mediaprov.schema import STORIES, SchemaError


@pytest.fixture
def chunked(tmp_path: Path) -> Path:
    """A stories table written in row groups of 7, 1, 0 and 12 rows."""
    path = tmp_path / "stories.parquet"
    with ChunkedTableWriter(path, STORIES) as writer:
        start = 0
        for size in (7, 1, 0, 12):
            ids = [f"a{i:02d}" for i in range(start, start + size)]
            writer.write(pd.DataFrame({"article_id": ids, "story_id": [f"s{i % 3}" for i in range(size)],
                                       "joined_by": "seed"}))
            start += size
    return path


def test_read_rows_equals_a_slice_of_the_whole_table(chunked: Path) -> None:
    import pyarrow.parquet as pq

    assert pq.ParquetFile(chunked).metadata.num_row_groups >= 3, "the slices must cross row groups"
    whole = read_table(chunked, STORIES)
    assert len(whole) == 20
    for start, stop in [(0, 20), (0, 7), (6, 9), (7, 8), (8, 20), (3, 15), (19, 20), (5, 5), (20, 20)]:
        rows = read_rows(chunked, start, stop, STORIES)
        pd.testing.assert_frame_equal(rows, whole.iloc[start:stop].reset_index(drop=True),
                                      obj=f"rows {start}:{stop}")


def test_reading_some_columns_keeps_their_schema_types(chunked: Path) -> None:
    whole = read_table(chunked, STORIES)
    some = read_table(chunked, STORIES, columns=["story_id", "article_id"])
    assert list(some.columns) == ["story_id", "article_id"]
    pd.testing.assert_frame_equal(some, whole[["story_id", "article_id"]])
    pd.testing.assert_frame_equal(read_rows(chunked, 2, 10, STORIES, columns=["story_id"]),
                                  whole[["story_id"]].iloc[2:10].reset_index(drop=True))
    with pytest.raises(SchemaError, match="no columns"):
        read_table(chunked, STORIES, columns=["speaker"])


def test_a_missing_table_names_the_command_that_writes_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="mediaprov ingest"):
        read_rows(tmp_path / "articles.parquet", 0, 1, STORIES)


def test_an_optional_column_the_file_lacks_is_read_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "stories.parquet"
    pd.DataFrame({"article_id": ["a", "b"], "story_id": ["s", "s"], "joined_by": ["x", "y"]}).to_parquet(path)
    optional = STORIES.optional[0]
    for table in (read_table(path, STORIES, columns=["article_id", optional]),
                  read_rows(path, 0, 2, STORIES, columns=["article_id", optional])):
        assert table["article_id"].tolist() == ["a", "b"]
        assert table[optional].isna().all()


def test_columns_read_coded_hold_the_same_text(chunked: Path) -> None:
    """``categorical`` columns come back as Categoricals of the same strings; the rest as before."""
    from mediaprov.text import string_codes

    whole = read_table(chunked, STORIES)
    coded = read_table(chunked, STORIES, columns=["article_id", "story_id"], categorical=["story_id"])
    assert isinstance(coded["story_id"].dtype, pd.CategoricalDtype)
    assert sorted(coded["story_id"].cat.categories) == ["s0", "s1", "s2"]  # each value once
    assert coded["article_id"].dtype == whole["article_id"].dtype
    pd.testing.assert_frame_equal(coded.astype({"story_id": whole["story_id"].dtype}),
                                  whole[["article_id", "story_id"]])
    codes, distinct = string_codes(coded["story_id"])
    assert distinct[codes].tolist() == whole["story_id"].tolist()
    every = read_table(chunked, STORIES, categorical=["joined_by"])  # all columns, one coded
    assert isinstance(every["joined_by"].dtype, pd.CategoricalDtype)
    assert every["joined_by"].astype(str).tolist() == whole["joined_by"].astype(str).tolist()


def test_analysis_articles_of_a_slice_read_the_raw_text_only_where_needed(tmp_path: Path, monkeypatch) -> None:
    """``read_analysis_articles(rows=...)``: a slice whose rows all have ``clean_text`` leaves ``text`` on disk."""
    import mediaprov.parquet as parquet_module
    from mediaprov.io import write_table
    from mediaprov.schema import ARTICLES
    from mediaprov.text import read_analysis_articles

    table = ARTICLES.empty()
    for row, (clean, raw) in enumerate([("one.", "one. Ad"), ("two.", "two. Ad"), (None, "three. Ad"), ("four.", "four. Ad")]):
        table.loc[row, ["article_id", "text", "clean_text", "raw_path", "raw_sha256"]] = [f"a{row}", raw, clean, "x", "0"]
    path = write_table(table, tmp_path / "articles.parquet", ARTICLES)
    asked: list[list[str]] = []
    real = parquet_module.read_rows

    def recording(path, start, stop, schema, *, columns=None):
        asked.append(list(columns or []))
        return real(path, start, stop, schema, columns=columns)

    monkeypatch.setattr(parquet_module, "read_rows", recording)
    first = read_analysis_articles(path, ["article_id"], rows=(0, 2))
    assert first["text"].tolist() == ["one.", "two."] and first["article_id"].tolist() == ["a0", "a1"]
    assert not any("text" in columns for columns in asked)  # the raw text stayed on disk
    middle = read_analysis_articles(path, ["article_id"], rows=(1, 3))
    assert middle["text"].tolist() == ["two. Ad", "three. Ad"] and middle["clean_text"].isna().tolist() == [False, True]
    assert ["text"] in asked
    whole = read_analysis_articles(path, ["article_id"])
    pd.testing.assert_frame_equal(read_analysis_articles(path, ["article_id"], rows=(0, 4)), whole)
    assert read_analysis_articles(path, ["article_id"], rows=(3, 9))["article_id"].tolist() == ["a3"]  # past the end


def test_coded_columns_are_checked_and_never_written_coded(tmp_path: Path, chunked: Path) -> None:
    """A typo in ``categorical`` is an error; ``write_table`` still casts a Categorical to text."""
    from mediaprov.io import write_table
    from mediaprov.text import string_codes

    with pytest.raises(ValueError, match="not read"):
        read_table(chunked, STORIES, columns=["article_id"], categorical=["story_id"])
    with pytest.raises(ValueError, match="not read"):  # without a schema: the file's columns
        read_table(chunked, categorical=["stroy_id"])
    assert isinstance(read_table(chunked, categorical=["story_id"])["story_id"].dtype, pd.CategoricalDtype)
    coded = read_table(chunked, STORIES, categorical=["story_id"])
    write_table(coded, tmp_path / "stories.parquet", STORIES)
    assert read_table(tmp_path / "stories.parquet", STORIES)["story_id"].dtype == read_table(chunked, STORIES)["story_id"].dtype
    some = coded["story_id"].iloc[:2]  # categories s0..s2, only s0 and s1 occur
    codes, distinct = string_codes(some)
    assert distinct.tolist() == ["s0", "s1"] and distinct[codes].tolist() == some.astype(str).tolist()
    for missing in (pd.Series(["a", None], dtype="category"), pd.Series(["a", None])):
        with pytest.raises(ValueError, match="missing"):
            string_codes(missing)


@pytest.mark.parametrize("value", [2**63, 2**64, -(2**63) - 1, 10**30])
def test_a_number_too_large_for_its_column_is_a_schema_error(value: int) -> None:
    from mediaprov.schema import TEMPLATE_SPANS, validate

    table = pd.DataFrame({"article_id": ["a", "b"], "template_id": ["t", "t"], "kind": ["line", "line"],
                          "start": [0, value], "end": [5, 9]})
    with pytest.raises(SchemaError, match=r"template_spans.*column 'start' cannot be read as Int64"):
        validate(table, TEMPLATE_SPANS, where="probe")
    fits = table.assign(start=[0, 2**63 - 1])
    assert validate(fits, TEMPLATE_SPANS)["start"].tolist() == [0, 2**63 - 1]
