"""Who published what and when, and who led: volumes, attention, events, first movers and bursts.

Every function takes and returns pandas DataFrames. Dates are never imputed: an article whose
``published`` is missing, or whose ``date_confidence`` is below ``min_confidence``, is left out of
every time series and counted apart by :func:`undated_articles`, so a figure can say how many
articles it does not show.

Tables returned here (one row per ...):

* :func:`volumes`: group x period: ``group``, ``period`` (UTC start of the day, week or month),
  ``articles``, ``share`` (the period's part of the group's dated output: sums to 1 per group).
* :func:`undated_articles`: group: ``total``, ``dated``, ``missing_date``, ``low_confidence``,
  ``undated``, ``share_undated``.
* :func:`mention_timeline`: group x period x term: ``mentions``, ``articles_mentioning``,
  ``articles`` and ``attention`` (Media Cloud's normalised attention: articles mentioning the term
  over all the group's dated articles in that period).
* :func:`detect_bursts`: one row per burst, with the method, its parameters and the library
  version in the table itself.
* :func:`story_timing`, :func:`first_movers`, :func:`follow_pairs`: story x outlet, story, and
  ordered outlet pair. A first mover is named from dates, or, where dates cannot order a story,
  from provenance evidence (credit lines, outlet kinds, common sources of copied text:
  :func:`mediaprov.stories.precedence`), with ``order_evidence`` saying which; where nothing
  decides, ``order_evidence == "uncertain"``, never a guess.
* :func:`chain_first_movers`, :func:`first_mover_scores`: first movers against planted
  republication chains (demo ground truth).

Example:
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet_id": ["x", "x", "y"],
    ...     "published": pd.to_datetime(["2024-01-01", "2024-01-09", None], utc=True)})
    >>> volumes(articles, freq="week").articles.tolist()
    [1, 1]
    >>> undated_articles(articles).undated.tolist()
    [0, 1]
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from mediaprov import paths
from mediaprov.evaluate import article_keys
from mediaprov.ingest.outlets import read_registry
from mediaprov.io import read_table, stage_writer, write_table
from mediaprov.schema import ARTICLES, MENTIONS, REUSE, STORIES

FREQUENCIES: dict[str, str] = {"day": "D", "week": "W-MON", "month": "MS"}
"""Period names accepted by ``freq`` -> pandas offset aliases (weeks start on Monday)."""

GROUPINGS: tuple[str, ...] = ("outlet", "camp", "all")
"""What ``by`` may be: each outlet, each camp of ``outlets.csv``, or all outlets together."""

UNKNOWN_OUTLET = "(unknown outlet)"
NO_CAMP = "(no camp)"
ALL_OUTLETS = "(all outlets)"
EVENT_COLUMNS: tuple[str, ...] = ("date", "label", "citation", "event_id")


# --------------------------------------------------------------------------------------------
# Reference tables
# --------------------------------------------------------------------------------------------

def load_outlets(path: Path | None = None) -> pd.DataFrame:
    """Read the outlet registry (``outlets.csv``) with every column as text.

    Args:
        path: the CSV; default ``<reference>/outlets.csv``.

    Returns:
        The registry; empty cells (such as a camp the researcher has not filled) are missing.

    Raises:
        ValueError: the file has no ``outlet_id`` column.

    Example:
        >>> "camp" in load_outlets().columns
        True
    """
    path = Path(path) if path is not None else paths.reference_dir() / "outlets.csv"
    table = read_registry(path).astype("string").replace("", pd.NA)
    if "outlet_id" not in table.columns:
        raise ValueError(f"{path}: no 'outlet_id' column; the outlet registry needs one")
    return table


def load_events(path: Path | None = None) -> pd.DataFrame:
    """Read the events overlay (``events.csv``: date, label, citation, event_id).

    Args:
        path: the CSV; default ``<reference>/events.csv``. A missing file gives an empty table.

    Returns:
        Columns ``date`` (UTC), ``label``, ``citation``, ``event_id``, sorted by date then label.

    Raises:
        ValueError: a column is missing, or a date cannot be read (the message gives the line).

    Example:
        >>> list(load_events(Path("/nonexistent.csv")).columns)
        ['date', 'label', 'citation', 'event_id']
    """
    path = Path(path) if path is not None else paths.reference_dir() / "events.csv"
    if not path.exists():
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns, UTC]"),
                             **{c: pd.Series(dtype="string") for c in EVENT_COLUMNS[1:]}})
    table = pd.read_csv(path, dtype="string", keep_default_na=False)
    missing = [c for c in ("date", "label") if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing columns {missing}; expected {list(EVENT_COLUMNS)}")
    for column in ("citation", "event_id"):
        if column not in table.columns:
            table[column] = ""
    dates = pd.to_datetime(table["date"], utc=True, errors="coerce", format="mixed")
    if dates.isna().any():
        line = int(dates.index[dates.isna()][0]) + 2  # +1 header, +1 one-based
        raise ValueError(f"{path}, line {line}: cannot read date {table['date'].iloc[line - 2]!r}; "
                         "write it as YYYY-MM-DD")
    table = table.assign(date=dates.astype("datetime64[ns, UTC]"))
    table = table.loc[:, list(EVENT_COLUMNS)].astype({c: "string" for c in EVENT_COLUMNS[1:]})
    return table.sort_values(["date", "label"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Dates, periods and groups
# --------------------------------------------------------------------------------------------

def _require(table: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    """Raise a ValueError naming the table and the columns it lacks."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"table '{name}' lacks columns {missing}; it has {list(table.columns)}")


def _check_freq(freq: str) -> None:
    if freq not in FREQUENCIES:
        raise ValueError(f"freq={freq!r} is not one of {list(FREQUENCIES)}")


def period_start(published: pd.Series, *, freq: str = "week") -> pd.Series:
    """Return the UTC start of the day, week (Monday) or month that holds each timestamp.

    Args:
        published: timezone-aware (or naive, read as UTC) timestamps; missing stays missing.
        freq: ``day``, ``week`` or ``month``.

    Returns:
        A ``datetime64[ns, UTC]`` Series aligned with ``published``.

    Example:
        >>> period_start(pd.Series(pd.to_datetime(["2024-01-10 15:00"], utc=True))).iloc[0]
        Timestamp('2024-01-08 00:00:00+0000', tz='UTC')
    """
    _check_freq(freq)
    naive = pd.to_datetime(published, utc=True).dt.tz_convert(None).astype("datetime64[ns]")
    if freq == "day":
        start = naive.dt.floor("D")
    elif freq == "week":
        start = naive.dt.floor("D") - pd.to_timedelta(naive.dt.day_of_week, unit="D")
    else:
        start = naive.dt.to_period("M").dt.to_timestamp()
    return start.dt.tz_localize("UTC").astype("datetime64[ns, UTC]")


