"""How much to trust the outlet groups: bootstrap stability under resampling of articles.

Example:
    >>> arts = pd.DataFrame({"article_id": ["a", "b"], "outlet_id": ["A", "B"]})
    >>> cits = pd.DataFrame({"article_id": ["a", "b"], "kind": "quoted", "source_id": ["x", "y"]})
    >>> bootstrap_stability(cits, arts, k=2, n_boot=2).outlets.stability.tolist()
    [1.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from mediaprov.overlap.clustering import Clustering, _flat, cluster_outlets
from mediaprov.overlap.matrix import (MEASURES, WEIGHTS, _aggregate, _check_choice, _incidence,
                                      _Incidence, _similarity)


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
        kinds: citation kinds to count (default :data:`DEFAULT_KINDS`), as in
            :func:`outlet_source_matrix`.
        weight: cell value, one of :data:`WEIGHTS`, as in :func:`outlet_source_matrix`.
        min_articles: drop outlets with fewer articles than this (applied once, on the full
            data).
        min_outlets: drop sources cited by fewer outlets than this (applied once, on the full
            data).
        outlets: keep only these outlet ids; default all.
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
                           sources=[s for s, kept in zip(incidence.sources, keep, strict=True) if kept])
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
