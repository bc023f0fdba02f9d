"""The fixed fictional world of the demo corpus: outlets, actors, events and camp labels.

Everything here is invented: the country Veskaria (capital Orlet) and its neighbours Halden and
Brevant, the exiled "People's Union of Veskaria" (PUV) and its political wing (NAFV), the
Veskarian government and its "Bureau of State Security" (BSS), and the people around them. The
outlets come from ``data/reference/outlets.csv`` (rows with ``pack == "demo"``), so every site
label, breadcrumb, URL and credit line the generator writes resolves through that file.

Example:
    >>> [e.entity_id for e in ENTITIES][:2]
    ['lena-dravik', 'tomas-kerrow']
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mediaprov.ingest.outlets import read_registry, registry_path

CAMPS: tuple[str, ...] = ("opposition-aligned", "government-aligned", "international")


@dataclass(frozen=True)
class Outlet:
    """One demo outlet, as listed in ``data/reference/outlets.csv``."""

    outlet_id: str
    name: str
    aliases: tuple[str, ...]
    domain: str
    camp: str

    @property
    def stem(self) -> str:
        """The domain without its ``.example`` suffix (``freedomherald``)."""
        return self.domain.rsplit(".", 1)[0]


@dataclass(frozen=True)
class Entity:
    """A fictional person or organisation, with the surface forms articles use for it.

    Attributes:
        entity_id: stable id (``lena-dravik``).
        kind: ``person`` or ``org``.
        canonical_name: the full name.
        aliases: other names (short forms, titles); the first alias is the usual short form.
        variants: misspellings seen in scrapes (``Thomas Kerow`` for ``Tomas Kerrow``).
        role: a short descriptor used in prose ("the BSS chief").
        camp: the side the actor belongs to, or ``""``.
        handle: social-media handle for embedded posts, or ``""``.
    """

    entity_id: str
    kind: str
    canonical_name: str
    aliases: tuple[str, ...]
    variants: tuple[str, ...]
    role: str
    camp: str = ""
    handle: str = ""

    @property
    def surname(self) -> str:
        """Last word of the canonical name (people only)."""
        return self.canonical_name.split()[-1]


def load_outlets(path: Path | None = None) -> list[Outlet]:
    """Read the demo outlets (``pack == "demo"``) from the outlet registry, sorted by id.

    Args:
        path: the registry CSV; default ``<reference>/outlets.csv``.

    Returns:
        The 13 demo outlets.

    Raises:
        ValueError: when the registry lists no demo outlets or a demo outlet has no camp/domain.

    Example:
        >>> len(load_outlets())
        13
    """
    path = path or registry_path()
    outlets: list[Outlet] = []
    for line, row in enumerate(read_registry(path).to_dict("records"), start=2):
        if row.get("pack") != "demo":
            continue
        if not row.get("camp") or not row.get("domains"):
            raise ValueError(f"{path}:{line}: demo outlet {row.get('outlet_id')!r} needs a camp "
                             "and a domain; fix the registry row")
        outlets.append(Outlet(row["outlet_id"], row["name"],
                              tuple(a for a in row["aliases"].split("|") if a),
                              row["domains"].split("|")[0], row["camp"]))
    if not outlets:
        raise ValueError(f"{path}: no rows with pack == 'demo'; the demo corpus needs its 13 outlets")
    return sorted(outlets, key=lambda o: o.outlet_id)


def _p(eid: str, name: str, aliases: tuple[str, ...], variants: tuple[str, ...], role: str,
       camp: str = "", handle: str = "") -> Entity:
    return Entity(eid, "person", name, aliases, variants, role, camp, handle)


def _o(eid: str, name: str, aliases: tuple[str, ...], role: str, camp: str = "",
       handle: str = "") -> Entity:
    return Entity(eid, "org", name, aliases, (), role, camp, handle)


ENTITIES: tuple[Entity, ...] = (
    _p("lena-dravik", "Lena Dravik", ("Mrs. Dravik", "Dravik"), ("Lena Dravick",),
       "the PUV leader", "opposition-aligned", "@LenaDravik"),
    _p("tomas-kerrow", "Tomas Kerrow", ("Kerrow",), ("Thomas Kerow",),
       "the head of the Bureau of State Security", "government-aligned"),
    _p("anselm-vorak", "Anselm Vorak", ("Minister Vorak", "Vorak"), ("Anselm Vorack",),
       "the interior minister", "government-aligned", "@MinVorak"),
    _p("imre-solvang", "Imre Solvang", ("Dr. Solvang", "Solvang"), ("Imre Solvaag",),
       "the Council of Nations special rapporteur", "", "@SolvangCN"),
    _p("petra-halloran", "Petra Halloran", ("Halloran",), ("Petra Haloran",),
       "a former PUV member", "", "@PHalloran"),
    _p("jonas-arden", "Jonas Arden", ("Arden",), ("Jonas Ardenn",),
       "a former BSS officer", "", "@ArdenJonas"),
    _p("mirela-osk", "Mirela Osk", ("Osk",), ("Mirella Osk",),
       "a former resident of the PUV camp", ""),
    _p("karel-fennick", "Karel Fennick", ("Fennick",), ("Carel Fenick",),
       "a former deputy at the interior ministry", ""),
    _p("davor-lisken", "Davor Lisken", ("Lisken",), ("Davor Liskin",),
       "the NAFV spokesperson", "opposition-aligned", "@DLisken_NAFV"),
    _p("greta-mallin", "Greta Mallin", ("Mallin",), ("Greta Malin",),
       "the government spokesperson", "government-aligned", "@GMallinGov"),
    _p("ruth-arden", "Ruth Arden", ("Arden",), ("Ruth Ardenne",),
       "an analyst at the Harnholm Institute", "", "@RArdenAnalysis"),
    _p("hollis-brandt", "Hollis Brandt", ("Brandt",), ("Hollis Brant",),
       "a security analyst in Halden"),
    _p("yara-quennel", "Yara Quennel", ("Quennel",), ("Yara Quenell",),
       "a researcher on exile politics"),
    _p("ottilie-ferrand", "Ottilie Ferrand", ("Ferrand",), ("Ottilie Ferand",),
       "a Brevant legal scholar"),
    _p("bram-tesselaar", "Bram Tesselaar", ("Tesselaar",), ("Bram Tesselar",),
       "the Brevant foreign minister"),
    _p("nadia-corvell", "Nadia Corvell", ("Corvell",), ("Nadia Corvel",),
       "the Halden chief prosecutor"),
    _p("edvin-sorrel", "Edvin Sorrel", ("Sorrel",), ("Edwin Sorrel",),
       "the PUV deputy leader", "opposition-aligned"),
    _p("mattis-grell", "Mattis Grell", ("Grell",), ("Matthis Grell",),
       "the chair of the Family Watch Society", "government-aligned", "@MGrellFWS"),
    _p("ansel-marek", "Ansel Marek", ("Marek",), ("Ansel Mareck",),
       "a Veskarian state television presenter", "government-aligned"),
    _p("lidia-marek", "Lidia Marek", ("Marek",), ("Lydia Marek",),
       "a PUV council member", "opposition-aligned"),
    _p("corin-abbott", "Corin Abbott", ("Abbott",), ("Corin Abbot",), "a reporter"),
    _p("mae-tolliver", "Mae Tolliver", ("Tolliver",), ("May Tolliver",), "a reporter"),
    _p("felix-ormand", "Felix Ormand", ("Ormand",), ("Felix Ormond",), "a reporter"),
    _p("sunniva-krael", "Sunniva Krael", ("Krael",), ("Sunniva Krail",), "a reporter"),
    _p("wendell-pryce", "Wendell Pryce", ("Pryce",), ("Wendel Pryce",), "a reporter"),
    _o("puv", "People's Union of Veskaria", ("PUV", "People's Union"),
       "the exiled opposition group", "opposition-aligned", "@PUV_official"),
    _o("nafv", "National Assembly of Free Veskaria", ("NAFV",),
       "the political wing of the PUV", "opposition-aligned", "@nafv_press"),
    _o("gov-veskaria", "Government of Veskaria", ("Veskarian government", "Orlet government"),
       "the government in Orlet", "government-aligned"),
    _o("bss", "Bureau of State Security", ("BSS", "State Security Bureau"),
       "the Veskarian intelligence service", "government-aligned"),
    _o("fws", "Family Watch Society", ("Family Watch",),
       "an association of families of PUV members", "government-aligned", "@FamilyWatchSoc"),
    _o("council-of-nations", "Council of Nations", ("CoN",), "the international body"),
    _o("halden-prosecutor", "Halden Prosecution Service", ("Halden prosecutors",),
       "the prosecutors of Halden"),
    _o("brevant-ministry", "Brevant Foreign Ministry", ("Brevant ministry",),
       "the foreign ministry of Brevant"),
    _o("veskarian-parliament", "Veskarian Parliament", ("the Chamber in Orlet",),
       "the national legislature"),
    _o("harnholm-institute", "Harnholm Institute", ("the Harnholm think tank",),
       "a policy institute in Halden"),
)
ENTITY_BY_ID: dict[str, Entity] = {e.entity_id: e for e in ENTITIES}

INSIDERS: tuple[str, ...] = ("petra-halloran", "jonas-arden", "mirela-osk", "karel-fennick")
"""Former insiders quoted by outlets of more than one camp."""

REPORTERS: tuple[str, ...] = ("corin-abbott", "mae-tolliver", "felix-ormand", "sunniva-krael",
                              "wendell-pryce")

QUOTED_BY_CAMP: dict[str, tuple[str, ...]] = {
    "opposition-aligned": ("jonas-arden", "karel-fennick", "mirela-osk", "lena-dravik",
                           "davor-lisken", "edvin-sorrel", "imre-solvang", "ruth-arden"),
    "government-aligned": ("petra-halloran", "karel-fennick", "mirela-osk", "anselm-vorak",
                           "greta-mallin", "mattis-grell", "tomas-kerrow", "hollis-brandt"),
    "international": ("petra-halloran", "jonas-arden", "karel-fennick", "mirela-osk",
                      "imre-solvang", "ruth-arden", "yara-quennel", "ottilie-ferrand",
                      "bram-tesselaar", "nadia-corvell"),
}
"""Whom each camp quotes: the four insiders appear in at least two camps each."""

LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "opposition-aligned": {
        "puv": ("the Resistance", "the democratic opposition", "the resistance movement"),
        "gov-veskaria": ("the regime", "the junta", "the ruling clique"),
        "fws": ("the regime's front group",),
    },
    "government-aligned": {
        "puv": ("the cult", "the sect", "the terrorist grouplet"),
        "gov-veskaria": ("the state", "the authorities", "the lawful government"),
        "nafv": ("the sect's front office",),
    },
    "international": {
        "puv": ("the exiled opposition group", "the opposition movement in exile"),
        "gov-veskaria": ("the Veskarian government", "the government in Orlet"),
    },
}
"""Camp -> actor -> the labels that camp uses for the actor (planted ground truth)."""

SCARE_QUOTES: dict[str, tuple[str, ...]] = {
    "opposition-aligned": ("former members", "families", "experts", "independent"),
    "government-aligned": ("freedom fighters", "resistance units", "democracy", "refugees"),
    "international": (),
}
"""Camp -> words that camp puts in scare quotes (symmetric: both partisan camps have four)."""

PLACES: tuple[str, ...] = (
    "Orlet", "Kessa", "Varn", "Lodmar", "Teskin", "Ostavar", "Harnholm", "Sellick", "Maren Bay",
    "Pardo", "Vell", "Corran", "Elsund", "Dorrick", "Camp Verity", "Tallow Ridge",
)


@dataclass(frozen=True)
class Event:
    """A fictional event that drives a burst of coverage."""

    event_id: str
    date: date
    label: str
    description: str
    actors: tuple[str, ...]
    place: str


EVENTS: tuple[Event, ...] = (
    Event("ev01", date(2021, 2, 9), "Kessa border arrests",
          "Border police detain eleven PUV couriers near Kessa.", ("bss", "puv", "tomas-kerrow"),
          "Kessa"),
    Event("ev02", date(2021, 4, 22), "Camp Verity inspection",
          "A Council of Nations team visits the PUV camp in Halden.",
          ("council-of-nations", "imre-solvang", "puv"), "Camp Verity"),
    Event("ev03", date(2021, 6, 14), "Harnholm rally",
          "The PUV holds its annual rally in Harnholm.", ("puv", "lena-dravik", "nafv"),
          "Harnholm"),
    Event("ev04", date(2021, 9, 3), "Fennick defection",
          "A former interior ministry deputy leaves Veskaria and speaks to the press.",
          ("karel-fennick", "gov-veskaria", "anselm-vorak"), "Elsund"),
    Event("ev05", date(2021, 11, 18), "Orlet media law",
          "The Veskarian Parliament passes a law on foreign-funded media.",
          ("veskarian-parliament", "gov-veskaria", "greta-mallin"), "Orlet"),
    Event("ev06", date(2022, 1, 20), "Family Watch hunger strike",
          "Relatives of PUV members protest outside Camp Verity.",
          ("fws", "mattis-grell", "puv"), "Camp Verity"),
    Event("ev07", date(2022, 3, 8), "Halloran testimony",
          "A former PUV member testifies before Halden lawmakers.",
          ("petra-halloran", "puv", "halden-prosecutor"), "Harnholm"),
    Event("ev08", date(2022, 5, 27), "Vell courthouse ruling",
          "A Halden court rules on a defamation suit brought by the PUV.",
          ("halden-prosecutor", "puv", "nadia-corvell"), "Vell"),
    Event("ev09", date(2022, 8, 11), "Lodmar network raid",
          "Halden police raid properties linked to a BSS network.",
          ("bss", "nadia-corvell", "jonas-arden"), "Lodmar"),
    Event("ev10", date(2022, 10, 4), "Rapporteur report",
          "The Council of Nations rapporteur publishes a report on Veskaria.",
          ("imre-solvang", "council-of-nations", "gov-veskaria"), "Ostavar"),
    Event("ev11", date(2022, 12, 15), "Teskin prisoner exchange",
          "Veskaria and Brevant exchange detainees at Teskin.",
          ("bram-tesselaar", "brevant-ministry", "gov-veskaria"), "Teskin"),
    Event("ev12", date(2023, 2, 6), "Osk interview",
          "A former camp resident gives a long interview about life in the PUV camp.",
          ("mirela-osk", "puv", "lena-dravik"), "Sellick"),
    Event("ev13", date(2023, 4, 19), "Arden leak",
          "Documents attributed to a former BSS officer circulate online.",
          ("jonas-arden", "bss", "tomas-kerrow"), "Maren Bay"),
    Event("ev14", date(2023, 6, 30), "Summit in Pardo",
          "Brevant hosts talks on Veskarian refugees.",
          ("brevant-ministry", "bram-tesselaar", "anselm-vorak"), "Pardo"),
    Event("ev15", date(2023, 8, 24), "Corran cyber incident",
          "NAFV servers are taken offline after an intrusion.", ("nafv", "bss", "davor-lisken"),
          "Corran"),
    Event("ev16", date(2023, 10, 12), "Dorrick election",
          "Veskaria holds regional elections boycotted by the PUV.",
          ("gov-veskaria", "puv", "greta-mallin"), "Dorrick"),
    Event("ev17", date(2023, 11, 29), "Sanctions vote",
          "Halden lawmakers vote on sanctions against BSS officials.",
          ("bss", "tomas-kerrow", "harnholm-institute"), "Harnholm"),
    Event("ev18", date(2023, 12, 18), "Winter rally",
          "PUV supporters rally in several Halden cities.", ("puv", "edvin-sorrel", "lidia-marek"),
          "Elsund"),
)

START: date = date(2021, 1, 1)
END: date = date(2023, 12, 31)
