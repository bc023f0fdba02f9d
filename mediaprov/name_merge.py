"""Discovered names merged across a corpus: bare surnames and acronyms folded into full names.

:func:`mediaprov.names.discover_names` resolves a bare surname or a defined acronym within one
article ("Donald Trump ... Trump", "Environmental Protection Agency (EPA) ... EPA"). An article
that only writes ``Trump`` or ``EPA`` still gets ``name:trump`` or ``name:epa``, a different actor
for every count and comparison. :func:`merge_across_articles` folds those ids into the full name
the corpus shows they stand for, with guards measured on AllSides (each named in the function's
docstring) so that a word that only looks like a surname or an acronym stays its own actor.

Example:
    >>> t = pd.DataFrame({"article_id": ["a", "b", "c", "d", "e", "f"],
    ...     "entity_id": ["name:orla-vennick", "name:orla-vennick", "name:vennick",
    ...                   "name:brask-trade-council", "name:brask-trade-council", "name:btc"],
    ...     "surface": ["Orla Vennick", "Orla Vennick", "Vennick", "Brask Trade Council",
    ...                 "Brask Trade Council", "BTC"],
    ...     "kind": ["person", "person", "name", "org", "org", "org"]})
    >>> merge_across_articles(t).entity_id.tolist()[2:]
    ['name:orla-vennick', 'name:brask-trade-council', 'name:brask-trade-council', 'name:brask-trade-council']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import pandas as pd

from mediaprov.names import DISCOVERED_PREFIX, name_id

ACRONYM_SKIPPED_WORDS = frozenset({"of", "the", "for", "and", "on", "in", "de", "s"})
"""Words an acronym leaves out of a name ("Federal Bureau of Investigation" is FBI)."""

_ACRONYM_SURFACE = r"[A-Z][A-Z&.]{1,7}"

_NAME_COLUMNS = ["articles", "rows", "capital_rows", "person_articles"]


@dataclass
class NameCounts:
    """What merging names across a corpus needs of its mentions: counts that add up over parts.

    Every count is per discovered id (or pair of ids) and over articles or rows, and an article's
    mentions all lie in one part when a corpus is cut by article, so the counts of the parts
    summed (:meth:`total`) are the counts of the whole. A stage that meets a million articles'
    mentions a partition at a time keeps these (one row per distinct name) instead of the
    mentions, and decides the folds once at the end (:func:`name_folds`).

    Attributes:
        names: per discovered id (the index, sorted): ``articles`` that mention it, mention
            ``rows``, ``capital_rows`` whose surface is written in capitals, and
            ``person_articles`` with a mention of it of kind ``person``.
        kinds: mention rows per discovered id and kind (a MultiIndex ``entity_id, kind``, sorted).
        defined: articles that define an acronym as a name ("Affordable Care Act (ACA)"), per
            ``acronym, target`` (sorted).
        surfaces: the mentions had a ``surface`` column (acronyms need it).

    Example:
        >>> t = pd.DataFrame({"article_id": ["a", "b"], "entity_id": ["name:ivo-rask"] * 2,
        ...     "surface": ["Ivo Rask"] * 2, "kind": ["person"] * 2})
        >>> whole = NameCounts.of(t)
        >>> whole.names.loc["name:ivo-rask"].tolist()
        [2, 2, 0, 2]
        >>> halves = NameCounts.total([NameCounts.of(t.iloc[:1]), NameCounts.of(t.iloc[1:])])
        >>> halves.names.equals(whole.names)
        True
    """

    names: pd.DataFrame
    kinds: pd.Series
    defined: pd.Series
    surfaces: bool = True

    @classmethod
    def of(cls, mentions: pd.DataFrame) -> NameCounts:
        """The counts of one mentions table.

        It needs ``article_id``, ``entity_id`` and ``kind``; ``surface`` and ``method`` when
        present.
        """
        if mentions.empty:
            return cls.empty(surfaces="surface" in mentions.columns)
        ids = mentions["entity_id"].astype(str)
        discovered = ids.str.startswith(DISCOVERED_PREFIX)
        found = pd.DataFrame({"article_id": mentions.loc[discovered, "article_id"].to_numpy(),
                              "entity_id": ids[discovered].to_numpy(),
                              "kind": mentions.loc[discovered, "kind"].astype(str).to_numpy()})
        surfaces = "surface" in mentions.columns
        if surfaces:
            found["capital"] = mentions.loc[discovered, "surface"].astype(str).str.fullmatch(
                _ACRONYM_SURFACE).fillna(False).to_numpy(dtype=bool)
        else:
            found["capital"] = False
        by_id = found.groupby("entity_id", sort=True)
        persons = found.loc[found["kind"] == "person"].groupby("entity_id")["article_id"].nunique()
        names = pd.DataFrame({"articles": by_id["article_id"].nunique(), "rows": by_id.size(),
                              "capital_rows": by_id["capital"].sum()})
        names["person_articles"] = persons.reindex(names.index, fill_value=0)
        kinds = found.groupby(["entity_id", "kind"], sort=True).size()
        return cls(names=names.astype("int64")[_NAME_COLUMNS], kinds=kinds.astype("int64"),
                   defined=_definitions(mentions, ids, discovered) if surfaces else _no_definitions(),
                   surfaces=surfaces)

    @classmethod
    def empty(cls, *, surfaces: bool = True) -> NameCounts:
        """No mentions yet (the start of a sum)."""
        names = pd.DataFrame({c: pd.Series(dtype="int64") for c in _NAME_COLUMNS},
                             index=pd.Index([], dtype=object, name="entity_id"))
        kinds = pd.Series([], dtype="int64", index=pd.MultiIndex.from_arrays(
            [[], []], names=["entity_id", "kind"]))
        return cls(names=names, kinds=kinds, defined=_no_definitions(), surfaces=surfaces)

    @classmethod
    def total(cls, parts: list[NameCounts]) -> NameCounts:
        """The counts of every part summed (the parts' articles are distinct).

        Example:
            >>> t = pd.DataFrame({"article_id": ["a"], "entity_id": ["name:ivo-rask"], "kind": ["person"]})
            >>> NameCounts.total([NameCounts.of(t)] * 3).names["articles"].tolist()
            [3]
        """
        if not parts:
            return cls.empty()
        return cls(names=sum_counts([p.names for p in parts], empty=parts[0].names),
                   kinds=sum_counts([p.kinds for p in parts], empty=parts[0].kinds),
                   defined=sum_counts([p.defined for p in parts], empty=parts[0].defined),
                   surfaces=all(p.surfaces for p in parts))


_Counts = TypeVar("_Counts", pd.DataFrame, pd.Series)


def sum_counts(counts: list[_Counts], *, empty: _Counts) -> _Counts:
    """Counts of several parts added up, row by row of their (sorted) index.

    Args:
        counts: tables or series of counts indexed by what is counted (one level or several).
        empty: what to return when no part has a row.

    Returns:
        One row per index value of any part, the counts summed, the index sorted.

    Example:
        >>> a = pd.Series({"name:ivo-rask": 2, "name:orla-vennick": 1})
        >>> sum_counts([a, pd.Series({"name:ivo-rask": 3})], empty=a.iloc[:0]).tolist()
        [5, 1]
    """
    filled = [c for c in counts if len(c)]
    if len(filled) < 2:
        return filled[0] if filled else empty
    return pd.concat(filled).groupby(level=list(range(filled[0].index.nlevels)), sort=True).sum()


def _no_definitions() -> pd.Series:
    return pd.Series([], dtype="int64", index=pd.MultiIndex.from_arrays(
        [[], []], names=["acronym", "target"]))


def _definitions(mentions: pd.DataFrame, ids: pd.Series, discovered: pd.Series) -> pd.Series:
    """Articles per (acronym, name) that define the acronym as the name, within the text.

    Read from the mentions that :func:`mediaprov.names.discover_names` resolved within an article
    (``discovered-partial``, written in capitals): a definition in the text beats initials.
    """
    if "method" not in mentions.columns:
        return _no_definitions()
    partial = discovered & (mentions["method"].astype(str) == "discovered-partial")
    surface = mentions.loc[partial, "surface"].astype(str)
    capital = surface.str.fullmatch(_ACRONYM_SURFACE)
    defined = pd.DataFrame({"acronym": [name_id(s) for s in surface[capital]],
                            "target": ids[partial][capital].to_numpy(),
                            "article_id": mentions.loc[partial, "article_id"][capital].to_numpy()})
    defined = defined[defined["acronym"] != defined["target"]]
    if defined.empty:
        return _no_definitions()
    return defined.groupby(["acronym", "target"], sort=True)["article_id"].nunique().astype("int64")


def merge_across_articles(mentions: pd.DataFrame, *, min_share: float = 0.6,
                          min_full_ratio: float = 0.5) -> pd.DataFrame:
    """Fold bare-surname and acronym ids into the full name they stand for across the corpus.

    **Surnames.** An article that only writes ``Trump`` gets ``name:trump``; when, across the
    corpus, the persons whose full name ends with ``Trump`` are ``name:donald-trump`` in at least
    ``min_share`` of the articles that write one of them, ``name:trump`` becomes
    ``name:donald-trump``. Two guards keep a word that only looks like a surname apart (measured on
    AllSides, where without them ``Washington`` became George Washington in 957 articles, ``UN``
    Kim Jong Un in 294 and ``Germany`` Nazi Germany in 259):

    * the full name must be written in at least ``min_full_ratio`` times as many articles as the
      bare form: news introduce a person by the full name, so a bare form that stands alone far
      more often than the full name is another actor (a city, a country, an agency);
    * a full name with a possessive inside it (``name:iran-s-islamic``) is never a target.

    **Acronyms.** An id written in capitals (``UN``, ``EPA``; needs the ``surface`` column) is
    folded into the discovered name whose initials it is (``name:united-nations``: the initials
    of its words but ``of``, ``the``, ``for``, ``and``...), when that name is written in two
    articles or more, holds at least ``min_share`` of the articles of all the names with those
    initials, and is not a person (``VP`` is not Vladimir Putin, nor ``DC`` Dick Cheney). An
    acronym is the usual form of many organisations, so no ratio guard applies.

    Curated ids are never touched.

    Args:
        mentions: a ``mentions`` table (``entity_id``, ``kind``, ``article_id``; ``surface`` for
            acronyms).
        min_share: smallest share of the articles that the dominant full name must have.
        min_full_ratio: smallest ratio of a full name's articles to its bare surname's (or
            two-letter acronym's) articles.

    Returns:
        The table with ids (and kinds) of folded names replaced; same rows, same order.

    Example:
        >>> t = pd.DataFrame({"article_id": ["a", "b", "c"],
        ...     "entity_id": ["name:orla-vennick", "name:orla-vennick", "name:vennick"],
        ...     "kind": ["person", "person", "name"]})
        >>> merge_across_articles(t).entity_id.tolist()
        ['name:orla-vennick', 'name:orla-vennick', 'name:orla-vennick']
    """
    if mentions.empty:
        return mentions
    return fold_names(mentions, name_folds(NameCounts.of(mentions), min_share=min_share,
                                           min_full_ratio=min_full_ratio))


def name_folds(counts: NameCounts, *, min_share: float = 0.6,
               min_full_ratio: float = 0.5) -> dict[str, tuple[str, str]]:
    """The folds :func:`merge_across_articles` makes, decided from a corpus's counts.

    Args:
        counts: the corpus's :class:`NameCounts` (whole, or summed over its partitions).
        min_share: as in :func:`merge_across_articles`.
        min_full_ratio: as in :func:`merge_across_articles`.

    Returns:
        Folded id -> ``(the id it becomes, its kind)``. When two candidates tie for first the
        alphabetically first is taken; with ``min_share`` above one half a tie never folds.

    Example:
        >>> t = pd.DataFrame({"article_id": ["a", "b", "c"],
        ...     "entity_id": ["name:orla-vennick", "name:orla-vennick", "name:vennick"],
        ...     "kind": ["person", "person", "name"]})
        >>> name_folds(NameCounts.of(t))
        {'name:vennick': ('name:orla-vennick', 'person')}
    """
    folds = {bare: (full, "person") for bare, full in
             _surname_folds(counts, min_share=min_share, min_full_ratio=min_full_ratio).items()}
    if counts.surfaces:
        folds.update(_acronym_folds(counts, min_share=min_share, min_full_ratio=min_full_ratio))
    return folds


def fold_names(mentions: pd.DataFrame, folds: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Replace the ids (and kinds) of folded names in a mentions table.

    Args:
        mentions: a ``mentions`` table, or any part of one.
        folds: :func:`name_folds`.

    Returns:
        The table with folded ids and their kinds replaced; same rows, same order (the same
        object when nothing folds).

    Example:
        >>> t = pd.DataFrame({"entity_id": ["name:vennick"], "kind": ["name"]})
        >>> fold_names(t, {"name:vennick": ("name:orla-vennick", "person")}).values.tolist()
        [['name:orla-vennick', 'person']]
    """
    if not folds or mentions.empty:
        return mentions
    ids = mentions["entity_id"].astype(str)
    folded = ids.isin(list(folds))
    if not folded.any():
        return mentions
    out = mentions.copy()
    out.loc[folded, "entity_id"] = ids[folded].map({k: target for k, (target, _) in folds.items()})
    out.loc[folded, "kind"] = ids[folded].map({k: kind for k, (_, kind) in folds.items()})
    return out


def _ranked(counts: pd.Series) -> pd.Series:
    """Counts sorted from most to fewest, ties in index order (the index is sorted)."""
    return counts.sort_values(ascending=False, kind="stable")


def _surname_folds(counts: NameCounts, *, min_share: float, min_full_ratio: float) -> dict[str, str]:
    """Bare surname id -> the full name's id (see :func:`merge_across_articles`)."""
    persons = counts.names.loc[counts.names["person_articles"] > 0, "person_articles"]
    ids = persons.index.to_series()
    persons = persons[(ids.str.count("-") >= 1) & ~ids.str.contains("-s-", regex=False)]
    if persons.empty:
        return {}
    surname = persons.index.to_series().str.rsplit("-", n=1).str[-1]
    bare_articles = counts.names["articles"]
    mapping: dict[str, str] = {}
    for last, group in persons.groupby(surname.to_numpy(), sort=True):
        group = _ranked(group)
        best_id, best = str(group.index[0]), int(group.iloc[0])
        bare = DISCOVERED_PREFIX + str(last)
        if (best >= 2 and best >= min_share * int(group.sum())
                and best >= min_full_ratio * int(bare_articles.get(bare, 0))):
            mapping[bare] = best_id
    return mapping


def initials(entity_id: str) -> str | None:
    """The acronym a discovered name's id would have: the first letters of its words.

    Args:
        entity_id: a discovered id (``name:federal-bureau-of-investigation``).

    Returns:
        The initials (``fbi``), or ``None`` when the name has fewer than two words left, more
        than eight, or a word of one letter (a chunk of initials, not a name).

    Example:
        >>> initials("name:federal-bureau-of-investigation"), initials("name:i-d")
        ('fbi', None)
    """
    words = [w for w in entity_id.removeprefix(DISCOVERED_PREFIX).split("-")
             if w and w not in ACRONYM_SKIPPED_WORDS]
    if not 2 <= len(words) <= 8 or any(len(w) < 2 for w in words):
        return None
    return "".join(w[0] for w in words)


def _acronym_folds(counts: NameCounts, *, min_share: float,
                   min_full_ratio: float) -> dict[str, tuple[str, str]]:
    """Acronym id -> (the full name's id, its kind) (see :func:`merge_across_articles`)."""
    if counts.names.empty:
        return {}
    articles = counts.names["articles"]
    capitals = counts.names["capital_rows"] / counts.names["rows"]
    kind = _ranked(counts.kinds).reset_index().drop_duplicates("entity_id").set_index("entity_id")["kind"]
    kind = kind.reindex(articles.index)
    acronyms = capitals.index[capitals >= 0.8]
    names = pd.DataFrame({"articles": articles, "kind": kind})
    names = names[(capitals < 0.8) & (names["articles"] >= 2) & (names["kind"] != "person")]
    names["initials"] = [initials(i) for i in names.index]
    names = names.dropna(subset=["initials"])
    by_initials = {key: _ranked(group["articles"]) for key, group in names.groupby("initials")}
    mapping = _defined_acronyms(counts.defined, kind, min_share=min_share)
    for acronym in acronyms:
        key = acronym.removeprefix(DISCOVERED_PREFIX).replace("-", "").replace(".", "")
        if acronym in mapping:
            continue
        candidates = by_initials.get(key)
        if candidates is None or candidates.iloc[0] < min_share * candidates.sum():
            continue
        target = str(candidates.index[0])
        if len(key) == 2 and (names.at[target, "kind"] not in ("org", "place")
                              or candidates.iloc[0] < min_full_ratio * articles[acronym]):
            continue  # two letters stand for many things: "TV" is not the Treaty of Versailles
        mapping[acronym] = (target, str(names.at[target, "kind"]))
    return mapping


def _defined_acronyms(defined: pd.Series, kind: pd.Series, *,
                      min_share: float) -> dict[str, tuple[str, str]]:
    """Acronym id -> the name articles define it as ("Affordable Care Act (ACA)"), when one dominates."""
    mapping: dict[str, tuple[str, str]] = {}
    for acronym, group in defined.groupby(level="acronym", sort=True):
        articles = _ranked(group.droplevel("acronym"))
        target = str(articles.index[0])
        if articles.iloc[0] >= min_share * articles.sum() and target in kind.index:
            mapping[str(acronym)] = (target, str(kind[target]))
    return mapping
