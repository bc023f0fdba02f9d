"""The articles same-event grouping compares: their texts, entity sets and term counts.

:func:`entity_frame` gives one row per article (id, date, analysis text, title, entity ids) and
:class:`TermCounts` their unigram counts, from which :mod:`mediaprov.narratives.eventsearch`
takes TF-IDF vectors of any subset. Both are built so that a million articles fit: texts stay
Arrow strings until a chunk of them is counted (:func:`count_terms`), and entity sets come from
integer codes of the mentions, not from their strings.

Example:
    >>> frame = entity_frame(pd.DataFrame({"article_id": ["b", "a"], "published": [None, None],
    ...     "text": ["dam talks", "dam vote"]}),
    ...     pd.DataFrame({"article_id": ["a", "a"], "entity_id": ["e1", "e2"]}))
    >>> frame.article_id.tolist(), frame.entities.iloc[0] == frozenset({"e1", "e2"})
    (['a', 'b'], True)
    >>> TermCounts(frame.assign(title="")).text.toarray().tolist()
    [[1, 0, 1], [1, 1, 0]]
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize

from mediaprov.narratives.tokens import term_analyzer
from mediaprov.text import ANALYSIS_TEXT_COLUMN, analysis_texts, string_codes


def _sublinear_tfidf(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """Unit TF-IDF rows (sublinear tf, smoothed idf) of a count matrix, idf from its own rows.

    The same numbers as ``TfidfVectorizer(sublinear_tf=True)`` fitted on these documents alone:
    columns of terms absent from them stay empty.
    """
    if counts.shape[0] == 0:
        return sparse.csr_matrix(counts.shape, dtype=float)
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()


def article_frame(articles: pd.DataFrame) -> pd.DataFrame:
    """``article_id, published, text, title`` of each distinct article, sorted by id.

    Args:
        articles: articles with ``article_id``, ``published``, ``text`` (``clean_text`` is read
            when present) and optionally ``title``. Without ``text`` (texts counted already:
            :func:`counted_articles`), the frame has no ``text`` either.

    Returns:
        One row per distinct ``article_id`` (first kept), sorted by id.

    Example:
        >>> article_frame(pd.DataFrame({"article_id": ["b", "a"], "published": [None, None],
        ...                             "text": ["y", "x"]})).article_id.tolist()
        ['a', 'b']
    """
    title = articles["title"] if "title" in articles.columns else pd.Series("", index=articles.index)
    ids = articles["article_id"].astype(str).to_numpy()
    first = np.flatnonzero(~pd.Series(ids).duplicated().to_numpy())  # first of each id, once
    order = first[np.argsort(ids[first], kind="mergesort")]  # then by id: one copy of the texts
    in_order = len(order) == len(ids) and bool((order == np.arange(len(ids))).all())
    frame = pd.DataFrame({
        "article_id": ids[order],
        "published": pd.to_datetime(articles["published"], utc=True).to_numpy()[order],
    })
    if "text" in articles.columns:  # left in Arrow strings; unique and sorted by id: not copied
        text = analysis_texts(articles)
        frame["text"] = text.array if in_order else text.array.take(order)
    frame["title"] = title.astype("string").fillna("").to_numpy()[order]
    return frame


def counted_articles(articles: pd.DataFrame) -> tuple[pd.DataFrame, TermCounts]:
    """The articles without their texts, and the :class:`TermCounts` of those texts.

    For a caller that groups a large corpus by event
    (:func:`~mediaprov.narratives.events.group_same_event`'s ``counts``): the texts are
    tokenised once here, and freed once the caller lets go of ``articles``; the grouping then
    holds only the counts (at a million demo articles about 1.1 GB, against 2.1 GB of texts).

    Args:
        articles: as :func:`article_frame` (with ``text``).

    Returns:
        ``(articles without text and clean_text, counts of every distinct article)``.

    Example:
        >>> rest, counts = counted_articles(pd.DataFrame({"article_id": ["a"], "published": [None],
        ...                                               "text": ["dam talks"]}))
        >>> rest.columns.tolist(), counts.text.toarray().tolist()
        (['article_id', 'published'], [[1, 1]])
    """
    counts = TermCounts(article_frame(articles))
    texts = [column for column in ("text", ANALYSIS_TEXT_COLUMN) if column in articles.columns]
    return articles.drop(columns=texts), counts


def entity_frame(articles: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """:func:`article_frame` plus ``entities`` (frozenset, missing for articles without any).

    Args:
        articles: as :func:`article_frame`.
        mentions: the ``mentions`` table (``article_id``, ``entity_id``).

    Returns:
        The article frame with the column ``entities``.

    Example:
        >>> entity_frame(pd.DataFrame({"article_id": ["a"], "published": [None], "text": ["x"]}),
        ...              pd.DataFrame({"article_id": ["a"], "entity_id": ["e"]})).entities.tolist()
        [frozenset({'e'})]
    """
    frame = article_frame(articles)
    frame["entities"] = frame["article_id"].map(_entity_sets(mentions))
    return frame


def _entity_sets(mentions: pd.DataFrame) -> pd.Series:
    """Each article's entity ids (frozenset of str), indexed by article id.

    Built from integer codes of the two columns (pyarrow's dictionary encoding), so the tens of
    millions of mentions of a large corpus never become Python strings: only the distinct ids do.
    """
    chosen = mentions.loc[mentions["article_id"].notna() & mentions["entity_id"].notna()]
    if chosen.empty:
        return pd.Series(dtype=object)

    article, article_ids = string_codes(chosen["article_id"])
    entity, entity_ids = string_codes(chosen["entity_id"])
    pairs = np.unique(article * len(entity_ids) + entity)
    article, entity = np.divmod(pairs, len(entity_ids))
    starts = np.flatnonzero(np.r_[True, article[1:] != article[:-1]])
    ends = np.r_[starts[1:], len(article)]
    sets = [frozenset(entity_ids[entity[a:b]].tolist()) for a, b in zip(starts, ends, strict=True)]
    return pd.Series(sets, index=pd.Index(article_ids[article[starts]], dtype=object), dtype=object)


class TermCounts:
    """Unigram counts of the texts and titles of some articles, each tokenised once.

    Only the sparse counts are kept (not the token lists), so memory grows with the distinct
    terms per article. :meth:`vectors` gives the TF-IDF vectors of any subset, with the idf of
    that subset alone.

    Args:
        rows: rows with ``article_id``, ``text`` and ``title``.

    Example:
        >>> counts = TermCounts(pd.DataFrame({"article_id": ["a", "b"], "text": ["dam talks", "dam vote"],
        ...                                   "title": ["Dam", ""]}))
        >>> counts.vectors(pd.DataFrame({"article_id": ["b"], "title": [""]}), 1.0).nnz
        2
    """

    def __init__(self, rows: pd.DataFrame) -> None:
        analyse = term_analyzer(ngram_max=1)
        self.row = {a: k for k, a in enumerate(rows["article_id"])}
        self.text = count_terms(rows["text"], analyse)
        self.title = count_terms(rows["title"], analyse)

    def vectors(self, rows: pd.DataFrame, title_weight: float) -> sparse.csr_matrix:
        """Unit vectors of ``rows``: TF-IDF of the text joined by the TF-IDF of the title.

        Both parts are normalised first (idf from ``rows`` alone); the title is weighted
        ``title_weight`` and left out when that is 0 or when no row has a title.

        Args:
            rows: rows with ``article_id`` (counted here) and ``title``.
            title_weight: weight of the title part.

        Returns:
            A CSR matrix of unit rows (empty texts give zero rows), in the order of ``rows``.
        """
        at = np.array([self.row[a] for a in rows["article_id"]], dtype=np.int64)
        text = _sublinear_tfidf(self.text[at])
        if title_weight <= 0 or not rows["title"].str.len().gt(0).any():
            return text
        titles = _sublinear_tfidf(self.title[at])
        titles.data *= title_weight
        # joined row by row (CSR, no COO copy), then normalised in place
        return normalize(sparse.hstack([text, titles], format="csr"), copy=False)


_DOCUMENTS_PER_CHUNK = 20_000
"""Texts made Python strings and tokenised at once by :func:`count_terms` (bounds memory)."""


def count_terms(documents: pd.Series, analyse: Callable[[str], list[str]]) -> sparse.csr_matrix:
    """The term counts of ``documents``: ``CountVectorizer(analyzer=analyse).fit_transform``.

    The same matrix, entry for entry and in the same order within each row, but counted a chunk
    of documents at a time with the vocabulary carried across chunks, so a million texts are
    never Python strings all at once and the column ids are not one Python list (CountVectorizer
    keeps every entry's id as a Python int until the end).

    Args:
        documents: the texts (any string Series; missing values are not expected).
        analyse: the tokeniser (:func:`~mediaprov.narratives.tokens.term_analyzer`).

    Returns:
        A ``(len(documents), terms)`` CSR matrix of int32 counts (half the memory of
        CountVectorizer's int64; TF-IDF converts either to float64 alike), columns in sorted
        term order (one empty column when there is no term at all).

    Example:
        >>> count_terms(pd.Series(["b a b", "c"]), str.split).toarray().tolist()
        [[1, 2, 0], [0, 0, 1]]
    """
    vocabulary: dict[str, int] = {}  # term -> id in order of first appearance, as CountVectorizer
    ids, counts, lengths = [], [], []
    for start in range(0, len(documents), _DOCUMENTS_PER_CHUNK):
        chunk_ids, chunk_counts, chunk_lengths = array("q"), array("q"), array("q")
        for document in documents.iloc[start:start + _DOCUMENTS_PER_CHUNK].tolist():
            counter = Counter(analyse(document))  # terms in order of first appearance
            chunk_ids.extend([vocabulary.setdefault(term, len(vocabulary)) for term in counter])
            chunk_counts.extend(counter.values())
            chunk_lengths.append(len(counter))
        row = np.repeat(np.arange(len(chunk_lengths)), np.frombuffer(chunk_lengths, dtype=np.int64))
        chunk_id = np.frombuffer(chunk_ids, dtype=np.int64)
        order = np.lexsort((chunk_id, row))  # each row's entries by id (CountVectorizer's sort)
        ids.append(chunk_id[order])
        counts.append(np.frombuffer(chunk_counts, dtype=np.int64)[order])
        lengths.append(np.frombuffer(chunk_lengths, dtype=np.int64))
    if not vocabulary:
        return sparse.csr_matrix((len(documents), 1), dtype=np.int32)
    indptr = np.concatenate([[0], np.cumsum(np.concatenate(lengths))])
    dtype = np.int64 if indptr[-1] > np.iinfo(np.int32).max else np.int32
    rank = np.empty(len(vocabulary), dtype=dtype)  # ids renumbered in sorted term order
    for new, (_, old) in enumerate(sorted(vocabulary.items())):
        rank[old] = new
    return sparse.csr_matrix((np.concatenate(counts).astype(np.int32), rank[np.concatenate(ids)],
                              indptr.astype(dtype)),
                             shape=(len(documents), len(vocabulary)))
