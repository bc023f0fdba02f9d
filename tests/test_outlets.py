"""Outlet registry resolution."""

from __future__ import annotations

import pandas as pd
import pytest

from mediaprov.ingest.outlets import OutletRegistry, provisional_outlet_id


@pytest.fixture(scope="module")
def registry() -> OutletRegistry:
    return OutletRegistry.load()


@pytest.mark.parametrize("text, outlet", [
    ("NCRI", "ncri"), ("Source » ncr-iran", "ncri"), ("ncr-iran.org", "ncri"),
    ("https://www.iran-interlink.org/?p=5", "iran-interlink"), ("Iran-Interlink", "iran-interlink"),
    ("Nejat Society", "nejat-society"), ("en.mehrnews.com", "mehr-news"), ("The Guardian", "the-guardian"),
    ("Via: Freedom Herald", "freedom-herald"), ("freedomherald.example", "freedom-herald"),
    ("VNA", "vna"), ("GWS", "global-wire"),
])
def test_resolves_names_aliases_domains_and_credits(registry, text, outlet):
    assert registry.resolve(text) == outlet


@pytest.mark.parametrize("text", ["", "Unknown Gazette", "Home", "the"])
def test_unknown_names_resolve_to_nothing(registry, text):
    assert registry.resolve(text) is None


def test_ambiguous_alias_resolves_to_nothing():
    table = pd.DataFrame({"outlet_id": ["a", "b"], "name": ["Alpha", "Beta"],
                          "aliases": ["Daily", "Daily"], "domains": ["a.example", "b.example"]})
    registry = OutletRegistry.from_table(table)
    assert registry.resolve("Daily") is None and "daily" in registry.ambiguous
    assert registry.resolve("Alpha") == "a"


def test_duplicate_ids_are_an_error():
    table = pd.DataFrame({"outlet_id": ["a", "a"], "name": ["A", "B"], "aliases": ["", ""], "domains": ["", ""]})
    with pytest.raises(ValueError, match="duplicate outlet ids"):
        OutletRegistry.from_table(table)


def test_registry_ids_are_unique_and_camps_come_from_data(registry):
    assert registry.table.outlet_id.is_unique
    assert registry.camp("freedom-herald") == "opposition-aligned"
    assert registry.camp("ncri") is None  # real outlets: affiliation is the researcher's to supply


def test_provisional_ids_are_marked():
    assert provisional_outlet_id("CNN (Web News)") == "unregistered:cnn-web-news"


def test_normalise_name_folds_typography_as_a_character_table_would() -> None:
    """The typographic replacements give what one character table gives, accents and spacing too."""
    import unicodedata

    from mediaprov.ingest import outlets

    table = str.maketrans(dict(outlets._TYPOGRAPHY))

    def by_table(text: str) -> str:
        folded = text.translate(table)
        if not folded.isascii():
            folded = outlets._COMBINING.sub("", unicodedata.normalize("NFKD", folded))
        return " ".join(folded.lower().split())

    every = "".join(typographic for typographic, _ in outlets._TYPOGRAPHY)
    texts = ["", "plain ascii  Text", f"  {every} ", "Nūr’s “Élan” – 2024—25 ‐ ok", every * 3 + "é",
             "’‘“”–—‐" + "x" * 50 + "’", "Ｆｕｌｌ width ﬁ ligature", "tab\tand\nnewline’s"]
    assert [outlets.normalise_name(text) for text in texts] == [by_table(text) for text in texts]
    assert outlets.normalise_name("“A” ‘b’ c–d—e‐f") == "\"a\" 'b' c-d-e-f"
