"""The names of one article, found lazily sentence by sentence, as speakers are named.

A name is a gazetteer mention (:class:`mediaprov.entities.Match`, with a title before a person
joined to it) or a capitalised chunk (:data:`mediaprov.speakers.lexicon.NAME_CHUNK`) cut at
sentence words and prepositions. :class:`ArticleNames` holds the text, its sentences and its
quotes (masked, so a quoted name is never a subject) and answers which names start or end at
an offset, which roles the text gives a surname (``President X``, ``X, the spokesman``), and
the one fuller form of a short name (``Kerry`` -> ``John F. Kerry``). Names are found only for
the sentences asked about: most sentences of an article are never looked at.

Example:
    >>> from mediaprov.entities import Gazetteer
    >>> text = "President Ivo Rask met Nela Brun."
    >>> names = ArticleNames(text, [], Gazetteer.build([]), [(0, len(text))], [])
    >>> [(n.surface, n.kind, n.key) for n in names.names]
    [('President Ivo Rask', 'person', 'rask'), ('Nela Brun', 'person', 'brun')]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from mediaprov.entities import Gazetteer, Match
from mediaprov.speakers.lexicon import (ANIMATE, INNER_CAPITAL, NAME_CHUNK, NAME_SUFFIXES,
                                        ORG_ROLES, ORG_WORDS, PERSON_ROLES, PERSON_TITLES,
                                        POSSESSIVE, SKIP_START, SPEAKER_KINDS, TITLE_BEFORE)


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


NO_NAME = Name(0, 0, "", None, "none", "")
_NON_SPACE = re.compile(r"\S+")
_BLANKS = re.compile(r"[ \t]+")
_SPACE_OR_HYPHEN = re.compile(r"[ \t\-]+")


def _name_kind(surface: str, gazetteer_kind: str | None) -> str:
    if gazetteer_kind:
        if gazetteer_kind == "person":
            return "person"
        if gazetteer_kind not in SPEAKER_KINDS:
            return "place"  # places, events, operations: named, never speaking
        return "org"
    words = [w.strip(".").lower() for w in _SPACE_OR_HYPHEN.split(surface) if w]
    if any(w in ORG_WORDS for w in words) or (len(surface) >= 2 and surface.isupper()
                                              and len(words) == 1):
        return "org"
    if words and words[0] in PERSON_TITLES and len(words) > 1:
        return "person"
    return "person" if len(words) >= 2 else "unknown"


class ArticleNames:
    """The names, sentences and quotes of one article, to attribute its quotes.

    Args:
        text: the article text.
        mentions: its gazetteer mentions (resolved ones).
        gazetteer: the gazetteer that produced them (for kinds).
        sentences: sentence spans (:func:`mediaprov.quotes.sentence_spans`).
        quotes: all quote spans (without marks), masked when looking for cues.

    Example:
        >>> text = "Ivo Rask spoke. “Nela Brun stays,” he said."
        >>> names = ArticleNames(text, [], Gazetteer.build([]), [(0, 15), (16, 43)], [(17, 33)])
        >>> [n.surface for n in names.names]  # the quoted name is masked
        ['Ivo Rask']
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
            >>> f = ArticleNames("Ivo Rask met Nela Brun.", [], Gazetteer.build([]),
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
            self._shown_cache = {display_name(n) for n in self.names}
        return self._shown_cache

    @property
    def inner_capitals(self) -> set[str]:
        """Capitalised words seen somewhere other than at the start of a sentence."""
        if self._inner_capitals is None:
            self._inner_capitals = {m.group(1) for m in INNER_CAPITAL.finditer(self.masked)}
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

    def _mention_names(self, low: int, high: int) -> tuple[dict[int, Name], list[tuple[int, int]]]:
        """The curated mentions in ``[low, high)`` as names (a person's title included), by start."""
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
            before = TITLE_BEFORE.search(text, max(low, start - 40), start)
            if before is not None and kind == "person":
                start = before.start()
            found[start] = Name(start, m.end, text[start:m.end], m.ids[0], kind,
                                surname_key(text[m.start:m.end]))
            taken.append((start, m.end))
        return found, taken

    def _names(self, low: int, high: int) -> list[Name]:
        text, masked = self.text, self.masked
        found, taken = self._mention_names(low, high)
        for match in NAME_CHUNK.finditer(masked, low, high):
            words = [(m.start() + match.start(), m.end() + match.start(), m.group())
                     for m in _NON_SPACE.finditer(match.group())]
            # Drop sentence words and other capitalised non-names at the start.
            while words and (words[0][2] in SKIP_START
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
                bare = POSSESSIVE.sub("", surface)
                found[start] = Name(start, end, surface, None, _name_kind(bare, None),
                                    surname_key(bare))
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

    def sentence_of(self, position: int) -> int:
        """Index of the sentence that holds ``position``.

        Example:
            >>> f = ArticleNames("A b. C d.", [], Gazetteer.build([]), [(0, 5), (5, 9)], [])
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

    @property
    def fuller(self) -> dict[str, Name]:
        """Last word -> the one fuller name ending with it (missing when several differ)."""
        if self._fuller_cache is None:
            forms: dict[str, dict[str, Name]] = {}
            for n in self.names:
                shown = display_name(n)
                if n.kind == "place" or " " not in shown or (
                        _sentence_initial(self.text, n.start) and n.entity_id is None
                        and n.surface.split()[0] not in self.inner_capitals
                        and n.surface.split()[0].strip(".").lower() not in PERSON_TITLES
                        and shown.split(" ", 1)[1] in self._shown_forms()):
                    continue  # "Maybe Ben Sasse": a sentence word joined a name seen without it
                forms.setdefault(n.key, {})[shown] = n
            self._fuller_cache = {}
            for key, found in forms.items():
                by_length = sorted(found, key=len)
                # One form, or every form a suffix of the longest ("Kerry", "John Kerry").
                if all(by_length[-1].endswith(" " + other) or by_length[-1] == other
                       for other in by_length):
                    self._fuller_cache[key] = found[by_length[-1]]
        return self._fuller_cache


def display_name(name: Name) -> str:
    """The speaker as named, without a possessive and, for persons, without leading titles.

    Args:
        name: a name of the text.

    Returns:
        Its surface, cut after the last title of a person (``Secretary of State John F. Kerry``
        -> ``John F. Kerry``).

    Example:
        >>> display_name(Name(0, 26, "Former U.S. Sen. Bob Graham", None, "person", "graham"))
        'Bob Graham'
    """
    surface = POSSESSIVE.sub("", name.surface)
    if name.kind not in ("person", "unknown"):
        return surface
    words = surface.split()
    # "Former U.S. Sen. Bob Graham", "The late Chinese Premier Zhou Enlai", "Secretary of
    # State John F. Kerry": everything up to the last title goes.
    index = 0
    for position, word in enumerate(words[:-1]):
        if word.strip(".").lower() in PERSON_TITLES and words[position + 1].strip(".").lower() \
                not in NAME_SUFFIXES:
            index = position + 1
    while index < len(words) - 1 and words[index] in ("of", "the"):
        index += 1
    return " ".join(words[index:])


def _sentence_initial(text: str, position: int) -> bool:
    before = text[max(0, position - 4):position].rstrip(" \t“\"‘'([")
    return not before or before[-1] in ".!?\n:”\"’"


def surname_key(surface: str) -> str:
    """The key that joins variants of one name: its last word (suffixes cut), lower case.

    Args:
        surface: a name as written.

    Returns:
        The key (empty for an empty name).

    Example:
        >>> surname_key("Martin Luther King Jr.")
        'king'
    """
    words = [w for w in _BLANKS.split(surface.strip()) if w]
    while len(words) > 1 and words[-1].strip(".").lower() in ("jr", "sr", "ii", "iii"):
        words = words[:-1]
    return words[-1].strip(".,").lower() if words else ""


def _bare_len(name: Name) -> int:
    words = [w for w in name.surface.split() if w.strip(".").lower() not in PERSON_TITLES]
    return len(words) * 100 + len(name.surface)
