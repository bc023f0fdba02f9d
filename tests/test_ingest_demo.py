"""Ingestion of the demo corpus measured against its ground truth (targets of the ingestion issue)."""

from __future__ import annotations


import pandas as pd
import pytest

from mediaprov import paths
from mediaprov.evaluate import INGEST_TARGETS, ingest_scores, load_truth
from mediaprov.ingest.pipeline import ingest

DEMO = paths.PROJECT_ROOT / "data" / "raw" / "demo"


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory):
    if not (DEMO / "truth" / "documents.jsonl").exists():
        pytest.fail("the committed demo corpus is missing: run `mediaprov demo`")
    result = ingest(DEMO, out=tmp_path_factory.mktemp("demo"))
    return result, load_truth(DEMO)


@pytest.fixture(scope="module")
def scores(demo_run) -> pd.DataFrame:
    result, truth = demo_run
    return ingest_scores(result.articles, result.log, truth).set_index("measure")


@pytest.mark.parametrize("measure", sorted(INGEST_TARGETS))
def test_meets_target(scores, measure):
    row = scores.loc[measure]
    assert row.n > 0, f"{measure}: nothing to measure"
    assert row.value >= INGEST_TARGETS[measure], f"{measure}: {row.hits}/{row.n} = {row.value:.3f}"


def test_no_date_invented(scores):
    assert scores.loc["dates given where truth has none", "hits"] == 0


def test_counts_reconcile_and_every_file_is_in_the_log(demo_run):
    result, truth = demo_run
    log = result.log
    assert result.summary.reconciles()
    assert len(log) == len(truth)
    files = {p.relative_to(DEMO).as_posix() for p in DEMO.rglob("*") if p.is_file()
             and "truth" not in p.relative_to(DEMO).parts and p.name not in {"README.md", "MANIFEST.json"}}
    assert set(log.raw_path) == files


def test_at_least_1500_unique_articles_from_13_outlets(demo_run):
    result, _ = demo_run
    articles = result.articles
    assert len(articles) >= 1500
    assert articles.outlet_id.nunique() >= 12


def test_planted_template_lines_are_removed_from_clean_text(demo_run):
    """Issue 10: planted template lines and repeated body copies are blanked.

    Gallery, widget, newsletter, bio, licence, video and advertisement lines (precision >= 0.98,
    recall >= 0.95).
    """
    from mediaprov.evaluate import TEMPLATE_TARGETS, template_scores

    result, truth = demo_run
    table = template_scores(result.articles, truth).set_index("measure")
    for measure, target in TEMPLATE_TARGETS.items():
        assert table.loc[measure, "n"] > 1000, measure
        assert table.loc[measure, "value"] >= target, (measure, table.loc[measure, "value"])


def test_repeated_bodies_are_collapsed_and_flagged(demo_run):
    result, truth = demo_run
    arts = result.articles.merge(truth[["raw_path", "record", "body_copies", "body_paragraphs"]],
                                 on=["raw_path", "record"])
    repeated = arts[arts["body_copies_y"] > 1]
    assert len(repeated) >= 5
    assert (repeated["body_copies_x"] == repeated["body_copies_y"]).all()
    assert (arts.loc[arts["body_copies_y"] == 1, "body_copies_x"] == 1).all()
    for row in repeated.itertuples():
        first = row.body_paragraphs[1]
        assert row.clean_text.count(first) == 1, row.raw_path


def test_reused_text_survives_cleaning(demo_run):
    """Copies of press releases (the demo's wire copies) keep every body paragraph in clean_text."""
    result, truth = demo_run
    arts = result.articles.merge(truth[["raw_path", "record", "reuse_of", "body_paragraphs"]],
                                 on=["raw_path", "record"])
    copies = arts[arts["reuse_of"].notna()]
    assert len(copies) > 200
    for row in copies.itertuples():
        for paragraph in row.body_paragraphs:
            assert paragraph.removeprefix("++ ") in row.clean_text, (row.raw_path, paragraph[:50])
