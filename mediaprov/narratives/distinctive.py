"""Distinctive terms: log-odds ratios with an informative Dirichlet prior (Monroe et al. 2008).

For a term w, group i and comparison j (another group, or the rest of the corpus):

    a_w     = alpha0 * p_w                      (prior pseudo-counts; p_w = prior share of w)
    delta_w = log((y_iw + a_w) / (n_i + alpha0 - y_iw - a_w))
              - log((y_jw + a_w) / (n_j + alpha0 - y_jw - a_w))
    var_w   = 1 / (y_iw + a_w) + 1 / (y_jw + a_w)
    z_w     = delta_w / sqrt(var_w)

``y`` are term counts, ``n`` the group totals, ``alpha0`` the prior strength (total pseudo-counts).
By default ``alpha0`` is the number of term occurrences compared, so with ``prior="corpus"`` the
pseudo-counts are the corpus counts themselves (the setting of Monroe et al.). A much smaller
``alpha0`` makes ``var_w`` explode for terms the other side never uses (``1 / a_w``), so the
list fills with frequent words that vary by chance; a much larger one shrinks every log-odds
towards zero. ``z`` is positive when the term is over-used by group i. Swapping the two groups
negates ``delta`` and ``z`` exactly. :func:`mediaprov.narratives.term_stability` shows how the
top terms move with ``alpha0``.

The prior shares ``p_w`` come from (``prior=``): ``"corpus"`` (all compared articles, as in
Monroe et al.), ``"rest"`` (the comparison side only: the rest of the corpus in one-vs-rest), or a
``pandas.Series`` of background counts indexed by term (see :func:`term_counts`); a term absent
from the background gets ``prior_floor`` counts (add-one smoothing by default) so no share is
zero. With ``"rest"``, a term the rest never uses has only the floor as prior: its z-score is then
driven by ``alpha0`` and the floor, which is why ``"corpus"`` is the default.

Terms come from :mod:`mediaprov.narratives.tokens` (lowercase, stopwords from
``data/reference/lexicons/stopwords.csv``, unigrams plus bigrams by default). ``count="documents"``
counts each term once per article, so one long article that repeats a word cannot dominate a
publisher's list.

Implementation checked against the descriptions in Monroe, Colaresi and Quinn (2008), Political
Analysis 16(4) 372-403, section 3.5, and the formulas of ConvoKit's FightingWords and
scattertext's LogOddsRatioInformativeDirichletPrior.

Example:
    >>> articles = pd.DataFrame({"article_id": ["1", "2"], "outlet_id": ["a", "b"],
    ...     "text": ["the grouplet grouplet met", "the movement movement met"]})
    >>> table = distinctive_terms(articles, by="outlet_id", groups=("a", "b"), min_count=1)
    >>> table[table.group == "a"].term.iloc[0]
    'grouplet'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from mediaprov.narratives.groups import group_column
from mediaprov.narratives.tokens import mask_spans, term_analyzer
from mediaprov.text import analysis_text

DISTINCTIVE_COLUMNS: tuple[str, ...] = (
    "group", "term", "count_group", "count_rest", "log_odds", "z", "rank",
)
"""Columns of :func:`distinctive_terms` output."""


@dataclass(frozen=True)
class GroupCounts:
    """Term counts per group: ``matrix[g, t]`` counts term ``terms[t]`` in group ``groups[g]``."""

    groups: list[str]
    terms: np.ndarray
    matrix: np.ndarray


def _texts(articles: pd.DataFrame, mask: pd.DataFrame | None = None) -> list[str]:
    if "text" not in articles.columns:
        raise KeyError("articles has no 'text' column; pass the articles table (mediaprov.schema.ARTICLES)")
    texts = analysis_text(articles).astype("string").fillna("").tolist()  # clean_text if any
    if mask is None or mask.empty:
        return texts
    spans: dict[str, list[tuple[int, int]]] = {}
    for article_id, start, end in zip(mask["article_id"].astype(str), mask["start"], mask["end"], strict=True):
        spans.setdefault(article_id, []).append((int(start), int(end)))
    ids = articles["article_id"].astype(str).tolist()
    return [mask_spans(text, spans[i]) if i in spans else text for i, text in zip(ids, texts, strict=True)]


def _document_terms(texts: Sequence[str], *, ngram_max: int, count: str,
                    stopwords: frozenset[str] | None) -> tuple[sparse.csr_matrix, np.ndarray]:
    if count not in ("tokens", "documents"):
        raise ValueError(f"count must be 'tokens' or 'documents', got {count!r}")
    vectorizer = CountVectorizer(analyzer=term_analyzer(ngram_max=ngram_max, stopwords=stopwords),
                                 binary=count == "documents")
    try:
        matrix = vectorizer.fit_transform(list(texts))
    except ValueError:  # empty vocabulary
        return sparse.csr_matrix((len(texts), 0)), np.array([], dtype=object)
    return matrix.tocsr(), vectorizer.get_feature_names_out()


def group_counts(articles: pd.DataFrame, *, by: str = "outlet_id", ngram_max: int = 2,
                 count: str = "tokens", mask: pd.DataFrame | None = None,
                 stopwords: frozenset[str] | None = None) -> GroupCounts:
    """Count terms per group once, for repeated scoring (:func:`score_groups`, robustness grids).

    Args:
        articles: articles with ``text`` and the column ``by``; rows with a missing group are
            left out.
        by: the grouping column.
        ngram_max: 1 unigrams, 2 adds bigrams.
        count: ``"tokens"`` (every occurrence) or ``"documents"`` (once per article).
        mask: spans to leave out (``article_id, start, end``; e.g. the ``mentions`` table, so
            that actors' names are not counted as vocabulary).
        stopwords: override the shipped stopword list.

    Returns:
        A :class:`GroupCounts` with groups sorted by name and terms sorted alphabetically.

    Example:
        >>> counts = group_counts(pd.DataFrame({"text": ["cult cult", "regime"], "g": ["x", "y"]}), by="g")
        >>> counts.matrix.tolist()
        [[2, 1, 0], [0, 0, 1]]
    """
    labels = group_column(articles, by)
    keep = labels.notna().to_numpy()
    kept = articles.loc[keep]
    labels = labels[keep].astype(str)
    documents, terms = _document_terms(_texts(kept, mask), ngram_max=ngram_max, count=count,
                                       stopwords=stopwords)
    groups = sorted(labels.unique().tolist())
    position = {g: k for k, g in enumerate(groups)}
    membership = sparse.csr_matrix(
        (np.ones(len(labels)), ([position[g] for g in labels], np.arange(len(labels)))),
        shape=(len(groups), len(labels)),
    )
    matrix = np.asarray((membership @ documents).todense()).astype(np.int64)
    return GroupCounts(groups, np.asarray(terms, dtype=object), matrix)


def term_counts(articles: pd.DataFrame, *, ngram_max: int = 2, count: str = "tokens",
                mask: pd.DataFrame | None = None,
                stopwords: frozenset[str] | None = None) -> pd.Series:
    """Total term counts of a set of articles: the background for an informative prior.

    Example:
        >>> term_counts(pd.DataFrame({"text": ["cult cult regime"]}), ngram_max=1).to_dict()
        {'cult': 2, 'regime': 1}
    """
    documents, terms = _document_terms(_texts(articles, mask), ngram_max=ngram_max, count=count,
                                       stopwords=stopwords)
    totals = np.asarray(documents.sum(axis=0)).ravel().astype(np.int64)
    return pd.Series(totals, index=pd.Index(terms, name="term"), name="count")


def log_odds_dirichlet(counts_i: np.ndarray, counts_j: np.ndarray, prior: np.ndarray, *,
                       alpha0: float) -> tuple[np.ndarray, np.ndarray]:
    """Log-odds ratio of each term between two count vectors, with its z-score.

    Args:
        counts_i: term counts of side i.
        counts_j: term counts of side j (same term order).
        prior: prior counts or shares (same order); rescaled to sum to ``alpha0``. Must be > 0.
        alpha0: prior strength, the total of the prior pseudo-counts.

    Returns:
        ``(log_odds, z)`` arrays; both change sign when ``counts_i`` and ``counts_j`` swap.

    Raises:
        ValueError: ``alpha0`` is not positive, shapes differ, or a prior entry is not positive.

    Example:
        >>> d, z = log_odds_dirichlet(np.array([5, 0]), np.array([0, 5]), np.array([1, 1]), alpha0=2)
        >>> bool(z[0] > 0 and z[1] < 0 and np.isclose(z[0], -z[1]))
        True
    """
    if alpha0 <= 0:
        raise ValueError(f"alpha0 (prior strength) must be positive, got {alpha0}")
    y_i, y_j, prior = (np.asarray(v, dtype=float) for v in (counts_i, counts_j, prior))
    if not (y_i.shape == y_j.shape == prior.shape):
        raise ValueError(f"counts and prior must have one shape, got {y_i.shape}, {y_j.shape}, {prior.shape}")
    if (prior <= 0).any():
        raise ValueError("every prior entry must be positive: add a floor to terms missing from the background")
    a = alpha0 * prior / prior.sum()
    n_i, n_j = y_i.sum(), y_j.sum()
    delta = (np.log(y_i + a) - np.log(n_i + alpha0 - y_i - a)
             - np.log(y_j + a) + np.log(n_j + alpha0 - y_j - a))
    z = delta / np.sqrt(1.0 / (y_i + a) + 1.0 / (y_j + a))
    return delta, z


def _prior_vector(prior: str | pd.Series, counts: GroupCounts, rest: np.ndarray, *,
                  prior_floor: float) -> np.ndarray:
    if isinstance(prior, pd.Series):
        background = prior.groupby(level=0).sum().reindex(counts.terms).fillna(0).to_numpy(float)
        return background + prior_floor
    if prior == "corpus":
        return counts.matrix.sum(axis=0).astype(float) + prior_floor
    if prior == "rest":
        return rest.astype(float) + prior_floor
    raise ValueError(f"prior must be 'corpus', 'rest' or a Series of background term counts, got {prior!r}")


def score_groups(counts: GroupCounts, *, groups: Sequence[str] | None = None,
                 prior: str | pd.Series = "corpus", alpha0: float | None = None, min_count: int = 3,
                 top: int | None = None, prior_floor: float = 1.0,
                 nested: bool = False) -> pd.DataFrame:
    """Score precomputed :class:`GroupCounts`; see :func:`distinctive_terms` for the arguments.

    Example:
        >>> counts = group_counts(pd.DataFrame({"text": ["cult cult", "regime"], "g": ["x", "y"]}), by="g")
        >>> score_groups(counts, min_count=1).groupby("group").size().tolist()
        [3, 3]
    """
    known = counts.groups
    chosen = list(known) if groups is None else [str(g) for g in groups]
    unknown = [g for g in chosen if g not in known]
    if unknown:
        raise KeyError(f"groups {unknown} have no articles; groups present: {known}")
    if len(chosen) < 2:
        raise ValueError(f"need at least two groups to compare, got {chosen}")
    rows = [known.index(g) for g in chosen]
    matrix = counts.matrix[rows]
    subset = GroupCounts(chosen, counts.terms, matrix)
    total = matrix.sum(axis=0)
    frequent = total >= min_count
    strength = float(total.sum()) if alpha0 is None else float(alpha0)
    if strength <= 0:
        raise ValueError(f"no terms to compare in groups {chosen} (alpha0 would be {strength})")
    tables = []
    for k, group in enumerate(chosen):
        own = matrix[k]
        rest = matrix[1 - k] if len(chosen) == 2 else total - own
        prior_counts = _prior_vector(prior, subset, rest, prior_floor=prior_floor)
        delta, z = log_odds_dirichlet(own, rest, prior_counts, alpha0=strength)
        table = pd.DataFrame({"group": group, "term": counts.terms, "count_group": own,
                              "count_rest": rest, "log_odds": delta, "z": z})[frequent]
        table = table.sort_values(["z", "term"], ascending=[False, True], kind="mergesort")
        table["rank"] = np.arange(1, len(table) + 1)
        if nested:
            table = collapse_nested(table)
        tables.append(table.head(top) if top is not None else table)
    if not tables or not any(len(t) for t in tables):
        return _empty()
    out = pd.concat(tables, ignore_index=True)
    out = out.astype({"group": "string", "term": "string", "count_group": "int64",
                      "count_rest": "int64", "log_odds": "float64", "z": "float64", "rank": "int64"})
    return out.sort_values(["group", "rank"], kind="mergesort").reset_index(drop=True)


def collapse_nested(table: pd.DataFrame, *, share: float = 0.8) -> pd.DataFrame:
    """Drop terms that occur mostly inside a longer term of the same group's list.

    ``terrorist`` and ``grouplet`` are dropped when at least ``share`` of their occurrences in the
    group are inside ``terrorist grouplet``; the longer term stays and stands for them. Ranks are
    renumbered. Use it for readable top lists; the full table keeps every term.

    Args:
        table: output of :func:`distinctive_terms` (one or more groups).
        share: smallest fraction of a term's group count that the longer term must cover.

    Returns:
        The table without the nested terms, ranks renumbered within each group.

    Example:
        >>> t = pd.DataFrame({"group": ["a"] * 3, "term": ["terrorist grouplet", "terrorist", "cult"],
        ...     "count_group": [9, 10, 4], "count_rest": [0, 1, 0], "log_odds": [2.0, 1.5, 1.0],
        ...     "z": [3.0, 2.5, 2.0], "rank": [1, 2, 3]})
        >>> collapse_nested(t).term.tolist()
        ['terrorist grouplet', 'cult']
    """
    parts = []
    for _, part in table.groupby("group", sort=True):
        counts = dict(zip(part["term"].astype(str), part["count_group"], strict=True))
        nested: set[str] = set()
        for term, count in counts.items():
            words = term.split()
            for n in range(1, len(words)):
                for i in range(len(words) - n + 1):
                    inner = " ".join(words[i:i + n])
                    if inner in counts and count >= share * counts[inner]:
                        nested.add(inner)
        part = part[~part["term"].astype(str).isin(nested)].sort_values("rank", kind="mergesort").copy()
        part["rank"] = np.arange(1, len(part) + 1)
        parts.append(part)
    if not parts:
        return table.copy()
    return pd.concat(parts, ignore_index=True).astype(table.dtypes.to_dict())


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"group": pd.Series(dtype="string"), "term": pd.Series(dtype="string"),
                         "count_group": pd.Series(dtype="int64"), "count_rest": pd.Series(dtype="int64"),
                         "log_odds": pd.Series(dtype="float64"), "z": pd.Series(dtype="float64"),
                         "rank": pd.Series(dtype="int64")})


def distinctive_terms(articles: pd.DataFrame, *, by: str = "outlet_id",
                      groups: Sequence[str] | None = None, prior: str | pd.Series = "corpus",
                      alpha0: float | None = None, ngram_max: int = 2, count: str = "tokens",
                      min_count: int = 3, top: int | None = None, prior_floor: float = 1.0,
                      nested: bool = False, mask: pd.DataFrame | None = None,
                      stopwords: frozenset[str] | None = None) -> pd.DataFrame:
    """Terms each group uses more than the others, with log-odds ratios and z-scores.

    Args:
        articles: articles with ``text`` and the column ``by`` (add ``camp`` with
            :func:`mediaprov.narratives.attach_groups`).
        by: the grouping column: ``outlet_id`` (publishers) or ``camp``.
        groups: ``None`` compares every group with the rest of the corpus (one-vs-rest); two
            names ``(a, b)`` compare a with b only (``count_rest`` is then the other group's count);
            three or more compare each of them with the others listed.
        prior: ``"corpus"``, ``"rest"`` or a Series of background counts (module docstring).
        alpha0: prior strength (total pseudo-counts); ``None`` uses the number of term
            occurrences in the compared groups. See :func:`term_stability` for its effect.
        ngram_max: 1 unigrams only, 2 adds bigrams.
        count: ``"tokens"`` or ``"documents"`` (once per article).
        min_count: leave out terms seen fewer times in all compared groups together.
        top: keep only the first ``top`` terms of each group.
        prior_floor: counts added to every term of the prior before normalising.
        nested: drop terms that occur mostly inside a longer listed term (:func:`collapse_nested`),
            before ``top`` is applied; for readable lists (the full table is then per group).
        mask: spans left out of the counts (e.g. ``mentions``: compare words, not names).
        stopwords: override the shipped stopword list.

    Returns:
        Tidy table ``group, term, count_group, count_rest, log_odds, z, rank``, one row per group
        and term, rank 1 = highest z in the group, sorted by group then rank.

    Raises:
        KeyError: ``by`` or ``text`` is missing, or a requested group has no articles.
        ValueError: fewer than two groups, or a bad ``prior``/``count``/``alpha0``.

    Example: see the module docstring.
    """
    counts = group_counts(articles, by=by, ngram_max=ngram_max, count=count, mask=mask,
                          stopwords=stopwords)
    return score_groups(counts, groups=groups, prior=prior, alpha0=alpha0, min_count=min_count,
                        top=top, prior_floor=prior_floor, nested=nested)
