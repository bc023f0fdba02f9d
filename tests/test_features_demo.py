"""Features measured against the demo corpus ground truth (data/raw/demo/truth).

Articles are built from the truth ``text`` of every ingested record (as ingestion would write
them: ``outlet_id``, ``credited_source`` and ``credit_line`` included), features are extracted
with ``data/reference/entities.csv`` (demo pack) and ``outlets.csv``, and measured:

* mentions: per article, the set of (entity, surface) pairs. A found mention is right when the
  truth lists a surface of that entity that contains it or is contained in it (truth surfaces
  keep parentheses: "Bureau of State Security (BSS)"); a truth pair is recalled when a found
  mention of that entity matches it the same way. Targets: recall >= 0.98, precision >= 0.95.
* quote speakers: a found direct quote is right when the truth has a quote with the same words
  and the same speaker. Targets: precision and recall >= 0.95.
* cited sources: per article, the credited outlet, the speakers of the truth quotes and the
  authors of embedded posts must be among the citations' ``source_id``. Target: recall >= 0.95.

Skipped when the demo truth is absent (run ``mediaprov demo``).
"""

from __future__ import annotations

import csv
import json
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

from mediaprov import paths
from mediaprov.citations import load_outlets
from mediaprov.entities import load_entities
from mediaprov.features import Features, extract_features

TRUTH = paths.raw_dir("demo") / "truth"


def _documents() -> list[dict]:
    path = TRUTH / "documents.jsonl"
    if not path.exists() or not (TRUTH / "entities.csv").exists():
        pytest.skip(f"demo ground truth absent ({path}): run `mediaprov demo` first")
    with open(path, encoding="utf-8") as handle:
        docs = [json.loads(line) for line in handle]
    return [d for d in docs if d["expected_status"] == "ingested" and d["text"]]


@lru_cache(maxsize=1)
def _run() -> tuple[list[dict], pd.DataFrame, Features]:
    docs = _documents()
    articles = pd.DataFrame({
        "article_id": [f"{d['raw_path']}#{d['record']}" for d in docs],
        "outlet_id": [d["outlet"] for d in docs],
        "credited_source": [d["credited_source"] for d in docs],
        "credit_line": [d["credit_line"] for d in docs],
        "text": [d["text"] for d in docs],
    })
    features = extract_features(articles, entities=load_entities(packs=["demo"]),
                                outlets=load_outlets())
    return docs, articles, features


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(",").strip()


def _contains(a: str, b: str) -> bool:
    return a in b or b in a


def mention_scores(docs: list[dict], mentions: pd.DataFrame) -> tuple[float, float]:
    """Return (precision, recall) of (entity, surface) pairs per article."""
    found = mentions.groupby("article_id")[["entity_id", "surface"]].apply(
        lambda t: set(zip(t.entity_id, t.surface, strict=True))).to_dict()
    right = total_found = recalled = total_truth = 0
    for d in docs:
        article_id = f"{d['raw_path']}#{d['record']}"
        truth = {(e, s) for e, surfaces in d["entities"].items() for s in surfaces}
        pairs = found.get(article_id, set())
        total_found += len(pairs)
        right += sum(any(e == te and _contains(s, ts) for te, ts in truth) for e, s in pairs)
        total_truth += len(truth)
        recalled += sum(any(e == te and _contains(s, ts) for e, s in pairs) for te, ts in truth)
    return right / max(total_found, 1), recalled / max(total_truth, 1)


def speaker_scores(docs: list[dict], quotes: pd.DataFrame) -> tuple[float, float]:
    """Return (precision, recall) of quote speaker attribution."""
    direct = quotes[quotes.kind == "direct"]
    found: dict[str, set[tuple[str, str]]] = {}
    for row in direct.itertuples(index=False):
        speaker = row.speaker_id if isinstance(row.speaker_id, str) else ""
        found.setdefault(row.article_id, set()).add((speaker, _norm(row.text)))
    right = total_found = recalled = total_truth = 0
    for d in docs:
        article_id = f"{d['raw_path']}#{d['record']}"
        truth = {(q["speaker"], _norm(q["text"])) for q in d["quotes"]}
        pairs = found.get(article_id, set())
        total_found += len(pairs)
        right += len(pairs & truth)
        total_truth += len(truth)
        recalled += len(truth & pairs)
    return right / max(total_found, 1), recalled / max(total_truth, 1)


