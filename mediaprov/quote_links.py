"""Shared-quote links: the same quotation in two articles of one burst of coverage.

A long quotation that two articles carry word for word is evidence that they draw on the same
statement, release or interview. Repeated years apart, the same words are a callback (a slogan, a
famous line) and no longer evidence of one story: on the AllSides Iran corpus, quotes such as a
president's campaign promise link articles 1,100 days apart, and on a million-article demo corpus
chance repeats of formulaic quotes chain 317,600 articles into one "story". So the carriers of a
quote are cut into *bursts*: in date order, a carrier joins the previous one's burst when it was
published at most ``window_days`` days later (a gap between neighbours, as news coverage runs, not
a span from the first). Each burst's carriers are linked in a chain (a chain suffices for
connected components), never across bursts.

Carriers without a trusted date (:func:`mediaprov.dating.date_status`) cannot be placed in a
burst: they join the quote's only burst when its dated carriers form one, and otherwise (no dated
carrier, or several bursts) only one another, so an undated article never bridges two bursts.
Without dates (no ``published`` column) every carrier is undated and one chain links them all.

Example:
    >>> import pandas as pd
    >>> line = "the harbour will stay open whatever the ministry decides"
    >>> quotes = pd.DataFrame({"article_id": ["a", "b", "c"], "kind": "direct", "text": line})
    >>> articles = pd.DataFrame({"article_id": ["a", "b", "c"],
    ...     "published": pd.to_datetime(["2024-01-01", "2024-01-05", "2025-06-01"], utc=True)})
    >>> quote_links(quotes, articles=articles)[["x", "y"]].values.tolist()
    [['a', 'b']]
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from mediaprov.dating import date_status
from mediaprov.schema import require_columns

QUOTE_WINDOW_DAYS = 30.0
"""Default largest gap, in days, between consecutive carriers of a quote in one burst."""


_NOT_WORD_OR_SPACE = re.compile(r"[^\w\s]")


def normalise_quote(text: str) -> str:
    """Return a quote's text in a form that matches across outlets' typography.

    Example:
        >>> normalise_quote("“We  will  Stay,” he said")
        'we will stay he said'
    """
    if not text.isascii():  # NFKC leaves ASCII as it is
        text = unicodedata.normalize("NFKC", text)
    # str.split() and the regex's \s both split on what str.isspace() calls whitespace
    return " ".join(_NOT_WORD_OR_SPACE.sub(" ", text.lower()).split())


def check_window(window_days: float | None) -> None:
    """Raise a clear error unless ``window_days`` is a number of days >= 0 or None.

    Example:
        >>> check_window(-1)
        Traceback (most recent call last):
        ...
        ValueError: the quote window must be a number of days >= 0 ('inf' or None: no window), got -1
    """
    if window_days is not None and not window_days >= 0:
        raise ValueError("the quote window must be a number of days >= 0 ('inf' or None: no window), "
                         f"got {window_days}")


def _quote_texts(chosen: pd.DataFrame, articles: pd.DataFrame | None) -> pd.Series:
    """Each quote's text: the ``text`` column, else ``articles.text[start:end]``."""
    texts = (chosen["text"].astype("string") if "text" in chosen.columns
             else pd.Series(pd.NA, index=chosen.index, dtype="string"))
    if texts.isna().any() and articles is not None and {"start", "end"} <= set(chosen.columns):
        bodies = dict(zip(articles["article_id"].astype(str), articles["text"].astype(str), strict=True))
        for index in texts.index[texts.isna()]:
            body = bodies.get(str(chosen.at[index, "article_id"]))
            start, end = chosen.at[index, "start"], chosen.at[index, "end"]
            if body is not None and pd.notna(start) and pd.notna(end):
                texts.at[index] = body[int(start):int(end)]
    return texts


def _trusted_days(articles: pd.DataFrame | None, min_confidence: float) -> pd.Series:
    """Each article's trusted publication day as days since the epoch (float, NaN when untrusted)."""
    if articles is None or "published" not in articles.columns:
        return pd.Series(dtype="float64")
    published = pd.to_datetime(articles["published"], utc=True)
    trusted = date_status(articles, min_confidence=min_confidence) == "dated"
    days = (published.dt.floor("D") - pd.Timestamp(0, tz="UTC")).dt.days.astype("float64")
    days = days.where(trusted.to_numpy())
    ids = articles["article_id"].astype(str)
    return pd.Series(days.to_numpy(), index=pd.Index(ids)).loc[lambda s: ~s.index.duplicated()]