def _next_period(start: pd.Timestamp, freq: str) -> pd.Timestamp:
    """Return the start of the period after the one starting at ``start``."""
    if freq == "day":
        return start + pd.Timedelta(days=1)
    if freq == "week":
        return start + pd.Timedelta(days=7)
    return start + pd.offsets.MonthBegin(1)


def date_status(articles: pd.DataFrame, *, min_confidence: float = 0.5) -> pd.Series:
    """Classify each article's date as ``dated``, ``missing`` or ``low-confidence``.

    Args:
        articles: needs ``published``; ``date_confidence`` is used when present.
        min_confidence: dates with a lower confidence are not trusted.

    Returns:
        A string Series aligned with ``articles``.

    Example:
        >>> date_status(pd.DataFrame({"published": pd.to_datetime(["2024-01-01", None], utc=True),
        ...     "date_confidence": [0.2, None]})).tolist()
        ['low-confidence', 'missing']
    """
    _require(articles, ("published",), "articles")
    missing = pd.to_datetime(articles["published"], utc=True).isna().to_numpy()
    if "date_confidence" in articles.columns:
        confidence = pd.to_numeric(articles["date_confidence"], errors="coerce")
        low = (confidence < min_confidence).fillna(False).to_numpy(dtype=bool)
    else:
        low = np.zeros(len(articles), dtype=bool)
    status = np.where(missing, "missing", np.where(low, "low-confidence", "dated"))
    return pd.Series(status, index=articles.index, dtype="string")


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
    _require(articles, ("outlet_id",), "articles")
    outlet = articles["outlet_id"].astype("string").fillna(UNKNOWN_OUTLET)
    if by == "outlet":
        return outlet
    registry = outlets if outlets is not None else load_outlets()
    _require(registry, ("outlet_id", "camp"), "outlets")
    camps = dict(zip(registry["outlet_id"].astype(str), registry["camp"].astype("string")))
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
    _require(articles, ("article_id", "published"), "articles")
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


