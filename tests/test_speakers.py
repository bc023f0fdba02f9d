"""Tests of mediaprov.speakers: who speaks a quote, precision first.

All names are fictional. The rule these tests guard above all: an organisation or a person that is
merely mentioned near a quote, or is the object of the sentence, is never its speaker; when the
speaker is unclear it stays empty and ``speaker_method`` says why.
"""

from __future__ import annotations

import pytest

from mediaprov.entities import Gazetteer
from mediaprov.quotes import Quote, quotes_in_text
from mediaprov.speakers import SPEAKER_METHODS


def _gazetteer() -> Gazetteer:
    return Gazetteer.build([
        ("ivo-rask", "person", "Ivo Rask", []),
        ("nela-brun", "person", "Nela Brun", []),
        ("tarsa", "org", "Tarsa Liberation Front", ["TLF"]),
        ("orlet-council", "org", "Orlet Council", []),
        ("kestrel-bay", "place", "Kestrel Bay", []),
    ])


def _direct(text: str) -> list[Quote]:
    quotes, _ = quotes_in_text(text, _gazetteer())
    return [q for q in quotes if q.kind == "direct"]


@pytest.mark.parametrize("text", [
    "Officials condemned the Tarsa Liberation Front, saying “It is a danger to every family.”",
    "Officials condemned the TLF on Monday, saying “The group lies to its own members.”",
    "Officials condemned the group, saying “It is a danger to every family in the valley.”",
    "The Tarsa Liberation Front was condemned by officials who said “It is a danger to all.”",
    "Critics of the TLF said “It is a danger to every family in the valley.”",
    "A spokesman for the Tarsa Liberation Front said “We will answer in court.”",
    "The TLF’s spokesman said “We will answer every charge in court.”",
    "Former members of the TLF told the Harbor Ledger: “We were held against our will.”",
])
def test_the_group_that_is_mentioned_is_never_the_speaker(text: str) -> None:
    (quote,) = _direct(text)
    assert quote.speaker_id != "tarsa"
    assert quote.speaker is None or "Tarsa" not in quote.speaker and "TLF" not in quote.speaker
    assert quote.speaker_method is not None and quote.speaker_method.startswith("unclear-")


@pytest.mark.parametrize("text", [
    "The council criticised Ivo Rask on Monday. “He has betrayed the valley,” she said.",
    "Officials met Ivo Rask in Orlet. “He has betrayed the valley,” he said.",
    "The minister thanked Nela Brun for her work. “She kept the valley safe,” he said.",
    "After meeting Ivo Rask, she said: “He has betrayed the valley and its families.”",
])
def test_a_pronoun_never_resolves_to_the_object_of_the_sentence(text: str) -> None:
    (quote,) = _direct(text)
    assert quote.speaker is None and quote.speaker_id is None
    assert quote.speaker_method in ("unclear-pronoun", "unclear-unnamed")


def test_a_pronoun_resolves_through_a_chain_of_subjects() -> None:
    text = ("Nela Brun arrived in Orlet on Monday. She criticised Ivo Rask in a long speech. "
            "“He has betrayed the valley,” she said.")
    (quote,) = _direct(text)
    assert (quote.speaker_id, quote.speaker_method) == ("nela-brun", "pronoun")


def test_a_pronoun_resolves_to_the_last_speaker() -> None:
    text = ("“We will stay,” Ivo Rask said, but Nela Brun said the talks had failed. "
            "“Nobody listens to us,” she said.")
    quotes = _direct(text)
    assert [q.speaker_id for q in quotes] == ["ivo-rask", "nela-brun"]


@pytest.mark.parametrize("text, speaker", [
    ("“We will stay in the valley,” Ivo Rask, the chair of the Orlet Council, said.", "ivo-rask"),
    ("Ivo Rask, who chairs the Orlet Council, said: “We will stay in the valley.”", "ivo-rask"),
    ("“We will stay in the valley,” said Orlet Council spokesman Ivo Rask.", "ivo-rask"),
    ("Nela Brun of the Orlet Council said: “We will stay in the valley.”", "nela-brun"),
    ("“We will stay in the valley,” Nela Brun told the Orlet Council.", "nela-brun"),
    ("“We won the vote!” Ivo Rask shouted on the phone.", "ivo-rask"),
    ("The Orlet Council said in a statement: “We will stay in the valley.”", "orlet-council"),
    ("“We will stay in the valley,” the TLF said in a statement.", "tarsa"),
    ("The Orlet Council’s report said: “The valley is calm and the roads are open again.”",
     "orlet-council"),
])
def test_both_orders_appositives_and_organisations(text: str, speaker: str) -> None:
    (quote,) = _direct(text)
    assert quote.speaker_id == speaker


def test_a_title_resolves_to_the_named_person_who_carries_it() -> None:
    text = ("President Ivo Rask met Nela Brun on Monday. Nela Brun said the talks went well. "
            "“We agreed on the roads and on the schools,” the president said.")
    (quote,) = _direct(text)
    assert (quote.speaker_id, quote.speaker_method) == ("ivo-rask", "title")


