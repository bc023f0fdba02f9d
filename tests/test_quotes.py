"""Tests of mediaprov.quotes: speech cues, speakers, scare quotes and embedded posts.

All names are fictional.
"""

from __future__ import annotations

import pandas as pd
import pytest

from mediaprov.entities import Gazetteer
from mediaprov.quotes import find_embeds, find_quotes, quotes_in_text, sentence_spans
from mediaprov.schema import QUOTES


def _gazetteer() -> Gazetteer:
    return Gazetteer.build([
        ("ivo-rask", "person", "Ivo Rask", []),
        ("nela-brun", "person", "Nela Brun", []),
        ("tarsa", "org", "Tarsa Liberation Front", ["TLF"]),
        ("harbor-ledger", "news", "Harbor Ledger", []),
        ("kestrel-bay", "place", "Kestrel Bay", []),
    ])


def _quotes(text: str) -> list[tuple[str, str, str | None, str | None]]:
    quotes, _ = quotes_in_text(text, _gazetteer())
    return [(text[q.start:q.end], q.kind, q.speaker_id, q.cue) for q in quotes]


@pytest.mark.parametrize("text, cue", [
    ("Ivo Rask said, “We will stay in the valley.”", "said"),
    ("“We will stay in the valley,” Ivo Rask said.", "said"),
    ("“We will stay in the valley,” said Ivo Rask.", "said"),
    ("According to Ivo Rask, “we will stay in the valley.”", "according to"),
    ("Ivo Rask told the Harbor Ledger: “We will stay in the valley.”", "told"),
    ("Ivo Rask declared that “we will stay in the valley.”", "declared"),
    ('Ivo Rask, the council chair of Kestrel Bay, had said, "We will stay in the valley."', "said"),
])
def test_speech_cues_attribute_the_quote(text: str, cue: str) -> None:
    (quote,) = _quotes(text)
    assert quote[1:] == ("direct", "ivo-rask", cue)
    assert quote[0].rstrip(".,").lower().endswith("stay in the valley")


def test_possessives_and_objects_are_not_speakers() -> None:
    text = "After Nela Brun’s visit, Ivo Rask told Nela Brun: “We leave at dawn.”"
    assert _quotes(text)[0][2] == "ivo-rask"


def test_pronoun_resolves_to_the_last_person() -> None:
    text = "Nela Brun arrived late. “We were stopped at the border,” she said."
    assert _quotes(text) == [("We were stopped at the border,", "direct", "nela-brun", "said")]


def test_organisation_speaks_a_quoted_sentence_without_cue() -> None:
    text = ("The TLF published a report on the camps. “The report shows that the camps are "
            "closed and the families have left the valley.”")
    (quote,) = _quotes(text)
    assert quote[1:] == ("direct", "tarsa", "context")


def test_places_do_not_speak() -> None:
    text = "Kestrel Bay was calm. “Nothing happened here all week long, nothing at all.”"
    assert _quotes(text)[0][2] is None


@pytest.mark.parametrize("text", [
    "Critics call the TLF a “cult” these days.",
    "Nela Brun said the group is a “sect”.",
    "Nela Brun described the so-called “experts” of the TLF.",
    "Ivo Rask announced the “week of solidarity” for members.",
    "They wrote under the guise of “former members” again.",
    "They managed to “escape” from the camp.",
    "Its new book ‘Rask and the Valley, A History of the Long Winter’ sold well.",
])
def test_short_labels_are_scare_quotes(text: str) -> None:
    (quote,) = _quotes(text)
    assert quote[1] == "scare" and quote[2] is None


def test_single_word_with_a_near_cue_is_speech() -> None:
    assert _quotes("Asked if he would leave, Ivo Rask said “never”.")[0][1] == "direct"


def test_single_quotes_keep_inner_apostrophes_and_nest_in_double_quotes() -> None:
    text = "She called it ‘Rask’s folly’. Ivo Rask said: “They say ‘no’ to every plan we make.”"
    found = _quotes(text)
    assert [q[0] for q in found] == ["Rask’s folly", "They say ‘no’ to every plan we make."]
    assert [q[1] for q in found] == ["scare", "direct"]


