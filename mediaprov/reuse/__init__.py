"""Text reuse: who copies whom, credited or not, whole or in part, and which outlets co-publish.

Modules (one idea each):

* :mod:`~mediaprov.reuse.tokens`: words and word shingles as 64-bit hashes (vectorised).
* :mod:`~mediaprov.reuse.minhash`: MinHash (one-permutation, densified) and LSH candidate pairs.
* :mod:`~mediaprov.reuse.boilerplate`: per-outlet boilerplate shingles (templates, sign-offs).
* :mod:`~mediaprov.reuse.align`: shared passages with character offsets in both texts.
* :mod:`~mediaprov.reuse.pairs`: :func:`find_reuse` (articles -> ``reuse`` table) and
  :func:`run_reuse` (the ``mediaprov reuse DIR`` command's work).
* :mod:`~mediaprov.reuse.corpus`: :func:`corpus_reuse` (a corpus's pairs at given settings:
  read when the stage has them, else found in memory).
* :mod:`~mediaprov.reuse.sources`: common sources: which pairs are two copies of a third article
  (siblings), identified by date, credit, outlet kind or text containment.
* :mod:`~mediaprov.reuse.network`: who copied whom (:func:`copy_direction`: credit, then trusted
  dates, else no direction), outlet -> outlet edges, the DiGraph, co-publication windows.
* :mod:`~mediaprov.reuse.synthetic`: fictional articles with planted copies (tests, benchmarks).

Example:
    >>> from mediaprov.reuse import find_reuse, synthetic_corpus
    >>> articles, truth = synthetic_corpus(40, seed=2)
    >>> reuse = find_reuse(articles)
    >>> list(reuse.columns)[:3]
    ['article_a', 'article_b', 'similarity']
"""

from mediaprov.reuse.align import align_texts
from mediaprov.reuse.minhash import candidate_pairs, lsh_params, signatures
from mediaprov.reuse.network import (COORDINATION, DIRECTION_EVIDENCE, REUSE_EDGES, coordination, copy_direction,
                                     explained_by_common_source, reuse_edges, reuse_graph)
from mediaprov.reuse.corpus import corpus_reuse
from mediaprov.reuse.pairs import find_reuse, run_reuse
from mediaprov.reuse.sources import COMMON_SOURCES, SOURCE_KINDS, common_sources
from mediaprov.reuse.synthetic import synthetic_corpus

__all__ = [
    "COMMON_SOURCES", "COORDINATION", "DIRECTION_EVIDENCE", "REUSE_EDGES", "SOURCE_KINDS", "align_texts",
    "copy_direction",
    "candidate_pairs", "common_sources", "coordination", "corpus_reuse",
    "explained_by_common_source",
    "find_reuse", "lsh_params", "reuse_edges", "reuse_graph", "run_reuse", "signatures",
    "synthetic_corpus",
]
