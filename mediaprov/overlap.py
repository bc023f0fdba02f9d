"""Source overlap between outlets: who leans on the same people, organisations and outlets.

An outlet x source matrix counts, for each outlet, the citations (``citations`` table) of each
source: people and organisations quoted, outlets cited or credited, links, embedded posts. Outlets
whose columns look alike lean on the same sources; this module measures how alike (Jaccard on
presence, cosine on weights), groups outlets (average-linkage clustering, community detection),
and says how much to trust the groups:

* :func:`bootstrap_stability` resamples articles and reports how often each pair of outlets lands
  in the same cluster and the adjusted Rand index (ARI) against the full-data clustering;
* :func:`overlap_null_model` compares each pair's shared sources with a null that keeps every
  outlet's number of sources and every source's number of outlets (curveball randomisation);
* :func:`sensitivity_grid` reruns the clustering across measures, kinds, filters and ``k``;
* :func:`overlap_evidence` lists the citations (article ids, spans, quoted text) behind an edge.

Every function is deterministic: randomness takes a ``seed`` and outputs are sorted.

Example:
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"article_id": ["a1", "a2", "b1"], "outlet_id": ["A", "A", "B"]})
    >>> citations = pd.DataFrame({"article_id": ["a1", "a2", "b1"], "source_id": ["s", "t", "s"],
    ...     "kind": ["quoted"] * 3, "start": [0, 0, 0], "end": [5, 5, 5]})
    >>> matrix = outlet_source_matrix(citations, articles, weight="binary")
    >>> float(jaccard_similarity(matrix).loc["A", "B"])
    0.5
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.cluster import hierarchy
from scipy.stats import false_discovery_control
from scipy.spatial.distance import squareform
from sklearn.metrics import adjusted_rand_score

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
    """Outlet x source values and outlet article totals, each article counted ``article_weights``
    times (1 when not given)."""
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


# --------------------------------------------------------------------------------------------
# clustering


@dataclass(frozen=True)
class Clustering:
    """A hierarchical clustering of outlets.

    Attributes:
        linkage: the scipy linkage matrix (average linkage on ``1 - similarity``).
        labels: outlet ids in the order of the similarity matrix (the linkage's leaf ids).
        order: outlet ids in dendrogram leaf order (for ordering heatmaps).
        assignments: ``outlet_id``, ``cluster`` (1..k, numbered by first appearance in ``labels``),
            sorted by outlet id.
    """

    linkage: np.ndarray
    labels: list[str]
    order: list[str]
    assignments: pd.DataFrame

    def as_series(self) -> pd.Series:
        """Cluster per outlet, indexed by outlet id.

        Example:
            >>> s = pd.DataFrame([[1, .9], [.9, 1]], index=["A", "B"], columns=["A", "B"])
            >>> cluster_outlets(s, k=1).as_series().to_dict()
            {'A': 1, 'B': 1}
        """
        return self.assignments.set_index("outlet_id").cluster


def _renumber(raw: np.ndarray) -> np.ndarray:
    """Relabel clusters 1..k by first appearance, so equal partitions get equal labels."""
    mapping: dict[int, int] = {}
    for value in raw:
        mapping.setdefault(int(value), len(mapping) + 1)
    return np.array([mapping[int(v)] for v in raw], dtype=np.int64)


def _linkage(similarity: np.ndarray, method: str) -> np.ndarray:
    distance = 1.0 - np.clip(similarity, 0.0, 1.0)
    distance = (distance + distance.T) / 2.0
    np.fill_diagonal(distance, 0.0)
    return hierarchy.linkage(squareform(distance, checks=False), method=method)


def _flat(similarity: np.ndarray, k: int, method: str) -> tuple[np.ndarray, np.ndarray]:
    n = similarity.shape[0]
    if n == 1:
        return np.zeros((0, 4)), np.array([1])
    link = _linkage(similarity, method)
    raw = hierarchy.fcluster(link, t=min(k, n), criterion="maxclust")
    return link, _renumber(raw)


def cluster_outlets(similarity: pd.DataFrame, *, k: int, method: str = "average") -> Clustering:
    """Hierarchical clustering of outlets on ``1 - similarity``, cut into ``k`` flat clusters.

    Args:
        similarity: a square outlet x outlet similarity (from :func:`outlet_similarity`).
        k: number of flat clusters (``fcluster`` with ``maxclust``; ties in the tree can give
            fewer).
        method: scipy linkage method (``average`` by default; ``complete``, ``single``...).

    Returns:
        A :class:`Clustering` with the linkage, leaf order and flat assignments.

    Raises:
        ValueError: the matrix is not square with equal row and column labels, or ``k < 1``.

    Example:
        >>> s = pd.DataFrame([[1, .9, 0], [.9, 1, 0], [0, 0, 1]], index=list("ABC"),
        ...     columns=list("ABC"))
        >>> cluster_outlets(s, k=2).as_series().tolist()
        [1, 1, 2]
    """
    _check_square(similarity)
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    labels = [str(x) for x in similarity.index]
    link, clusters = _flat(similarity.to_numpy(dtype=float), k, method)
    order = ([labels[i] for i in hierarchy.leaves_list(link)] if len(labels) > 1 else labels)
    assignments = pd.DataFrame({"outlet_id": labels, "cluster": clusters})
    assignments = assignments.sort_values("outlet_id").reset_index(drop=True)
    return Clustering(linkage=link, labels=labels, order=order, assignments=assignments)


def choose_k(similarity: pd.DataFrame, *, ks: Iterable[int] = range(2, 9),
             method: str = "average") -> tuple[int, pd.DataFrame]:
    """Choose the number of clusters from the data alone: the cut with the best silhouette.

    The silhouette of each cut of the hierarchical clustering is computed on the distances
    ``1 - similarity``; the best one wins (ties: the fewer clusters). No camp or other label is
    used, so the clusters can then be compared with the camps without having been told their number.

    Args:
        similarity: a square outlet x outlet similarity.
        ks: the numbers of clusters to try (cuts that give fewer than 2 or as many clusters as
            outlets are skipped).
        method: scipy linkage method.

    Returns:
        ``(k, table)``: the chosen ``k`` and one row per ``k`` tried (``k``, ``clusters`` found,
        ``silhouette``). With fewer than 3 outlets, ``(1, empty table)``.

    Example:
        >>> s = pd.DataFrame([[1, .9, 0, 0], [.9, 1, 0, 0], [0, 0, 1, .8], [0, 0, .8, 1]],
        ...                  index=list("ABCD"), columns=list("ABCD"))
        >>> choose_k(s, ks=[2, 3])[0]
        2
    """
    _check_square(similarity)
    from sklearn.metrics import silhouette_score

    values = similarity.to_numpy(dtype=float)
    n = values.shape[0]
    rows = []
    if n >= 3:
        distance = 1.0 - np.clip(values, 0.0, 1.0)
        distance = (distance + distance.T) / 2.0
        np.fill_diagonal(distance, 0.0)
        link = _linkage(values, method)
        for k in ks:
            labels = hierarchy.fcluster(link, t=min(int(k), n), criterion="maxclust")
            found = len(set(labels))
            if 2 <= found < n:
                rows.append({"k": int(k), "clusters": found,
                             "silhouette": float(silhouette_score(distance, labels, metric="precomputed"))})
    table = pd.DataFrame(rows, columns=["k", "clusters", "silhouette"])
    if table.empty:
        return 1, table
    best = table.sort_values(["silhouette", "k"], ascending=[False, True], kind="mergesort").iloc[0]
    return int(best["k"]), table


def _check_square(similarity: pd.DataFrame) -> None:
    if similarity.shape[0] != similarity.shape[1] or \
            [str(x) for x in similarity.index] != [str(x) for x in similarity.columns]:
        raise ValueError("similarity must be a square outlet x outlet DataFrame with the same "
                         "labels on rows and columns (use outlet_similarity(matrix))")


def outlet_network(similarity: pd.DataFrame, *, threshold: float | None = None) -> nx.Graph:
    """The outlet network: an edge, weighted by similarity, for each pair above ``threshold``.

    Args:
        similarity: square outlet x outlet similarity.
        threshold: keep pairs with similarity strictly above this; default the median of all
            pairs' similarities (a data-driven cut that keeps about half the pairs).

    Returns:
        An undirected networkx graph with every outlet as a node (isolated ones included).

    Example:
        >>> s = pd.DataFrame([[1, .8], [.8, 1]], index=["A", "B"], columns=["A", "B"])
        >>> outlet_network(s, threshold=0.5).number_of_edges()
        1
    """
    _check_square(similarity)
    pairs = similarity_pairs(similarity)
    cut = float(pairs.similarity.median()) if threshold is None and len(pairs) else threshold
    graph = nx.Graph()
    graph.add_nodes_from(sorted(str(x) for x in similarity.index))
    for row in pairs.itertuples(index=False):
        if cut is None or row.similarity > cut:
            graph.add_edge(row.outlet_a, row.outlet_b, weight=float(row.similarity))
    return graph


def detect_communities(similarity: pd.DataFrame, *, threshold: float | None = None,
                       method: str = "louvain", resolution: float = 1.0, seed: int = 0
                       ) -> pd.DataFrame:
    """Communities of the thresholded outlet network (Louvain or greedy modularity).

    Args:
        similarity: square outlet x outlet similarity.
        threshold: edge cut, see :func:`outlet_network` (default: the median pair similarity).
        method: ``louvain`` (``networkx.community.louvain_communities``) or ``greedy``
            (``greedy_modularity_communities``).
        resolution: modularity resolution (higher gives more, smaller communities).
        seed: random seed for Louvain.

    Returns:
        ``outlet_id``, ``community`` (1.., numbered by the community's first outlet id), sorted by
        outlet id.

    Example:
        >>> s = pd.DataFrame([[1, .9, 0, 0], [.9, 1, 0, 0], [0, 0, 1, .9], [0, 0, .9, 1]],
        ...     index=list("ABCD"), columns=list("ABCD"))
        >>> detect_communities(s, threshold=0.5).community.tolist()
        [1, 1, 2, 2]
    """
    _check_choice(method, ("louvain", "greedy"), "method")
    graph = outlet_network(similarity, threshold=threshold)
    if method == "louvain":
        found = nx.community.louvain_communities(graph, weight="weight", resolution=resolution,
                                                 seed=seed)
    else:
        found = nx.community.greedy_modularity_communities(graph, weight="weight",
                                                           resolution=resolution)
    groups = sorted(sorted(group) for group in found)
    rows = [(outlet, number) for number, group in enumerate(groups, start=1) for outlet in group]
    table = pd.DataFrame(rows, columns=["outlet_id", "community"])
    return table.sort_values("outlet_id").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# stability


@dataclass(frozen=True)
class Stability:
    """How stable a clustering is when the articles are resampled.

    Attributes:
        coassignment: outlet x outlet share of bootstrap runs that put both in one cluster.
        outlets: ``outlet_id``, ``cluster`` (full data), ``stability`` (mean co-assignment with the
            other members of its full-data cluster; for a full-data singleton, 1 minus its highest
            co-assignment with any other outlet), ``confusion`` (mean co-assignment with outlets
            of other clusters), sorted by outlet id.
        ari: the adjusted Rand index of each bootstrap clustering against the full-data one.
        mean_ari: mean of ``ari``.
        reference: the full-data :class:`Clustering`.
    """

    coassignment: pd.DataFrame
    outlets: pd.DataFrame
    ari: np.ndarray
    mean_ari: float
    reference: Clustering


def bootstrap_stability(citations: pd.DataFrame, articles: pd.DataFrame, *, k: int,
                        kinds: Sequence[str] | None = None, weight: str = "share",
                        measure: str = "cosine", min_articles: int = 1, min_outlets: int = 1,
                        outlets: Sequence[str] | None = None, method: str = "average",
                        n_boot: int = 100, seed: int = 0) -> Stability:
    """Cluster stability under resampling of articles with replacement.

    Outlets and sources are fixed by the full data (filters applied once). Each bootstrap run
    draws, within each outlet, as many of its articles as it has, with replacement (so no outlet
    drops out of a run), rebuilds the matrix from the drawn articles (an article drawn twice
    counts twice), recomputes similarity and the ``k``-cluster cut, and compares it with the
    full-data clustering.

    Args:
        citations: a ``citations`` table.
        articles: an ``articles`` table.
        k: number of clusters.
        kinds, weight, min_articles, min_outlets, outlets: as in :func:`outlet_source_matrix`.
        measure: ``cosine`` or ``jaccard``.
        method: linkage method.
        n_boot: number of bootstrap runs.
        seed: random seed.

    Returns:
        A :class:`Stability`.

    Raises:
        ValueError: an unknown weight, measure or kind, or ``n_boot < 1``.

    Example:
        >>> arts = pd.DataFrame({"article_id": [f"{o}{i}" for o in "ABCD" for i in range(3)],
        ...     "outlet_id": [o for o in "ABCD" for _ in range(3)]})
        >>> cits = pd.DataFrame({"article_id": arts.article_id, "kind": "quoted",
        ...     "source_id": ["x" if o in "AB" else "y" for o in arts.outlet_id]})
        >>> bootstrap_stability(cits, arts, k=2, n_boot=5).mean_ari
        1.0
    """
    _check_choice(weight, WEIGHTS, "weight")
    _check_choice(measure, MEASURES, "measure")
    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, got {n_boot}")
    incidence = _incidence(citations, articles, kinds=kinds, min_articles=min_articles,
                           drop_self=True, outlets=outlets)
    values, _ = _aggregate(incidence, weight=weight)
    keep = (values > 0).sum(axis=0) >= min_outlets
    incidence = _Incidence(counts=incidence.counts[:, keep], article_ids=incidence.article_ids,
                           article_outlets=incidence.article_outlets, outlets=incidence.outlets,
                           sources=[s for s, kept in zip(incidence.sources, keep) if kept])
    values = values[:, keep]
    labels = incidence.outlets
    similarity = pd.DataFrame(_similarity(values, measure), index=labels, columns=labels)
    reference = cluster_outlets(similarity, k=k, method=method)
    full = reference.as_series().reindex(labels).to_numpy()
    rng = np.random.default_rng(seed)
    n_articles = len(incidence.article_ids)
    by_outlet = [np.flatnonzero(incidence.article_outlets == i) for i in range(len(labels))]
    together = np.zeros((len(labels), len(labels)))
    scores = np.zeros(n_boot)
    for run in range(n_boot):
        draws = np.zeros(n_articles)
        for members in by_outlet:
            picked = members[rng.integers(0, len(members), len(members))]
            draws += np.bincount(picked, minlength=n_articles)
        boot_values, _ = _aggregate(incidence, weight=weight, article_weights=draws.astype(float))
        _, clusters = _flat(_similarity(boot_values, measure), k, method)
        together += clusters[:, None] == clusters[None, :]
        scores[run] = adjusted_rand_score(full, clusters)
    rates = together / n_boot
    rows = []
    for i, outlet in enumerate(labels):
        mates = (full == full[i]) & (np.arange(len(labels)) != i)
        others = full != full[i]
        if mates.any():
            stable = float(rates[i, mates].mean())
        else:  # a singleton: stable when nobody joins it
            stable = 1.0 - float(rates[i, others].max()) if others.any() else 1.0
        rows.append((outlet, int(full[i]), float(stable),
                     float(rates[i, others].mean()) if others.any() else 0.0))
    table = pd.DataFrame(rows, columns=["outlet_id", "cluster", "stability", "confusion"])
    return Stability(coassignment=pd.DataFrame(rates, index=labels, columns=labels),
                     outlets=table.sort_values("outlet_id").reset_index(drop=True),
                     ari=scores, mean_ari=float(scores.mean()),
                     reference=reference)


# --------------------------------------------------------------------------------------------
# null model


def curveball(presence: np.ndarray, *, n_trades: int, rng: np.random.Generator) -> np.ndarray:
    """Randomise a binary matrix keeping every row sum and every column sum (curveball trades).

    Each trade picks two rows, pools the columns that only one of them has, shuffles the pool
    and gives each row back as many as it had (Strona et al. 2014, *Nature Communications* 5:4114).

    Args:
        presence: a 0/1 matrix (rows: outlets, columns: sources).
        n_trades: number of trades.
        rng: a numpy random generator.

    Returns:
        A new 0/1 matrix with the same margins.

    Example:
        >>> m = np.array([[1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0]])
        >>> out = curveball(m, n_trades=50, rng=np.random.default_rng(0))
        >>> bool((out.sum(0) == m.sum(0)).all() and (out.sum(1) == m.sum(1)).all())
        True
    """
    matrix = (np.asarray(presence) > 0).astype(np.int8).copy()
    n_rows = matrix.shape[0]
    if n_rows < 2:
        return matrix
    for _ in range(n_trades):
        a, b = rng.choice(n_rows, size=2, replace=False)
        only_a = np.flatnonzero((matrix[a] == 1) & (matrix[b] == 0))
        only_b = np.flatnonzero((matrix[b] == 1) & (matrix[a] == 0))
        if not len(only_a) or not len(only_b):
            continue
        pool = np.concatenate([only_a, only_b])
        rng.shuffle(pool)
        matrix[a, pool] = 0
        matrix[b, pool] = 0
        matrix[a, pool[:len(only_a)]] = 1
        matrix[b, pool[len(only_a):]] = 1
    return matrix


def _shared(presence: np.ndarray, statistic: str) -> np.ndarray:
    return _jaccard(presence) if statistic == "jaccard" else presence @ presence.T


def overlap_null_model(matrix: pd.DataFrame, *, n_null: int = 500,
                       trades_per_sample: int | None = None, burn_in: int | None = None,
                       statistic: str = "shared", seed: int = 0
                       ) -> pd.DataFrame:
    """Compare each outlet pair's source overlap with a degree-preserving random null.

    The matrix is binarised (a source is used or not). The null keeps each outlet's number of
    sources and each source's number of outlets: a curveball Markov chain, sampled every
    ``trades_per_sample`` trades after ``burn_in`` trades. A high ``z`` means two outlets share
    more sources than outlets of their sizes would by chance, given how widely each source is
    cited.

    Args:
        matrix: an outlet x source matrix (any weight; presence is ``> 0``).
        n_null: number of null samples.
        trades_per_sample: curveball trades between samples (default ``5 * n_outlets``).
        burn_in: trades before the first sample (default ``50 * n_outlets``).
        statistic: ``shared`` (number of shared sources) or ``jaccard``.
        seed: random seed.

    Returns:
        One row per pair: ``outlet_a``, ``outlet_b`` (``a < b``), ``observed``, ``null_mean``,
        ``null_std``, ``z`` (``(observed - null_mean) / null_std``; when the null has no spread,
        0 if observed equals the null mean, else +/- infinity), ``p_value`` (one-sided,
        ``(1 + #null >= observed) / (1 + n_null)``) and ``q_value`` (the p-value adjusted for
        testing every pair at once: Benjamini-Hochberg false discovery rate, via
        ``scipy.stats.false_discovery_control``), sorted by ``z`` (highest first), then by names.

    Raises:
        ValueError: an unknown ``statistic`` or ``n_null < 2``.

    Example:
        >>> m = pd.DataFrame(np.eye(4)[[0, 0, 1, 1]] + np.eye(4)[[2, 2, 3, 3]],
        ...     index=list("ABCD"))
        >>> table = overlap_null_model(m, n_null=50)
        >>> table.iloc[0][["outlet_a", "outlet_b"]].tolist() in (["A", "B"], ["C", "D"])
        True
    """
    _check_choice(statistic, ("shared", "jaccard"), "statistic")
    if n_null < 2:
        raise ValueError(f"n_null must be at least 2 (a null needs a spread), got {n_null}")
    labels = [str(x) for x in matrix.index]
    order = np.argsort(labels, kind="mergesort")
    labels = [labels[i] for i in order]
    presence = (matrix.to_numpy(dtype=float)[order] > 0).astype(np.int8)
    n = len(labels)
    trades = trades_per_sample if trades_per_sample is not None else 5 * n
    burn = burn_in if burn_in is not None else 50 * n
    rng = np.random.default_rng(seed)
    observed = _shared(presence.astype(float), statistic)
    upper = np.triu_indices(n, k=1)
    samples = np.zeros((n_null, len(upper[0])))
    state = curveball(presence, n_trades=burn, rng=rng)
    for run in range(n_null):
        state = curveball(state, n_trades=trades, rng=rng)
        samples[run] = _shared(state.astype(float), statistic)[upper]
    obs = observed[upper]
    mean = samples.mean(axis=0)
    std = samples.std(axis=0, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(std > 0, (obs - mean) / std, np.where(np.isclose(obs, mean), 0.0,
                                                            np.sign(obs - mean) * np.inf))
    exceed = (samples >= obs[None, :] - 1e-12).sum(axis=0)
    table = pd.DataFrame({
        "outlet_a": [labels[i] for i in upper[0]], "outlet_b": [labels[j] for j in upper[1]],
        "observed": obs, "null_mean": mean, "null_std": std, "z": z,
        "p_value": (1 + exceed) / (1 + n_null)})
    table["q_value"] = false_discovery_control(table["p_value"].to_numpy(), method="bh") if len(table) else []
    return table.sort_values(["z", "outlet_a", "outlet_b"], ascending=[False, True, True],
                             kind="mergesort").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# sensitivity


def partition_text(assignments: pd.Series) -> str:
    """A readable, order-free text of a partition: groups of sorted ids, joined by `` | ``.

    Example:
        >>> partition_text(pd.Series({"b": 2, "a": 1, "c": 1}))
        'a,c | b'
    """
    groups = sorted(sorted(str(i) for i in members.index)
                    for _, members in assignments.groupby(assignments.to_numpy()))
    return " | ".join(",".join(group) for group in groups)


def sensitivity_grid(citations: pd.DataFrame, articles: pd.DataFrame, *,
                     kind_sets: Mapping[str, Sequence[str]] | None = None,
                     measures: Sequence[str] = MEASURES, min_outlets: Sequence[int] = (1, 2),
                     ks: Sequence[int] = (2, 3, 4), truth: pd.Series | None = None,
                     weight: str = "share", min_articles: int = 1,
                     outlets: Sequence[str] | None = None, method: str = "average"
                     ) -> pd.DataFrame:
    """Clusterings across a grid of settings, as one tidy row per setting.

    Args:
        citations: a ``citations`` table.
        articles: an ``articles`` table.
        kind_sets: name -> citation kinds (default: each kind alone, plus ``default`` =
            :data:`DEFAULT_KINDS` and ``all``).
        measures: similarity measures to try (``jaccard`` is computed on presence, ``cosine``
            on ``weight``).
        min_outlets: values of the source filter.
        ks: numbers of clusters.
        truth: optional known group per outlet id (e.g. the registry's camp) to score against.
        weight: matrix weight for cosine.
        min_articles, outlets, method: as in :func:`outlet_source_matrix` and
            :func:`cluster_outlets`.

    Returns:
        Columns ``kinds``, ``measure``, ``min_outlets``, ``k``, ``n_outlets``, ``n_sources``,
        ``n_clusters``, ``ari_baseline`` (ARI against the first setting with the same ``k``, so
        a reader sees how much each choice moves the result), ``ari_truth`` (NaN without
        ``truth``), ``clusters`` (:func:`partition_text`), in grid order. A setting that
        leaves no source (or no outlet) gets a row with ``n_clusters`` 0 and NaN scores.

    Example:
        >>> arts = pd.DataFrame({"article_id": list("abcd"), "outlet_id": list("ABCD")})
        >>> cits = pd.DataFrame({"article_id": list("abcd"), "kind": "quoted",
        ...     "source_id": list("xxyy")})
        >>> grid = sensitivity_grid(cits, arts, kind_sets={"q": ["quoted"]}, ks=[2])
        >>> grid.clusters.unique().tolist()
        ['A,B | C,D']
    """
    if kind_sets is None:
        kind_sets = {"default": DEFAULT_KINDS, "all": CITATION_KINDS,
                     **{kind: (kind,) for kind in CITATION_KINDS}}
    rows = []
    baselines: dict[int, pd.Series] = {}
    for name, kinds in kind_sets.items():
        for measure in measures:
            for floor in min_outlets:
                matrix = outlet_source_matrix(citations, articles, kinds=kinds,
                                              weight="binary" if measure == "jaccard" else weight,
                                              min_articles=min_articles, min_outlets=floor,
                                              outlets=outlets)
                similarity = outlet_similarity(matrix, measure=measure)
                for k in ks:
                    if matrix.shape[0] == 0 or matrix.shape[1] == 0:  # nothing to cluster on
                        rows.append((name, measure, floor, k, matrix.shape[0], matrix.shape[1], 0,
                                     float("nan"), float("nan"), ""))
                        continue
                    clusters = cluster_outlets(similarity, k=k, method=method).as_series()
                    base = baselines.setdefault(k, clusters)
                    common = base.index.intersection(clusters.index)
                    ari_truth = float("nan")
                    if truth is not None:
                        known = clusters.index.intersection(truth.dropna().index)
                        ari_truth = adjusted_rand_score(truth.loc[known].astype(str),
                                                        clusters.loc[known])
                    rows.append((name, measure, floor, k, len(matrix), matrix.shape[1],
                                 int(clusters.nunique()),
                                 adjusted_rand_score(base.loc[common], clusters.loc[common]),
                                 ari_truth, partition_text(clusters)))
    return pd.DataFrame(rows, columns=["kinds", "measure", "min_outlets", "k", "n_outlets",
                                       "n_sources", "n_clusters", "ari_baseline", "ari_truth",
                                       "clusters"])


# --------------------------------------------------------------------------------------------
# evidence


EVIDENCE_COLUMNS: tuple[str, ...] = ("source_id", "kind", "outlet_id", "article_id", "published",
                                     "start", "end", "span_text", "quote_text", "speaker")


def overlap_evidence(outlet_a: str, outlet_b: str, citations: pd.DataFrame, quotes: pd.DataFrame,
                     articles: pd.DataFrame, *, kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """The citations behind an edge: every citation of a source both outlets lean on.

    Args:
        outlet_a: one outlet id.
        outlet_b: the other outlet id.
        citations: a ``citations`` table.
        quotes: a ``quotes`` table (matched to citations by article and span to show the quote).
        articles: an ``articles`` table (``article_id``, ``outlet_id``, ``text``; ``published``
            when present).
        kinds: citation kinds to consider (default :data:`DEFAULT_KINDS`).

    Returns:
        Columns :data:`EVIDENCE_COLUMNS`: the shared ``source_id``, the citation ``kind``, which
        outlet and article cite it, when it was published, the span (``start``, ``end`` into
        ``articles.text``), ``span_text`` (the text of that span; empty when the citation has no
        span), and for quotes the ``quote_text`` and ``speaker`` as the quotes table has them.
        Sorted by source, outlet, publication time, article and offset. Empty (with these
        columns) when the outlets share no source.

    Raises:
        ValueError: a table lacks a needed column.

    Example:
        >>> arts = pd.DataFrame({"article_id": ["a", "b"], "outlet_id": ["A", "B"],
        ...     "text": ['"Yes," said Ann.', '"No," said Ann.']})
        >>> cits = pd.DataFrame({"article_id": ["a", "b"], "source_id": ["ann", "ann"],
        ...     "kind": ["quoted", "quoted"], "start": [1, 1], "end": [4, 3]})
        >>> quotes = pd.DataFrame({"article_id": ["a", "b"], "text": ["Yes", "No"],
        ...     "start": [1, 1], "end": [4, 3], "speaker": ["Ann", "Ann"]})
        >>> overlap_evidence("A", "B", cits, quotes, arts).span_text.tolist()
        ['Yes', 'No']
    """
    _check_columns(citations, ("article_id", "source_id", "kind", "start", "end"), "citations")
    _check_columns(articles, ("article_id", "outlet_id", "text"), "articles")
    _check_columns(quotes, ("article_id", "text", "start", "end"), "quotes")
    kinds = tuple(DEFAULT_KINDS if kinds is None else kinds)
    columns = ["article_id", "outlet_id", "text"] + (["published"] if "published" in articles
                                                     else [])
    placed = articles.loc[articles.outlet_id.isin([outlet_a, outlet_b]), columns]
    cited = citations.loc[citations.kind.isin(kinds),
                          ["article_id", "source_id", "kind", "start", "end"]]
    cited = cited.merge(placed, on="article_id", how="inner")
    cited = cited[cited.source_id != cited.outlet_id]
    used = {outlet: set(group.source_id.astype(str))
            for outlet, group in cited.groupby("outlet_id")}
    shared = used.get(outlet_a, set()) & used.get(outlet_b, set())
    rows = cited[cited.source_id.isin(shared)].copy()
    if "published" not in rows:
        rows["published"] = pd.NaT
    rows["span_text"] = [
        "" if pd.isna(start) or pd.isna(end) else str(text)[int(start):int(end)]
        for text, start, end in zip(rows.text, rows.start, rows.end)]
    quote_columns = ["article_id", "start", "end", "text"] + (["speaker"] if "speaker" in quotes
                                                              else [])
    matched = quotes.loc[:, quote_columns].rename(columns={"text": "quote_text"})
    if "speaker" not in matched:
        matched["speaker"] = pd.NA
    matched = matched.dropna(subset=["start", "end"])
    matched = matched.drop_duplicates(["article_id", "start", "end"])
    rows = rows.drop(columns="text").astype({"start": "Int64", "end": "Int64"})
    matched = matched.astype({"start": "Int64", "end": "Int64"})
    rows = rows.merge(matched, on=["article_id", "start", "end"], how="left")
    rows = rows.sort_values(["source_id", "outlet_id", "published", "article_id", "start", "kind"],
                            kind="mergesort", na_position="last")
    return rows.loc[:, list(EVIDENCE_COLUMNS)].reset_index(drop=True)


def camp_truth(registry_table: pd.DataFrame, *, pack: str | None = None,
               column: str = "camp") -> pd.Series:
    """The researcher-supplied group of each outlet (e.g. ``camp``), optionally of one pack.

    Args:
        registry_table: ``OutletRegistry.load().table``.
        pack: keep only outlets of this ``pack`` (e.g. ``"demo"``); default all.
        column: the registry column holding the group.

    Returns:
        A Series indexed by ``outlet_id`` (sorted), outlets with an empty group left out.

    Example:
        >>> table = pd.DataFrame({"outlet_id": ["b", "a"], "camp": ["x", ""], "pack": ["p", "p"]})
        >>> camp_truth(table, pack="p").to_dict()
        {'b': 'x'}
    """
    _check_columns(registry_table, ("outlet_id", column), "outlets")
    table = registry_table
    if pack is not None:
        _check_columns(table, ("pack",), "outlets")
        table = table[table.pack == pack]
    groups = table.set_index("outlet_id")[column]
    groups = groups[groups.notna() & (groups.astype(str).str.strip() != "")]
    return groups.astype(str).sort_index()
