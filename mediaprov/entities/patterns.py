"""Compiled names: one trie-shaped regular expression over folded aliases, and one-edit spelling.

The matching primitives of :class:`mediaprov.entities.Gazetteer`: :func:`compile_names` turns
folded names into a :class:`Patterns` (a trie regex, longest name first, with the casing each
alias was written in, checked by :func:`case_ok`); :func:`deletions` and :func:`one_edit` find
the alias word a misspelt word stands for.

Example:
    >>> p = compile_names({"nejat society": {"x"}}, {"nejat society": ["Nejat Society"]})
    >>> list(p.find("the nejat society said", "the Nejat Society said")), p.ids
    ([(4, 17, 'nejat society')], {'nejat society': ('x',)})
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class Patterns:
    """A compiled trie regex over folded names, with what each name stands for.

    Attributes:
        regex: the trie regex (``None`` when there are no names).
        ids: folded name -> the ids it stands for.
        acronym: folded name -> written as an acronym (``MEK``).
        capital: folded name -> written with capitals.
    """

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


def trie_regex(names: Iterable[str]) -> str:
    """Return a regex alternation of ``names`` shaped as a trie (fast, longest match first).

    Args:
        names: the names (a space matches one or more spaces).

    Returns:
        The pattern text, without anchors.

    Example:
        >>> trie_regex(["mek", "mois"])
        'm(?:ek|ois)'
    """
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


def compile_names(names: dict[str, set[str]], originals: dict[str, list[str]]) -> Patterns:
    """Compile folded names (-> ids) into a :class:`Patterns`.

    Args:
        names: folded name -> ids.
        originals: folded name -> the aliases as written (for their casing).

    Returns:
        The compiled patterns; names match only between non-word characters.

    Example:
        >>> compile_names({"mek": {"mek"}}, {"mek": ["MEK"]}).acronym
        {'mek': True}
    """
    if not names:
        return Patterns(None, {}, {}, {})
    regex = re.compile(r"(?<!\w)(?:" + trie_regex(sorted(names)) + r")(?![\w])")
    acronym: dict[str, bool] = {}
    capital: dict[str, bool] = {}
    for name, written in originals.items():
        letters = ["".join(ch for ch in w if ch.isalpha()) for w in written]
        acronym[name] = all(ls.isupper() and len(ls) <= 8 for ls in letters if ls)
        capital[name] = all(any(ch.isupper() for ch in ls) for ls in letters if ls)
    return Patterns(regex, {k: tuple(sorted(v)) for k, v in names.items()}, acronym, capital)


def case_ok(surface: str, *, acronym: bool, capital: bool) -> bool:
    """Return whether the text's casing fits an alias written as an acronym or with capitals.

    Args:
        surface: the text matched.
        acronym: the alias is an acronym (mostly capitals needed).
        capital: the alias has capitals (one needed).

    Returns:
        Whether the match stands.

    Example:
        >>> case_ok("Mek", acronym=True, capital=True)
        False
        >>> case_ok("guardian", acronym=False, capital=True)
        False
    """
    letters = [ch for ch in surface if ch.isalpha()]
    if not letters:
        return True
    if acronym:
        upper = sum(ch.isupper() for ch in letters)
        return letters[0].isupper() and upper * 2 >= len(letters)
    if capital:
        return any(ch.isupper() for ch in letters)
    return True


def deletions(word: str) -> set[str]:
    """Return ``word`` and every string made by deleting one character of it.

    Example:
        >>> sorted(deletions("abc"))
        ['ab', 'abc', 'ac', 'bc']
    """
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}



def one_edit(a: str, b: str) -> bool:
    """Return whether ``a`` and ``b`` differ by one insertion, deletion, substitution or swap.

    Example:
        >>> one_edit("mojhaedin", "mojahedin"), one_edit("channel", "chanel"), one_edit("ab", "ab")
        (True, True, False)
    """
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
