"""Tests of mediaprov.overlap on small hand-built tables of fictional outlets and people."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from mediaprov import overlap
from mediaprov.schema import ARTICLES, CITATIONS, QUOTES, validate

# ---------------------------------------------------------------------------------------------
# fixtures: a tiny table computed by hand, and a seeded corpus with planted groups


def _tiny() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Outlets A (3 articles), B (2), C (1); sources x, y, z, and a self-credit of A."""
    articles = pd.DataFrame({"article_id": ["a1", "a2", "a3", "b1", "b2", "c1", "n1"],
                             "outlet_id": ["A", "A", "A", "B", "B", "C", None]})
    citations = pd.DataFrame({
        "article_id": ["a1", "a1", "a2", "a3", "b1", "b2", "b2", "c1", "a1", "n1", "b1"],
        "source_id": ["x", "x", "y", "A", "x", "y", "z", "z", "x", "x", "twitter"],
        "kind": ["quoted", "quoted", "quoted", "credited", "quoted", "quoted", "quoted",
                 "quoted", "cited_outlet", "quoted", "link"],
        "start": [0] * 11, "end": [1] * 11})
    return citations, articles


SPEAKERS = ("Orla Penwick", "Tamsin Greave", "Ludo Farrant", "Ines Morrow", "Casimir Holt",
            "Wren Adair", "Pell Hartigan", "Nell Ashgrove", "Bastian Crewe", "Odile Marsh",
            "Fenn Lockery", "Yvo Strand", "Maud Kettering", "Rhys Calder")


def _corpus(*, seed: int, planted: bool, groups: int = 3, per_group: int = 4,
            articles_per_outlet: int = 15) -> dict[str, pd.DataFrame]:
    """Articles with direct quotes of fictional speakers, and their quotes and citations.

    With ``planted``, each group of outlets quotes its own four speakers plus two speakers that
    every group quotes; without, every outlet draws from all speakers alike.
    """
    rng = np.random.default_rng(seed)
    common = [SPEAKERS[-2], SPEAKERS[-1]]
    own = {g: list(SPEAKERS[4 * g: 4 * g + 4]) for g in range(groups)}
    art_rows, quote_rows, cite_rows = [], [], []
    for g in range(groups):
        for o in range(per_group):
            outlet = f"gazette-{g}-{o}"
            for n in range(articles_per_outlet):
                pool = own[g] if planted else [s for s in SPEAKERS[: 4 * groups]]
                chosen = list(rng.choice(pool, size=2, replace=False))
                if rng.random() < 0.5:
                    chosen.append(common[int(rng.integers(0, 2))])
                article_id = f"{outlet}-{n:02d}"
                text = f"Harbour news from Quillon, item {n}. "
                for speaker in chosen:
                    words = f"The ferry at Quillon ran {int(rng.integers(2, 90))} minutes late"
                    start = len(text) + 1
                    text += f'"{words}," said {speaker}. '
                    speaker_id = speaker.lower().replace(" ", "-")
                    quote_rows.append((article_id, words, start, start + len(words), speaker,
                                       speaker_id, "said", "direct"))
                    cite_rows.append((article_id, speaker_id, "quoted", start, start + len(words)))
                art_rows.append((article_id, outlet, text))
    articles = pd.DataFrame(art_rows, columns=["article_id", "outlet_id", "text"])
    quotes = pd.DataFrame(quote_rows,
                          columns=[c for c in QUOTES.columns if c not in QUOTES.optional])
    citations = pd.DataFrame(cite_rows, columns=list(CITATIONS.columns))
    truth = pd.Series({f"gazette-{g}-{o}": f"group-{g}" for g in range(groups)
                       for o in range(per_group)}).sort_index()
    return {"articles": articles, "quotes": validate(quotes, QUOTES),
            "citations": validate(citations, CITATIONS), "truth": truth}


# ---------------------------------------------------------------------------------------------
# matrices


