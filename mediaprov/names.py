"""Name discovery: persons, organisations and places that no curated pack lists.

Curated packs (:mod:`mediaprov.entities`) know the actors a researcher wrote down; real corpora
name many more (heads of state, ministers, agencies, cities). This module finds them with a
name chunker that needs no model and no curated entry:

1. **chunking**: runs of capitalised words (``Mohammad Javad Zarif``), with inner particles
   (``Ministry of Foreign Affairs``, ``Ali al-Sistani``, ``Osama bin Laden``) and initials
   (``Donald J. Trump``), never across punctuation or a line break;
2. **trimming**: leading function words (``The``, ``In``, ``But``...) and titles
   (``President``, ``Foreign Minister``, ``Secretary of State``, ``Mr.``) are cut off; a title
   makes the rest a person. A possessive ``'s`` is cut off, and it ends the name ("Obama's Iran"
   is Obama, then Iran). Months, weekdays and capitalised
   common words are refused; a lone word at the start of a sentence is kept only when the
   article also writes it capitalised inside a sentence (``Tensions`` is refused, ``Tehran`` is
   kept);
3. **kind**: organisation when a word says so (``Ministry``, ``Council``, ``Agency``,
   ``Party``...) or the name is an acronym, place when a word says so (``Province``, ``Gulf``,
   ``Strait``...) or a lone word follows ``in``/``at``/``from``, person when a title came
   before or the name has two to four plain words; else ``name``;
4. **coreference within the article**: a bare surname (``Trump``, ``Mr. Trump``,
   ``President Trump``) takes the id of the one full name in the article that ends with it
   (``Donald Trump``); when two full names share it, the bare name is left out (ambiguous), as
   the curated matcher does. A first name alone is never resolved (``Ali`` is not Ali Khamenei).
   ``Full Name (ACR)`` makes ``ACR`` an alias of the full name in the article. Middle initials
   are dropped from the canonical form (``Donald J. Trump`` = ``Donald Trump``);
5. **merge across articles** (:func:`mediaprov.name_merge.merge_across_articles`): ids are
   canonical forms (``name:donald-trump``), so articles that write the full name share one id; a
   bare surname id (``name:trump``) is folded into the full name that ends with it in most of the
   corpus, and an acronym (``name:un``) into the name it abbreviates (``name:united-nations``).

Curated packs win: a discovered name that overlaps a curated mention is dropped. Discovered
mentions carry ``method`` ``discovered`` (the name as written) or ``discovered-partial`` (a
short form resolved within the article), and ids that start with :data:`DISCOVERED_PREFIX`.

Example:
    >>> text = "President Orla Vennick met Kade officials. Vennick said the Brask Council agreed."
    >>> found = discover_names(text)
    >>> [(text[m.start:m.end], m.ids[0], m.kind, m.method) for m in found.matches]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Orla Vennick', 'name:orla-vennick', 'person', 'discovered'),
     ('Kade', 'name:kade', 'name', 'discovered'),
     ('Vennick', 'name:orla-vennick', 'person', 'discovered-partial'),
     ('Brask Council', 'name:brask-council', 'org', 'discovered')]
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from mediaprov.entities import Match
from mediaprov.ingest.outlets import slugify

DISCOVERED_PREFIX = "name:"
"""Prefix of the ids of discovered names (``name:donald-trump``); curated ids never have it."""

DISCOVERED_METHODS: tuple[str, ...] = ("discovered", "discovered-partial")
"""``mentions.method`` values of discovered names."""

# ---------------------------------------------------------------------------------- word lists
# Words that are never part of a name: function words, pronouns, months and weekdays (``May``
# and ``March`` are also names, so they are only refused alone). They split a capitalised run.
FUNCTION_WORDS: frozenset[str] = frozenset("""
a the of for on about above after again against all also although am among an and another any are as at
be because been before being below between both but by can could did do does doing down during
each either even ever every few from further had has have having he her here hers herself
him himself his how however i if in into is it its itself just let me meanwhile might must my
myself neither never no nor not now off often once or our ours out over perhaps she should
since so some such than that their theirs them then there therefore these they this those
though through thus to too under until up upon very was we were what whatever when where
whether which while who whom whose why will with within without would yet you your yours
yesterday today tomorrow tonight instead indeed despite amid according i'm i've i'd i'll
monday tuesday wednesday thursday friday saturday sunday january february april june july
august september october november december jan feb apr jun jul aug sep sept oct nov dec
""".split())

# Words written with a capital at the start of a sentence or in page chrome that are not names
# on their own; cut from the front of a run and refused alone (``Fox News`` keeps ``News``).
COMMON_WORDS: frozenset[str] = FUNCTION_WORDS | frozenset("""
may march mr mrs ms dr st click read watch close update updated video photo photos image
images advertisement share comments comment related more sign subscribe follow editor editors
note breaking live opinion analysis news report reports reporting first second third old
several many most two three four five six seven eight nine ten hundreds thousands millions
dozens still well yes oh okay ok please thank thanks hello last next earlier later other
others one same each more much less least only even just already since both
""".split())

TITLES_CORE: frozenset[str] = frozenset("""
President Vice-President Minister Secretary Secretary-General Leader Ayatollah Grand Mr Mrs Ms Miss Dr Prof
Professor Gen General Lt Col Colonel Maj Major Capt Captain Adm Admiral Sgt Sergeant Cmdr
Commander Brig Brigadier Sen Senator Rep Representative Gov Governor Mayor Judge Justice
Ambassador Envoy Chancellor Premier King Queen Prince Princess Crown Emir Sheikh Sheik Imam
Cleric Hojatoleslam Pope Rev Reverend Father Sir Dame Lord Lady Madam Mme Mister Chairman
Chairwoman Chair Speaker Spokesman Spokeswoman Spokesperson Director Chief Adviser Advisor
Attorney Prosecutor Officer Agent Deputy Sultan Marshal Pastor Rabbi Bishop Archbishop Cardinal
Lieutenant Private Corporal Coach Superintendent Commissioner Inspector President-elect
Dictator Strongman Candidate Nominee Analyst Correspondent Reporter Columnist Anchor Host
Author Activist Lawmaker Congressman Congresswoman Councilman Councilwoman Delegate Economist
""".split())
"""Words that make the capitalised words after them a person's name."""

