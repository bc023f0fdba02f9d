"""The outlet x source matrix and outlet similarity (Jaccard on presence, cosine on weights).

An outlet x source matrix counts, for each outlet, the citations (``citations`` table) of each
source: people and organisations quoted, outlets cited or credited, links, embedded posts.

Example:
    >>> arts = pd.DataFrame({"article_id": ["a1", "b1"], "outlet_id": ["A", "B"]})
    >>> cits = pd.DataFrame({"article_id": ["a1", "b1"], "source_id": ["s", "s"],
    ...     "kind": ["quoted", "quoted"]})
    >>> float(outlet_similarity(outlet_source_matrix(cits, arts), measure="cosine").loc["A", "B"])
    1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

CITATION_KINDS: tuple[str, ...] = ("quoted", "cited_outlet", "credited", "link", "embedded_post")
"""The kinds of ``citations.kind`` a matrix can be built from."""

WEIGHTS: tuple[str, ...] = ("binary", "count", "articles", "share")
"""Cell values of an outlet x source matrix: presence (0/1), citations, citing articles, or the
share of the outlet's articles that cite the source."""

MEASURES: tuple[str, ...] = ("jaccard", "cosine")
"""Similarity measures: Jaccard on presence, cosine on weights."""

DEFAULT_KINDS: tuple[str, ...] = ("quoted", "embedded_post", "credited", "cited_outlet")
"""Kinds used when none are given: every source an article leans on except bare links (in most
corpora links are dominated by platform domains that every outlet uses)."""


# --------------------------------------------------------------------------------------------
# matrices


def _check_choice(value: str, allowed: Sequence[str], name: str) -> None:
    if value not in allowed:
        raise ValueError(f"{name}={value!r} is not one of {list(allowed)}")


def _check_columns(table: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"table '{name}' lacks columns {missing}; it has {list(table.columns)} "
                         f"(see mediaprov/schema.py)")


@dataclass(frozen=True)
class _Incidence:
    """Article x source citation counts, with each article's outlet (internal building block)."""

    counts: sparse.csr_matrix  # articles x sources, number of citations (sparse: most are 0)
    article_ids: np.ndarray
    article_outlets: np.ndarray  # outlet index per article
    outlets: list[str]
    sources: list[str]


def _incidence(citations: pd.DataFrame, articles: pd.DataFrame, *, kinds: Sequence[str] | None,
               min_articles: int, drop_self: bool, outlets: Sequence[str] | None) -> _Incidence:
    _check_columns(citations, ("article_id", "source_id", "kind"), "citations")
    _check_columns(articles, ("article_id", "outlet_id"), "articles")
    kinds = tuple(DEFAULT_KINDS if kinds is None else kinds)
    unknown = sorted(set(kinds) - set(CITATION_KINDS))
    if unknown:
        raise ValueError(f"unknown citation kinds {unknown}; known: {list(CITATION_KINDS)}")
    if min_articles < 1:
        raise ValueError(f"min_articles must be at least 1, got {min_articles}")
    placed = articles.loc[articles.outlet_id.notna(), ["article_id", "outlet_id"]].astype(str)
    placed = placed.drop_duplicates("article_id")
    if outlets is not None:
        placed = placed[placed.outlet_id.isin(set(outlets))]
    sizes = placed.outlet_id.value_counts()
    kept = sorted(sizes.index[sizes >= min_articles])
    placed = placed[placed.outlet_id.isin(kept)].sort_values("article_id").reset_index(drop=True)
    cited = citations.loc[citations.kind.isin(kinds) & citations.source_id.notna(),
                          ["article_id", "source_id"]].astype(str)
    cited = cited.merge(placed, on="article_id", how="inner")
    if drop_self:
        cited = cited[cited.source_id != cited.outlet_id]
    sources = sorted(cited.source_id.unique())
    article_index = pd.Index(placed.article_id)
    source_index = pd.Index(sources)
    rows = article_index.get_indexer(cited.article_id)
    cols = source_index.get_indexer(cited.source_id)
    counts = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                               shape=(len(placed), len(sources)))
    counts.sum_duplicates()
    outlet_index = pd.Index(kept)
    return _Incidence(counts=counts, article_ids=placed.article_id.to_numpy(),
                      article_outlets=outlet_index.get_indexer(placed.outlet_id),
                      outlets=list(kept), sources=sources)


