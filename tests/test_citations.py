"""Tests of mediaprov.citations, mediaprov.passages and the features orchestration.

All names, outlets and domains are fictional.
"""

from __future__ import annotations

import pandas as pd
import pytest

from mediaprov.citations import OutletIndex, citations_in_text, citations_table, source_cues
from mediaprov.entities import Gazetteer, load_entities
from mediaprov.passages import evidence, evidence_table
from mediaprov.features import extract_features, run_features
from mediaprov.io import read_table, write_table
from mediaprov.quotes import quotes_in_text
from mediaprov.schema import ARTICLES, CITATIONS, EMBEDS, MENTIONS, QUOTES

OUTLETS = pd.DataFrame({
    "outlet_id": ["harbor-ledger", "tlf-site", "vidtube", "north-wire"],
    "name": ["Harbor Ledger", "TLF Online", "VidTube", "North Wire"],
    "aliases": ["The Harbor Ledger|HarborLedger", "tlf-online|TLF website", "", "NW"],
    "domains": ["harborledger.example", "tlf-online.example", "vidtube.example",
                "northwire.example"],
    "kind": ["news", "party-site", "platform", "agency"],
})
ENTITIES = Gazetteer.build([("ivo-rask", "person", "Ivo Rask", []),
                            ("nela-brun", "person", "Nela Brun", [])])


def _citations(text: str, **kwargs) -> list[tuple]:
    quotes, embeds = quotes_in_text(text, ENTITIES)
    rows = citations_in_text("a", text, OutletIndex.from_table(OUTLETS), quotes=quotes,
                             embeds=embeds, **kwargs)
    return [(r[1], r[2], text[r[3]:r[4]] if r[3] is not None else None) for r in rows]


def test_news_outlets_are_cited_wherever_named() -> None:
    found = _citations("The claims appeared in The Harbor Ledger and on VidTube.")
    assert found == [("harbor-ledger", "cited_outlet", "The Harbor Ledger"),
                     ("vidtube", "cited_outlet", "VidTube")]


def test_actor_outlets_need_a_publishing_cue() -> None:
    assert _citations("Members of TLF Online met in the square.") == []
    assert _citations("An article by TLF Online said the opposite.") == [
        ("tlf-site", "cited_outlet", "TLF Online")]


def test_own_outlet_is_not_a_citation() -> None:
    assert _citations("The Harbor Ledger reports.", own_outlet="harbor-ledger") == []


def test_credit_line_in_text_resolves_alias_or_domain_stem() -> None:
    assert _citations("Body text.\n\nSource » tlf-online") == [
        ("tlf-site", "credited", "Source » tlf-online")]
    assert _citations("Body text.\n\nSource: HarborLedger") == [
        ("harbor-ledger", "credited", "Source: HarborLedger")]


def test_credited_source_from_ingestion_keeps_a_span_when_the_line_is_there() -> None:
    assert _citations("Body.\nSource » NW", credited_source="north-wire",
                      credit_line="Source » NW") == [("north-wire", "credited", "Source » NW")]
    assert _citations("Body only.", credited_source="north-wire",
                      credit_line="Source » NW") == [("north-wire", "credited", None)]


def test_links_resolve_domains_and_keep_unknown_ones() -> None:
    found = _citations("See https://www.harborledger.example/a/1 and blog.unknown.org/x.")
    assert found == [("harbor-ledger", "link", "https://www.harborledger.example/a/1"),
                     ("blog.unknown.org", "link", "blog.unknown.org/x")]


def test_handles_are_links_outside_embedded_posts() -> None:
    text = ("Follow @ValleyNews for more.\n\nThe pass is closed\n\n"
            "— Nela Brun (@NelaBrun) May 2, 2021")
    found = _citations(text)
    assert ("@ValleyNews", "link", "@ValleyNews") in found
    assert not any(source == "@NelaBrun" for source, _, _ in found)
    assert ("nela-brun", "embedded_post", "The pass is closed") in found