def mention_timeline(articles: pd.DataFrame, mentions: pd.DataFrame, *, key: str = "entity_id",
                     terms: list[str] | None = None, freq: str = "week", by: str = "outlet",
                     outlets: pd.DataFrame | None = None, min_confidence: float = 0.5,
                     fill: bool = False) -> pd.DataFrame:
    """Count how often each group mentions each entity (or label) per period.

    Args:
        articles: needs ``article_id``, ``outlet_id``, ``published``.
        mentions: the MENTIONS table (``article_id`` and the ``key`` column).
        key: the mentions column that names what is counted: ``entity_id`` (default), ``surface``
            for a framing label as written, or ``kind``.
        terms: only these values of ``key`` (default: all).
        freq, by, outlets, min_confidence: as in :func:`volumes`.
        fill: list every period between the first and last dated article for every group (zero
            counts, ``attention`` missing where the group published nothing), as
            :func:`detect_bursts` needs; by default only periods in which the group published.

    Returns:
        ``group``, ``period``, ``<key>``, ``mentions`` (spans), ``articles_mentioning``,
        ``articles`` (all the group's dated articles in the period) and ``attention``
        (= articles_mentioning / articles: Media Cloud's normalised attention). Mentions in
        undated articles are left out (count them with :func:`undated_articles`).

    Example:
        >>> a = pd.DataFrame({"article_id": ["a", "b"], "outlet_id": ["x", "x"],
        ...     "published": pd.to_datetime(["2024-01-01", "2024-01-02"], utc=True)})
        >>> m = pd.DataFrame({"article_id": ["a", "a"], "entity_id": ["p1", "p1"]})
        >>> row = mention_timeline(a, m).iloc[0]
        >>> int(row.mentions), int(row.articles), float(row.attention)
        (2, 2, 0.5)
    """
    _require(mentions, ("article_id", key), "mentions")
    frame = _dated_frame(articles, freq=freq, by=by, outlets=outlets,
                         min_confidence=min_confidence)
    base = frame.groupby(["group", "period"]).size().rename("articles").reset_index()
    if fill and not frame.empty:
        grid = _full_grid(sorted(base["group"].unique()), frame["period"].min(),
                          frame["period"].max(), freq)
        base = grid.merge(base, on=["group", "period"], how="left").fillna({"articles": 0})
    chosen = mentions.loc[:, ["article_id", key]].astype("string").dropna()
    if terms is not None:
        chosen = chosen.loc[chosen[key].isin(terms)]
    joined = chosen.merge(frame, on="article_id", how="inner")
    counted = joined.groupby(["group", "period", key]).agg(
        mentions=("article_id", "size"), articles_mentioning=("article_id", "nunique"),
    ).reset_index()
    values = sorted(chosen[key].unique()) if terms is None else list(terms)
    grid = base.merge(pd.DataFrame({key: pd.Series(values, dtype="string")}), how="cross")
    table = grid.merge(counted, on=["group", "period", key], how="left")
    table = table.fillna({"mentions": 0, "articles_mentioning": 0})
    table = table.astype({"mentions": "int64", "articles_mentioning": "int64",
                          "articles": "int64", "group": "string", key: "string"})
    table["attention"] = table["articles_mentioning"] / table["articles"]
    table = table.loc[:, ["group", "period", key, "mentions", "articles_mentioning", "articles",
                          "attention"]]
    return table.sort_values(["group", key, "period"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Bursts
# --------------------------------------------------------------------------------------------

def detect_bursts(series: pd.DataFrame, *, value: str = "articles", freq: str = "week",
                  penalty: float = 1.5, min_rise: float = 2.0, min_size: int = 1,
                  model: str = "l2") -> pd.DataFrame:
    """Find bursts of coverage: change points with ``ruptures`` PELT, then segments well above
    the usual level.

    Method, per group: the counts are variance-stabilised with the Anscombe transform
    ``y = 2 * sqrt(x + 3/8)`` (Poisson counts get variance close to 1); ``sigma2`` is a robust
    noise variance of ``y`` (first the smaller of the MAD estimates around the median and of
    first differences, then re-estimated from the residuals inside the segments found, which
    frequent bursts do not inflate; never below 1, the Poisson value); PELT with the cost
    ``model`` and penalty ``penalty * sigma2 * log(n)`` splits the series into segments; a segment
    whose mean of ``y`` exceeds the series' median by at least ``min_rise * sqrt(sigma2)`` is
    high, and runs of adjacent high segments form one burst. For ``model="l2"`` the search runs
    as ``ruptures.KernelCPD(kernel="linear")``, ruptures' compiled PELT whose linear-kernel cost
    is the l2 cost (same change points as ``ruptures.Pelt(model="l2")``, a thousand times faster
    on daily series); other models use ``ruptures.Pelt``.

    Args:
        series: one row per group and period, every period present (:func:`volumes`, or
            :func:`mention_timeline` with ``fill=True`` for one term): ``group``, ``period``,
            ``value``.
        value: the column of counts.
        freq: the period of ``series`` (``day``, ``week``, ``month``), used for burst ends.
        penalty: the penalty factor (higher: fewer change points; 2 would be the BIC penalty
            for a change in mean). With the default 1.5 a one-period spike is found when it
            stands about ``sqrt(3 * log(n))`` noise deviations (Anscombe scale) above the usual
            level: 3.9 for three years of weeks. On 120 simulated burst-free Poisson series of
            156 weeks it reported one false burst; 2.0 missed most weekly per-camp bursts of the
            demo corpus, 1.0 reported false bursts in 12% of burst-free series.
        min_rise: how far above the usual level a segment must be, in noise standard deviations.
        min_size: the shortest segment, in periods.
        model: the ruptures cost model (``l2``, ``l1``, ``rbf``...); ``penalty`` is calibrated
            for ``l2``, other costs need their own.

    Returns:
        One row per burst, sorted by group then start: ``group``, ``start`` (UTC start of the
        first period), ``end`` (start of the period after the last: exclusive), ``peak``
        (period with the most), ``total``, ``peak_value``, ``baseline`` (median per period),
        ``rise`` (in noise standard deviations), ``sigma2`` (the group's noise variance),
        ``method``, ``parameters`` (JSON) and ``library``.

    Raises:
        ValueError: a column is missing or ``freq`` is unknown.

    Example:
        >>> counts = [2, 3, 2, 2, 3, 2, 30, 2, 3, 2, 2, 3, 2, 2]
        >>> s = pd.DataFrame({"group": "x", "articles": counts,
        ...     "period": pd.date_range("2024-01-01", periods=14, freq="W-MON", tz="UTC")})
        >>> detect_bursts(s).peak.dt.strftime("%Y-%m-%d").tolist()
        ['2024-02-12']
    """
    import ruptures  # imported here: only burst detection needs it

    _check_freq(freq)
    _require(series, ("group", "period", value), "series")
    parameters = {"transform": "anscombe", "model": model, "penalty": penalty,
                  "penalty_formula": "penalty * sigma2 * log(n)",
                  "sigma2": "first max(1, min(MAD(y)^2, MAD(diff(y))^2 / 2)), then up to 3 "
                            "times max(1, MAD^2 of residuals around the medians of segments of "
                            "3+ periods); MAD scaled by 1/0.6745",
                  "min_rise": min_rise, "min_size": min_size, "jump": 1, "freq": freq,
                  "value": value}
    if model == "l2":
        search = f"ruptures.KernelCPD(kernel='linear', min_size={min_size}, jump=1)"
    else:
        search = f"ruptures.Pelt(model={model!r}, min_size={min_size}, jump=1)"
    method = f"{search}: PELT on anscombe({value})"
    rows: list[dict[str, object]] = []
    ordered = series.sort_values(["group", "period"], kind="stable")
    for group, part in ordered.groupby("group", sort=True):
        counts = part[value].to_numpy(dtype=float)
        periods = pd.to_datetime(part["period"], utc=True).reset_index(drop=True)
        n = len(counts)
        if n < 2 * min_size + 1:
            continue
        y = 2.0 * np.sqrt(counts + 3.0 / 8.0)
        algo = (ruptures.KernelCPD(kernel="linear", min_size=min_size, jump=1) if model == "l2"
                else ruptures.Pelt(model=model, min_size=min_size, jump=1))
        algo.fit(y.reshape(-1, 1))
        sigma2 = _noise_variance(y)
        breaks = algo.predict(pen=penalty * sigma2 * math.log(n))
        for _ in range(3):  # re-estimate the noise inside segments, away from the bursts
            refined = _within_segment_variance(y, breaks, fallback=sigma2)
            if math.isclose(refined, sigma2):
                break
            sigma2 = refined
            breaks = algo.predict(pen=penalty * sigma2 * math.log(n))
        level = float(np.median(y))
        segments = list(zip([0, *breaks[:-1]], breaks))
        high = [(a, b) for a, b in segments
                if y[a:b].mean() - level >= min_rise * math.sqrt(sigma2)]
        for start, stop in _merge_adjacent(high):
            window = counts[start:stop]
            peak = start + int(np.argmax(window))
            rows.append({
                "group": group, "start": periods[start],
                "end": _next_period(periods[stop - 1], freq), "peak": periods[peak],
                "total": float(window.sum()), "peak_value": float(counts[peak]),
                "baseline": float(np.median(counts)),
                "rise": float((y[start:stop].mean() - level) / math.sqrt(sigma2)),
                "sigma2": sigma2,
            })
    table = pd.DataFrame(rows, columns=["group", "start", "end", "peak", "total", "peak_value",
                                        "baseline", "rise", "sigma2"])
    table = table.astype({"group": "string", "start": "datetime64[ns, UTC]",
                          "end": "datetime64[ns, UTC]", "peak": "datetime64[ns, UTC]",
                          "total": "float64", "peak_value": "float64", "baseline": "float64",
                          "rise": "float64", "sigma2": "float64"})
    table["method"] = pd.Series([method] * len(table), dtype="string")
    table["parameters"] = pd.Series([json.dumps(parameters, sort_keys=True)] * len(table),
                                    dtype="string")
    table["library"] = pd.Series([f"ruptures {ruptures.__version__}"] * len(table),
                                 dtype="string")
    return table.sort_values(["group", "start"], kind="stable").reset_index(drop=True)


def _noise_variance(y: np.ndarray) -> float:
    """A robust noise variance of an Anscombe-transformed count series, never below 1.

    Two MAD estimates, each spoilt by something else: around the median (inflated by slow level
    changes) and of first differences (inflated by frequent short bursts); the smaller is used.
    """
    diffs = np.diff(y)
    around_median = (float(np.median(np.abs(y - np.median(y)))) / 0.6745) ** 2
    of_differences = (float(np.median(np.abs(diffs - np.median(diffs)))) / 0.6745) ** 2 / 2.0
    return max(min(around_median, of_differences), 1.0)


def _within_segment_variance(y: np.ndarray, breaks: list[int], *, fallback: float) -> float:
    """The noise variance from residuals around segment medians (segments of 3+ periods), >= 1."""
    residuals = [y[a:b] - np.median(y[a:b]) for a, b in zip([0, *breaks[:-1]], breaks)
                 if b - a >= 3]
    if not residuals:
        return fallback
    pooled = np.concatenate(residuals)
    return max((float(np.median(np.abs(pooled))) / 0.6745) ** 2, 1.0)


def _merge_adjacent(segments: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge touching ``[start, stop)`` index ranges."""
    merged: list[tuple[int, int]] = []
    for start, stop in segments:
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], stop)
        else:
            merged.append((start, stop))
    return merged


def match_events(bursts: pd.DataFrame, events: pd.DataFrame, *,
                 tolerance: pd.Timedelta = pd.Timedelta(days=7)) -> pd.DataFrame:
    """Say, for each event, whether a detected burst covers it.

    An event matches a burst when the event's date lies in ``[start - tolerance,
    end + tolerance)`` (so with the default a weekly burst that starts within a week after the
    event, or covers it, matches). The nearest burst start wins.

    Args:
        bursts: from :func:`detect_bursts` (``group``, ``start``, ``end``, ``peak``).
        events: from :func:`load_events` (``date``, ``label``, ``event_id``).
        tolerance: how far from the burst window an event may fall.

    Returns:
        One row per event, in event order: ``event_id``, ``date``, ``label``, ``matched``,
        ``group``, ``burst_start``, ``burst_peak``, ``offset_days`` (burst start minus event date).
        The recall of planted events is ``matched.mean()``.

    Example:
        >>> b = pd.DataFrame({"group": ["x"], "start": pd.to_datetime(["2024-01-08"], utc=True),
        ...     "end": pd.to_datetime(["2024-01-15"], utc=True),
        ...     "peak": pd.to_datetime(["2024-01-08"], utc=True)})
        >>> e = pd.DataFrame({"date": pd.to_datetime(["2024-01-09", "2024-06-01"], utc=True),
        ...     "label": ["a", "b"], "event_id": ["e1", "e2"]})
        >>> match_events(b, e).matched.tolist()
        [True, False]
    """
    _require(events, ("date", "label"), "events")
    _require(bursts, ("group", "start", "end", "peak"), "bursts")
    rows: list[dict[str, object]] = []
    starts = pd.to_datetime(bursts["start"], utc=True)
    ends = pd.to_datetime(bursts["end"], utc=True)
    for _, event in events.reset_index(drop=True).iterrows():
        date = pd.Timestamp(event["date"])
        date = date.tz_localize("UTC") if date.tzinfo is None else date
        inside = (starts - tolerance <= date) & (date < ends + tolerance)
        row: dict[str, object] = {
            "event_id": event.get("event_id", pd.NA), "date": date, "label": event["label"],
            "matched": bool(inside.any()), "group": pd.NA, "burst_start": pd.NaT,
            "burst_peak": pd.NaT, "offset_days": np.nan,
        }
        if inside.any():
            candidates = bursts.loc[inside.to_numpy()].assign(
                distance=(starts[inside] - date).abs().to_numpy())
            best = candidates.sort_values(["distance", "group", "start"], kind="stable").iloc[0]
            row.update(group=best["group"], burst_start=best["start"], burst_peak=best["peak"],
                       offset_days=(pd.Timestamp(best["start"]) - date) / pd.Timedelta(days=1))
        rows.append(row)
    table = pd.DataFrame(rows, columns=["event_id", "date", "label", "matched", "group",
                                        "burst_start", "burst_peak", "offset_days"])
    for column in ("date", "burst_start", "burst_peak"):
        table[column] = pd.to_datetime(table[column], utc=True).astype("datetime64[ns, UTC]")
    return table.astype({"event_id": "string", "label": "string", "matched": "bool",
                         "group": "string", "offset_days": "float64"})


# --------------------------------------------------------------------------------------------
# First movers and lags
# --------------------------------------------------------------------------------------------

def story_timing(articles: pd.DataFrame, stories: pd.DataFrame, *, min_confidence: float = 0.5,
                 tie_window: pd.Timedelta = pd.Timedelta(0),
                 resolution: str | None = "day") -> pd.DataFrame:
    """When each outlet first published each story, and its lag behind the story's first article.

    An outlet's first time in a story is known only when all its articles in the story have a
    trusted date; the lag is known only when every article of the story has one (an undated
    article could have come first). Outlets within ``tie_window`` of the first time tie.
    Times are compared at ``resolution``: by default calendar days (UTC), because many inputs give
    a date without a time of day, and midnight of a bare date must not beat 16:30 the same day.

    Args:
        articles: needs ``article_id``, ``outlet_id``, ``published`` (``date_confidence`` used
            when present).
        stories: the STORIES table (``article_id``, ``story_id``). Story members without a row in
            ``articles`` (merged duplicates) are counted in ``not_in_articles``, not timed.
        min_confidence: dates with a lower confidence are not trusted.
        tie_window: how close two first times must be to count as a tie.
        resolution: a pandas frequency the times are floored to before comparing (``"day"``,
            ``"h"``...), or ``None`` to compare exact times.

    Returns:
        One row per story and outlet, sorted by story, then first time, then outlet:
        ``story_id``, ``outlet_id``, ``articles``, ``undated`` (the outlet's untrusted dates in the
        story), ``first_published`` (earliest trusted date, or missing), ``known`` (all the
        outlet's dates trusted), ``lag_days`` (missing when the story's start is uncertain),
        ``is_first`` (True / False, missing when uncertain), ``not_in_articles`` (per story),
        ``article_ids`` (the outlet's articles in the story, ``|``-separated, sorted: what
        :func:`first_movers` orders with provenance evidence).

    Example:
        >>> a = pd.DataFrame({"article_id": ["a", "b"], "outlet_id": ["x", "y"],
        ...     "published": pd.to_datetime(["2024-01-01", "2024-01-03"], utc=True)})
        >>> s = pd.DataFrame({"article_id": ["a", "b"], "story_id": ["s", "s"]})
        >>> story_timing(a, s).lag_days.tolist()
        [0.0, 2.0]
    """
    _require(articles, ("article_id", "outlet_id", "published"), "articles")
    _require(stories, ("article_id", "story_id"), "stories")
    frame = pd.DataFrame({
        "article_id": articles["article_id"].astype("string"),
        "outlet_id": articles["outlet_id"].astype("string").fillna(UNKNOWN_OUTLET),
        "published": _floor(pd.to_datetime(articles["published"], utc=True), resolution),
        "trusted": (date_status(articles, min_confidence=min_confidence) == "dated").to_numpy(),
    })
    members = stories.loc[:, ["article_id", "story_id"]].astype("string")
    joined = members.merge(frame, on="article_id", how="left", indicator=True)
    absent = (joined.assign(absent=joined["_merge"] == "left_only")
              .groupby("story_id")["absent"].sum().astype("int64"))
    joined = joined.loc[joined["_merge"] == "both"].drop(columns="_merge")
    joined["trusted_time"] = joined["published"].where(joined["trusted"])
    per_outlet = joined.groupby(["story_id", "outlet_id"]).agg(
        articles=("article_id", "size"),
        undated=("trusted", lambda s: int((~s.astype(bool)).sum())),
        first_published=("trusted_time", "min"),
        article_ids=("article_id", lambda s: "|".join(sorted(s.astype(str)))),
    ).reset_index()
    per_outlet["known"] = per_outlet["undated"] == 0
    story_known = per_outlet.groupby("story_id")["known"].transform("all")
    story_first = per_outlet.groupby("story_id")["first_published"].transform("min")
    lag = (per_outlet["first_published"] - story_first) / pd.Timedelta(days=1)
    per_outlet["lag_days"] = lag.where(story_known)
    tied = (per_outlet["first_published"] - story_first) <= tie_window
    n_first = tied.groupby(per_outlet["story_id"]).transform("sum")
    certain = story_known & (n_first == 1)
    is_first = pd.Series(pd.NA, index=per_outlet.index, dtype="boolean")
    is_first[certain] = tied[certain]
    # An outlet that is certainly later than someone known is certainly not first.
    later_than_known = per_outlet["known"] & (~tied) & per_outlet["first_published"].notna()
    is_first[~certain & later_than_known] = False
    per_outlet["is_first"] = is_first
    per_outlet["not_in_articles"] = per_outlet["story_id"].map(absent).fillna(0).astype("int64")
    per_outlet = per_outlet.astype({"story_id": "string", "outlet_id": "string",
                                    "articles": "int64", "undated": "int64", "known": "bool",
                                    "article_ids": "string",
                                    "first_published": "datetime64[ns, UTC]",
                                    "lag_days": "float64"})
    return per_outlet.sort_values(["story_id", "first_published", "outlet_id"],
                                  kind="stable", na_position="last").reset_index(drop=True)


def _floor(times: pd.Series, resolution: str | None) -> pd.Series:
    """Floor timestamps to ``resolution`` (``"day"`` means calendar days), or leave them."""
    if resolution is None:
        return times
    return times.dt.floor("D" if resolution == "day" else resolution)


FIRST_MOVER_COLUMNS: dict[str, str] = {
    "story_id": "string", "outlets": "int64", "articles": "int64", "first_outlet": "string",
    "first_published": "datetime64[ns, UTC]", "order": "string", "order_evidence": "string",
    "candidates": "string", "reason": "string",
}
UNCERTAIN = "uncertain"
"""``order_evidence`` of a story whose first publisher no evidence names."""


def first_movers(timing: pd.DataFrame, *, precedence: pd.DataFrame | None = None) -> pd.DataFrame:
    """Name the first publisher of each story, with the evidence that decided, or say why not.

    Without ``precedence`` only dates decide, as :func:`story_timing` states them: the story's
    first outlet is named when every article of the story has a trusted date and one outlet's
    first date is alone at the start. With ``precedence`` (from
    :func:`mediaprov.stories.precedence`) the order of articles is what the evidence decides,
    pair by pair: dates, then credit lines, outlet kinds and common sources of copied text on the
    pairs that text reuse links (:data:`mediaprov.stories.ORDER_EVIDENCE`), chained
    transitively. An outlet is named first when, for every article of every other outlet, one of
    its own articles comes before it. Evidence is added one kind at a time, strongest first, so
    ``order_evidence`` is the weakest kind of evidence the conclusion needs; when adding a kind
    makes the evidence contradict itself (a cycle), nothing weaker is used.

    Args:
        timing: from :func:`story_timing` (with ``precedence``, its ``article_ids`` column).
        precedence: ordered article pairs with their ``evidence``; None for dates alone.

    Returns:
        One row per story, sorted by story: ``story_id``, ``outlets``, ``articles``,
        ``first_outlet`` (missing unless decided), ``first_published`` (the story's earliest
        trusted date: when evidence other than dates names the first outlet, its own article may
        be undated and earlier),
        ``order`` (``decided``; ``uncertain`` for ties, untrusted dates and conflicting evidence;
        ``undated`` when no date is trusted and nothing else decides; ``unknown-outlet`` when the
        first article's publisher is unknown), ``order_evidence`` (``date``, ``credit``,
        ``source-kind``, ``containment``, or ``uncertain`` when no outlet is named),
        ``candidates`` (outlets that may have been first, ``|``-separated) and ``reason``.
        Articles without an outlet are pooled as ``(unknown outlet)``.

    Raises:
        ValueError: a needed column is missing.

    Example:
        >>> t = pd.DataFrame({"story_id": ["s", "s"], "outlet_id": ["x", "y"],
        ...     "articles": [1, 1], "undated": [0, 1], "known": [True, False],
        ...     "first_published": pd.to_datetime(["2024-01-01", None], utc=True),
        ...     "is_first": pd.array([pd.NA, pd.NA], dtype="boolean"),
        ...     "article_ids": ["a", "b"]})
        >>> first_movers(t).loc[0, ["order", "candidates"]].tolist()
        ['uncertain', 'x|y']
        >>> p = pd.DataFrame({"story_id": ["s"], "before": ["a"], "after": ["b"],
        ...     "evidence": ["credit"]})
        >>> first_movers(t, precedence=p).loc[0, ["first_outlet", "order_evidence"]].tolist()
        ['x', 'credit']
    """
    _require(timing, ("story_id", "outlet_id", "articles", "undated", "known",
                      "first_published", "is_first"), "timing")
    if precedence is not None:
        _require(timing, ("article_ids",), "timing")
        _require(precedence, ("story_id", "before", "after", "evidence"), "precedence")
        edges = {story: part for story, part in precedence.groupby("story_id", sort=False)}
    rows: list[dict[str, object]] = []
    for story_id, part in timing.groupby("story_id", sort=True):
        first_time = part["first_published"].min()
        row: dict[str, object] = {
            "story_id": story_id, "outlets": len(part), "articles": int(part["articles"].sum()),
            "first_outlet": pd.NA, "first_published": first_time, "order": UNCERTAIN,
            "order_evidence": UNCERTAIN, "candidates": "", "reason": "",
        }
        if precedence is None:
            row.update(_first_by_dates(part))
        else:
            row.update(_first_by_evidence(part, edges.get(story_id)))
        if row["order"] == UNCERTAIN and row["order_evidence"] == UNCERTAIN:
            row["reason"] = _why_uncertain(part, str(row["reason"]))
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(FIRST_MOVER_COLUMNS))
    return table.astype(FIRST_MOVER_COLUMNS)


def _first_by_dates(part: pd.DataFrame) -> dict[str, object]:
    """The first outlet of one story from :func:`story_timing`'s ``is_first`` alone."""
    possible = part.loc[(part["is_first"] != False).fillna(True)]  # noqa: E712
    result: dict[str, object] = {"candidates": "|".join(sorted(possible["outlet_id"].astype(str)))}
    certain_first = part.loc[part["is_first"].fillna(False).astype(bool)]
    if len(certain_first) == 1 and certain_first["outlet_id"].iloc[0] == UNKNOWN_OUTLET:
        result.update(order="unknown-outlet", reason="the earliest article's outlet is unknown")
    elif len(certain_first) == 1:
        result.update(first_outlet=certain_first["outlet_id"].iloc[0], order="decided",
                      order_evidence="date")
    elif pd.isna(part["first_published"].min()):
        result.update(order="undated", reason="no article of the story has a trusted date")
    return result


def _first_by_evidence(part: pd.DataFrame, edges: pd.DataFrame | None) -> dict[str, object]:
    """The first outlet of one story from ordered article pairs, weakest evidence needed."""
    if len(part) == 1:  # one outlet alone: first by definition, dated or not
        return _first_by_dates(part)
    from mediaprov.stories import ORDER_EVIDENCE

    outlet_of = {article: str(outlet) for outlet, ids in zip(part["outlet_id"],
                                                               part["article_ids"])
                 for article in str(ids).split("|") if article}
    articles = sorted(outlet_of)
    usable = (pd.DataFrame(columns=["before", "after", "evidence"]) if edges is None
              else edges.loc[edges["before"].isin(outlet_of) & edges["after"].isin(outlet_of)])
    result: dict[str, object] = {}
    reach: dict[str, set[str]] = {a: set() for a in articles}
    for level, evidence in enumerate(ORDER_EVIDENCE):
        chosen = usable.loc[usable["evidence"].isin(ORDER_EVIDENCE[:level + 1])]
        closure = _reachable(articles, zip(chosen["before"], chosen["after"]))
        if any(a in closure[a] for a in articles):
            result["reason"] = (f"conflicting evidence once {evidence} is used: the order would "
                                "go round in a circle")
            break
        reach = closure
        first = _covering_outlet(outlet_of, reach)
        if first is not None:
            if first == UNKNOWN_OUTLET:
                return {"order": "unknown-outlet", "candidates": UNKNOWN_OUTLET,
                        "reason": "the first article's outlet is unknown"}
            return {"first_outlet": first, "order": "decided", "order_evidence": evidence,
                    "candidates": first}
    preceded = {b for a in articles for b in reach[a] if outlet_of[b] != outlet_of[a]}
    candidates = sorted({outlet_of[a] for a in articles if a not in preceded})
    result["candidates"] = "|".join(candidates)
    if "reason" not in result:
        result["reason"] = ("no credit, outlet kind or common source puts one of "
                            + ", ".join(candidates) + " before the others")
        if pd.isna(part["first_published"].min()):
            result.update(order="undated", reason="no article of the story has a trusted date; "
                                                  + result["reason"])
    return result


def _reachable(articles: list[str], pairs: object) -> dict[str, set[str]]:
    """Every article -> the articles after it, following ordered pairs transitively."""
    after: dict[str, set[str]] = {a: set() for a in articles}
    for before, later in pairs:  # type: ignore[attr-defined]
        after[str(before)].add(str(later))
    closure: dict[str, set[str]] = {}
    for start in articles:
        seen: set[str] = set()
        stack = list(after[start])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(after[node])
        closure[start] = seen
    return closure


def _covering_outlet(outlet_of: dict[str, str], reach: dict[str, set[str]]) -> str | None:
    """The one outlet whose articles, together, come before every other outlet's article."""
    outlets = sorted(set(outlet_of.values()))
    found = []
    for outlet in outlets:
        mine = [a for a, o in outlet_of.items() if o == outlet]
        covered = set().union(*(reach[a] for a in mine))
        if all(a in covered for a, o in outlet_of.items() if o != outlet):
            found.append(outlet)
    return found[0] if len(found) == 1 else None


def _why_uncertain(part: pd.DataFrame, reason: str) -> str:
    """Say why the dates leave a story's first publisher open (then ``reason``, if given)."""
    reasons = []
    unknown = sorted(part.loc[~part["known"].astype(bool), "outlet_id"].astype(str))
    if unknown:
        reasons.append("missing or low-confidence date from " + ", ".join(unknown))
    first_time = part["first_published"].min()
    tied = sorted(part.loc[part["first_published"] == first_time, "outlet_id"].astype(str))
    if len(tied) > 1:
        reasons.append("tie between " + ", ".join(tied))
    if not reasons:
        reasons.append("earliest articles within the tie window")
    return "; ".join(reasons + ([reason] if reason else []))


def follow_pairs(timing: pd.DataFrame, *,
                 tie_window: pd.Timedelta = pd.Timedelta(0)) -> pd.DataFrame:
    """How often and how fast each outlet follows each other outlet in shared stories.

    For two outlets in one story the order is known when all their articles in the story have
    trusted dates (:func:`story_timing`'s ``known``); first times within ``tie_window`` tie.
    Every ordered pair is listed both ways, so no outlet is privileged by the table's layout.

    Args:
        timing: from :func:`story_timing`.
        tie_window: how close two first times must be to count as a tie.

    Returns:
        One row per ordered pair (``leader``, ``follower``) sharing at least one story, sorted:
        ``stories`` (shared), ``follows`` (stories where ``follower`` published after
        ``leader``), ``ties``, ``uncertain``, ``share_follows`` (= follows / stories),
        ``median_lag_days`` and ``mean_lag_days`` over the ``follows`` stories.

    Example:
        >>> t = pd.DataFrame({"story_id": ["s", "s"], "outlet_id": ["x", "y"],
        ...     "known": [True, True],
        ...     "first_published": pd.to_datetime(["2024-01-01", "2024-01-02"], utc=True)})
        >>> row = follow_pairs(t).iloc[0]
        >>> row.leader, row.follower, int(row.follows), float(row.median_lag_days)
        ('x', 'y', 1, 1.0)
    """
    _require(timing, ("story_id", "outlet_id", "known", "first_published"), "timing")
    left = timing.loc[:, ["story_id", "outlet_id", "known", "first_published"]]
    pairs = left.merge(left, on="story_id", suffixes=("_l", "_f"))
    pairs = pairs.loc[pairs["outlet_id_l"] != pairs["outlet_id_f"]].copy()
    both_known = pairs["known_l"].astype(bool) & pairs["known_f"].astype(bool)
    gap = pairs["first_published_f"] - pairs["first_published_l"]
    pairs["follows"] = both_known & (gap > tie_window)
    pairs["ties"] = both_known & (gap.abs() <= tie_window)
    pairs["uncertain"] = ~both_known
    pairs["lag"] = (gap / pd.Timedelta(days=1)).where(pairs["follows"])
    grouped = pairs.groupby(["outlet_id_l", "outlet_id_f"], sort=True)
    table = grouped.agg(stories=("story_id", "nunique"), follows=("follows", "sum"),
                        ties=("ties", "sum"), uncertain=("uncertain", "sum"),
                        median_lag_days=("lag", "median"),
                        mean_lag_days=("lag", "mean")).reset_index()
    table = table.rename(columns={"outlet_id_l": "leader", "outlet_id_f": "follower"})
    table["share_follows"] = table["follows"] / table["stories"]
    table = table.loc[:, ["leader", "follower", "stories", "follows", "ties", "uncertain",
                          "share_follows", "median_lag_days", "mean_lag_days"]]
    return table.astype({"leader": "string", "follower": "string", "stories": "int64",
                         "follows": "int64", "ties": "int64", "uncertain": "int64",
                         "share_follows": "float64", "median_lag_days": "float64",
                         "mean_lag_days": "float64"}).reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Ground truth: planted republication chains
# --------------------------------------------------------------------------------------------

FIRST_MOVER_TARGET = 0.95
"""The issue's target: the first mover is right for at least this share of planted chains that
get one (chains whose first mover stays uncertain are counted apart, as coverage)."""


def chain_first_movers(movers: pd.DataFrame, stories: pd.DataFrame, articles: pd.DataFrame,
                       truth_documents: pd.DataFrame,
                       truth_reuse: pd.DataFrame) -> pd.DataFrame:
    """Compare named first movers with the planted republication chains of a synthetic corpus.

    A chain is one planted source article and its copies (``truth/reuse.csv`` of the demo
    corpus). It is judged in the story that holds its source article.

    Args:
        movers: from :func:`first_movers`.
        stories: the STORIES table the movers were computed on.
        articles: the ARTICLES table (``article_id``, ``raw_path``, ``record``).
        truth_documents: ``truth/documents.jsonl`` (``raw_path``, ``record``, ``article_key``),
            e.g. from :func:`mediaprov.evaluate.load_truth`.
        truth_reuse: ``truth/reuse.csv`` (``source_key``, ``copy_key``, ``source_outlet``).

    Returns:
        One row per chain, sorted by ``source_key``: ``source_key``, ``source_outlet``,
        ``copies``, ``source_article`` and ``story_id`` (missing when ingestion lost the source),
        ``story_articles``, ``first_outlet``, ``order``, ``order_evidence`` and ``correct``
        (missing when no first mover is named).

    Example:
        >>> m = pd.DataFrame({"story_id": ["s"], "first_outlet": ["vna"], "order": ["decided"],
        ...     "order_evidence": ["credit"]})
        >>> s = pd.DataFrame({"article_id": ["i1", "i2"], "story_id": ["s", "s"]})
        >>> a = pd.DataFrame({"article_id": ["i1", "i2"], "raw_path": ["x", "y"], "record": [0, 0]})
        >>> d = pd.DataFrame({"raw_path": ["x", "y"], "record": [0, 0],
        ...     "article_key": ["k1", "k2"]})
        >>> r = pd.DataFrame({"source_key": ["k1"], "copy_key": ["k2"], "source_outlet": ["vna"]})
        >>> chain_first_movers(m, s, a, d, r).correct.tolist()
        [True]
    """
    _require(truth_reuse, ("source_key", "copy_key", "source_outlet"), "truth_reuse")
    _require(truth_documents, ("raw_path", "record", "article_key"), "truth_documents")
    _require(articles, ("article_id", "raw_path", "record"), "articles")
    keys = article_keys(articles, truth_documents)
    article_of = dict(zip(keys.astype(str), keys.index.astype(str)))
    story_of = dict(zip(stories["article_id"].astype(str), stories["story_id"].astype(str)))
    size_of = stories.groupby("story_id").size()
    chains = truth_reuse.astype({"source_key": str}).groupby("source_key", sort=True).agg(
        source_outlet=("source_outlet", "first"), copies=("copy_key", "size")).reset_index()
    chains["source_article"] = chains["source_key"].map(article_of)
    chains["story_id"] = chains["source_article"].map(story_of)
    chains["story_articles"] = chains["story_id"].map(size_of).astype("Int64")
    named = movers.loc[:, ["story_id", "first_outlet", "order", "order_evidence"]]
    chains = chains.merge(named.astype({"story_id": str}), on="story_id", how="left")
    chains["order_evidence"] = chains["order_evidence"].fillna(UNCERTAIN)
    correct = chains["first_outlet"].astype("string") == chains["source_outlet"].astype("string")
    chains["correct"] = correct.where(chains["first_outlet"].notna()).astype("boolean")
    chains = chains.astype({"source_key": "string", "source_outlet": "string",
                            "copies": "int64", "source_article": "string",
                            "story_id": "string", "first_outlet": "string", "order": "string",
                            "order_evidence": "string"})
    return chains.sort_values("source_key", kind="stable").reset_index(drop=True)


def first_mover_scores(chains: pd.DataFrame) -> pd.DataFrame:
    """Summarise :func:`chain_first_movers`: coverage, accuracy, and accuracy per evidence.

    Args:
        chains: from :func:`chain_first_movers`.

    Returns:
        ``measure``, ``value`` (= hits / n), ``hits``, ``n``, ``target``: the share of chains with
        a named first mover (coverage: no target, reported as it is), the share correct among
        named ones (target :data:`FIRST_MOVER_TARGET`), then coverage and accuracy per kind of
        evidence.

    Example:
        >>> c = pd.DataFrame({"order_evidence": ["date", "credit", "uncertain"],
        ...     "correct": pd.array([True, True, pd.NA], dtype="boolean")})
        >>> first_mover_scores(c).set_index("measure").value.round(3).tolist()[:2]
        [0.667, 1.0]
    """
    _require(chains, ("order_evidence", "correct"), "chains")
    named = chains.loc[chains["correct"].notna()]
    rows = [
        {"measure": "chains with a named first mover", "hits": len(named), "n": len(chains),
         "target": np.nan},
        {"measure": "first mover correct, among named", "hits": int(named["correct"].sum()),
         "n": len(named), "target": FIRST_MOVER_TARGET},
    ]
    from mediaprov.stories import ORDER_EVIDENCE

    for evidence in ORDER_EVIDENCE:
        part = named.loc[named["order_evidence"] == evidence]
        rows.append({"measure": f"named by {evidence}", "hits": len(part), "n": len(chains),
                     "target": np.nan})
        rows.append({"measure": f"correct when named by {evidence}",
                     "hits": int(part["correct"].sum()), "n": len(part), "target": np.nan})
    table = pd.DataFrame(rows)
    table["value"] = (table["hits"] / table["n"].where(table["n"] > 0)).astype("float64")
    return table.loc[:, ["measure", "value", "hits", "n", "target"]].astype(
        {"measure": "string", "hits": "int64", "n": "int64", "target": "float64"})


# --------------------------------------------------------------------------------------------
# Command line entry point
# --------------------------------------------------------------------------------------------

@stage_writer("timelines", subfolder="timelines")
def run_timelines(dir: Path, *, freq: str = "week", min_confidence: float = 0.5,
                  outlets_path: Path | None = None, events_path: Path | None = None,
                  penalty: float = 1.5, min_rise: float = 2.0,
                  tie_window: pd.Timedelta = pd.Timedelta(0),
                  resolution: str | None = "day") -> dict[str, Path]:
    """Write the tables behind the timeline figures to ``dir/timelines/``.

    Reads ``dir/articles.parquet`` (required), and ``dir/mentions.parquet`` and
    ``dir/stories.parquet`` when present (run ``mediaprov stories DIR`` first for the first-mover
    tables). With ``dir/reuse.parquet`` (and ``reuse_common_sources.parquet`` when present)
    first movers are named from provenance evidence where dates cannot order a story
    (:func:`mediaprov.stories.precedence`).

    Args:
        dir: a processed corpus folder.
        freq: ``day``, ``week`` or ``month``.
        min_confidence: dates with a lower confidence are counted apart, never plotted.
        outlets_path: the outlet registry (default ``<reference>/outlets.csv``).
        events_path: the events overlay (default ``<reference>/events.csv``).
        penalty, min_rise: burst detection parameters (see :func:`detect_bursts`).
        tie_window: first times closer than this tie.
        resolution: the time resolution at which publication order is judged (see
            :func:`story_timing`).

    Returns:
        Table name -> path written: ``volumes_outlet``, ``volumes_camp``, ``volumes_all``,
        ``undated_outlet``, ``undated_camp``, ``bursts``, ``events``, ``event_matches``, and when
        their inputs exist ``mentions_outlet``, ``mentions_camp``, ``story_timing``,
        ``precedence``, ``first_movers``, ``follow_pairs``.

    Raises:
        FileNotFoundError: ``dir/articles.parquet`` is missing (run ``mediaprov ingest``).

    Example:
        >>> run_timelines(Path("data/processed/demo"))  # doctest: +SKIP
        {'volumes_outlet': PosixPath('data/processed/demo/timelines/volumes_outlet.parquet'), ...}
    """
    dir = Path(dir)
    out = dir / "timelines"
    articles = read_table(dir / "articles.parquet", ARTICLES)
    outlets = load_outlets(outlets_path)
    events = load_events(events_path)
    tables: dict[str, pd.DataFrame] = {}
    for by in ("outlet", "camp", "all"):
        tables[f"volumes_{by}"] = volumes(articles, freq=freq, by=by, outlets=outlets,
                                          min_confidence=min_confidence)
    for by in ("outlet", "camp"):
        tables[f"undated_{by}"] = undated_articles(articles, by=by, outlets=outlets,
                                                   min_confidence=min_confidence)
    bursts = pd.concat([detect_bursts(tables[f"volumes_{by}"], freq=freq, penalty=penalty,
                                      min_rise=min_rise).assign(series=f"volumes_{by}")
                        for by in ("all", "camp", "outlet")], ignore_index=True)
    tables["bursts"] = bursts
    tables["events"] = events
    tables["event_matches"] = match_events(
        bursts.loc[bursts["series"] == "volumes_all"], events)
    if (dir / "mentions.parquet").exists():
        mentions = read_table(dir / "mentions.parquet", MENTIONS)
        for by in ("outlet", "camp"):
            tables[f"mentions_{by}"] = mention_timeline(articles, mentions, freq=freq, by=by,
                                                        outlets=outlets,
                                                        min_confidence=min_confidence)
    if (dir / "stories.parquet").exists():
        stories = read_table(dir / "stories.parquet", STORIES)
        timing = story_timing(articles, stories, min_confidence=min_confidence,
                              tie_window=tie_window, resolution=resolution)
        tables["story_timing"] = timing
        order = None
        if (dir / "reuse.parquet").exists():
            from mediaprov.reuse.sources import COMMON_SOURCES
            from mediaprov.stories import precedence

            reuse = read_table(dir / "reuse.parquet", REUSE)
            common_path = dir / "reuse_common_sources.parquet"
            common = read_table(common_path, COMMON_SOURCES) if common_path.exists() else None
            order = precedence(articles, stories, reuse=reuse, common=common, outlets=outlets,
                               min_confidence=min_confidence, tie_window=tie_window,
                               resolution=resolution)
            tables["precedence"] = order
        tables["first_movers"] = first_movers(timing, precedence=order)
        tables["follow_pairs"] = follow_pairs(timing, tie_window=tie_window)
    return {name: write_table(table, out / f"{name}.parquet")
            for name, table in sorted(tables.items())}