def test_matrix_weights_by_hand():
    citations, articles = _tiny()
    kinds = ["quoted", "cited_outlet", "credited"]
    count = overlap.outlet_source_matrix(citations, articles, kinds=kinds, weight="count")
    # A: x quoted twice + cited once in a1, y once in a2; the self-credit of A is dropped.
    assert list(count.index) == ["A", "B", "C"] and list(count.columns) == ["x", "y", "z"]
    assert count.loc["A"].tolist() == [3.0, 1.0, 0.0]
    assert count.loc["B"].tolist() == [1.0, 1.0, 1.0]
    in_articles = overlap.outlet_source_matrix(citations, articles, kinds=kinds, weight="articles")
    assert in_articles.loc["A"].tolist() == [1.0, 1.0, 0.0]
    share = overlap.outlet_source_matrix(citations, articles, kinds=kinds, weight="share")
    assert share.loc["A"].tolist() == pytest.approx([1 / 3, 1 / 3, 0.0])
    assert share.loc["B"].tolist() == pytest.approx([0.5, 0.5, 0.5])
    binary = overlap.outlet_source_matrix(citations, articles, kinds=kinds, weight="binary")
    assert binary.loc["C"].tolist() == [0.0, 0.0, 1.0]


def test_matrix_filters_and_kinds():
    citations, articles = _tiny()
    kept = overlap.outlet_source_matrix(citations, articles, kinds=["quoted"], min_articles=2)
    assert list(kept.index) == ["A", "B"]  # C has one article
    assert list(kept.columns) == ["x", "y", "z"]  # z still cited by B
    common = overlap.outlet_source_matrix(citations, articles, kinds=["quoted"], min_outlets=2)
    assert list(common.columns) == ["x", "y", "z"]
    common = overlap.outlet_source_matrix(citations, articles, kinds=["quoted"], min_articles=2,
                                          min_outlets=2)
    assert list(common.columns) == ["x", "y"]
    links = overlap.outlet_source_matrix(citations, articles, kinds=["link"])
    assert list(links.columns) == ["twitter"] and links.loc["A", "twitter"] == 0.0
    with_self = overlap.outlet_source_matrix(citations, articles, kinds=["credited"],
                                             drop_self=False, weight="count")
    assert with_self.loc["A", "A"] == 1.0
    only = overlap.outlet_source_matrix(citations, articles, kinds=["quoted"], outlets=["B", "C"])
    assert list(only.index) == ["B", "C"]


def test_matrix_rejects_bad_input():
    citations, articles = _tiny()
    with pytest.raises(ValueError, match="unknown citation kinds"):
        overlap.outlet_source_matrix(citations, articles, kinds=["rumour"])
    with pytest.raises(ValueError, match="weight"):
        overlap.outlet_source_matrix(citations, articles, weight="tfidf")
    with pytest.raises(ValueError, match="lacks columns"):
        overlap.outlet_source_matrix(citations.drop(columns="kind"), articles)


# ---------------------------------------------------------------------------------------------
# similarity


def test_similarity_values_by_hand():
    matrix = pd.DataFrame([[1.0, 2.0, 0.0], [1.0, 0.0, 3.0], [0.0, 0.0, 0.0]],
                          index=["A", "B", "C"], columns=["x", "y", "z"])
    jaccard = overlap.jaccard_similarity(matrix)
    assert jaccard.loc["A", "B"] == pytest.approx(1 / 3)  # share x; union x, y, z
    assert jaccard.loc["A", "C"] == 0.0 and jaccard.loc["C", "C"] == 1.0
    cosine = overlap.cosine_similarity(matrix)
    assert cosine.loc["A", "B"] == pytest.approx(1 / (np.sqrt(5) * np.sqrt(10)))
    assert cosine.loc["B", "A"] == cosine.loc["A", "B"]
    assert cosine.loc["A", "C"] == 0.0
    pairs = overlap.similarity_pairs(cosine)
    assert pairs.iloc[0][["outlet_a", "outlet_b"]].tolist() == ["A", "B"]
    assert len(pairs) == 3
    with pytest.raises(ValueError, match="measure"):
        overlap.outlet_similarity(matrix, measure="euclid")


