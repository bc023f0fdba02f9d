"""Dates of articles: which are trusted, the periods they fall in, and time floors.

Shared by the timeline and story modules. A date is trusted when ``published`` is set and its
``date_confidence`` (when present) reaches ``min_confidence``; nothing here imputes a date.

Example:
    >>> import pandas as pd
    >>> period_start(pd.Series(pd.to_datetime(["2024-01-10"], utc=True)), freq="month").iloc[0]
    Timestamp('2024-01-01 00:00:00+0000', tz='UTC')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mediaprov.schema import require_columns

FREQUENCIES: dict[str, str] = {"day": "D", "week": "W-MON", "month": "MS"}
"""Period names accepted by ``freq`` -> pandas offset aliases (weeks start on Monday)."""


def check_freq(freq: str) -> None:
    """Raise a ValueError unless ``freq`` is ``day``, ``week`` or ``month``.

    Example:
        >>> check_freq("week")
    """
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
    check_freq(freq)
    naive = pd.to_datetime(published, utc=True).dt.tz_convert(None).astype("datetime64[ns]")
    if freq == "day":
        start = naive.dt.floor("D")
    elif freq == "week":
        start = naive.dt.floor("D") - pd.to_timedelta(naive.dt.day_of_week, unit="D")
    else:
        start = naive.dt.to_period("M").dt.to_timestamp()
    return start.dt.tz_localize("UTC").astype("datetime64[ns, UTC]")


def next_period(start: pd.Timestamp, freq: str) -> pd.Timestamp:
    """Return the start of the period after the one starting at ``start``.

    Example:
        >>> next_period(pd.Timestamp("2024-01-31", tz="UTC"), "month")
        Timestamp('2024-02-01 00:00:00+0000', tz='UTC')
    """
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
    require_columns(articles, ("published",), "articles")
    missing = pd.to_datetime(articles["published"], utc=True).isna().to_numpy()
    if "date_confidence" in articles.columns:
        confidence = pd.to_numeric(articles["date_confidence"], errors="coerce")
        low = (confidence < min_confidence).fillna(False).to_numpy(dtype=bool)
    else:
        low = np.zeros(len(articles), dtype=bool)
    status = np.where(missing, "missing", np.where(low, "low-confidence", "dated"))
    return pd.Series(status, index=articles.index, dtype="string")


def floor_times(times: pd.Series, resolution: str | None) -> pd.Series:
    """Floor timestamps to ``resolution`` (``"day"`` means calendar days), or leave them.

    Example:
        >>> floor_times(pd.Series(pd.to_datetime(["2024-01-10 15:00"], utc=True)), "day").iloc[0]
        Timestamp('2024-01-10 00:00:00+0000', tz='UTC')
    """
    if resolution is None:
        return times
    return times.dt.floor("D" if resolution == "day" else resolution)


