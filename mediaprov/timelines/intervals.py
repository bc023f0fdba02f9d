"""Intervals for counts, rates and medians: what every timeline and lag figure draws around a value.

Each function names its method, so the figure that uses it can say which one in its note:

* :func:`poisson_interval`: exact (Garwood) interval of a count, e.g. articles per week, read
  as a Poisson count; no randomness.
* :func:`wilson_interval`: Wilson score interval of a proportion, e.g. attention (articles
  mentioning an actor out of a camp's dated articles in a month) or a period's share of a group's
  output; no randomness.
* :func:`median_interval`: the median of a sample with its ``n``, its interquartile range and a
  percentile-bootstrap interval of the median (fixed ``seed``: the same input gives the same
  interval).
* :func:`timeline_intervals`: the right one of the first two for a column of
  :func:`~mediaprov.timelines.volumes` or :func:`~mediaprov.timelines.mention_timeline`.
* :func:`follow_lags`: per outlet, the lags when it followed (story timing) with n, IQR and the
  bootstrap interval of the median.

Example:
    >>> low, high = poisson_interval([0, 4])
    >>> [round(float(x), 2) for x in (*low, *high)]
    [0.0, 1.09, 3.69, 10.24]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from mediaprov.schema import require_columns

LEVEL = 0.95
"""Default coverage of every interval."""
N_BOOT = 2000
"""Default bootstrap resamples for :func:`median_interval`."""

POISSON_METHOD = "exact Poisson (Garwood) interval of each count"
WILSON_METHOD = "Wilson score interval of each proportion"
BOOTSTRAP_METHOD = "percentile bootstrap of the median ({n_boot} resamples, seed {seed})"


def poisson_interval(counts: Sequence[float] | np.ndarray | pd.Series, *,
                     level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval of Poisson counts.

    Args:
        counts: non-negative counts (missing values give missing bounds).
        level: coverage, e.g. 0.95.

    Returns:
        ``(low, high)`` float arrays; the low bound of a zero count is 0.

    Example:
        >>> low, high = poisson_interval([10])
        >>> round(float(low[0]), 2), round(float(high[0]), 2)
        (4.8, 18.39)
    """
    k = np.asarray(counts, dtype=float)
    alpha = 1.0 - level
    with np.errstate(invalid="ignore"):
        low = np.where(k > 0, stats.chi2.ppf(alpha / 2, 2 * k) / 2, 0.0)
        high = stats.chi2.ppf(1 - alpha / 2, 2 * (k + 1)) / 2
    low = np.where(np.isnan(k), np.nan, low)
    return low, np.where(np.isnan(k), np.nan, high)


