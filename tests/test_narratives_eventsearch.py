"""The blocked same-event search against brute force: every pair of articles checked in Python.

The corpus is fictional: random words from a small invented vocabulary, random actors and
publication times over two weeks, so that links chain across blocks and many pairs are close
calls.
"""

from __future__ import annotations

import itertools
import random
import threading
import time

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from mediaprov import narratives as nv
from mediaprov.narratives import eventsearch, undated
from mediaprov.narratives.tokens import term_analyzer

WORDS = [f"{a}{b}{c}" for a in "bdkm" for b in "aeiou" for c in "lnrst"]
ACTORS = [f"actor-{k}" for k in range(8)] + [f"name:person-{k}" for k in range(4)]


def random_corpus(seed: int, n: int = 200, undated: float = 0.15) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Articles on a few topics (word pools), times over 10 days, 1-4 actors each."""
    rng = random.Random(seed)
    topics = [rng.sample(WORDS, 12) for _ in range(6)]
    articles, mentions = [], []
    for k in range(n):
        topic = rng.randrange(len(topics))
        words = [rng.choice(topics[topic]) for _ in range(14)] + rng.sample(WORDS, 5)
        title = " ".join(rng.sample(topics[topic], 3)) if rng.random() < 0.7 else ""
        published = (pd.Timestamp("2024-01-01", tz="UTC") + pd.Timedelta(hours=rng.randrange(10 * 24))
                     if rng.random() > undated else pd.NaT)
        article_id = f"art-{k:03d}"
        articles.append({"article_id": article_id, "published": published, "text": " ".join(words),
                         "title": title})
        for actor in rng.sample(ACTORS, rng.randint(0 if k % 17 == 0 else 2, 5)):
            mentions.append({"article_id": article_id, "entity_id": actor, "start": 0, "end": 1})
    return pd.DataFrame(articles), pd.DataFrame(mentions, columns=["article_id", "entity_id", "start", "end"])


def _unit_vectors(texts: list[str], titles: list[str], title_weight: float) -> np.ndarray:
    analyse = term_analyzer(ngram_max=1)
    text = normalize(TfidfVectorizer(analyzer=analyse, sublinear_tf=True).fit_transform(texts)).toarray()
    if title_weight <= 0 or not any(titles):
        return text
    title = normalize(TfidfVectorizer(analyzer=analyse, sublinear_tf=True).fit_transform(titles)).toarray()
    return normalize(np.hstack([text, title_weight * title]))


def brute_force_links(articles: pd.DataFrame, mentions: pd.DataFrame, *, window_days: float,
                      min_shared_entities: int, min_similarity: float, max_entity_share: float,
                      title_weight: float, day_penalty: float) -> pd.DataFrame:
    """Every pair of dated articles with entities, checked one by one."""
    sets = mentions.groupby("article_id")["entity_id"].agg(frozenset)
    placed = articles[articles.published.notna() & articles.article_id.isin(sets.index)]
    placed = placed.sort_values("article_id").reset_index(drop=True)
    entity_sets = [sets[a] for a in placed.article_id]
    counts: dict[str, int] = {}
    for items in entity_sets:
        for e in items:
            counts[e] = counts.get(e, 0) + 1
    informative = {e for e, c in counts.items()
                   if not e.startswith("name:") or c <= max_entity_share * len(entity_sets)}
    vectors = _unit_vectors(placed.text.tolist(), placed.title.tolist(), title_weight)
    days = ((placed.published - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(days=1)).to_numpy()
    rows = []
    for i, j in itertools.combinations(range(len(placed)), 2):
        apart = abs(days[j] - days[i])
        shared = entity_sets[i] & entity_sets[j] & informative
        if apart > window_days or len(shared) < min_shared_entities:
            continue
        similarity = float(vectors[i] @ vectors[j])
        if similarity - day_penalty * apart >= min_similarity:
            rows.append((placed.article_id[i], placed.article_id[j], "|".join(sorted(shared)), similarity))
    return pd.DataFrame(rows, columns=["article_a", "article_b", "shared_entities", "similarity"])


SETTINGS = [
    {"window_days": 3, "min_shared_entities": 2, "min_similarity": 0.3, "max_entity_share": 0.2,
     "title_weight": 0.0, "day_penalty": 0.0},
    {"window_days": 3, "min_shared_entities": 2, "min_similarity": 0.1, "max_entity_share": 0.2,
     "title_weight": 1.0, "day_penalty": 0.1},
    {"window_days": 2, "min_shared_entities": 1, "min_similarity": 0.45, "max_entity_share": 0.5,
     "title_weight": 0.5, "day_penalty": 0.05},
    {"window_days": 5, "min_shared_entities": 0, "min_similarity": 0.55, "max_entity_share": 0.2,
     "title_weight": 0.0, "day_penalty": 0.02},
]


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 7 articles and 2 neighbours, so the corpus spans many blocks and both searches."""
    monkeypatch.setattr(eventsearch, "BLOCK_ROWS", 7)
    monkeypatch.setattr(eventsearch, "NEIGHBOURS", 2)


