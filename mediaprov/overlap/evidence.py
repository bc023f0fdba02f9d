"""The evidence behind an overlap edge, and the researcher-supplied groups to compare with.

Example:
    >>> camp_truth(pd.DataFrame({"outlet_id": ["a"], "camp": ["x"]})).to_dict()
    {'a': 'x'}
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from mediaprov.overlap.matrix import DEFAULT_KINDS, _check_columns


# --------------------------------------------------------------------------------------------
# evidence


EVIDENCE_COLUMNS: tuple[str, ...] = ("source_id", "kind", "outlet_id", "article_id", "published",
                                     "start", "end", "span_text", "quote_text", "speaker")


def overlap_evidence(outlet_a: str, outlet_b: str, citations: pd.DataFrame, quotes: pd.DataFrame,
                     articles: pd.DataFrame, *, kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """The citations behind an edge: every citation of a source both outlets lean on.

    Args:
        outlet_a: one outlet id.
        outlet_b: the other outlet id.
        citations: a ``citations`` table.
        quotes: a ``quotes`` table (matched to citations by article and span to show the quote).
        articles: an ``articles`` table (``article_id``, ``outlet_id``, ``text``; ``published``
            when present).
        kinds: citation kinds to consider (default :data:`DEFAULT_KINDS`).

    Returns:
        Columns :data:`EVIDENCE_COLUMNS`: the shared ``source_id``, the citation ``kind``, which
        outlet and article cite it, when it was published, the span (``start``, ``end`` into
        ``articles.text``), ``span_text`` (the text of that span; empty when the citation has no
        span), and for quotes the ``quote_text`` and ``speaker`` as the quotes table has them.
        Sorted by source, outlet, publication time, article and offset. Empty (with these
        columns) when the outlets share no source.

    Raises:
        ValueError: a table lacks a needed column.

    Example:
        >>> arts = pd.DataFrame({"article_id": ["a", "b"], "outlet_id": ["A", "B"],
        ...     "text": ['"Yes," said Ann.', '"No," said Ann.']})
        >>> cits = pd.DataFrame({"article_id": ["a", "b"], "source_id": ["ann", "ann"],
        ...     "kind": ["quoted", "quoted"], "start": [1, 1], "end": [4, 3]})
        >>> quotes = pd.DataFrame({"article_id": ["a", "b"], "text": ["Yes", "No"],
        ...     "start": [1, 1], "end": [4, 3], "speaker": ["Ann", "Ann"]})
        >>> overlap_evidence("A", "B", cits, quotes, arts).span_text.tolist()
        ['Yes', 'No']
    """
    _check_columns(citations, ("article_id", "source_id", "kind", "start", "end"), "citations")
    _check_columns(articles, ("article_id", "outlet_id", "text"), "articles")
    _check_columns(quotes, ("article_id", "text", "start", "end"), "quotes")
    kinds = tuple(DEFAULT_KINDS if kinds is None else kinds)
    columns = ["article_id", "outlet_id", "text"] + (["published"] if "published" in articles
                                                     else [])
    placed = articles.loc[articles.outlet_id.isin([outlet_a, outlet_b]), columns]
    cited = citations.loc[citations.kind.isin(kinds),
                          ["article_id", "source_id", "kind", "start", "end"]]
    cited = cited.merge(placed, on="article_id", how="inner")
    cited = cited[cited.source_id != cited.outlet_id]
    used = {outlet: set(group.source_id.astype(str))
            for outlet, group in cited.groupby("outlet_id")}
    shared = used.get(outlet_a, set()) & used.get(outlet_b, set())
    rows = cited[cited.source_id.isin(shared)].copy()
    if "published" not in rows:
        rows["published"] = pd.NaT
    rows["span_text"] = [
        "" if pd.isna(start) or pd.isna(end) else str(text)[int(start):int(end)]
        for text, start, end in zip(rows.text, rows.start, rows.end, strict=True)]
    quote_columns = ["article_id", "start", "end", "text"] + (["speaker"] if "speaker" in quotes
                                                              else [])
    matched = quotes.loc[:, quote_columns].rename(columns={"text": "quote_text"})
    if "speaker" not in matched:
        matched["speaker"] = pd.NA
    matched = matched.dropna(subset=["start", "end"])
    matched = matched.drop_duplicates(["article_id", "start", "end"])
    rows = rows.drop(columns="text").astype({"start": "Int64", "end": "Int64"})
    matched = matched.astype({"start": "Int64", "end": "Int64"})
    rows = rows.merge(matched, on=["article_id", "start", "end"], how="left")
    rows = rows.sort_values(["source_id", "outlet_id", "published", "article_id", "start", "kind"],
                            kind="mergesort", na_position="last")
    return rows.loc[:, list(EVIDENCE_COLUMNS)].reset_index(drop=True)


def camp_truth(registry_table: pd.DataFrame, *, pack: str | None = None,
               column: str = "camp") -> pd.Series:
    """The researcher-supplied group of each outlet (e.g. ``camp``), optionally of one pack.

    Args:
        registry_table: ``OutletRegistry.load().table``.
        pack: keep only outlets of this ``pack`` (e.g. ``"demo"``); default all.
        column: the registry column holding the group.

    Returns:
        A Series indexed by ``outlet_id`` (sorted), outlets with an empty group left out.

    Example:
        >>> table = pd.DataFrame({"outlet_id": ["b", "a"], "camp": ["x", ""], "pack": ["p", "p"]})
        >>> camp_truth(table, pack="p").to_dict()
        {'b': 'x'}
    """
    _check_columns(registry_table, ("outlet_id", column), "outlets")
    table = registry_table
    if pack is not None:
        _check_columns(table, ("pack",), "outlets")
        table = table[table.pack == pack]
    groups = table.set_index("outlet_id")[column]
    groups = groups[groups.notna() & (groups.astype(str).str.strip() != "")]
    return groups.astype(str).sort_index()