TITLE_MODIFIERS: frozenset[str] = frozenset("""
Former Ex Acting Deputy Vice Assistant Under Prime Foreign Defense Defence Interior Supreme
Chief Senior Top Executive Press Military National Security Intelligence Economic Finance
Justice Health Energy Oil Trade Commerce Labor Labour State Special Presidential White House
Senate Democratic Republican Independent Majority Minority Late Then Incoming Outgoing
Secretary-General Secretary General UN Iranian American Israeli Saudi British French German
Russian Chinese Iraqi Syrian Lebanese US U.S. Revolutionary Guards Guard Quds Force Navy Army
Air Judiciary Parliament Parliamentary Opposition Islamic Republic Iran's
""".split())
"""Words that may come between a title and the name (``Deputy Foreign Minister X``)."""

TITLE_COMPLEMENTS: frozenset[str] = frozenset("""
State Defense Defence Treasury Energy Commerce Homeland Security Staff Joint Chiefs Affairs
Foreign Interior Justice Health Education Intelligence Finance Economy Transportation
Agriculture Labor Labour Veterans Housing Police Armed Forces Staff Department General
""".split())
"""Words after ``Secretary of`` / ``Minister for`` that belong to the title."""

ORG_WORDS: frozenset[str] = frozenset("""
Ministry Department Council Organization Organisation Agency Agencies Party Corps Guard Guards Nations
Committee Commission Association Society Foundation Institute Institution University College
School Academy Company Corporation Corp Inc Ltd LLC Group Bank Union Assembly Parliament
Congress Senate Court Office Administration Army Navy Force Forces Police Service Services
News Times Post Journal Press Network Fund Center Centre Bureau Board Authority Federation
Alliance Front Movement Brigade Brigades Coalition Cabinet Government Regime Republic Airlines
Airways Airline Television TV Radio Broadcasting Tribune Herald Gazette Daily Weekly Magazine
Review Reuters Club Church Mosque Hospital Foundation Trust Initiative Project Program
Programme Caucus Majlis House Pentagon Kremlin Guardian Telegraph Monitor Observer Examiner
Chronicle Independent Express Mail Standard Wire Channel Media Watch Network Exchange
""".split())
"""A word that makes a name an organisation (``Brask Council``, ``The Harbor Times``)."""

