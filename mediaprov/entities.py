"""Entity mentions: who and what an article names, found with a curated gazetteer.

The gazetteer is ``data/reference/entities.csv`` (columns ``entity_id, kind, canonical_name,
aliases, citation, pack``; aliases are ``|``-separated and include translations,
transliterations and pejorative names). Researchers edit it; the code never hard-codes names.

Matching, in order:

1. **exact**: every alias is compiled into one trie-shaped regular expression and matched on the
   folded text (:func:`mediaprov.text.fold`: case, diacritics, curly quotes, hyphens), so
   ``Sani–Khani``, ``SANI-KHANI`` and ``Sani Khani`` all match the alias ``Sani-Khani``. Aliases
   written with capitals only match text that has a capital (``Guardian`` is not ``guardian``);
   acronyms (``MEK``) need mostly capitals in the text.
2. **fuzzy**: a word one edit away (insertion, deletion, substitution, adjacent swap) from a word
   of an alias, with the same first letter and not a mere plural, is corrected in a small window
   and the window is matched again (``Mojhaedin`` -> ``Mojahedin``, ``Sani-Kani`` ->
   ``Sani-Khani``, ``Chanel 4`` -> ``Channel 4``). The whole alias must then match, so a lone
   misspelt common word matches nothing; a one-word alias is only matched fuzzily from six
   letters up and when the text word is capitalised.
3. **partial names**: a person's surname alone (``Assadi``), or an alias the row marks
   ambiguous (``ambiguous_aliases``: ``Maryam``, ``the Mojahedin``), resolves only when exactly
   one entity of the gazetteer with that name is mentioned in full in the same article, and only
   where it is not part of another name (no capitalised word just before it other than a title,
   no capital or name particle just after: ``Yashar Ali``, ``Ali al-Sistani`` and ``Crown
   Prince Hassan`` are not Ali Khamenei or Hassan Rouhani). A first name alone is never derived
   from a full name; pack aliases that are bare first names or common words are refused by
   :func:`load_entities` unless listed as ambiguous. When several are (three Khodabandehs), the bare name is *ambiguous*: it is reported
   apart (``method == "ambiguous"``, ``entity_id`` = the candidates joined by ``|``) and never
   merged into one of them. A courtesy title before a person (``Mrs.``, ``General``) joins the
   mention.

Packs are scoped by corpus (``packs.csv``, :mod:`mediaprov.reference`): the demo pack matches only in demo corpora.
Names that no pack lists are found by :mod:`mediaprov.names` (ids ``name:...``).

Optional statistical NER (spaCy, when a model is installed) only feeds :func:`suggest_aliases`;
everything else works without it.

Example:
    >>> import pandas as pd
    >>> table = pd.DataFrame({"entity_id": ["lm"], "kind": ["person"],
    ...     "canonical_name": ["Lia Moro-Khani"], "aliases": ["Moro-Khani"],
    ...     "citation": [""], "pack": ["x"]})
    >>> gazetteer = Gazetteer.from_entities(table)
    >>> articles = pd.DataFrame({"article_id": ["a"],
    ...                          "text": ["Lia Moro-Kani wrote. Moro-Khani said."]})
    >>> find_mentions(articles, gazetteer)[["surface", "method"]].values.tolist()
    [['Lia Moro-Kani', 'fuzzy'], ['Moro-Khani', 'exact']]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mediaprov import reference
from mediaprov.schema import MENTIONS, validate
from mediaprov.text import fold, rewrite

ENTITY_COLUMNS: tuple[str, ...] = ("entity_id", "kind", "canonical_name", "aliases", "citation",
                                   "pack")
ENTITY_OPTIONAL_COLUMNS: tuple[str, ...] = ("ambiguous_aliases",)
"""Columns the entities CSV may have: ``ambiguous_aliases`` lists (``|``-separated) names that
would misfire as plain aliases (a bare first name, a common word, ``the Mojahedin``); they
resolve only where the entity is named in full in the same article and the context allows."""
TITLES: tuple[str, ...] = (
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Professor", "Gen", "General", "President",
    "Ayatollah", "Sir", "Madam", "Mme", "Sheikh", "Senator", "Sen", "Minister", "Judge",
)
_TITLE_BEFORE = re.compile(r"(?:\b(?:" + "|".join(TITLES) + r")\.?[ \t]+)$")
_CAPITAL_BEFORE = re.compile(r"\b(?!(?:And|But|The|As|In|On|At|By|With|For|When|While|After|Before|"
                             r"Then|Former|Meanwhile|Also|Yet|So|Or)\b)[A-Z][\w-]*[ \t]+$")
# a capitalised word before a title makes it part of a longer title ("Secretary General X")
_NEXT_CAPITAL = re.compile(r"[ \t]+(?:[A-Z]|(?:al|el|bin|ibn|abu|ben|de|van|von)[ \t-])")
# a bare name followed by a capital or a name particle is part of another ("Ali al-Sistani")
_OTHER_NAME_BEFORE = re.compile(
    r"(?<![.!?:;\"“”\n])[ \t]\b(?!(?:" + "|".join(TITLES) + r"|And|But|The|As|In|On|At|By|With|For|When|"
    r"While|After|Before|Then|Former|Meanwhile|Also|Yet|So|Or)\b)[A-Z][\w'’-]*[ \t]+$")
# a bare name right after another capitalised word inside a sentence belongs to another name
# ("Yashar Ali"); titles are allowed ("President Rouhani"), and so is a sentence start
_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_WORD = re.compile(r"[^\W\d_]{4,}")
_FUZZY_WINDOW = 80
_FUZZY_CACHE_LIMIT = 500_000


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


@dataclass
class _Patterns:
    """A compiled trie regex over folded names, with what each name stands for."""

    regex: re.Pattern[str] | None
    ids: dict[str, tuple[str, ...]]
    acronym: dict[str, bool]
    capital: dict[str, bool]

    def find(self, folded: str, original: str, *, offset: int = 0) -> Iterable[tuple[int, int, str]]:
        """Yield ``(start, end, folded_name)`` for valid matches in ``folded``."""
        if self.regex is None:
            return
        for match in self.regex.finditer(folded):
            name = match.group()
            if "  " in name:
                name = re.sub(" +", " ", name)
            yield match.start() + offset, match.end() + offset, name


def _trie_regex(names: Iterable[str]) -> str:
    """Return a regex alternation of ``names`` shaped as a trie (fast, longest match first)."""
    trie: dict = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends_here = "" in node
        branches = []
        for char in sorted(k for k in node if k):
            piece = " +" if char == " " else re.escape(char)
            branches.append(piece + build(node[char]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends_here:
            return "(?:" + body + ")?"
        return body

    return build(trie)


def _compile(names: dict[str, set[str]], originals: dict[str, list[str]]) -> _Patterns:
    """Compile folded names (-> ids) into a :class:`_Patterns`."""
    if not names:
        return _Patterns(None, {}, {}, {})
    regex = re.compile(r"(?<!\w)(?:" + _trie_regex(sorted(names)) + r")(?![\w])")
    acronym: dict[str, bool] = {}
    capital: dict[str, bool] = {}
    for name, written in originals.items():
        letters = ["".join(ch for ch in w if ch.isalpha()) for w in written]
        acronym[name] = all(ls.isupper() and len(ls) <= 8 for ls in letters if ls)
        capital[name] = all(any(ch.isupper() for ch in ls) for ls in letters if ls)
    return _Patterns(regex, {k: tuple(sorted(v)) for k, v in names.items()}, acronym, capital)


def _case_ok(surface: str, *, acronym: bool, capital: bool) -> bool:
    """Return whether the text's casing fits an alias written as an acronym or with capitals."""
    letters = [ch for ch in surface if ch.isalpha()]
    if not letters:
        return True
    if acronym:
        upper = sum(ch.isupper() for ch in letters)
        return letters[0].isupper() and upper * 2 >= len(letters)
    if capital:
        return any(ch.isupper() for ch in letters)
    return True