def source_recall(docs: list[dict], citations: pd.DataFrame) -> float:
    """Return the recall of credited outlets, quoted speakers and embedded-post authors."""
    handles = {}
    with open(TRUTH / "entities.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row.get("handle"):
                handles[row["handle"]] = row["entity_id"]
    found = citations.groupby("article_id").source_id.apply(set).to_dict()
    hits = total = 0
    for d in docs:
        article_id = f"{d['raw_path']}#{d['record']}"
        wanted = {q["speaker"] for q in d["quotes"]}
        if d["credited_source"]:
            wanted.add(d["credited_source"])
        wanted |= {handles.get(p["handle"], p["handle"]) for p in d["embedded_posts"]}
        total += len(wanted)
        hits += len(wanted & found.get(article_id, set()))
    return hits / max(total, 1)


def test_mentions_precision_and_recall() -> None:
    docs, _, features = _run()
    # the curated pack against the truth; discovered names (ids "name:...") are the names the
    # pack does not list, which the truth does not list either
    curated = features.mentions[~features.mentions.method.str.startswith("discovered")]
    precision, recall = mention_scores(docs, curated)
    print(f"mentions: precision {precision:.4f} recall {recall:.4f}")
    assert recall >= 0.98, f"mention recall {recall:.4f} < 0.98"
    assert precision >= 0.95, f"mention precision {precision:.4f} < 0.95"


def test_quote_speakers_precision_and_recall() -> None:
    docs, _, features = _run()
    precision, recall = speaker_scores(docs, features.quotes)
    print(f"quote speakers: precision {precision:.4f} recall {recall:.4f}")
    assert precision >= 0.95, f"speaker precision {precision:.4f} < 0.95"
    assert recall >= 0.95, f"speaker recall {recall:.4f} < 0.95"


def test_scare_quotes_are_not_speech() -> None:
    docs, _, features = _run()
    kinds = {(r.article_id, _norm(r.text)): r.kind for r in features.quotes.itertuples()}
    truth = [(f"{d['raw_path']}#{d['record']}", _norm(s)) for d in docs for s in d["scare_quotes"]]
    scare = sum(kinds.get(key) == "scare" for key in truth)
    print(f"scare quotes classed scare: {scare}/{len(truth)}")
    assert scare / max(len(truth), 1) >= 0.95


def test_cited_source_recall() -> None:
    docs, _, features = _run()
    recall = source_recall(docs, features.citations)
    print(f"cited-source recall {recall:.4f}")
    assert recall >= 0.95, f"cited-source recall {recall:.4f} < 0.95"


def test_embedded_posts_found_with_their_own_dates() -> None:
    docs, _, features = _run()
    found = {(r.article_id, r.handle, r.posted.date().isoformat() if pd.notna(r.posted) else None)
             for r in features.embeds.itertuples()}
    truth = {(f"{d['raw_path']}#{d['record']}", p["handle"], p["date"])
             for d in docs for p in d["embedded_posts"]}
    assert truth, "the demo truth lists no embedded posts"
    assert len(truth & found) / len(truth) >= 0.98


def test_every_offset_points_at_its_text() -> None:
    _, articles, features = _run()
    texts = dict(zip(articles.article_id, articles.text, strict=True))
    for row in features.mentions.itertuples():
        assert texts[row.article_id][row.start:row.end] == row.surface
    for row in features.quotes.itertuples():
        assert texts[row.article_id][row.start:row.end] == row.text


@pytest.mark.parametrize("order", ["by article", "shuffled"])
def test_partitions_concatenate_to_the_tables_of_one_pass(order: str, tmp_path: Path) -> None:
    """A cluster cuts articles into consecutive slices; their tables joined must be one pass's.

    Joined in memory, and joined through the spool that ``run_features`` uses: every slice's
    tables put aside by key range, read back range after range (17 ranges here).
    """
    from mediaprov import features as features_module
    from mediaprov.engine import Engine, partition_bounds
    from mediaprov.spool import RangeSpool, key_bounds

    _, articles, _ = _run()
    articles = (articles.sort_values("article_id") if order == "by article"
                else articles.sample(frac=1.0, random_state=7)).reset_index(drop=True)
    options = {"entities": load_entities(packs=["demo"]), "outlets": load_outlets(),
               "fuzzy": True, "discover": True, "engine": Engine()}
    one_pass = features_module._extract([articles], **options)
    [whole] = list(one_pass.pieces)
    slices = [articles.iloc[start:stop] for start, stop in partition_bounds(len(articles), 5)]
    joined = features_module._extract(slices, **options)
    [in_memory] = list(joined.pieces)
    bounds = key_bounds(articles.article_id, per_range=len(articles) // 16)
    with RangeSpool(tmp_path, bounds) as spool:
        spooled = features_module._extract(slices, **options, spool=spool)
        ranges = list(spooled.pieces)
    assert len(bounds) == 16 and len(ranges) == 17 and not list(tmp_path.iterdir())
    assert len(slices) == 5 and len(whole.mentions) > 1000
    for name in ("mentions", "quotes", "citations", "ambiguous"):
        expected = getattr(whole, name).reset_index(drop=True)
        pd.testing.assert_frame_equal(getattr(in_memory, name).reset_index(drop=True), expected, obj=name)
        from_ranges = pd.concat([getattr(piece, name) for piece in ranges], ignore_index=True)
        pd.testing.assert_frame_equal(from_ranges, expected, obj=f"{name} (spooled)")
    pd.testing.assert_frame_equal(in_memory.embeds.reset_index(drop=True),
                                  whole.embeds.reset_index(drop=True), obj="embeds")
    assert joined.coverage == one_pass.coverage == spooled.coverage
