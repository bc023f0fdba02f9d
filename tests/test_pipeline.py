"""The ingest pipeline: every input accounted for, duplicates merged, atomic writes, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from mediaprov.cli import main
from mediaprov.ingest import parsing
from mediaprov.ingest.pipeline import ingest
from mediaprov.ingest.readers import IngestInputError

WORDS = ("council border vote rules orlet committee plan reading critics officials minister report "
         "meeting week draft region budget court appeal hearing press statement office delegates").split()


def _body(seed: int, words: int = 220) -> str:
    import random
    rng = random.Random(seed)
    sentences = [" ".join(rng.choice(WORDS) for _ in range(11)).capitalize() + "." for _ in range(words // 11)]
    return "\n\n".join(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "demo"  # fictional demo outlets: the demo pack applies to corpora named demo
    herald = root / "freedomherald.example"
    herald.mkdir(parents=True)
    (herald / "a.txt").write_text(f"Freedom Herald\n\nFirst Story\n\n{_body(1)}\n\nMay 5, 2022\n")
    (herald / "a_copy.txt").write_text(f"Freedom Herald\n\nFirst Story\n\n{_body(1)}\n\nMay 5, 2022\n")
    near = _body(1).replace("council", "councils", 1)
    (herald / "a_rescrape.txt").write_text(f"Home » News » First Story\n\nFirst Story\n\n{near}\n\nExit mobile version\n")
    (herald / "b.txt").write_text(f"Second Story\n\n{_body(2)}\n")
    # the same text by another outlet is reuse, not a duplicate
    other = root / "exilevoice.example"
    other.mkdir()
    (other / "copy.txt").write_text(f"First Story\n\n{_body(1)}\n\nSource » Freedom Herald\n")
    (root / "feed.jsonl").write_text(
        json.dumps({"title": "Feed story", "text": _body(3), "date": "9/6/17", "outlet": "Daily Meridian"}) + "\n"
        + "{not json\n"
        + json.dumps({"title": "Dated", "text": _body(4), "date": "2022-01-02T10:00:00Z", "outlet": "Some Unknown Daily"}) + "\n")
    bad = root / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.bin").write_bytes(b"\x00\x01\x02\xff" * 50)
    (bad / "chrome_only.txt").write_text("Exit mobile version\n\nYou may also like\n")
    (bad / "utf16.txt").write_bytes(f"Utf Story\n\n{_body(5)}".encode("utf-16"))
    return root


def test_every_input_is_accounted_for(corpus, tmp_path):
    result = ingest(corpus, out=tmp_path / "out")
    log, articles = result.log, result.articles
    summary = result.summary
    assert summary.reconciles() and summary.inputs == len(log)
    assert len(log) == summary.ingested + summary.duplicates + summary.quarantined
    assert set(log.loc[log.status == "ingested", "article_id"]) == set(articles.article_id)
    files = {p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file()}
    assert set(log.raw_path) == files
    quarantined = log[log.status == "quarantined"].set_index("raw_path")
    assert quarantined.reason.notna().all()
    assert "empty" in quarantined.loc["bad/empty.txt", "reason"]
    assert "binary" in quarantined.loc["bad/binary.bin", "reason"]
    assert "no body text" in quarantined.loc["bad/chrome_only.txt", "reason"]
    assert "invalid JSON" in quarantined.loc["feed.jsonl", "reason"]
    assert "bad/utf16.txt" in set(articles.raw_path)


def test_duplicates_merge_within_an_outlet_only(corpus, tmp_path):
    result = ingest(corpus, out=tmp_path / "out")
    log = result.log.set_index("raw_path")
    original = log.loc["freedomherald.example/a.txt", "article_id"]
    assert log.loc["freedomherald.example/a_copy.txt", "status"] == "duplicate"
    assert log.loc["freedomherald.example/a_copy.txt", "duplicate_of"] == original
    assert "exact" in log.loc["freedomherald.example/a_copy.txt", "reason"]
    assert log.loc["freedomherald.example/a_rescrape.txt", "status"] == "duplicate"
    assert "near" in log.loc["freedomherald.example/a_rescrape.txt", "reason"]
    assert log.loc["exilevoice.example/copy.txt", "status"] == "ingested"
    articles = result.articles.set_index("raw_path")
    assert articles.loc["exilevoice.example/copy.txt", "credited_source"] == "freedom-herald"


def test_structured_dates_flagged_and_unregistered_outlets_kept(corpus, tmp_path):
    articles = ingest(corpus, out=tmp_path / "out").articles
    feed = articles[articles.raw_path == "feed.jsonl"].set_index("record")
    assert pd.isna(feed.loc[0, "published"]) and feed.loc[0, "date_flag"].startswith("ambiguous")
    assert feed.loc[0, "outlet_id"] == "daily-meridian"
    assert feed.loc[2, "published"].isoformat() == "2022-01-02T10:00:00+00:00"
    assert feed.loc[2, "outlet_id"] == "unregistered:some-unknown-daily"


def test_ids_are_stable_across_runs(corpus, tmp_path):
    first = ingest(corpus, out=tmp_path / "one").articles
    second = ingest(corpus, out=tmp_path / "two").articles
    pd.testing.assert_frame_equal(first, second)
    manifest = json.loads((tmp_path / "one" / "ingest_manifest.json").read_text())
    assert manifest["outputs"] == json.loads((tmp_path / "two" / "ingest_manifest.json").read_text())["outputs"]


def test_a_failed_run_leaves_no_partial_tables(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    calls = {"n": 0}
    real = parsing.parse_record

    def exploding(record, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # an interruption is not a parse error: the run must abort
        return real(record, **kwargs)

    monkeypatch.setattr(parsing, "parse_record", exploding)
    with pytest.raises(KeyboardInterrupt):
        ingest(corpus, out=out)
    assert not any(out.glob("*.parquet")) and not any(out.glob(".*tmp"))


def test_parser_errors_quarantine_the_record(corpus, tmp_path, monkeypatch):
    def broken(record, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(parsing, "parse_record", broken)
    result = ingest(corpus, out=tmp_path / "out")
    log = result.log
    decodable = log[~log.raw_path.str.startswith("bad/") & (log.raw_path != "feed.jsonl")]
    assert (decodable.status == "quarantined").all()
    assert decodable.reason.str.contains("parser error: ValueError: boom").all()
    assert result.summary.reconciles()


def test_missing_path_and_unknown_format_are_clear_errors(tmp_path):
    with pytest.raises(IngestInputError, match="does not exist"):
        ingest(tmp_path / "nope")
    with pytest.raises(IngestInputError, match="one of text"):
        ingest(tmp_path, format="pdf")


def test_cli_contract(corpus, tmp_path, capsys):
    out = tmp_path / "cli"
    assert main(["ingest", str(corpus), "--out", str(out)]) == 0
    assert (out / "articles.parquet").exists() and (out / "ingest_log.parquet").exists()
    printed = capsys.readouterr().out
    assert "quarantined" in printed and "inputs" in printed
    assert main(["ingest", str(tmp_path / "missing")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "does not exist" in error
    assert main(["ingest", str(corpus), "--format", "docx"]) == 2
    assert main(["ingest", str(corpus), "--columns", "nosuchpreset"]) == 2


def test_allsides_corpus_is_fully_accounted_for(shared_corpus, tmp_path):
    path = shared_corpus("allsides_iran/articles.jsonl")
    result = ingest(path, out=tmp_path / "allsides", columns="allsides")
    log, articles = result.log, result.articles
    assert len(log) == 2714 and result.summary.reconciles()
    assert (log.status == "ingested").sum() + (log.status == "duplicate").sum() + (log.status == "quarantined").sum() == 2714
    flagged = articles[articles.date_flag.notna()]
    assert len(flagged) > 0 and articles.published.isna().sum() >= len(flagged)
    years = articles.published.dropna().dt.year
    assert years.between(1990, 2030).all()
    assert articles.outlet_id.notna().mean() > 0.99


def test_written_tables_get_ordinary_file_permissions(corpus, tmp_path):
    import os
    import stat

    umask = os.umask(0o022)
    try:
        out = ingest(corpus, out=tmp_path / "perm").out_dir
    finally:
        os.umask(umask)
    for name in ("articles.parquet", "ingest_log.parquet", "ingest_manifest.json"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o644, name


def test_skipped_entries_are_listed_and_outputs_named_after_the_resolved_folder(corpus, tmp_path,
                                                                                monkeypatch):
    (corpus / "README.md").write_text("about the fictional corpus")
    (corpus / ".cache").mkdir()
    result = ingest(corpus, out=tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "ingest_manifest.json").read_text())
    assert manifest["summary"]["skipped"] == {".cache/": "hidden entry", "README.md":
                                              "reference file (documents the corpus, not part of it)"}
    assert "skipped 2 entries that are not inputs" in result.summary.render()
    assert json.loads((tmp_path / "out" / "ingest_run.json").read_text())["stage"] == "ingest"
    from mediaprov.reference import corpus_name

    monkeypatch.chdir(corpus / "bad")
    assert corpus_name(Path("..")) == corpus.name  # `ingest ..` is named after the resolved folder
