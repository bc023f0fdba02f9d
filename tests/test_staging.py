"""The rows of parsed articles made Arrow tables where they are parsed (mediaprov.ingest.staging).

``rows_table`` must give exactly the tables ``arrow_table`` gives (or refuse what it refuses),
and the rows ingest keeps must be the ones it would have built itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mediaprov.ingest.partitioned import Parsed, stage
from mediaprov.ingest.records import ParsedArticle, RawRecord
from mediaprov.ingest.staging import article_row, kept_tables, stage_rows
from mediaprov.parquet import arrow_table, rows_table
from mediaprov.schema import ARTICLES, EMBEDS, INGEST_LOG, SchemaError

def _through_pandas(rows: list, schema) -> object:
    try:
        return arrow_table(pd.DataFrame(rows, columns=list(schema.columns)), schema)
    except SchemaError:
        return "refused"


def _direct(rows: list, schema) -> object:
    try:
        return rows_table(rows, schema)
    except SchemaError:
        return "refused"


def _same(rows: list, schema) -> bool:
    expected, found = _through_pandas(rows, schema), _direct(rows, schema)
    if isinstance(expected, str) or isinstance(found, str):
        return expected == found
    return expected.equals(found) and expected.schema.equals(found.schema)


def _row(**changes) -> dict:
    record = RawRecord(raw_path="a.txt", record=0, raw_sha256="0" * 64, format="text")
    row = article_row(record, "id-a", ParsedArticle(
        text="A fictional body.", title="T", published=pd.Timestamp("2024-01-02T03:00Z"),
        date_source="byline", date_confidence=0.8, chrome_lines=["Menu"]))
    row.update(changes)
    return row


@pytest.mark.parametrize("column, value", [
    ("published", dt.datetime(2024, 1, 2, 3, 4)),  # naive: read as UTC both ways
    ("published", dt.datetime(2024, 1, 2, 3, 4, tzinfo=dt.timezone(dt.timedelta(hours=3)))),
    ("published", pd.Timestamp("2024-01-02T03:04:05.123456789+02:00")),
    ("published", dt.date(2024, 1, 2)), ("published", pd.NaT), ("published", "2024-01-02"),
    ("published", "not a date"), ("published", float("nan")),
    ("date_confidence", float("nan")), ("date_confidence", 1), ("date_confidence", np.float32(0.5)),
    ("record", 3.0), ("record", 3.5), ("record", -0.5), ("record", np.float32(2.5)), ("record", True),
    ("record", np.int64(4)),
    ("title", 5), ("title", float("nan")), ("title", np.str_("x")), ("title", None),
    ("chrome_lines", None), ("chrome_lines", ("a", "b")), ("chrome_lines", []),
    ("article_id", None), ("source_fields", '{"camp": "x"}'),
])
def test_rows_table_is_arrow_table_on_every_kind_of_value(column, value) -> None:
    assert _same([_row(), _row(**{column: value})], ARTICLES)


def test_rows_table_is_arrow_table_on_tuples_logs_and_nothing() -> None:
    assert _same([("a", "A", "@a", None, 0, 20), ("b", None, None, "2024", 3, 9)], EMBEDS)
    assert _same([("a", "A", "@a", None, "x", 20)], EMBEDS)  # a start that is no number: refused
    assert _same([("a", "A", "@a", None, 2.5, 20)], EMBEDS)  # nor a whole number
    assert _same([], EMBEDS) and _same([], ARTICLES)
    log = {"raw_path": "a", "record": 0, "raw_sha256": "x", "format": "text", "status": "ingested",
           "reason": None, "article_id": "a", "duplicate_of": None}
    assert _same([log, dict(log, status=None)], INGEST_LOG)  # a missing status: refused both ways


def test_rows_table_is_arrow_table_on_the_rows_of_real_articles(seeds_dir: Path) -> None:
    from mediaprov.ingest.outlets import OutletRegistry
    from mediaprov.ingest.partitioned import ParseSettings, parsed_inputs
    from mediaprov.ingest.readers import plan_input
    from mediaprov.engine import Engine

    options, entries = plan_input(seeds_dir)
    settings = ParseSettings(options, OutletRegistry.load(), (), dt.date(2026, 11, 30))
    found = [parsed for parsed in parsed_inputs(entries, settings, engine=Engine())
             if isinstance(parsed.item, ParsedArticle)]
    assert len(found) >= 5
    rows = [article_row(parsed.record, parsed.article_id, parsed.item) for parsed in found]
    assert any(row["published"] is not None for row in rows) and any(row["chrome_lines"] for row in rows)
    assert _same(rows, ARTICLES)


def _parsed(name: str, text: str, embeds: list | None = None) -> Parsed:
    from mediaprov.embeds import Embed

    record = RawRecord(raw_path=f"{name}.txt", record=0, raw_sha256="0" * 64, format="text")
    posts = [Embed("Ana", "@ana", None, 0, 3, 5, 20)] if embeds else []
    return Parsed(record, f"id-{name}", ParsedArticle(text=text, title=name, embeds=posts), 0)


def test_stage_keeps_the_rows_of_the_articles_kept_in_order() -> None:
    batch = [_parsed("a", "Body a."), Parsed(_parsed("q", "").record, "id-q", "empty file", 0),
             _parsed("b", "Body b.", embeds=[1]), _parsed("c", "Body c.", embeds=[1])]
    staged = stage(batch, slim=True)
    assert staged[1] == batch[1]  # a quarantined record passes as it is
    assert [found.row for found in staged] == [0, None, 1, 2]
    assert staged[0].tables is staged[2].tables is staged[3].tables
    assert staged[2].item.text == "" and staged[2].item.title == "b" and not staged[2].item.embeds
    assert stage(staged) == staged  # staged once only
    articles, embeds = kept_tables([(staged[0].tables, 0), (staged[3].tables, 2)])
    assert articles["article_id"].to_pylist() == ["id-a", "id-c"]
    assert articles["text"].to_pylist() == ["Body a.", "Body c."]
    assert embeds["article_id"].to_pylist() == ["id-c"]  # b's post goes with b
    empty_articles, empty_embeds = kept_tables([])
    assert empty_articles.num_rows == empty_embeds.num_rows == 0


def test_a_row_its_table_refuses_quarantines_only_its_article(monkeypatch) -> None:
    from mediaprov.ingest import staging

    row_of = staging.article_row

    def bad_date_for_b(record, article_id, parsed):
        row = row_of(record, article_id, parsed)
        return dict(row, published="not a date") if article_id == "id-b" else row

    monkeypatch.setattr(staging, "article_row", bad_date_for_b)
    items = [(found.record, found.article_id, found.item)
             for found in (_parsed("a", "A."), _parsed("b", "B."), _parsed("c", "C."))]
    tables, refused = stage_rows(items)
    assert list(refused) == [1] and refused[1].startswith("cannot be stored")
    assert tables.articles["article_id"].to_pylist() == ["id-a", "id-c"]
    staged = stage([_parsed("a", "A."), _parsed("b", "B."), _parsed("c", "C.")])
    assert staged[1].item == refused[1] and staged[1].tables is None
    assert [found.row for found in staged] == [0, None, 1]


def test_rows_table_builds_usual_rows_without_pandas(monkeypatch) -> None:
    """The direct way is the one taken for the rows parsers give (else it would save nothing)."""
    from mediaprov import parquet

    def refused(*args, **kwargs):
        raise AssertionError("went through pandas")

    monkeypatch.setattr(parquet, "arrow_table", refused)
    assert rows_table([_row(), _row(title=None, published=None)], ARTICLES).num_rows == 2
    assert rows_table([("a", "A", "@a", None, 0, 20)], EMBEDS).num_rows == 1
