"""Speakers of direct quotes: who said it, found from the syntax around the quote, precision first.

:mod:`mediaprov.quotes` finds the quotes; this module says who speaks each direct quote and how
that was decided (``speaker_method`` in :data:`mediaprov.schema.QUOTES`). The rules, in order:

1. **A cue in the quote's sentence.** A speech verb or phrase
   (:data:`mediaprov.quotes.SPEECH_VERBS`, ``according to``, ``in a statement``) attributes
   the quote to its *subject*: ``“…,” X said``, ``“…,” said X``, ``X said: “…”``,
   ``X, who …, said “…”``, ``X told Y “…”``, ``according to X``. The subject is the noun phrase
   right before the verb (an appositive between commas is skipped) or right after it in
   ``said X``. With a participle (``saying``, ``adding``) the subject is the one of the cue
   before it in the sentence, else of the main clause (``with X saying``: X). A name after a
   preposition (``a spokesman for X``), a possessor (``X’s spokesman``) or an object
   (``Y told X``) is never the subject; a document speaks for the author it was introduced
   with (``a report by X`` ... ``the report said``: X).
2. **Pronouns and titles** (``he``, ``she``, ``they``, ``it``, ``the president``, ``the
   spokesman``, ``the group``) resolve to the nearest named person (or organisation) that is the
   subject of an earlier sentence or the speaker of an earlier quote, walking back sentence by
   sentence. A title must fit the name (``President X``, ``X, the spokesman``). The walk stops,
   and the speaker stays empty, at an unnamed subject (``Officials``), or at a sentence whose only
   named person is not its subject: an object is never taken for the pronoun.
3. **Quotes without a cue.** A quote that goes on after an attributed one (same paragraph, or a
   quotation continued in the next paragraph) keeps its speaker; a quoted sentence after a
   sentence whose subject is named takes that subject (``context``).
4. **Transcripts** (``Q:`` / ``A:``, ``NAME:`` turns) and embedded posts (the account holder) are
   attributed by :mod:`mediaprov.quotes` and recorded here as methods.

When none of this names someone the speaker is empty and ``speaker_method`` says why (values
starting with ``unclear-``): an unnamed speaker (``officials said``), a pronoun or title that does
not resolve, several subjects, or no cue at all. Speakers are named as the text names them,
without titles (``Mr. Tolan`` -> ``Tolan``), in the one fuller form the text gives when there is
exactly one (``Kerry`` -> ``John F. Kerry``); ``speaker_id`` is the gazetteer id when known.

No dependency parser is used: on the AllSides development set (``tests/test_speakers_devset.py``)
these rules give the right speaker for 86% of gold quotes and a wrong one for under 1%, at a
throughput far above what a parser allows (``benchmarks/bench_features.py``). Names are found
lazily, one sentence at a time, only where a quote needs them.

Example:
    >>> from mediaprov.entities import Gazetteer
    >>> g = Gazetteer.build([("nb", "person", "Nela Brun", []), ("tlf", "org", "Tarsa Front", [])])
    >>> text = "Officials condemned the Tarsa Front, saying “It is a danger to us all.”"
    >>> from mediaprov.quotes import quotes_in_text
    >>> q = quotes_in_text(text, g)[0][0]
    >>> (q.speaker, q.speaker_method)
    (None, 'unclear-unnamed')
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from mediaprov.entities import Gazetteer, Match

SPEAKER_METHODS: dict[str, str] = {
    "cue-subject": "the named subject of a speech cue in the quote's sentence",
    "according-to": "the name after 'according to'",
    "pronoun": "a pronoun subject of the cue, resolved to the nearest named subject before it",
    "title": "a title subject of the cue (the president), resolved to the nearest fitting name",
    "continuation": "a quote that goes on after an attributed one keeps its speaker",
    "context": "a quote without cue takes the named subject of its sentence or the one before",
    "transcript": "the speaker label of an interview transcript turn",
    "post-author": "the account holder of an embedded post",
    "unclear-unnamed": "the subject of the cue is not named (officials, a source, critics)",
    "unclear-pronoun": "a pronoun whose nearest person is not a subject, or none",
    "unclear-title": "a title that no earlier named subject carries",
    "unclear-several": "several subjects (X and Y said) or several candidates",
    "unclear-no-cue": "no cue and no named subject in reach",
    "unclear-not-a-speaker": "the only name in subject position is a place",
}
"""``speaker_method`` values: how the speaker was found, or (``unclear-*``) why it is empty."""

SPEAKER_KINDS: frozenset[str] = frozenset({"person", "org", "group", "organisation",
                                           "organization", "document", "news", "agency",
                                           "broadcaster", "party-site", "press-office", "ngo",
                                           "outlet", "unknown"})
"""Gazetteer kinds that can speak; names of other kinds (places) are never speakers."""

PARTICIPLES: frozenset[str] = frozenset({
    "saying", "adding", "telling", "writing", "noting", "warning", "arguing", "insisting",
    "explaining", "declaring", "stating", "tweeting", "claiming", "stressing", "calling",
    "asking", "urging", "describing", "accusing", "posting", "quoting", "vowing", "suggesting",
})
PERSON_ROLES: frozenset[str] = frozenset({
    "president", "minister", "spokesman", "spokeswoman", "spokesperson", "secretary", "senator",
    "ambassador", "leader", "commander", "envoy", "adviser", "advisor", "general", "governor",
    "chairman", "chairwoman", "chair", "director", "ayatollah", "ruler", "king", "prince",
    "premier", "chancellor", "speaker", "lawmaker", "congressman", "congresswoman",
    "representative", "diplomat", "official", "mayor", "judge", "prosecutor", "candidate",
    "head", "chief", "founder", "author", "analyst", "expert", "professor", "lawyer", "attorney",
    "consultant", "columnist", "commentator", "writer", "historian", "pollster", "husband",
    "negotiator", "cleric", "general", "admiral", "colonel", "officer", "aide", "journalist",
    "reporter", "correspondent", "host", "actor", "activist", "woman", "man", "father",
    "mother", "son", "daughter", "wife", "husband", "brother", "sister", "victim", "witness",
    "businessman", "member", "strategist", "economist", "scholar", "researcher", "pastor",
})
ORG_ROLES: frozenset[str] = frozenset({
    "group", "organisation", "organization", "ministry", "agency", "council", "committee",
    "department", "company", "party", "movement", "front", "government", "administration",
    "office", "embassy", "association", "society", "institute", "coalition", "alliance",
    "network", "campaign", "union", "foundation", "court", "militia", "regime", "outlet",
    "newspaper", "paper", "magazine", "channel", "agency", "website", "body", "authority",
    "charity", "firm", "think-tank", "watchdog",
})
ANIMATE: frozenset[str] = PERSON_ROLES | ORG_ROLES | frozenset({
    "officials", "critics", "analysts", "experts", "sources", "source", "people", "members",
    "residents", "protesters", "lawmakers", "diplomats", "leaders", "observers", "activists",
    "supporters", "opponents", "officers", "citizens", "witnesses", "families", "authorities",
    "others", "some", "many", "everyone", "someone", "nobody", "democrats", "republicans",
    "conservatives", "liberals", "commentators", "students", "workers", "voters", "users",
    "spokespeople", "aides", "allies", "administration", "government", "statement",
    "readout", "report", "letter", "post", "tweet",
})
PERSON_TITLES: frozenset[str] = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "president", "vice", "secretary", "minister", "prime", "foreign", "defense", "defence",
    "supreme", "leader", "ayatollah", "grand", "sheikh", "senator", "sen", "rep",
    "representative", "congressman", "congresswoman", "gov", "governor", "gen", "general",
    "lt", "col", "colonel", "maj", "major", "capt", "captain", "adm", "admiral", "sgt",
    "ambassador", "speaker", "chairman", "chairwoman", "director", "chief", "justice", "judge",
    "mayor", "king", "queen", "prince", "princess", "crown", "pope", "spokesman",
    "spokeswoman", "commander", "deputy", "state", "attorney", "house", "senate", "majority",
    "minority", "democratic", "republican", "former", "acting", "national", "security",
    "adviser", "advisor", "interior", "intelligence", "chancellor", "emir", "imam", "rabbi",
    "father", "cardinal", "bishop", "sultan", "gen.", "premier", "envoy", "special",
})
ORG_WORDS: frozenset[str] = frozenset({
    "ministry", "agency", "council", "committee", "department", "party", "front", "government",
    "administration", "office", "embassy", "association", "society", "institute", "coalition",
    "alliance", "network", "organization", "organisation", "union", "foundation", "court",
    "guard", "guards", "corps", "force", "forces", "army", "navy", "news", "times", "post",
    "press", "journal", "tribune", "herald", "telegraph", "guardian", "house", "congress",
    "senate", "parliament", "majlis", "bank", "company", "inc", "corp", "group", "center",
    "centre", "university", "commission", "nations", "service", "services", "command",
    "mujahedin", "mojahedin", "mujahideen", "watch", "international", "media", "broadcasting",
    "tv", "radio", "agency", "cnn", "bbc", "reuters", "fox", "nbc", "cbs", "abc", "npr",
    "pentagon", "kremlin", "white", "daily", "magazine", "review", "monitor",
})
_SKIP_START: frozenset[str] = frozenset({
    "The", "A", "An", "In", "On", "At", "But", "And", "It", "He", "She", "They", "This", "That",
    "As", "After", "When", "While", "If", "We", "I", "His", "Her", "Their", "Its", "Some",
    "Others", "Many", "Our", "My", "Your", "Yet", "So", "Or", "For", "With", "By", "From", "To",
    "Of", "Still", "However", "Meanwhile", "Also", "Then", "Now", "There", "Here", "Since",
    "Although", "Though", "Despite", "During", "Before", "Until", "Because", "Like", "Unlike",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
    "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Last", "Earlier", "Later", "Today", "Yesterday", "Asked",
    "Speaking", "Following", "Amid", "What", "Who", "Why", "How", "Where", "These", "Those",
    "Both", "Such", "All", "Most", "Each", "Every", "No", "Not", "Even", "Only", "Just", "Iran",
    "Read", "Watch", "Update", "Note", "Photo", "Click", "Advertisement", "Sign", "Follow",
    "Another", "One", "Two", "Three", "Several", "Few", "Other", "Former", "Late",
    "Whether", "Maybe", "Perhaps", "Instead", "Indeed", "Yes", "Thus", "Hence", "Moreover",
    "Furthermore", "Nevertheless", "Nonetheless", "Finally", "First", "Second", "Again",
    "Already", "Ultimately", "Clearly", "Obviously", "Unfortunately", "Fortunately", "Sadly",
    "Notably", "Specifically", "Overall", "Together", "Besides", "Otherwise", "Rather", "Soon",
    "Eventually", "Recently", "Currently", "Chest-beaters", "Sure", "Well", "Oh", "Thanks",
})
_INTRO: frozenset[str] = frozenset({
    "on", "in", "at", "after", "before", "during", "since", "as", "when", "while", "although",
    "though", "despite", "following", "last", "earlier", "later", "speaking", "asked",
    "addressing", "writing", "for", "over", "under", "with", "without", "amid", "unlike", "like",
    "if", "because", "once", "until", "today", "yesterday", "now", "also", "however", "still",
    "meanwhile", "instead", "separately", "similarly", "previously", "in", "by", "from", "to",
    "upon", "according", "nonetheless", "moreover", "indeed", "then", "but", "and", "so", "yet",
    "responding", "reacting", "commenting", "referring", "here", "there", "this", "through",
    "throughout", "within", "about", "against", "toward", "towards", "days", "hours", "weeks",
    "months", "years", "minutes", "shortly", "soon", "that",
})
_PREPOSITIONS: frozenset[str] = frozenset({
    "of", "by", "to", "with", "for", "in", "from", "at", "about", "against", "on", "into",
    "than", "like", "under", "over", "including", "among", "between", "toward", "towards",
    "via", "per", "behind", "near", "after", "before", "during", "without", "within",
    "through", "across", "around", "unlike", "upon", "alongside", "beside", "despite",
})
_ADVERBS: frozenset[str] = frozenset({
    "also", "later", "then", "again", "once", "previously", "recently", "reportedly", "further",
    "publicly", "repeatedly", "separately", "simply", "flatly", "first", "last", "earlier",
    "has", "had", "have", "would", "will", "was", "is", "were", "are", "had", "already",
    "often", "frequently", "similarly", "likewise", "explicitly", "bluntly", "angrily",
    "reportedly", "allegedly", "quickly", "immediately", "subsequently", "ultimately",
    "never", "not", "even", "still", "just", "too", "however", "privately", "openly",
    "directly", "specifically", "emphatically", "famously", "memorably", "once", "tersely",
    "has", "been", "being", "did", "does", "do", "could", "can", "may", "might", "should",
    "must", "shall", "then", "now", "today", "yesterday", "tonight",
})
_TIME_PHRASE = re.compile(
    r"(?:\b(?:on|last|this|late|early)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|week|month|year|night|morning|evening)\b|\b(?:in|during)\s+(?:an?|the|his|her)\s+"
    r"(?:interview|statement|speech|briefing|tweet|post|address|letter)\b)\s*$")
_PRONOUNS: dict[str, str] = {"he": "person", "she": "person", "they": "plural", "it": "org",
                             "we": "plural", "i": "unresolved", "you": "unresolved"}
_WORD = re.compile(r"[^\W_](?:[\w’'\-]*[\w’'])?|[^\w\s]")
_NAME = re.compile(
    r"(?:(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|Lt|Col|Capt|Adm|Sgt|Maj|St)\.[ \t]+)?"
    r"(?:(?:[A-Z]\.){2,}|[A-Z][\w’'\-]*(?:\.(?=[ \t]+[A-Z]))?)"
    r"(?:(?:[ \t]+(?:(?:al|el|bin|ibn|de|da|van|von|der|du|la|le|of|for|the|of[ \t]+the)[ \t]+)?|-)"
    r"(?:[A-Z][\w’'\-]*|[A-Z]\.)(?:\.(?=[ \t]+[A-Z]))?)*")
DOCUMENTS: frozenset[str] = frozenset({
    "report", "statement", "letter", "communique", "communiqué", "readout", "release",
    "website", "site", "post", "tweet", "account", "declaration", "study", "paper", "book",
})
_ROLE_WORDS = "|".join(sorted(PERSON_ROLES | ORG_ROLES | DOCUMENTS, key=len, reverse=True))
_TITLE_PHRASE = re.compile(
    r"\b[Tt]he[ \t]+(?:[a-z\-]+[ \t]+){0,3}(?P<role>" + _ROLE_WORDS + r")"
    r"(?:[ \t]+(?:of|for|to)[ \t]+(?:the[ \t]+)?[A-Za-z]+(?:[ \t]+[A-Z][a-z]+)?)?")
_CUE = re.compile(r"\b(?:said|says|told|added|wrote|declared|stated|warned|noted|argued|"
                  r"insisted|explained|announced|tweeted|posted|conceded|claimed|replied|"
                  r"responded|recalled|stressed|asked|lamented|acknowledged|admitted)\b")
_CUE_BEFORE_COLON = re.compile(
    r"\b(?:said|says|told|added|wrote|declared|stated|states|warned|noted|argued|insisted|"
    r"explained|announced|tweeted|posted|replied|responded|recalled|stressed|asked|"
    r"continued|concluded|put it|puts it)\b")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_WHEN = re.compile(
    r"(?:[Ee]arlier|[Ll]ater|[Ll]ast|[Tt]his|[Oo]n)[ \t]+(?:this[ \t]+|last[ \t]+)?(?:week|month|"
    r"year|morning|evening|night|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r",?[ \t]+(?=[a-zA-Z])")
_WITH_PARTICIPLE = re.compile(
    r"\bwith[ \t]+(?:[a-z\-]+[ \t]+){0,3}[A-Z][\w’'\-.]*(?:[ \t]+[A-Z][\w’'\-.]*){0,3}[ \t]+$")
_INNER_CAPITAL = re.compile(r"(?<=[^\s.!?:“\"(\[])[ \t]+([A-Z][\w’'\-]*)")
_COORDINATED = re.compile(r"(?:,[ \t]+(?:and|but)|;)[ \t]+(?=[A-Z])")
_ACRONYM_PAREN = re.compile(r"[ \t]*\([^()\n]{1,15}\)")
_POSSESSIVE = re.compile(r"(?:[’']s|s[’'])$")


@dataclass(frozen=True)
class Name:
    """A name in a text: a gazetteer mention or a capitalised chunk.

    Attributes:
        start: offset of the first character.
        end: offset after the last character.
        surface: the name as written (with its title, ``President Kira Aln``).
        entity_id: gazetteer id when the name is a known entity.
        kind: ``person``, ``org``, ``place`` or ``unknown``.
        key: the surname (last word, lower case) used to join variants of one person.
    """

    start: int
    end: int
    surface: str
    entity_id: str | None
    kind: str
    key: str


_NO_NAME = Name(0, 0, "", None, "none", "")


@dataclass(frozen=True)
class Attribution:
    """Who speaks a quote and how that was decided (``speaker_method``)."""

    speaker: str | None
    speaker_id: str | None
    method: str
    name: Name | None = None


@dataclass(frozen=True)
class Subject:
    """What stands in subject position of a cue or a clause.

    Attributes:
        kind: ``name`` (a named person or organisation), ``pronoun``, ``title`` (``the
            president``, ``the report``), ``unnamed`` (``officials``, ``a spokesman for X``),
            ``inanimate`` (``the plan``), ``several`` (``X and Y``), ``place`` or ``none``.
        name: the name, for ``name`` (and ``several``, ``place``).
        word: the pronoun, title or head noun.
    """

    kind: str
    name: Name | None = None
    word: str = ""


def _name_kind(surface: str, gazetteer_kind: str | None) -> str:
    if gazetteer_kind:
        if gazetteer_kind == "person":
            return "person"
        if gazetteer_kind not in SPEAKER_KINDS:
            return "place"  # places, events, operations: named, never speaking
        return "org"
    words = [w.strip(".").lower() for w in re.split(r"[ \t\-]+", surface) if w]
    if any(w in ORG_WORDS for w in words) or (len(surface) >= 2 and surface.isupper()
                                              and len(words) == 1):
        return "org"
    if words and words[0] in PERSON_TITLES and len(words) > 1:
        return "person"
    return "person" if len(words) >= 2 else "unknown"


class SpeakerFinder:
    """The names, sentences and paragraphs of one article, to attribute its quotes.

    Args:
        text: the article text.
        mentions: its gazetteer mentions (resolved ones).
        gazetteer: the gazetteer that produced them (for kinds).
        sentences: sentence spans (:func:`mediaprov.quotes.sentence_spans`).
        quotes: all quote spans (without marks), masked when looking for cues.

    Example:
        >>> g = Gazetteer.build([])
        >>> text = "Ivo Rask spoke. “We stay,” he said."
        >>> finder = SpeakerFinder(text, [], g, [(0, 15), (16, 35)], [(17, 25)])
        >>> finder.attribute(17, 25, cue_at=30, cue="said").speaker
        'Ivo Rask'
    """

    def __init__(self, text: str, mentions: list[Match], gazetteer: Gazetteer,
                 sentences: list[tuple[int, int]], quotes: list[tuple[int, int]]) -> None:
        self.text = text
        self.sentences = sentences
        self.quotes = quotes
        self.masked = self._mask(text, quotes)
        self.gazetteer = gazetteer
        self.mentions = sorted((m for m in mentions if len(m.ids) == 1), key=lambda m: m.start)
        self._mention_starts = [m.start for m in self.mentions]
        self._built: set[int] = set()
        self._by_end: dict[int, Name] = {}
        self._by_start: dict[int, Name] = {}
        self._lower_words: set[str] | None = None
        self._roles_cache: dict[str, set[str]] | None = None
        self._full_cache: dict[str, Name] | None = None
        self._fuller_cache: dict[str, Name] | None = None
        self._inner_capitals: set[str] | None = None
        self._shown_cache: set[str] | None = None
        self.attributed: list[tuple[int, Name]] = []  # (quote start, speaker) in text order

    # Names are found lazily, one sentence at a time: most sentences are never looked at.
    def _build(self, index: int) -> None:
        if index in self._built or not self.sentences:
            return
        self._built.add(index)
        low, high = self.sentences[index]
        for name in self._names(low, high):
            self._by_start[name.start] = name
            self._by_end[name.end] = name

    def names_in(self, low: int, high: int) -> list[Name]:
        """The names that start inside ``[low, high)``, in text order.

        Example:
            >>> f = SpeakerFinder("Ivo Rask met Nela Brun.", [], Gazetteer.build([]),
            ...                   [(0, 23)], [])
            >>> [n.surface for n in f.names_in(0, 23)]
            ['Ivo Rask', 'Nela Brun']
        """
        if not self.sentences:
            return []
        for index in range(self.sentence_of(low), self.sentence_of(max(low, high - 1)) + 1):
            self._build(index)
        return sorted((n for n in self._by_start.values() if low <= n.start < high),
                      key=lambda n: n.start)

    @property
    def names(self) -> list[Name]:
        """Every name of the text (builds all sentences)."""
        return self.names_in(0, len(self.text))

    def _shown_forms(self) -> set[str]:
        if self._shown_cache is None:
            self._shown_cache = {_display(n) for n in self.names}
        return self._shown_cache

    @property
    def inner_capitals(self) -> set[str]:
        """Capitalised words seen somewhere other than at the start of a sentence."""
        if self._inner_capitals is None:
            self._inner_capitals = {m.group(1) for m in _INNER_CAPITAL.finditer(self.masked)}
        return self._inner_capitals

    @property
    def roles(self) -> dict[str, set[str]]:
        """Surname key -> role words seen with it in the whole text."""
        if self._roles_cache is None:
            self._roles_cache = self._roles()
        return self._roles_cache

    @property
    def full(self) -> dict[str, Name]:
        """Surname key -> the fullest name with that surname in the whole text."""
        if self._full_cache is None:
            self._full_cache = self._full_forms()
        return self._full_cache

    # ----------------------------------------------------------------- building
    @staticmethod
    def _mask(text: str, quotes: list[tuple[int, int]]) -> str:
        if not quotes:
            return text
        pieces, last = [], 0
        for start, end in quotes:
            if start < last:
                continue
            pieces.append(text[last:start])
            pieces.append("q" * (end - start))
            last = end
        pieces.append(text[last:])
        return "".join(pieces)

    def _names(self, low: int, high: int) -> list[Name]:
        text, masked, gazetteer = self.text, self.masked, self.gazetteer
        found: dict[int, Name] = {}
        taken: list[tuple[int, int]] = []
        first = bisect.bisect_left(self._mention_starts, low)
        last = bisect.bisect_left(self._mention_starts, high)
        for m in self.mentions[first:last]:
            if masked[m.start:m.end] != text[m.start:m.end]:
                continue
            kind = _name_kind(text[m.start:m.end], gazetteer.kinds.get(m.ids[0], "") or "unknown")
            start = m.start
            before = _TITLE_BEFORE.search(text, max(low, start - 40), start)
            if before is not None and kind == "person":
                start = before.start()
            found[start] = Name(start, m.end, text[start:m.end], m.ids[0], kind,
                                _key(text[m.start:m.end]))
            taken.append((start, m.end))
        for match in _NAME.finditer(masked, low, high):
            words = [(m.start() + match.start(), m.end() + match.start(), m.group())
                     for m in re.finditer(r"\S+", match.group())]
            # Drop sentence words and other capitalised non-names at the start.
            while words and (words[0][2] in _SKIP_START
                             or words[0][2].lower() in ("the", "of", "and", "for")):
                words = words[1:]
            if words and _sentence_initial(text, words[0][0]) and words[0][2].isalpha():
                if self._lower_words is None:
                    self._lower_words = set(re.findall(r"(?<![\w’'])[a-z][a-z’'\-]+", masked))
                if words[0][2].lower() in self._lower_words or (
                        words[0][2].lower() in ANIMATE and words[0][2].endswith("s")):
                    words = words[1:]
            # "Ivo Rask of Kestrel Bay": the name stops before "of", unless a title or an
            # organisation word precedes it ("Secretary of State", "Ministry of Defence").
            tail: list[tuple[int, int, str]] = []
            for index in range(1, len(words) - 1):
                if words[index][2] in ("of", "for") and words[index - 1][2].strip(".").lower() \
                        not in PERSON_TITLES | ORG_WORDS | ORG_ROLES:
                    words, tail = words[:index], words[index + 1:]
                    break
            while words and words[-1][2].lower() in ("of", "for", "the", "and", "al", "de", "la"):
                words = words[:-1]
            if not words:
                continue
            if len(words) == 1 and _sentence_initial(text, words[0][0]) and \
                    words[0][2] not in self.inner_capitals:
                continue  # "Criticism came": a lone capitalised word seen only at sentence starts
            # "United Nations Nikki Haley": an organisation, then a person.
            parts = [words] + ([tail] if tail and tail[0][2][:1].isupper() else [])
            last_org = max((i for i, w in enumerate(words) if w[2].lower() in ORG_WORDS),
                           default=-1)
            if 0 <= last_org < len(words) - 2 and words[0][2].strip(".").lower() not in \
                    PERSON_TITLES:
                parts = [words[:last_org + 1], words[last_org + 1:]] + parts[1:]
            for part in parts:
                start, end = part[0][0], part[-1][1]
                if any(a < end and start < b for a, b in taken):
                    continue
                surface = text[start:end]
                bare = _POSSESSIVE.sub("", surface)
                found[start] = Name(start, end, surface, None, _name_kind(bare, None),
                                    _key(bare))
        return sorted(found.values(), key=lambda n: n.start)

    def _roles(self) -> dict[str, set[str]]:
        """Surname key -> role words seen with it (``President X``, ``X, the spokesman``)."""
        roles: dict[str, set[str]] = {}
        text = self.text
        for n in self.names:
            words = {w.strip(".").lower() for w in n.surface.split()[:-1]}
            found = {w for w in words if w in PERSON_ROLES or w in ORG_ROLES}
            before = text[max(0, n.start - 60):n.start]
            lower = re.search(r"((?:[a-z]+[ \t]+){1,3})$", before)
            if lower:
                found |= {w for w in lower.group(1).split() if w in PERSON_ROLES}
            after = re.match(r",[ \t]+(?:the|a|an|[\w’']+[’']s)[ \t]+([^,.;“”\"]{1,80})",
                             text[n.end:n.end + 100])
            if after:
                found |= {w.lower() for w in re.findall(r"[\w]+", after.group(1))
                          if w.lower() in PERSON_ROLES or w.lower() in ORG_ROLES}
            if n.kind == "org":
                found |= {w.lower() for w in n.surface.split() if w.lower() in ORG_ROLES}
            kind_after = re.match(r"[ \t]+([a-z\-]+)", text[n.end:n.end + 30])
            if kind_after and kind_after.group(1) in ORG_ROLES:
                found.add(kind_after.group(1))  # "Save the Children charity"
            roles.setdefault(n.key, set()).update(found)
        return roles

    def _full_forms(self) -> dict[str, Name]:
        """Surname key -> the longest person name with that surname (for ``Trump`` -> full)."""
        full: dict[str, Name] = {}
        for n in self.names:
            if n.kind == "place":
                continue
            best = full.get(n.key)
            if best is None or _bare_len(n) > _bare_len(best):
                full[n.key] = n
        return full

    # ----------------------------------------------------------------- syntax
    def sentence_of(self, position: int) -> int:
        """Index of the sentence that holds ``position``.

        Example:
            >>> f = SpeakerFinder("A b. C d.", [], Gazetteer.build([]), [(0, 5), (5, 9)], [])
            >>> f.sentence_of(6)
            1
        """
        low, high = 0, len(self.sentences) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.sentences[middle][0] <= position:
                low = middle
            else:
                high = middle - 1
        return low

    def _name_ending(self, position: int) -> Name | None:
        if self.sentences:
            self._build(self.sentence_of(max(0, position - 1)))
        return self._by_end.get(position)

    def _name_starting(self, position: int) -> Name | None:
        if self.sentences:
            self._build(self.sentence_of(position))
        return self._by_start.get(position)

    def _words_before(self, low: int, high: int, count: int) -> list[tuple[int, int, str]]:
        piece = self.masked[max(low, high - 30 * count):high]
        base = max(low, high - 30 * count)
        return [(base + m.start(), base + m.end(), m.group()) for m in _WORD.finditer(piece)
                ][-count:]

    def subject_before(self, position: int, low: int) -> Subject:
        """The noun phrase that is the subject of a verb starting at ``position``.

        Args:
            position: offset of the verb.
            low: where to stop looking back (the sentence start, or the end of a quote).

        Returns:
            The subject; an appositive between commas is skipped.

        Example:
            >>> text = "Ivo Rask, the chair of the council, said it."
            >>> f = SpeakerFinder(text, [], Gazetteer.build([]), [(0, len(text))], [])
            >>> f.subject_before(text.index("said"), 0).name.surface
            'Ivo Rask'
        """
        text = self.masked
        j = position
        for _ in range(8):
            piece = text[low:j].rstrip()
            j = low + len(piece)
            time_phrase = _TIME_PHRASE.search(text, max(low, j - 40), j)
            if time_phrase is not None:
                j = time_phrase.start()
                continue
            word = re.search(r"([A-Za-z’']+)$", piece)
            if word and word.group(1).lower() in _ADVERBS:
                j = low + word.start(1)
                continue
            break
        piece = text[low:j].rstrip()
        j = low + len(piece)
        if not piece or piece[-1] in "”\"’":
            return Subject("none")  # “...,” said X: the subject follows the verb
        if piece[-1] in ",—–)" or piece.endswith("--"):
            # An appositive or a relative clause: "X, the chair of Y, said" / "X, who ..., said"
            # (several: "X, a former director of Y, a division of Z, said").
            opener = piece[-1]
            pair = {"—": "—", "–": "–", ")": "(", "-": "-"}.get(opener, ",")
            inner_end = j - 1
            first_try: Subject | None = None
            for _ in range(3):
                k = self.masked.rfind(pair, low, inner_end)
                if k < 0 or j - k > 260:
                    break
                segment = text[k + 1:inner_end]
                candidate = self._phrase_ending(low + len(text[low:k].rstrip()), low)
                named = self._name_ending(k + 1 + len(segment.rstrip()))
                if named is not None and named.start == k + 1 + len(segment) - len(
                        segment.lstrip()) and named.kind in ("person", "unknown") \
                        and not _POSSESSIVE.search(named.surface) and first_try is None \
                        and candidate.kind in ("title", "unnamed"):
                    return Subject("name", name=named)  # "the secretary, Ivo Rask, said"
                if first_try is None:
                    first_try = candidate
                if candidate.kind in ("name", "pronoun", "title", "several"):
                    return candidate
                if pair != ",":
                    break
                inner_end = k
            if first_try is not None and first_try.kind != "none":
                return first_try
            piece = text[low:j - 1].rstrip()
            j = low + len(piece)
        who = re.search(r"(?:^|[\s,])(who|which)$", piece)
        if who:
            piece = text[low:low + who.start(1)].rstrip().rstrip(",").rstrip()
            j = low + len(piece)
        return self._phrase_ending(j, low)

    def _phrase_ending(self, j: int, low: int) -> Subject:
        text = self.masked
        acronym = re.search(r"\([^()\n]{1,15}\)$", text[low:j])
        if acronym:
            j = low + acronym.start()
            j = low + len(text[low:j].rstrip())
        title = _TITLE_PHRASE.search(text, max(low, j - 80), j)
        if title is not None and title.end() == j:
            role = title.group("role").lower()
            return Subject("title", word=role)
        name = self._name_ending(j)
        if name is not None:
            return self._check_name(name, low)
        document = re.search(r"([\w’'\-]+(?:[’']s|s[’']))[ \t]+(?:[a-z\-]+[ \t]+)?([a-z]+)$",
                             text[max(low, j - 80):j])
        if document is not None and document.group(2) in DOCUMENTS:
            cut = 2 if document.group(1)[-2:] in ("’s", "'s") else 1
            owner = self._name_ending(max(low, j - 80) + document.end(1)) or \
                self._name_ending(max(low, j - 80) + document.end(1) - cut)
            if owner is not None and owner.kind == "org":
                return Subject("name", name=owner)
        words = self._words_before(low, j, 6)
        if not words:
            return Subject("none")
        last = words[-1][2]
        lower = last.lower()
        if lower in ORG_ROLES:
            # "Save the Children charity said": an organisation named before its kind.
            owner = self._name_ending(low + len(text[low:words[-1][0]].rstrip()))
            if owner is not None and owner.kind != "place" and not \
                    _POSSESSIVE.search(owner.surface):
                subject = self._check_name(owner, low)
                if subject.kind == "name" and subject.name is not None:
                    name = subject.name
                    return Subject("name", name=Name(name.start, name.end, name.surface,
                                                      name.entity_id, "org", name.key))
                return subject
        if lower in _PRONOUNS:
            return Subject("pronoun", word=lower)
        if last[:1].isupper():
            return Subject("none")
        # A common noun phrase: find its determiner.
        phrase = []
        for _, _, w in reversed(words):
            if not re.match(r"[A-Za-z’'\-]+$", w):
                break
            phrase.append(w)
            if w.lower() in ("the", "a", "an", "his", "her", "its", "their", "our", "this",
                             "that", "another", "one", "two", "several", "some", "many",
                             "both") or _POSSESSIVE.search(w):
                break
        phrase.reverse()
        head = lower
        determiner = phrase[0].lower() if phrase else ""
        before_phrase = self._words_before(low, words[-len(phrase)][0] if phrase else j, 1)
        if before_phrase and before_phrase[0][2].lower() in _PREPOSITIONS:
            return Subject("unnamed", word=head)
        if determiner == "the" and (head in PERSON_ROLES or head in ORG_ROLES
                                    or head in DOCUMENTS):
            return Subject("title", word=head)
        if head in ANIMATE or head.endswith("ers") or head.endswith("ists"):
            return Subject("unnamed", word=head)
        return Subject("inanimate", word=head)

    def _head_name(self, name: Name, high: int) -> Name:
        """``State Department spokesman Ivo Rask``: the person after an organisation and a role."""
        following = re.match(
            r"(?:[ \t]+(?:[a-z][a-z\-]*|[A-Z][a-z]+))?[ \t]+(?:[a-z][a-z\-]*[ \t]+){0,3}",
            self.masked[name.end:name.end + 80])
        if following is None:
            return name
        words = following.group().split()
        if not words or not any(w.lower() in PERSON_ROLES for w in words):
            return name
        if any(w in _PREPOSITIONS or _verb_like(w) for w in words if w.islower()):
            return name
        later = self._name_starting(name.end + following.end())
        if later is not None and later.end <= high and later.kind != "place":
            return later
        return name

    def _check_name(self, name: Name, low: int) -> Subject:
        """A name ending where the subject should end: is it the head of the subject?"""
        before = self._words_before(low, name.start, 3)
        if _POSSESSIVE.search(name.surface):
            return Subject("unnamed", word="possessed")
        if " " not in name.surface and name.surface.lower() in ANIMATE and \
                name.surface.endswith("s"):
            return Subject("unnamed", word=name.surface.lower())  # "Republicans said"
        words_back = [w for _, _, w in reversed(self._words_before(low, name.start, 5))]
        for position, word in enumerate(words_back):
            if word.lower() in ("a", "an"):
                return Subject("unnamed", word="description")  # "a former Director of Y"
            if word in _PREPOSITIONS:
                if all(w == "the" for w in words_back[:position]):
                    break  # right before the name: decided below
                return Subject("unnamed", word="of-name")  # "one of the Senate’s leading X"
            if not (word.islower() or _POSSESSIVE.search(word)) or word in ("and", "or"):
                break
        while before and before[-1][2].lower() in ("the", "a", "an"):
            before = before[:-1]
        if before:
            word = before[-1][2].lower()
            if word in _PREPOSITIONS:
                if word in ("from", "of", "at", "with"):
                    # "Ivo Rask from the Tarsa Front said": the name before the preposition.
                    gap = self.masked[low:before[-1][0]].rstrip()
                    gap = re.sub(r"[ \t]*\([^()\n]{1,15}\)$", "", gap)
                    owner = self._name_ending(low + len(gap))
                    if owner is not None and owner.kind in ("person", "unknown"):
                        return self._check_name(owner, low)
                return Subject("unnamed", word="of-name")
            if word in ("and", "&", "or") and len(before) > 1 and before[-2][2] not in ".!?":
                return Subject("several", name=name)
        if name.kind == "place":
            return Subject("place", name=name)
        return Subject("name", name=name)

    def subject_after(self, position: int, high: int) -> Subject:
        """The subject of an inverted cue: ``said X`` (``position`` is after the verb).

        Args:
            position: offset right after the verb.
            high: end of the sentence.

        Returns:
            The subject.

        Example:
            >>> text = "“Go,” said attorney Ivo Rask."
            >>> f = SpeakerFinder(text, [], Gazetteer.build([]), [(0, len(text))], [(1, 4)])
            >>> f.subject_after(text.index("said") + 4, len(text)).name.surface
            'Ivo Rask'
        """
        text = self.masked
        gap = text[position:high]
        offset = len(gap) - len(gap.lstrip(" \t"))
        start = position + offset
        name = self._name_starting(start)
        article = re.match(r"[Tt]he[ \t]+(?=[A-Z])", text[start:start + 5])
        if name is None and article is not None:
            name = self._name_starting(start + article.end())  # "according to The Times"
        if name is not None and name.end <= high:
            name = self._head_name(name, high)
            tail = text[name.end:name.end + 3]
            if tail.startswith(("’s", "'s")) or _POSSESSIVE.search(name.surface):
                return Subject("unnamed", word="possessed")
            if name.kind == "place":
                return Subject("place", name=name)
            if re.match(r"[ \t]+and[ \t]+[A-Z]", text[name.end:name.end + 8]):
                return Subject("several", name=name)
            return Subject("name", name=name)
        words = [m.group() for m in _WORD.finditer(text[start:min(high, start + 80)])][:6]
        if not words:
            return Subject("none")
        described = re.match(r"((?:[a-z\-]+[ \t]+){1,4})(?=[A-Z])", text[start:start + 80])
        if described and not any(w in _PREPOSITIONS or w in ("a", "an", "the") or w in _VERBS
                                 for w in described.group(1).split()):
            # "said attorney Ivo Rask", "tweeted former Orlet Council adviser Nela Brun"
            named = self._name_starting(start + described.end())
            if named is not None:
                named = self._head_name(named, high)
            if named is not None and named.end <= high and (named.kind == "person" or (
                    named.kind == "unknown"
                    and any(w in PERSON_ROLES for w in described.group(1).split()))):
                return Subject("name", name=named)
        first = words[0].lower()
        if first in _PRONOUNS:
            return Subject("pronoun", word=first)
        if first == "the" and len(words) > 1:
            head = None
            for w in words[1:]:
                if not re.match(r"[a-z\-]+$", w):
                    break
                head = w
            if head and (head in PERSON_ROLES or head in ORG_ROLES or head in DOCUMENTS):
                return Subject("title", word=head)
        return Subject("unnamed", word=first)

    def clause_subject(self, low: int, high: int) -> Subject:
        """The subject of the main clause of the text ``[low, high)`` (a sentence start).

        Args:
            low: start of the clause (introductory phrases up to a comma are skipped).
            high: where to stop.

        Returns:
            The subject.

        Example:
            >>> text = "On Monday, officials condemned Ivo Rask."
            >>> f = SpeakerFinder(text, [], Gazetteer.build([]), [(0, len(text))], [])
            >>> f.clause_subject(0, len(text)).kind
            'unnamed'
        """
        text = self.masked
        position = low
        for _ in range(3):
            gap = text[position:high]
            position += len(gap) - len(gap.lstrip(" \t\n“\"‘'(["))
            first = re.match(r"[A-Za-z’']+", text[position:high])
            if first is None:
                return Subject("none")
            if first.group().lower() in ("and", "but", "so", "yet", "or"):
                position += first.end()
                continue
            when = _WHEN.match(text, position, high)
            if when is not None:
                position = when.end()  # "Earlier this week a statement said"
                continue
            if first.group().lower() in _INTRO and not self._name_starting(position):
                comma = text.find(",", position, high)
                if comma < 0 or _words_count(text[position:comma]) > 25:
                    return Subject("none")
                position = comma + 1
                continue
            break
        gap = text[position:high]
        position += len(gap) - len(gap.lstrip(" \t"))
        name = self._name_starting(position)
        possessor: Name | None = None
        if name is not None and name.end <= high and (
                _POSSESSIVE.search(name.surface) or text[name.end:name.end + 2] in ("’s", "'s")):
            possessor, name = name, None  # "Tehran’s foreign ministry spokesman, X, said"
        if name is not None and name.end <= high:
            name = self._head_name(name, high)
            rest = text[name.end:high]
            if re.match(r"[ \t]+(?:and|&|or)[ \t]", rest):
                return Subject("several", name=name)
            paren = _ACRONYM_PAREN.match(rest)
            after = name.end + (paren.end() if paren else 0)
            rest = text[after:high]
            if rest.lstrip().startswith(","):
                # Skip an appositive "X, the chair of Y, said".
                k = text.find(",", after + rest.index(",") + 1, high)
                if 0 <= k and not re.search(r"[.!?]\s", text[after:k]):
                    rest = text[k + 1:high]
                else:
                    return Subject("none")
            verb = re.match(r"[ \t]*([a-z’'\-]+)", rest)
            if verb is None or not _verb_like(verb.group(1)) or (
                    name.kind == "unknown" and name.entity_id is None
                    and verb.group(1) not in _VERBS and not verb.group(1).endswith("ed")):
                return Subject("none")
            if name.kind == "place":
                return Subject("place", name=name)
            return Subject("name", name=name)
        words = list(_WORD.finditer(text[position:min(high, position + 300)]))[:16]
        if not words:
            return Subject("none")
        first = words[0].group()
        if first.lower() in _PRONOUNS:
            return Subject("pronoun", word=first.lower())
        # A noun phrase up to the first verb-like word.
        head = None
        stop = None
        for index, w in enumerate(words):
            stop = w
            word = w.group()
            lower = word.lower()
            if index and lower in ("known", "called", "named", "dubbed"):
                nxt = words[index + 1] if index + 1 < len(words) else None
                if nxt is not None and nxt.group().lower() == "as":
                    nxt = words[index + 2] if index + 2 < len(words) else None
                if nxt is not None and nxt.group().lower() == "the":
                    nxt = words[words.index(nxt) + 1] if words.index(nxt) + 1 < len(words) \
                        else None
                if nxt is not None:
                    named = self._name_starting(position + nxt.start())
                    if named is not None and named.kind != "place":
                        return Subject("name", name=named)
                return Subject("none")
            if index and lower in _PREPOSITIONS and head in PERSON_ROLES:
                # "The head of the country’s force, Ivo Rask, said": skip to the comma.
                comma = next((x for x in words[index:index + 12] if x.group() == ","), None)
                if comma is not None and not any(
                        _verb_like(x.group()) for x in words[index:words.index(comma)]
                        if x.group().islower() and x.group() not in _PREPOSITIONS
                        and not _POSSESSIVE.search(x.group())):
                    stop = comma
                    break
            if index and (_verb_like(lower) or lower in _PREPOSITIONS or word in ",;:"):
                break
            if word[:1].isupper() and index:
                named = self._name_starting(position + w.start())
                if named is not None and named.end < high:
                    # "The group's leader Ivo Rask said" / "Iran's president Kira Aln".
                    following = text[named.end:named.end + 30]
                    verb = re.match(r"[ \t]+([a-z’'\-]+)", following)
                    if verb and _verb_like(verb.group(1)) and not _POSSESSIVE.search(
                            named.surface):
                        return Subject("name", name=named)
            head = lower
            stop = None
        if head is None:
            return Subject("none")
        if stop is not None and stop.group() == "," and head in PERSON_ROLES:
            # "The group’s spokesman, Ivo Rask, said": the name in apposition to the head.
            after = position + stop.end()
            gap = text[after:high]
            named = self._name_starting(after + len(gap) - len(gap.lstrip(" \t")))
            if named is not None and named.kind in ("person", "unknown") and re.match(
                    r"[ \t]*,", text[named.end:high]):
                return Subject("name", name=named)
        if possessor is not None and head in DOCUMENTS:
            return Subject("name", name=possessor)  # "the Council’s report said"
        if head in DOCUMENTS and first.lower() in ("a", "an", "the"):
            inside = [n for n in self.names_in(position, position + (stop.start() if stop
                                                                      else 0))
                      if n.kind in ("org", "unknown") and not _POSSESSIVE.search(n.surface)]
            if len(inside) == 1:
                return Subject("name", name=inside[0])  # "a White House statement said"
        if first.lower() == "the" and (head in PERSON_ROLES or head in ORG_ROLES
                                       or head in DOCUMENTS):
            return Subject("title", word=head)
        if head in ANIMATE or head.endswith("ers") or head.endswith("ists"):
            return Subject("unnamed", word=head)
        return Subject("inanimate", word=head)

    def cue_subjects(self, low: int, high: int) -> list[tuple[int, Name]]:
        """Named subjects of the speech cues inside ``[low, high)``, with the cue offsets.

        Example:
            >>> text = "Nela Brun spoke, but Ivo Rask said the talks failed."
            >>> f = SpeakerFinder(text, [], Gazetteer.build([]), [(0, len(text))], [])
            >>> [n.surface for _, n in f.cue_subjects(0, len(text))]
            ['Ivo Rask']
        """
        found = []
        for verb in _CUE.finditer(self.masked, low, high):
            subject = self.subject_before(verb.start(), low)
            if subject.kind == "none":
                subject = self.subject_after(verb.end(), high)
            if subject.kind == "name" and subject.name is not None:
                found.append((verb.start(), subject.name))
        return found

    # ----------------------------------------------------------------- resolution
    def _speaker_in(self, low: int, high: int) -> Name | None:
        found = [name for at, name in self.attributed if low <= at < high]
        return found[-1] if found else None

    def resolve(self, subject: Subject, position: int, *, method: str) -> Attribution:
        """Turn a subject into an attribution, resolving pronouns and titles backwards.

        Args:
            subject: from :meth:`subject_before`, :meth:`subject_after` or
                :meth:`clause_subject`.
            position: where the subject stands (pronouns look back from there).
            method: the ``speaker_method`` of a named subject.

        Returns:
            The attribution; an empty speaker with an ``unclear-*`` method when unresolved.

        Example:
            >>> f = SpeakerFinder("x", [], Gazetteer.build([]), [(0, 1)], [])
            >>> f.resolve(Subject("unnamed", word="officials"), 0, method="cue-subject").method
            'unclear-unnamed'
        """
        if subject.kind == "name" and subject.name is not None:
            return self._named(subject.name, method)
        if subject.kind == "pronoun":
            return self._resolve_back(position, pronoun=subject.word)
        if subject.kind == "title" and subject.word in DOCUMENTS:
            return self._resolve_document(position, subject.word)
        if subject.kind == "title":
            return self._resolve_back(position, title=subject.word)
        if subject.kind == "several":
            return Attribution(None, None, "unclear-several")
        if subject.kind == "place":
            return Attribution(None, None, "unclear-not-a-speaker")
        if subject.kind == "unnamed":
            return Attribution(None, None, "unclear-unnamed")
        return Attribution(None, None, "unclear-no-cue")

    def name_at(self, position: int) -> Name | None:
        """The speaking name (person or organisation) that starts at ``position``, if any.

        Example:
            >>> f = SpeakerFinder("An interview with Ivo Rask.", [], Gazetteer.build([]),
            ...                   [(0, 27)], [])
            >>> f.name_at(18).surface
            'Ivo Rask'
        """
        name = self._name_starting(position)
        return name if name is not None and name.kind != "place" else None

    def speaker_named(self, name: Name, method: str) -> Attribution:
        """The attribution to ``name`` (in its fuller form when the text has one).

        Example:
            >>> f = SpeakerFinder("Ivo Rask came.", [], Gazetteer.build([]), [(0, 14)], [])
            >>> f.speaker_named(f.name_at(0), "transcript").speaker
            'Ivo Rask'
        """
        return self._named(name, method)

    def speaker_labelled(self, label: str) -> Attribution | None:
        """A transcript label (``Rask``, ``Ivo Rask``) as a speaker: the name it stands for.

        Example:
            >>> f = SpeakerFinder("Ivo Rask came.", [], Gazetteer.build([]), [(0, 14)], [])
            >>> f.speaker_labelled("Rask").speaker
            'Ivo Rask'
        """
        key = _key(label)
        fuller = self.fuller.get(key)
        if fuller is not None and (" " not in label or _display(fuller).endswith(label)):
            return self._named(fuller, "transcript")
        matches = [n for n in self.names if _display(n) == label and n.kind != "place"]
        if matches:
            return self._named(matches[0], "transcript")
        return None

    def _resolve_document(self, position: int, document: str) -> Attribution:
        """``the report said``: the named author of the nearest report introduced before.

        The report must have been introduced with its author: ``a report by X``, ``X’s report``,
        ``X published a report``. Otherwise the speaker stays empty.
        """
        text = self.masked
        best: tuple[int, Name] | None = None
        by = re.compile(r"\b" + document
                        + r"s?[ \t]+(?:\w+[ \t]+)?(?:by|from|of)[ \t]+(?:the[ \t]+)?")
        for match in by.finditer(text, 0, position):
            name = self._name_starting(match.end())
            if name is not None and name.kind != "place":
                best = (match.start(), name)
        owner = re.compile(r"(?:[’']s|s[’'])[ \t]+(?:[\w\-]+[ \t]+){0,2}" + document + r"\b")
        for match in owner.finditer(text, 0, position):
            name = self._name_ending(match.start() + (2 if text[match.start()] in "’'" else 1)) \
                or self._name_ending(match.start())
            if name is not None and name.kind != "place" and (best is None
                                                              or match.start() > best[0]):
                best = (match.start(), name)
        issued = re.compile(r"(?:published|released|issued|presented|produced)[ \t]+(?:a|an|its|"
                            r"the)[ \t]+(?:[\w\-]+[ \t]+){0,3}" + document + r"\b")
        for match in issued.finditer(text, 0, position):
            sentence = self.sentences[self.sentence_of(match.start())]
            subject = self.clause_subject(sentence[0], match.start())
            if subject.kind == "name" and subject.name is not None and (
                    best is None or match.start() > best[0]):
                best = (match.start(), subject.name)
        if best is None:
            return Attribution(None, None, "unclear-title")
        return self._named(best[1], "title")

    def _named(self, name: Name, method: str) -> Attribution:
        display = _display(name)
        if " " not in display and name.entity_id is None:
            # "Kerry" -> "John F. Kerry", "the Navy" -> "U.S. Navy": the one fuller form of
            # the same name in the text (none when two differ: Bill and Hillary Clinton).
            fuller = self.fuller.get(name.key)
            if fuller is not None and fuller.kind in (name.kind, "unknown") or (
                    fuller is not None and name.kind == "unknown"):
                return Attribution(_display(fuller), fuller.entity_id, method, fuller)
        if name.kind in ("org", "unknown") and " " not in display and re.search(
                r"\bthe[ \t]+$", self.text[max(0, name.start - 5):name.start]):
            display = "the " + display  # "the Independent wrote": a title with its article
        return Attribution(display, name.entity_id, method, name)

    @property
    def fuller(self) -> dict[str, Name]:
        """Last word -> the one fuller name ending with it (missing when several differ)."""
        if self._fuller_cache is None:
            forms: dict[str, dict[str, Name]] = {}
            for n in self.names:
                shown = _display(n)
                if n.kind == "place" or " " not in shown or (
                        _sentence_initial(self.text, n.start) and n.entity_id is None
                        and n.surface.split()[0] not in self.inner_capitals
                        and n.surface.split()[0].strip(".").lower() not in PERSON_TITLES
                        and shown.split(" ", 1)[1] in self._shown_forms()):
                    continue  # "Maybe Ben Sasse": a sentence word joined a name seen without it
                forms.setdefault(n.key, {})[shown] = n
            self._fuller_cache = {}
            for key, found in forms.items():
                shown = sorted(found, key=len)
                # One form, or every form a suffix of the longest ("Kerry", "John Kerry").
                if all(shown[-1].endswith(" " + other) or shown[-1] == other
                       for other in shown):
                    self._fuller_cache[key] = found[shown[-1]]
        return self._fuller_cache

    def _resolve_back(self, position: int, *, pronoun: str = "",
                      title: str = "") -> Attribution:
        wanted = _PRONOUNS.get(pronoun, "person") if pronoun else (
            "org" if title in ORG_ROLES and title not in PERSON_ROLES else "person")
        failure = "unclear-pronoun" if pronoun else "unclear-title"
        if wanted == "unresolved":
            return Attribution(None, None, failure)
        index = self.sentence_of(position)
        low = self.sentences[index][0]
        high = position
        paragraphs = 0
        fallback: Name | None = None
        for step in range(8 if title else 6):
            if step:
                index -= 1
                if index < 0:
                    break
                low, high = self.sentences[index]
                if "\n" in self.text[high:self.sentences[index + 1][0] + 1] or \
                        "\n" in self.text[low:high].strip():
                    paragraphs += 1
                    if paragraphs > 2:
                        break
            spoken = [(at, name) for at, name in self.attributed if low <= at < high]
            spoken += self.cue_subjects(low, high) if high - low < 1500 else []
            candidates: list[Name] = [name for _, name in sorted(spoken, key=lambda p: -p[0])]
            subject = self.clause_subject(low, high) if (step or self.text[low:high].strip()) \
                else Subject("none")
            if subject.kind == "name" and subject.name is not None:
                candidates.append(subject.name)
            for clause in _COORDINATED.finditer(self.masked, low, high):
                # "The image was offensive, and Ivo Rask agreed to remove it."
                later = self.clause_subject(clause.end(), high)
                if later.kind == "name" and later.name is not None:
                    candidates.insert(0, later.name)
                    subject = later
            for candidate in candidates:
                if self._fits(candidate, wanted, title):
                    return self._named(candidate, "pronoun" if pronoun else "title")
            if title and fallback is None and step <= 2 and wanted == "person" and candidates:
                # "Mr. Kerry told lawmakers ... “...,” the secretary of state said": the
                # nearest speaking person, when no other role is known for him.
                fallback = candidates[0]
            if candidates and not title:
                return Attribution(None, None, failure)
            if subject.kind == "pronoun" and (
                    _PRONOUNS.get(subject.word) == wanted or subject.word == pronoun):
                continue
            if title:
                continue
            if subject.kind in ("unnamed", "title", "several"):
                return Attribution(None, None, failure)
            if any(n.kind in ("person", "org", "unknown") for n in self.names_in(low, high)):
                return Attribution(None, None, failure)
        if fallback is not None and (fallback.kind == "person" or self.full.get(
                fallback.key, fallback).kind == "person") and not (
                self.roles.get(fallback.key, set()) & PERSON_ROLES):
            return self._named(fallback, "title")
        return Attribution(None, None, failure)

    def _fits(self, name: Name, wanted: str, title: str) -> bool:
        kind = self.full.get(name.key, name).kind if name.kind == "unknown" else name.kind
        if title:
            roles = self.roles.get(name.key, set())
            return title in roles
        if wanted == "person":
            return kind in ("person", "unknown")
        if wanted == "org":
            return kind == "org"
        return kind == "org"  # "they" stands for an organisation, never for one person

    def attribute(self, start: int, end: int, *, cue_at: int, cue: str,
                  inverted: bool = False) -> Attribution:
        """Attribute the quote ``[start, end)`` through the cue verb found at ``cue_at``.

        Args:
            start: quote start (without marks).
            end: quote end.
            cue_at: offset of the cue verb (or phrase).
            cue: the cue as written.
            inverted: the cue is followed by its subject (``said X``).

        Returns:
            The attribution.

        Example: see the class docstring.
        """
        index = self.sentence_of(cue_at)
        low, high = self.sentences[index]
        if cue_at > end:
            low = end + 1  # a cue after the quote: its subject lies between quote and cue
        if inverted:
            subject = self.subject_after(cue_at + len(cue), high)
        elif cue.lower() in PARTICIPLES and _WITH_PARTICIPLE.search(
                self.masked, max(low, cue_at - 120), cue_at) and (self._name_ending(
                len(self.masked[:cue_at].rstrip())) or _NO_NAME).kind in ("person", "unknown"):
            # "with former president Ivo Rask saying ...": the absolute construction's subject
            subject = Subject("name", name=self._name_ending(len(self.masked[:cue_at].rstrip())))
        elif cue.lower() in PARTICIPLES:
            earlier = self.cue_subjects(self.sentences[index][0], cue_at)
            subject = Subject("name", name=earlier[-1][1]) if earlier else \
                self.clause_subject(self.sentences[index][0], cue_at)
        else:
            subject = self.subject_before(cue_at, low)
            if subject.kind == "none" and cue_at > end:
                subject = self.subject_after(cue_at + len(cue), high)
                inverted = True
        return self.resolve(subject, cue_at, method="cue-subject")

    def according_to(self, position: int, high: int) -> Attribution:
        """Attribute through ``according to`` + the name at ``position``.

        Args:
            position: offset right after ``according to``.
            high: end of the sentence.

        Returns:
            The attribution.

        Example:
            >>> text = "It failed, according to Nela Brun."
            >>> f = SpeakerFinder(text, [], Gazetteer.build([]), [(0, len(text))], [])
            >>> f.according_to(text.index("Nela"), len(text)).speaker
            'Nela Brun'
        """
        subject = self.subject_after(position, high)
        attribution = self.resolve(subject, position, method="according-to")
        return attribution

    def context(self, start: int, end: int) -> Attribution:
        """A quote without a cue: the named subject of its clause or of the sentence before.

        Args:
            start: quote start (without its mark).
            end: quote end.

        Returns:
            The attribution (``context``), or empty when someone else is named in the way.

        Example:
            >>> text = "Nela Brun wrote a letter. “The valley is closed to us.”"
            >>> f = SpeakerFinder(text, [], Gazetteer.build([]), [(0, 26), (26, 55)],
            ...                   [(27, 54)])
            >>> f.context(27, 54).speaker
            'Nela Brun'
        """
        index = self.sentence_of(start)
        low = self.sentences[index][0]
        left = self.masked[low:max(low, start - 1)]
        if left.strip():
            subject = self.clause_subject(low, start - 1)
            if subject.kind not in ("inanimate", "none"):
                return self.resolve(subject, low, method="context")
            if any(n.kind in ("person", "org", "unknown") for n in self.names_in(low, start)):
                # Someone is named in the sentence, but not as its subject: no guess.
                return Attribution(None, None, "unclear-no-cue")
        if index == 0:
            return Attribution(None, None, "unclear-no-cue")
        previous_low, previous_high = self.sentences[index - 1]
        if "\n" in self.text[previous_high - 1:low] or "\n" in self.text[previous_low:low].strip():
            return Attribution(None, None, "unclear-no-cue")
        spoken = self._speaker_in(previous_low, previous_high)
        if spoken is not None:
            return self._named(spoken, "continuation")
        subject = self.clause_subject(previous_low, previous_high)
        if subject.kind in ("name", "pronoun", "title"):
            attribution = self.resolve(subject, previous_low, method="context")
            if attribution.speaker is not None:
                return Attribution(attribution.speaker, attribution.speaker_id, "context",
                                   attribution.name)
            return attribution
        if subject.kind in ("unnamed", "several", "place"):
            return self.resolve(subject, previous_low, method="context")
        return Attribution(None, None, "unclear-no-cue")

    def paragraph_opening(self, paragraph_start: int, start: int, end: int,
                          last_direct: object | None) -> Attribution | None:
        """A quote that opens a paragraph, without cue: the paragraph before may introduce it.

        Either the paragraph before ends with a cue and a colon (``Ivo Rask said:``), or its
        last quote is attributed and this paragraph is nothing but the quote, which goes on.

        Args:
            paragraph_start: offset of this paragraph.
            start: quote start.
            end: quote end.
            last_direct: the last direct quote before (a :class:`mediaprov.quotes.Quote`).

        Returns:
            The attribution, or None when the paragraph before says nothing about it.

        Example:
            >>> text = "Ivo Rask said:\\n\\n“We will stay in the valley.”"
            >>> f = SpeakerFinder(text, [], Gazetteer.build([]), [(0, 16), (16, 46)], [(17, 45)])
            >>> f.paragraph_opening(16, 17, 45, None).speaker
            'Ivo Rask'
        """
        before = self.text[:paragraph_start].rstrip()
        if not before:
            return None
        if before.endswith(":"):
            index = self.sentence_of(len(before) - 1)
            low = self.sentences[index][0]
            cues = list(_CUE_BEFORE_COLON.finditer(self.masked, low, len(before)))
            if cues:
                cue = cues[-1]
                return self.attribute(start, end, cue_at=cue.start(), cue=cue.group())
            return None
        rest = self.text[end + 1:self.text.find("\n", end) if "\n" in self.text[end:] else None]
        if rest.strip() or last_direct is None or getattr(last_direct, "speaker", None) is None:
            return None
        previous_paragraph = before.rfind("\n") + 1
        last_end = getattr(last_direct, "end", 0)
        if last_end < previous_paragraph:
            return None
        if self.other_subject_between(last_end, len(before), last_direct.speaker):
            return None
        if self._speaker_in(getattr(last_direct, "start", 0), last_end + 1) is None:
            return None
        name = self._speaker_in(getattr(last_direct, "start", 0), last_end + 1)
        return Attribution(last_direct.speaker, last_direct.speaker_id, "continuation", name)

    def record(self, start: int, attribution: Attribution) -> None:
        """Remember an attributed quote, so later pronouns can resolve to its speaker.

        Example:
            >>> f = SpeakerFinder("x", [], Gazetteer.build([]), [(0, 1)], [])
            >>> f.record(0, Attribution(None, None, "unclear-no-cue")); f.attributed
            []
        """
        if attribution.name is not None:
            self.attributed.append((start, attribution.name))

    def record_continuation(self, start: int) -> None:
        """Remember that the quote at ``start`` goes on with the last attributed speaker.

        Example:
            >>> f = SpeakerFinder("x", [], Gazetteer.build([]), [(0, 1)], [])
            >>> f.record_continuation(0); f.attributed
            []
        """
        if self.attributed:
            self.attributed.append((start, self.attributed[-1][1]))

    def other_subject_between(self, low: int, high: int, speaker: str) -> bool:
        """Whether a sentence inside ``[low, high)`` has a named subject other than ``speaker``.

        Example:
            >>> text = "“A,” Ivo Rask said. Nela Brun left. “B.”"
            >>> f = SpeakerFinder(text, [], Gazetteer.build([]), [(0, 20), (20, 36), (36, 40)],
            ...                   [(1, 3), (37, 39)])
            >>> f.other_subject_between(4, 36, "Ivo Rask")
            True
        """
        key = _key(_POSSESSIVE.sub("", speaker))
        for s, e in self.sentences:
            if s < low or s >= high:
                continue
            subject = self.clause_subject(s, min(e, high))
            if subject.kind == "name" and subject.name is not None and subject.name.key != key:
                return True
            if subject.kind in ("unnamed", "title", "several", "inanimate"):
                return True
        return False


_TITLE_BEFORE = re.compile(
    r"(?:\b(?:" + "|".join(sorted((t.capitalize() for t in PERSON_TITLES if "." not in t),
                                  key=len, reverse=True))
    + r")\.?[ \t]+)+$")
_VERBS = frozenset({
    "is", "was", "were", "are", "has", "had", "have", "will", "would", "can", "could", "may",
    "might", "must", "should", "did", "does", "do", "said", "says", "told", "tells", "made",
    "took", "gave", "met", "led", "ran", "spoke", "wrote", "went", "got", "saw", "sent",
    "became", "began", "held", "kept", "left", "put", "set", "won", "lost", "paid", "brought",
    "thought", "knew", "came", "found", "felt", "sought", "struck", "drew", "stood", "took",
    "also", "later", "then", "once", "again", "never", "recently", "previously", "reportedly",
    "who", "which", "spoke", "shared", "continues", "remains", "insists", "believes", "wants",
    "calls", "called", "urged", "vowed", "warned", "hit", "cut", "let", "read", "quit",
    "fled", "won", "sat", "rose", "fell", "grew", "threw", "flew", "swore", "shook", "chose",
    "bought", "caught", "taught", "fought", "built", "spent", "lent", "meant", "heard", "sold",
    "understood", "fed", "slept", "dealt", "laid", "wrote", "put", "spoke", "ate", "gone",
    "himself", "herself", "itself", "who", "however", "too", "first", "now", "then", "again",
    "had", "says", "say", "argue", "argues", "note", "notes", "think", "thinks", "say",
    "sees", "see", "saw", "went", "goes", "go", "gets", "get", "take", "takes", "made",
    "make", "makes", "put", "puts", "tweeted", "posted", "added", "told", "tells",
})


_SKIP_START = _SKIP_START | frozenset(w.capitalize() for w in _INTRO)


def _display(name: Name) -> str:
    """The speaker as named, without a possessive and, for persons, without leading titles."""
    surface = _POSSESSIVE.sub("", name.surface)
    if name.kind not in ("person", "unknown"):
        return surface
    words = surface.split()
    # "Former U.S. Sen. Bob Graham", "The late Chinese Premier Zhou Enlai", "Secretary of
    # State John F. Kerry": everything up to the last title goes.
    index = 0
    for position, word in enumerate(words[:-1]):
        if word.strip(".").lower() in PERSON_TITLES and words[position + 1].strip(".").lower() \
                not in _SUFFIXES:
            index = position + 1
    while index < len(words) - 1 and words[index] in ("of", "the"):
        index += 1
    return " ".join(words[index:])


def _sentence_initial(text: str, position: int) -> bool:
    before = text[max(0, position - 4):position].rstrip(" \t“\"‘'([")
    return not before or before[-1] in ".!?\n:”\"’"


def _verb_like(word: str) -> bool:
    return word in _VERBS or word.endswith("ed") or (word.endswith("s") and len(word) > 3
                                                     and not word.endswith("ss"))


def _words_count(text: str) -> int:
    return len(text.split())


def _key(surface: str) -> str:
    words = [w for w in re.split(r"[ \t]+", surface.strip()) if w]
    while len(words) > 1 and words[-1].strip(".").lower() in ("jr", "sr", "ii", "iii"):
        words = words[:-1]
    return words[-1].strip(".,").lower() if words else ""


def _bare_len(name: Name) -> int:
    words = [w for w in name.surface.split() if w.strip(".").lower() not in PERSON_TITLES]
    return len(words) * 100 + len(name.surface)
