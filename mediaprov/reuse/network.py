"""From article pairs to outlets: the outlet -> outlet reuse network and co-publication.

* :func:`copy_direction`: **the** definition of "who copied whom" for a reuse pair, used by the
  network below and by notebooks 02 and 03: credit evidence first, then trusted dates; where
  neither speaks, or they contradict each other, the pair has no direction (never a guess).
* :func:`reuse_edges`: one row per (source outlet, target outlet): how many article pairs, the
  median lag, the share credited and the share of whole copies. Pairs that
  :func:`copy_direction` directs give edges from the source article's outlet to the copy's;
  pairs without a direction are kept apart (``directed`` False, outlets in alphabetical order)
  so they never pass for a direction.
* :func:`reuse_graph`: the same as a ``networkx.DiGraph`` (directed pairs only as edges).
* :func:`explained_by_common_source`: pairs that share text only because both copied a third
  article (siblings, :mod:`mediaprov.reuse.sources`); left out of the network by default.
* :func:`coordination`: outlet pairs that published the same content within a time window of each
  other (a sign of coordination or of a shared feed, not proof of either).

Articles without an outlet are left out of outlet-level tables.

Example:
    >>> reuse = pd.DataFrame({"article_a": ["a"], "article_b": ["b"], "similarity": [0.9],
    ...     "directed": [True], "credited": [True], "whole_copy": [False], "shared_chars": [40],
    ...     "passages": [[]], "lag": [0.5]})
    >>> articles = pd.DataFrame({"article_id": ["a", "b"], "outlet_id": ["o1", "o2"],
    ...     "published": pd.to_datetime(["2024-01-01", "2024-01-02"], utc=True)})
    >>> reuse_edges(reuse, articles)[["source_outlet", "target_outlet", "directed"]].values.tolist()
    [['o1', 'o2', True]]
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from mediaprov.dating import date_status
from mediaprov.reuse.sources import common_sources
from mediaprov.schema import COORDINATION, REUSE_EDGES, validate  # noqa: F401  (re-exported)

DIRECTION_EVIDENCE: tuple[str, ...] = ("credit+date", "credit", "date", "conflict", "none")
"""Values of :func:`copy_direction`'s ``evidence``: the first three give a direction."""

_CREDIT_EVIDENCE = ("credit", "credit+date", "conflict")
"""``evidence`` values of pairs in which one article credits the other's outlet."""


