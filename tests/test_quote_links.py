"""Tests of mediaprov.quote_links: shared quotes link the carriers of one burst of coverage."""

from __future__ import annotations

import pandas as pd
import pytest

from mediaprov import stories
from mediaprov.quote_links import QUOTE_WINDOW_DAYS, quote_links

LINE = "The harbour will stay open to every fishing crew of Orlet this winter"
OTHER = "No clerk of the Halden registry ever saw the ledgers we kept in the cellar"


def _tables(carriers: dict[str, str | None], *, quote: str = LINE,
            confidence: dict[str, float] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Articles (id -> publication day or None) that all carry ``quote``."""
    ids = list(carriers)
    articles = pd.DataFrame({"article_id": ids,
                             "published": pd.to_datetime(list(carriers.values()), utc=True)})
    if confidence is not None:
        articles["date_confidence"] = [confidence.get(i, 1.0) for i in ids]
    quotes = pd.DataFrame({"article_id": ids, "kind": "direct", "text": quote})
    return articles, quotes


def _pairs(links: pd.DataFrame) -> set[frozenset[str]]:
    return {frozenset(p) for p in links[["x", "y"]].itertuples(index=False)}


def _groups(articles: pd.DataFrame, quotes: pd.DataFrame, **options: object) -> list[list[str]]:
    table = stories.build_stories(articles, quotes=quotes, **options)
    groups = table.groupby("story_id")["article_id"].apply(sorted).tolist()
    return sorted(groups)


def test_a_callback_after_the_window_starts_a_new_burst() -> None:
    articles, quotes = _tables({"a": "2024-01-01", "b": "2024-01-05", "c": "2024-06-01",
                                "d": "2024-06-20"})
    assert _pairs(quote_links(quotes, articles=articles)) == {frozenset("ab"), frozenset("cd")}
    assert _groups(articles, quotes) == [["a", "b"], ["c", "d"]]


def test_the_window_is_a_gap_between_neighbours_not_a_span() -> None:
    # 25 days apart each: every neighbour is inside 30 days, the ends are 75 days apart
    articles, quotes = _tables({"w": "2024-01-01", "x": "2024-01-26", "y": "2024-02-20",
                                "z": "2024-03-16"})
    assert _groups(articles, quotes) == [["w", "x", "y", "z"]]
    assert _groups(articles, quotes, quote_window_days=20) == [["w"], ["x"], ["y"], ["z"]]
    assert QUOTE_WINDOW_DAYS == 30


def test_links_chain_in_date_order_whatever_the_ids() -> None:
    articles, quotes = _tables({"z": "2024-01-01", "a": "2024-01-02", "m": "2024-01-03"})
    links = quote_links(quotes, articles=articles)
    assert links[["x", "y"]].values.tolist() == [["z", "a"], ["a", "m"]]
    assert set(links["evidence"]) == {stories.normalise_quote(LINE)}


def test_undated_carriers_join_the_only_burst() -> None:
    articles, quotes = _tables({"a": "2024-01-01", "b": "2024-01-03", "u": None, "v": None})
    assert _groups(articles, quotes) == [["a", "b", "u", "v"]]


def test_undated_carriers_never_bridge_two_bursts() -> None:
    articles, quotes = _tables({"a": "2024-01-01", "b": "2024-01-03", "c": "2025-01-01",
                                "u": None, "v": None})
    assert _groups(articles, quotes) == [["a", "b"], ["c"], ["u", "v"]]


def test_a_quote_carried_only_by_undated_articles_links_them_all() -> None:
    articles, quotes = _tables({"u": None, "v": None, "w": None})
    assert _groups(articles, quotes) == [["u", "v", "w"]]
    no_dates = articles.drop(columns="published")
    assert _groups(no_dates, quotes) == [["u", "v", "w"]]


def test_low_confidence_dates_are_treated_as_undated() -> None:
    # c's date is a guess: it cannot open a second burst, so it joins a and b's
    articles, quotes = _tables({"a": "2024-01-01", "b": "2024-01-02", "c": "2025-01-01"},
                               confidence={"c": 0.2})
    assert _groups(articles, quotes) == [["a", "b", "c"]]
    assert _groups(articles, quotes, quote_window_days=30) == _groups(
        articles.assign(published=articles["published"].where(articles["article_id"] != "c")),
        quotes)


def test_no_window_links_every_carrier_whatever_the_dates() -> None:
    articles, quotes = _tables({"a": "2021-01-01", "b": "2023-06-01", "c": "2026-01-01", "u": None})
    assert _groups(articles, quotes, quote_window_days=None) == [["a", "b", "c", "u"]]
    links = quote_links(quotes, articles=articles, window_days=None)
    assert links[["x", "y"]].values.tolist() == [["a", "b"], ["b", "c"], ["c", "u"]]


def test_quotes_are_cut_independently() -> None:
    line_articles, line_quotes = _tables({"a": "2024-01-01", "b": "2024-01-02", "c": "2024-09-01"})
    other_articles, other_quotes = _tables({"c": "2024-09-01", "d": "2024-09-04", "u": None},
                                           quote=OTHER)
    articles = pd.concat([line_articles, other_articles]).drop_duplicates("article_id")
    quotes = pd.concat([line_quotes, other_quotes], ignore_index=True)
    # LINE: bursts {a, b} and {c}; OTHER: one burst {c, d} that the undated u joins
    assert _groups(articles, quotes) == [["a", "b"], ["c", "d", "u"]]


@pytest.mark.parametrize("window", [0, 1, 30, None])
def test_a_single_carrier_or_a_short_quote_never_links(window: float | None) -> None:
    articles, quotes = _tables({"a": "2024-01-01", "b": "2024-01-01"}, quote="too short to link")
    assert quote_links(quotes, articles=articles, window_days=window).empty
    articles, quotes = _tables({"a": "2024-01-01"})
    assert quote_links(quotes, articles=articles, window_days=window).empty


@pytest.mark.parametrize("window", [-1, float("nan")])
def test_a_negative_or_missing_window_is_a_clear_error(window: float) -> None:
    articles, quotes = _tables({"a": "2024-01-01", "b": "2024-01-02"})
    with pytest.raises(ValueError, match="quote window must be a number of days >= 0"):
        quote_links(quotes, articles=articles, window_days=window)
    with pytest.raises(ValueError, match="quote window must be a number of days >= 0"):
        stories.build_stories(articles, quotes=None, quote_window_days=window)  # checked first
