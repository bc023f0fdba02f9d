"""Volumes and attention over time, by outlet, camp or all, with undated articles counted apart."""

from __future__ import annotations


import numpy as np
import pandas as pd

from mediaprov.dating import FREQUENCIES, date_status, period_start
from mediaprov.schema import require_columns
from mediaprov.text import arrow_strings, string_codes
from mediaprov.timelines.inputs import load_outlets

GROUPINGS: tuple[str, ...] = ("outlet", "camp", "all")
"""What ``by`` may be: each outlet, each camp of ``outlets.csv``, or all outlets together."""

UNKNOWN_OUTLET = "(unknown outlet)"
NO_CAMP = "(no camp)"
ALL_OUTLETS = "(all outlets)"


def assign_groups(articles: pd.DataFrame, *, by: str = "outlet",
                  outlets: pd.DataFrame | None = None) -> pd.Series:
    """Return the group of each article: its outlet, its outlet's camp, or one group for all.

    Args:
        articles: needs ``outlet_id`` (missing ids become ``(unknown outlet)``).
        by: ``outlet``, ``camp`` or ``all``.
        outlets: the registry with ``outlet_id`` and ``camp``; read from ``outlets.csv`` when
            ``by == "camp"`` and none is given. Outlets without a camp are ``(no camp)``.

    Returns:
        A string Series aligned with ``articles``.

    Example:
        >>> assign_groups(pd.DataFrame({"outlet_id": ["vna", None]}), by="camp").tolist()
        ['government-aligned', '(no camp)']
    """
    if by not in GROUPINGS:
        raise ValueError(f"by={by!r} is not one of {list(GROUPINGS)}")
    if by == "all":
        return pd.Series(ALL_OUTLETS, index=articles.index, dtype="string")
    require_columns(articles, ("outlet_id",), "articles")
    outlet = articles["outlet_id"].astype("string").fillna(UNKNOWN_OUTLET)
    if by == "outlet":
        return outlet
    registry = outlets if outlets is not None else load_outlets()
    require_columns(registry, ("outlet_id", "camp"), "outlets")
    camps = dict(zip(registry["outlet_id"].astype(str), registry["camp"].astype("string"), strict=True))
    camp = outlet.map(lambda o: camps.get(o, pd.NA)).astype("string")
    return camp.fillna(NO_CAMP)


def undated_articles(articles: pd.DataFrame, *, by: str = "outlet",
                     outlets: pd.DataFrame | None = None,
                     min_confidence: float = 0.5) -> pd.DataFrame:
    """Count, per group, the articles that time series leave out because their date is not trusted.

    Args:
        articles: needs ``outlet_id`` and ``published`` (``date_confidence`` when present).
        by: ``outlet``, ``camp`` or ``all`` (see :func:`assign_groups`).
        outlets: the outlet registry, for ``by="camp"``.
        min_confidence: dates with a lower confidence count as ``low_confidence``.

    Returns:
        One row per group, sorted by group: ``group``, ``total``, ``dated``, ``missing_date``,
        ``low_confidence``, ``undated`` (= missing + low confidence), ``share_undated``.

    Example:
        >>> t = pd.DataFrame({"outlet_id": ["x", "x"],
        ...     "published": pd.to_datetime(["2024-01-01", None], utc=True)})
        >>> undated_articles(t).loc[0, ["total", "undated"]].tolist()
        [2, 1]
    """
    status = date_status(articles, min_confidence=min_confidence)
    frame = pd.DataFrame({"group": assign_groups(articles, by=by, outlets=outlets),
                          "status": status})
    counts = pd.crosstab(frame["group"], frame["status"])
    for column in ("dated", "missing", "low-confidence"):
        if column not in counts.columns:
            counts[column] = 0
    table = pd.DataFrame({
        "group": counts.index.astype("string"),
        "total": counts.sum(axis=1).to_numpy(),
        "dated": counts["dated"].to_numpy(),
        "missing_date": counts["missing"].to_numpy(),
        "low_confidence": counts["low-confidence"].to_numpy(),
    })
    table["undated"] = table["missing_date"] + table["low_confidence"]
    table["share_undated"] = table["undated"] / table["total"]
    table = table.astype({c: "int64" for c in ("total", "dated", "missing_date",
                                                "low_confidence", "undated")})
    return table.sort_values("group", kind="stable").reset_index(drop=True)


