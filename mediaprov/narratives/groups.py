"""Which group an article belongs to: its publisher, or a registry column such as ``camp``.

Every comparison in :mod:`mediaprov.narratives` takes ``by=``, the name of a column of
``articles``. Publisher comparisons use ``outlet_id`` directly; camp (or any other registry
attribute) comparisons first copy that column from the outlet registry with :func:`attach_groups`.

Example:
    >>> articles = pd.DataFrame({"article_id": ["a1"], "outlet_id": ["o1"], "text": ["x"]})
    >>> outlets = pd.DataFrame({"outlet_id": ["o1"], "camp": ["north"]})
    >>> attach_groups(articles, outlets, by="camp").camp.tolist()
    ['north']
"""

from __future__ import annotations

import pandas as pd


def attach_groups(articles: pd.DataFrame, outlets: pd.DataFrame, *, by: str = "camp") -> pd.DataFrame:
    """Return ``articles`` with the registry column ``by`` added (looked up by ``outlet_id``).

    Args:
        articles: the ``articles`` table (needs ``outlet_id``).
        outlets: the outlet registry (``data/reference/outlets.csv``), with ``outlet_id`` and ``by``.
        by: the registry column to copy (``camp``, ``country``, ``kind``...). ``outlet_id`` returns
            a copy of ``articles`` unchanged.

    Returns:
        A copy of ``articles`` with column ``by``; articles of an unknown outlet, or of an outlet
        with an empty value, get a missing value (comparisons leave them out).

    Raises:
        KeyError: ``articles`` has no ``outlet_id`` or the registry has no column ``by``.

    Example: see the module docstring.
    """
    if "outlet_id" not in articles.columns:
        raise KeyError("articles has no 'outlet_id' column: ingest the corpus with an outlet registry")
    if by == "outlet_id":
        return articles.copy()
    if by not in outlets.columns or "outlet_id" not in outlets.columns:
        raise KeyError(f"the outlet registry has no column {by!r} (or no 'outlet_id'); "
                       f"columns are {list(outlets.columns)}")
    lookup = outlets.drop_duplicates("outlet_id").set_index("outlet_id")[by]
    lookup = lookup.where(lookup.astype("string").str.strip() != "")
    out = articles.drop(columns=[by], errors="ignore").copy()
    out[by] = out["outlet_id"].map(lookup).astype("string")
    return out


def group_column(table: pd.DataFrame, by: str, *, table_name: str = "articles") -> pd.Series:
    """Return ``table[by]`` as strings, or fail with a message that says how to add the column.

    Example:
        >>> group_column(pd.DataFrame({"camp": ["a", None]}), "camp").tolist()
        ['a', <NA>]
    """
    if by not in table.columns:
        raise KeyError(f"{table_name} has no column {by!r}: pass by='outlet_id', or add the column "
                       f"with mediaprov.narratives.attach_groups(articles, outlets, by={by!r})")
    return table[by].astype("string")
