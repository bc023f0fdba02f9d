"""Text repaired at ingest (mediaprov.ingest.normalise.repair_text, parsing.repair_record).

Text that was UTF-8 but was read as Windows-1252 or Latin-1 upstream ("Zorvan\u00e2\u20ac\u2122s" for
"Zorvan’s") hides names from the gazetteer and words from every count; a quotation mark left as
``&#8220;`` hides a quote. Ingest hands such text to ftfy before anything finds offsets in it.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401 - registers "sloppy-windows-1252", the codec of real mojibake
import pytest

from mediaprov import paths
from mediaprov.embeds import find_embeds
from mediaprov.ingest.normalise import MOJIBAKE_CLUE, repair_mojibake, repair_text, unescape_entities
from mediaprov.ingest.parsing import repair_record
from mediaprov.ingest.pipeline import IngestSummary, ingest
from mediaprov.ingest.readers import iter_records
from mediaprov.ingest.records import RawRecord

# fictional names and phrases in the scripts and punctuation of real news text
CORRECT = [
    "Minister Zorvan’s ‘review’ — announced “today” – in Port Almera…",
    "Café Ñandú in São Vellora, naïve façade, Łódź-style Straße, Ærøskøbing",
    "Kalinova Pravda: «Министр Зорван заявил» и Ελληνική εφημερίδα",
    "Âge d’or: l’Élysée à Vellora, Ça va? ¿Qué pasó? ¡Sí! 25 °C, 3½ km, © 2031",
    "Prices rose 5 € and 3 £; the índex ± 2 µg; ‰ and † marks",
    "Emoji in a post 🙂 and a flag 🇫🇷 from the fictional @velagroup",
    "一个虚构的城市 and عاصمة خيالية and עיר בדויה",
]
ALPHABET = "abcXYZ ’‘“”—–…éèàçñüößÆøåŁžščΩπДжё€£©°½🙂中ع"


def mojibake(text: str, codec: str = "sloppy-windows-1252") -> str:
    """``text`` as an upstream system that read its UTF-8 bytes as ``codec`` leaves it."""
    return text.encode("utf-8").decode(codec)


@pytest.mark.parametrize("text", CORRECT)
def test_correct_text_is_returned_itself(text: str) -> None:
    assert repair_mojibake(text) is text


@pytest.mark.parametrize(("escaped", "plain"), [
    ("&#8220;Now,&#8221; she said", "“Now,” she said"),
    ("Zorvan&apos;s &amp; Lind&#x2019;s", "Zorvan's & Lind’s"),
    ("&lt;b&gt;bold&lt;/b&gt;", "<b>bold</b>"),
    ("&AMP;", "&"),
])
def test_html_character_references_are_decoded(escaped: str, plain: str) -> None:
    assert unescape_entities(escaped) == plain
    assert repair_text(escaped) == plain


@pytest.mark.parametrize("text", ["R&D and Q&A", "?a=1&para=2", "&copy 2031 Daily Meridian", "AT&T;",
                                  "this&not that", "&notanentity; here", "Fish & chips; tea"])
def test_ampersands_that_are_no_reference_stay(text: str) -> None:
    assert unescape_entities(text) is text
    assert repair_text(text) is text


def test_references_are_decoded_before_mojibake() -> None:
    """As ftfy.fix_text does: references that spell out mojibake are decoded, then repaired."""
    assert repair_text("Caf&Atilde;&copy; Vellora") == "Café Vellora"


@pytest.mark.parametrize("codec", ["sloppy-windows-1252", "latin-1"])
@pytest.mark.parametrize("text", CORRECT[:6])
def test_one_and_two_layers_of_mojibake_are_undone(text: str, codec: str) -> None:
    once = mojibake(text, codec)
    assert once != text and MOJIBAKE_CLUE.search(once)
    assert repair_mojibake(once) == text
    assert repair_mojibake(mojibake(once, codec)) == text


def test_the_clue_finds_every_misread_non_ascii_text() -> None:
    """The check that keeps most text away from ftfy never hides mojibake from it."""
    rng = random.Random(13)
    for _ in range(2_000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 12)))
        if text.isascii():
            continue
        for codec in ("sloppy-windows-1252", "latin-1"):
            assert MOJIBAKE_CLUE.search(mojibake(text, codec)), (text, codec)


def test_a_record_is_repaired_field_by_field_and_the_given_one_is_kept() -> None:
    title = "Zorvan’s ‘review’"
    record = RawRecord("a.jsonl", 0, "0" * 64, "jsonl",
                       fields={"title": mojibake(title), "text": "Plain body.", "rating": 3})
    fixed, names = repair_record(record)
    assert names == ("title",)
    assert fixed.fields == {"title": title, "text": "Plain body.", "rating": 3}
    assert record.fields["title"] == mojibake(title)
    clean = RawRecord("b.txt", 0, "0" * 64, "text", text="Headline\n\nCafé body.")
    assert repair_record(clean) == (clean, ())
    scrape = RawRecord("c.txt", 0, "0" * 64, "text", text=mojibake("Headline\n\nZorvan’s body."))
    assert repair_record(scrape)[0].text == "Headline\n\nZorvan’s body." and repair_record(scrape)[1] == ("text",)


def test_ingest_stores_repaired_text_with_offsets_into_it_and_counts_the_records(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    body = ("The council of Port Almera met on Tuesday. “We will not wait,” said Minister Zorvan’s "
            "aide, in a fictional statement about the harbor.\n\nWe stand with the harbor workers.\n\n"
            "— Vela Group (@velagroup) May 2, 2031\n\nThe debate goes on.")
    rows = [{"title": mojibake("Zorvan’s harbor plan"), "text": mojibake(body), "outlet": "Daily Meridian",
             "date": "2031-05-03"},
            {"title": "Zorvan’s harbor plan", "text": body, "outlet": "Daily Meridian", "date": "2031-05-03"},
            {"title": "A plain title", "text": "A plain fictional body about the harbor and its pier.",
             "outlet": "Daily Meridian", "date": "2031-05-04"}]
    (root / "items.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    (root / "quoted.csv").write_text(
        'title,text,outlet,date\nPier&#8217;s vote,"&#8220;We vote today,&#8221; said the R&amp;D office. '
        'Q&A follows.",Daily Meridian,2031-05-05\n', encoding="utf-8")
    (root / "scrape.txt").write_text(mojibake("Pier vote\n\nThe fictional pier vote passed, said Zorvan’s office."),
                                     encoding="utf-8")
    result = ingest(root, out=tmp_path / "out")
    summary = result.summary
    assert summary.reconciles() and summary.inputs == 5
    assert summary.text_repaired == 3
    assert "records whose text was repaired (HTML character references, mojibake; ftfy): 3" in summary.render()
    assert "repaired" not in IngestSummary(inputs=1, ingested=1).render()  # said only when it happened
    log = result.log.set_index(["raw_path", "record"])
    # repaired, the first copy is the second's exact duplicate: one article, nothing lost
    assert {log.loc[("items.jsonl", 0), "status"], log.loc[("items.jsonl", 1), "status"]} == {"ingested", "duplicate"}
    articles = result.articles.astype({"record": "int64"}).set_index(["raw_path", "record"])
    kept = log.loc[("items.jsonl", 0), "article_id"] if log.loc[("items.jsonl", 0), "status"] == "ingested" \
        else log.loc[("items.jsonl", 1), "article_id"]
    article = result.articles.set_index("article_id").loc[kept]
    assert (article.title, article.text) == ("Zorvan’s harbor plan", body)
    assert articles.loc[("scrape.txt", 0), "text"].endswith("said Zorvan’s office.")
    assert tuple(articles.loc[("quoted.csv", 0), ["title", "text"]]) == (
        "Pier’s vote", "“We vote today,” said the R&D office. Q&A follows.")
    assert not any(MOJIBAKE_CLUE.search(text) for text in result.articles["text"])
    embeds = result.embeds
    assert len(embeds) == 1
    [embed] = embeds.itertuples()
    assert body[embed.start:embed.end].startswith("We stand with the harbor workers.")
    [found] = find_embeds(body)  # offsets into the repaired text, as if it had come clean
    assert (embed.start, embed.end) == (found.start, found.attribution_end)


def test_real_allsides_titles_lose_their_mojibake() -> None:
    """AllSides Iran: 21 titles and 5 bodies of 2,714 were misread upstream (counted 2026-12-03)."""
    shared = paths.shared_dir()
    path = (shared / "corpora" / "allsides_iran" / "articles.jsonl") if shared else None
    if path is None or not path.exists():
        pytest.skip("../shared/corpora/allsides_iran is absent")
    repaired: dict[str, int] = {}
    unchanged_with_trace = 0
    for record in iter_records(path, columns="allsides"):
        fixed, names = repair_record(record)
        for name in names:
            repaired[name] = repaired.get(name, 0) + 1
            assert "â€" not in fixed.fields[name] and "Ã¢" not in fixed.fields[name], (record.key, name)
        for name, value in record.fields.items():
            if name not in names and isinstance(value, str) and ("Ã¢â‚¬" in value or "â€™" in value):
                unchanged_with_trace += 1
    assert repaired.get("title", 0) >= 20 and repaired.get("text", 0) >= 2, repaired
    assert unchanged_with_trace == 0


def test_real_narrative_frames_texts_lose_their_character_references() -> None:
    """narrative_frames: 9 of 424 texts keep escapes such as ``&#8220;`` and ``&apos;`` (counted 2026-12-03)."""
    shared = paths.shared_dir()
    path = (shared / "corpora" / "narrative_frames" / "articles_metadata.tsv") if shared else None
    if path is None or not path.exists():
        pytest.skip("../shared/corpora/narrative_frames is absent")
    repaired = 0
    for record in iter_records(path, columns="narrative_frames"):
        fixed, names = repair_record(record)
        repaired += bool(names)
        for name, value in fixed.fields.items():
            if isinstance(value, str):
                assert not re.search(r"&(?:apos|amp|quot|#\d+);", value), (record.key, name)
    assert repaired >= 9