def _aggregate(incidence: _Incidence, *, weight: str, article_weights: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
    """Outlet x source values and outlet article totals, weighted per article.

    Each article is counted ``article_weights`` times (1 when not given).
    """
    n_outlets = len(incidence.outlets)
    w = np.ones(len(incidence.article_ids)) if article_weights is None else article_weights
    per_article = incidence.counts if weight == "count" else (incidence.counts > 0)
    n_articles = len(incidence.article_ids)
    membership = sparse.csr_matrix((np.asarray(w, dtype=float),
                                    (incidence.article_outlets, np.arange(n_articles))),
                                   shape=(n_outlets, n_articles))
    values = (membership @ per_article.astype(float)).toarray()  # outlets x sources: small
    totals = np.bincount(incidence.article_outlets, weights=w, minlength=n_outlets)
    if weight == "share":
        values = np.divide(values, totals[:, None], out=np.zeros_like(values),
                           where=totals[:, None] > 0)
    elif weight == "binary":
        values = (values > 0).astype(float)
    return values, totals


def outlet_source_matrix(citations: pd.DataFrame, articles: pd.DataFrame, *,
                         kinds: Sequence[str] | None = None, weight: str = "share",
                         min_articles: int = 1, min_outlets: int = 1, drop_self: bool = True,
                         outlets: Sequence[str] | None = None) -> pd.DataFrame:
    """Build the outlet x source matrix from the citations of each outlet's articles.

    Args:
        citations: a ``citations`` table (``article_id``, ``source_id``, ``kind``...).
        articles: an ``articles`` table (``article_id``, ``outlet_id``); articles without an
            outlet are left out.
        kinds: citation kinds to count (default :data:`DEFAULT_KINDS`): ``quoted`` people and
            organisations, ``cited_outlet``, ``credited``, ``link``, ``embedded_post``.
        weight: cell value, one of :data:`WEIGHTS`: ``binary`` (cited at least once), ``count``
            (citations), ``articles`` (articles citing the source) or ``share`` (those articles
            as a share of all the outlet's articles).
        min_articles: drop outlets with fewer articles than this.
        min_outlets: drop sources cited by fewer outlets than this (after the outlet filter).
        drop_self: leave out an outlet citing or crediting itself (not an overlap with anyone).
        outlets: keep only these outlet ids (e.g. one pack of the registry); default all.

    Returns:
        A float DataFrame, index ``outlet_id`` (sorted), columns ``source_id`` (sorted). Outlets
        that cite none of the kept sources keep an all-zero row.

    Raises:
        ValueError: an unknown kind or weight, a missing column, or ``min_articles < 1``.

    Example:
        >>> arts = pd.DataFrame({"article_id": ["a1", "a2"], "outlet_id": ["A", "A"]})
        >>> cits = pd.DataFrame({"article_id": ["a1", "a1"], "source_id": ["s", "s"],
        ...     "kind": ["quoted", "quoted"]})
        >>> float(outlet_source_matrix(cits, arts, weight="count").loc["A", "s"])
        2.0
    """
    _check_choice(weight, WEIGHTS, "weight")
    incidence = _incidence(citations, articles, kinds=kinds, min_articles=min_articles,
                           drop_self=drop_self, outlets=outlets)
    values, _ = _aggregate(incidence, weight=weight)
    matrix = pd.DataFrame(values, index=pd.Index(incidence.outlets, name="outlet_id"),
                          columns=pd.Index(incidence.sources, name="source_id"))
    return matrix.loc[:, (matrix > 0).sum(axis=0) >= min_outlets]


# --------------------------------------------------------------------------------------------
# similarity


def _jaccard(values: np.ndarray) -> np.ndarray:
    present = (values > 0).astype(float)
    shared = present @ present.T
    sizes = present.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - shared
    similarity = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    np.fill_diagonal(similarity, 1.0)
    return similarity


def _cosine(values: np.ndarray) -> np.ndarray:
    norms = np.sqrt((values ** 2).sum(axis=1))
    dot = values @ values.T
    denominator = norms[:, None] * norms[None, :]
    similarity = np.divide(dot, denominator, out=np.zeros_like(dot), where=denominator > 0)
    similarity = np.clip(similarity, 0.0, 1.0)
    np.fill_diagonal(similarity, 1.0)
    return similarity


def _similarity(values: np.ndarray, measure: str) -> np.ndarray:
    return _jaccard(values) if measure == "jaccard" else _cosine(values)


def jaccard_similarity(matrix: pd.DataFrame) -> pd.DataFrame:
    """Jaccard similarity of outlets' source sets: shared sources / sources of either.

    Args:
        matrix: an outlet x source matrix (any weight; a cell counts as present when > 0).

    Returns:
        A symmetric outlet x outlet DataFrame with 1 on the diagonal; 0 for two outlets without
        any source.

    Example:
        >>> m = pd.DataFrame([[1, 1, 0], [0, 1, 1]], index=["A", "B"], columns=["s", "t", "u"])
        >>> round(float(jaccard_similarity(m).loc["A", "B"]), 3)
        0.333
    """
    return pd.DataFrame(_jaccard(matrix.to_numpy(dtype=float)), index=matrix.index,
                        columns=matrix.index.copy())


def cosine_similarity(matrix: pd.DataFrame) -> pd.DataFrame:
    """Cosine similarity of outlets' source weight vectors.

    Args:
        matrix: an outlet x source matrix of non-negative weights (counts or shares).

    Returns:
        A symmetric outlet x outlet DataFrame with 1 on the diagonal; 0 where a row is all zero.

    Example:
        >>> m = pd.DataFrame([[1.0, 0.0], [1.0, 1.0]], index=["A", "B"], columns=["s", "t"])
        >>> round(float(cosine_similarity(m).loc["A", "B"]), 4)
        0.7071
    """
    return pd.DataFrame(_cosine(matrix.to_numpy(dtype=float)), index=matrix.index,
                        columns=matrix.index.copy())


def outlet_similarity(matrix: pd.DataFrame, *, measure: str = "cosine") -> pd.DataFrame:
    """Outlet x outlet similarity with the named measure (``jaccard`` or ``cosine``).

    Example:
        >>> m = pd.DataFrame([[1, 0], [1, 1]], index=["A", "B"], columns=["s", "t"])
        >>> float(outlet_similarity(m, measure="jaccard").loc["A", "B"])
        0.5
    """
    _check_choice(measure, MEASURES, "measure")
    return jaccard_similarity(matrix) if measure == "jaccard" else cosine_similarity(matrix)


def similarity_pairs(similarity: pd.DataFrame) -> pd.DataFrame:
    """The upper triangle of a similarity matrix as a tidy table (one row per outlet pair).

    Returns:
        Columns ``outlet_a``, ``outlet_b`` (``outlet_a < outlet_b``), ``similarity``, sorted by
        similarity (highest first), then by names.

    Example:
        >>> s = pd.DataFrame([[1, .5], [.5, 1]], index=["A", "B"], columns=["A", "B"])
        >>> similarity_pairs(s).similarity.tolist()
        [0.5]
    """
    labels = [str(x) for x in similarity.index]
    values = similarity.to_numpy(dtype=float)
    rows = [(a, b, values[i, j]) if a < b else (b, a, values[i, j])
            for i, a in enumerate(labels) for j, b in enumerate(labels) if i < j]
    table = pd.DataFrame(rows, columns=["outlet_a", "outlet_b", "similarity"])
    return table.sort_values(["similarity", "outlet_a", "outlet_b"], ascending=[False, True, True],
                             kind="mergesort").reset_index(drop=True)
