"""A processed corpus's reuse pairs at given settings, for notebooks: read when the stage has them.

:func:`corpus_reuse` reads the ``reuse`` stage's tables when its last run is current and used the
settings asked for, and otherwise finds the pairs in memory, never rewriting the corpus's tables
(which the later stages read).
"""

from __future__ import annotations

import pandas as pd

from mediaprov.reuse.pairs import reuse_and_sources

__all__ = ["corpus_reuse"]


def corpus_reuse(corpus: str, articles: pd.DataFrame, *, threshold: float = 0.15,
                 shingle: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The reuse pairs of a processed corpus at these settings, read when the ``reuse`` stage has them.

    When the stage's last run is current and used this ``threshold`` and ``shingle``, its tables
    are read (:func:`mediaprov.workflow.current_tables`); otherwise the pairs are found here, in
    memory, as :func:`~mediaprov.reuse.pairs.run_reuse` finds them (:func:`~mediaprov.reuse.pairs.find_reuse` with sibling pairs kept, then
    :func:`mediaprov.reuse.sources.common_sources`). The corpus's tables are never rewritten, so
    a notebook can look at other settings without changing what the pipeline's later stages read.

    Args:
        corpus: the corpus name (``data/processed/<corpus>``).
        articles: its ``articles`` table (used only when the pairs are found here).
        threshold: Jaccard threshold (see :func:`~mediaprov.reuse.pairs.find_reuse`).
        shingle: words per shingle.

    Returns:
        ``(reuse, common)``: the reuse pairs without sibling pairs (``reuse.parquet``), and every
        pair found with its common source and the evidence (``reuse_common_sources.parquet``).

    Example:
        >>> from mediaprov.schema import ARTICLES
        >>> reuse, common = corpus_reuse("no-such-corpus", ARTICLES.empty())
        >>> len(reuse), list(common.columns)[:3]
        (0, ['article_a', 'article_b', 'explained'])
    """
    from mediaprov import workflow

    stored = workflow.current_tables(corpus, ["reuse", "reuse_common_sources"],
                                     parameters={"reuse": {"threshold": threshold, "shingle": shingle}})
    if stored is not None:
        return stored["reuse"], stored["reuse_common_sources"]
    return reuse_and_sources(articles, threshold=threshold, shingle=shingle)
