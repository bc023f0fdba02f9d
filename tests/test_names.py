"""Tests of mediaprov.names (names no curated pack lists) and of discovered names in features.

All names are fictional.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from mediaprov.entities import Gazetteer
from mediaprov.features import extract_features
from mediaprov.name_merge import merge_across_articles
from mediaprov.names import DISCOVERED_METHODS, discover_names, is_discovered, name_id


def _found(text: str, **kwargs) -> list[tuple[str, str, str]]:
    return [(text[m.start:m.end], m.ids[0], m.kind)
            for m in discover_names(text, **kwargs).matches]


def test_variants_of_one_person_share_the_full_name_id() -> None:
    text = ("President Orla J. Vennick spoke on Monday. Mr. Vennick later met Orla Vennick's "
            "advisers, and President Vennick left.")
    found = _found(text)
    assert {i for _, i, _ in found} == {"name:orla-vennick"}
    assert [s for s, _, _ in found] == ["Orla J. Vennick", "Vennick", "Orla Vennick", "Vennick"]
    assert {k for _, _, k in found} == {"person"}


def test_titles_and_function_words_are_cut_off() -> None:
    text = ("Deputy Foreign Minister Tavi Korran met Secretary of State Ivo Rask. "
            "The Brask Council said it would meet in Vellmoor.")
    assert _found(text) == [("Tavi Korran", "name:tavi-korran", "person"),
                            ("Ivo Rask", "name:ivo-rask", "person"),
                            ("Brask Council", "name:brask-council", "org"),
                            ("Vellmoor", "name:vellmoor", "place")]


def test_sentence_initial_common_words_are_not_names() -> None:
    text = "Tensions rose. Officials said Ostrel would wait. Ostrel did. Still, nobody came."
    assert _found(text) == [("Ostrel", "name:ostrel", "name"), ("Ostrel", "name:ostrel", "name")]


def test_months_weekdays_and_lone_first_words_are_refused() -> None:
    assert _found("On Tuesday in January the talks ended.") == []


def test_shared_surname_is_left_out_as_ambiguous() -> None:
    text = "Mira Kestrel and Dan Kestrel came. Kestrel said no."
    assert [s for s, _, _ in _found(text)] == ["Mira Kestrel", "Dan Kestrel"]


def test_a_first_name_alone_is_never_resolved_to_a_full_name() -> None:
    text = "Tavi Korran spoke. Later Tavi al-Sarrani and Yashko Tavi answered. Tavi left."
    ids = {s: i for s, i, _ in _found(text)}
    assert ids["Tavi Korran"] == "name:tavi-korran"
    assert "name:tavi-korran" not in {i for s, i in ids.items() if s != "Tavi Korran"}


def test_acronym_in_brackets_is_an_alias_in_the_article() -> None:
    text = "The Brask Liberation Army (BLA) marched. Later the BLA withdrew."
    assert [i for _, i, _ in _found(text)] == ["name:brask-liberation-army"] * 3


def test_curated_mentions_win() -> None:
    gazetteer = Gazetteer.build([("tk", "person", "Tavi Korran", [])])
    text = "Tavi Korran met Ivo Rask."
    curated = gazetteer.match(text)
    found = discover_names(text, curated=curated)
    assert [(text[m.start:m.end], m.ids[0]) for m in found.matches] == [("Ivo Rask",
                                                                         "name:ivo-rask")]
    assert (found.spans, found.curated, found.resolved) == (2, 1, 2)


def test_bare_surname_ids_merge_into_the_corpus_full_name() -> None:
    table = pd.DataFrame({"article_id": ["a", "b", "c", "d"],
                          "entity_id": ["name:orla-vennick", "name:orla-vennick", "name:vennick",
                                        "mek"],
                          "kind": ["person", "person", "name", "org"]})
    merged = merge_across_articles(table)
    assert merged.entity_id.tolist() == ["name:orla-vennick"] * 3 + ["mek"]
    rival = pd.concat([table, pd.DataFrame({"article_id": ["e", "f"],
                                            "entity_id": ["name:bram-vennick"] * 2,
                                            "kind": ["person"] * 2})])
    assert "name:vennick" in set(merge_across_articles(rival).entity_id)  # two Vennicks: kept


def test_a_bare_word_that_mostly_stands_alone_is_not_folded_into_a_rare_full_name() -> None:
    # "Kade" (a place) stands alone in six articles; "Orla Kade" is a person in two: no fold.
    places = pd.DataFrame({"article_id": list("abcdef"), "entity_id": ["name:kade"] * 6,
                           "kind": ["place"] * 6})
    person = pd.DataFrame({"article_id": ["g", "h"], "entity_id": ["name:orla-kade"] * 2,
                           "kind": ["person"] * 2})
    table = pd.concat([places, person], ignore_index=True)
    assert merge_across_articles(table).entity_id.tolist() == table.entity_id.tolist()
    # written in as many articles as the bare form stands alone: folded
    more = pd.DataFrame({"article_id": list("ijkl"), "entity_id": ["name:orla-kade"] * 4,
                         "kind": ["person"] * 4})
    folded = merge_across_articles(pd.concat([table, more], ignore_index=True))
    assert set(folded.entity_id) == {"name:orla-kade"}
    assert merge_across_articles(pd.concat([table, more], ignore_index=True),
                                 min_full_ratio=2.0).entity_id.iloc[0] == "name:kade"


def test_a_chunk_across_a_possessive_is_never_a_fold_target() -> None:
    table = pd.DataFrame({"article_id": list("abcd"),
                          "entity_id": ["name:brask-s-council"] * 3 + ["name:council"],
                          "kind": ["person"] * 3 + ["name"]})
    assert merge_across_articles(table).entity_id.tolist() == table.entity_id.tolist()


def test_ids_and_methods_say_discovered() -> None:
    assert name_id("Tavi al-Sarrani") == "name:tavi-al-sarrani"
    assert is_discovered("name:x") and not is_discovered("mek")
    articles = pd.DataFrame({"article_id": ["a"], "text": ["Ivo Rask met Tavi Korran."]})
    features = extract_features(articles, entities=Gazetteer.build([("ir", "person", "Ivo Rask",
                                                                      [])]))
    mentions = features.mentions
    assert mentions.entity_id.tolist() == ["ir", "name:tavi-korran"]
    assert mentions.method.tolist()[1] in DISCOVERED_METHODS
    assert features.coverage == (2, 1, 2)
    assert "50.0% resolved by curated packs, 100.0% with discovered names" in features.coverage_line()
    quiet = extract_features(articles, entities=Gazetteer.build([]), discover=False)
    assert quiet.mentions.empty and quiet.coverage == (0, 0, 0)


@pytest.mark.parametrize("text", [
    "Ivo Rask said: “We will stay.” Later Rask left.",
    "“We will stay,” said Ivo Rask.",
])
def test_quoted_persons_no_pack_lists_are_cited_sources(text: str) -> None:
    articles = pd.DataFrame({"article_id": ["a"], "text": [text]})
    features = extract_features(articles, entities=Gazetteer.build([]))
    quoted = features.citations[features.citations.kind == "quoted"]
    assert quoted.source_id.tolist() == ["name:ivo-rask"]


def test_sentence_topic_and_of_phrases_are_not_person_names() -> None:
    """'Coverage of the Orlet' opens a sentence about Orlet, not a name.

    'of the' never sits inside a person's name, and a titled person ends before it (the demo's most
    mentioned 'person' was 'Coverage of the Orlet').
    """
    text = ("Rain fell. Coverage of the Orlet inquiry grew as Orlet officials met. "
            "Prime Minister Tarn Oskel of the Vell party spoke. The Council of Veskar met.")
    found = {text[m.start:m.end]: m.ids[0] for m in discover_names(text).matches}
    assert found["Orlet"] == "name:orlet"
    assert "Coverage of the Orlet" not in found
    assert found["Tarn Oskel"] == "name:tarn-oskel"
    assert found["Council of Veskar"] == "name:council-of-veskar"


def test_a_possessive_ends_a_name() -> None:
    text = "Aides said Vennick's Kade plan failed. Ivo O'Brask's staff left. Orla Tenn's aides met."
    found = [(text[m.start:m.end], m.ids[0]) for m in discover_names(text).matches]
    assert ("Vennick", "name:vennick") in found and ("Kade", "name:kade") in found
    assert ("Ivo O'Brask", "name:ivo-o-brask") in found  # an apostrophe inside a name stays
    assert ("Orla Tenn", "name:orla-tenn") in found
    assert not any("-s-" in entity for _, entity in found)


def test_a_title_inside_a_name_leaves_the_person_after_it() -> None:
    text = ("Aides said Kade Sen. Orla Vennick agreed, and the Brask Foreign Minister Ivo Rask left. "
            "Delegates met at the UN General Assembly.")
    found = [(text[m.start:m.end], m.ids[0], m.kind) for m in discover_names(text).matches]
    assert ("Orla Vennick", "name:orla-vennick", "person") in found
    assert ("Ivo Rask", "name:ivo-rask", "person") in found
    assert ("UN General Assembly", "name:un-general-assembly", "org") in found  # not a General


def test_an_acronym_is_folded_into_the_name_it_abbreviates_unless_that_is_a_person() -> None:
    rows = [("a", "name:brask-trade-council", "Brask Trade Council", "org"),
            ("b", "name:brask-trade-council", "Brask Trade Council", "org"),
            ("c", "name:btc", "BTC", "org"),
            ("d", "name:vera-pell", "Vera Pell", "person"),
            ("e", "name:vera-pell", "Vera Pell", "person"),
            ("f", "name:vp", "VP", "org"),
            ("g", "name:kade-sea-fund", "Kade Sea Fund", "org"),
            ("h", "name:ksf", "KSF", "org")]  # the full name in one article only: kept apart
    table = pd.DataFrame(rows, columns=["article_id", "entity_id", "surface", "kind"])
    merged = merge_across_articles(table)
    assert merged.entity_id.tolist() == ["name:brask-trade-council"] * 3 + [
        "name:vera-pell", "name:vera-pell", "name:vp", "name:kade-sea-fund", "name:ksf"]
    assert merged.kind.iloc[2] == "org"
    assert merge_across_articles(table.drop(columns="surface")).entity_id.iloc[2] == "name:btc"


def test_an_acronym_defined_in_articles_follows_the_definition_over_initials() -> None:
    rows = [("a", "name:kade-relief-act", "Kade Relief Act", "name", "discovered"),
            ("a", "name:kade-relief-act", "KRA", "name", "discovered-partial"),
            ("b", "name:kade-rowing-association", "Kade Rowing Association", "org", "discovered"),
            ("c", "name:kade-rowing-association", "Kade Rowing Association", "org", "discovered"),
            ("d", "name:kade-rowing-association", "Kade Rowing Association", "org", "discovered"),
            ("e", "name:kra", "KRA", "org", "discovered")]
    table = pd.DataFrame(rows, columns=["article_id", "entity_id", "surface", "kind", "method"])
    assert merge_across_articles(table).entity_id.iloc[-1] == "name:kade-relief-act"
    # without the definition, the initials decide
    assert merge_across_articles(table.drop(index=1)).entity_id.iloc[-1] == "name:kade-rowing-association"


def test_acronym_in_brackets_must_abbreviate_the_name_before_it() -> None:
    text = "Trade grew in the Brask Sea Islands (AP) - officials said, and later AP said so."
    found = [(text[m.start:m.end], m.ids[0]) for m in discover_names(text).matches]
    assert ("AP", "name:ap") in found and ("AP", "name:brask-sea-islands") not in found


# Every kind of start a name span, a speaker's name chunk or an inner capital may have, and
# positions where none may start (fictional names).
_GUARD_TEXT = ("Mr. Tarn Oskel of the Vell party met U.S. envoys, al-Rask, bin-Vell, ibn-Orla, "
               "abu-Kest, ul-Haran, el-Dor and Émile Zorn in Ösel; Lt-Gen. Bram Ketil said "
               "al-Vell el-Vell ad-Vell an-Vell as-Vell ash-Vell at-Vell az-Vell bin‑Vell "
               "ibn-Vell abu-Vell abd-Vell ul-Vell "
               "\"Yes\" (Kestrel Bay). x-Vell, #Vell, @Vell, o'Brask, Dr. A. B. Carlo\tMoss, "
               "a\u00a0Vell van der Berg, 'Quill' and ‘Orla Dunn’ left.\nSecretary of State "
               "Nela Brun and UN General Assembly envoys; 3Vell, _Vell, élan.")


def _unguarded(pattern: str, guard: str) -> re.Pattern[str]:
    assert pattern.startswith(guard)
    return re.compile(pattern[len(guard):])


def test_first_character_guards_keep_every_match() -> None:
    """The lookahead guards that speed the name regexes up find the same matches as without them."""
    from mediaprov.names import _PARTICLES, _SPAN, _UPPER
    from mediaprov.speakers.lexicon import INNER_CAPITAL, NAME_CHUNK

    assert all(f"{particle}-Vell" in _GUARD_TEXT for particle in _PARTICLES)  # each kind of start
    for regex, guard in ((_SPAN, f"(?=[{_UPPER}abeiu])"), (NAME_CHUNK, "(?=[A-Z])"),
                         (INNER_CAPITAL, "(?=[ \\t])")):
        plain = _unguarded(regex.pattern, guard)
        found = [m.span() for m in regex.finditer(_GUARD_TEXT)]
        assert len(found) >= 10
        assert found == [m.span() for m in plain.finditer(_GUARD_TEXT)]
        for start in range(len(_GUARD_TEXT)):  # .match at each position too
            guarded, unguarded = regex.match(_GUARD_TEXT, start), plain.match(_GUARD_TEXT, start)
            assert (guarded and guarded.span()) == (unguarded and unguarded.span())


_PIECES = ["Vell", "Rask", "of", "the", "On", "al-Vell", "U.S.", "ÉLAN", "Łódź", "x_1", "42", " ", "  ",
           "\t", "\u00a0", "\n", ".", ",", "“", "’s", "Mr.", "Sen."]


def _random_texts(count: int, seed: int) -> list[str]:
    import random
    pick = random.Random(seed)
    return ["".join(pick.choice(_PIECES) + pick.choice(["", " "]) for _ in range(pick.randint(0, 14)))
            for _ in range(count)]


def test_the_word_before_a_span_is_the_one_the_backward_search_finds() -> None:
    from mediaprov.names import _word_before
    search = re.compile(r"(\w+)[ \t\u00a0]+$")
    for text in _random_texts(3000, seed=7):
        for start in range(len(text) + 1):
            found = search.search(text, max(0, start - 20), start)
            assert _word_before(text, start) == (found.group(1).lower() if found else ""), (text, start)


def test_runs_split_capitalised_spans_as_a_scan_of_non_space_tokens_would() -> None:
    from mediaprov.names import _SPAN, _runs
    from mediaprov.names import FUNCTION_WORDS, _CONNECTORS

    def scanned(match: re.Match[str]) -> list[tuple[list[str], list[int]]]:
        runs, words, positions = [], [], []
        for token in re.finditer(r"\S+", match.group()):
            lowered = token.group().lower()
            if lowered in FUNCTION_WORDS and lowered not in _CONNECTORS:
                if words:
                    runs.append((words, positions))
                words, positions = [], []
                continue
            words.append(token.group())
            positions.append(match.start() + token.start())
        return runs + ([(words, positions)] if words else [])

    matches = [m for text in _random_texts(3000, seed=11) for m in _SPAN.finditer(text)]
    assert len(matches) > 1000
    for match in matches:
        assert list(_runs(match)) == scanned(match), match.group()
