"""copy_direction: the one rule of who copied whom (credit, then trusted dates, else none)."""

from __future__ import annotations

import pandas as pd

from mediaprov.reuse import copy_direction, reuse_edges


def _articles() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": ["s", "c1", "c2", "c3", "c4", "c5"],
        "outlet_id": ["wire", "herald", "post", "daily", "herald", "post"],
        "published": pd.to_datetime(["2024-01-05", "2024-01-02", "2024-01-06", None,
                                     "2024-01-07 10:00", "2024-01-07 18:00"], utc=True, format="ISO8601"),
        "date_confidence": [1.0, 1.0, 1.0, None, 1.0, 0.1],
        "credited_source": [None, "wire", None, None, None, None],
    })


def test_each_rule_and_its_evidence() -> None:
    reuse = pd.DataFrame({"article_a": ["c1", "s", "s", "s", "c4"],
                          "article_b": ["s", "c2", "c3", "c4", "c5"]})
    found = copy_direction(reuse, _articles())
    assert found.evidence.tolist() == ["conflict", "date", "none", "date", "none"]
    # c1 credits wire but is dated three days before s: contradicting evidence, no direction
    assert not found.directed.iloc[0] and pd.isna(found.source_article.iloc[0])
    assert found.loc[1, ["source_article", "copy_article", "lag_days"]].tolist() == ["s", "c2", 1.0]
    # c5's date has a low confidence: not trusted, so no date order
    assert not found.directed.iloc[4]


def test_credit_decides_without_dates_and_agrees_with_dates() -> None:
    articles = _articles().assign(published=pd.to_datetime(
        ["2024-01-01", "2024-01-02", None, None, None, None], utc=True))
    reuse = pd.DataFrame({"article_a": ["c1", "c2"], "article_b": ["s", "s"]})
    found = copy_direction(reuse, articles)
    assert found.loc[0, ["source_article", "copy_article", "evidence"]].tolist() == ["s", "c1", "credit+date"]
    articles.loc[0, "published"] = pd.NaT
    assert copy_direction(reuse, articles).evidence.tolist() == ["credit", "none"]


def test_edges_follow_the_rule() -> None:
    articles = _articles().assign(published=pd.NaT)  # no dates at all: only credit directs
    reuse = pd.DataFrame({"article_a": ["c1", "s"], "article_b": ["s", "c2"], "similarity": 0.9,
                          "credited": [True, False], "whole_copy": False, "shared_chars": 10,
                          "passages": [[], []], "lag": float("nan"), "directed": False})
    edges = reuse_edges(reuse, articles, drop_explained=False)
    directed = edges[edges.directed]
    assert directed[["source_outlet", "target_outlet", "pairs"]].values.tolist() == [["wire", "herald", 1]]
    assert edges[~edges.directed][["source_outlet", "target_outlet"]].values.tolist() == [["post", "wire"]]


def test_a_copy_of_unknown_outlet_can_credit_and_one_outlet_cannot() -> None:
    articles = pd.DataFrame({"article_id": ["s", "c", "d"], "outlet_id": ["wire", None, "wire"],
                             "published": pd.NaT, "credited_source": [None, "wire", "wire"]})
    reuse = pd.DataFrame({"article_a": ["c", "s"], "article_b": ["s", "d"]})
    found = copy_direction(reuse, articles)
    assert found.evidence.tolist() == ["credit", "none"]  # wire crediting wire says nothing
    assert found.loc[0, ["source_article", "copy_article"]].tolist() == ["s", "c"]


def test_edge_share_credited_follows_the_decided_direction() -> None:
    """An edge directed by credit counts its pairs as credited.

    The copy has an untrusted date and credits its source; the reuse table put it first (as
    article_a, which article_b does not credit), so its own ``credited`` flag is False.
    """
    articles = pd.DataFrame({
        "article_id": ["x", "y"], "outlet_id": ["xnews", "ywire"],
        "published": pd.to_datetime(["2024-01-01", "2024-01-03"], utc=True),
        "date_confidence": [0.1, 1.0], "credited_source": ["ywire", None]})
    reuse = pd.DataFrame({"article_a": ["x"], "article_b": ["y"], "similarity": [0.9],
                          "directed": [True], "credited": [False], "whole_copy": [False],
                          "shared_chars": [120], "passages": [[]], "lag": [2.0]})
    edges = reuse_edges(reuse, articles, drop_explained=False)
    assert edges[["source_outlet", "target_outlet", "directed"]].values.tolist() == [
        ["ywire", "xnews", True]]
    assert edges["share_credited"].tolist() == [1.0]