def _deletions(word: str) -> set[str]:
    """Return ``word`` and every string made by deleting one character of it."""
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


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
    full: _Patterns
    partial: _Patterns
    vocabulary: set[str]
    deletion_index: dict[str, set[str]]
    single_tokens: set[str]
    persons: set[str]
    _fuzzy_cache: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def build(cls, rows: Iterable[tuple]) -> "Gazetteer":
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
                    for part in _name_parts(alias)[1:]:  # the surname; never the first name
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
        vocabulary: set[str] = set()
        single_tokens: set[str] = set()
        for key in list(full_ids) + list(partial_ids):
            tokens = key.split(" ")
            for token in tokens:
                if token.isalpha() and len(token) >= 4:
                    vocabulary.add(token)
            if (len(tokens) == 1 and tokens[0].isalpha() and len(tokens[0]) >= 6
                    and key not in context_only):
                single_tokens.add(tokens[0])
        deletion_index: dict[str, set[str]] = {}
        for token in vocabulary:
            for variant in _deletions(token):
                deletion_index.setdefault(variant, set()).add(token)
        return cls(kinds, names, _compile(full_ids, full_written),
                   _compile(partial_ids, partial_written), vocabulary, deletion_index,
                   single_tokens, persons)

    @classmethod
    def from_entities(cls, table: pd.DataFrame) -> "Gazetteer":
        """Compile an entities table (see :func:`load_entities`).

        Example:
            >>> Gazetteer.from_entities(load_entities(packs=["iran"])).kinds["mek"]
            'org'
        """
        return cls.build(
            (str(r.entity_id), str(r.kind), str(r.canonical_name), _split(r.aliases),
             _split(getattr(r, "ambiguous_aliases", "")))
            for r in table.itertuples(index=False)
        )

    @classmethod
    def from_outlets(cls, table: pd.DataFrame) -> "Gazetteer":
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
             [a for a in _split(r.aliases) if len(a) > 1])
            for r in table.itertuples(index=False)
        )

    # ----------------------------------------------------------------------------- matching
    def _fuzzy_token(self, word: str) -> str | None:
        """Return the alias word that ``word`` is one edit away from (cached), or ``None``."""
        cached = self._fuzzy_cache.get(word, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        found: set[str] = set()
        for variant in _deletions(word):
            found |= self.deletion_index.get(variant, set())
        # Same first letter, and not a mere plural (officials / official): spelling variants of
        # names keep their first letter, and common words one edit away from a name rarely do.
        found = {t for t in found if t[0] == word[0] and word not in (t + "s", t + "es")
                 and t not in (word + "s", word + "es") and _one_edit(word, t)}
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

    def _candidates(self, patterns: _Patterns, folded: str, text: str, method: str,
                    *, partial: bool = False) -> list[Match]:
        found = []
        for start, end, name in patterns.find(folded, text):
            surface = text[start:end]
            if partial and (not surface[:1].isupper() or _NEXT_CAPITAL.match(text, end)
                            or _OTHER_NAME_BEFORE.search(text, max(0, start - 30), start)):
                continue
            if not _case_ok(surface, acronym=patterns.acronym[name],
                            capital=patterns.capital[name]):
                continue
            found.append(Match(start, end, patterns.ids[name], method))
        return found

    def _fuzzy_candidates(self, folded: str, text: str) -> list[Match]:
        corrections = []
        cache = self._fuzzy_cache
        targets: dict[str, str] = {}
        for token in set(_WORD.findall(folded)) - self.vocabulary:
            target = cache.get(token, False)
            if target is False:
                target = self._fuzzy_token(token)
            if target is not None:
                targets[token] = target
        if not targets:
            return []
        for word in _WORD.finditer(folded):
            target = targets.get(word.group())
            if target is None:
                continue
            if target in self.single_tokens and not text[word.start()].isupper():
                continue
            if word.start() > 0 and folded[word.start() - 1] in "@/.#_":
                continue
            corrections.append((word.start(), word.end(), target))
        found: list[Match] = []
        for index, (start, end, target) in enumerate(corrections):
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
                    if not _case_ok(surface, acronym=patterns.acronym[name],
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
        folded = fold(text)
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


def _one_edit(a: str, b: str) -> bool:
    """Return whether ``a`` and ``b`` differ by one insertion, deletion, substitution or swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(long_)):
        if long_[:i] + long_[i + 1:] == short:
            return True
    return False


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


def _name_parts(name: str) -> list[str]:
    """Return the first name and surname of a person's name (at least two words), else []."""
    words = [w for w in name.split() if w]
    while words and words[0].rstrip(".") in TITLES:
        words = words[1:]
    while words and words[-1].lower().rstrip(",") in _NAME_SUFFIXES:
        words = words[:-1]
    if len(words) < 2 or not all(any(ch.isalpha() and ch.isascii() for ch in w) for w in words):
        return []
    parts = [words[0], words[-1]]
    return [p for p in parts if len(p.strip(".")) >= 3]


def _split(value: object) -> list[str]:
    """Split a ``|``-separated cell into stripped, non-empty names."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return []
    return [part.strip() for part in str(value).split("|") if part.strip()]


def refused_aliases(canonical: str, kind: str, aliases: Iterable[str]) -> list[str]:
    """Aliases that would misfire: a person's bare first name, or a common word alone.

    Such an alias must be listed in the row's ``ambiguous_aliases`` column instead, where it is
    resolved only in context (see :meth:`Gazetteer.build`).

    Example:
        >>> refused_aliases("Orvel Lind", "person", ["Orvel", "Lind", "O. Lind", "Still"])
        ['Orvel', 'Still']
    """
    from mediaprov.names import COMMON_WORDS  # names imports this module

    names = [canonical, *aliases]
    first_names = {fold(w[0]) for w in (n.split() for n in names)
                   if len(w) >= 2 and kind == "person"}
    out = []
    for alias in aliases:
        words = alias.split()
        if len(words) != 1:
            continue
        key = fold(alias).strip(".")
        if key in first_names or key in COMMON_WORDS:
            out.append(alias)
    return out


def load_entities(path: Path | None = None, *, packs: Iterable[str] | None = None,
                  corpus: str | None = None) -> pd.DataFrame:
    """Read and check the entities reference table (via :func:`mediaprov.reference.read`).

    Args:
        path: the CSV; default ``<reference>/entities.csv``.
        packs: keep only rows of these packs (e.g. ``["iran"]``); default all.
        corpus: keep the rows whose pack applies to this corpus (demo entities only on the demo:
            see ``packs.csv``) and add ``data/reference/<corpus>/entities.csv``.

    Returns:
        The table with columns :data:`ENTITY_COLUMNS` then :data:`ENTITY_OPTIONAL_COLUMNS`
        (empty when the CSV lacks them), sorted by ``entity_id``.

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: a column is missing, a row has an empty or duplicate id, kind or name, or an
            alias is a bare first name or a common word not marked ambiguous (the message gives
            the CSV line).

    Example:
        >>> "mek" in set(load_entities(packs=["iran"]).entity_id)
        True
        >>> "council-of-nations" in set(load_entities(corpus="allsides_iran").entity_id)
        False
    """
    where = Path(path) if path is not None else reference.table_path("entities")
    files = [(where, reference.read("entities", path=path))]
    if corpus is not None and (reference.local_dir(corpus) / "entities.csv").exists():
        own = reference.local_dir(corpus) / "entities.csv"
        files.append((own, reference.read("entities", path=own)))
    for file, rows in files:  # every file's rows, in file order, so errors can name the line
        for line, row in enumerate(rows.itertuples(index=False), start=2):
            refused = refused_aliases(str(row.canonical_name), str(row.kind), _split(row.aliases))
            if refused:
                raise ValueError(f"{file}:{line}: alias(es) {refused} of '{row.entity_id}' are a bare "
                                 "first name or a common word and would misfire; move them to the "
                                 "'ambiguous_aliases' column (matched only in context) or delete them")
    table = reference.read("entities", corpus=corpus, path=path)
    if packs is not None:
        table = table[table.pack.isin(list(packs))]
    columns = [*ENTITY_COLUMNS, *ENTITY_OPTIONAL_COLUMNS]
    return table.loc[:, columns].sort_values("entity_id").reset_index(drop=True)


def find_mentions(articles: pd.DataFrame, gazetteer: Gazetteer, *, fuzzy: bool = True,
                  keep_ambiguous: bool = False) -> pd.DataFrame:
    """Find entity mentions in every article.

    Args:
        articles: a table with ``article_id`` and ``text``.
        gazetteer: compiled names (:meth:`Gazetteer.from_entities`).
        fuzzy: match spelling variants one edit away from alias words.
        keep_ambiguous: also return bare surnames or first names shared by several persons
            mentioned in the article (``method == "ambiguous"``, ``entity_id`` = ``a|b|c``).

    Returns:
        A ``mentions`` table (mediaprov.schema.MENTIONS), sorted by article, start and end.

    Example:
        >>> g = Gazetteer.build([("mek", "org", "MEK", ["PMOI"])])
        >>> articles = pd.DataFrame({"article_id": ["a"], "text": ["PMOI (MEK)"]})
        >>> find_mentions(articles, g).entity_id.tolist()
        ['mek', 'mek']
    """
    rows = []
    for article_id, text in zip(articles["article_id"], articles["text"]):
        if not isinstance(text, str) or not text:
            continue
        for m in gazetteer.match(text, fuzzy=fuzzy):
            if m.method == "ambiguous" and not keep_ambiguous:
                continue
            entity_id = "|".join(m.ids)
            kind = gazetteer.kinds.get(m.ids[0], "") if len(m.ids) == 1 else "ambiguous"
            rows.append((article_id, entity_id, text[m.start:m.end], m.start, m.end, kind,
                         m.method))
    table = pd.DataFrame(rows, columns=list(MENTIONS.columns))
    table = table.sort_values(["article_id", "start", "end"], kind="stable")
    return validate(table, MENTIONS, where="find_mentions")


_CAPITALISED = re.compile(
    r"\b[A-Z][\w'’\-]+(?:[ \t]+(?:(?:of|the|for|de|al|el|e|van|von|bin)[ \t]+)?[A-Z][\w'’\-]+)*")
_SENTENCE_WORDS = {"The", "A", "An", "In", "On", "At", "But", "And", "It", "He", "She", "They",
                   "This", "That", "These", "Those", "We", "I", "His", "Her", "Their", "Its",
                   "As", "After", "Before", "While", "When", "If", "For", "With", "By", "From",
                   "To", "Of", "Our", "Some", "Many", "Most", "Others", "All", "Although",
                   "Then", "Later", "Now", "Yet", "So", "Also", "Meanwhile", "However"}


def suggest_aliases(articles: pd.DataFrame, mentions: pd.DataFrame, *, min_count: int = 2,
                    top: int = 100) -> pd.DataFrame:
    """List capitalised names the gazetteer did not match, by frequency, for curation.

    Uses spaCy named entities when a model (``en_core_web_sm``) is installed, else capitalised
    word sequences. Names that overlap a mention are left out.

    Args:
        articles: ``article_id`` and ``text``.
        mentions: the mentions already found (:func:`find_mentions`).
        min_count: smallest number of occurrences to list.
        top: longest list returned.

    Returns:
        Columns ``name``, ``count``, ``articles`` (number of articles), ``example_article``,
        ``start``, ``end`` (one occurrence), sorted by count then name.

    Example:
        >>> t = pd.DataFrame({"article_id": ["a"], "text": ["Saber wrote. Saber said."]})
        >>> suggest_aliases(t, MENTIONS.empty()).name.tolist()
        ['Saber']
    """
    covered: dict[str, list[tuple[int, int]]] = {}
    for row in mentions.itertuples(index=False):
        covered.setdefault(row.article_id, []).append((int(row.start), int(row.end)))
    nlp = _spacy_model()
    counts: Counter[str] = Counter()
    article_sets: dict[str, set[str]] = {}
    first: dict[str, tuple[str, int, int]] = {}
    for article_id, text in zip(articles["article_id"], articles["text"]):
        if not isinstance(text, str):
            continue
        spans = covered.get(article_id, [])
        if nlp is not None:
            found = [(e.start_char, e.end_char, e.text) for e in nlp(text).ents
                     if e.label_ in {"PERSON", "ORG", "NORP", "GPE", "FAC"}]
        else:
            found = []
            for m in _CAPITALISED.finditer(text):
                name = m.group()
                start = m.start()
                words = name.split()
                while words and words[0] in _SENTENCE_WORDS:
                    start += len(words[0]) + 1
                    words = words[1:]
                if words:
                    found.append((start, m.end(), " ".join(words)))
        for start, end, name in found:
            name = name.rstrip("’'s").strip() if name.endswith(("’s", "'s")) else name
            if len(name) < 3 or any(s < end and start < e for s, e in spans):
                continue
            counts[name] += 1
            article_sets.setdefault(name, set()).add(article_id)
            first.setdefault(name, (article_id, start, end))
    rows = [(n, c, len(article_sets[n]), *first[n]) for n, c in counts.items() if c >= min_count]
    table = pd.DataFrame(rows, columns=["name", "count", "articles", "example_article", "start",
                                        "end"])
    table = table.sort_values(["count", "name"], ascending=[False, True], kind="stable")
    return table.head(top).reset_index(drop=True)


def _spacy_model():  # pragma: no cover - depends on an optional model
    """Return a loaded spaCy English model, or ``None`` when spaCy or a model is missing."""
    try:
        import spacy  # type: ignore[import-not-found]
    except ImportError:
        return None
    for name in ("en_core_web_sm", "en_core_web_md", "en_core_web_lg"):
        try:
            return spacy.load(name, disable=["parser", "lemmatizer"])
        except OSError:
            continue
    return None


def pack_from_truth(path: Path, *, pack: str = "demo",
                    citation: str = "demo ground truth: data/raw/demo/truth/entities.csv"
                    ) -> pd.DataFrame:
    """Build gazetteer rows from a demo ground-truth ``entities.csv``.

    Bare surnames and first names are left out of the aliases: :meth:`Gazetteer.match` derives
    them from the full names and resolves them only within an article.

    Args:
        path: ``data/raw/demo/truth/entities.csv`` (``entity_id, kind, canonical_name, aliases``).
        pack: the pack name written in the ``pack`` column.
        citation: the text of the ``citation`` column.

    Returns:
        Rows with :data:`ENTITY_COLUMNS`, sorted by ``entity_id``.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "e.csv"
        >>> _ = p.write_text("entity_id,kind,canonical_name,aliases\\n"
        ...                  "x,person,Ana Bel,Bel|Ana Bell\\n")
        >>> pack_from_truth(p).aliases.tolist()
        ['Ana Bell']
    """
    truth = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = []
    for r in truth.itertuples(index=False):
        parts = {p.lower() for p in _name_parts(r.canonical_name)} if r.kind == "person" else set()
        aliases = [a for a in _split(r.aliases) if a.lower() not in parts]
        rows.append((r.entity_id, r.kind, r.canonical_name, "|".join(aliases),
                     citation, pack))
    table = pd.DataFrame(rows, columns=list(ENTITY_COLUMNS))
    return table.sort_values("entity_id").reset_index(drop=True)
