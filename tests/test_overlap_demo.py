"""On the demo corpus, clustering outlets on shared sources recovers the planted camps.

The demo's ground truth is the registry's ``camp`` column for the outlets of the ``demo`` pack.
Former insiders are quoted by several camps on purpose; the camp signal is carried by each camp's
own spokespeople (quotes and embedded posts), while cited outlets and links are spread across
camps (checked below, so that a change in the generator that moves the signal shows up here).
"""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from mediaprov import overlap, paths


@pytest.fixture(scope="module")
def demo() -> dict[str, object]:
    if not paths.raw_dir("demo").is_dir() and not (paths.processed_dir("demo")
                                                   / "citations.parquet").exists():
        pytest.skip("demo corpus not generated: run `mediaprov demo`")
    from mediaprov import workflow
    from mediaprov.ingest.outlets import OutletRegistry

    tables = workflow.load("demo", ["articles", "citations", "quotes"])
    truth = overlap.camp_truth(OutletRegistry.load().table, pack="demo")
    return {**tables, "truth": truth}


def _ari(truth: pd.Series, found: pd.Series) -> float:
    known = found.index.intersection(truth.index)
    return adjusted_rand_score(truth.loc[known], found.loc[known])


@pytest.mark.parametrize("measure,weight", [("cosine", "share"), ("jaccard", "binary")])
def test_clustering_recovers_camps(demo, measure, weight):
    truth = demo["truth"]
    matrix = overlap.outlet_source_matrix(demo["citations"], demo["articles"], weight=weight,
                                          outlets=list(truth.index))
    assert set(matrix.index) == set(truth.index)
    similarity = overlap.outlet_similarity(matrix, measure=measure)
    found = overlap.cluster_outlets(similarity, k=truth.nunique()).as_series()
    assert _ari(truth, found) >= 0.9


def test_camp_signal_is_in_spokespeople_not_in_cited_outlets(demo):
    truth = demo["truth"]
    grid = overlap.sensitivity_grid(
        demo["citations"], demo["articles"], truth=truth, outlets=list(truth.index),
        kind_sets={"quoted": ["quoted"], "embedded_post": ["embedded_post"],
                   "cited_outlet": ["cited_outlet"]},
        measures=("cosine",), min_outlets=(2,), ks=(truth.nunique(),))
    score = grid.set_index("kinds").ari_truth
    assert score["quoted"] >= 0.9 and score["embedded_post"] >= 0.9
    assert score["cited_outlet"] < 0.5


def test_camps_are_stable_and_beyond_chance(demo):
    truth = demo["truth"]
    stability = overlap.bootstrap_stability(demo["citations"], demo["articles"],
                                            k=truth.nunique(), outlets=list(truth.index),
                                            n_boot=50, seed=0)
    assert stability.mean_ari >= 0.9
    matrix = overlap.outlet_source_matrix(demo["citations"], demo["articles"], weight="binary",
                                          outlets=list(truth.index))
    null = overlap.overlap_null_model(matrix, n_null=200, seed=0)
    same = null.outlet_a.map(truth) == null.outlet_b.map(truth)
    assert null.z[same].median() > 2.0 > null.z[~same].median()


def test_communities_on_jaccard_recover_camps(demo):
    truth = demo["truth"]
    matrix = overlap.outlet_source_matrix(demo["citations"], demo["articles"], weight="binary",
                                          outlets=list(truth.index))
    communities = overlap.detect_communities(overlap.outlet_similarity(matrix, measure="jaccard"),
                                             seed=0)
    assert _ari(truth, communities.set_index("outlet_id").community) >= 0.9


def test_evidence_for_a_camp_edge_points_at_spans(demo):
    evidence = overlap.overlap_evidence("orlet-tribune", "vna", demo["citations"], demo["quotes"],
                                        demo["articles"])
    assert len(evidence) > 0
    text = demo["articles"].set_index("article_id").text
    spanned = evidence[evidence.start.notna()]
    for row in spanned.head(200).itertuples():
        assert text[row.article_id][int(row.start):int(row.end)] == row.span_text
    quoted = evidence[evidence.kind == "quoted"]
    assert (quoted.quote_text == quoted.span_text).all()