def test_quoted_speakers_are_cited_with_the_quote_span() -> None:
    found = _citations("Ivo Rask told North Wire: “The pass is closed for the winter.”")
    assert ("ivo-rask", "quoted", "The pass is closed for the winter.") in found
    assert ("north-wire", "cited_outlet", "North Wire") in found


def test_citations_table_validates_and_sorts() -> None:
    table = citations_table([("b", "x", "link", 5, 9), ("a", "y", "credited", None, None),
                             ("a", "z", "quoted", 1, 4)])
    assert list(table.columns) == list(CITATIONS.columns)
    assert table.source_id.tolist() == ["z", "y", "x"]


def test_evidence_marks_spans_in_context() -> None:
    articles = pd.DataFrame({"article_id": ["a"], "text": ["one two\nthree four five"]})
    rows = pd.DataFrame({"article_id": ["a", "a", "zz"], "start": [8, None, 0],
                         "end": [13, None, 1]}).astype({"start": "Int64", "end": "Int64"})
    table = evidence_table(rows, articles, context=4)
    assert table.passage.tolist()[0] == "…two⏎[[three]] fou…"
    assert "no span" in table.passage.tolist()[1]
    assert "not in the articles table" in table.passage.tolist()[2]
    assert evidence(rows.head(1), articles, context=4) == "a [8:13]  …two⏎[[three]] fou…"
    assert evidence(pd.DataFrame({"article_id": ["a"]}), articles).startswith("a [0:23]  [[one two")
    with pytest.raises(ValueError, match="name no article"):
        evidence(pd.DataFrame({"x": [1]}), articles)


def test_extract_features_validates_every_table() -> None:
    articles = pd.DataFrame({
        "article_id": ["a"], "outlet_id": ["harbor-ledger"],
        "text": ["Ivo Rask said, “We stay.” It was a “trap”, North Wire reported."],
    })
    features = extract_features(articles, entities=ENTITIES, outlets=OUTLETS)
    for table, schema in ((features.mentions, MENTIONS), (features.quotes, QUOTES),
                          (features.citations, CITATIONS), (features.embeds, EMBEDS),
                          (features.ambiguous, MENTIONS)):
        assert list(table.columns) == list(schema.columns)
    assert features.quotes.kind.tolist() == ["direct", "scare"]
    assert sorted(features.citations.source_id) == ["ivo-rask", "north-wire"]
    with pytest.raises(ValueError, match="lacks columns"):
        extract_features(pd.DataFrame({"id": [1]}), entities=ENTITIES, outlets=OUTLETS)


def test_run_features_writes_tables_that_read_back_identically(tmp_path) -> None:
    folder = tmp_path / "demo"  # fictional demo entities: their pack applies to the demo corpus only
    folder.mkdir()
    table = ARTICLES.empty()
    table.loc[0, ["article_id", "text", "raw_path", "raw_sha256"]] = [
        "a1", "Petra Halloran told Global Wire Service: “We were told to wait.”", "x.txt", "0"]
    table.loc[1, ["article_id", "text", "raw_path", "raw_sha256"]] = [
        "a2", "The People's Union of Veskaria (PUV) met. Critics call it a “sect”.", "y.txt", "1"]
    write_table(table, folder / "articles.parquet", ARTICLES)
    written = run_features(folder)
    first = {name: path.read_bytes() for name, path in written.items()}
    assert set(written) == {"mentions", "quotes", "citations", "ambiguous"}
    assert not (folder / "embeds.parquet").exists()  # embedded posts are ingestion's table
    mentions = read_table(written["mentions"], MENTIONS)
    curated = mentions[~mentions.method.str.startswith("discovered")]
    assert curated.entity_id.tolist() == ["petra-halloran", "puv", "puv"]
    quotes = read_table(written["quotes"], QUOTES)
    assert quotes.kind.tolist() == ["direct", "scare"]
    again = run_features(folder, entities_path=None)
    assert {name: path.read_bytes() for name, path in again.items()} == first
    assert set(load_entities().entity_id) >= {"petra-halloran", "puv"}
    write_table(table, tmp_path / "articles.parquet", ARTICLES)
    elsewhere = run_features(tmp_path)  # a corpus of another name: demo names are discovered
    mentions = read_table(elsewhere["mentions"], MENTIONS)
    assert not mentions.entity_id.isin(["petra-halloran", "puv"]).any()
    assert "name:petra-halloran" in set(mentions.entity_id)


