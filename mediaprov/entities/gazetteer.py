"""The gazetteer: the names of a reference table compiled once, matched in every article.

:class:`Gazetteer` matches exactly (on folded text, casing checked), fuzzily (a word one edit
away from an alias word, the whole alias matched again in a small window), and by partial
names (a person's surname, an ambiguous alias) resolved only when one entity with that name is
named in full in the same article; see :mod:`mediaprov.entities` for the rules. Each name found
is a :class:`Match` with offsets into the original text.

Example:
    >>> g = Gazetteer.build([("lm", "person", "Lia Moro-Khani", [])])
    >>> [(m.start, m.end, m.method) for m in g.match("Mrs. Lia Moro-Kani left. Moro-Khani wrote.")]
    [(0, 18, 'fuzzy'), (25, 35, 'partial')]
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from mediaprov.entities.aliases import TITLES, name_parts, split_aliases
from mediaprov.entities.patterns import Patterns, case_ok, compile_names, deletions, one_edit
from mediaprov.text import fold, rewrite

_TITLE_BEFORE = re.compile(r"(?:\b(?:" + "|".join(TITLES) + r")\.?[ \t]+)$")
_NOT_A_NAME = ("And", "But", "The", "As", "In", "On", "At", "By", "With", "For", "When", "While",
               "After", "Before", "Then", "Former", "Meanwhile", "Also", "Yet", "So", "Or")
"""Capitalised words before a title or a bare name that do not make it part of a longer name."""
_CAPITAL_BEFORE = re.compile(r"\b(?!(?:" + "|".join(_NOT_A_NAME) + r")\b)[A-Z][\w-]*[ \t]+$")
# a capitalised word before a title makes it part of a longer title ("Secretary General X")
_NEXT_CAPITAL = re.compile(r"[ \t]+(?:[A-Z]|(?:al|el|bin|ibn|abu|ben|de|van|von)[ \t-])")
# a bare name followed by a capital or a name particle is part of another ("Ali al-Sistani")
_OTHER_NAME_BEFORE = re.compile(r"(?<![.!?:;\"“”\n])[ \t]\b(?!(?:" + "|".join(TITLES + _NOT_A_NAME)
                                + r")\b)[A-Z][\w'’-]*[ \t]+$")
# a bare name right after another capitalised word inside a sentence belongs to another name
# ("Yashar Ali"); titles are allowed ("President Rouhani"), and so is a sentence start
_LETTER_CLASS = r"[^\W\d_]"
_WORD = re.compile(_LETTER_CLASS + "{4,}")
_ASCII_WORD = re.compile("[A-Za-z]{4,}")  # the same runs in an ASCII text ("İ" folds to "I")
_LETTER = re.compile(_LETTER_CLASS)
_FUZZY_WINDOW = 80
_FUZZY_CACHE_LIMIT = 500_000


@functools.lru_cache(maxsize=4)
def _folded(text: str) -> str:
    """``fold(text)``, kept for the few texts matched last: an article is matched by two gazetteers."""
    return fold(text)


@functools.lru_cache(maxsize=4)
def _words(folded: str) -> frozenset[str]:
    """The distinct runs of four letters or more of a folded text, kept like :func:`_folded`'s."""
    return frozenset((_ASCII_WORD if folded.isascii() else _WORD).findall(folded))


@dataclass(frozen=True)
class Match:
    """One name found in a text (offsets into the original text)."""

    start: int
    end: int
    ids: tuple[str, ...]
    method: str
    kind: str = ""
    """Set by name discovery (:mod:`mediaprov.names`); curated matches leave it empty (the
    gazetteer's ``kinds`` says it)."""



def _fuzzy_vocabulary(keys: list[str], context_only: set[str]) -> tuple[set[str], set[str]]:
    """Words of the name keys that fuzzy matching may correct, and the one-word names among them.

    Args:
        keys: folded name keys.
        context_only: keys of ambiguous aliases (never one-word fuzzy targets).

    Returns:
        The alphabetic words of four letters or more, and the keys that are one alphabetic word of
        six letters or more.
    """
    vocabulary: set[str] = set()
    single_tokens: set[str] = set()
    for key in keys:
        tokens = key.split(" ")
        for token in tokens:
            if token.isalpha() and len(token) >= 4:
                vocabulary.add(token)
        if (len(tokens) == 1 and tokens[0].isalpha() and len(tokens[0]) >= 6
                and key not in context_only):
            single_tokens.add(tokens[0])
    return vocabulary, single_tokens