# ---------------------------------------------------------------------------------------------
# clustering and communities


@pytest.mark.parametrize("measure,weight", [("cosine", "share"), ("jaccard", "binary")])
def test_clustering_recovers_planted_groups(measure, weight):
    corpus = _corpus(seed=3, planted=True)
    matrix = overlap.outlet_source_matrix(corpus["citations"], corpus["articles"], weight=weight)
    clustering = overlap.cluster_outlets(overlap.outlet_similarity(matrix, measure=measure), k=3)
    found = clustering.as_series()
    assert adjusted_rand_score(corpus["truth"].loc[found.index], found) == 1.0
    assert clustering.linkage.shape == (11, 4)
    assert sorted(clustering.order) == sorted(found.index)
    # dendrogram order keeps each group together
    groups = [corpus["truth"][o] for o in clustering.order]
    assert sum(a != b for a, b in zip(groups, groups[1:], strict=False)) == 2


def test_clustering_of_random_sources_does_not_recover_groups():
    corpus = _corpus(seed=3, planted=False)
    matrix = overlap.outlet_source_matrix(corpus["citations"], corpus["articles"])
    found = overlap.cluster_outlets(overlap.outlet_similarity(matrix), k=3).as_series()
    assert adjusted_rand_score(corpus["truth"].loc[found.index], found) < 0.5


def test_communities_recover_planted_groups():
    corpus = _corpus(seed=5, planted=True)
    similarity = overlap.outlet_similarity(
        overlap.outlet_source_matrix(corpus["citations"], corpus["articles"]))
    for method in ("louvain", "greedy"):
        found = overlap.detect_communities(similarity, method=method, seed=1)
        found = found.set_index("outlet_id").community
        assert adjusted_rand_score(corpus["truth"].loc[found.index], found) == 1.0
    graph = overlap.outlet_network(similarity, threshold=0.99)
    assert graph.number_of_nodes() == 12 and graph.number_of_edges() == 0


# ---------------------------------------------------------------------------------------------
# stability


def test_bootstrap_stability_near_one_for_clean_clusters():
    corpus = _corpus(seed=7, planted=True)
    result = overlap.bootstrap_stability(corpus["citations"], corpus["articles"], k=3, n_boot=30,
                                         seed=2)
    assert result.mean_ari > 0.95
    assert (result.outlets.stability > 0.9).all()
    assert (result.outlets.confusion < 0.1).all()
    rates = result.coassignment.to_numpy()
    assert np.allclose(rates, rates.T) and np.allclose(np.diag(rates), 1.0)
    again = overlap.bootstrap_stability(corpus["citations"], corpus["articles"], k=3, n_boot=30,
                                        seed=2)
    assert np.array_equal(result.ari, again.ari)


def test_bootstrap_stability_low_for_random_sources():
    corpus = _corpus(seed=7, planted=False)
    result = overlap.bootstrap_stability(corpus["citations"], corpus["articles"], k=3, n_boot=30,
                                         seed=2)
    assert result.mean_ari < 0.6


# ---------------------------------------------------------------------------------------------
# null model


def test_curveball_keeps_margins_and_mixes():
    rng = np.random.default_rng(0)
    presence = (rng.random((8, 12)) < 0.4).astype(int)
    shuffled = overlap.curveball(presence, n_trades=200, rng=np.random.default_rng(1))
    assert (shuffled.sum(axis=0) == presence.sum(axis=0)).all()
    assert (shuffled.sum(axis=1) == presence.sum(axis=1)).all()
    assert not np.array_equal(shuffled, presence)


