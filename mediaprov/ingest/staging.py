"""The rows of parsed articles as the Arrow tables ingest writes, built where they are parsed.

A worker that parses a run of files (:func:`mediaprov.ingest.partitioned.parse_files`) hands its
articles back as two Arrow tables (``articles`` and ``embeds`` rows) rather than as Python
objects: the process that merges duplicates then only picks the rows it keeps
(:func:`kept_tables`), and neither builds them nor unpickles their text line by line. Records
parsed in that process go through the same function, a batch at a time, so the rows are the same
whichever way a corpus is read.

An article whose row its table refuses (a value no parser gives, the last line of defence) is
quarantined here with the reason, before the duplicate check: an article that is not stored is
never the original a later copy is merged into.

Example:
    >>> from mediaprov.ingest.records import ParsedArticle, RawRecord
    >>> record = RawRecord(raw_path="a.txt", record=0, raw_sha256="0" * 64, format="text")
    >>> tables, refused = stage_rows([(record, "id-a", ParsedArticle(text="A body.", title="T"))])
    >>> tables.articles.num_rows, tables.articles["title"].to_pylist(), refused
    (1, ['T'], {})
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from mediaprov.embeds import embed_rows
from mediaprov.ingest.normalise import valid_text
from mediaprov.ingest.records import ParsedArticle, RawRecord
from mediaprov.parquet import rows_table
from mediaprov.schema import ARTICLES, EMBEDS, Schema, SchemaError

__all__ = ["StagedTables", "article_row", "kept_tables", "stage_rows"]


@dataclass(frozen=True, eq=False)
class StagedTables:
    """The ``articles`` and ``embeds`` rows of a batch of parsed articles, validated and made Arrow.

    Attributes:
        articles: one ``articles`` row per staged article, in the order they were staged.
        embeds: the ``embeds`` rows of those articles (each article's posts in order).
    """

    articles: pa.Table
    embeds: pa.Table


def article_row(record: RawRecord, article_id: str, parsed: ParsedArticle) -> dict[str, Any]:
    """The ``articles`` row of one parsed record (before page templates are blanked).

    Args:
        record: the raw record.
        article_id: its stable id.
        parsed: what the parser found.

    Returns:
        ``{column: value}`` for the ARTICLES columns the parser fills.

    Example:
        >>> record = RawRecord(raw_path="a.txt", record=0, raw_sha256="0" * 64, format="text")
        >>> article_row(record, "id-a", ParsedArticle(text="A body."))["raw_path"]
        'a.txt'
    """
    return {
        "article_id": article_id, "outlet_id": parsed.outlet_id, "outlet_evidence": parsed.outlet_evidence,
        "url": parsed.url, "title": parsed.title, "subtitle": parsed.subtitle,
        "published": parsed.published, "date_source": parsed.date_source,
        "date_confidence": parsed.date_confidence, "date_flag": parsed.date_flag,
        "page_date": parsed.page_date, "byline": parsed.byline,
        "credited_source": parsed.credited_source, "credit_line": parsed.credit_line,
        "language": parsed.language, "text": parsed.text, "chrome_lines": parsed.chrome_lines,
        "format": record.format, "raw_path": record.raw_path, "record": record.record,
        "raw_sha256": record.raw_sha256,
        "source_fields": json.dumps(parsed.source_fields, sort_keys=True, ensure_ascii=False)
        if parsed.source_fields else None,
    }


def stage_rows(articles: Sequence[tuple[RawRecord, str, ParsedArticle]]) -> tuple[StagedTables, dict[int, str]]:
    """The tables of a batch of parsed articles, and the articles their tables refuse.

    Args:
        articles: ``(record, article_id, parsed)`` of each article, in input order.

    Returns:
        ``(tables, refused)``: the rows of every article not refused, in order, and
        ``{position in articles: reason}`` of those refused ("cannot be stored: ..."), which are
        to be quarantined.

    Example: see the module docstring.
    """
    rows = [article_row(record, article_id, parsed) for record, article_id, parsed in articles]
    posts = [embed_rows(article_id, parsed.embeds) for _, article_id, parsed in articles]
    refused: dict[int, str] = {}
    try:
        return _tables(rows, posts), refused
    except _REFUSED:
        pass
    for position, (row, embeds) in enumerate(zip(rows, posts, strict=True)):
        try:
            _table([row], ARTICLES)
        except _REFUSED as error:
            refused[position] = valid_text(f"cannot be stored: {str(error)[:300]}")[0]
            continue
        try:
            _table(embeds, EMBEDS)
        except _REFUSED as error:
            refused[position] = valid_text(f"cannot store an embedded post: {str(error)[:300]}")[0]
    kept = [position for position in range(len(rows)) if position not in refused]
    return _tables([rows[i] for i in kept], [posts[i] for i in kept]), refused


def kept_tables(kept: Sequence[tuple[StagedTables, int]]) -> tuple[pa.Table, pa.Table]:
    """The ``articles`` and ``embeds`` rows of the articles kept, in the order given.

    Args:
        kept: ``(tables, row)`` of each article kept (not a duplicate), in input order; runs of
            rows of one :class:`StagedTables` are taken together.

    Returns:
        ``(articles, embeds)``: Arrow tables for :meth:`mediaprov.parquet.ChunkedTableWriter.write_arrow`.

    Example:
        >>> from mediaprov.ingest.records import ParsedArticle, RawRecord
        >>> records = [RawRecord(raw_path=f"{n}.txt", record=0, raw_sha256="0" * 64, format="text")
        ...            for n in "ab"]
        >>> tables, _ = stage_rows([(r, r.raw_path, ParsedArticle(text="Body.")) for r in records])
        >>> kept_tables([(tables, 1)])[0]["article_id"].to_pylist()
        ['b.txt']
    """
    articles: list[pa.Table] = []
    embeds: list[pa.Table] = []
    for _, run in groupby(kept, key=lambda item: id(item[0])):  # runs of rows of one StagedTables
        rows = list(run)
        tables = rows[0][0]
        taken = tables.articles.take([row for _, row in rows])
        articles.append(taken)
        if tables.embeds.num_rows:
            embeds.append(tables.embeds.filter(pc.is_in(tables.embeds["article_id"],
                                                        value_set=taken["article_id"])))
    return (pa.concat_tables(articles) if articles else _table([], ARTICLES),
            pa.concat_tables(embeds) if embeds else _table([], EMBEDS))


_REFUSED: tuple[type[BaseException], ...] = (SchemaError, pa.ArrowException)
"""What a table that refuses a row raises."""


def _tables(rows: list[dict[str, Any]], posts: list[list[tuple]]) -> StagedTables:
    return StagedTables(_table(rows, ARTICLES), _table([post for run in posts for post in run], EMBEDS))


def _table(rows: list, schema: Schema) -> pa.Table:
    """Rows (dicts, or tuples in the schema's column order) as the validated Arrow table."""
    return rows_table(rows, schema, where="ingest")
