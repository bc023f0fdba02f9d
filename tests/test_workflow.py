"""The stage DAG builds what is missing or outdated, in order."""

from __future__ import annotations

import logging
import os

import pandas as pd
import pytest

from mediaprov import workflow


@pytest.fixture()
def tiny_corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIAPROV_DATA", str(tmp_path))
    raw = tmp_path / "raw" / "demo-tiny"  # demo entities apply to corpora named demo*
    raw.mkdir(parents=True)
    (raw / "a.txt").write_text("Freedom Herald\n\nA Headline\n\nThe People's Union of Veskaria met in Orlet, "
                               "officials said on Tuesday.\n\nMay 5, 2022\n")
    return "demo-tiny"


def test_load_builds_missing_stages_in_order(tiny_corpus):
    tables = workflow.load(tiny_corpus, ["articles", "mentions"])
    assert len(tables["articles"]) == 1
    assert "puv" in set(tables["mentions"].entity_id)


def _mtimes(folder):
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.parquet")}


def test_changed_inputs_rerun_exactly_the_stages_downstream(tiny_corpus, tmp_path, monkeypatch):
    from mediaprov import provenance

    folder = workflow.build(tiny_corpus, ["stories"])
    assert set(provenance.read_records(folder)) == {"ingest", "features", "reuse", "stories"}
    assert not any(workflow.stale_stages(tiny_corpus).values())
    before = _mtimes(folder)
    workflow.build(tiny_corpus, ["stories"])  # nothing changed: nothing reruns
    assert _mtimes(folder) == before
    os.utime(folder / "articles.parquet")  # a touch is not a change: contents are compared
    before = _mtimes(folder)
    workflow.build(tiny_corpus, ["stories"])
    assert _mtimes(folder) == before

    # a reuse parameter reruns reuse and stories, not ingest or features
    workflow.build(tiny_corpus, ["stories"], parameters={"reuse": {"threshold": 0.5}})
    after = _mtimes(folder)
    assert after["mentions.parquet"] == before["mentions.parquet"]
    assert after["articles.parquet"] == before["articles.parquet"]
    assert after["reuse.parquet"] > before["reuse.parquet"]
    # stories read the reuse table's contents: one article shares text with none, so it is the same
    assert after["stories.parquet"] == before["stories.parquet"]
    assert workflow.stale_stages(tiny_corpus, parameters={"reuse": {"threshold": 0.5}})["reuse"] is None
    assert workflow.stale_stages(tiny_corpus)["reuse"] == "parameters changed"

    # a changed raw file reruns ingest, and everything downstream of a changed articles table
    raw = tmp_path / "raw" / tiny_corpus / "a.txt"
    raw.write_text(raw.read_text() + "\nA second paragraph, added later, about the harbour.\n")
    assert workflow.stale_stages(tiny_corpus)["ingest"] == "input raw changed"
    workflow.build(tiny_corpus, ["mentions"])
    again = _mtimes(folder)
    assert again["articles.parquet"] > after["articles.parquet"]
    assert again["mentions.parquet"] > after["mentions.parquet"]
    assert workflow.stale_stages(tiny_corpus, parameters={"reuse": {"threshold": 0.5}})["reuse"] == \
        "input articles changed"

    # a new package version reruns every stage
    monkeypatch.setattr(provenance, "__version__", "99.0")
    assert set(r for r in workflow.stale_stages(tiny_corpus).values()) == {"package version changed"}


SHARED = ("The People's Union of Veskaria met in Orlet on Tuesday, officials said, and the council "
          "agreed to reopen the river crossing at Kessa before the harvest, while the harbour "
          "workers asked for a written promise that the ferries would run every morning.")


@pytest.fixture()
def copied_corpus(tmp_path, monkeypatch):
    """Two outlets' articles sharing one long passage (Jaccard about 0.5), and a third apart."""
    monkeypatch.setenv("MEDIAPROV_DATA", str(tmp_path))
    raw = tmp_path / "raw" / "demo-copied"
    raw.mkdir(parents=True)
    (raw / "a.txt").write_text(f"Freedom Herald\n\nCrossing to reopen\n\n{SHARED}\n\nMay 5, 2022\n")
    (raw / "b.txt").write_text(f"Exile Voice Weekly\n\nKessa crossing\n\n{SHARED} The mayor of Kessa "
                               "thanked the volunteers who cleared the road after the floods of "
                               "March, and said the market would open on Saturday as usual.\n\n"
                               "May 6, 2022\n")
    (raw / "c.txt").write_text("PUV News\n\nBudget vote\n\nThe assembly voted on the budget late on "
                               "Thursday after a long debate about schools and roads.\n\nMay 7, 2022\n")
    return "demo-copied"


def test_load_with_stage_parameters_gives_the_tables_of_such_a_run(copied_corpus):
    folder = workflow.build(copied_corpus, ["reuse"])
    before = _mtimes(folder)
    assert len(workflow.load(copied_corpus, "reuse")["reuse"]) == 1  # the copied pair, at 0.15
    # the defaults, spelt out: the tables are current, nothing reruns
    workflow.load(copied_corpus, ["reuse"], parameters={"reuse": {"threshold": 0.15, "shingle": 5}})
    assert _mtimes(folder) == before
    tables = workflow.load(copied_corpus, ["reuse", "reuse_common_sources"],
                           parameters={"reuse": {"threshold": 0.95}})
    assert len(tables["reuse"]) == 0 and len(tables["reuse_common_sources"]) == 0  # a 0.95 run's
    after = _mtimes(folder)
    assert after["reuse.parquet"] > before["reuse.parquet"]
    assert after["articles.parquet"] == before["articles.parquet"]
    assert workflow.stale_stages(copied_corpus, parameters={"reuse": {"threshold": 0.95}})["reuse"] is None
    workflow.load(copied_corpus, ["reuse"], parameters={"reuse": {"threshold": 0.95}})  # once
    assert _mtimes(folder) == after


