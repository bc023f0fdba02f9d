"""Tests of mediaprov.text (folding with offsets) and mediaprov.entities (gazetteer mentions).

All names are fictional.
"""

from __future__ import annotations

import pandas as pd
import pytest

from mediaprov.entities import (ENTITY_COLUMNS, Gazetteer, find_mentions, load_entities,
                                pack_from_truth, suggest_aliases)
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


def test_first_name_resolves_like_a_surname() -> None:
    assert _mentions("Orvel Lind came. Orvel spoke.")[-1] == ("orvel-lind", "Orvel", "partial")


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
    assert list(table.columns) == list(ENTITY_COLUMNS)
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
