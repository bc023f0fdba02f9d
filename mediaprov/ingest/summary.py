"""Tables that describe an ingest run: what came in, what came out, and why.

These are the tables behind ``notebooks/01_ingestion.ipynb``; each takes the ``articles`` or
``ingest_log`` table and returns a small, sorted DataFrame.

Example:
    >>> log = pd.DataFrame({"format": ["text", "text", "csv"], "status": ["ingested", "quarantined", "ingested"],
    ...     "reason": [None, "empty file", None], "raw_path": ["a", "b", "c.csv"], "record": [0, 0, 3]})
    >>> int(status_by_format(log).loc["text", "quarantined"])
    1
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from mediaprov.schema import INGEST_STATUSES


def status_by_format(log: pd.DataFrame) -> pd.DataFrame:
    """Count input records by format and status, with totals (rows: formats; columns: statuses).

    Example: see the module docstring.
    """
    table = pd.crosstab(log["format"], log["status"]).reindex(columns=list(INGEST_STATUSES), fill_value=0)
    table["inputs"] = table.sum(axis=1)
    table.loc["all"] = table.sum()
    table.columns.name = None
    return table.astype(int)


def date_sources(articles: pd.DataFrame) -> pd.DataFrame:
    """Where publication dates came from.

    Articles and share per ``date_source``, with the mean confidence, plus how many articles kept
    a page-chrome date apart and how many had a date rejected (``date_flag``).

    Example:
        >>> arts = pd.DataFrame({"date_source": ["marker", "none"], "date_confidence": [0.95, 0.0],
        ...     "page_date": [pd.NaT, pd.Timestamp("2024-06-19", tz="UTC")], "date_flag": [None, None]})
        >>> int(date_sources(arts).loc["none", "with page-chrome date"])
        1
    """
    grouped = articles.groupby("date_source", dropna=False)
    table = pd.DataFrame({
        "articles": grouped.size(),
        "share": grouped.size() / len(articles) if len(articles) else 0.0,
        "mean confidence": grouped["date_confidence"].mean().round(2),
        "with page-chrome date": grouped["page_date"].apply(lambda s: int(s.notna().sum())),
        "with rejected date": grouped["date_flag"].apply(lambda s: int(s.notna().sum())),
    })
    table.index.name = "date source"
    return table.sort_values(["articles"], ascending=False, kind="stable").round({"share": 3})


def quarantine_reasons(log: pd.DataFrame) -> pd.DataFrame:
    """Every quarantined record with its reason, sorted by path (nothing is dropped silently).

    Example:
        >>> quarantine_reasons(pd.DataFrame({"status": ["quarantined"], "raw_path": ["a"], "record": [0],
        ...     "format": ["text"], "reason": ["empty file"]})).reason.tolist()
        ['empty file']
    """
    table = log.loc[log["status"] == "quarantined", ["raw_path", "record", "format", "reason"]]
    return table.sort_values(["raw_path", "record"]).reset_index(drop=True)


def duplicates(log: pd.DataFrame) -> pd.DataFrame:
    """Each merged duplicate beside the record it was merged into, with the reason.

    Example:
        >>> log = pd.DataFrame({"status": ["ingested", "duplicate"], "raw_path": ["a", "b"], "record": [0, 0],
        ...     "article_id": ["1", "2"], "duplicate_of": [None, "1"], "reason": [None, "exact duplicate"]})
        >>> duplicates(log)[["raw_path", "kept"]].values.tolist()
        [['b', 'a#0']]
    """
    kept = {a: f"{p}#{r}" for a, p, r in zip(log["article_id"], log["raw_path"], log["record"], strict=True)}
    table = log.loc[log["status"] == "duplicate", ["raw_path", "record", "duplicate_of", "reason"]].copy()
    table["kept"] = table["duplicate_of"].map(kept)
    return table[["raw_path", "record", "kept", "reason"]].sort_values(["raw_path", "record"]).reset_index(drop=True)


def articles_by_outlet(articles: pd.DataFrame, outlets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Articles per outlet, with the camp and how the outlet was recognised.

    Unknown outlets are counted as ``(unknown)``; the camp is given when the outlet registry gives
    one.

    Example:
        >>> articles_by_outlet(pd.DataFrame({"outlet_id": ["x", None], "outlet_evidence": ["folder", None]})).articles.tolist()
        [1, 1]
    """
    frame = articles.assign(outlet_id=articles["outlet_id"].fillna("(unknown)"),
                            outlet_evidence=articles["outlet_evidence"].fillna("none"))
    table = pd.crosstab(frame["outlet_id"], frame["outlet_evidence"])
    table.columns = [f"by {c}" for c in table.columns]
    table.insert(0, "articles", table.sum(axis=1))
    if outlets is not None and "camp" in outlets.columns:
        camps = outlets.set_index("outlet_id")["camp"].replace("", pd.NA)
        table.insert(1, "camp", table.index.map(camps))
    table.index.name = "outlet"
    return table.sort_values("articles", ascending=False, kind="stable")