def test_current_tables_reads_only_what_a_current_run_with_those_settings_wrote(copied_corpus):
    from mediaprov.reuse import corpus_reuse, find_reuse

    assert workflow.current_tables(copied_corpus, "reuse") is None  # nothing built yet
    folder = workflow.build(copied_corpus, ["reuse"])
    before = _mtimes(folder)
    stored = workflow.current_tables(copied_corpus, ["reuse", "reuse_common_sources"],
                                     parameters={"reuse": {"threshold": 0.15}})
    assert stored is not None and len(stored["reuse"]) == 1
    # another threshold, or another shingle: not what the stage wrote
    assert workflow.current_tables(copied_corpus, "reuse", parameters={"reuse": {"threshold": 0.95}}) is None
    assert workflow.current_tables(copied_corpus, "reuse", parameters={"reuse": {"shingle": 4}}) is None
    # a parameter the caller does not name may be anything the last run used
    workflow.build(copied_corpus, ["reuse"], parameters={"reuse": {"window_days": 3.0}})
    stored = workflow.current_tables(copied_corpus, "reuse", parameters={"reuse": {"threshold": 0.15}})
    assert stored is not None
    before = _mtimes(folder)

    articles = workflow.load(copied_corpus, "articles")["articles"]
    from mediaprov.reuse import corpus as reuse_corpus

    def no_search(*args, **kwargs):
        raise AssertionError("the stage's tables were current: nothing to find")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reuse_corpus, "reuse_and_sources", no_search)
        reuse, common = corpus_reuse(copied_corpus, articles, threshold=0.15)  # read
    pd.testing.assert_frame_equal(reuse, stored["reuse"])
    assert len(common) == 1
    reuse, common = corpus_reuse(copied_corpus, articles, threshold=0.95)  # found in memory
    assert len(reuse) == 0 and len(common) == 0
    reuse, common = corpus_reuse(copied_corpus, articles, threshold=0.15, shingle=4)
    expected = find_reuse(articles, threshold=0.15, shingle=4)
    pd.testing.assert_frame_equal(reuse.drop(columns="passages"), expected.drop(columns="passages"))
    assert len(reuse) == 1 and common.explained.tolist() == [False]
    assert _mtimes(folder) == before  # the corpus's tables were not touched
    assert workflow.stale_stages(copied_corpus, parameters={"reuse": {"window_days": 3.0}})["reuse"] is None


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


def test_workers_do_not_change_provenance_or_tables(tiny_corpus, caplog):
    from mediaprov import provenance

    for stage in workflow.ORDER:
        assert not {"workers", "scheduler", "engine"} & set(workflow.resolved_parameters(stage))
    folder = workflow.build(tiny_corpus, ["reuse"])
    before = {name: (folder / name).read_bytes() for name in ("mentions.parquet", "reuse.parquet")}
    records = provenance.read_records(folder)
    workflow.build(tiny_corpus, ["reuse"], workers=1)  # current: nothing reruns, no cluster
    assert provenance.read_records(folder) == records
    pytest.importorskip("distributed", reason="needs the [parallel] extra")
    caplog.set_level(logging.INFO, logger="mediaprov.engine")
    workflow.build(tiny_corpus, ["reuse"], workers=1, rebuild=True)  # a 1-worker local cluster
    assert any("dashboard" in r.getMessage() and "http" in r.getMessage()
               for r in caplog.records)  # where to watch it (Dask's own line needs -v)
    stale = workflow.stale_stages(tiny_corpus)
    assert stale["features"] is None and stale["reuse"] is None, stale  # stories were never built
    assert {name: (folder / name).read_bytes() for name in before} == before


def test_raw_digest_stats_the_files_rglob_finds_and_changes_with_any_of_them(tmp_path):
    from pathlib import Path

    from mediaprov.provenance import _files_digest, raw_digest

    raw, elsewhere = tmp_path / "raw", tmp_path / "elsewhere"
    (raw / "a" / ".hidden").mkdir(parents=True)
    (raw / "a" / "x.html").write_text("1")
    (raw / "a" / ".hidden" / "y.txt").write_text("22")
    (raw / "é ü").mkdir()
    (raw / "é ü" / "z.jsonl").write_text("333")
    elsewhere.mkdir()
    (elsewhere / "w.txt").write_text("4444")
    os.symlink(elsewhere, raw / "linked-folder")  # not followed, as rglob does not
    os.symlink(raw / "a" / "x.html", raw / "linked-file")  # a file
    os.symlink(raw / "missing", raw / "broken-link")  # no file

    def as_rglob(source: Path) -> str:
        files = [(p.relative_to(source).as_posix(), p) for p in source.rglob("*") if p.is_file()]
        return _files_digest(files, contents=False)

    assert len([p for p in raw.rglob("*") if p.is_file()]) == 4
    before = raw_digest(raw)
    assert before == as_rglob(raw)
    (raw / "é ü" / "z.jsonl").write_text("3333")
    assert raw_digest(raw) != before
    assert raw_digest(raw) == as_rglob(raw)
    assert raw_digest(raw / "a" / "x.html") == _files_digest([("x.html", raw / "a" / "x.html")],
                                                            contents=False)
