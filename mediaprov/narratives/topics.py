"""Topics: a deterministic NMF topic model, with topic shares per publisher and per month.

The model is scikit-learn's NMF on TF-IDF weights of the shared terms
(:mod:`mediaprov.narratives.tokens`), initialised with NNDSVD and a fixed ``seed``, fitted on the
articles in ``article_id`` order: the same articles give the same topics, byte for byte, in
whatever order they come (NMF's optimum depends on the order of the rows). An article's topic
shares are its NMF weights normalised to sum to one (an article with no known term gets no shares).

Example:
    >>> articles = pd.DataFrame({"article_id": list("abcd"), "outlet_id": list("xxyy"),
    ...     "published": pd.to_datetime(["2024-01-05"] * 4, utc=True),
    ...     "text": ["river flood dam", "flood river dam", "vote ballot poll", "poll vote ballot"]})
    >>> model = fit_topics(articles, n_topics=2, min_df=1)
    >>> sorted(model.terms.topic.unique().tolist())
    [0, 1]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

from mediaprov.text import analysis_text
from mediaprov.narratives.groups import group_column
from mediaprov.narratives.tokens import term_analyzer


@dataclass(frozen=True)
class Topics:
    """A fitted topic model.

    Attributes:
        terms: ``topic, rank, term, weight`` (top terms of each topic, rank 1 first).
        labels: ``topic, label`` (the first terms joined, for axis labels).
        shares: ``article_id, topic, share`` (each article's shares sum to 1).
    """

    terms: pd.DataFrame
    labels: pd.DataFrame
    shares: pd.DataFrame


def fit_topics(articles: pd.DataFrame, *, n_topics: int = 10, seed: int = 0, ngram_max: int = 1,
               min_df: int | float = 2, max_df: float = 0.9, max_terms: int = 20000,
               top_terms: int = 10, stopwords: frozenset[str] | None = None) -> Topics:
    """Fit an NMF topic model on the articles' texts.

    Args:
        articles: articles with ``article_id`` and ``text``.
        n_topics: number of topics.
        seed: random state of NMF (NNDSVD initialisation makes it deterministic anyway).
        ngram_max: 1 unigrams, 2 adds bigrams.
        min_df: drop terms in fewer articles (count or share).
        max_df: drop terms in more than this share of articles.
        max_terms: keep at most this many terms (the most frequent).
        top_terms: terms listed per topic.
        stopwords: override the shipped stopword list.

    Returns:
        A :class:`Topics`.

    Raises:
        ValueError: fewer articles or terms than topics (the message says which).

    Example: see the module docstring.
    """
    ids = articles["article_id"].astype(str).to_numpy()
    order = np.argsort(ids, kind="stable")  # article_id order: see the module docstring
    articles, ids = articles.iloc[order], ids[order].tolist()
    texts = analysis_text(articles).tolist()  # clean_text: page templates never make a topic
    vectorizer = TfidfVectorizer(analyzer=term_analyzer(ngram_max=ngram_max, stopwords=stopwords),
                                 min_df=min_df, max_df=max_df, max_features=max_terms,
                                 sublinear_tf=True)
    try:
        weights = vectorizer.fit_transform(texts)
    except ValueError as error:
        raise ValueError(f"no terms left for topics ({error}); lower min_df or add articles") from error
    if weights.shape[0] < n_topics or weights.shape[1] < n_topics:
        raise ValueError(f"{weights.shape[0]} articles and {weights.shape[1]} terms cannot make "
                         f"{n_topics} topics: lower n_topics or min_df")
    model = NMF(n_components=n_topics, init="nndsvd", random_state=seed, max_iter=500)
    document_topics = model.fit_transform(weights)
    vocabulary = vectorizer.get_feature_names_out()
    term_rows, label_rows = [], []
    for topic, row in enumerate(model.components_):
        order = np.lexsort((vocabulary, -row))[:top_terms]
        for rank, index in enumerate(order, start=1):
            term_rows.append((topic, rank, vocabulary[index], float(row[index])))
        label_rows.append((topic, f"{topic}: " + ", ".join(vocabulary[i] for i in order[:3])))
    totals = document_topics.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        normalised = np.where(totals > 0, document_topics / totals, np.nan)
    shares = pd.DataFrame({
        "article_id": np.repeat(ids, n_topics),
        "topic": np.tile(np.arange(n_topics), len(ids)),
        "share": normalised.ravel(),
    }).dropna(subset=["share"])
    shares = shares.sort_values(["article_id", "topic"], kind="mergesort").reset_index(drop=True)
    return Topics(
        terms=pd.DataFrame(term_rows, columns=["topic", "rank", "term", "weight"]),
        labels=pd.DataFrame(label_rows, columns=["topic", "label"]),
        shares=shares.astype({"article_id": "string", "topic": "int64", "share": "float64"}),
    )


def topic_shares(topics: Topics, articles: pd.DataFrame, *, by: str | None = "outlet_id",
                 period: str | None = "M") -> pd.DataFrame:
    """Average topic shares by group and/or time period.

    Args:
        topics: output of :func:`fit_topics`.
        articles: articles with ``article_id``, ``published`` (UTC) and the column ``by``.
        by: grouping column (``outlet_id``, ``camp``), or ``None`` for the whole corpus.
        period: pandas period alias (``"M"`` month, ``"W"`` week, ``"Y"`` year) or ``None``.
            Articles without a date are left out when a period is asked for.

    Returns:
        Columns ``group`` (when ``by``), ``period`` (when ``period``, as ``YYYY-MM`` etc.),
        ``topic``, ``share`` (mean share over the articles; the shares of one cell sum to 1) and
        ``articles`` (how many articles the mean is over), sorted.

    Example:
        >>> articles = pd.DataFrame({"article_id": list("abcd"), "outlet_id": list("xxyy"),
        ...     "published": pd.to_datetime(["2024-01-05"] * 4, utc=True),
        ...     "text": ["river flood dam", "flood river dam", "vote ballot poll", "poll vote ballot"]})
        >>> table = topic_shares(fit_topics(articles, n_topics=2, min_df=1), articles)
        >>> table.groupby("group").share.sum().round(6).tolist()
        [1.0, 1.0]
    """
    meta = pd.DataFrame({"article_id": articles["article_id"].astype(str)})
    keys: list[str] = []
    if by is not None:
        meta["group"] = group_column(articles, by).to_numpy()
        keys.append("group")
    if period is not None:
        published = pd.to_datetime(articles["published"], utc=True)
        meta["period"] = published.dt.tz_localize(None).dt.to_period(period).astype("string").to_numpy()
        keys.append("period")
    meta = meta.dropna(subset=keys).drop_duplicates("article_id")
    merged = topics.shares.astype({"article_id": str}).merge(meta, on="article_id", how="inner")
    counts = merged.groupby(keys, sort=True)["article_id"].nunique().rename("articles") if keys else None
    table = merged.groupby(keys + ["topic"], sort=True)["share"].sum().reset_index()
    if counts is not None:
        table = table.merge(counts.reset_index(), on=keys)
    else:
        table["articles"] = merged["article_id"].nunique()
    table["share"] = table["share"] / table["articles"]
    return table.sort_values(keys + ["topic"], kind="mergesort").reset_index(drop=True)
