"""Evidence: show the passages behind any feature row, in context, with the span marked.

Every derived table keeps ``article_id``, ``start`` and ``end`` into ``articles.text``;
:func:`evidence` prints those passages so any number can be traced back to the text behind it.

Example:
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"article_id": ["a"], "text": ["Before. The MEK said so. After."]})
    >>> rows = pd.DataFrame({"article_id": ["a"], "start": [12], "end": [15]})
    >>> print(evidence(rows, articles, context=8))
    a [12:15]  …re. The [[MEK]] said so…
"""

from __future__ import annotations

import sys
import types

import pandas as pd

MARK_OPEN = "[["
MARK_CLOSE = "]]"


def evidence_table(rows: pd.DataFrame, articles: pd.DataFrame, *, context: int = 80
                   ) -> pd.DataFrame:
    """Return the passage of every row, with ``context`` characters on each side.

    Args:
        rows: any table with ``article_id``, ``start`` and ``end`` (mentions, quotes,
            citations, embeds...). Other columns are kept.
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
    for table, needed, name in ((rows, ("article_id", "start", "end"), "rows"),
                                (articles, ("article_id", "text"), "articles")):
        missing = [c for c in needed if c not in table.columns]
        if missing:
            raise ValueError(f"evidence: {name} lacks columns {missing}")
    texts = dict(zip(articles["article_id"].astype(str), articles["text"]))
    before, span, after, passage = [], [], [], []
    for article_id, start, end in zip(rows["article_id"], rows["start"], rows["end"]):
        text = texts.get(str(article_id))
        if not isinstance(text, str):
            before.append(""), span.append(""), after.append("")
            passage.append(f"(article {article_id} not in the articles table)")
            continue
        if pd.isna(start) or pd.isna(end) or not 0 <= int(start) <= int(end) <= len(text):
            before.append(""), span.append(""), after.append("")
            passage.append(f"(no span in the text: start={start}, end={end})")
            continue
        start, end = int(start), int(end)
        low, high = max(0, start - context), min(len(text), end + context)
        b, s, a = text[low:start], text[start:end], text[end:high]
        before.append(b), span.append(s), after.append(a)
        shown = ("…" if low > 0 else "") + b + MARK_OPEN + s + MARK_CLOSE + a + (
            "…" if high < len(text) else "")
        passage.append(shown.replace("\n", "⏎"))
    out = rows.copy()
    out["before"], out["span"], out["after"], out["passage"] = before, span, after, passage
    return out


def evidence(rows: pd.DataFrame, articles: pd.DataFrame, *, context: int = 80) -> str:
    """Return the passages of ``rows`` in context as text, one line per row.

    Args:
        rows: any table with ``article_id``, ``start`` and ``end``.
        articles: the articles table (``article_id`` and ``text``).
        context: characters shown before and after each span.

    Returns:
        Lines ``<article_id> [start:end]  <passage>``, in the order of ``rows``.

    Example: see the module docstring.
    """
    table = evidence_table(rows, articles, context=context)
    lines = []
    for article_id, start, end, shown in zip(table["article_id"], table["start"], table["end"],
                                             table["passage"]):
        lines.append(f"{article_id} [{start}:{end}]  {shown}")
    return "\n".join(lines)


class _CallableModule(types.ModuleType):
    """This module, callable as :func:`evidence`: ``mediaprov.evidence(rows, articles)``."""

    def __call__(self, rows: pd.DataFrame, articles: pd.DataFrame, *, context: int = 80) -> str:
        return evidence(rows, articles, context=context)


sys.modules[__name__].__class__ = _CallableModule