def _dated_frame(articles: pd.DataFrame, *, freq: str, by: str, outlets: pd.DataFrame | None,
                 min_confidence: float) -> pd.DataFrame:
    """Return ``article_id``, ``group``, ``period`` for the articles with a trusted date."""
    require_columns(articles, ("article_id", "published"), "articles")
    keep = (date_status(articles, min_confidence=min_confidence) == "dated").to_numpy()
    frame = pd.DataFrame({
        "article_id": articles["article_id"].astype("string"),
        "group": assign_groups(articles, by=by, outlets=outlets),
        "period": period_start(articles["published"], freq=freq),
    })
    return frame.loc[keep].reset_index(drop=True)


def _full_grid(groups: list[str], first: pd.Timestamp, last: pd.Timestamp,
               freq: str) -> pd.DataFrame:
    """Every (group, period) pair from ``first`` to ``last``."""
    periods = pd.date_range(first, last, freq=FREQUENCIES[freq]).astype("datetime64[ns, UTC]")
    index = pd.MultiIndex.from_product([groups, periods], names=["group", "period"])
    return index.to_frame(index=False)


def volumes(articles: pd.DataFrame, *, freq: str = "week", by: str = "outlet",
            outlets: pd.DataFrame | None = None, min_confidence: float = 0.5,
            fill: bool = True) -> pd.DataFrame:
    """Count dated articles per group and period, with each period's share of the group's output.

    The share is the period's part of everything the group published with a trusted date, so it
    sums to 1 per group and lets outlets of very different sizes be drawn on one axis. Undated
    articles are not here: count them with :func:`undated_articles`.

    Args:
        articles: needs ``article_id``, ``outlet_id``, ``published``.
        freq: ``day``, ``week`` or ``month``.
        by: ``outlet``, ``camp`` or ``all``.
        outlets: the outlet registry, for ``by="camp"``.
        min_confidence: dates with a lower ``date_confidence`` are left out.
        fill: add zero rows so every group has every period between the first and last dated
            article (needed by :func:`detect_bursts`).

    Returns:
        ``group``, ``period`` (UTC), ``articles`` (int), ``share`` (float), sorted by group then
        period.

    Example:
        >>> t = pd.DataFrame({"article_id": ["a", "b"], "outlet_id": ["x", "x"],
        ...     "published": pd.to_datetime(["2024-01-01", "2024-01-15"], utc=True)})
        >>> volumes(t).articles.tolist()
        [1, 0, 1]
    """
    frame = _dated_frame(articles, freq=freq, by=by, outlets=outlets,
                         min_confidence=min_confidence)
    columns = {"group": "string", "period": "datetime64[ns, UTC]", "articles": "int64",
               "share": "float64"}
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    counts = frame.groupby(["group", "period"]).size().rename("articles").reset_index()
    if fill:
        grid = _full_grid(sorted(counts["group"].unique()), frame["period"].min(),
                          frame["period"].max(), freq)
        counts = grid.merge(counts, on=["group", "period"], how="left").fillna({"articles": 0})
    totals = counts.groupby("group")["articles"].transform("sum")
    counts["share"] = counts["articles"] / totals
    counts = counts.astype(columns)
    return counts.sort_values(["group", "period"], kind="stable").reset_index(drop=True)


MAX_TIMELINE_ROWS = 20_000_000
"""Default ``max_rows`` of :func:`mention_timeline` (about 2 GB of table)."""


