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
    >>> frame.article_id.tolist(), frame.entities.iloc[0]
    (['a', 'b'], ('e1', 'e2'))
    >>> TermCounts(frame.assign(title="")).text.toarray().tolist()
    [[1, 0, 1], [1, 1, 0]]
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.preprocessing import normalize

from mediaprov.arrays import sorted_unique
from mediaprov.narratives.tokens import term_analyzer
from mediaprov.text import analysis_texts, read_analysis_articles, string_codes

if TYPE_CHECKING:
    from mediaprov.engine import Engine


_ENTRIES_PER_STEP = 1 << 22
"""Entries weighted at once by :func:`_sublinear_tfidf` (bounds its gathered idf values)."""

_ROWS_PER_BLOCK = 50_000
"""Rows weighted at once by :meth:`TermCounts.vectors` (bounds the copies of a block)."""


def _smoothed_idf(frequency: np.ndarray, rows: int) -> np.ndarray:
    """Smoothed idf as ``TfidfTransformer`` fits it: log((rows + 1) / (frequency + 1)) + 1."""
    frequency = frequency.astype(np.float64)
    frequency += 1.0
    idf = np.full_like(frequency, fill_value=rows + 1, dtype=np.float64)
    idf /= frequency
    np.log(idf, out=idf)
    idf += 1.0
    return idf


def _sublinear_tfidf(counts: sparse.csr_matrix, idf: np.ndarray | None = None) -> sparse.csr_matrix:
    """Unit TF-IDF rows (sublinear tf, smoothed idf) of a count matrix, idf from its own rows.

    The same numbers, bit for bit, as ``TfidfTransformer(sublinear_tf=True).fit_transform``
    (the same operations in the same order, each row on its own but for the idf), computed in
    one float64 array: sklearn's copy and its gathered idf per entry would hold two more.
    ``counts`` is left as it was (nothing is shared with it); columns of terms absent from its
    rows stay empty. ``idf``: the idf of a larger set of rows these are a block of (default:
    from these rows).
    """
    rows, width = counts.shape
    if rows == 0:
        return sparse.csr_matrix(counts.shape, dtype=float)
    if idf is None:  # sklearn's document frequency of CSR rows: a bincount of their columns
        idf = _smoothed_idf(np.bincount(counts.indices, minlength=width), rows)
    data = counts.data.astype(np.float64)  # sublinear tf: 1 + log(count)
    np.log(data, out=data)
    data += 1.0
    for start in range(0, len(data), _ENTRIES_PER_STEP):
        stop = start + _ENTRIES_PER_STEP
        data[start:stop] *= idf[counts.indices[start:stop]]
    weighted = sparse.csr_matrix((data, counts.indices.copy(), counts.indptr.copy()), shape=counts.shape)
    return normalize(weighted, copy=False)