def test_null_model_high_z_for_planted_overlap():
    corpus = _corpus(seed=11, planted=True)
    matrix = overlap.outlet_source_matrix(corpus["citations"], corpus["articles"],
                                          weight="binary")
    table = overlap.overlap_null_model(matrix, n_null=200, seed=4)
    assert len(table) == 66
    truth = corpus["truth"]
    same = table.outlet_a.map(truth) == table.outlet_b.map(truth)
    assert table.z[same].min() > 2.0
    assert table.p_value[same].max() < 0.05
    assert table.z[~same].max() < 0
    assert (table.outlet_a < table.outlet_b).all()


def test_null_model_z_near_zero_for_random_sources():
    # sources spread at random over outlets: no pair should stand out from the null
    rng = np.random.default_rng(0)
    presence = (rng.random((12, 30)) < 0.3).astype(float)
    matrix = pd.DataFrame(presence, index=[f"courier-{i:02d}" for i in range(12)])
    table = overlap.overlap_null_model(matrix, n_null=200, seed=4)
    assert np.isfinite(table.z).all()
    assert abs(table.z.mean()) < 0.2
    assert table.z.abs().max() < 3.5
    assert (table.p_value < 0.05).mean() < 0.1  # about the nominal rate, far below planted


def test_null_model_is_deterministic_and_sorted():
    corpus = _corpus(seed=2, planted=True, groups=2, per_group=3)
    matrix = overlap.outlet_source_matrix(corpus["citations"], corpus["articles"])
    first = overlap.overlap_null_model(matrix, n_null=50, seed=9)
    second = overlap.overlap_null_model(matrix, n_null=50, seed=9)
    pd.testing.assert_frame_equal(first, second)
    assert first.z.is_monotonic_decreasing
    with pytest.raises(ValueError, match="n_null"):
        overlap.overlap_null_model(matrix, n_null=1)


# ---------------------------------------------------------------------------------------------
# sensitivity grid


def test_sensitivity_grid_is_tidy_and_scores_truth():
    corpus = _corpus(seed=3, planted=True)
    grid = overlap.sensitivity_grid(corpus["citations"], corpus["articles"],
                                    kind_sets={"quoted": ["quoted"], "links": ["link"]},
                                    min_outlets=(1, 5), ks=(2, 3), truth=corpus["truth"])
    assert len(grid) == 2 * 2 * 2 * 2
    assert list(grid.columns) == ["kinds", "measure", "min_outlets", "k", "n_outlets",
                                  "n_sources", "n_clusters", "ari_baseline", "ari_truth",
                                  "clusters"]
    quoted3 = grid[(grid.kinds == "quoted") & (grid.k == 3) & (grid.min_outlets == 1)]
    assert (quoted3.ari_truth == 1.0).all()
    # the common speakers are quoted by every group; min_outlets=5 keeps only them
    common5 = grid[(grid.kinds == "quoted") & (grid.min_outlets == 5)]
    assert (common5.n_sources == 2).all()
    links = grid[grid.kinds == "links"]  # no links in this corpus: rows that say so
    assert (links.n_sources == 0).all() and links.ari_truth.isna().all()
    assert (links.n_clusters == 0).all()


# ---------------------------------------------------------------------------------------------
# evidence


def test_evidence_rows_point_at_real_spans():
    corpus = _corpus(seed=3, planted=True)
    articles, quotes, citations = corpus["articles"], corpus["quotes"], corpus["citations"]
    evidence = overlap.overlap_evidence("gazette-0-0", "gazette-0-1", citations, quotes, articles)
    assert list(evidence.columns) == list(overlap.EVIDENCE_COLUMNS)
    assert len(evidence) > 0
    text = articles.set_index("article_id").text
    for row in evidence.itertuples():
        assert text[row.article_id][row.start:row.end] == row.span_text == row.quote_text
        assert row.speaker.lower().replace(" ", "-") == row.source_id
    owners = articles.set_index("article_id").outlet_id
    assert set(owners[evidence.article_id]) == {"gazette-0-0", "gazette-0-1"}
    by_outlet = {o: set(g.source_id) for o, g in evidence.groupby("outlet_id")}
    assert by_outlet["gazette-0-0"] == by_outlet["gazette-0-1"]  # only shared sources
    # every shared source is there: compare with the binary matrix
    matrix = overlap.outlet_source_matrix(citations, articles, weight="binary")
    shared = matrix.columns[(matrix.loc["gazette-0-0"] > 0) & (matrix.loc["gazette-0-1"] > 0)]
    assert set(evidence.source_id) == set(shared)