def wilson_interval(successes: Sequence[float] | np.ndarray | pd.Series,
                    trials: Sequence[float] | np.ndarray | pd.Series, *,
                    level: float = LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of proportions ``successes / trials``.

    Args:
        successes: counts of the event (e.g. articles mentioning an actor).
        trials: counts of chances (e.g. dated articles); 0 gives missing bounds.
        level: coverage.

    Returns:
        ``(low, high)`` float arrays within [0, 1].

    Example:
        >>> low, high = wilson_interval([3], [10])
        >>> round(float(low[0]), 3), round(float(high[0]), 3)
        (0.108, 0.603)
    """
    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    z = stats.norm.ppf(1 - (1 - level) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        low, high = np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)
    empty = ~(n > 0)
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def median_interval(values: Sequence[float] | np.ndarray | pd.Series, *, level: float = LEVEL,
                    n_boot: int = N_BOOT, seed: int = 0) -> dict[str, float]:
    """The median of a sample with its n, interquartile range and bootstrap interval.

    The interval is the percentile bootstrap: ``n_boot`` resamples of the values with
    replacement, drawn with ``numpy.random.default_rng(seed)``, so reruns give the same bounds.
    With fewer than two values there is no spread to resample: the bounds are missing.

    Args:
        values: the sample (missing values are dropped).
        level: coverage of the interval.
        n_boot: bootstrap resamples.
        seed: random seed.

    Returns:
        ``n``, ``median``, ``q1``, ``q3`` (quartiles, linear interpolation), ``ci_low``,
        ``ci_high``.

    Raises:
        ValueError: ``n_boot < 1``.

    Example:
        >>> summary = median_interval([1, 2, 3, 4, 10], seed=0)
        >>> summary["n"], summary["median"], summary["q1"], summary["q3"]
        (5, 3.0, 2.0, 4.0)
        >>> summary["ci_low"] <= 3.0 <= summary["ci_high"]
        True
    """
    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, got {n_boot}")
    sample = pd.Series(values, dtype=float).dropna().to_numpy()
    n = len(sample)
    if n == 0:
        return {"n": 0, "median": np.nan, "q1": np.nan, "q3": np.nan, "ci_low": np.nan,
                "ci_high": np.nan}
    q1, median, q3 = np.quantile(sample, [0.25, 0.5, 0.75])
    low = high = np.nan
    if n >= 2:
        rng = np.random.default_rng(seed)
        medians = np.median(sample[rng.integers(0, n, size=(n_boot, n))], axis=1)
        low, high = np.quantile(medians, [(1 - level) / 2, 1 - (1 - level) / 2])
    return {"n": int(n), "median": float(median), "q1": float(q1), "q3": float(q3),
            "ci_low": float(low), "ci_high": float(high)}


def timeline_intervals(table: pd.DataFrame, *, value: str, group: str = "group",
                       level: float = LEVEL) -> tuple[pd.DataFrame, str]:
    """Bounds around the ``value`` column of a volumes or mention-timeline table, and the method.

    * ``articles`` (a count per period): :func:`poisson_interval`;
    * ``share`` (a period's part of the group's dated output): :func:`wilson_interval` of
      ``articles`` out of the group's total;
    * ``attention`` (articles mentioning out of dated articles): :func:`wilson_interval` of
      ``articles_mentioning`` out of ``articles``.

    Args:
        table: from :func:`~mediaprov.timelines.volumes` or
            :func:`~mediaprov.timelines.mention_timeline`.
        value: the column drawn.
        group: the group column.
        level: coverage.

    Returns:
        ``(bounds, method)``: a DataFrame aligned with ``table`` (``low``, ``high``, ``n``: the
        count or the denominator each point rests on) and the method in words; ``(None-filled
        frame, "")`` for a column without a known interval.

    Example:
        >>> t = pd.DataFrame({"group": ["x", "x"], "articles": [3, 1],
        ...     "share": [0.75, 0.25]})
        >>> bounds, method = timeline_intervals(t, value="share")
        >>> bounds.n.tolist(), method
        ([4, 4], 'Wilson score interval of each proportion')
    """
    bounds = pd.DataFrame({"low": np.nan, "high": np.nan, "n": np.nan}, index=table.index)
    if value == "articles":
        require_columns(table, ("articles",), "timeline")
        low, high = poisson_interval(table["articles"], level=level)
        bounds["low"], bounds["high"], bounds["n"] = low, high, table["articles"].to_numpy()
        return bounds.astype({"n": "int64"}), POISSON_METHOD
    if value == "share":
        require_columns(table, (group, "articles"), "timeline")
        totals = table.groupby(group)["articles"].transform("sum")
        low, high = wilson_interval(table["articles"], totals, level=level)
        bounds["low"], bounds["high"], bounds["n"] = low, high, totals.to_numpy()
        return bounds.astype({"n": "int64"}), WILSON_METHOD
    if value == "attention":
        require_columns(table, ("articles_mentioning", "articles"), "timeline")
        low, high = wilson_interval(table["articles_mentioning"], table["articles"], level=level)
        bounds["low"], bounds["high"], bounds["n"] = low, high, table["articles"].to_numpy()
        return bounds.astype({"n": "int64"}), WILSON_METHOD
    return bounds, ""


def follow_lags(timing: pd.DataFrame, *, level: float = LEVEL, n_boot: int = N_BOOT,
                seed: int = 0) -> pd.DataFrame:
    """Per outlet, its lags behind the first article of the shared stories it followed.

    Only stories carried by two outlets or more whose every article has a trusted date count
    (:func:`~mediaprov.timelines.story_timing`'s ``lag_days`` is known there); a lag of 0 is
    first (or tied first), not a follow.

    Args:
        timing: from :func:`~mediaprov.timelines.story_timing`.
        level: coverage of each outlet's interval of the median lag.
        n_boot: bootstrap resamples per outlet (as in :func:`median_interval`).
        seed: random seed of :func:`median_interval`; one resampling per outlet, all with this
            same seed.

    Returns:
        One row per outlet with a timed shared story, sorted by outlet: ``outlet_id``,
        ``stories`` (timed shared stories), ``first`` (stories it was certainly first in),
        ``followed`` (= n of the lags), ``median_lag_days``, ``q1_lag_days``, ``q3_lag_days``,
        ``ci_low``, ``ci_high`` (interval of the median; missing below two lags).

    Example:
        >>> t = pd.DataFrame({"story_id": ["s", "s", "t", "t"], "outlet_id": ["x", "y", "x", "y"],
        ...     "lag_days": [0.0, 2.0, 0.0, 4.0],
        ...     "is_first": pd.array([True, False, True, False], dtype="boolean")})
        >>> follow_lags(t)[["outlet_id", "first", "followed", "median_lag_days"]].values.tolist()
        [['x', 2, 0, nan], ['y', 0, 2, 3.0]]
    """
    require_columns(timing, ("story_id", "outlet_id", "lag_days", "is_first"), "timing")
    outlets = timing.groupby("story_id")["outlet_id"].transform("nunique")
    known = timing.loc[(outlets > 1) & timing["lag_days"].notna()]
    rows = []
    for outlet, part in known.groupby("outlet_id", sort=True):
        lags = part.loc[part["lag_days"] > 0, "lag_days"]
        summary = median_interval(lags, level=level, n_boot=n_boot, seed=seed)
        rows.append({"outlet_id": str(outlet), "stories": int(part["story_id"].nunique()),
                     "first": int(part["is_first"].fillna(False).astype(bool).sum()),
                     "followed": summary["n"], "median_lag_days": summary["median"],
                     "q1_lag_days": summary["q1"], "q3_lag_days": summary["q3"],
                     "ci_low": summary["ci_low"], "ci_high": summary["ci_high"]})
    columns = {"outlet_id": "string", "stories": "int64", "first": "int64", "followed": "int64",
               "median_lag_days": "float64", "q1_lag_days": "float64", "q3_lag_days": "float64",
               "ci_low": "float64", "ci_high": "float64"}
    return pd.DataFrame(rows, columns=list(columns)).astype(columns)