@pytest.mark.parametrize("settings", SETTINGS)
@pytest.mark.parametrize("seed", [1, 2])
def test_event_links_equal_brute_force(settings: dict, seed: int, small_blocks: None) -> None:
    articles, mentions = random_corpus(seed)
    found = nv.event_links(articles, mentions, **settings)
    expected = brute_force_links(articles, mentions, **settings)
    assert len(expected) > 20  # the corpus has links to find
    assert (list(zip(found.article_a, found.article_b, strict=True))
            == list(zip(expected.article_a, expected.article_b, strict=True)))
    assert found.shared_entities.tolist() == expected.shared_entities.tolist()
    np.testing.assert_allclose(found.similarity, expected.similarity, atol=1e-12)


def _components_of(ids: list[str], links: pd.DataFrame) -> dict[str, frozenset]:
    position = {a: k for k, a in enumerate(ids)}
    graph = sparse.coo_matrix((np.ones(len(links)), ([position[a] for a in links.article_a],
                                                     [position[b] for b in links.article_b])),
                              shape=(len(ids), len(ids)))
    _, label = connected_components(graph, directed=False)
    members: dict[int, set] = {}
    for a, k in zip(ids, label, strict=True):
        members.setdefault(k, set()).add(a)
    return {a: frozenset(members[k]) for a, k in zip(ids, label, strict=True)}