def pick_example(articles: pd.DataFrame, embeds: pd.DataFrame, quotes: pd.DataFrame | None = None) -> pd.Series:
    """The article that shows the most of what ingestion does, for a notebook's worked example.

    In order of preference: one with a crawl-date header and an embedded post, one with an embedded
    post, one with the most direct quotes, else the first by ``raw_path``. Ties go to the first by
    ``raw_path`` then ``record``, so the choice is the same on every run.

    Args:
        articles: an ``articles`` table (not empty).
        embeds: its ``embeds`` table.
        quotes: its ``quotes`` table, if built.

    Returns:
        One row of ``articles``.

    Example:
        >>> arts = pd.DataFrame({"article_id": ["a", "b"], "raw_path": ["x", "y"], "record": [0, 0],
        ...                      "page_date": [None, None]})
        >>> pick_example(arts, pd.DataFrame({"article_id": ["b"]})).article_id
        'b'
    """
    ordered = articles.sort_values(["raw_path", "record"], kind="stable")
    with_post = ordered["article_id"].isin(set(embeds["article_id"]))
    for choice in (with_post & ordered["page_date"].notna(), with_post):
        if choice.any():
            return ordered[choice].iloc[0]
    if quotes is not None and len(quotes) and "kind" in quotes:
        counts = quotes[quotes["kind"] == "direct"].groupby("article_id").size()
        if len(counts):
            best = ordered.assign(n=ordered["article_id"].map(counts).fillna(0))
            return best.sort_values("n", ascending=False, kind="stable").iloc[0].drop("n")
    return ordered.iloc[0]


def raw_versus_clean(article: pd.Series, raw_root: Path, *, max_lines: int = 60) -> tuple[str, pd.Series]:
    """The raw input of one article beside what ingestion kept of it.

    Args:
        article: one row of ``articles``.
        raw_root: what was ingested: a folder (``raw_path`` is relative to it) or a single file.
        max_lines: raw lines to show at most.

    Returns:
        ``(raw text as read, the article's parsed fields)``. For a JSONL record, its own line is
        shown as one field per line, long values cut at 300 characters.
    """
    root = Path(raw_root)
    file = root if root.is_file() else root / article["raw_path"]
    if article.get("format") == "jsonl":
        with file.open(encoding="utf-8", errors="replace") as handle:
            line = next((text for number, text in enumerate(handle) if number == int(article["record"])), "{}")
        item = json.loads(line)
        raw = "\n".join(f"{key}: {str(value)[:300]!r}" + (" [...]" if len(str(value)) > 300 else "")
                        for key, value in item.items())
    else:
        raw = file.read_text(encoding="utf-8", errors="replace")
    raw_lines = raw.splitlines()
    shown = "\n".join(raw_lines[:max_lines]) + ("\n[...]" if len(raw_lines) > max_lines else "")
    fields = article[["outlet_id", "outlet_evidence", "title", "subtitle", "published", "date_source",
                      "page_date", "byline", "credited_source", "credit_line", "chrome_lines"]]
    return shown, fields