def test_evidence_across_groups_only_common_speakers():
    corpus = _corpus(seed=3, planted=True)
    evidence = overlap.overlap_evidence("gazette-0-0", "gazette-2-3", corpus["citations"],
                                        corpus["quotes"], corpus["articles"])
    assert set(evidence.source_id) <= {"maud-kettering", "rhys-calder"}
    none = overlap.overlap_evidence("gazette-0-0", "no-such-outlet", corpus["citations"],
                                    corpus["quotes"], corpus["articles"])
    assert none.empty and list(none.columns) == list(overlap.EVIDENCE_COLUMNS)


def test_evidence_without_span_has_empty_text():
    articles = pd.DataFrame({"article_id": ["a", "b"], "outlet_id": ["A", "B"],
                             "text": ["Courtesy of the Lantern Wire.", "From the Lantern Wire."]})
    citations = pd.DataFrame({"article_id": ["a", "b"], "source_id": ["lantern", "lantern"],
                              "kind": ["credited", "cited_outlet"], "start": [0, pd.NA],
                              "end": [29, pd.NA]})
    evidence = overlap.overlap_evidence("A", "B", validate(citations, CITATIONS),
                                        QUOTES.empty(), articles)
    assert evidence.span_text.tolist() == ["Courtesy of the Lantern Wire.", ""]
    assert evidence.quote_text.isna().all()


def test_camp_truth_reads_one_pack():
    registry = pd.DataFrame({"outlet_id": ["b", "a", "c"], "camp": ["north", "south", ""],
                             "pack": ["demo", "demo", "demo"]})
    assert overlap.camp_truth(registry, pack="demo").to_dict() == {"a": "south", "b": "north"}
    assert overlap.camp_truth(registry, pack="other").empty


def test_articles_schema_columns_are_accepted():
    corpus = _corpus(seed=1, planted=True, groups=2, per_group=2, articles_per_outlet=3)
    full = ARTICLES.empty().reindex(range(len(corpus["articles"])))
    for column in ("article_id", "outlet_id", "text"):
        full[column] = corpus["articles"][column].to_numpy()
    full["raw_path"], full["raw_sha256"] = "x.txt", "0" * 64
    full = validate(full, ARTICLES)
    matrix = overlap.outlet_source_matrix(corpus["citations"], full)
    assert matrix.shape[0] == 4
    evidence = overlap.overlap_evidence("gazette-0-0", "gazette-0-1", corpus["citations"],
                                        corpus["quotes"], full)
    assert evidence.published.isna().all()


def test_choose_k_uses_the_data_alone_and_q_values_adjust_for_many_pairs() -> None:
    blocks = np.kron(np.eye(3), np.ones((3, 3))) * 0.8 + 0.1
    np.fill_diagonal(blocks, 1.0)
    names = [f"o{i}" for i in range(9)]
    similarity = pd.DataFrame(blocks, index=names, columns=names)
    k, table = overlap.choose_k(similarity, ks=range(2, 7))
    assert k == 3 and table.set_index("k").silhouette.idxmax() == 3
    assert overlap.choose_k(similarity.iloc[:2, :2])[0] == 1  # too few outlets to choose
    matrix = pd.DataFrame(np.kron(np.eye(3), np.ones((3, 4))), index=names)
    null = overlap.overlap_null_model(matrix, n_null=60, seed=1)
    assert (null.q_value >= null.p_value - 1e-12).all() and (null.q_value <= 1).all()