PLACE_WORDS: frozenset[str] = frozenset("""
City Province County District Region State States Street Square Avenue Road Gulf Sea Ocean
Strait Straits Island Islands Mountains Mountain Mount River Valley Lake Bay Peninsula Desert
Airport Port Base Camp Border Kingdom Emirates Territories Territory Coast Plain Canal Bridge
Capital Capitol Hill Heights Highlands Park Village Town Zone
""".split())
"""A word that makes a name a place (``Hormuz Strait``, ``Kerman Province``)."""

PLACE_PREPOSITIONS: frozenset[str] = frozenset({"in", "at", "from", "near", "across", "inside",
                                                "outside", "to", "into", "toward", "towards"})

_CONNECTORS = ("of", "the", "for", "de", "du", "da", "del", "della", "di", "la", "le", "van",
               "von", "der", "den", "bin", "ibn", "bint", "al", "el")
_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "St", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Maj",
                  "Capt", "Sgt", "Adm", "Jr", "Sr", "Prof", "Rev", "Mt", "Ft", "Cmdr", "Brig",
                  "Gens", "Sens", "Reps", "Messrs", "Pres", "Supt", "Insp", "Lt-Gen", "Maj-Gen")
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĒĖĘĚĞĪĮİŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŲŹŻŽ"
_LETTER = r"[^\W\d_]"
_PARTICLES = ("al", "el", "ad", "an", "as", "ash", "at", "az", "bin", "ibn", "abu", "abd", "ul")
"""Lower-case particles joined by a hyphen to a capitalised name (``al-Vell``, ``bin-Rask``)."""
_CAP_WORD = (rf"(?:(?:{'|'.join(_PARTICLES)})[-‑])?[{_UPPER}]"
             rf"(?:{_LETTER}|[\-‑]{_LETTER}|['’](?!s(?!{_LETTER})){_LETTER})*(?:['’]s(?![ \u00a0]+[{_UPPER}]))?")
# a possessive ends a name: "Obama's Iran deal" is Obama, then Iran, never one name
_INITIALS = rf"[{_UPPER}]\.(?:[{_UPPER}]\.)*"
_TOKEN = (rf"(?:(?:{'|'.join(_ABBREVIATIONS)})\.|{_INITIALS}(?![{_UPPER}])|{_CAP_WORD}"
          rf"(?![\w\-‑]))")
_KEEP_OF_THE = ORG_WORDS | PLACE_WORDS | TITLES_CORE
"""Words that keep the ``of the`` after them in a name (``Bank of the West``), made once."""
_NOT_IN_PERSON_NAMES = frozenset({"of", "the", "for"})
"""Connectors that never occur inside a person's name (``de``, ``van``, ``bin`` do)."""
_CONNECT = r"(?:(?:" + "|".join(_CONNECTORS) + r")[ \u00a0]+)"
# a span starts with a capital or with the first letter of a particle (al-, bin-, ul-...): the
# lookahead guard lets the regex engine skip other positions at once (same matches, faster)
_SPAN_FIRST = f"[{_UPPER}{''.join(sorted({p[0] for p in _PARTICLES}))}]"
_SPAN = re.compile(rf"(?={_SPAN_FIRST})(?<![\w@#/.'’\-]){_TOKEN}(?:[ \u00a0]+{_CONNECT}{{0,2}}{_TOKEN})*")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\"“”‘’(\[\n—–-]|\.\.\.)[ \t\u00a0\"“”‘’(]*$")
_POSSESSIVE = re.compile(r"['’]s$")
_DOTTED_INITIALS = re.compile(rf"(?:[{_UPPER}]\.){{2,}}")  # U.S.
_INITIAL = re.compile(rf"[{_UPPER}]\.?")
_ACRONYM = re.compile(rf"[{_UPPER}][{_UPPER}0-9&\-]{{1,7}}")
_ACRONYM_AFTER = re.compile(rf"[ \u00a0]*\((?P<acr>[{_UPPER}][{_UPPER}\-&]{{1,7}})\)")
_LOWER_TITLE_BEFORE = re.compile(r"\b(?:secretary|secretaries|minister|ministers|department|ministry|"
                                 r"director|chief)[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?$")