def copy_direction(reuse: pd.DataFrame, articles: pd.DataFrame, *,
                   min_confidence: float = 0.5) -> pd.DataFrame:
    """Who copied whom in each reuse pair: the one rule every notebook and table uses.

    The rule, in order:

    1. **Credit.** When exactly one article of the pair credits the other's outlet as its source
       (``articles.credited_source``, read from "Source: X", "(X)" or a canonical link), the
       credited article is the source and the crediting one the copy. A copy's own statement of
       where its text came from is the most direct evidence there is.
    2. **Dates.** Otherwise, when both dates are trusted (``date_confidence`` at least
       ``min_confidence``) and one is strictly earlier, the earlier article is the source. A
       date without a time of day (midnight UTC) is compared by calendar day
       (:func:`mediaprov.reuse.sources.published_before`), so a bare date never beats a time on
       the same day.
    3. **Otherwise no direction.** Pairs with neither credit nor an order of trusted dates stay
       undirected (``none``). When credit and trusted dates both speak and **contradict** each
       other (the crediting article is dated earlier), the pair stays undirected too
       (``conflict``): one of the two pieces of evidence is wrong and nothing says which.

    When credit and dates agree the evidence is ``credit+date``. The outlet kind (press office,
    agency) is *not* evidence here: it is an assumption about who usually issues text, which
    :func:`mediaprov.timelines.first_movers` uses, and names as one, for story order only.

    Args:
        reuse: a ``reuse`` table (``article_a``, ``article_b``).
        articles: the ``articles`` table (``article_id``, ``outlet_id``, ``published``;
            ``date_confidence`` and ``credited_source`` used when present).
        min_confidence: dates with a lower ``date_confidence`` are not trusted.

    Returns:
        A DataFrame aligned with ``reuse.index``: ``article_a``, ``article_b`` (as in ``reuse``),
        ``source_article``, ``copy_article`` (missing without a direction), ``directed``
        (bool), ``evidence`` (one of :data:`DIRECTION_EVIDENCE`) and ``lag_days`` (copy minus
        source in days when both dates are trusted and the pair is directed, else missing;
        whole days when either date has no time of day).

    Raises:
        ValueError: a needed column is missing.

    Example:
        >>> arts = pd.DataFrame({"article_id": ["p", "n", "m"], "outlet_id": ["vna", "tribune", "post"],
        ...     "published": pd.to_datetime([None, "2024-01-03", "2024-01-01"], utc=True),
        ...     "credited_source": [None, "vna", None]})
        >>> pairs = pd.DataFrame({"article_a": ["n", "m"], "article_b": ["p", "n"]})
        >>> copy_direction(pairs, arts)[["source_article", "copy_article", "evidence"]].values.tolist()
        [['p', 'n', 'credit'], ['m', 'n', 'date']]
    """
    missing = [c for c in ("article_a", "article_b") if c not in reuse.columns]
    missing += [c for c in ("article_id", "outlet_id", "published") if c not in articles.columns]
    if missing:
        raise ValueError(f"copy_direction needs reuse (article_a, article_b) and articles "
                         f"(article_id, outlet_id, published); missing {missing}")
    table = articles.drop_duplicates("article_id").set_index("article_id")
    trusted = pd.Series((date_status(table, min_confidence=min_confidence) == "dated").to_numpy(),
                        index=table.index)
    published = pd.to_datetime(table["published"], utc=True).where(trusted)
    credits = (table["credited_source"] if "credited_source" in table.columns
               else pd.Series(pd.NA, index=table.index)).astype("string")
    outlet = table["outlet_id"].astype("string")
    a, b = reuse["article_a"].astype(str), reuse["article_b"].astype(str)
    outlet_a, outlet_b = a.map(outlet), b.map(outlet)
    different = ~(outlet_a == outlet_b).fillna(False).astype(bool)  # an unknown outlet can credit
    b_credits_a = (b.map(credits) == outlet_a).fillna(False).astype(bool) & different
    a_credits_b = (a.map(credits) == outlet_b).fillna(False).astype(bool) & different
    credit = np.where(b_credits_a & ~a_credits_b, 1, np.where(a_credits_b & ~b_credits_a, -1, 0))
    time_a, time_b = a.map(published), b.map(published)
    both = (time_a.notna() & time_b.notna()).to_numpy()
    day_only = ((time_a == time_a.dt.normalize()) | (time_b == time_b.dt.normalize())).to_numpy()
    left = time_a.where(~day_only, time_a.dt.normalize())
    right = time_b.where(~day_only, time_b.dt.normalize())
    date = np.where(both & (left < right).to_numpy(), 1,
                    np.where(both & (left > right).to_numpy(), -1, 0))
    evidence = np.select(
        [(credit != 0) & (date == credit), (credit != 0) & (date == 0),
         (credit == 0) & (date != 0), (credit != 0) & (date == -credit)],
        ["credit+date", "credit", "date", "conflict"], default="none")
    sign = np.where(credit != 0, credit, date)
    sign = np.where(evidence == "conflict", 0, sign)
    directed = sign != 0
    source = np.where(sign == 1, a, np.where(sign == -1, b, None))
    copy = np.where(sign == 1, b, np.where(sign == -1, a, None))
    raw_lag = ((right - left) / pd.Timedelta(days=1)).to_numpy(dtype=float)
    lag = np.where(directed & both, raw_lag * sign + 0.0, np.nan)  # + 0.0: no -0.0
    return pd.DataFrame({
        "article_a": a.to_numpy(), "article_b": b.to_numpy(),
        "source_article": pd.array(source, dtype="string"),
        "copy_article": pd.array(copy, dtype="string"),
        "directed": directed.astype(bool), "evidence": pd.array(evidence, dtype="string"),
        "lag_days": lag}, index=reuse.index)


def explained_by_common_source(reuse: pd.DataFrame, articles: pd.DataFrame | None = None, *,
                               outlets: pd.DataFrame | None = None,
                               min_share: float = 0.9) -> pd.Series:
    """Mark pairs whose shared text both articles took from a third article (siblings).

    Two outlets that republish parts of the same press release share text without copying each
    other. A pair ``(x, y)`` is *explained* by an article ``c`` paired with both when at least
    ``min_share`` of the characters ``x`` and ``y`` share lie, in each of them, inside the
    passages it shares with ``c``, and ``c`` is identified as the source of both: by date, by
    credit, by the outlet registry's ``kind`` (press offices and agencies issue what others
    republish) or, last, by text containment (:func:`mediaprov.reuse.sources.common_sources`,
    which also says which rule decided and marks the undecidable cases).

    A chain ``c -> x -> y`` in which ``y`` also copies ``x``'s own text is not explained.

    Args:
        reuse: a ``reuse`` table.
        articles: the ``articles`` table; without it only the ``directed`` flags (date order) and
            text containment identify the source.
        outlets: the outlet registry (default ``data/reference/outlets.csv``).
        min_share: share of the pair's passage characters that must lie in passages with ``c``.

    Returns:
        A boolean Series aligned with ``reuse.index``.

    Example:
        >>> p = lambda a0, a1, b0, b1: {"a_start": a0, "a_end": a1, "b_start": b0, "b_end": b1}
        >>> reuse = pd.DataFrame({"article_a": ["c", "c", "x"], "article_b": ["x", "y", "y"],
        ...     "directed": [True, True, True],
        ...     "passages": [[p(0, 50, 10, 60)], [p(0, 50, 0, 50)], [p(10, 60, 0, 50)]]})
        >>> explained_by_common_source(reuse).tolist()
        [False, False, True]
    """
    found = common_sources(reuse, articles, outlets=outlets, min_share=min_share)
    return pd.Series(found["explained"].to_numpy(bool), index=reuse.index, dtype=bool)


