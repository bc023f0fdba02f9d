"""Entities and cited sources on a real corpus: the AllSides Iran selection (2,714 articles).

Read from ``../shared/corpora/allsides_iran/articles.jsonl``; skipped when ``../shared`` is absent.
Nothing of the corpus is copied here: the tests only count.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mediaprov import paths
from mediaprov.features import Features, extract_features
from mediaprov.entities import load_entities
from mediaprov.ingest.pipeline import ingest


@pytest.fixture(scope="module")
def allsides(tmp_path_factory) -> tuple[pd.DataFrame, Features]:
    shared = paths.shared_dir()
    path = (shared / "corpora" / "allsides_iran" / "articles.jsonl") if shared else None
    if path is None or not path.exists():
        pytest.skip("../shared/corpora/allsides_iran is absent")
    out = Path(tmp_path_factory.mktemp("allsides"))
    ingested = ingest(path, out=out, columns="allsides")
    articles = ingested.articles
    features = extract_features(articles, entities=load_entities(corpus="allsides_iran"))
    return articles, features


@pytest.mark.shared
@pytest.mark.slow
def test_entities_found_in_nine_articles_of_ten(allsides) -> None:
    articles, features = allsides
    share = features.mentions.article_id.nunique() / len(articles)
    print(f"articles with an entity mention: {share:.1%}; {features.coverage_line()}")
    assert share >= 0.9
    spans, _, resolved = features.coverage
    assert resolved / spans >= 0.9
    # the demo pack is scoped to the demo corpus: none of its ids may appear here
    demo = set(load_entities(packs=["demo"]).entity_id)
    assert not set(features.mentions.entity_id) & demo


@pytest.mark.shared
@pytest.mark.slow
def test_agencies_and_major_papers_are_cited_sources(allsides) -> None:
    _, features = allsides
    cited = features.citations[features.citations.kind == "cited_outlet"].source_id.value_counts()
    print(cited.head(25).to_dict())
    for source in ("unregistered:associated-press", "unregistered:reuters",
                   "unregistered:washington-post", "unregistered:wall-street-journal",
                   "new-york-times"):
        assert cited.get(source, 0) >= 20, source
    quoted = features.citations[features.citations.kind == "quoted"].source_id
    assert quoted.str.startswith("name:").mean() > 0.5  # persons no pack lists feed the matrix


@pytest.mark.shared
@pytest.mark.slow
def test_places_and_agencies_are_not_folded_into_persons_that_share_a_last_word(allsides) -> None:
    # Without the guards of merge_across_articles, "Washington" became George Washington in
    # about 950 articles, "UN" Kim Jong Un and "Germany" Nazi Germany in over 250 each.
    _, features = allsides
    articles = features.mentions.groupby("entity_id").article_id.nunique()
    for wrong in ("name:george-washington", "name:kim-jong-un", "name:nazi-germany"):
        assert articles.get(wrong, 0) < 200, wrong
    for bare in ("name:washington", "name:germany"):
        assert articles.get(bare, 0) >= 200, bare
    # the folds news make by surname still happen
    assert "name:obama" not in articles and "name:trump" not in articles
    assert articles["name:barack-obama"] >= 1000 and articles["name:donald-trump"] >= 1000


@pytest.mark.shared
@pytest.mark.slow
def test_same_event_grouping_on_the_development_set(allsides) -> None:
    """ARI on the 40 hand-read same-event groups of ``tests/fixtures/allsides_dev`` (137 articles).

    Target of issue 11: 0.9. Reached: 0.909 with :data:`mediaprov.narratives.events.NEWS_SETTINGS`,
    0.886 without their ``split_chains`` (grouping by publication day alone scores 0.87 here, every
    article alone 0). Those settings (title weight, day penalty, similarity, the chain cut) were
    chosen by looking at this set, so the figure is optimistic for other corpora.
    """
    import sys

    from sklearn.metrics import adjusted_rand_score

    from mediaprov.narratives import group_same_event
    from mediaprov.narratives.events import NEWS_SETTINGS

    sys.path.insert(0, str(Path(__file__).parent))
    import devset  # noqa: E402  (tests/devset.py, the development-set loader)

    articles, features = allsides
    gold = devset.load_events()
    if gold is None:
        pytest.skip("the AllSides corpus is absent")
    ids = dict(zip(articles["record"].astype(int), articles["article_id"], strict=True))
    gold = gold.assign(article_id=gold["line"].map(ids))
    assert gold.article_id.notna().all()
    groups = group_same_event(articles, features.mentions, **NEWS_SETTINGS)
    # one event's coverage here spans days: a 30-day limit on a group's span parts nothing
    pd.testing.assert_frame_equal(groups, group_same_event(articles, features.mentions, **NEWS_SETTINGS,
                                                           max_span_days=30))
    assert group_same_event(articles, features.mentions, **NEWS_SETTINGS,
                            max_span_days=2).event_group.nunique() > groups.event_group.nunique()
    predicted = groups.set_index("article_id").event_group.loc[gold.article_id]
    ari = adjusted_rand_score(gold.event, predicted)
    published = articles.set_index("article_id").published.loc[gold.article_id]
    by_day = [str(d.date()) if pd.notna(d) else f"undated-{a}" for a, d in zip(gold.article_id,
                                                                              published, strict=True)]
    print(f"same-event ARI on the development set: {ari:.3f} "
          f"(publication day alone: {adjusted_rand_score(gold.event, by_day):.3f})")
    assert ari >= 0.9  # issue 11 bar; 0.909 measured (0.886 without the chain cut)
    sizes = groups.event_group.value_counts()
    alone = float((groups.event_group.map(sizes) == 1).mean())
    print(f"articles alone in their event group: {alone:.1%}")
    assert alone < 0.8


SAME_STORY_RECORDS: tuple[tuple[int, int], ...] = (
    (2665, 18), (2665, 348), (2223, 85), (2223, 2153), (2603, 1676), (2061, 1823), (1878, 2633),
)
"""Records (JSONL lines) of two outlets' articles on one news story, a day apart at most, that
share a quoted line: read by title and date (a leak inquiry, a cabinet dismissal, a nuclear deal,
an arrest, a decertification)."""

CALLBACK_RECORDS: tuple[tuple[int, int], ...] = (
    (32, 287), (2509, 2607), (1974, 1047), (1130, 1463), (1639, 2046), (2344, 2245), (1100, 492),
)
"""Records of two articles on different stories, 1.3 to 5.4 years apart, that quote the same
line (a politician's remark quoted again as a callback): read by title and date."""


@pytest.mark.shared
@pytest.mark.slow
def test_shared_quotes_link_one_burst_not_callbacks_years_apart(allsides) -> None:
    from mediaprov.stories import build_stories

    articles, features = allsides
    ids = dict(zip(articles["record"].astype(int), articles["article_id"], strict=True))

    def together(stories: pd.DataFrame, pairs: tuple[tuple[int, int], ...]) -> list[bool]:
        story = stories.set_index("article_id").story_id
        return [bool(story[ids[a]] == story[ids[b]]) for a, b in pairs]

    bursts = build_stories(articles, quotes=features.quotes)
    unbounded = build_stories(articles, quotes=features.quotes, quote_window_days=None)
    assert all(together(bursts, SAME_STORY_RECORDS))
    assert not any(together(bursts, CALLBACK_RECORDS))
    assert all(together(unbounded, CALLBACK_RECORDS))  # what the window undoes
    sizes = bursts.story_id.value_counts()
    print(f"stories of 2+ articles: {int((sizes > 1).sum())} with the 30-day window, "
          f"{int((unbounded.story_id.value_counts() > 1).sum())} without; largest {sizes.max()}")


@pytest.mark.shared
@pytest.mark.slow
def test_partitions_spooled_by_key_range_give_the_tables_of_one_pass(allsides, tmp_path) -> None:
    """``run_features``' way on real text: the corpus in 4 partitions, put aside in 10 key ranges.

    The news sources kept and the names folded are decided over the whole corpus from counts
    summed over the partitions; on AllSides both happen by the thousand, so this checks that
    summing counts decides what the whole table decided.
    """
    from mediaprov import features as features_module
    from mediaprov.engine import Engine, partition_bounds
    from mediaprov.spool import RangeSpool, key_bounds

    articles, features = allsides
    columns = [c for c in features_module._ARTICLE_COLUMNS if c in articles.columns]
    slices = [articles.iloc[start:stop][columns] for start, stop in partition_bounds(len(articles), 4)]
    bounds = key_bounds(articles.article_id, per_range=len(articles) // 10 + 1)
    with RangeSpool(tmp_path, bounds) as spool:
        spooled = features_module._extract(slices, entities=load_entities(corpus="allsides_iran"),
                                           outlets=None, fuzzy=True, discover=True, engine=Engine(),
                                           spool=spool)
        ranges = list(spooled.pieces)
    assert len(ranges) == 10 and spooled.coverage == features.coverage
    for name in ("mentions", "quotes", "citations", "ambiguous"):
        from_ranges = pd.concat([getattr(piece, name) for piece in ranges], ignore_index=True)
        pd.testing.assert_frame_equal(from_ranges, getattr(features, name).reset_index(drop=True),
                                      obj=name)
    kept = features.citations[features.citations.source_id.str.startswith("unregistered:")]
    assert len(kept) >= 500  # news sources beyond the registry kept over the corpus (938 measured)
    assert (features.mentions.method == "discovered").sum() > 10_000
