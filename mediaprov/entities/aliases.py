"""Aliases of the entities table.

How a cell is split, which parts of a name match alone, which aliases would misfire.

A person's surname alone is derived from each full alias (:func:`name_parts`; never the first
name), after courtesy titles (:data:`TITLES`) and suffixes (``Jr.``) are cut. An alias that is a
bare first name or a common word (:func:`refused_aliases`) must be marked ambiguous in the
table instead.

Example:
    >>> split_aliases("Hadi Sani-Khani | Sani-Khani|")
    ['Hadi Sani-Khani', 'Sani-Khani']
    >>> name_parts("Mrs. Ana Bel Jr.")
    ['Ana', 'Bel']
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from mediaprov.text import fold

TITLES: tuple[str, ...] = (
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Professor", "Gen", "General", "President",
    "Ayatollah", "Sir", "Madam", "Mme", "Sheikh", "Senator", "Sen", "Minister", "Judge",
)
"""Courtesy titles: cut before a person's name parts, joined to a person's mention."""
_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def name_parts(name: str) -> list[str]:
    """Return the first name and surname of a person's name (at least two words), else [].

    Args:
        name: a person's name as written (titles and suffixes are cut).

    Returns:
        ``[first, last]`` without parts shorter than three letters; empty for a one-word name.

    Example:
        >>> name_parts("General Ivo Rask"), name_parts("Rask")
        (['Ivo', 'Rask'], [])
    """
    words = [w for w in name.split() if w]
    while words and words[0].rstrip(".") in TITLES:
        words = words[1:]
    while words and words[-1].lower().rstrip(",") in _NAME_SUFFIXES:
        words = words[:-1]
    if len(words) < 2 or not all(any(ch.isalpha() and ch.isascii() for ch in w) for w in words):
        return []
    parts = [words[0], words[-1]]
    return [p for p in parts if len(p.strip(".")) >= 3]


def split_aliases(value: object) -> list[str]:
    """Split a ``|``-separated cell into stripped, non-empty names.

    Args:
        value: a cell of a reference table (missing values give no names).

    Returns:
        The names, in cell order.

    Example:
        >>> split_aliases("MEK|PMOI"), split_aliases(None)
        (['MEK', 'PMOI'], [])
    """
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
    from mediaprov.names import COMMON_WORDS  # names imports this package

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


