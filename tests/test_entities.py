"""Tests of mediaprov.text (folding with offsets) and mediaprov.entities (gazetteer mentions).

All names are fictional.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from mediaprov.entities import (ENTITY_COLUMNS, ENTITY_OPTIONAL_COLUMNS, Gazetteer, find_mentions,
                                load_entities, pack_from_truth, refused_aliases, suggest_aliases)
from mediaprov.entities.gazetteer import _words
from mediaprov.schema import MENTIONS
from mediaprov.text import fold, rewrite


def _gazetteer() -> Gazetteer:
    return Gazetteer.build([
        ("tarsa", "org", "Tarsa Liberation Front", ["TLF", "Tarsa Front", "Frente Tarsa"]),
        ("mira-kestrel", "person", "Mira Kestrel", []),
        ("dan-kestrel", "person", "Dan Kestrel", []),
        ("lia-moro-khani", "person", "Lia Moro-Khani", []),
        ("orvel-lind", "person", "Orvel Lind", ["Orvel Lindqvist"]),
        ("channel-9", "broadcaster", "Channel 9", ["Channel 9 News"]),
        ("beacon", "news", "Beacon", []),
        ("habrin", "org", "Habrinov Society", ["Habrinov"]),
        ("jack-bell", "person", "Jack Bell", []),
    ])


def _mentions(text: str) -> list[tuple[str, str, str]]:
    return [("|".join(m.ids), text[m.start:m.end], m.method) for m in _gazetteer().match(text)]


@pytest.mark.parametrize("text, folded", [
    ("Moro–Khani’s “Front”", "moro khani's \"front\""),
    ("ÉLAN Çay", "elan cay"),
    ("a\u00a0b\tc\nd", "a b c d"),
    ("Straße", "strase"),
])
def test_fold_keeps_length_and_folds_typography(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert len(fold(text)) == len(text)


def test_fold_of_ascii_text_is_the_per_character_fold() -> None:
    """ASCII texts are folded by a byte table: the same as the fold of each character."""
    from mediaprov.text import _TABLE

    every_ascii = "".join(chr(code) for code in range(128))
    assert fold(every_ascii) == every_ascii.translate(_TABLE)
    assert fold("A-b\tC`D\x1f") == "a b c'd "
    assert fold("") == ""


def _reference_corrections(gazetteer: Gazetteer, folded: str, text: str) -> list[tuple]:
    """The corrections as one scan of every word finds them (the code before str.find)."""
    import re

    targets = {}
    for token in set(re.findall(r"[^\W\d_]{4,}", folded)) - gazetteer.vocabulary:
        target = gazetteer._fuzzy_token(token)
        if target is not None:
            targets[token] = target
    found = []
    for word in re.finditer(r"[^\W\d_]{4,}", folded):
        target = targets.get(word.group())
        if target is None or (target in gazetteer.single_tokens and not text[word.start()].isupper()):
            continue
        if word.start() > 0 and folded[word.start() - 1] in "@/.#_":
            continue
        found.append((word.start(), word.end(), target))
    return found


@pytest.mark.parametrize("text", [
    "Habrinow met habrinow, xHabrinow and Habrinowx; @Habrinow /Habrinow Habrinow.",
    "Habrinow",
    "Liberaton liberaton2 2Liberaton _Liberaton Liberatonµ Liberaton² Libération Kestrl",
    "Chanel Chanel-Chanel Chanelchanel ChanelChanel Chanel",
    "Kestrl Liberaton Habrinow Kestrl Liberaton Habrinow Chanel Kestrl",  # words alternate
    "nothing to correct here at all",
    "",
])
def test_fuzzy_corrections_are_those_of_a_scan_of_every_word(text: str) -> None:
    gazetteer = _gazetteer()
    folded = fold(text)
    assert gazetteer._fuzzy_corrections(folded, text) == _reference_corrections(
        gazetteer, folded, text)


@pytest.mark.parametrize("text", [
    "Habrinow's 2024 report_card: ABCD abc abcd x-ray-tests, well-known ÉLAN élan",
    "plain ascii words only, with digits 1234abcd and under_scores",
    "Ṣadr Çelik Łódź İstanbul straße",  # folds to ASCII with a capital I ("İ" -> "I")
    "Привет мир Ωmega déjà-vu",  # folds to text that is not all ASCII
    "",
])
def test_the_word_scan_of_ascii_texts_is_the_unicode_one(text: str) -> None:
    folded = fold(text)
    assert _words(folded) == frozenset(re.findall(r"[^\W\d_]{4,}", folded))


def test_two_gazetteers_on_one_text_find_what_each_finds_alone() -> None:
    from mediaprov.entities.gazetteer import _folded
    people, places = _gazetteer(), Gazetteer.build([("hb", "place", "Habrinow", [])])
    texts = ["Mira Kestrel met the Tarsa Liberaton Front in Habrinow. Kestrel left.",
             "Habrinov and Chanel 9 met.", "Habrinow"]
    alone = []
    for text in texts:
        for gazetteer in (people, places):
            _folded.cache_clear()
            _words.cache_clear()
            alone.append(gazetteer.match(text))
    together = [g.match(text) for text in texts for g in (people, places)]
    assert together == alone
    assert any(alone)


def test_rewrite_maps_offsets_back() -> None:
    new, offsets = rewrite("lia moro kani said", [(9, 13, "khani")])
    assert new == "lia moro khani said"
    start, end = new.index("lia"), new.index("khani") + len("khani")
    assert (offsets.start(start), offsets.end(end)) == (0, 13)
    assert offsets.start(new.index("said")) == 14
    with pytest.raises(ValueError, match="overlaps"):
        rewrite("abc", [(0, 2, "x"), (1, 3, "y")])


def test_exact_matching_tolerates_case_hyphens_and_curly_quotes() -> None:
    found = _mentions("The TARSA LIBERATION FRONT and Lia Moro Khani met Lia Moro–Khani.")
    assert found == [("tarsa", "TARSA LIBERATION FRONT", "exact"),
                     ("lia-moro-khani", "Lia Moro Khani", "exact"),
                     ("lia-moro-khani", "Lia Moro–Khani", "exact")]


def test_longest_alias_wins() -> None:
    assert _mentions("Orvel Lindqvist spoke.") == [("orvel-lind", "Orvel Lindqvist", "exact")]


def test_capitalised_aliases_need_capitals_in_the_text() -> None:
    assert _mentions("a beacon of hope and the tlf.") == []
    assert _mentions("the Beacon and the TLF.") == [("beacon", "Beacon", "exact"),
                                                    ("tarsa", "TLF", "exact")]


def test_fuzzy_matches_spelling_variants_of_names() -> None:
    found = _mentions("Lia Moro-Kani wrote to Tarsa Liberaton Front and spoke on UK Chanel 9.")
    assert found == [("lia-moro-khani", "Lia Moro-Kani", "fuzzy"),
                     ("tarsa", "Tarsa Liberaton Front", "fuzzy"),
                     ("channel-9", "Chanel 9", "fuzzy")]


def test_fuzzy_leaves_common_words_alone() -> None:
    assert _mentions("They went back to the bank and rang the bel. habrinow is far.") == []
    assert _mentions("We met Habrinow there.") == [("habrin", "Habrinow", "fuzzy")]
    assert _mentions("Kack Bell came.") == []  # a first letter changed is not a variant


def test_surname_resolves_only_when_one_full_mention_in_the_article() -> None:
    assert _mentions("Mira Kestrel arrived. Later Kestrel spoke.") == [
        ("mira-kestrel", "Mira Kestrel", "exact"), ("mira-kestrel", "Kestrel", "partial")]
    assert _mentions("Later Kestrel spoke.") == []


def test_shared_surname_stays_ambiguous_and_apart() -> None:
    found = _mentions("Mira Kestrel and Dan Kestrel came. Kestrel said no.")
    assert found[-1] == ("dan-kestrel|mira-kestrel", "Kestrel", "ambiguous")
    articles = pd.DataFrame({"article_id": ["a"],
                             "text": ["Mira Kestrel and Dan Kestrel came. Kestrel said no."]})
    assert set(find_mentions(articles, _gazetteer()).entity_id) == {"mira-kestrel", "dan-kestrel"}
    kept = find_mentions(articles, _gazetteer(), keep_ambiguous=True)
    assert kept.method.tolist()[-1] == "ambiguous"


def test_first_name_alone_never_resolves() -> None:
    assert _mentions("Orvel Lind came. Orvel spoke.") == [("orvel-lind", "Orvel Lind", "exact")]


@pytest.mark.parametrize("text", [
    "Supreme Leader Tavi Korran spoke. Grand Ayatollah Tavi al-Sarrani urged calm.",
    "Tavi Korran spoke. Tavi al-Sarrani urged calm.",
    "Tavi Korran spoke. The reporter Yashko Tavi wrote about it.",
    "Tavi Korran spoke, and Crown Prince Tavi of Ostrel answered.",
])
def test_first_name_of_a_known_person_is_not_that_person(text: str) -> None:
    # the misfires seen on real news ("Ali" of Ali al-Sistani, Yashar Ali, Crown Prince Hassan
    # taken for a curated "Ali ..." or "Hassan ..."), with fictional names
    gazetteer = Gazetteer.build([("tavi-korran", "person", "Tavi Korran", ["Korran"])])
    found = [(text[m.start:m.end], m.ids) for m in gazetteer.match(text)]
    assert all(surface.endswith("Korran") for surface, _ in found)


def test_surname_after_another_capitalised_name_is_not_resolved() -> None:
    gazetteer = Gazetteer.build([("tavi-korran", "person", "Tavi Korran", [])])
    text = "Tavi Korran spoke. Later Bram Korran, his cousin, left. President Korran stayed."
    assert [text[m.start:m.end] for m in gazetteer.match(text)] == ["Tavi Korran",
                                                                    "President Korran"]


def test_ambiguous_aliases_resolve_only_in_context() -> None:
    gazetteer = Gazetteer.build([("tlf", "org", "Tarsa Liberation Front", [], ["Liberators"])])
    assert [m.method for m in gazetteer.match("The Liberators marched.")] == []
    text = "The Tarsa Liberation Front met. The Liberators marched."
    assert [(text[m.start:m.end], m.method) for m in gazetteer.match(text)] == [
        ("Tarsa Liberation Front", "exact"), ("Liberators", "partial")]


def test_first_names_and_common_words_are_refused_as_aliases(tmp_path) -> None:
    assert refused_aliases("Orvel Lind", "person", ["Orvel", "Lind", "Never"]) == ["Orvel",
                                                                                   "Never"]
    path = tmp_path / "entities.csv"
    path.write_text("entity_id,kind,canonical_name,aliases,citation,pack\n"
                    "ol,person,Orvel Lind,Orvel|Lind,x,p\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"entities.csv:2: .*'Orvel'.*ambiguous_aliases"):
        load_entities(path)
    path.write_text("entity_id,kind,canonical_name,aliases,citation,pack,ambiguous_aliases\n"
                    "ol,person,Orvel Lind,Lind,x,p,Orvel\n", encoding="utf-8")
    assert load_entities(path).ambiguous_aliases.tolist() == ["Orvel"]


def test_packs_scoped_to_a_corpus_match_only_there() -> None:
    everywhere = set(load_entities(corpus="demo").pack)
    assert everywhere == {"iran", "demo"}
    assert set(load_entities(corpus="allsides_iran").pack) == {"iran"}
    gazetteer = Gazetteer.from_entities(load_entities(corpus="allsides_iran"))
    assert gazetteer.match("Con! The CoN said.") == []


def test_bare_name_inside_another_name_is_not_a_mention() -> None:
    assert _mentions("Mira Kestrel flew over Kestrel Bay.") == [
        ("mira-kestrel", "Mira Kestrel", "exact")]


def test_titles_join_person_mentions_but_not_longer_titles() -> None:
    assert _mentions("Mrs. Mira Kestrel came.")[0][1] == "Mrs. Mira Kestrel"
    assert _mentions("Secretary General Orvel Lind came.")[0][1] == "Orvel Lind"


def test_find_mentions_returns_a_sorted_valid_table() -> None:
    articles = pd.DataFrame({"article_id": ["b", "a"],
                             "text": ["Jack Bell met the TLF.", "Beacon: Jack Bell."]})
    table = find_mentions(articles, _gazetteer())
    assert list(table.columns) == list(MENTIONS.columns)
    assert table[["article_id", "start"]].values.tolist() == [["a", 0], ["a", 8], ["b", 0],
                                                             ["b", 18]]
    for row in table.itertuples():
        text = articles.set_index("article_id").text[row.article_id]
        assert text[row.start:row.end] == row.surface
    assert table.equals(find_mentions(articles, _gazetteer()))


def test_load_entities_reports_bad_rows(tmp_path) -> None:
    path = tmp_path / "entities.csv"
    path.write_text("entity_id,kind,canonical_name,aliases,citation,pack\n"
                    "a,org,Alpha,,x,p\na,org,Alpha Two,,x,p\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"entities.csv:3: entity_id 'a' already used on line 2"):
        load_entities(path)
    path.write_text("entity_id,kind\na,org\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing columns"):
        load_entities(path)
    with pytest.raises(FileNotFoundError, match="--entities"):
        load_entities(tmp_path / "absent.csv")


def test_shipped_entities_table_is_consistent() -> None:
    table = load_entities()
    assert list(table.columns) == [*ENTITY_COLUMNS, *ENTITY_OPTIONAL_COLUMNS]
    assert table.entity_id.is_unique
    assert set(table.pack) <= {"iran", "demo"}
    mek = table.set_index("entity_id").aliases["mek"].split("|")
    for name in ("PMOI", "People's Mojahedin Organization of Iran", "Mojahedin-e Khalq",
                 "Mujahedin-e Khalq", "MKO", "Monafiqeen", "MEK"):
        assert name in mek
    for entity_id in ("ncri", "mois", "nejat-society", "iran-interlink", "asila", "habilian",
                      "spak"):
        assert entity_id in set(table.entity_id[table.pack == "iran"])


def test_shipped_gazetteer_finds_the_named_variants() -> None:
    gazetteer = Gazetteer.from_entities(load_entities(packs=["iran"]))
    text = "the Mujahedin-e Khalq (MKO), the Monafiqeen and the Ministry of Intelligence (MOIS)"
    assert [m.ids[0] for m in gazetteer.match(text)] == ["mek", "mek", "mek", "mois", "mois"]


@pytest.mark.parametrize("variant", [
    "Mojahedin-e Khalgh", "monafeqin", "Mojahedin/Monafeqeen", "Peoples Mujahideen of Iran",
    "Mujahideen-e Khalq",
])
def test_real_spellings_of_the_mek_resolve(variant: str) -> None:
    gazetteer = Gazetteer.from_entities(load_entities(packs=["iran"]))
    text = f"Officials spoke about the {variant} on Monday."
    found = gazetteer.match(text)
    assert found and {m.ids[0] for m in found} == {"mek"}
    assert "".join(text[m.start:m.end] for m in found).replace("/", "") in variant.replace("/", "")


def test_the_mojahedin_resolves_only_where_the_mek_is_named() -> None:
    gazetteer = Gazetteer.from_entities(load_entities(packs=["iran"]))
    assert gazetteer.match("The Mojahedin fought in the hills.") == []
    text = "The MEK held a rally. The Mojahedin said it was peaceful."
    assert [(text[m.start:m.end], m.ids[0]) for m in gazetteer.match(text)] == [
        ("MEK", "mek"), ("Mojahedin", "mek")]


def test_pack_rows_are_symmetric_in_variant_names() -> None:
    # every camp's actors carry variant spellings, not only one side's
    table = load_entities(packs=["iran"]).set_index("entity_id")
    for entity_id in ("mek", "ali-khamenei", "hassan-rouhani", "maryam-rajavi", "mois"):
        assert len(table.aliases[entity_id].split("|")) >= 3, entity_id


def test_suggest_aliases_lists_unmatched_names_by_frequency() -> None:
    articles = pd.DataFrame({"article_id": ["a", "b"],
                             "text": ["Saber Tolan wrote. Jack Bell said. Saber Tolan left.",
                                      "Then Saber Tolan and Ivo Rask came. Ivo Rask sat."]})
    mentions = find_mentions(articles, _gazetteer())
    table = suggest_aliases(articles, mentions, min_count=2)
    assert table.name.tolist() == ["Saber Tolan", "Ivo Rask"]
    assert table["count"].tolist() == [3, 2] and table.articles.tolist() == [2, 1]


def test_pack_from_truth_leaves_bare_names_to_the_partial_rule(tmp_path) -> None:
    path = tmp_path / "entities.csv"
    path.write_text("entity_id,kind,canonical_name,aliases,role\n"
                    "ana-vell,person,Ana Vell,Vell|Anna Vell|Ana,x\n"
                    "orb,org,Orb Council,Orb|OC,y\n", encoding="utf-8")
    pack = pack_from_truth(path, pack="demo")
    assert pack.aliases.tolist() == ["Anna Vell", "Orb|OC"]
    assert set(pack.pack) == {"demo"} and list(pack.columns) == list(ENTITY_COLUMNS)
