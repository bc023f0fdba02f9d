"""Groups of outlets: hierarchical clusters, network communities, and a grid of settings.

Hierarchical clusters have ``k`` chosen by silhouette; the grid of settings shows how much each
choice moves the clusters.

Example:
    >>> s = pd.DataFrame([[1, .9, 0], [.9, 1, 0], [0, 0, 1]], index=list("ABC"),
    ...     columns=list("ABC"))
    >>> partition_text(cluster_outlets(s, k=2).as_series())
    'A,B | C'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform
from sklearn.metrics import adjusted_rand_score

from mediaprov.overlap.matrix import (CITATION_KINDS, DEFAULT_KINDS, MEASURES, _check_choice,
                                      outlet_similarity, outlet_source_matrix, similarity_pairs)


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
        min_articles: drop outlets with fewer articles than this (as in
            :func:`outlet_source_matrix`).
        outlets: keep only these outlet ids; default all (as in :func:`outlet_source_matrix`).
        method: scipy linkage method for :func:`cluster_outlets` (``average`` by default).

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