def _sources(texts: list[str]) -> pd.DataFrame:
    articles = pd.DataFrame({"article_id": [f"a{k}" for k in range(len(texts))], "text": texts})
    features = extract_features(articles, entities=ENTITIES, outlets=OUTLETS)
    return features.citations[features.citations.kind == "cited_outlet"]


def test_news_sources_beyond_the_registry_are_cited_from_their_cues() -> None:
    texts = ["OSTREL (Kestrel Wire) - Talks ended, according to the Vell Gazette.",
             "The deal was first reported by Kestrel Wire, officials told the Vell Gazette.",
             "Later, Kestrel Wire reported that talks resumed. The Gazette said more.",
             "Brask Radio, citing nobody, aired it. It appeared in the Harbor Ledger."]
    cited = _sources(texts)
    assert set(zip(cited.article_id, cited.source_id, strict=True)) >= {
        ("a0", "unregistered:kestrel-wire"), ("a0", "unregistered:vell-gazette"),
        ("a1", "unregistered:kestrel-wire"), ("a1", "unregistered:vell-gazette"),
        ("a2", "unregistered:kestrel-wire"), ("a3", "harbor-ledger")}
    # a short form with no paper named in full in the article is not guessed
    assert not cited.source_id.str.endswith(":gazette").any()


def test_names_without_a_news_word_count_only_when_mostly_named_as_sources() -> None:
    texts = ["Ivo Rask told Kestrel on Monday that Ostrel would wait.",
             "Later, Kestrel reported the vote in Ostrel.",
             "Officials told Ostrel to wait. Ostrel and Ostrel agreed with Ostrel.",
             "Ostrel voted. Ostrel met. Ostrel left. Ostrel won."]
    cited = set(_sources(texts).source_id)
    assert "unregistered:kestrel" in cited  # two cues out of two mentions
    assert "unregistered:ostrel" not in cited  # "told Ostrel" once among many mentions


def test_acronym_of_a_cited_source_joins_its_full_name() -> None:
    texts = ["Talks ended, the Kestrel News Agency reported.",
             "Talks resumed, the Kestrel News Agency reported.",
             "VELL (KNA) - Talks ended again."]
    cited = _sources(texts)
    assert set(cited.source_id) == {"unregistered:kestrel-news-agency"}


def test_a_fold_renames_citations_only_of_ids_the_mentions_have() -> None:
    """A fold can name an id no mention has: a citation of it keeps its id.

    A speaker that name discovery missed is cited by the id of its name; it kept that id before
    folds were decided from counts, and still does.
    """
    from mediaprov.features import _CorpusSteps, _Rows, _Tables
    from mediaprov.name_merge import NameCounts

    full = [(a, "name:orla-vennick", "Orla Vennick", 0, 12, "person", "discovered") for a in ("a", "b")]
    cited = [("c", "name:vennick", "quoted", 20, 40)]
    for bare in ([], [("c", "name:vennick", "Vennick", 0, 7, "name", "discovered")]):
        tables = _Tables.of(_Rows(mentions=full + bare, citations=cited))
        steps = _CorpusSteps.decide(NameCounts.of(tables.mentions), source_cues(tables.sources),
                                    discover=True)
        assert steps.folds["name:vennick"] == ("name:orla-vennick", "person")
        finished = steps.finish(tables)
        expected = "name:orla-vennick" if bare else "name:vennick"
        assert finished.citations.source_id.tolist() == [expected]
        assert set(finished.mentions.entity_id) == {"name:orla-vennick"}