@dataclass
class Gazetteer:
    """Compiled names of a reference table (entities or outlets), ready to match texts.

    Build one with :meth:`from_entities` or :meth:`from_outlets`; it is reused for every article.

    Attributes:
        kinds: id -> kind (person, org, place, news, broadcaster, ...).
        names: id -> canonical name.
    """

    kinds: dict[str, str]
    names: dict[str, str]
    full: Patterns
    partial: Patterns
    vocabulary: set[str]
    deletion_index: dict[str, set[str]]
    single_tokens: set[str]
    persons: set[str]
    _fuzzy_cache: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def build(cls, rows: Iterable[tuple]) -> Gazetteer:
        """Compile ``(id, kind, canonical_name, aliases)`` rows, optionally with ambiguous aliases.

        Args:
            rows: one tuple per entity; the canonical name is matched as an alias too. A fifth
                element lists *ambiguous* aliases (a bare first name, a common word): like a
                person's surname they resolve only when the entity is named in full in the same
                article, and only where the context allows (capitalised, no capitalised word
                just before or after it).

        Returns:
            The gazetteer.

        Example:
            >>> g = Gazetteer.build([("x", "org", "Nejat Society", ["Nejat"])])
            >>> g.match("The Nejat Society said.")[0].ids
            ('x',)
        """
        kinds: dict[str, str] = {}
        names: dict[str, str] = {}
        full_ids: dict[str, set[str]] = {}
        full_written: dict[str, list[str]] = {}
        partial_ids: dict[str, set[str]] = {}
        partial_written: dict[str, list[str]] = {}
        persons: set[str] = set()
        context_only: set[str] = set()  # keys of ambiguous aliases
        for row in rows:
            entity_id, kind, canonical, aliases = row[:4]
            ambiguous = row[4] if len(row) > 4 else []
            kinds[entity_id] = kind
            names[entity_id] = canonical
            if kind == "person":
                persons.add(entity_id)
            for alias in [canonical, *aliases]:
                alias = alias.strip()
                if len(alias) < 2:
                    continue
                key = re.sub(" +", " ", fold(alias)).strip()
                full_ids.setdefault(key, set()).add(entity_id)
                full_written.setdefault(key, []).append(alias)
                if kind == "person":
                    for part in name_parts(alias)[1:]:  # the surname; never the first name
                        part_key = re.sub(" +", " ", fold(part)).strip()
                        partial_ids.setdefault(part_key, set()).add(entity_id)
                        partial_written.setdefault(part_key, []).append(part)
            for alias in ambiguous:
                alias = alias.strip()
                if len(alias) >= 2:
                    part_key = re.sub(" +", " ", fold(alias)).strip()
                    partial_ids.setdefault(part_key, set()).add(entity_id)
                    partial_written.setdefault(part_key, []).append(alias)
                    context_only.add(part_key)
        for key in list(partial_ids):
            if key in full_ids:
                del partial_ids[key], partial_written[key]
        vocabulary, single_tokens = _fuzzy_vocabulary(list(full_ids) + list(partial_ids),
                                                      context_only)
        deletion_index: dict[str, set[str]] = {}
        for token in vocabulary:
            for variant in deletions(token):
                deletion_index.setdefault(variant, set()).add(token)
        return cls(kinds, names, compile_names(full_ids, full_written),
                   compile_names(partial_ids, partial_written), vocabulary, deletion_index,
                   single_tokens, persons)

    @classmethod
    def from_entities(cls, table: pd.DataFrame) -> Gazetteer:
        """Compile an entities table (see :func:`load_entities`).

        Example:
            >>> from mediaprov.entities import load_entities
            >>> Gazetteer.from_entities(load_entities(packs=["iran"])).kinds["mek"]
            'org'
        """
        return cls.build(
            (str(r.entity_id), str(r.kind), str(r.canonical_name), split_aliases(r.aliases),
             split_aliases(getattr(r, "ambiguous_aliases", "")))
            for r in table.itertuples(index=False)
        )

    @classmethod
    def from_outlets(cls, table: pd.DataFrame) -> Gazetteer:
        """Compile an outlets table (``outlet_id, name, aliases, kind``...): names and aliases.

        Example:
            >>> import pandas as pd
            >>> t = pd.DataFrame({"outlet_id": ["bbc"], "name": ["BBC"], "aliases": ["BBC News"],
            ...                   "kind": ["broadcaster"]})
            >>> Gazetteer.from_outlets(t).match("on BBC News")[0].ids
            ('bbc',)
        """
        return cls.build(
            (str(r.outlet_id), str(getattr(r, "kind", "") or ""), str(r.name),
             [a for a in split_aliases(r.aliases) if len(a) > 1])
            for r in table.itertuples(index=False)
        )

    # ----------------------------------------------------------------------------- matching
    def _fuzzy_token(self, word: str) -> str | None:
        """Return the alias word that ``word`` is one edit away from (cached), or ``None``."""
        cached = self._fuzzy_cache.get(word, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        found: set[str] = set()
        for variant in deletions(word):
            found |= self.deletion_index.get(variant, set())
        # Same first letter, and not a mere plural (officials / official): spelling variants of
        # names keep their first letter, and common words one edit away from a name rarely do.
        found = {t for t in found if t[0] == word[0] and word not in (t + "s", t + "es")
                 and t not in (word + "s", word + "es") and one_edit(word, t)}
        result = None
        if len(found) == 1:
            result = found.pop()
        elif found:
            same_start = sorted(t for t in found if t[0] == word[0])
            result = same_start[0] if len(same_start) == 1 else None
        if len(self._fuzzy_cache) > _FUZZY_CACHE_LIMIT:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[word] = result
        return result

    def _candidates(self, patterns: Patterns, folded: str, text: str, method: str,
                    *, partial: bool = False) -> list[Match]:
        found = []
        for start, end, name in patterns.find(folded, text):
            surface = text[start:end]
            if partial and (not surface[:1].isupper() or _NEXT_CAPITAL.match(text, end)
                            or _OTHER_NAME_BEFORE.search(text, max(0, start - 30), start)):
                continue
            if not case_ok(surface, acronym=patterns.acronym[name],
                            capital=patterns.capital[name]):
                continue
            found.append(Match(start, end, patterns.ids[name], method))
        return found

    def _fuzzy_corrections(self, folded: str, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, alias word)`` for each word of ``folded`` one edit away from an alias word."""
        corrections: list[tuple[int, int, str]] = []
        cache = self._fuzzy_cache
        targets: dict[str, str] = {}
        for token in _words(folded) - self.vocabulary:
            target = cache[token] if token in cache else self._fuzzy_token(token)
            if target is not None:
                targets[token] = target
        # each word of _WORD is a whole run of letters: its occurrences are those of the token
        # with no letter on either side (found by str.find, not by a second scan of every word);
        # the search goes on after each occurrence's end: one overlapping it is preceded by a
        # letter of it, so it is never a word
        for token, target in targets.items():
            start = folded.find(token)
            while start >= 0:
                end = start + len(token)
                if ((start == 0 or not _LETTER.match(folded, start - 1))
                        and not _LETTER.match(folded, end)
                        and (target not in self.single_tokens or text[start].isupper())
                        and not (start > 0 and folded[start - 1] in "@/.#_")):
                    corrections.append((start, end, target))
                start = folded.find(token, end)
        corrections.sort()
        return corrections

    def _fuzzy_candidates(self, folded: str, text: str) -> list[Match]:
        corrections = self._fuzzy_corrections(folded, text)
        found: list[Match] = []
        for start, end, _target in corrections:
            low = max(0, start - _FUZZY_WINDOW)
            high = min(len(folded), end + _FUZZY_WINDOW)
            local = [(s - low, e - low, t) for s, e, t in corrections if s >= low and e <= high]
            window, offsets = rewrite(folded[low:high], local)
            for patterns, is_partial in ((self.full, False), (self.partial, True)):
                if patterns.regex is None:
                    continue
                for match in patterns.regex.finditer(window):
                    o_start = offsets.start(match.start()) + low
                    o_end = offsets.end(match.end()) + low
                    if not (o_start <= start and end <= o_end):
                        continue
                    name = re.sub(" +", " ", match.group())
                    if " " not in name and (len(name) < 6 or patterns.acronym[name]):
                        continue  # short one-word names and acronyms are matched exactly only
                    surface = text[o_start:o_end]
                    if is_partial and (not surface[:1].isupper()
                                       or _NEXT_CAPITAL.match(text, o_end)
                                       or (" " not in name and len(name) < 7)):
                        continue
                    if not case_ok(surface, acronym=patterns.acronym[name],
                                    capital=patterns.capital[name] or is_partial):
                        continue
                    method = "fuzzy-partial" if is_partial else "fuzzy"
                    found.append(Match(o_start, o_end, patterns.ids[name], method))
        return found

    def match(self, text: str, *, fuzzy: bool = True) -> list[Match]:
        """Find the names of the gazetteer in one text.

        Args:
            text: the text (offsets refer to it).
            fuzzy: also match spelling variants one edit away from an alias word.

        Returns:
            Non-overlapping matches sorted by start. ``ids`` holds one id for a resolved match
            and several for an ambiguous partial name (``method == "ambiguous"``).

        Example:
            >>> g = Gazetteer.build([("a", "person", "Ana Vell", []),
            ...                      ("e", "person", "Edo Vell", [])])
            >>> [m.method for m in g.match("Ana Vell and Edo Vell came. Vell left.")]
            ['exact', 'exact', 'ambiguous']
        """
        folded = _folded(text)
        full = self._candidates(self.full, folded, text, "exact")
        fuzzy_found = self._fuzzy_candidates(folded, text) if fuzzy else []
        full_fuzzy = [m for m in fuzzy_found if m.method == "fuzzy"]
        chosen = _non_overlapping(full + full_fuzzy)
        shared = [m for m in chosen if len(m.ids) > 1]  # an alias of several entities
        chosen = [m for m in chosen if len(m.ids) == 1]
        mentioned_persons = {m.ids[0] for m in chosen}  # surnames and ambiguous aliases resolve to them
        partial = self._candidates(self.partial, folded, text, "partial", partial=True)
        partial += shared
        partial += [Match(m.start, m.end, m.ids, "partial")
                    for m in fuzzy_found if m.method == "fuzzy-partial"]
        resolved = []
        for m in partial:
            present = tuple(i for i in m.ids if i in mentioned_persons)
            if len(present) == 1:
                resolved.append(Match(m.start, m.end, present, "partial"))
            elif len(present) > 1:
                resolved.append(Match(m.start, m.end, present, "ambiguous"))
        chosen = _non_overlapping(chosen + resolved, keep=chosen)
        out = []
        for m in chosen:
            start = m.start
            if m.ids[0] in self.persons:
                title = _TITLE_BEFORE.search(text, max(0, start - 14), start)
                if title and not _CAPITAL_BEFORE.search(text, max(0, title.start() - 30),
                                                        title.start()):
                    start = title.start()
            out.append(Match(start, m.end, m.ids, m.method))
        return out


def _non_overlapping(matches: list[Match], *, keep: list[Match] | None = None) -> list[Match]:
    """Pick non-overlapping matches: ``keep`` first, then longest first, then leftmost."""
    kept = list(keep or [])
    taken = sorted((m.start, m.end) for m in kept)
    kept_set = set(kept)
    rest = [m for m in matches if m not in kept_set]
    rest.sort(key=lambda m: (-(m.end - m.start), m.start, m.method))
    chosen = kept
    for m in rest:
        if any(s < m.end and m.start < e for s, e in taken):
            continue
        chosen.append(m)
        taken.append((m.start, m.end))
    return sorted(set(chosen), key=lambda m: (m.start, m.end))