def quote_links(quotes: pd.DataFrame, *, articles: pd.DataFrame | None = None,
                min_quote_chars: int = 40, quote_kinds: tuple[str, ...] = ("direct", "embedded_post"),
                window_days: float | None = QUOTE_WINDOW_DAYS,
                min_confidence: float = 0.5) -> pd.DataFrame:
    """Link the articles that carry the same quotation within one burst of coverage.

    Args:
        quotes: QUOTES rows (``article_id``; ``kind``, ``text`` or ``start``/``end`` when present).
            Quotes of ``quote_kinds`` whose normalised text (:func:`normalise_quote`) has at least
            ``min_quote_chars`` characters can link (short scare quotes and labels would join
            unrelated stories).
        articles: ``article_id`` with ``published`` (and ``date_confidence``) for the bursts, and
            ``text`` for quotes given only by offsets. Without dates every carrier is undated.
        min_quote_chars: the shortest normalised quote that links.
        quote_kinds: the quote kinds that link.
        window_days: the largest gap in days between consecutive dated carriers of one burst;
            ``None`` links every carrier of a quote whatever their dates.
        min_confidence: dates with a lower ``date_confidence`` are not trusted (undated).

    Raises:
        ValueError: ``window_days`` is negative (or not a number).

    Returns:
        ``x``, ``y`` (two article ids), ``kind`` (``"shared-quote"``) and ``evidence`` (the
        normalised quote): consecutive carriers of each burst, in date then id order.

    Example:
        >>> q = pd.DataFrame({"article_id": ["b", "a"], "text": ["we will not be silenced"] * 2})
        >>> quote_links(q, min_quote_chars=10)[["x", "y", "evidence"]].values.tolist()
        [['a', 'b', 'we will not be silenced']]
    """
    check_window(window_days)
    require_columns(quotes, ("article_id",), "quotes")
    chosen = quotes.loc[quotes["kind"].isin(quote_kinds)] if "kind" in quotes.columns else quotes
    frame = pd.DataFrame({"article_id": chosen["article_id"].astype("string"),
                          "quote": _quote_texts(chosen, articles).fillna("").map(normalise_quote)})
    frame = frame.loc[frame["quote"].str.len() >= min_quote_chars].drop_duplicates()
    frame = frame.loc[frame["quote"].duplicated(keep=False)].reset_index(drop=True)
    day = frame["article_id"].map(_trusted_days(articles, min_confidence)).astype("float64")
    if window_days is None:
        day = pd.Series(np.nan, index=frame.index)
    frame = frame.assign(day=day.to_numpy()).sort_values(["quote", "day", "article_id"],
                                                         kind="stable", na_position="last")
    quote, day_values = frame["quote"].to_numpy(), frame["day"].to_numpy()
    dated = ~np.isnan(day_values)
    new_quote = np.ones(len(frame), dtype=bool)
    new_quote[1:] = quote[1:] != quote[:-1]
    gap = np.zeros(len(frame))
    gap[1:] = day_values[1:] - day_values[:-1]
    starts = dated & (new_quote | (gap > (window_days if window_days is not None else np.inf)))
    burst = np.where(dated, np.cumsum(starts), 0)
    bursts_per_quote = pd.Series(starts).groupby(np.cumsum(new_quote)).transform("sum").to_numpy()
    # undated carriers: the quote's single burst (sorted right after it), else a group of their own
    group = np.where(dated | (bursts_per_quote == 1), np.maximum.accumulate(burst), -1)
    group = np.where(~dated & (bursts_per_quote != 1), -np.cumsum(new_quote), group)
    frame = frame.assign(group=group)
    following = frame.groupby("group", sort=False)["article_id"].shift(-1)
    chained = frame.assign(y=following).dropna(subset=["y"])
    return pd.DataFrame({"x": chained["article_id"], "y": chained["y"], "kind": "shared-quote",
                         "evidence": chained["quote"]}).reset_index(drop=True)
