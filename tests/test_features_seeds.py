"""Features on the five real seed articles against their hand annotations (expected.json).

The seeds are read in place from ``../shared/seeds`` and never copied; the tests skip when that
folder is absent. Articles are built from the raw files (article_id = file name, text = file
text), so offsets refer to the raw text.

``expected.json`` names entities by canonical keys ("MEK", "Hadi Sani-Khani"); the gazetteer uses
slug ids. :data:`ENTITY_IDS` and :data:`OUTLET_IDS` are the documented mapping.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

from mediaprov import paths
from mediaprov.passages import evidence
from mediaprov.features import Features, extract_features

ENTITY_IDS: dict[str, str] = {
    "MEK": "mek", "NCRI": "ncri", "MOIS": "mois", "Hadi Sani-Khani": "hadi-sani-khani",
    "Antonio Guterres": "antonio-guterres", "Assadollah Assadi": "assadollah-assadi",
    "Ebrahim Khodabandeh": "ebrahim-khodabandeh", "Nejat Society": "nejat-society",
    "SPAK": "spak", "Hassan Heyrani": "hassan-heyrani", "Ali Shamkhani": "ali-shamkhani",
    "Ali Khamenei": "ali-khamenei", "Javaid Rahman": "javaid-rahman", "Quds Force": "quds-force",
    "Maryam Rajavi": "maryam-rajavi", "James L. Jones": "james-l-jones",
    "Jones Group International": "jones-group-international",
    "Massoud Khodabandeh": "massoud-khodabandeh", "Anne Khodabandeh": "anne-khodabandeh",
    "ASILA": "asila", "Habilian Association": "habilian", "Iran Interlink": "iran-interlink",
    "Iran-Efshagar": "iran-efshagar", "John Sano": "john-sano",
}
OUTLET_IDS: dict[str, str] = {
    "The New York Times": "new-york-times", "The Guardian": "the-guardian",
    "Der Spiegel": "der-spiegel", "The Independent": "the-independent", "BBC": "bbc",
    "NBC": "nbc", "Channel 4": "channel-4", "Al Jazeera English": "al-jazeera-english",
    "Iran-Efshagar": "iran-efshagar", "Geopolitica": "geopolitica", "YouTube": "youtube",
}


def _seeds() -> Path:
    shared = paths.shared_dir()
    if shared is None or not (shared / "seeds" / "expected.json").exists():
        pytest.skip("../shared/seeds is absent: the seed tests need the real seed texts")
    return shared / "seeds"


@lru_cache(maxsize=1)
def _run() -> tuple[dict, pd.DataFrame, Features]:
    seeds = _seeds()
    expected = json.loads((seeds / "expected.json").read_text(encoding="utf-8"))["documents"]
    names = sorted(expected)
    articles = pd.DataFrame({
        "article_id": names,
        "text": [(seeds / name).read_text(encoding="utf-8") for name in names],
    })
    return expected, articles, extract_features(articles)


def _documents() -> list[str]:
    seeds = paths.shared_dir()
    if seeds is None or not (seeds / "seeds" / "expected.json").exists():
        return []
    return sorted(json.loads((seeds / "seeds" / "expected.json").read_text())["documents"])


def _occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    found, at = [], text.find(surface)
    while at >= 0:
        found.append((at, at + len(surface)))
        at = text.find(surface, at + 1)
    return found


def test_mapping_covers_every_annotated_entity() -> None:
    expected, _, _ = _run()
    keys = {key for doc in expected.values() for key in doc["entities"]}
    assert keys <= set(ENTITY_IDS), f"add ids for {sorted(keys - set(ENTITY_IDS))}"


@pytest.mark.parametrize("name", _documents() or ["(no seeds)"])
def test_every_listed_entity_found_with_its_surface_forms(name: str) -> None:
    expected, articles, features = _run()
    text = articles.set_index("article_id").text[name]
    mentions = features.mentions[features.mentions.article_id == name]
    missing = []
    for key, surfaces in expected[name]["entities"].items():
        spans = list(zip(mentions.start[mentions.entity_id == ENTITY_IDS[key]],
                         mentions.end[mentions.entity_id == ENTITY_IDS[key]], strict=True))
        for surface in surfaces:
            occurrences = _occurrences(text, surface)
            assert occurrences, f"{name}: surface {surface!r} is not in the text"
            # Found when, in some occurrence, mentions of the entity lie inside it and cover
            # at least half of its characters (a surface may hold several: "PMOI / MEK Iran").
            covered = any(
                sum(e - s for s, e in spans if a <= s and e <= b) * 2 >= b - a
                for a, b in occurrences
            )
            if not covered:
                missing.append((key, surface))
    assert not missing, f"{name}: not found {missing}"


def test_three_khodabandehs_stay_apart() -> None:
    _, articles, features = _run()
    name = "003_ea33c5071f30f145.txt"
    mentions = features.mentions[features.mentions.article_id == name]
    ids = set(mentions.entity_id[mentions.surface.str.contains("Khodabandeh")])
    assert ids == {"ebrahim-khodabandeh", "massoud-khodabandeh", "anne-khodabandeh"}
    text = articles.set_index("article_id").text[name]
    bare = text.index("According to Khodabandeh") + len("According to ")
    assert not ((mentions.start <= bare) & (mentions.end > bare)).any(), \
        "a bare 'Khodabandeh' was merged into one of the three"
    ambiguous = features.ambiguous[features.ambiguous.article_id == name]
    row = ambiguous[ambiguous.start == bare]
    assert len(row) == 1 and set(row.entity_id.iloc[0].split("|")) == ids


@pytest.mark.parametrize("name", _documents() or ["(no seeds)"])
def test_every_listed_quote_has_the_right_speaker(name: str) -> None:
    expected, _, features = _run()
    quotes = features.quotes[(features.quotes.article_id == name)
                             & (features.quotes.kind == "direct")]
    found = {q.strip().rstrip(","): s for q, s in zip(quotes.text, quotes.speaker_id, strict=True)}
    for quote in expected[name]["quotes"]:
        text = quote["text"].strip().rstrip(",")
        assert text in found, f"{name}: quote not found as direct: {text[:60]!r}"
        assert found[text] == ENTITY_IDS[quote["speaker"]], \
            f"{name}: {text[:40]!r} attributed to {found[text]}, expected {quote['speaker']}"


@pytest.mark.parametrize("name", _documents() or ["(no seeds)"])
def test_every_scare_quote_is_classed_scare(name: str) -> None:
    expected, _, features = _run()
    quotes = features.quotes[features.quotes.article_id == name]
    kinds = dict(zip(quotes.text, quotes.kind, strict=True))
    for scare in expected[name]["scare_quotes"]:
        assert kinds.get(scare) == "scare", f"{name}: {scare!r} classed {kinds.get(scare)}"


@pytest.mark.parametrize("name", _documents() or ["(no seeds)"])
def test_every_cited_outlet_found(name: str) -> None:
    expected, _, features = _run()
    citations = features.citations[(features.citations.article_id == name)
                                   & (features.citations.kind == "cited_outlet")]
    wanted = {OUTLET_IDS[o] for o in expected[name]["cited_outlets"]}
    missing = wanted - set(citations.source_id)
    assert not missing, f"{name}: cited outlets not found {missing}"


def test_embedded_posts_keep_author_handle_and_own_date() -> None:
    expected, _, features = _run()
    found = {(r.article_id, r.author, r.handle, r.posted.date().isoformat())
             for r in features.embeds.itertuples()}
    wanted = {(name, p["author"], p["handle"], p["date"])
              for name, doc in expected.items() for p in doc["embedded_posts"]}
    assert wanted and wanted == found


def test_credit_line_in_the_text_is_a_credited_citation() -> None:
    expected, _, features = _run()
    credited = features.citations[features.citations.kind == "credited"]
    for name, doc in expected.items():
        got = set(credited.source_id[credited.article_id == name])
        want = {"ncri"} if doc["credited_source"] == "NCRI" else set()
        assert got == want, f"{name}: credited {got}, expected {want}"


def test_offsets_point_at_the_text_and_evidence_marks_them() -> None:
    _, articles, features = _run()
    texts = articles.set_index("article_id").text
    for row in features.mentions.itertuples():
        assert texts[row.article_id][row.start:row.end] == row.surface
    for row in features.quotes.itertuples():
        assert texts[row.article_id][row.start:row.end] == row.text
    shamkhani = features.quotes[features.quotes.speaker_id == "ali-shamkhani"]
    shown = evidence(shamkhani, articles, context=40)
    assert "[[The [MEK] will receive" in shown and "had said" in shown
