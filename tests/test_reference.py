"""The reference layer and the any-corpus behaviour built on it (issue 9)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from mediaprov import reference, workflow
from mediaprov.cli import main
from mediaprov.passages import evidence, evidence_table
from mediaprov.ingest.pipeline import ingest

DEMO_ONLY = {"freedom-herald", "council-of-nations"}


def _fictional_corpus(root: Path, name: str) -> Path:
    """Three undated scrapes of a fictional outlet whose text holds demo-like words."""
    folder = root / "raw" / name
    folder.mkdir(parents=True)
    for i in range(3):
        (folder / f"a{i}.txt").write_text(
            f"Lantern Daily\n\nFerry council story {i}\n\nThe Freedom Herald reported that the CoN "
            f"met. \"Con ustedes we stand,\" said Mara Ellison, chair of harbour board number {i}.\n\n"
            f"Story {i} continues with different words about pier {i * 7} and lighthouse {i * 13}.\n",
            encoding="utf-8")
    return folder


def test_demo_pack_applies_only_to_demo_corpora() -> None:
    assert reference.applies("demo", "demo") and reference.applies("demo", "demo-100k")
    assert not reference.applies("demo", "allsides_iran")
    for table in ("outlets", "entities", "events"):
        real = reference.read(table, corpus="allsides_iran")
        assert "demo" not in set(real["pack"]), table
        assert len(reference.read(table, corpus="demo")) > len(real), table


def test_corpus_local_tables_add_and_override(tmp_path, monkeypatch) -> None:
    data = tmp_path / "data"
    (data / "reference" / "mycorpus").mkdir(parents=True)
    for name in ("outlets.csv", "entities.csv", "packs.csv", "boilerplate.csv"):
        (data / "reference" / name).write_bytes((reference.table_path("outlets").parent / name).read_bytes())
    (data / "reference" / "mycorpus" / "events.csv").write_text(
        "date,label,citation,event_id\n2020-01-02,Harbour vote,fictional,h1\n", encoding="utf-8")
    (data / "reference" / "mycorpus" / "outlets.csv").write_text(
        "outlet_id,name,camp,affiliation_citation\nbbc,BBC Renamed,x,my datasheet\nlantern,Lantern Daily,y,z\n",
        encoding="utf-8")
    monkeypatch.setenv("MEDIAPROV_DATA", str(data))
    events = reference.read("events", corpus="mycorpus")
    assert events["label"].tolist() == ["Harbour vote"]
    outlets = reference.read("outlets", corpus="mycorpus").set_index("outlet_id")
    assert outlets.loc["bbc", "name"] == "BBC Renamed" and outlets.loc["lantern", "camp"] == "y"
    assert list(outlets.index).count("bbc") == 1
    assert reference.read("events", corpus="other").empty


def test_malformed_reference_rows_name_file_and_line(tmp_path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("date,label\n2020-01-01,\n", encoding="utf-8")
    with pytest.raises(reference.ReferenceError, match=r"events.csv:2: empty 'label'"):
        reference.read("events", path=path)
    with pytest.raises(KeyError, match="no reference table"):
        reference.read("bogus")


def test_no_demo_outlet_entity_or_event_in_a_real_corpus_outputs(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MEDIAPROV_DATA", str(tmp_path))
    _fictional_corpus(tmp_path, "lantern")
    for command in (["ingest", str(tmp_path / "raw" / "lantern"), "--no-progress"],
                    ["features", str(tmp_path / "processed" / "lantern")],
                    ["reuse", str(tmp_path / "processed" / "lantern")],
                    ["stories", str(tmp_path / "processed" / "lantern")],
                    ["timelines", str(tmp_path / "processed" / "lantern")]):
        assert main(command) == 0, command
    folder = tmp_path / "processed" / "lantern"
    assert reference.corpus_of(folder) == "lantern"
    demo_ids = set(reference.read("outlets", corpus="demo").query("pack == 'demo'").outlet_id) | set(
        reference.read("entities", corpus="demo").query("pack == 'demo'").entity_id)
    demo_events = set(reference.read("events", corpus="demo").label)
    seen: set[str] = set()
    for path in sorted(folder.rglob("*.parquet")):
        table = pd.read_parquet(path)
        for column in table.columns:
            if table[column].dtype == object or str(table[column].dtype).startswith(("string", "str")):
                seen |= {str(v) for v in table[column].dropna()}
    assert not seen & demo_ids, seen & demo_ids
    assert not seen & demo_events
    assert pd.read_parquet(folder / "timelines" / "events.parquet").empty
    assert DEMO_ONLY <= demo_ids


def test_timelines_on_an_all_undated_corpus_reports_the_undated_count(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("MEDIAPROV_DATA", str(tmp_path))
    _fictional_corpus(tmp_path, "undated")
    folder = tmp_path / "processed" / "undated"
    assert main(["ingest", str(tmp_path / "raw" / "undated"), "--no-progress"]) == 0
    assert main(["stories", str(folder)]) == 0
    capsys.readouterr()
    assert main(["timelines", str(folder)]) == 0
    assert "undated articles (no trusted date" in capsys.readouterr().out
    movers = pd.read_parquet(folder / "timelines" / "first_movers.parquet")
    assert movers["first_published"].isna().all()


def test_source_fields_carry_a_corpus_rating_into_camps(tmp_path) -> None:
    feed = tmp_path / "ratings" / "feed.jsonl"
    feed.parent.mkdir()
    rows = [{"title": f"T{i}", "content_original": f"Body number {i} about the ferry and pier {i * 11}.",
             "source": outlet, "bias_text": rating, "ID": str(i), "date": f"2020-01-0{i + 1}"}
            for i, (outlet, rating) in enumerate([("Lantern Daily", "left"), ("Lantern Daily", "left"),
                                                  ("Harbour Wire", "right")])]
    feed.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = ingest(feed, out=tmp_path / "out", columns="allsides")
    articles = result.articles
    assert reference.corpus_of(tmp_path / "out") == "ratings"
    assert sorted(reference.source_field(articles, "bias_text")) == ["left", "left", "right"]
    outlets = reference.outlets_with_camps(articles, corpus="ratings", field="bias_text",
                                           citation="fictional ratings datasheet").set_index("outlet_id")
    lantern = [o for o in outlets.index if "lantern" in o][0]
    assert outlets.loc[lantern, "camp"] == "left"
    assert outlets.loc[lantern, "affiliation_citation"] == "fictional ratings datasheet"
    with pytest.raises(ValueError, match="need a citation"):
        reference.outlets_with_camps(articles, field="bias_text")
    mapped = ingest(feed, out=tmp_path / "out2", columns="title=title,text=content_original,outlet=source,camp=bias_text")
    assert set(reference.source_field(mapped.articles, "camp")) == {"left", "right"}


def test_evidence_works_on_reuse_rows_and_tables_without_spans() -> None:
    articles = pd.DataFrame({"article_id": ["a", "b"], "text": ["alpha beta gamma", "xx alpha beta yy"]})
    reuse = pd.DataFrame({"article_a": ["a"], "article_b": ["b"], "similarity": [0.9],
                          "passages": [[{"a_start": 0, "a_end": 10, "b_start": 3, "b_end": 13}]]})
    table = evidence_table(reuse, articles, context=2)
    assert table["span"].tolist() == ["alpha beta", "alpha beta"]
    assert table["side"].tolist() == ["a", "b"] and table["similarity"].tolist() == [0.9, 0.9]
    stories = pd.DataFrame({"article_id": ["b"], "story_id": ["s1"]})
    assert "[[xx alpha beta yy]]" in evidence(stories, articles)


def test_workflow_load_takes_one_table_name(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MEDIAPROV_DATA", str(tmp_path))
    _fictional_corpus(tmp_path, "single")
    tables = workflow.load("single", "articles")
    assert list(tables) == ["articles"] and len(tables["articles"]) >= 1


def test_workflow_rebuilds_from_the_path_ingest_recorded(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MEDIAPROV_DATA", str(tmp_path / "data"))
    source = _fictional_corpus(tmp_path, "elsewhere")
    assert main(["ingest", str(source), "--no-progress"]) == 0
    tables = workflow.load("elsewhere", ["articles", "mentions"], rebuild=True)
    assert len(tables["articles"]) >= 1
