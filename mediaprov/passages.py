"""Passages: show the evidence behind any feature row, in context, with the span marked.

Every derived table keeps ``article_id``, ``start`` and ``end`` into ``articles.text``, or, for
reuse pairs, ``passages`` with offsets into both texts; :func:`evidence` prints those passages so
any number can be traced back to the text behind it. The package exports it as
``mediaprov.evidence(rows, articles)``. Tables that name articles without a span
(stories, common sources, first movers) show each article's opening.

Example:
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"article_id": ["a"], "text": ["Before. The MEK said so. After."]})
    >>> rows = pd.DataFrame({"article_id": ["a"], "start": [12], "end": [15]})
    >>> print(evidence(rows, articles, context=8))
    a [12:15]  …re. The [[MEK]] said so…
"""

from __future__ import annotations

import pandas as pd

MARK_OPEN = "[["
MARK_CLOSE = "]]"
OPENING_CHARS = 160
"""Characters shown for a row that names an article but no span (its opening)."""


def evidence_spans(rows: pd.DataFrame) -> pd.DataFrame:
    """Turn any derived table into span rows: ``article_id``, ``start``, ``end`` plus its columns.

    * rows with ``article_id``, ``start``, ``end`` (mentions, quotes, citations, embeds) stay as
      they are;
    * reuse rows (``article_a``, ``article_b``, ``passages``) give two rows per shared passage,
      one per side, with ``pair`` (the reuse row's position) and ``side`` (``a`` or ``b``);
    * rows naming articles without a span (``article_id``, or ``article_a``/``article_b``) give
      the opening of each article (``start`` 0, ``end`` missing: filled by :func:`evidence_table`).

    Args:
        rows: a derived table.

    Returns:
        A table with ``article_id``, ``start`` and ``end``.

    Raises:
        ValueError: ``rows`` names no article (no ``article_id`` or ``article_a`` column).

    Example:
        >>> reuse = pd.DataFrame({"article_a": ["a"], "article_b": ["b"],
        ...     "passages": [[{"a_start": 0, "a_end": 4, "b_start": 2, "b_end": 6}]]})
        >>> evidence_spans(reuse)[["article_id", "side", "start", "end"]].values.tolist()
        [['a', 'a', 0, 4], ['b', 'b', 2, 6]]
    """
    if {"article_id", "start", "end"} <= set(rows.columns):
        return rows
    if {"article_a", "article_b"} <= set(rows.columns):
        spans = []
        has_passages = "passages" in rows.columns
        for position, row in enumerate(rows.to_dict("records")):
            passages = row.get("passages") if has_passages else None
            passages = list(passages) if passages is not None and not isinstance(passages, float) else []
            if not passages:
                for side in ("a", "b"):
                    spans.append({**row, "pair": position, "side": side,
                                  "article_id": row[f"article_{side}"], "start": 0, "end": None})
            for passage in passages:
                for side in ("a", "b"):
                    spans.append({**row, "pair": position, "side": side, "article_id": row[f"article_{side}"],
                                  "start": passage[f"{side}_start"], "end": passage[f"{side}_end"]})
        columns = ["article_id", "side", "pair", "start", "end"]
        out = pd.DataFrame(spans, columns=list(dict.fromkeys(columns + list(rows.columns))))
        return out.drop(columns=[c for c in ("passages",) if c in out.columns])
    if "article_id" in rows.columns:
        return rows.assign(start=0, end=None)
    raise ValueError(f"evidence: rows name no article (columns {list(rows.columns)}); pass a table with "
                     "article_id (and start/end), or reuse rows (article_a, article_b, passages)")


def evidence_table(rows: pd.DataFrame, articles: pd.DataFrame, *, context: int = 80
                   ) -> pd.DataFrame:
    """Return the passage of every row, with ``context`` characters on each side.

    Args:
        rows: any derived table (see :func:`evidence_spans`): mentions, quotes, citations,
            embeds, reuse pairs, stories... Other columns are kept.
        articles: the articles table (``article_id`` and ``text``).
        context: characters shown before and after each span.

    Returns:
        ``rows`` with added columns ``before``, ``span``, ``after`` and ``passage`` (the three
        joined, span marked ``[[...]]``, newlines shown as ``⏎``). A row whose article is
        unknown or whose span is missing or outside the text gets an explanatory ``passage``.

    Raises:
        ValueError: ``rows`` or ``articles`` lacks a needed column.

    Example:
        >>> arts = pd.DataFrame({"article_id": ["a"], "text": ["one two three"]})
        >>> evidence_table(pd.DataFrame({"article_id": ["a"], "start": [4], "end": [7]}), arts,
        ...                context=4).passage.tolist()
        ['one [[two]] thr…']
    """
    rows = evidence_spans(rows)
    missing = [c for c in ("article_id", "text") if c not in articles.columns]
    if missing:
        raise ValueError(f"evidence: articles lacks columns {missing}")
    texts = dict(zip(articles["article_id"].astype(str), articles["text"], strict=True))
    before, span, after, passage, ends = [], [], [], [], []
    for article_id, start, end in zip(rows["article_id"], rows["start"], rows["end"], strict=True):
        text = texts.get(str(article_id))
        if isinstance(text, str) and not pd.isna(start) and pd.isna(end) and int(start) == 0:
            end = min(len(text), OPENING_CHARS)  # an article without a span: its opening
        ends.append(end)
        if not isinstance(text, str):
            before.append("")
            span.append("")
            after.append("")
            passage.append(f"(article {article_id} not in the articles table)")
            continue
        if pd.isna(start) or pd.isna(end) or not 0 <= int(start) <= int(end) <= len(text):
            before.append("")
            span.append("")
            after.append("")
            passage.append(f"(no span in the text: start={start}, end={end})")
            continue
        start, end = int(start), int(end)
        low, high = max(0, start - context), min(len(text), end + context)
        b, s, a = text[low:start], text[start:end], text[end:high]
        before.append(b)
        span.append(s)
        after.append(a)
        shown = ("…" if low > 0 else "") + b + MARK_OPEN + s + MARK_CLOSE + a + (
            "…" if high < len(text) else "")
        passage.append(shown.replace("\n", "⏎"))
    out = rows.copy()
    out["end"] = pd.array(ends, dtype="Int64") if len(ends) else out["end"]
    out["before"], out["span"], out["after"], out["passage"] = before, span, after, passage
    return out


def evidence(rows: pd.DataFrame, articles: pd.DataFrame, *, context: int = 80) -> str:
    """Return the passages of ``rows`` in context as text, one line per row.

    Args:
        rows: any derived table (see :func:`evidence_spans`).
        articles: the articles table (``article_id`` and ``text``).
        context: characters shown before and after each span.

    Returns:
        Lines ``<article_id> [start:end]  <passage>``, in the order of ``rows``.

    Example: see the module docstring.
    """
    table = evidence_table(rows, articles, context=context)
    lines = []
    for article_id, start, end, shown in zip(table["article_id"], table["start"], table["end"],
                                             table["passage"], strict=True):
        lines.append(f"{article_id} [{start}:{end}]  {shown}")
    return "\n".join(lines)