_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z][a-z'’\-]*")
_WORD_BEFORE_REVERSED = re.compile(r"\n?[ \t\u00a0]+(\w+)")
r"""The word before a span, matched on the reversed window before it: ``(\w+)[ \t\u00a0]+$``
searched forwards tries every start in the window, this one match at its first character."""


@dataclass
class Discovery:
    """Discovered names of one text and the capitalised spans behind them.

    Attributes:
        matches: discovered mentions (:class:`mediaprov.entities.Match` with ``kind`` set),
            sorted by start; none overlaps a curated mention.
        spans: capitalised name spans found by the chunker (after trimming and stop lists).
        curated: how many of ``spans`` a curated mention overlaps.
        resolved: how many of ``spans`` a curated or a discovered mention overlaps.
    """

    matches: list[Match] = field(default_factory=list)
    spans: int = 0
    curated: int = 0
    resolved: int = 0


@dataclass
class _Span:
    start: int
    end: int
    words: list[str]
    kind: str
    titled: bool
    initial: bool  # starts a sentence


def name_id(canonical: str) -> str:
    """Return the id of a discovered name: :data:`DISCOVERED_PREFIX` + slug of its canonical form.

    Example:
        >>> name_id("Mohammad Javad Zarif")
        'name:mohammad-javad-zarif'
    """
    return DISCOVERED_PREFIX + slugify(canonical)


def is_discovered(entity_id: str) -> bool:
    """Return whether an entity id is a discovered name (not a curated entry).

    Example:
        >>> is_discovered("name:orla-vennick"), is_discovered("mek")
        (True, False)
    """
    return isinstance(entity_id, str) and entity_id.startswith(DISCOVERED_PREFIX)


def _bare(word: str) -> str:
    return word.rstrip(".")


@functools.lru_cache(maxsize=1 << 16)  # asked several times of each capitalised word
def _is_acronym(word: str) -> bool:
    """Whether the word's letters are two to eight capitals (``UN``, ``U.S.``, ``MEK``)."""
    letters = [ch for ch in word if ch.isalpha()]
    return 2 <= len(letters) <= 8 and all(ch.isupper() for ch in letters)


def _trim(words: list[str]) -> tuple[int, bool]:
    """Return how many leading words to cut (function words and titles) and whether a title was cut."""
    cut = 0
    while cut < len(words) and _bare(words[cut]).lower() in COMMON_WORDS and (
            not _is_acronym(words[cut]) or len(words[cut]) > 3):
        cut += 1
    i, title_end = cut, 0
    while i < len(words):
        word = _bare(words[i])
        if word in TITLES_CORE:
            i += 1
            title_end = i
        elif title_end and word in TITLE_COMPLEMENTS:
            i += 1
            title_end = i
        elif word in TITLE_MODIFIERS or words[i] in TITLE_MODIFIERS or word.lower() in _CONNECTORS:
            i += 1
        else:
            break
    if title_end and _org_or_place(words[title_end:]):
        return cut, False  # "UN General Assembly": an organisation, not General Assembly the person
    if title_end:
        cut = title_end
        while cut < len(words) and words[cut].lower() in _CONNECTORS:
            cut += 1
    elif inner := _inner_title_end(words, cut):
        return inner, True
    return cut, bool(title_end)


def _org_or_place(words: list[str]) -> bool:
    """Whether one of the words makes a name an organisation or a place."""
    return any(_bare(w) in ORG_WORDS or _bare(w) in PLACE_WORDS for w in words)


def _inner_title_end(words: list[str], start: int) -> int:
    """Where the person begins after a title inside a span, or 0 when there is none.

    The words before the title qualify it: "Texas Sen. Ted Cruz", "Egyptian President Mohammed
    Morsi", "FBI Director James Comey". The words after it must look like a person's name (one to
    four capitalised words, no organisation or place word): "UN General Assembly" has none.
    """
    for j in range(start + 1, len(words) - 1):
        if _bare(words[j]) not in TITLES_CORE:
            continue
        k = j + 1
        while k < len(words) and (_bare(words[k]) in TITLES_CORE or _bare(words[k]) in TITLE_MODIFIERS
                                  or _bare(words[k]) in TITLE_COMPLEMENTS):
            k += 1
        rest = [_bare(w) for w in words[k:]]
        if (1 <= len(rest) <= 4 and all(w[:1].isupper() and w.lower() not in _CONNECTORS for w in rest)
                and not _org_or_place(rest)):
            return k
    return 0


def _kind(words: list[str], *, titled: bool, before: str) -> str:
    """Kind of a trimmed name: person, org, place or name (unknown)."""
    bare = [_bare(w) for w in words]
    if any(w in ORG_WORDS for w in bare):
        return "org"
    if any(w in PLACE_WORDS for w in bare):
        return "place"
    if titled:
        return "person"
    if len(words) == 1:
        if _is_acronym(words[0]) and "." not in words[0]:
            return "org"
        if before in PLACE_PREPOSITIONS:
            return "place"
        return "name"
    plain = [w for w in bare if w.lower() not in _CONNECTORS]
    if any(w.lower() in _NOT_IN_PERSON_NAMES for w in bare):
        return "name"  # "Statue of Liberty": persons' particles are de, van, bin..., never of/the
    if 2 <= len(plain) <= 4 and all(w[:1].isupper() and not _is_acronym(w) for w in plain):
        return "person"
    return "name"


def _canonical(words: list[str], kind: str) -> str:
    """Canonical form of a name: particles kept, middle initials of persons dropped."""
    words = [w.replace(".", "") if _DOTTED_INITIALS.fullmatch(w) else w
             for w in words]  # U.S. = US
    if kind == "person" and len(words) > 2:
        inner = [w for w in words[1:-1] if not _INITIAL.fullmatch(w)]
        words = [words[0], *inner, words[-1]]
    return " ".join(words)


def _word_before(text: str, start: int) -> str:
    r"""The word that ends at most 20 characters before ``start``, spaces between, lower-cased ("" if none).

    As ``re.search(r"(\w+)[ \t\u00a0]+$", text[max(0, start - 20):start])`` (``$`` also before a last
    line break), a word cut by the window's start included.
    """
    window = text[max(0, start - 20):start][::-1]
    found = _WORD_BEFORE_REVERSED.match(window)
    return found.group(1)[::-1].lower() if found else ""


def _runs(match: re.Match[str]) -> Iterable[tuple[list[str], list[int]]]:
    """Split one capitalised run at function words (``Iran On Monday`` -> ``Iran``)."""
    words: list[str] = []
    positions: list[int] = []
    run, at, base = match.group(), 0, match.start()
    for word in run.split():  # the same tokens as \S+ (str.split and \s share str.isspace)
        at = run.index(word, at)
        lowered = word.lower()
        if lowered in FUNCTION_WORDS and lowered not in _CONNECTORS:
            if words:
                yield words, positions
            words, positions = [], []
        else:
            words.append(word)
            positions.append(base + at)
        at += len(word)
    if words:
        yield words, positions


def _chunks(text: str, lowercase: set[str]) -> list[_Span]:
    """Capitalised name spans of ``text``, trimmed (see the module docstring).

    ``lowercase``: the words the text also writes in lower case (a sentence's first word that is
    one of them is a common word, not a name).
    """
    spans = []
    for match in _SPAN.finditer(text):
        for words, positions in _runs(match):
            span = _span(text, words, positions, lowercase)
            if span is not None:
                spans.append(span)
    return spans


def _opener_length(words: list[str], lowercase: set[str]) -> int:
    """Number of leading words of a sentence-initial run that are not part of a name.

    A first word the text also writes in lower case (``Suspected Paris attackers`` -> 1), or a
    common noun opening with ``of the`` (``Coverage of the Orlet`` -> 3; organisation, place and
    title words keep theirs: ``Bank of the West`` -> 0).
    """
    if len(words) > 1 and words[0].lower() in lowercase:
        return 1
    if (len(words) > 3 and [w.lower() for w in words[1:3]] == ["of", "the"]
            and _bare(words[0]) not in _KEEP_OF_THE):
        return 3
    return 0


def _person_before_of(words: list[str], *, kind: str, titled: bool, before: str) -> int:
    """Number of words of the person a span starts with when ``of``/``the``/``for`` follows it.

    ``Tarn Oskel of the Vell party`` -> 2; 0 when the span is not a person followed by them.
    """
    joint = next((i for i, w in enumerate(words) if w.lower() in _NOT_IN_PERSON_NAMES), 0)
    if kind in ("person", "name") and joint >= 1 and (titled or joint >= 2) \
            and _kind(words[:joint], titled=titled, before=before) == "person":
        return joint
    return 0


def _span(text: str, words: list[str], positions: list[int], lowercase: set[str]) -> _Span | None:
    """One trimmed span, or ``None`` when nothing of it is a name."""
    first = positions[0]
    initial = bool(_SENTENCE_END.search(text, max(0, first - 4), first))
    if initial:
        opener = _opener_length(words, lowercase)
        words, positions, initial = words[opener:], positions[opener:], not opener
    if words[0] in TITLE_COMPLEMENTS and _LOWER_TITLE_BEFORE.search(text, max(0, first - 30), first):
        while words and (words[0] in TITLE_COMPLEMENTS or words[0].lower() in _CONNECTORS):
            words, positions = words[1:], positions[1:]  # "secretary of State Mike Pompeo"
        if not words:
            return None
        cut, titled = _trim(words)
        titled = True
    else:
        cut, titled = _trim(words)
    if cut >= len(words):
        return None
    initial = initial and cut == 0
    words, positions = list(words[cut:]), positions[cut:]
    while words and words[-1].lower() in _CONNECTORS:
        words.pop()
    if not words:
        return None
    last = words[-1]
    end = positions[len(words) - 1] + len(last)
    possessive = _POSSESSIVE.search(last)
    if possessive:
        last = last[:possessive.start()]
        end -= 2
    if last.endswith(".") and last[:-1] in _ABBREVIATIONS:
        return None
    words[-1] = last
    start = positions[0]
    if len(words) == 1:
        lowered = _bare(last).lower()
        if lowered in COMMON_WORDS or len(_bare(last)) < 2:
            return None
        if initial and not titled and lowered in lowercase:
            return None
    if len(words) > 1 and all(_is_acronym(w) for w in words) and any(len(w) > 5 for w in words):
        return None  # a headline in capitals
    before = _word_before(text, start)
    kind = _kind(words, titled=titled, before=before)
    person_end = _person_before_of(words, kind=kind, titled=titled, before=before)
    if person_end:
        words = words[:person_end]  # "President Boris Johnson of the UK": the person ends at "of"
        end = positions[person_end - 1] + len(words[-1])
        kind = "person"
    return _Span(start, end, words, kind, titled, initial)


def _acronyms(text: str, spans: list[_Span]) -> dict[str, tuple[str, str]]:
    """Acronym -> (id, kind) of the names of two words or more followed by an acronym in brackets."""
    acronyms: dict[str, tuple[str, str]] = {}
    for s in spans:
        if len(s.words) >= 2:
            after = _ACRONYM_AFTER.match(text, s.end)
            if after and _abbreviates(after.group("acr"), s.words):
                acronyms[after.group("acr")] = (name_id(_canonical(s.words, s.kind)), s.kind
                                                 if s.kind != "name" else "org")
    return acronyms


def _abbreviates(acronym: str, words: list[str]) -> bool:
    """Whether ``acronym`` can abbreviate the name: its letters in order, the first a word's initial.

    "Islamic State (ISIS)" and "Mujahedin-e Khalq (MEK)" do; "United Arab Emirates (AP)", a
    dateline's agency after a name, does not.
    """
    letters = [c for c in acronym.lower() if c.isalpha()]
    if not letters or letters[0] not in {w[:1].lower() for w in words}:
        return False
    rest = iter("".join(words).lower())
    return all(letter in rest for letter in letters)


def discover_names(text: str, *, curated: Iterable[Match] = ()) -> Discovery:
    """Find the names of one text that curated packs do not cover, resolved within the text.

    Args:
        text: the article text (offsets refer to it).
        curated: the curated mentions of the text (:meth:`mediaprov.entities.Gazetteer.match`);
            discovered names overlapping them are dropped (curated packs win).

    Returns:
        A :class:`Discovery`: the discovered mentions and the span counts behind the actor
        coverage figure.

    Example:
        >>> d = discover_names("Mr. Tarn Oskel spoke. Later Mr. Oskel left for Vellmoor.")
        >>> [(m.ids[0], m.method) for m in d.matches]
        [('name:tarn-oskel', 'discovered'), ('name:tarn-oskel', 'discovered-partial'), ('name:vellmoor', 'discovered')]
    """
    taken = sorted((m.start, m.end) for m in curated)
    spans = _chunks(text, set(_LOWER_WORD.findall(text)))
    inside = {_bare(s.words[0]) for s in spans if len(s.words) == 1 and not s.initial}
    inside |= {_bare(w) for s in spans if len(s.words) > 1 for w in s.words}
    kept = [s for s in spans if not (len(s.words) == 1 and s.initial and not s.titled
                                     and _bare(s.words[0]) not in inside)]
    out = Discovery(spans=len(kept))

    def overlaps(s: _Span) -> bool:
        return any(a < s.end and s.start < b for a, b in taken)

    free = []
    for s in kept:
        if overlaps(s):
            out.curated += 1
        else:
            free.append(s)
    # full names: persons of two or more words, grouped by (first, last) word
    full: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for s in free:
        if s.kind == "person" and len(s.words) >= 2:
            full[(_bare(s.words[0]), _bare(s.words[-1]))][_canonical(s.words, "person")] += 1
    canonical_of = {key: max(c.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
                    for key, c in full.items()}
    by_surname: dict[str, set[str]] = defaultdict(set)
    for (_, last), canonical in canonical_of.items():
        by_surname[last].add(canonical)
    acronyms = _acronyms(text, free)
    matches = []
    ambiguous = 0
    for s in free:
        method = "discovered"
        if len(s.words) >= 2:
            if s.kind == "person":
                canonical = canonical_of[(_bare(s.words[0]), _bare(s.words[-1]))]
            else:
                canonical = _canonical(s.words, s.kind)
            entity_id, kind = name_id(canonical), s.kind
        else:
            word = _bare(s.words[0])
            owners = by_surname.get(word, set())
            if word in acronyms:
                (entity_id, kind), method = acronyms[word], "discovered-partial"
            elif len(owners) == 1:
                entity_id, kind, method = name_id(next(iter(owners))), "person", "discovered-partial"
            elif len(owners) > 1:
                ambiguous += 1
                continue
            else:
                entity_id = name_id(_canonical(s.words, s.kind))
                kind = "person" if s.titled else s.kind
        matches.append(Match(s.start, s.end, (entity_id,), method, kind))
    out.matches = matches
    out.resolved = out.curated + len(matches)
    return out


def coverage_line(spans: int, curated: int, resolved: int) -> str:
    """The actor-coverage figure that ``mediaprov features`` prints.

    Example:
        >>> coverage_line(200, 50, 180)
        'actor coverage: 200 capitalised name spans, 25.0% resolved by curated packs, 90.0% with discovered names'
    """
    if not spans:
        return "actor coverage: no capitalised name spans"
    return (f"actor coverage: {spans} capitalised name spans, {curated / spans:.1%} resolved by "
            f"curated packs, {resolved / spans:.1%} with discovered names")