def test_unnamed_speakers_stay_empty_with_a_reason() -> None:
    (quote,) = _direct("“We will answer in court,” a senior official said on Monday.")
    assert quote.speaker is None and quote.speaker_method == "unclear-unnamed"
    (quote,) = _direct("“We will answer in court,” Ivo Rask and Nela Brun said.")
    assert quote.speaker is None and quote.speaker_method == "unclear-several"


def test_a_quote_introduced_by_a_colon_paragraph() -> None:
    text = "In a speech in Orlet, Nela Brun warned:\n\n“The valley will not wait for us.”"
    (quote,) = _direct(text)
    assert quote.speaker_id == "nela-brun"


def test_places_never_speak() -> None:
    (quote,) = _direct("“Nothing happened here all week,” Kestrel Bay said.")
    assert quote.speaker is None and quote.speaker_method == "unclear-not-a-speaker"


def test_every_method_is_documented() -> None:
    text = ("Nela Brun arrived. “We stay,” she said. Ivo Rask said: “We go.” “And we go soon.”\n\n"
            "“We will answer in court,” an official said.")
    methods = {q.speaker_method for q in _direct(text)}
    assert methods <= set(SPEAKER_METHODS)
    assert {"pronoun", "cue-subject", "continuation", "unclear-unnamed"} <= methods


def test_the_report_speaks_for_the_organisation_that_wrote_it() -> None:
    text = ("A report by the Orlet Council describes the camps. Ivo Rask disputes it.\n\n"
            "“The camps are closed and the families have left,” the report states.")
    (quote,) = _direct(text)
    assert (quote.speaker_id, quote.speaker_method) == ("orlet-council", "title")
    (quote,) = _direct("“The camps are closed and the families have left,” the report states.")
    assert quote.speaker is None and quote.speaker_method == "unclear-title"


def test_described_speaker_after_an_inverted_cue() -> None:
    (quote,) = _direct("“We will stay in the valley,” tweeted former Orlet Council adviser "
                       "Nela Brun.")
    assert quote.speaker_id == "nela-brun"


def test_an_organisation_named_before_its_kind_and_the_kind_alone() -> None:
    text = ("In a statement, Orlet Council charity said it was “deeply worried by the floods”.\n\n"
            "“Hundreds of families have left the valley this week,” the charity said.")
    quotes = _direct(text)
    assert [q.speaker_id for q in quotes] == ["orlet-council", "orlet-council"]


def test_according_to_a_name_with_its_article() -> None:
    (quote,) = _direct("The dam was “never inspected by anyone in the ministry,” according to "
                       "The Harbor Ledger.")
    assert quote.speaker == "Harbor Ledger" and quote.cue == "according to"


def test_with_x_saying_names_x_but_a_bare_participle_never_names_the_object() -> None:
    (quote,) = _direct("Criticism came from the council, with former chair Nela Brun saying the "
                       "plan “will flood every farm in the valley.”")
    assert quote.speaker_id == "nela-brun"
    (quote,) = _direct("Officials condemned the TLF saying “It is a danger to every family.”")
    assert quote.speaker_id is None


def test_a_quotation_over_several_paragraphs_keeps_its_speaker() -> None:
    text = ("Ivo Rask spoke for an hour on Monday.\n\n"
            "“We were stopped at the border and nobody told us why.\n\n"
            "“Then we waited for three days in the cold,” Nela Brun said.")
    quotes = _direct(text)
    assert [text[q.start:q.end][:12] for q in quotes] == ["We were stop", "Then we wait"]
    assert [q.speaker_id for q in quotes] == ["nela-brun", "nela-brun"]


def test_transcript_turns_are_spoken_by_their_label() -> None:
    text = ("Nela Brun spoke to the Harbor Ledger on Monday.\n\n"
            "NELA BRUN: We will stay in the valley.\n"
            "HOST: And the council?\n"
            "NELA BRUN: The council has not called us once.\n"
            "UPDATE: The council replied on Tuesday.")
    quotes = [q for q in _direct(text) if q.cue == "transcript"]
    assert [(text[q.start:q.end][:10], q.speaker) for q in quotes] == [
        ("We will st", "Nela Brun"), ("And the co", None), ("The counci", "Nela Brun")]
    assert quotes[0].speaker_id == "nela-brun" and quotes[0].speaker_method == "transcript"


def test_question_and_answer_transcripts() -> None:
    text = ("An interview with Ivo Rask, chair of the Orlet Council.\n\n"
            "Q: Will you stay?\nA: We will stay in the valley.\nQ: Why?\nA: It is our home.")
    quotes = [q for q in _direct(text) if q.cue == "transcript"]
    assert [q.speaker_id for q in quotes] == [None, "ivo-rask", None, "ivo-rask"]


def test_a_single_label_line_is_not_a_transcript() -> None:
    text = "NOTE: This story was updated.\nKestrel Bay: calm again after the storm."
    assert [q for q in _direct(text) if q.cue == "transcript"] == []