def _with_outlets(reuse: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Attach ``outlet_a`` and ``outlet_b``; drop pairs where either outlet is unknown."""
    missing = [c for c in ("article_id", "outlet_id") if c not in articles.columns]
    if missing:
        raise ValueError(f"articles table lacks columns {missing}; pass the ingested articles")
    outlet = articles.set_index("article_id")["outlet_id"]
    table = reuse.assign(outlet_a=reuse["article_a"].map(outlet),
                         outlet_b=reuse["article_b"].map(outlet))
    return table.dropna(subset=["outlet_a", "outlet_b"])


def reuse_edges(reuse: pd.DataFrame, articles: pd.DataFrame, *, self_loops: bool = False,
                drop_explained: bool = True, min_confidence: float = 0.5) -> pd.DataFrame:
    """Aggregate reuse pairs into outlet -> outlet edges, directed by :func:`copy_direction`.

    Args:
        reuse: a ``reuse`` table (from :func:`mediaprov.reuse.find_reuse`).
        articles: the ``articles`` table (``article_id``, ``outlet_id``, ``published``;
            ``credited_source`` and ``date_confidence`` when present).
        self_loops: keep pairs of two articles of the same outlet.
        drop_explained: leave out pairs whose shared text both took from a common source
            (:func:`explained_by_common_source`): they copy the source, not each other.
            (:func:`mediaprov.reuse.find_reuse` already drops them by default.)
        min_confidence: dates with a lower ``date_confidence`` do not direct a pair.

    Returns:
        A :data:`REUSE_EDGES` table sorted by ``directed`` (directed first), ``pairs``
        (descending), ``source_outlet``, ``target_outlet``. ``directed`` rows hold the pairs
        whose direction credit or trusted dates decide (:func:`copy_direction`), from the
        source's outlet to the copy's; ``median_lag`` is over the directed pairs with both dates
        trusted (missing when none); ``share_credited`` counts pairs in which one article credits
        the other's outlet.

    Example: see the module docstring.
    """
    if drop_explained and len(reuse):
        reuse = reuse[~explained_by_common_source(reuse, articles)]
    if "published" not in articles.columns:  # dates unknown: credit alone can direct
        articles = articles.assign(published=pd.NaT)
    direction = copy_direction(reuse, articles, min_confidence=min_confidence)
    table = _with_outlets(reuse.assign(
        article_a=direction["source_article"].fillna(direction["article_a"]).to_numpy(),
        article_b=direction["copy_article"].fillna(direction["article_b"]).to_numpy(),
        directed=direction["directed"].to_numpy(), lag=direction["lag_days"].to_numpy(),
        credited=direction["evidence"].isin(_CREDIT_EVIDENCE).to_numpy(bool)),
        articles)
    if not self_loops:
        table = table[table["outlet_a"] != table["outlet_b"]]
    undirected = ~table["directed"].astype(bool)
    first = table["outlet_a"].where(~undirected | (table["outlet_a"] <= table["outlet_b"]),
                                    table["outlet_b"])
    second = table["outlet_b"].where(~undirected | (table["outlet_a"] <= table["outlet_b"]),
                                     table["outlet_a"])
    table = table.assign(source_outlet=first, target_outlet=second,
                         directed=~undirected, credited=table["credited"].astype(float),
                         whole_copy=table["whole_copy"].astype(float))
    if table.empty:
        return REUSE_EDGES.empty()
    edges = (table.groupby(["source_outlet", "target_outlet", "directed"], sort=True)
             .agg(pairs=("article_a", "size"), median_lag=("lag", "median"),
                  share_credited=("credited", "mean"), share_whole=("whole_copy", "mean"),
                  shared_chars=("shared_chars", "sum"))
             .reset_index())
    edges = edges.sort_values(["directed", "pairs", "source_outlet", "target_outlet"],
                              ascending=[False, False, True, True], kind="stable")
    return validate(edges, REUSE_EDGES, where="reuse_edges")


def reuse_graph(edges: pd.DataFrame) -> nx.DiGraph:
    """Build a directed outlet graph from :func:`reuse_edges` (directed rows become edges).

    Edge attributes: ``weight`` (= ``pairs``), ``median_lag``, ``share_credited``,
    ``share_whole``, ``shared_chars``, ``undirected_pairs`` (pairs between the same outlets
    without a date order, counted on both directions of an existing edge; undirected rows never
    create edges). Every outlet of the table is a node.

    Args:
        edges: a :data:`REUSE_EDGES` table.

    Returns:
        The directed graph.

    Example:
        >>> edges = pd.DataFrame({"source_outlet": ["o1"], "target_outlet": ["o2"],
        ...     "directed": [True], "pairs": [3], "median_lag": [1.0], "share_credited": [0.5],
        ...     "share_whole": [1.0], "shared_chars": [90]})
        >>> reuse_graph(edges)["o1"]["o2"]["weight"]
        3
    """
    graph = nx.DiGraph()
    for row in edges.itertuples(index=False):
        graph.add_node(row.source_outlet)
        graph.add_node(row.target_outlet)
        if bool(row.directed):
            graph.add_edge(row.source_outlet, row.target_outlet, weight=int(row.pairs),
                           median_lag=_float(row.median_lag),
                           share_credited=_float(row.share_credited),
                           share_whole=_float(row.share_whole),
                           shared_chars=int(row.shared_chars), undirected_pairs=0)
    for row in edges.itertuples(index=False):
        if not bool(row.directed):
            for u, v in ((row.source_outlet, row.target_outlet),
                         (row.target_outlet, row.source_outlet)):
                if graph.has_edge(u, v):
                    graph[u][v]["undirected_pairs"] += int(row.pairs)
    return graph


def _float(value: object) -> float:
    """A float, NaN for missing values."""
    return float("nan") if pd.isna(value) else float(value)  # type: ignore[arg-type]


def coordination(reuse: pd.DataFrame, articles: pd.DataFrame, *,
                 window_days: float = 1.0) -> pd.DataFrame:
    """Find outlet pairs that published the same content within ``window_days`` of each other.

    Only pairs of articles from two different known outlets with both dates known count.

    Args:
        reuse: a ``reuse`` table.
        articles: the ``articles`` table (``article_id``, ``outlet_id``).
        window_days: the largest gap, in days, that counts as co-publication (>= 0).

    Returns:
        A :data:`COORDINATION` table, one row per unordered outlet pair with at least one
        co-published pair, sorted by ``co_published`` (descending) then outlets.

    Raises:
        ValueError: when ``window_days`` is negative.

    Example:
        >>> reuse = pd.DataFrame({"article_a": ["a", "a"], "article_b": ["b", "c"],
        ...     "directed": [True, True], "lag": [0.2, 9.0]})
        >>> articles = pd.DataFrame({"article_id": ["a", "b", "c"],
        ...     "outlet_id": ["o1", "o2", "o2"]})
        >>> found = coordination(reuse, articles, window_days=1)
        >>> found[["outlet_a", "co_published", "dated_pairs"]].values.tolist()
        [['o1', 1, 2]]
    """
    if window_days < 0:
        raise ValueError(f"window_days must be >= 0, got {window_days}")
    table = _with_outlets(reuse, articles)
    table = table[(table["outlet_a"] != table["outlet_b"]) & table["lag"].notna()]
    if table.empty:
        return COORDINATION.empty()
    low = np.minimum(table["outlet_a"].astype(str), table["outlet_b"].astype(str))
    high = np.maximum(table["outlet_a"].astype(str), table["outlet_b"].astype(str))
    gap = table["lag"].astype(float).abs()
    table = table.assign(outlet_1=low, outlet_2=high, gap=gap,
                         within=(gap <= window_days).astype(int),
                         gap_within=gap.where(gap <= window_days))
    grouped = (table.groupby(["outlet_1", "outlet_2"], sort=True)
               .agg(co_published=("within", "sum"), dated_pairs=("within", "size"),
                    median_gap_days=("gap_within", "median"))
               .reset_index()
               .rename(columns={"outlet_1": "outlet_a", "outlet_2": "outlet_b"}))
    grouped = grouped[grouped["co_published"] > 0]
    grouped = grouped.assign(window_days=float(window_days),
                             share_co_published=grouped["co_published"] / grouped["dated_pairs"])
    grouped = grouped.sort_values(["co_published", "outlet_a", "outlet_b"],
                                  ascending=[False, True, True], kind="stable")
    return validate(grouped, COORDINATION, where="coordination")