def mention_timeline(articles: pd.DataFrame, mentions: pd.DataFrame, *, key: str = "entity_id",
                     terms: list[str] | None = None, freq: str = "week", by: str = "outlet",
                     outlets: pd.DataFrame | None = None, min_confidence: float = 0.5,
                     fill: bool = False, max_rows: int = MAX_TIMELINE_ROWS) -> pd.DataFrame:
    """Count how often each group mentions each entity (or label) per period.

    Args:
        articles: needs ``article_id``, ``outlet_id``, ``published``.
        mentions: the MENTIONS table (``article_id`` and the ``key`` column).
        key: the mentions column that names what is counted: ``entity_id`` (default), ``surface``
            for a framing label as written, or ``kind``.
        terms: only these values of ``key`` (default: all).
        freq: ``day``, ``week`` or ``month`` (as in :func:`volumes`).
        by: ``outlet``, ``camp`` or ``all`` (as in :func:`volumes`).
        outlets: the outlet registry, for ``by="camp"``.
        min_confidence: articles whose ``date_confidence`` is lower are left out.
        fill: list every period between the first and last dated article for every group (zero
            counts, ``attention`` missing where the group published nothing), as
            :func:`detect_bursts` needs; by default only periods in which the group published.
        max_rows: the most rows the table may have (every group and period times every value
            of ``key``); more raises instead of filling memory.

    Returns:
        ``group``, ``period``, ``<key>``, ``mentions`` (spans), ``articles_mentioning``,
        ``articles`` (all the group's dated articles in the period) and ``attention``
        (= articles_mentioning / articles: Media Cloud's normalised attention). Mentions in
        undated articles are left out (count them with :func:`undated_articles`).

    Raises:
        ValueError: the table would have more than ``max_rows`` rows (say how many, and that
            ``terms`` or a coarser ``freq`` or ``by`` makes it smaller).

    Example:
        >>> a = pd.DataFrame({"article_id": ["a", "b"], "outlet_id": ["x", "x"],
        ...     "published": pd.to_datetime(["2024-01-01", "2024-01-02"], utc=True)})
        >>> m = pd.DataFrame({"article_id": ["a", "a"], "entity_id": ["p1", "p1"]})
        >>> row = mention_timeline(a, m).iloc[0]
        >>> int(row.mentions), int(row.articles), float(row.attention)
        (2, 2, 0.5)
    """
    require_columns(mentions, ("article_id", key), "mentions")
    frame = _dated_frame(articles, freq=freq, by=by, outlets=outlets,
                         min_confidence=min_confidence)
    base = frame.groupby(["group", "period"]).size().rename("articles").reset_index()
    if fill and not frame.empty:
        grid = _full_grid(sorted(base["group"].unique()), frame["period"].min(),
                          frame["period"].max(), freq)
        base = grid.merge(base, on=["group", "period"], how="left").fillna({"articles": 0})
    chosen = mentions.loc[mentions["article_id"].notna() & mentions[key].notna(),
                          ["article_id", key]]
    if terms is not None:
        chosen = chosen.loc[chosen[key].astype("string").isin(terms)]
    counted, values = _mention_counts(chosen, frame, key)
    if terms is not None:
        values = list(terms)
    if len(base) * len(values) > max_rows:
        raise ValueError(
            f"mention_timeline would list {len(base):,} group-periods x {len(values):,} values of "
            f"{key!r} = {len(base) * len(values):,} rows (max_rows={max_rows:,}): pass terms=[...] "
            "(the values to follow), or a coarser freq or by, or fill=False")
    grid = base.merge(pd.DataFrame({key: pd.Series(values, dtype="string")}), how="cross")
    table = grid.merge(counted, on=["group", "period", key], how="left")
    table = table.fillna({"mentions": 0, "articles_mentioning": 0})
    table = table.astype({"mentions": "int64", "articles_mentioning": "int64",
                          "articles": "int64", "group": "string", key: "string"})
    table["attention"] = table["articles_mentioning"] / table["articles"]
    table = table.loc[:, ["group", "period", key, "mentions", "articles_mentioning", "articles",
                          "attention"]]
    return table.sort_values(["group", key, "period"], kind="stable").reset_index(drop=True)




def _mention_counts(chosen: pd.DataFrame, frame: pd.DataFrame,
                    key: str) -> tuple[pd.DataFrame, list[str]]:
    """Mentions and mentioning articles per ``(group, period, key)``, and every value of ``key``.

    Counted on integer codes (each mention's position in ``frame`` of dated articles, each value's
    code), not on a join of the mentions' strings: a million articles have 30 million mentions.
    """
    import pyarrow.compute as pc

    value_code, found = string_codes(chosen[key])
    order = np.argsort(found, kind="stable")  # codes in sorted order of values
    values = found[order]
    value_code = np.argsort(order)[value_code]
    n_values = max(len(values), 1)
    at = pc.index_in(arrow_strings(chosen["article_id"]),
                     value_set=arrow_strings(frame["article_id"]))
    at = at.fill_null(-1).to_numpy(zero_copy_only=False)
    dated = at >= 0
    pairs, spans = np.unique(at[dated].astype(np.int64) * n_values + value_code[dated],
                             return_counts=True)  # one per mentioning article and value
    article, value = np.divmod(pairs, n_values)
    # (group, period, value) of each mentioning article and value, as one integer per cell
    group_code, groups = pd.factorize(frame["group"])
    period_code, periods = pd.factorize(frame["period"])
    cell = ((group_code[article].astype(np.int64) * max(len(periods), 1) + period_code[article])
            * n_values + value)
    cells, where, articles_mentioning = np.unique(cell, return_inverse=True, return_counts=True)
    mentions = np.bincount(where, weights=spans, minlength=len(cells)).astype(np.int64)
    group_period, value = np.divmod(cells, n_values)
    group, period = np.divmod(group_period, max(len(periods), 1))
    counted = pd.DataFrame({
        "group": pd.array(np.asarray(groups, dtype=object)[group], dtype="string"),
        "period": periods.take(period), key: pd.array(values[value], dtype="string"),
        "mentions": mentions, "articles_mentioning": articles_mentioning.astype(np.int64),
    })
    return counted, [str(v) for v in values]