def article_frame(articles: pd.DataFrame) -> pd.DataFrame:
    """``article_id, published, text, title`` of each distinct article, sorted by id.

    Args:
        articles: articles with ``article_id``, ``published``, ``text`` (``clean_text`` is read
            when present) and optionally ``title``. Without ``text`` (texts counted already:
            :meth:`TermCounts.of_table`), the frame has no ``text`` either.

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


def entity_frame(articles: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """:func:`article_frame` plus ``entities`` (sorted tuple of ids, missing for articles without any).

    Args:
        articles: as :func:`article_frame`.
        mentions: the ``mentions`` table (``article_id``, ``entity_id``).

    Returns:
        The article frame with the column ``entities``: each article's distinct entity ids, sorted
        (a tuple: at a million articles, frozensets of their 17 ids on average held 1.2 GiB,
        tuples 0.2 GiB; the functions that read the column take any collection of distinct ids).

    Example:
        >>> entity_frame(pd.DataFrame({"article_id": ["a"], "published": [None], "text": ["x"]}),
        ...              pd.DataFrame({"article_id": ["a"], "entity_id": ["e"]})).entities.tolist()
        [('e',)]
    """
    frame = article_frame(articles)
    frame["entities"] = frame["article_id"].map(_entity_sets(mentions))
    return frame


def _entity_sets(mentions: pd.DataFrame) -> pd.Series:
    """Each article's distinct entity ids (sorted tuple of str), indexed by article id.

    Built from integer codes of the two columns (pyarrow's dictionary encoding), so the tens of
    millions of mentions of a large corpus never become Python strings: only the distinct ids do.
    """
    chosen = mentions.loc[mentions["article_id"].notna() & mentions["entity_id"].notna()]
    if chosen.empty:
        return pd.Series(dtype=object)

    article, article_ids = string_codes(chosen["article_id"])
    entity, entity_ids = string_codes(chosen["entity_id"])
    by_name = np.argsort(entity_ids, kind="stable")  # codes renumbered in id order
    rank = np.empty_like(by_name)
    rank[by_name] = np.arange(len(by_name))
    entity, entity_ids = rank[entity], entity_ids[by_name]
    pairs = sorted_unique(article * len(entity_ids) + entity)  # by article, then by entity id
    article, entity = np.divmod(pairs, len(entity_ids))
    starts = np.flatnonzero(np.r_[True, article[1:] != article[:-1]])
    ends = np.r_[starts[1:], len(article)].tolist()
    flat = entity_ids[entity].tolist()  # the distinct ids' strings, shared, not copied
    sets = [tuple(flat[a:b]) for a, b in zip(starts.tolist(), ends, strict=True)]
    return pd.Series(sets, index=pd.Index(article_ids[article[starts]], dtype=object), dtype=object)


ChunkCounts = tuple[np.ndarray, sparse.csr_matrix]
"""The term counts of some documents with their own vocabulary: ``(terms, counts)``, ``terms`` the
sorted distinct terms (object array), ``counts`` a CSR matrix of int32 counts whose columns are
``terms`` and whose rows hold their entries in column order (:func:`chunk_term_counts`)."""


def count_slice(bounds: tuple[int, int], *, path: Path) -> tuple[np.ndarray, ChunkCounts, ChunkCounts]:
    """Read rows ``start:stop`` of an ``articles.parquet`` and count their analysis texts and titles.

    One partition of :meth:`TermCounts.of_table` (a module-level function, so Dask workers can
    run it): the raw ``text`` is read only when a row of the slice has no ``clean_text``.

    Args:
        bounds: ``(start, stop)`` rows of the table.
        path: the ``articles.parquet`` file.

    Returns:
        ``(article ids, text counts, title counts)``, counts as :data:`ChunkCounts`.

    Example:
        >>> ids, text, title = count_slice((1, 2), path=_example_table())
        >>> ids.tolist(), text[0].tolist(), text[1].toarray().tolist()
        (['b'], ['river', 'vote'], [[1, 2]])
    """
    analyse = term_analyzer(ngram_max=1)
    part = read_analysis_articles(path, ["article_id", "title"], rows=bounds)
    return (part["article_id"].astype(str).to_numpy(dtype=object),
            chunk_term_counts(analysis_texts(part).tolist(), analyse),
            chunk_term_counts(part["title"].astype("string").fillna("").tolist(), analyse))


def _example_table() -> Path:
    """A two-article ``articles.parquet`` in a temporary folder, for the examples here."""
    import tempfile

    from mediaprov.io import write_table
    from mediaprov.schema import ARTICLES

    table = ARTICLES.empty()
    for row, values in enumerate([("a", "Dam", "Dam talks. Ad", "Dam talks.   "),
                                  ("b", None, "Vote, river vote.", None)]):
        table.loc[row, ["article_id", "title", "text", "clean_text", "raw_path", "raw_sha256"]] = [
            *values, "x", "0"]
    return write_table(table, Path(tempfile.mkdtemp()) / "articles.parquet", ARTICLES)


class TermCounts:
    """Unigram counts of the texts and titles of some articles, each tokenised once.

    Only the sparse counts are kept (not the token lists), so memory grows with the distinct
    terms per article. :meth:`vectors` gives the TF-IDF vectors of any subset, with the idf of
    that subset alone; :meth:`weighting` fits an idf on some rows and :meth:`weighted` weights
    any rows with it (a few at a time, without the vectors of all).

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

    @classmethod
    def of_table(cls, path: Path, *, engine: Engine | None = None) -> TermCounts:
        """The counts of every article of an ``articles.parquet``, read and counted a slice at a time.

        What analyses read is counted (``clean_text`` where present, else ``text``:
        :func:`~mediaprov.text.analysis_texts`) with the title; each slice of
        ``_DOCUMENTS_PER_CHUNK`` articles at most (as many slices as a cluster has workers, or a
        multiple) is read and counted apart (:func:`count_slice`), in
        this process or on Dask workers, and the slices merged (:func:`merge_term_counts`), so
        the texts are never all in memory (at a million demo articles they are 2 GB as Arrow
        strings and 7 GB of the process once read). The counts are those of
        ``TermCounts(article_frame(read_table(path)))``, entry for entry, whatever the engine;
        an article id that occurs twice is counted from its first row, as :func:`article_frame`
        keeps it (the vocabulary then also has the terms of its later rows: extra columns, and
        other column numbers, but the same vectors).

        Args:
            path: an ``articles.parquet`` file.
            engine: where the slices are counted (:class:`mediaprov.engine.Engine`; on a
                cluster, inside an open :func:`mediaprov.engine.session`). Default
                :meth:`mediaprov.engine.Engine.resolve`.

        Returns:
            The counts; rows in the order of the table.

        Example:
            >>> counts = TermCounts.of_table(_example_table())  # "Ad" is a template: not counted
            >>> counts.row, counts.text.toarray().tolist(), counts.title.toarray().tolist()
            ({'a': 0, 'b': 1}, [[1, 0, 1, 0], [0, 1, 0, 2]], [[1], [0]])
        """
        from mediaprov.engine import Engine, iter_partitions, partition_bounds
        from mediaprov.parquet import row_count

        rows = row_count(path)
        engine = engine if engine is not None else Engine.resolve()
        slices = partition_bounds(rows, engine.balanced(-(-rows // _DOCUMENTS_PER_CHUNK)))
        ids, texts, titles = [], [], []
        for slice_ids, text, title in iter_partitions(count_slice, slices, engine=engine,
                                                      shared={"path": path}):
            ids.append(slice_ids)
            texts.append(text)
            titles.append(title)
        counts = cls.__new__(cls)
        article_ids = pd.Series(np.concatenate(ids) if ids else np.empty(0, dtype=object))
        first = article_ids.drop_duplicates()  # the first row of each id, as article_frame keeps
        counts.row = dict(zip(first.tolist(), first.index.tolist(), strict=True))
        counts.text = merge_term_counts(texts, rows=rows)
        del texts  # the slices' counts, once merged
        counts.title = merge_term_counts(titles, rows=rows)
        return counts

    def vectors(self, rows: pd.DataFrame, title_weight: float) -> sparse.csr_matrix:
        """Unit vectors of ``rows``: TF-IDF of the text joined by the TF-IDF of the title.

        Both parts are normalised first (idf from ``rows`` alone); the title is weighted
        ``title_weight`` and left out when that is 0 or when no row has a title. The numbers are
        those of ``TfidfTransformer(sublinear_tf=True)`` fitted on ``rows`` and of sklearn's
        ``normalize``, bit for bit; the rows are weighted a block at a time into the one result
        (at a million demo articles the copies of weighting them at once were 4 GB). The same as
        ``weighted(rows, weighting(rows, title_weight))``.

        Args:
            rows: rows with ``article_id`` (counted here) and ``title``.
            title_weight: weight of the title part.

        Returns:
            A CSR matrix of unit rows (empty texts give zero rows), in the order of ``rows``.
        """
        return self.weighted(rows, self.weighting(rows, title_weight))

    def weighting(self, rows: pd.DataFrame, title_weight: float) -> Weighting:
        """The idf of the text (and title) fitted on ``rows``, to weight these rows or others.

        Args:
            rows: rows with ``article_id`` (counted here) and ``title``.
            title_weight: weight of the title part (left out when 0 or when no row has a title).

        Returns:
            The :class:`Weighting` for :meth:`weighted`.

        Example:
            >>> counts = TermCounts(pd.DataFrame({"article_id": ["a", "b"], "text": ["dam talks", "dam vote"],
            ...                                   "title": ["", ""]}))
            >>> both = pd.DataFrame({"article_id": ["a", "b"], "title": ["", ""]})
            >>> [idf.round(2).tolist() for idf in counts.weighting(both, 1.0).idfs]  # no title part
            [[1.0, 1.41, 1.41]]
        """
        at = self._rows_of(rows)
        parts = [self.text]
        if title_weight > 0 and rows["title"].str.len().gt(0).any():
            parts.append(self.title)
        blocks = _row_blocks(at)
        idfs = [_smoothed_idf(sum((np.bincount(part[block].indices, minlength=part.shape[1])
                                   for block in blocks), np.zeros(part.shape[1], dtype=np.int64)),
                              len(at)) for part in parts]
        return Weighting(idfs=idfs, title_weight=title_weight)

    def weighted(self, rows: pd.DataFrame, weighting: Weighting) -> sparse.csr_matrix:
        """Unit vectors of ``rows`` under a ``weighting`` fitted on these rows or on others.

        Each row's vector depends on that row and the weighting only, so the vectors of a subset
        are, bit for bit, those rows of the vectors of the whole (a caller that needs a few rows
        at a time never holds the vectors of all).

        Args:
            rows: rows with ``article_id`` (counted here).
            weighting: from :meth:`weighting`.

        Returns:
            A CSR matrix of unit rows (empty texts give zero rows), in the order of ``rows``.

        Example:
            >>> counts = TermCounts(pd.DataFrame({"article_id": ["a", "b"], "text": ["dam talks", "dam vote"],
            ...                                   "title": ["", ""]}))
            >>> both = pd.DataFrame({"article_id": ["a", "b"], "title": ["", ""]})
            >>> (counts.weighted(both.iloc[1:], counts.weighting(both, 0.0)) != counts.vectors(both, 0.0)[1]).nnz
            0
        """
        at = self._rows_of(rows)
        parts = self._parts(weighting)
        blocks = _row_blocks(at)
        indptr = np.concatenate([[0], np.cumsum(self._entries_at(at, weighting), dtype=np.int64)])
        width = weighting.width
        index_type = np.int64 if max(indptr[-1], width) > np.iinfo(np.int32).max else np.int32
        data, indices = np.empty(indptr[-1], dtype=np.float64), np.empty(indptr[-1], dtype=index_type)
        for k, block in enumerate(blocks):
            weighted = [_sublinear_tfidf(part[block], idf) for part, idf in zip(parts, weighting.idfs, strict=True)]
            if len(weighted) > 1:
                weighted[1].data *= weighting.title_weight
                # joined row by row (CSR, no COO copy), then normalised in place
                joined = normalize(sparse.hstack(weighted, format="csr"), copy=False)
            else:
                joined = weighted[0]
            start = indptr[k * _ROWS_PER_BLOCK]
            data[start:start + joined.nnz] = joined.data
            indices[start:start + joined.nnz] = joined.indices
        return sparse.csr_matrix((data, indices, indptr.astype(index_type)), shape=(len(at), width))

    def entries(self, rows: pd.DataFrame, weighting: Weighting) -> np.ndarray:
        """The number of entries (terms used) of each of ``rows``' vectors, without making them.

        Args:
            rows: rows with ``article_id`` (counted here).
            weighting: from :meth:`weighting`.

        Returns:
            ``int64`` counts, in the order of ``rows``: ``np.diff(weighted(rows, weighting).indptr)``.

        Example:
            >>> counts = TermCounts(pd.DataFrame({"article_id": ["a", "b"], "text": ["dam talks", "dam"],
            ...                                   "title": ["Dam", ""]}))
            >>> both = pd.DataFrame({"article_id": ["a", "b"], "title": ["Dam", ""]})
            >>> counts.entries(both, counts.weighting(both, 1.0)).tolist()  # text terms, then the title's
            [3, 1]
        """
        return self._entries_at(self._rows_of(rows), weighting)

    def _entries_at(self, at: np.ndarray, weighting: Weighting) -> np.ndarray:
        """:meth:`entries` of the count rows ``at``."""
        return sum((np.diff(part.indptr)[at] for part in self._parts(weighting)),
                   np.zeros(len(at), dtype=np.int64))

    def _parts(self, weighting: Weighting) -> list[sparse.csr_matrix]:
        """The counts ``weighting`` weights: the text's, then the title's when it is used."""
        return [self.text, self.title][:len(weighting.idfs)]

    def _rows_of(self, rows: pd.DataFrame) -> np.ndarray:
        """The count row of each of ``rows``' articles."""
        return np.array([self.row[a] for a in rows["article_id"]], dtype=np.int64)


def _row_blocks(at: np.ndarray) -> list[np.ndarray]:
    """``at`` cut into blocks of ``_ROWS_PER_BLOCK`` rows (weighted one block at a time)."""
    return [at[start:start + _ROWS_PER_BLOCK] for start in range(0, len(at), _ROWS_PER_BLOCK)]


@dataclass(frozen=True)
class Weighting:
    """How :meth:`TermCounts.weighted` weights counts: fitted by :meth:`TermCounts.weighting`.

    Attributes:
        idfs: the smoothed idf of the text's terms, then (when the title is used) of the title's.
        title_weight: the weight of the title part.

    Example:
        >>> Weighting(idfs=[np.ones(3), np.ones(2)], title_weight=0.5).width  # text and title terms
        5
    """

    idfs: list[np.ndarray]
    title_weight: float

    @property
    def width(self) -> int:
        """The number of columns of the vectors: the text's terms, then the title's."""
        return sum(len(idf) for idf in self.idfs)


_DOCUMENTS_PER_CHUNK = 20_000
"""Texts made Python strings and tokenised at once by :func:`count_terms` (bounds memory)."""


def count_terms(documents: pd.Series, analyse: Callable[[str], list[str]]) -> sparse.csr_matrix:
    """The term counts of ``documents``: ``CountVectorizer(analyzer=analyse).fit_transform``, indices sorted.

    The same matrix as CountVectorizer's after ``sort_indices()`` (scipy's canonical form: the
    entries of each row in column order), counted a chunk of documents at a time, each chunk with
    its own vocabulary, and the chunks merged (:func:`merge_term_counts`). A million texts are
    thus never Python strings all at once, and because each row's entries are in column order
    whatever the chunks, texts counted in any slices (a table read slice by slice, partitions on
    Dask workers) give this matrix to the last bit of every TF-IDF made from it.

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
    return merge_term_counts([chunk_term_counts(documents.iloc[start:start + _DOCUMENTS_PER_CHUNK].tolist(),
                                                analyse)
                              for start in range(0, len(documents), _DOCUMENTS_PER_CHUNK)],
                             rows=len(documents))


def chunk_term_counts(documents: list[str], analyse: Callable[[str], list[str]]) -> ChunkCounts:
    """Count the terms of some documents with their own vocabulary, to merge with other chunks.

    Args:
        documents: the texts.
        analyse: the tokeniser.

    Returns:
        :data:`ChunkCounts` of the documents.

    Example:
        >>> terms, counts = chunk_term_counts(["b a b", "c"], str.split)
        >>> terms.tolist(), counts.toarray().tolist()
        (['a', 'b', 'c'], [[1, 2, 0], [0, 0, 1]])
    """
    vocabulary: dict[str, int] = {}  # term -> id in order of first appearance
    ids, counts, lengths = array("q"), array("q"), array("q")
    for document in documents:
        counter = Counter(analyse(document))
        ids.extend([vocabulary.setdefault(term, len(vocabulary)) for term in counter])
        counts.extend(counter.values())
        lengths.append(len(counter))
    terms = np.empty(len(vocabulary), dtype=object)
    terms[:] = list(vocabulary)
    by_term = np.argsort(terms, kind="stable")
    rank = np.empty(len(terms), dtype=np.int64)  # first-appearance id -> sorted id
    rank[by_term] = np.arange(len(terms))
    column = rank[np.frombuffer(ids, dtype=np.int64)]
    length = np.frombuffer(lengths, dtype=np.int64)
    order = np.lexsort((column, np.repeat(np.arange(len(length)), length)))  # each row by column
    indptr = np.concatenate([[0], np.cumsum(length)])
    matrix = sparse.csr_matrix(
        (np.frombuffer(counts, dtype=np.int64)[order].astype(np.int32), column[order], indptr),
        shape=(len(documents), len(terms)))
    return terms[by_term], matrix


def merge_term_counts(chunks: list[ChunkCounts], rows: int) -> sparse.csr_matrix:
    """Stack the counts of chunks of documents, columns renumbered to the sorted union of their terms.

    Each chunk's terms are sorted, so a term's new column keeps the order of its row's entries:
    the result is in canonical form, whatever the chunks were.

    Args:
        chunks: :data:`ChunkCounts` in the order of their documents.
        rows: the number of documents in all (for the shape when there is no chunk).

    Returns:
        A ``(rows, terms)`` CSR matrix of int32 counts (one empty column when there is no term).

    Example:
        >>> merged = merge_term_counts([chunk_term_counts(["b a"], str.split),
        ...                             chunk_term_counts(["c b"], str.split)], rows=2)
        >>> merged.toarray().tolist()
        [[1, 1, 0], [0, 1, 1]]
    """
    vocabularies = [terms for terms, _ in chunks]
    terms = np.unique(np.concatenate(vocabularies)) if vocabularies else np.empty(0, dtype=object)
    if len(terms) == 0:
        return sparse.csr_matrix((rows, 1), dtype=np.int32)
    nnz = sum(counts.nnz for _, counts in chunks)
    dtype = np.int64 if max(nnz, len(terms)) > np.iinfo(np.int32).max else np.int32
    data = np.empty(nnz, dtype=np.int32)
    indices = np.empty(nnz, dtype=dtype)
    indptr, filled = [np.zeros(1, dtype=dtype)], 0
    for chunk_terms, counts in chunks:
        column = np.searchsorted(terms, chunk_terms).astype(dtype)
        data[filled:filled + counts.nnz] = counts.data
        indices[filled:filled + counts.nnz] = column[counts.indices]
        indptr.append(counts.indptr[1:].astype(dtype) + filled)  # widened before the offset
        filled += counts.nnz
    return sparse.csr_matrix((data, indices, np.concatenate(indptr)), shape=(rows, len(terms)))
