"""The stage DAG builds what is missing or outdated, in order."""

from __future__ import annotations

import os

import pytest

from mediaprov import workflow


@pytest.fixture()
def tiny_corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIAPROV_DATA", str(tmp_path))
    raw = tmp_path / "raw" / "demo-tiny"
    raw.mkdir(parents=True)
    (raw / "a.txt").write_text("Freedom Herald\n\nA Headline\n\nThe People's Union of Veskaria met in Orlet, "
                               "officials said on Tuesday.\n\nMay 5, 2022\n")
    return "demo-tiny"  # demo names: the demo pack applies to demo corpora only


def test_load_builds_missing_stages_in_order(tiny_corpus):
    tables = workflow.load(tiny_corpus, ["articles", "mentions"])
    assert len(tables["articles"]) == 1
    assert "puv" in set(tables["mentions"].entity_id)


def test_outdated_outputs_are_rebuilt(tiny_corpus):
    folder = workflow.build(tiny_corpus, ["mentions"])
    mentions = folder / "mentions.parquet"
    before = mentions.stat().st_mtime
    os.utime(folder / "articles.parquet", (before + 10, before + 10))
    workflow.build(tiny_corpus, ["mentions"])
    assert mentions.stat().st_mtime > before


def test_missing_raw_corpus_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIAPROV_DATA", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="data/raw/nothing is missing"):
        workflow.load("nothing", ["articles"])
    with pytest.raises(KeyError, match="no stage writes"):
        workflow.stage_of("bogus")


def test_every_table_a_stage_writes_can_be_loaded(tiny_corpus):
    from mediaprov.schema import ALL

    for tables, _ in workflow.STAGES.values():
        assert set(tables) <= set(ALL), f"no schema for {set(tables) - set(ALL)}"
    loaded = workflow.load(tiny_corpus, ["reuse", "reuse_common_sources"])
    assert list(loaded["reuse_common_sources"].columns) == list(ALL["reuse_common_sources"].columns)