def test_sentence_spans_skip_abbreviations_and_quotes() -> None:
    text = "Mrs. Brun met Gen. Rask. “It ended. We left,” she said.\nNext line."
    spans = [text[s:e].strip() for s, e in sentence_spans(text, protected=[(25, 47)])]
    assert spans == ["Mrs. Brun met Gen. Rask.", "“It ended. We left,” she said.", "Next line."]


def test_embedded_posts_have_author_handle_own_date_and_body() -> None:
    text = ("Intro paragraph.\n\nThe valley is quiet tonight pic.twitter.com/AbC123\n\n"
            "— Nela Brun (@NelaBrun) March 3, 2021\n\nThe article goes on, “quoting a long "
            "sentence from someone here.”")
    (embed,) = find_embeds(text)
    assert (embed.author, embed.handle, embed.posted.date().isoformat()) == (
        "Nela Brun", "@NelaBrun", "2021-03-03")
    assert text[embed.start:embed.end] == "The valley is quiet tonight pic.twitter.com/AbC123"
    quotes, _ = quotes_in_text(text, _gazetteer())
    post = [q for q in quotes if q.kind == "embedded_post"]
    assert len(post) == 1 and post[0].speaker_id == "nela-brun"
    assert post[0].cue == "@NelaBrun 2021-03-03"


def test_find_quotes_returns_a_valid_sorted_table() -> None:
    articles = pd.DataFrame({"article_id": ["b", "a"],
                             "text": ["Ivo Rask said, “Go now.” It was a “trap”.",
                                      "“Stay,” said Nela Brun."]})
    table = find_quotes(articles, _gazetteer())
    assert list(table.columns) == list(QUOTES.columns)
    assert table[["article_id", "text", "kind"]].values.tolist() == [
        ["a", "Stay,", "direct"], ["b", "Go now.", "direct"], ["b", "trap", "scare"]]
    texts = articles.set_index("article_id").text
    for row in table.itertuples():
        assert texts[row.article_id][row.start:row.end] == row.text


def test_a_quote_that_goes_on_keeps_its_speaker() -> None:
    text = ("“We were stopped at the border,” Nela Brun said. “Nobody told us why, and nobody "
            "let us call home.”\n\n“A new paragraph that is nothing but a long quote.”")
    found = _quotes(text)
    # A paragraph that is only a quote goes on with the quote that closed the paragraph before.
    assert [(q[2], q[3]) for q in found] == [("nela-brun", "said"), ("nela-brun", "continuation"),
                                             ("nela-brun", "continuation")]


def test_a_new_subject_between_stops_the_continuation() -> None:
    text = ("“We were stopped at the border,” Nela Brun said.\n\nIvo Rask denied it on "
            "Monday.\n\n“A new paragraph that is nothing but a long quote.”")
    quotes, _ = quotes_in_text(text, _gazetteer())
    assert quotes[-1].speaker is None


def test_speakers_outside_the_gazetteer_are_named_without_their_title() -> None:
    quotes, _ = quotes_in_text("“We will vote against it,” Mr. Tolan said.", _gazetteer())
    assert (quotes[0].speaker, quotes[0].speaker_id) == ("Tolan", None)
    quotes, _ = quotes_in_text("“We will vote,” said Secretary of State Saber Tolan.",
                               _gazetteer())
    assert quotes[0].speaker == "Saber Tolan"


def test_a_name_after_the_verb_must_follow_it() -> None:
    quotes, _ = quotes_in_text("“We will vote,” said Saber Tolan, a councillor.", _gazetteer())
    assert quotes[0].speaker == "Saber Tolan"
    quotes, _ = quotes_in_text("“We will vote,” she said on Monday in Orlet.", _gazetteer())
    assert quotes[0].speaker is None
