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

import pandas as pd

from mediaprov.names import DISCOVERED_PREFIX, name_id

ACRONYM_SKIPPED_WORDS = frozenset({"of", "the", "for", "and", "on", "in", "de", "s"})
"""Words an acronym leaves out of a name ("Federal Bureau of Investigation" is FBI)."""

_ACRONYM_SURFACE = r"[A-Z][A-Z&.]{1,7}"


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
    ids = mentions["entity_id"].astype(str)
    discovered = ids.str.startswith(DISCOVERED_PREFIX)
    mapping = _surname_folds(mentions, ids, discovered, min_share=min_share,
                             min_full_ratio=min_full_ratio)
    kinds = {bare: "person" for bare in mapping}
    if "surface" in mentions.columns:
        acronyms = _acronym_folds(mentions, ids, discovered, min_share=min_share,
                                  min_full_ratio=min_full_ratio)
        kinds.update({acronym: kind for acronym, (_, kind) in acronyms.items()})
        mapping.update({acronym: target for acronym, (target, _) in acronyms.items()})
    if not mapping:
        return mentions
    out = mentions.copy()
    folded = ids.isin(list(mapping))
    out.loc[folded, "entity_id"] = ids[folded].map(mapping)
    out.loc[folded, "kind"] = ids[folded].map(kinds)
    return out


def _surname_folds(mentions: pd.DataFrame, ids: pd.Series, discovered: pd.Series, *,
                   min_share: float, min_full_ratio: float) -> dict[str, str]:
    """Bare surname id -> the full name's id (see :func:`merge_across_articles`)."""
    persons = mentions.loc[discovered & (mentions["kind"].astype(str) == "person"),
                           ["article_id", "entity_id"]].drop_duplicates()
    persons = persons[(persons["entity_id"].str.count("-") >= 1)
                      & ~persons["entity_id"].str.contains("-s-", regex=False)]
    if persons.empty:
        return {}
    surname = persons["entity_id"].str.rsplit("-", n=1).str[-1]
    counts = persons.groupby(surname.to_numpy())["entity_id"].value_counts()
    bare_articles = mentions.loc[discovered, "article_id"].groupby(ids[discovered].to_numpy()).nunique()
    mapping: dict[str, str] = {}
    for last, group in counts.groupby(level=0):
        best_id, best = group.index[0][1], int(group.iloc[0])
        bare = DISCOVERED_PREFIX + last
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


def _acronym_folds(mentions: pd.DataFrame, ids: pd.Series, discovered: pd.Series, *,
                   min_share: float, min_full_ratio: float) -> dict[str, tuple[str, str]]:
    """Acronym id -> (the full name's id, its kind) (see :func:`merge_across_articles`)."""
    found = mentions.loc[discovered, ["article_id", "surface", "kind"]].assign(entity_id=ids[discovered])
    if found.empty:
        return {}
    found["capital"] = found["surface"].astype(str).str.fullmatch(_ACRONYM_SURFACE).fillna(False)
    found["kind"] = found["kind"].astype(str)
    by_id = found.groupby("entity_id", sort=True)
    articles = by_id["article_id"].nunique()
    capitals = by_id["capital"].mean()
    kind_counts = found.groupby(["entity_id", "kind"]).size().sort_values(ascending=False, kind="stable")
    kind = kind_counts.reset_index().drop_duplicates("entity_id").set_index("entity_id")["kind"]
    kind = kind.reindex(articles.index)
    acronyms = capitals.index[capitals >= 0.8]
    names = pd.DataFrame({"articles": articles, "kind": kind})
    names = names[(capitals < 0.8) & (names["articles"] >= 2) & (names["kind"] != "person")]
    names["initials"] = [initials(i) for i in names.index]
    names = names.dropna(subset=["initials"])
    by_initials = {key: group["articles"].sort_values(ascending=False, kind="stable")
                   for key, group in names.groupby("initials")}
    mapping = _defined_acronyms(mentions, ids, discovered, kind, min_share=min_share)
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


def _defined_acronyms(mentions: pd.DataFrame, ids: pd.Series, discovered: pd.Series,
                      kind: pd.Series, *, min_share: float) -> dict[str, tuple[str, str]]:
    """Acronym id -> the name articles define it as ("Affordable Care Act (ACA)"), when one dominates.

    Read from the mentions that :func:`mediaprov.names.discover_names` resolved within an article
    (``discovered-partial``, written in capitals): a definition in the text beats initials.
    """
    if "method" not in mentions.columns:
        return {}
    partial = discovered & (mentions["method"].astype(str) == "discovered-partial")
    surface = mentions.loc[partial, "surface"].astype(str)
    capital = surface.str.fullmatch(_ACRONYM_SURFACE)
    defined = pd.DataFrame({"acronym": [name_id(s) for s in surface[capital]],
                            "target": ids[partial][capital].to_numpy(),
                            "article_id": mentions.loc[partial, "article_id"][capital].to_numpy()})
    defined = defined[defined["acronym"] != defined["target"]]
    mapping: dict[str, tuple[str, str]] = {}
    for acronym, group in defined.groupby("acronym"):
        articles = group.groupby("target")["article_id"].nunique().sort_values(ascending=False,
                                                                                kind="stable")
        target = str(articles.index[0])
        if articles.iloc[0] >= min_share * articles.sum() and target in kind.index:
            mapping[str(acronym)] = (target, str(kind[target]))
    return mapping
