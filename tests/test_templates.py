"""Page templates learnt per outlet (mediaprov.ingest.templates).

What is blanked from clean_text, what must survive (text shared by different outlets, prose), and
the AllSides measurement.

All text here is fictional; the AllSides test reads ``../shared`` and skips when it is absent.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from mediaprov import narratives as nv
from mediaprov.ingest.pipeline import ingest
from mediaprov.ingest.templates import TemplateConfig, clean_article, clean_frame, learn
from mediaprov.schema import TEMPLATE_SPANS, TEMPLATES
from mediaprov.text import analysis_text

TOPICS = ["harbour", "bridge", "ferry", "library", "orchard", "tramway", "lighthouse", "market",
          "museum", "reservoir", "stadium", "quarry", "canal", "airfield", "vineyard", "school",
          "granary", "foundry", "observatory", "aqueduct"]

CHROME = {  # fictional page chrome of the outlet "gazette"
    "nav": "Home | World | Valley | Sport",
    "widget": ("Get the Morning Lantern. Sign up to receive the stories you need. Choose your region "
               "Northmarch Eastvale Southreach Westfold Lowmere Highcrag Saltmarsh Fenwick Islands"),
    "licence": "All Content by Valley Gazette is licensed under a Creative Commons Licence.",
    "video": "JUST WATCHED Ferry strike explained Replay More Videos ... MUST WATCH Ferry strike explained 02:41",
    "ad": "Advertisement",
    "bio": "Ilse Varga is the Gazette's valley correspondent. Her book, Rivers of Salt, is out now.",
}


SUBJECTS = ["The council of Varnholm", "Mayor Edda Vrell", "A panel of engineers", "The regional court",
            "Shopkeepers in the old quarter", "The transport board", "Two opposition deputies",
            "The water authority", "Teachers at the north school", "The harbour master"]
VERBS = ["voted on Tuesday to rebuild", "asked for a delay on", "promised new money for",
         "published a review of", "criticised the plans for", "welcomed the reopening of",
         "questioned the cost of", "opened an inquiry into", "raised doubts about", "celebrated"]
ENDINGS = ["closed since the floods of the spring", "after a winter of repairs", "despite protests from residents",
           "weeks before the regional vote", "while the budget talks stalled", "with cautious relief",
           "as prices kept rising", "in front of a small crowd", "without a public hearing", "to loud applause"]


def _prose(topic: str, n: int) -> list[str]:
    """Three sentences of fictional news prose, worded differently for each ``n``."""
    out = []
    for k in range(3):
        s, v, e = SUBJECTS[(n + 3 * k) % 10], VERBS[(n * 7 + k) % 10], ENDINGS[(n * 3 + 5 * k) % 10]
        out.append(f"{s} {v} the {topic} {e} of {1990 + n + k}, officials said on day {n * 3 + k}.")
    return out


def _gazette_article(i: int) -> str:
    topic = TOPICS[i % len(TOPICS)]
    lines = [CHROME["nav"], *_prose(topic, i)[:2], CHROME["ad"], _prose(topic, i)[2],
             f"JUST WATCHED The {topic} plan in {i + 2} minutes Replay More Videos ... MUST WATCH The {topic} plan 0{i % 9}:1{i % 6}",
             CHROME["widget"], CHROME["bio"], CHROME["licence"]]
    return "\n\n".join(lines)


WIRE = [
    "OSTRAVEL (Lantern Wire) — The river authority of Ostravel opened all six floodgates before dawn on Friday.",
    "Water levels on the lower Saltway rose by two metres within an hour, the authority said in a statement.",
    "Farmers along the eastern bank moved livestock to higher pastures overnight.",
    "The Lantern Wire contributed to this report.",
]


def _corpus() -> pd.DataFrame:
    rows = [{"article_id": f"g{i}", "outlet_id": "gazette", "text": _gazette_article(i)} for i in range(40)]
    rows += [{"article_id": f"c{i}", "outlet_id": "courier", "text": "\n\n".join(_prose(t, i) + ["Advertisement"])}
             for i, t in enumerate(TOPICS)]
    # One wire story republished by forty different outlets: reuse, never a template.
    rows += [{"article_id": f"w{k}", "outlet_id": f"outlet-{k}", "text": "\n\n".join(WIRE)} for k in range(40)]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def cleaned():
    return clean_frame(_corpus())


def test_clean_text_keeps_offsets(cleaned) -> None:
    arts = cleaned.articles
    assert (arts["clean_text"].str.len() == arts["text"].str.len()).all()
    for text, clean in zip(arts["text"], arts["clean_text"], strict=True):
        assert [i for i, c in enumerate(text) if c == "\n"] == [i for i, c in enumerate(clean) if c == "\n"]
        assert all(c == " " or c == t for c, t in zip(clean, text, strict=True))


def test_outlet_chrome_is_blanked(cleaned) -> None:
    gazette = cleaned.articles[cleaned.articles["outlet_id"] == "gazette"]
    for clean in gazette["clean_text"]:
        low = clean.lower()
        for phrase in ("replay more videos", "choose your region", "is licensed under", "advertisement",
                       "home | world", "rivers of salt", "just watched"):
            assert phrase not in low, phrase
        assert "officials said on day" in low


def test_wire_copy_in_forty_outlets_survives(cleaned) -> None:
    wire = cleaned.articles[cleaned.articles["article_id"].str.startswith("w")]
    for clean in wire["clean_text"]:
        assert "floodgates before dawn" in clean and "livestock to higher pastures" in clean
        assert "Lantern Wire) —" not in clean  # the dateline credit is credit evidence, not words
        assert "contributed to this report" not in clean
    assert (wire["credit_line"].notna()).all()


def test_cross_outlet_widget_but_no_cross_outlet_prose(cleaned) -> None:
    courier = cleaned.articles[cleaned.articles["outlet_id"] == "courier"]
    assert not courier["clean_text"].str.contains("Advertisement").any()
    assert courier["clean_text"].str.contains("officials said on day").all()


def test_tables_follow_their_schemas(cleaned) -> None:
    assert list(cleaned.templates.columns) == list(TEMPLATES.columns)
    assert list(cleaned.spans.columns) == list(TEMPLATE_SPANS.columns)
    texts = dict(zip(cleaned.articles["article_id"], cleaned.articles["text"], strict=True))
    cleans = dict(zip(cleaned.articles["article_id"], cleaned.articles["clean_text"], strict=True))
    for row in cleaned.spans.itertuples():
        assert cleans[row.article_id][row.start:row.end].strip() == ""
        assert texts[row.article_id][row.start:row.end].strip() != ""
    gazette = cleaned.templates[cleaned.templates["outlet_id"] == "gazette"]
    assert (gazette["support"] >= 4).all() and (gazette["sampled"] == 40).all()
    example = gazette.iloc[0]
    assert texts[example.example_article][example.example_start:example.example_end].strip()


def test_repeated_body_is_collapsed_and_flagged() -> None:
    body = "\n\n".join(_prose("harbour", 4))
    text = "\n\n".join([body] * 5)
    arts = pd.DataFrame({"article_id": ["r"], "outlet_id": ["x"], "text": [text]})
    out = clean_frame(arts).articles.iloc[0]
    assert out["body_copies"] == 5
    assert out["clean_text"].count("officials said") == 3
    assert out["clean_text"].startswith(body)


def test_review_override_keeps_a_learnt_pattern() -> None:
    overrides = pd.DataFrame({"outlet_id": ["gazette"], "kind": ["line"], "pattern": ["Advertisement"],
                              "action": ["keep"]})
    out = clean_frame(_corpus(), overrides=overrides).articles
    assert out.loc[out["outlet_id"] == "gazette", "clean_text"].str.contains("Advertisement").all()


def test_single_outlet_prose_with_common_phrases_is_kept() -> None:
    texts = ["\n\n".join(_prose(t, i) + [f"Minister Oda Lenk said the {t} mattered to {i + 40} families."])
             for i, t in enumerate(TOPICS)]
    model = learn([(str(i), "x", t) for i, t in enumerate(texts)], config=TemplateConfig())
    for text in texts:
        assert clean_article(text, "x", model).clean_text == text


def test_ingest_writes_templates_beside_articles(tmp_path) -> None:
    corpus = _corpus()
    with open(tmp_path / "feed.jsonl", "w", encoding="utf-8") as handle:
        for row in corpus.itertuples():
            handle.write(json.dumps({"title": f"Story {row.article_id}", "text": row.text,
                                     "outlet": row.outlet_id}) + "\n")
    result = ingest(tmp_path / "feed.jsonl", out=tmp_path / "out")
    arts = result.articles
    assert arts["clean_text"].notna().all()
    assert not arts["clean_text"].str.contains("Replay More Videos").any()
    assert arts["clean_text"].str.contains("floodgates before dawn").sum() == 40
    assert len(pd.read_parquet(tmp_path / "out" / "templates.parquet"))
    assert len(pd.read_parquet(tmp_path / "out" / "template_spans.parquet"))
    assert "page templates learnt" in result.summary.render()


ALLSIDES_TEMPLATE_TERMS = ["photos", "hide caption", "replay", "replay more videos", "watched", "islands",
                           "advertisement", "advertisement advertisement", "press contributed",
                           "associated press contributed", "image", "image copyright", "image caption",
                           "media playback", "playback", "unsupported", "device media", "media caption",
                           "toggle caption", "story continued"]
"""Template words that were top-20 distinctive terms of the AllSides rating groups before cleaning.
("mr" and "fox news" were too: they are one outlet's style and words of its articles, not chrome.)"""

ALLSIDES_PHRASES = {"hide caption": 68, "replay more videos": 166, "media playback is unsupported": 68,
                    "advertisement": 363, "choose your country": 35}
"""Articles holding each phrase in ``text`` when measured (tools/real_health.py)."""


@pytest.mark.shared
def test_allsides_templates_leave_the_distinctive_terms(shared_corpus, tmp_path) -> None:
    path = shared_corpus("allsides_iran/articles.jsonl")
    result = ingest(path, out=tmp_path / "allsides", columns="allsides")
    arts = result.articles
    with open(path, encoding="utf-8") as handle:
        ratings = [json.loads(line).get("bias_text") for line in handle]
    arts["rating"] = arts["record"].map(lambda r: ratings[int(r)])
    low = analysis_text(arts).str.lower()
    for phrase, before in ALLSIDES_PHRASES.items():
        after = int(low.str.contains(phrase, regex=False).sum())
        assert after <= max(2, 0.1 * before), (phrase, before, after)
    terms = nv.distinctive_terms(arts.assign(text=analysis_text(arts)), by="rating", top=20, nested=True)
    found = sorted(set(terms["term"]) & set(ALLSIDES_TEMPLATE_TERMS))
    assert not found, terms.groupby("group")["term"].apply(", ".join).to_dict()
    topics = nv.fit_topics(arts, n_topics=8, seed=0, top_terms=10)  # reads clean_text itself
    widget = sorted(set(topics.terms["term"]) & (set(ALLSIDES_TEMPLATE_TERMS) | {"saint", "guinea", "samoa"}))
    assert not widget, topics.terms.groupby("topic")["term"].apply(", ".join).to_dict()


def test_body_repeated_inside_one_line_keeps_one_copy() -> None:
    body = " ".join(_prose("canal", 7))
    text = " ".join([body] * 14)
    out = clean_frame(pd.DataFrame({"article_id": ["r"], "outlet_id": ["x"], "text": [text]})).articles.iloc[0]
    assert out["body_copies"] == 14
    assert out["clean_text"].startswith(body) and out["clean_text"].count("officials said") == 3


def test_gallery_line_is_blanked_whole() -> None:
    captions = " ".join(f"Photos: Valley floods Valley floods – Boats near the {TOPICS[i]} of the town. "
                        f"Hide Caption {i} of 9" for i in range(1, 10))
    text = "The river rose overnight, officials said.\n\n" + captions
    out = clean_frame(pd.DataFrame({"article_id": ["g"], "outlet_id": ["x"], "text": [text]})).articles.iloc[0]
    assert out["clean_text"].strip() == "The river rose overnight, officials said."
    assert out["body_copies"] == 1


def test_credit_lines_are_kept_when_the_columns_hold_nan() -> None:
    """Pandas 3 string columns give their nulls as NaN: a credit line found is still written."""
    articles = pd.DataFrame({
        "article_id": ["a1"], "outlet_id": ["herald"],
        "text": ["The council met on Monday to vote.\n\nIt passed.\n\n"
                 "The Associated Press contributed to this report."],
        "credit_line": pd.Series([None], dtype="str"),
        "credited_source": pd.Series([None], dtype="str")})
    row = clean_frame(articles).articles.iloc[0]
    assert row["credit_line"] == "The Associated Press contributed to this report."
    assert row["credited_source"] == "unregistered:associated-press"


def test_a_credit_to_an_agency_journalist_credits_the_agency() -> None:
    """A credit to "Associated Press writer X in Y" is AP, not a one-off id for the writer."""
    lines = ["Associated Press writer Jane Roe in Kade contributed to this report.",
             "Contributing: Ivo Rask, Daily Orlet; The Associated Press",
             "Ivo Rask and Jane Roe contributed to this report."]
    articles = pd.DataFrame({
        "article_id": ["a1", "a2", "a3"], "outlet_id": ["herald"] * 3,
        "text": [f"The council met on Monday to vote.\n\nIt passed.\n\n{line}" for line in lines]})
    out = clean_frame(articles).articles
    assert out["credit_line"].tolist() == lines
    assert out["credited_source"].tolist()[:2] == ["unregistered:associated-press"] * 2
    assert pd.isna(out["credited_source"].iloc[2])  # the outlet's own staff: no source
