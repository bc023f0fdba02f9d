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

Modules (one idea each): :mod:`.matrix` (the matrix and similarity), :mod:`.clustering`
(clusters, ``k``, communities, the sensitivity grid), :mod:`.stability` (bootstrap),
:mod:`.null_model` (curveball null, q-values) and :mod:`.evidence` (citations behind an edge,
camps).

Example:
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"article_id": ["a1", "a2", "b1"], "outlet_id": ["A", "A", "B"]})
    >>> citations = pd.DataFrame({"article_id": ["a1", "a2", "b1"], "source_id": ["s", "t", "s"],
    ...     "kind": ["quoted"] * 3, "start": [0, 0, 0], "end": [5, 5, 5]})
    >>> matrix = outlet_source_matrix(citations, articles, weight="binary")
    >>> float(jaccard_similarity(matrix).loc["A", "B"])
    0.5
"""

from mediaprov.overlap.clustering import (Clustering, choose_k, cluster_outlets, detect_communities,
                                          outlet_network, partition_text, sensitivity_grid)
from mediaprov.overlap.evidence import EVIDENCE_COLUMNS, camp_truth, overlap_evidence
from mediaprov.overlap.matrix import (CITATION_KINDS, DEFAULT_KINDS, MEASURES, WEIGHTS,
                                      cosine_similarity, jaccard_similarity, outlet_similarity,
                                      outlet_source_matrix, similarity_pairs)
from mediaprov.overlap.null_model import curveball, overlap_null_model
from mediaprov.overlap.stability import Stability, bootstrap_stability

__all__ = [
    "CITATION_KINDS", "DEFAULT_KINDS", "EVIDENCE_COLUMNS", "MEASURES", "WEIGHTS", "Clustering",
    "Stability", "bootstrap_stability", "camp_truth", "choose_k", "cluster_outlets",
    "cosine_similarity", "curveball", "detect_communities", "jaccard_similarity",
    "outlet_network", "outlet_similarity", "outlet_source_matrix", "overlap_evidence",
    "overlap_null_model", "partition_text", "sensitivity_grid", "similarity_pairs",
]
