"""Robustness: how the top terms and labels change with the analyst's choices.

The prior strength ``alpha0`` of :func:`mediaprov.narratives.distinctive_terms` and the window of
:func:`mediaprov.narratives.actor_frames` are choices; a finding that holds across a grid of them
is more credible than one that appears at one setting. :func:`term_stability` reports, for each
group and each pair of settings, the Jaccard similarity of the top-``k`` sets (1 = same terms,
0 = none shared) and the terms that differ. Show the table; do not pick the best setting from it.

Example:
    >>> articles = pd.DataFrame({"outlet_id": ["a", "b"] * 3, "text": ["cult sect river"] * 3 + ["regime junta river"] * 3})
    >>> table = term_stability(articles, alpha0_grid=(10, 1000), top=2, min_count=1)
    >>> table[["parameter", "value_a", "value_b"]].drop_duplicates().values.tolist()
    [['alpha0', 10.0, 1000.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import pandas as pd

from mediaprov.narratives.distinctive import GroupCounts, group_counts, score_groups
from mediaprov.narratives.frames import actor_frames

STABILITY_COLUMNS: tuple[str, ...] = (
    "parameter", "group", "value_a", "value_b", "top", "jaccard", "only_a", "only_b",
)


def _compare(tops: dict[float, dict[str, list[str]]], parameter: str, top: int) -> list[tuple]:
    rows = []
    for value_a, value_b in combinations(sorted(tops), 2):
        for group in sorted(set(tops[value_a]) | set(tops[value_b])):
            a, b = set(tops[value_a].get(group, [])), set(tops[value_b].get(group, []))
            union = a | b
            rows.append((parameter, group, float(value_a), float(value_b), top,
                         len(a & b) / len(union) if union else 1.0,
                         "|".join(sorted(a - b)), "|".join(sorted(b - a))))
    return rows


def term_stability(articles: pd.DataFrame, *, by: str = "outlet_id",
                   alpha0_grid: Sequence[float] | None = None, top: int = 20,
                   prior: str | pd.Series = "corpus", ngram_max: int = 2, count: str = "tokens",
                   min_count: int = 3, nested: bool = False, mask: pd.DataFrame | None = None,
                   mentions: pd.DataFrame | None = None,
                   lexicon: pd.DataFrame | None = None,
                   windows: Sequence[int] = (3, 5, 10, 20),
                   counts: GroupCounts | None = None) -> pd.DataFrame:
    """Jaccard similarity of each group's top terms across prior strengths (and label windows).

    Args:
        articles: articles with ``text`` and ``by``.
        by: grouping column.
        alpha0_grid: prior strengths compared pairwise; default the number of compared term
            occurrences ``N`` times 0.01, 0.1, 1 and 10.
        top: size of the top sets.
        prior: as :func:`mediaprov.narratives.distinctive_terms`.
        ngram_max: as :func:`mediaprov.narratives.distinctive_terms`.
        count: as :func:`mediaprov.narratives.distinctive_terms`.
        min_count: as :func:`mediaprov.narratives.distinctive_terms`.
        nested: as :func:`mediaprov.narratives.distinctive_terms`.
        mask: as :func:`mediaprov.narratives.distinctive_terms`.
        mentions: when given, the top-``top`` lexicon terms per group (by labelled mentions,
            :func:`mediaprov.narratives.actor_frames`) are also compared across ``windows``.
        lexicon: lexicon for the window grid; default ``framing.csv``.
        windows: token windows compared pairwise.
        counts: the term counts per group, when the caller has them already
            (:func:`mediaprov.narratives.group_counts` of ``articles`` with the same ``by``,
            ``ngram_max``, ``count`` and ``mask``); default: counted here. Counting is most of the
            time on a large corpus, and a notebook that also lists the distinctive terms counts
            once.

    Returns:
        Columns :data:`STABILITY_COLUMNS`: ``parameter`` (``alpha0`` or ``window``), the group,
        the two settings, ``top``, ``jaccard``, and the terms only in a's or only in b's set.

    Example: see the module docstring.
    """
    if counts is None:
        counts = group_counts(articles, by=by, ngram_max=ngram_max, count=count, mask=mask)
    if alpha0_grid is None:
        total = float(counts.matrix.sum())
        alpha0_grid = [round(total * f, 1) for f in (0.01, 0.1, 1.0, 10.0)]
    alpha_tops: dict[float, dict[str, list[str]]] = {}
    for alpha0 in alpha0_grid:
        scored = score_groups(counts, prior=prior, alpha0=float(alpha0), min_count=min_count,
                              top=top, nested=nested)
        alpha_tops[float(alpha0)] = {g: part["term"].astype(str).tolist()
                                     for g, part in scored.groupby("group", sort=True)}
    rows = _compare(alpha_tops, "alpha0", top)
    if mentions is not None:
        mentions = mentions[mentions["article_id"].astype(str).isin(set(articles["article_id"].astype(str)))]
        window_tops: dict[float, dict[str, list[str]]] = {}
        windows = list(windows)
        negative = [int(w) for w in windows if int(w) < 0]
        if negative:
            raise ValueError(f"window must be zero or more tokens, got {negative[0]}")
        # One pass at the widest window: a narrower window's associations are exactly the rows
        # with distance <= window (same labels, same order).
        widest = (actor_frames(articles, mentions, lexicon, by=by, window=max(int(w) for w in windows))
                  if windows else None)
        for window in windows:
            assert widest is not None  # windows is not empty
            associations = widest[widest["distance"] <= int(window)]
            labelled = (associations.drop_duplicates(["article_id", "entity_id", "mention_start", "term"])
                        .groupby(["group", "term"]).size().rename("n").reset_index()
                        .sort_values(["group", "n", "term"], ascending=[True, False, True],
                                     kind="mergesort"))
            window_tops[float(window)] = {g: part["term"].astype(str).head(top).tolist()
                                          for g, part in labelled.groupby("group", sort=True)}
        rows += _compare(window_tops, "window", top)
    table = pd.DataFrame(rows, columns=list(STABILITY_COLUMNS))
    return table.astype({"parameter": "string", "group": "string", "value_a": "float64",
                         "value_b": "float64", "top": "int64", "jaccard": "float64",
                         "only_a": "string", "only_b": "string"})