@pytest.mark.parametrize("settings", SETTINGS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_groups_are_the_components_of_all_links(settings: dict, seed: int, small_blocks: None) -> None:
    """The pruned search (pairs inside one component skipped) gives the components of every link."""
    articles, mentions = random_corpus(seed)
    groups = nv.group_same_event(articles, mentions, attach_undated=False, **settings)
    links = brute_force_links(articles, mentions, **settings)
    ids = sorted(articles.article_id)
    expected = _components_of(ids, links)
    found_members = groups.groupby("event_group").article_id.agg(frozenset)
    found = {a: found_members[g] for a, g in zip(groups.article_id, groups.event_group, strict=True)}
    assert found == expected
    linked = set(links.article_a) | set(links.article_b)
    assert set(groups.article_id[groups.joined_by == "time-window"]) == linked


def test_small_blocks_change_nothing() -> None:
    """Block size and the first pass are speed settings only: the groups do not depend on them."""
    articles, mentions = random_corpus(4, n=300)
    default = nv.group_same_event(articles, mentions, **nv.events.NEWS_SETTINGS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(eventsearch, "BLOCK_ROWS", 5)
        patch.setattr(eventsearch, "NEIGHBOURS", 0)
        small = nv.group_same_event(articles, mentions, **nv.events.NEWS_SETTINGS)
    pd.testing.assert_frame_equal(default, small)


def brute_force_undated(articles: pd.DataFrame, mentions: pd.DataFrame, groups: pd.DataFrame, *,
                        min_shared_entities: int, title_weight: float,
                        rival_gap_days: float | None = None,
                        max_pair_groups: int | None = None) -> pd.DataFrame:
    """Best group and best rival of each undated article, every member compared in Python.

    With ``max_pair_groups`` (and 1 or 2 shared entities), a member qualifies only through a key
    (an entity, or a pair of entities) that the members of at most that many groups hold.
    """
    sets = mentions.groupby("article_id")["entity_id"].agg(frozenset)
    frame = articles[articles.article_id.isin(sets.index)].sort_values("article_id").reset_index(drop=True)
    counts: dict[str, int] = {}
    for a in frame.article_id:
        for e in sets[a]:
            counts[e] = counts.get(e, 0) + 1
    informative = {e for e, c in counts.items() if not e.startswith("name:") or c <= 0.2 * len(frame)}
    vectors = _unit_vectors(frame.text.tolist(), frame.title.tolist(), title_weight)
    row = {a: k for k, a in enumerate(frame.article_id)}
    group_of = dict(zip(groups.article_id, groups.event_group, strict=True))
    members: dict[str, list[str]] = {}
    for a in frame.article_id[frame.published.notna()]:
        members.setdefault(group_of[a], []).append(a)
    when = dict(zip(frame.article_id, frame.published, strict=True))
    span = {g: (min(when[m] for m in group), max(when[m] for m in group)) for g, group in members.items()}
    capped = max_pair_groups is not None and min_shared_entities in (1, 2)

    def keys(common: frozenset) -> set[frozenset]:
        return {frozenset(k) for k in itertools.combinations(sorted(common), min_shared_entities)}
    holders: dict[frozenset, set[str]] = {}
    for g, group in members.items():
        for m in group:
            for key in keys(sets[m] & informative):
                holders.setdefault(key, set()).add(g)

    def rival(g: str, best: str) -> bool:
        if rival_gap_days is None:
            return g != best
        gap = max(span[g][0] - span[best][1], span[best][0] - span[g][1]) / pd.Timedelta(days=1)
        return gap > rival_gap_days
    out = []
    for a in frame.article_id[frame.published.isna()]:
        mine = sets[a] & informative
        scores = {}
        shared: dict[str, set] = {}
        for g, group in members.items():
            common = [mine & sets[m] & informative for m in group]
            qualifying = [c for c in common if len(c) >= min_shared_entities]
            if capped:
                rare = [{k for k in keys(c) if len(holders[k]) <= max_pair_groups} for c in common]
                qualifying = [frozenset().union(*r) for r in rare if r]
            if qualifying:
                centroid = vectors[[row[m] for m in group]].sum(axis=0)
                scores[g] = float(vectors[row[a]] @ centroid / np.linalg.norm(centroid))
                shared[g] = set().union(*qualifying)
        ranked = sorted(scores, key=lambda g: (-scores[g], g))
        best = ranked[0] if ranked else None
        rivals = [g for g in ranked if best is not None and rival(g, best)]
        out.append({"article_id": a, "candidates": len(scores), "best_group": best,
                    "similarity": scores.get(best, np.nan),
                    "second_group": rivals[0] if rivals else None,
                    "shared_entities": "|".join(sorted(shared.get(best, set())))})
    return pd.DataFrame(out)


@pytest.mark.parametrize("min_shared_entities", [0, 1, 2, 3])
@pytest.mark.parametrize("title_weight", [0.0, 1.0])
@pytest.mark.parametrize("rival_gap_days", [None, 2.0])
@pytest.mark.parametrize("capped", [False, True])
def test_undated_matches_equal_brute_force(min_shared_entities: int, title_weight: float,
                                           rival_gap_days: float | None, capped: bool) -> None:
    # caps that bind on this corpus and leave candidates (ignored with 0 or 3 shared entities)
    max_pair_groups = {1: 20, 2: 6}.get(min_shared_entities, 6) if capped else None
    articles, mentions = random_corpus(5, n=200, undated=0.3)
    groups = nv.group_same_event(articles, mentions, attach_undated=False, min_similarity=0.3)
    dated = groups[groups.article_id.isin(articles.article_id[articles.published.notna()])]
    found = nv.undated_matches(articles, mentions, dated, min_shared_entities=min_shared_entities,
                               title_weight=title_weight, rival_gap_days=rival_gap_days,
                               max_pair_groups=max_pair_groups).set_index("article_id")
    expected = brute_force_undated(articles, mentions, dated, min_shared_entities=min_shared_entities,
                                   title_weight=title_weight, rival_gap_days=rival_gap_days,
                                   max_pair_groups=max_pair_groups).set_index("article_id")
    assert found.index.tolist() == expected.index.tolist()
    assert (found.candidates == expected.candidates).all()
    assert found.best_group.fillna("").tolist() == expected.best_group.fillna("").tolist()
    assert found.second_group.fillna("").tolist() == expected.second_group.fillna("").tolist()
    if rival_gap_days is not None:  # some best groups have no rival of another time
        assert (found.candidates > 1).sum() > found.second_group.notna().sum()
    assert found.shared_entities.tolist() == expected.shared_entities.tolist()
    np.testing.assert_allclose(found.similarity, expected.similarity, atol=1e-9)


def test_max_pair_groups_bounds_the_candidates_of_an_undated_article(caplog: pytest.LogCaptureFixture) -> None:
    """Each pair of entities nominates at most ``max_pair_groups`` groups; None is no bound."""
    articles, mentions = random_corpus(5, n=200, undated=0.3)
    groups = nv.group_same_event(articles, mentions, attach_undated=False, min_similarity=0.3)
    dated = groups[groups.article_id.isin(articles.article_id[articles.published.notna()])]
    unbounded = nv.undated_matches(articles, mentions, dated, max_pair_groups=None)
    large = nv.undated_matches(articles, mentions, dated, max_pair_groups=len(dated))
    pd.testing.assert_frame_equal(unbounded, large)
    with caplog.at_level("INFO", logger="mediaprov.narratives.undated"):
        bounded = nv.undated_matches(articles, mentions, dated, max_pair_groups=3)
    assert "held by more than 3 dated groups" in caplog.text  # the bound is logged
    pairs = mentions.groupby("article_id")["entity_id"].nunique()
    n_pairs = pairs.loc[bounded.article_id].to_numpy() * (pairs.loc[bounded.article_id].to_numpy() - 1) // 2
    assert (bounded.candidates.to_numpy() <= 3 * n_pairs).all()
    assert (bounded.candidates <= unbounded.candidates).all()
    assert bounded.candidates.sum() < unbounded.candidates.sum() / 10


def brute_force_chain_cuts(links: pd.DataFrame, published: pd.Series, *, day_penalty: float,
                           max_size: int) -> dict[str, frozenset]:
    """The groups after :func:`eventsearch.cut_chains`, each bridge found by removing it (Python)."""
    ids = sorted(published.index)
    components = _components_of(ids, links)
    days = (published - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(days=1)
    edges = {frozenset((a, b)): s - day_penalty * abs(days[b] - days[a])
             for a, b, s in zip(links.article_a, links.article_b, links.similarity, strict=True)}

    def reach(start: str, kept: set) -> set:
        seen, todo = {start}, [start]
        while todo:
            node = todo.pop()
            for edge in kept:
                if node in edge:
                    (other,) = edge - {node}
                    if other not in seen:
                        seen.add(other)
                        todo.append(other)
        return seen

    result: dict[str, frozenset] = {}
    for members in set(components.values()):
        kept = {e for e in edges if e <= members}
        if 4 <= len(members) <= max_size:
            bridges = []
            for edge in kept:
                a, b = sorted(edge)
                if b not in reach(a, kept - {edge}):
                    bridges.append((edges[edge], edge))
            for _, edge in sorted(bridges, key=lambda item: (item[0], sorted(item[1]))):
                a, b = sorted(edge)
                side_a, side_b = reach(a, kept - {edge}), reach(b, kept - {edge})
                span_a = [days[x] for x in side_a]
                span_b = [days[x] for x in side_b]
                if (len(side_a) > 1 and len(side_b) > 1
                        and max(min(span_a), min(span_b)) <= min(max(span_a), max(span_b))):
                    kept.discard(edge)
        for article in members:
            result[article] = frozenset(reach(article, kept) if kept else {article})
    return result


@pytest.mark.parametrize("settings", SETTINGS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_split_chains_cuts_the_bridges_between_groups_of_the_same_days(
        settings: dict, seed: int, small_blocks: None) -> None:
    """``split_chains``: the links' components less the bridges between groups of the same days.

    The bridges that join two linked groups overlapping in time are cut weakest first; here
    they are found by brute force.
    """
    articles, mentions = random_corpus(seed)
    groups = nv.group_same_event(articles, mentions, attach_undated=False, split_chains=True, **settings)
    links = brute_force_links(articles, mentions, **settings)
    published = articles.set_index("article_id").published
    expected = brute_force_chain_cuts(links, published[published.notna()], day_penalty=settings["day_penalty"],
                                      max_size=eventsearch.CHAIN_MAX_ARTICLES)
    found_members = groups.groupby("event_group").article_id.agg(frozenset)
    found = {a: found_members[g] for a, g in zip(groups.article_id, groups.event_group, strict=True)}
    for article in set(found) - set(expected):  # undated articles, alone
        expected[article] = frozenset({article})
    assert found == expected
    again = nv.group_same_event(articles.iloc[::-1], mentions.iloc[::-1], attach_undated=False,
                                split_chains=True, **settings)
    pd.testing.assert_frame_equal(groups, again)


def test_split_chains_cuts_something_in_the_random_corpora(small_blocks: None) -> None:
    """The brute-force comparison above is not vacuous: some settings and seeds do split groups."""
    splits = 0
    for settings, seed in itertools.product(SETTINGS, [1, 2, 3]):
        articles, mentions = random_corpus(seed)
        whole = nv.group_same_event(articles, mentions, attach_undated=False, **settings)
        split = nv.group_same_event(articles, mentions, attach_undated=False, split_chains=True, **settings)
        splits += split.event_group.nunique() - whole.event_group.nunique()
    assert splits > 0


def test_split_chains_leaves_components_above_the_size_limit_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    articles, mentions = random_corpus(2)
    settings = SETTINGS[1]
    whole = nv.group_same_event(articles, mentions, **settings)
    split = nv.group_same_event(articles, mentions, split_chains=True, **settings)
    assert split.event_group.nunique() > whole.event_group.nunique()
    monkeypatch.setattr(eventsearch, "CHAIN_MAX_ARTICLES", 3)
    capped = nv.group_same_event(articles, mentions, split_chains=True, **settings)
    pd.testing.assert_frame_equal(whole, capped)


def test_count_terms_in_chunks_is_countvectorizer_entry_for_entry(monkeypatch) -> None:
    from sklearn.feature_extraction.text import CountVectorizer

    from mediaprov.narratives import articleterms
    from mediaprov.narratives.tokens import term_analyzer

    documents = pd.Series(["Harbour strike ends as dock union signs", "", "the harbour harbour vote",
                           "zeal and accord in Kessa", "vote vote accord", "dock", "signs of a strike",
                           "Kessa border talks resume after the strike"], dtype="string")
    analyse = term_analyzer(ngram_max=1)
    vectorised = CountVectorizer(analyzer=analyse).fit_transform(documents.tolist()).tocsr()
    expected = vectorised.copy()
    expected.sort_indices()  # CountVectorizer leaves each row in order of first appearance
    assert not vectorised.has_sorted_indices  # so the comparison below tests the sort too
    for per_chunk in (1, 3, 100):  # chunk edges inside, between and beyond the documents
        monkeypatch.setattr(articleterms, "_DOCUMENTS_PER_CHUNK", per_chunk)
        counted = articleterms.count_terms(documents, analyse)
        assert counted.shape == expected.shape
        for part in ("data", "indices", "indptr"):  # same entries in the same order in each row
            assert getattr(counted, part).tolist() == getattr(expected, part).tolist(), part
        assert counted.indices.dtype == expected.indices.dtype
        assert counted.data.dtype == np.int32  # half of CountVectorizer's int64 counts
        # ... and the TF-IDF made from them is the same, bit for bit; CountVectorizer's own row
        # order gives the same numbers up to the order of float sums
        ours, theirs = (articleterms._sublinear_tfidf(m) for m in (counted, expected))
        assert ours.data.dtype == theirs.data.dtype == np.float64
        assert ours.data.tobytes() == theirs.data.tobytes()
        unsorted = articleterms._sublinear_tfidf(vectorised)
        unsorted.sort_indices()
        np.testing.assert_allclose(ours.data, unsorted.data, rtol=1e-12)
    assert articleterms.count_terms(pd.Series(["", ""]), analyse).shape == (2, 1)


def test_sublinear_tfidf_is_sklearns_bit_for_bit(monkeypatch) -> None:
    """The lean TF-IDF (one float array, idf gathered in steps) equals TfidfTransformer's bytes."""
    from sklearn.feature_extraction.text import TfidfTransformer

    from mediaprov.narratives import articleterms

    rng = np.random.default_rng(3)
    dense = rng.integers(0, 4, size=(40, 25)) * (rng.random((40, 25)) < 0.3)
    dense[5] = 0  # an empty row
    dense[:, 7] = 0  # a term no row has
    counts = sparse.csr_matrix(dense.astype(np.int32))
    before = counts.copy()
    monkeypatch.setattr(articleterms, "_ENTRIES_PER_STEP", 7)  # many steps, edges inside rows
    ours = articleterms._sublinear_tfidf(counts)
    theirs = TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()
    for part in ("data", "indices", "indptr"):
        assert getattr(ours, part).tobytes() == getattr(theirs, part).tobytes(), part
    assert (counts != before).nnz == 0 and counts.data.dtype == np.int32  # the counts are kept
    ours.sort_indices()  # shares no array with the counts: sorting it leaves them alone
    assert not np.shares_memory(ours.indices, counts.indices)
    assert articleterms._sublinear_tfidf(counts[:0]).shape == (0, 25)


def test_vectors_weighted_in_blocks_are_sklearns_on_all_rows_at_once(monkeypatch) -> None:
    """TermCounts.vectors, rows weighted a block at a time, equals TfidfTransformer on all rows."""
    from sklearn.feature_extraction.text import TfidfTransformer

    from mediaprov.narratives import articleterms

    articles, _ = random_corpus(4, n=90)
    articles = articles.assign(title=[" ".join(t.split()[:3]) if k % 3 else "" for k, t in
                                      enumerate(articles["text"])])
    counts = articleterms.TermCounts(articles)
    rows = articles.sample(frac=0.8, random_state=2)  # a subset in another order: idf from it alone

    def at_once(title_weight: float) -> sparse.csr_matrix:
        at = np.array([counts.row[a] for a in rows["article_id"]])
        text = TfidfTransformer(sublinear_tf=True).fit_transform(counts.text[at]).tocsr()
        if not title_weight:
            return text
        titles = TfidfTransformer(sublinear_tf=True).fit_transform(counts.title[at]).tocsr()
        titles.data *= title_weight
        return normalize(sparse.hstack([text, titles], format="csr"), copy=False)

    monkeypatch.setattr(articleterms, "_ROWS_PER_BLOCK", 7)  # blocks end inside the rows
    for title_weight in (0.0, 1.0, 0.5):
        ours, theirs = counts.vectors(rows, title_weight), at_once(title_weight)
        assert ours.shape == theirs.shape
        for part in ("data", "indices", "indptr"):
            assert getattr(ours, part).tolist() == getattr(theirs, part).tolist(), (title_weight, part)
        assert ours.data.tobytes() == theirs.data.tobytes()
        # a few rows weighted with the idf of all: those rows of the whole, bit for bit
        some = counts.weighted(rows.iloc[[30, 3, 11, 12]], counts.weighting(rows, title_weight))
        for part in ("data", "indices", "indptr"):
            assert getattr(some, part).tobytes() == getattr(ours[[30, 3, 11, 12]], part).tobytes()
        weighting = counts.weighting(rows, title_weight)
        assert counts.entries(rows, weighting).tolist() == np.diff(theirs.indptr).tolist()  # sklearn's
        assert weighting.width == ours.shape[1]
    assert counts.vectors(rows.iloc[:0], 1.0).shape[0] == 0


def test_group_sums_by_blocks_of_groups_are_one_products_bit_for_bit(monkeypatch) -> None:
    """The centroids summed a block of groups at a time equal membership x every row's vectors."""
    from mediaprov.narratives import articleterms

    articles, _ = random_corpus(6, n=120)
    articles = articles.assign(title=["" if k % 4 else "Title words" for k in range(len(articles))])
    counts = articleterms.TermCounts(articles)
    frame = articles.sort_values("article_id").reset_index(drop=True)
    rng = np.random.default_rng(5)
    positions = np.sort(rng.choice(len(frame), size=90, replace=False))  # the dated rows
    member_group = rng.integers(0, 17, size=90)
    member_group[member_group == 4] = 5  # a group with no member
    for title_weight in (0.0, 1.0):
        weighting = counts.weighting(frame, title_weight)
        unit = counts.vectors(frame, title_weight)
        in_group = sparse.csr_matrix((np.ones(90), (member_group, positions)), shape=(17, len(frame)))
        whole = in_group @ unit
        whole.sort_indices()
        for per_block in (1, 4, 10**6):
            monkeypatch.setattr(undated, "_MEMBERS_PER_BLOCK", per_block)
            blocked = undated._summed_vectors(counts, weighting, frame, positions, member_group, 17)
            assert blocked.shape == whole.shape
            for part in ("data", "indices", "indptr"):
                assert getattr(blocked, part).tolist() == getattr(whole, part).tolist(), (per_block, part)
            assert blocked.data.tobytes() == whole.data.tobytes()
    assert undated._summed_vectors(counts, weighting, frame, positions[:0], member_group[:0], 0).shape == (0, whole.shape[1])


def test_term_counts_merged_from_any_slices_are_the_whole_count() -> None:
    """Slices counted apart (each with its own vocabulary) and merged give the one matrix."""
    from mediaprov.narratives.articleterms import chunk_term_counts, merge_term_counts

    rng = random.Random(7)
    documents = [" ".join(rng.choice(WORDS[:30]) for _ in range(rng.randint(0, 12))) for _ in range(60)]
    whole = merge_term_counts([chunk_term_counts(documents, str.split)], rows=len(documents))
    assert whole.has_sorted_indices and whole.nnz > 100
    for cuts in ([], [1], [10, 11, 40], sorted(rng.sample(range(1, 60), 12))):
        edges = [0, *cuts, len(documents)]
        chunks = [chunk_term_counts(documents[a:b], str.split) for a, b in itertools.pairwise(edges)]
        merged = merge_term_counts(chunks, rows=len(documents))
        assert merged.shape == whole.shape
        for part in ("data", "indices", "indptr"):
            assert getattr(merged, part).tolist() == getattr(whole, part).tolist(), (cuts, part)
    assert merge_term_counts([], rows=3).shape == (3, 1)
    assert merge_term_counts([chunk_term_counts(["", ""], str.split)], rows=2).shape == (2, 1)


def test_entity_sets_from_codes_match_each_articles_mentions() -> None:
    from mediaprov.narratives.articleterms import entity_frame

    articles = pd.DataFrame({"article_id": ["c", "a", "b", "a"], "published": [None] * 4,
                             "text": ["z", "x", "y", "x again"]})
    mentions = pd.DataFrame({"article_id": ["a", "a", "c", "a", None, "ghost", "c"],
                             "entity_id": ["voss", "kade", "voss", "voss", "kade", "voss", None]})
    frame = entity_frame(articles, mentions)
    assert frame.article_id.tolist() == ["a", "b", "c"]  # one row per id, the first, by id
    assert frame.text.tolist() == ["x", "y", "z"]
    assert frame.entities.tolist()[0] == ("kade", "voss")  # distinct, sorted
    assert pd.isna(frame.entities.tolist()[1])
    assert frame.entities.tolist()[2] == ("voss",)
    coded = mentions.astype("category")  # as read_table(..., categorical=...) reads them
    pd.testing.assert_frame_equal(entity_frame(articles, coded), frame)
    unsorted = mentions.astype(pd.CategoricalDtype(["voss", "ghost", "kade", "c", "a"]))
    pd.testing.assert_frame_equal(entity_frame(articles, unsorted), frame)  # ids sorted all the same


@pytest.mark.parametrize("min_shared_entities", [0, 1, 2, 3])
def test_undated_blocks_change_nothing(min_shared_entities: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of undated articles and chunks of gathered centroid entries are speed settings only."""
    articles, mentions = random_corpus(5, n=200, undated=0.3)
    groups = nv.group_same_event(articles, mentions, attach_undated=False, min_similarity=0.3)
    dated = groups[groups.article_id.isin(articles.article_id[articles.published.notna()])]
    bound = {1: 20}.get(min_shared_entities, 6)  # a bound that binds (as in the brute-force test)
    default = nv.undated_matches(articles, mentions, dated, min_shared_entities=min_shared_entities,
                                 max_pair_groups=bound)
    monkeypatch.setattr(undated, "_DENSE_CELLS", 60)  # blocks of one to a few articles
    monkeypatch.setattr(undated, "_GATHERED_ENTRIES", 5)  # one candidate per chunk
    monkeypatch.setattr(undated, "_MEMBERS_PER_BLOCK", 3)  # centroids summed a few groups at a time
    small = nv.undated_matches(articles, mentions, dated, min_shared_entities=min_shared_entities,
                               max_pair_groups=bound)
    assert default.best_group.notna().sum() > 10  # there are matches to keep
    pd.testing.assert_frame_equal(default, small, check_exact=True)


@pytest.mark.parametrize("min_shared_entities", [0, 1, 2, 3])
def test_undated_match_on_threads_gives_the_table_of_one_thread(min_shared_entities: int,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks scored on several threads give the same table, bit for bit, in the same order."""
    articles, mentions = random_corpus(7, n=200, undated=0.3)
    groups = nv.group_same_event(articles, mentions, attach_undated=False, min_similarity=0.3)
    dated = groups[groups.article_id.isin(articles.article_id[articles.published.notna()])]
    bound = {1: 20}.get(min_shared_entities, 6)
    monkeypatch.setattr(undated, "_DENSE_CELLS", 60)  # many blocks of one to a few articles
    scored_on: set[int] = set()
    pair_similarity = undated._pair_similarity

    def recorded(*args):
        scored_on.add(threading.get_ident())
        time.sleep(0.002)  # leaves the next blocks to the other threads
        return pair_similarity(*args)

    monkeypatch.setattr(undated, "_pair_similarity", recorded)
    one = nv.undated_matches(articles, mentions, dated, min_shared_entities=min_shared_entities,
                             max_pair_groups=bound)
    assert scored_on == {threading.get_ident()}
    scored_on.clear()
    three = nv.undated_matches(articles, mentions, dated, min_shared_entities=min_shared_entities,
                               max_pair_groups=bound, threads=3)
    assert len(scored_on) > 1 and threading.get_ident() not in scored_on
    assert one.best_group.notna().sum() > 10
    pd.testing.assert_frame_equal(one, three, check_exact=True)


@pytest.mark.parametrize("width", [50, 10**6, 10**9])
def test_undated_blocks_fit_the_dense_cells_whatever_the_vocabulary(width: int) -> None:
    """Blocks cover every row once, in order; each fits rows x terms used (at most ``width``)."""
    terms_used = np.random.default_rng(1).integers(0, 120, size=500)
    blocks = list(undated._blocks(terms_used, width, 4_000, 40))
    assert [start for start, _ in blocks] == [0] + [stop for _, stop in blocks[:-1]]
    assert blocks[-1][1] == len(terms_used)
    for start, stop in blocks:
        assert 1 <= stop - start <= 40
        fits = (stop - start) * min(width, int(terms_used[start:stop].sum())) <= 4_000
        assert fits or stop - start == 1
        if stop < len(terms_used):  # the largest block that fits
            assert (stop + 1 - start) * min(width, int(terms_used[start:stop + 1].sum())) > 4_000 \
                or stop + 1 - start > 40
    if width >= 10**6:  # the vocabulary does not shrink the blocks
        assert blocks == list(undated._blocks(terms_used, 10**12, 4_000, 40))
        assert np.mean([stop - start for start, stop in blocks]) > 4


def test_undated_article_with_no_known_pair_of_entities_has_no_candidate() -> None:
    """A block of undated articles none of whose pairs a dated article holds (it used to crash)."""
    articles = pd.DataFrame({"article_id": ["a", "b", "u"], "outlet_id": ["x", "y", "z"],
                             "published": pd.to_datetime(["2024-01-05", "2024-01-05", None], utc=True),
                             "title": ["Dam flood", "Dam flood", "Vote count"],
                             "text": ["river dam flood town", "river dam flood town", "ballot vote count poll"]})
    mentions = pd.DataFrame({"article_id": ["a", "a", "b", "b", "u", "u"],
                             "entity_id": ["p1", "p2", "p1", "p2", "q1", "q2"]})
    groups = pd.DataFrame({"article_id": ["a", "b"], "event_group": ["g", "g"]})
    found = nv.undated_matches(articles, mentions, groups, min_shared_entities=2, max_entity_share=1.0)
    assert found.article_id.tolist() == ["u"]
    assert found.candidates.tolist() == [0] and not found.attached.any()
    assert found.best_group.isna().all() and found.shared_entities.tolist() == [""]


def test_incidence_marks_each_known_entity_of_each_set_once() -> None:
    rng = random.Random(11)
    pool = [f"e{k}" for k in range(12)]
    sets = [frozenset(rng.sample(pool, rng.randint(0, 6))) for _ in range(40)]
    index = {e: k for k, e in enumerate(sorted(pool[:8], reverse=True))}  # e8..e11 unknown
    matrix = eventsearch.incidence(sets, index)
    assert matrix.has_sorted_indices
    expected = np.array([[1.0 if e in items else 0.0 for e in sorted(index, key=index.get)] for items in sets])
    assert matrix.shape == (40, 8) and matrix.toarray().tolist() == expected.tolist()
    assert eventsearch.incidence([], index).shape == (0, 8)
    assert eventsearch.incidence([frozenset({"e11"})], index).nnz == 0


def brute_force_span_split(groups: dict[str, frozenset], links: pd.DataFrame, published: pd.Series, *,
                           day_penalty: float, min_similarity: float, max_span_days: float,
                           step: float = eventsearch.SPAN_STEP) -> dict[str, frozenset]:
    """The groups after :func:`eventsearch.split_long_components`, by filtering the list of every link.

    A group spanning more than ``max_span_days`` is replaced by the components of its own links
    that pass the next level, until no group spans more.
    """
    days = (published - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(days=1)
    scored = [(a, b, s - day_penalty * abs(days[b] - days[a]))
              for a, b, s in zip(links.article_a, links.article_b, links.similarity, strict=True)]

    def span(members: frozenset) -> float:
        times = [days[a] for a in members if a in days.index]
        return max(times) - min(times) if times else 0.0

    parts = set(groups.values())
    level = min_similarity
    while any(span(part) > max_span_days for part in parts):
        level = round(level + step, 10)
        for part in [p for p in parts if span(p) > max_span_days]:
            parts.remove(part)
            kept = pd.DataFrame([(a, b) for a, b, score in scored if a in part and b in part and score >= level],
                                columns=["article_a", "article_b"])
            parts |= set(_components_of(sorted(part), kept).values())
    return {a: part for part in parts for a in part}


def _groups_of(table: pd.DataFrame) -> dict[str, frozenset]:
    members = table.groupby("event_group").article_id.agg(frozenset)
    return {a: members[g] for a, g in zip(table.article_id, table.event_group, strict=True)}


@pytest.mark.parametrize("settings", SETTINGS)
@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("max_span_days", [1.5, 4.0])
@pytest.mark.parametrize("split_chains", [False, True])
def test_long_groups_are_linked_again_at_higher_levels(settings: dict, seed: int, max_span_days: float,
                                                       split_chains: bool, small_blocks: None) -> None:
    """``max_span_days``: every group spanning more is the components of its links one step higher, and so on."""
    articles, mentions = random_corpus(seed)
    groups = nv.group_same_event(articles, mentions, attach_undated=False, split_chains=split_chains,
                                 max_span_days=max_span_days, **settings)
    links = brute_force_links(articles, mentions, **settings)
    published = articles.set_index("article_id").published
    published = published[published.notna()]
    if split_chains:
        before = brute_force_chain_cuts(links, published, day_penalty=settings["day_penalty"],
                                        max_size=eventsearch.CHAIN_MAX_ARTICLES)
    else:
        before = _components_of(sorted(published.index), links)
    expected = brute_force_span_split(before, links, published, day_penalty=settings["day_penalty"],
                                      min_similarity=settings["min_similarity"], max_span_days=max_span_days)
    found = _groups_of(groups)
    for article in set(found) - set(expected):  # undated articles, alone
        expected[article] = frozenset({article})
    assert found == expected
    spans = (groups.assign(published=groups.article_id.map(published)).groupby("event_group").published
             .agg(lambda times: (times.max() - times.min()) / pd.Timedelta(days=1)))
    assert (spans.dropna() <= max_span_days).all()


def test_long_groups_are_split_in_the_random_corpora(small_blocks: None) -> None:
    """The comparison above is not vacuous: the corpora's ten days hold groups longer than the limits."""
    for settings, seed in itertools.product(SETTINGS, [1, 2]):
        articles, mentions = random_corpus(seed)
        whole = nv.group_same_event(articles, mentions, attach_undated=False, **settings)
        split = nv.group_same_event(articles, mentions, attach_undated=False, max_span_days=4.0, **settings)
        assert split.event_group.nunique() > whole.event_group.nunique(), settings


def test_a_span_no_group_reaches_changes_nothing(caplog: pytest.LogCaptureFixture) -> None:
    """Groups within the span keep every link: a limit above the corpus's ten days is no limit."""
    articles, mentions = random_corpus(3)
    whole = nv.group_same_event(articles, mentions, **nv.events.NEWS_SETTINGS | {"max_span_days": None})
    with caplog.at_level("INFO", logger="mediaprov.narratives.events"):
        limited = nv.group_same_event(articles, mentions, **nv.events.NEWS_SETTINGS | {"max_span_days": 10.0})
    pd.testing.assert_frame_equal(whole, limited)
    assert "linked again" not in caplog.text
    with caplog.at_level("INFO", logger="mediaprov.narratives.events"):
        nv.group_same_event(articles, mentions, **nv.events.NEWS_SETTINGS | {"max_span_days": 2.0})
    assert "chained articles more than 2 days apart" in caplog.text  # the level reached is said


def weeks_apart_corpus() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three fictional events 20 days apart (days 0-4, 20-24, 40-44), an article every other day.

    Between two events each article is worded half like each.
    """
    vocabularies = [[f"{w}{k}" for w in ("dam", "flood", "levee", "river", "sluice", "weir")] for k in range(3)]
    rows, mentions = [], []
    start = pd.Timestamp("2024-03-01", tz="UTC")
    for day in range(0, 45, 2):
        event = min(day // 20, 2)
        inside = day % 20 <= 4
        words = vocabularies[event] if inside else vocabularies[event][:3] + vocabularies[min(event + 1, 2)][:3]
        rows.append({"article_id": f"d{day:02d}", "published": start + pd.Timedelta(days=day),
                     "text": " ".join(words + [f"filler{day}"] * (1 if inside else 3)), "title": ""})
        mentions += [{"article_id": f"d{day:02d}", "entity_id": e} for e in ("voss", "kade")]
    return pd.DataFrame(rows), pd.DataFrame(mentions)


def test_events_weeks_apart_chained_by_single_links_are_parted() -> None:
    """At 0.2 the three events are one group; with a 10-day limit each event's articles are one group again."""
    articles, mentions = weeks_apart_corpus()
    settings = {"window_days": 3, "min_shared_entities": 2, "min_similarity": 0.2, "attach_undated": False}
    chained = nv.group_same_event(articles, mentions, **settings)
    assert chained.event_group.nunique() == 1
    parted = nv.group_same_event(articles, mentions, max_span_days=10, **settings).set_index("article_id")
    events = {frozenset(parted.index[parted.event_group == g]) for g in parted.event_group.unique()}
    for first in (0, 20, 40):
        assert frozenset(f"d{d:02d}" for d in range(first, first + 5, 2)) in events
    with pytest.raises(ValueError, match="max_span_days"):
        nv.group_same_event(articles, mentions, max_span_days=-1, **settings)


def test_the_stories_stage_warns_of_chained_event_groups_and_parts_them_when_asked(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """``add_event_groups`` (the ``stories`` stage) passes its limit on; without one it names the chains."""
    from mediaprov import narratives
    from mediaprov.story_events import add_event_groups

    seen: dict = {}
    group = narratives.group_same_event

    def spy(*args: object, **kwargs: object) -> pd.DataFrame:
        seen.update(kwargs)
        return group(*args, **kwargs)

    monkeypatch.setattr(narratives, "group_same_event", spy)
    articles, mentions = weeks_apart_corpus()
    stories = pd.DataFrame({"article_id": articles.article_id, "story_id": articles.article_id,
                            "joined_by": "alone"})
    with caplog.at_level("WARNING", logger="mediaprov.story_events"):
        chained = add_event_groups(stories, articles, mentions, min_similarity=0.0)
    assert seen["max_span_days"] is None and chained.event_group.nunique() == 1
    assert "1 group of dated articles is linked over more than 30 days (the largest: 23 articles over 44 days)" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="mediaprov.story_events"):
        parted = add_event_groups(stories, articles, mentions, min_similarity=0.0, max_span_days=30)
    assert seen["max_span_days"] == 30 and parted.event_group.nunique() > 1
    assert "linked over more than" not in caplog.text
