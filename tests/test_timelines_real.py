"""mediaprov.timelines on a real corpus: the AllSides Iran selection (125 outlets, messy dates).

Read from ``../shared/corpora/allsides_iran/articles.jsonl``; skipped when ``../shared`` is absent.
Dates are parsed here with a plausible-year window until ingestion supplies ``published``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from mediaprov import paths, plots, timelines

PLAUSIBLE_YEARS = (1995, 2025)


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    shared = paths.shared_dir()
    if shared is None:
        pytest.skip("../shared is absent: the AllSides corpus is read from there")
    path = shared / "corpora" / "allsides_iran" / "articles.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    raw = pd.read_json(path, lines=True, dtype=False)
    published = pd.to_datetime(raw["date"], errors="coerce", format="mixed", utc=True)
    years = published.dt.year
    published = published.where((years >= PLAUSIBLE_YEARS[0]) & (years <= PLAUSIBLE_YEARS[1]))
    return pd.DataFrame({"article_id": raw["ID"].astype("string"),
                         "outlet_id": raw["source"].astype("string"),
                         "published": published,
                         "date_confidence": published.notna().map({True: 1.0, False: None})})


@pytest.mark.shared
def test_volumes_on_allsides_report_undated(corpus: pd.DataFrame) -> None:
    unparseable = int(corpus["published"].isna().sum())
    assert unparseable > 0  # the corpus has empty and implausible dates
    undated = timelines.undated_articles(corpus)
    assert int(undated["undated"].sum()) == unparseable
    assert int(undated["total"].sum()) == len(corpus)
    table = timelines.volumes(corpus, freq="month")
    assert table["group"].nunique() == corpus.loc[corpus.published.notna(),
                                                  "outlet_id"].nunique()
    assert int(table["articles"].sum()) + unparseable == len(corpus)  # none dropped silently
    shares = table.groupby("group")["share"].sum()
    assert shares.between(1 - 1e-9, 1 + 1e-9).all()
    camps = timelines.undated_articles(corpus, by="camp")
    assert int(camps["undated"].sum()) == unparseable


@pytest.mark.shared
def test_bursts_and_figure_on_allsides(corpus: pd.DataFrame) -> None:
    weekly = timelines.volumes(corpus, freq="week", by="all")
    bursts = timelines.detect_bursts(weekly, freq="week")
    assert (bursts["end"] > bursts["start"]).all()
    figure = plots.timeline_figure(weekly, bursts=bursts,
                                   undated=timelines.undated_articles(corpus, by="all"))
    note = " ".join(t.get_text() for t in figure.texts)
    assert f"{int(corpus.published.isna().sum())} of {len(corpus)} articles" in note


@pytest.mark.shared
def test_first_movers_on_allsides_never_contradict_dates(corpus: pd.DataFrame) -> None:
    """Reuse, stories and evidence-based first movers on real articles with messy dates."""
    from mediaprov.reuse import find_reuse
    from mediaprov.stories import build_stories, precedence

    raw = pd.read_json(paths.shared_dir() / "corpora" / "allsides_iran" / "articles.jsonl",
                       lines=True, dtype=False)
    articles = corpus.assign(text=raw["content_original"].astype("string").to_numpy(),
                             credited_source=pd.Series(pd.NA, index=corpus.index,
                                                       dtype="string"))
    reuse = find_reuse(articles)
    assert len(reuse) > 0
    stories = build_stories(articles, reuse=reuse)
    order = precedence(articles, stories, reuse=reuse)
    movers = timelines.first_movers(timelines.story_timing(articles, stories), precedence=order)
    day = articles.set_index("article_id")["published"].dt.floor("D")
    # weaker evidence only ever decides pairs that trusted dates leave tied or open
    weaker = order.loc[order.evidence != "date"]
    both_dated = day.reindex(weaker.before).notna().to_numpy() & \
        day.reindex(weaker.after).notna().to_numpy()
    assert (day.reindex(weaker.before[both_dated]).to_numpy()
            == day.reindex(weaker.after[both_dated]).to_numpy()).all()
    dated_pairs = order.loc[order.evidence == "date"]
    assert (day.reindex(dated_pairs.before).to_numpy()
            < day.reindex(dated_pairs.after).to_numpy()).all()
    shared = movers.loc[movers.outlets > 1]
    assert len(shared) > 0
    members = stories.merge(articles[["article_id", "outlet_id"]], on="article_id")
    members = members.assign(day=members.article_id.map(day))
    for story in shared.itertuples():
        part = members.loc[members.story_id == story.story_id]
        if story.order_evidence == "date":  # the first outlet holds the one earliest day
            earliest = part.loc[part.day == part.day.min(), "outlet_id"]
            assert set(earliest) == {story.first_outlet}
        elif story.order_evidence == "uncertain" and story.order != "unknown-outlet":
            assert len(story.candidates.split("|")) >= 2 and story.reason
