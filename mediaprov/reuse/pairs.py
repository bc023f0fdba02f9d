"""Reuse pairs: which articles share text, in which direction, credited or not, whole or partial.

The pipeline of :func:`find_reuse`:

1. Word ``shingle``-grams of every article (:mod:`mediaprov.reuse.tokens`).
2. Boilerplate removal per outlet (:mod:`mediaprov.reuse.boilerplate`).
3. Candidate pairs by MinHash LSH tuned for the Jaccard ``threshold``
   (:mod:`mediaprov.reuse.minhash`; shingles in more than ``max_shingle_articles`` articles are
   left out of the search, buckets are capped), verified with the exact Jaccard of the shingle
   sets, all candidates at once (:func:`mediaprov.reuse.minhash.jaccard_pairs`).
4. Passage alignment with offsets in both texts (:mod:`mediaprov.reuse.align`).
5. Direction by publication time, credit from ``credited_source``, whole versus partial copy.
6. Sibling pairs (two copies of one common source, which share text without either copying the
   other) are dropped unless ``keep_sibling_pairs`` (:mod:`mediaprov.reuse.sources`).

Steps 1 and 2 run per partition of whole outlets (:mod:`mediaprov.reuse.content`: boilerplate
is per outlet, so partitioning by outlet is reuse's shuffle), about 10,000 articles each even in
this process. The partitions' shingle sets stay where they were made (on a Dask worker: see
:func:`mediaprov.engine.map_partitions`'s ``keep``): their vocabularies are merged, the sets
renumbered into the corpus vocabulary, and the signatures of step 3 made on the same partitions.
The LSH buckets map over slices of bands (bands are independent: the shuffle on band keys), the
verification and alignment of candidate pairs (3-5, :func:`verify_pairs`) over slices of
candidate pairs. Every partitioned step runs through :mod:`mediaprov.engine` (in this
process by default; on Dask workers with ``engine``). Shingle frequencies look across the corpus
and are counted in the calling process. On workers, the exact Jaccard of all candidates is
computed first, where the sets are (:mod:`mediaprov.reuse.similarity`: each slice of pairs
receives the rows of the articles it touches), so that only the pairs that pass, and the
articles they touch, are sent out for alignment; the calling process never holds the sets.

Example:
    >>> body = " ".join(f"w{i}" for i in range(60))
    >>> articles = pd.DataFrame({"article_id": ["x1", "x2"], "outlet_id": ["o1", "o2"],
    ...     "published": pd.to_datetime(["2031-01-02", "2031-01-01"], utc=True),
    ...     "credited_source": [None, None], "text": ["Intro here. " + body, body]})
    >>> row = find_reuse(articles).iloc[0]
    >>> row.article_a, row.article_b, bool(row.directed), bool(row.whole_copy), float(row.lag)
    ('x2', 'x1', True, True, 1.0)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from mediaprov.arrays import sorted_unique
from mediaprov.engine import (PARTITIONS_PER_WORKER, Engine, collect, map_partitions, session,
                              workers_can_read)
from mediaprov.io import read_table, readable_path, stage_writer, write_table
from mediaprov.reuse.align import (ShingledText, align, covered_chars, passage_offsets,
                                   shingle_texts)
from mediaprov.reuse.boilerplate import boilerplate_mask
from mediaprov.reuse.content import (ContentSets, OrderedTexts, Texts, as_strings, assemble_sets,
                                     boilerplate_keys_of, content_sets, corpus_columns,
                                     merge_keys, outlet_partitions, pieces_by_index, renumbered,
                                     take_texts, text_partition)
from mediaprov.reuse.file_texts import (FileTexts, arrow_texts, content_sets_of_pieces,
                                        released, rows_in_file, target_pieces, verify_pairs_of_pieces)
from mediaprov.reuse.minhash import (band_keys, band_slices, bucket_band_slice, jaccard_pairs,
                                     log_capped_buckets, lsh_params, signatures_from_shingles,
                                     union_pairs)
from mediaprov.reuse.similarity import candidate_similarity
from mediaprov.reuse.sources import COMMON_SOURCES, common_sources, published_before
from mediaprov.schema import ARTICLES, REUSE, validate
from mediaprov.text import ANALYSIS_TEXT_COLUMN, read_analysis_articles

NEEDED_COLUMNS: tuple[str, ...] = (
    "article_id", "outlet_id", "published", "credited_source", "text")
"""Columns of the ``articles`` table that reuse detection reads."""

_READ_COLUMNS: tuple[str, ...] = (*NEEDED_COLUMNS, ANALYSIS_TEXT_COLUMN, "date_confidence")
"""Columns :func:`run_reuse` reads: detection's, the text analyses read, and the date confidence
the coordination table's copy direction weighs (:func:`mediaprov.dating.date_status`)."""

_DAY = pd.Timedelta(days=1)
_LOG = logging.getLogger(__name__)
_SIGNATURE_BATCH = 4_096  # documents whose full signatures (and densify temporaries) are in memory


def find_reuse(articles: pd.DataFrame, *, threshold: float = 0.15, shingle: int = 5,
               num_perm: int = 512, whole_copy_coverage: float = 0.8,
               boilerplate_min_articles: int | None = 5, boilerplate_min_words: int = 12,
               min_passage_words: int = 8, seed: int = 0, keep_sibling_pairs: bool = False,
               outlets: pd.DataFrame | None = None, max_shingle_articles: int | None = 100,
               max_bucket: int | None = 1000, engine: Engine | None = None,
               text_file: Path | None = None) -> pd.DataFrame:
    """Find pairs of articles that share text, with their passages.

    Args:
        articles: an ``articles`` table (at least :data:`NEEDED_COLUMNS`).
        threshold: a pair is reported when the Jaccard similarity of the two articles' shingle
            sets (boilerplate removed) is at least this.
        shingle: words per shingle (``k``); also the shortest anchor of a passage.
        num_perm: MinHash signature length (a power of two). 512 rather than 256: with
            densified one-permutation hashing, short shared passages (Jaccard 0.17-0.26) were
            missed at 256 (4 of 355 pairs on the demo corpus, 7 of 2,170 at 10,000 articles).
        whole_copy_coverage: ``whole_copy`` is True when the shared passages cover at least this
            share of the source's content (its characters under non-boilerplate shingles). For an
            undirected pair the source is the article credited by the other; without credit,
            either article counts (one article reproduces all of the other).
        boilerplate_min_articles: a shingle in at least this many articles of one outlet is a
            boilerplate candidate for that outlet; ``None`` turns boilerplate removal off.
        boilerplate_min_words: runs of candidate shingles covering at least this many words
            are boilerplate (:mod:`mediaprov.reuse.boilerplate`); shorter runs (names, stock
            phrases) stay content.
        min_passage_words: shortest passage reported, in words.
        seed: MinHash seed; same input and seed, same output (byte for byte).
        keep_sibling_pairs: keep pairs of two articles that both copied a common source
            identified by :func:`mediaprov.reuse.sources.common_sources` (they share text but
            neither copied the other). Pairs where no rule identifies the source are always
            kept. To see which pairs are siblings, pass True and call ``common_sources``.
        outlets: outlet registry (``outlet_id``, ``kind``) for the sibling rule; default
            ``data/reference/outlets.csv``.
        max_shingle_articles: shingles (boilerplate removed) found in more than this many
            articles are left out of the candidate search, as passim and TextPAIR drop frequent
            n-grams: stock phrases would make unrelated articles candidates. They still count in
            the exact Jaccard that decides a pair, so a pair found has the same similarity.
            A text copied into more articles than this is found only through what its copies
            do not all share; raise it for corpora of widely syndicated wire copy. ``None``:
            every shingle is searched.
        max_bucket: LSH bucket cap (:func:`mediaprov.reuse.minhash.lsh_pairs`); capped buckets
            are logged. ``None``: no cap.
        engine: where the partitioned steps run (:class:`mediaprov.engine.Engine`): shingles
            and boilerplate of partitions of whole outlets, signatures of batches of articles,
            and the verification of
            slices of candidate pairs (:func:`verify_pairs`: exact Jaccard, then passage
            alignment of the pairs that pass), in this process or on Dask workers; same table
            either way. Default :meth:`mediaprov.engine.Engine.resolve` (in-process unless
            ``MEDIAPROV_SCHEDULER`` is set).
        text_file: the ``articles.parquet`` that ``articles`` was read from (the same ids, in
            any order): the texts are read from it and ``articles`` needs no ``text`` column. On a cluster whose
            workers can open it (a local one, or one on a shared file system) the workers read
            them (:mod:`mediaprov.reuse.file_texts`) and this process never holds them.

    Returns:
        A ``reuse`` table (:data:`mediaprov.schema.REUSE`), sorted by ``article_a``,
        ``article_b``. ``article_a`` is the earlier article; when a date is missing or both dates
        are equal, ``directed`` is False and ``article_a`` is the smaller ``article_id``. A date
        without a time of day (midnight) is compared by calendar day
        (:func:`mediaprov.reuse.sources.published_before`), and the lag is then in whole days.
        ``similarity`` is the exact Jaccard of the shingle sets (text from
        :func:`mediaprov.text.analysis_text`); ``lag`` is in days (missing when
        a date is missing); ``credited`` is True when ``article_b`` credits ``article_a``'s outlet
        (for undirected pairs, when either credits the other); ``shared_chars`` counts characters
        of ``article_a`` inside passages.

    Raises:
        ValueError: when a needed column is missing, ``article_id`` repeats, or a parameter is
            out of range.

    Example: see the module docstring.
    """
    engine = engine if engine is not None else Engine.resolve()
    table, texts = _prepare(articles, text_file, engine=engine)
    if not 0.0 < whole_copy_coverage <= 1.0:
        raise ValueError(f"whole_copy_coverage must be in (0, 1], got {whole_copy_coverage}")
    if max_shingle_articles is not None and max_shingle_articles < 2:
        raise ValueError(f"max_shingle_articles must be at least 2 or None "
                         f"(got {max_shingle_articles})")
    n_docs = len(table)
    outlet_code = pd.factorize(table["outlet_id"], sort=True)[0].astype(np.int64)
    with session(engine):  # one local cluster for every step, when there is one
        # twice the engine's partitions: whole outlets are coarse, and the tail of the last
        # partition is idle time on the other workers at each of the steps that follow
        groups = outlet_partitions(outlet_code, max(
            len(engine.partitions(n_docs, least=_LEAST_TEXTS, per_worker=2 * PARTITIONS_PER_WORKER)),
            -(-n_docs // _CONTENT_ARTICLES)))
        # the partitions' shingle sets stay where they were made (kept on the workers), their
        # vocabularies are merged there by hash range (corpus_columns), the sets are renumbered
        # into corpus columns there and scored there (in-process: assembled into one matrix)
        content_of: Callable[..., Any] = content_sets
        parts: Iterable[Any] = (text_partition(texts, outlet_code, group)
                                for group in groups)  # cut here, each as it is sent
        if isinstance(texts, FileTexts):  # read by the workers
            content_of, parts = content_sets_of_pieces, zip(  # streamed: sent as slots free
                released(target_pieces(texts, groups, engine=engine)),
                (outlet_code[g] for g in groups), strict=True)
        content = map_partitions(
            content_of, parts, engine=engine, keep=True,
            shared={"k": shingle, "boilerplate_min_articles": boilerplate_min_articles,
                    "boilerplate_min_words": boilerplate_min_words})
        columns = corpus_columns(content, engine=engine, more_than=max_shingle_articles)
        if max_shingle_articles is not None:
            _LOG.info("reuse: %d of %d distinct shingles are in more than %d articles and are "
                      "left out of candidate search (kept for verification)",
                      len(columns.frequent), columns.n_values, max_shingle_articles)
        located = [(part, where) for part, where in zip(content, columns.maps, strict=True)]
        # sent before the band keys, collected while the workers make them
        kept_sets = map_partitions(renumbered, located, engine=engine, keep=True,
                                   shared={"n_values": columns.n_values})
        kept_keys = map_partitions(boilerplate_keys_of, content, engine=engine, keep=True)
        bands, rows = lsh_params(threshold, num_perm)
        # the shuffle on band keys: each partition's keys are cut into slices of bands where
        # they are made, each slice of bands gathers its pieces and buckets on its own
        cuts = [lo for lo, _ in engine.partitions(bands, least=_LEAST_BANDS)][1:]
        band_pieces = map_partitions(
            _band_keys_of, located, engine=engine, keep=True,
            shared={"frequent": columns.frequent, "num_perm": num_perm, "seed": seed,
                    "bands": bands, "rows": rows, "cuts": cuts})
        del content, located
        # in-process the sets are assembled; on workers they stay there (scored where they are)
        sets = None if engine.parallel else assemble_sets(
            collect(kept_sets, engine=engine), groups, n_docs, columns.n_values)
        if not engine.parallel:
            kept_sets = []  # assembled (a copy): not held twice while candidates are bucketed
        keys = merge_keys(collect(kept_keys, engine=engine))
        del kept_keys, columns
        by_slice = pieces_by_index(band_pieces, len(cuts) + 1, engine=engine)
        del band_pieces  # in-process: each slice's pieces are freed as they are placed
        found_by_bands = map_partitions(bucket_band_slice, by_slice, engine=engine,
                                        shared={"docs": groups, "n_docs": n_docs,
                                                "max_bucket": max_bucket})
        del by_slice
        candidates = union_pairs([pairs for pairs, _, _ in found_by_bands], n_docs) \
            if len(found_by_bands) != 1 else found_by_bands[0][0]
        log_capped_buckets(sum(part[1] for part in found_by_bands),
                           sum(part[2] for part in found_by_bands), max_bucket)
        n_candidates = len(candidates)
        if engine.parallel:
            # only the pairs that pass go to the workers for alignment: a slice of all
            # candidates touches most articles, so each carried most of the corpus's texts;
            # their exact Jaccard is computed where the sets are (a shuffle of set rows)
            similarity = candidate_similarity(candidates, kept_sets, groups, n_docs,
                                              engine=engine, least_pairs=_LEAST_PAIRS)
            passed = similarity >= threshold
            _LOG.info("reuse: %d candidate pairs, %d pass the exact Jaccard; their passages are "
                      "aligned on the workers", len(candidates), int(passed.sum()))
            candidates, similarity = candidates[passed], similarity[passed]
        else:
            similarity = None  # each partition computes its pairs' Jaccard
        del kept_sets
        slices = engine.partitions(len(candidates), least=_LEAST_PAIRS,
                                   per_worker=2 * PARTITIONS_PER_WORKER)  # pairs vary in cost
        pieces = target_pieces(
            texts, [sorted_unique(candidates[start:stop]) for start, stop in slices],
            engine=engine) if isinstance(texts, FileTexts) else None
        parts = (_pair_partition(candidates[start:stop], sets, texts, outlet_code, table,
                                 cut=engine.parallel,
                                 similarity=None if similarity is None else similarity[start:stop])
                 for start, stop in slices)  # cut as sent
        found = map_partitions(
            verify_pairs if pieces is None else verify_pairs_of_pieces,
            parts if pieces is None else zip(parts, released(pieces), strict=True), engine=engine,
            shared={"threshold": threshold, "shingle": shingle, "boilerplate": keys,
                    "boilerplate_min_words": boilerplate_min_words,
                    "whole_copy_coverage": whole_copy_coverage,
                    "min_passage_words": min_passage_words})
        records = [record for part in found for record in part]
    _LOG.info("reuse: %d candidate pairs (%d bands of %d rows), %d verified (Jaccard >= %s)",
              n_candidates, bands, rows, len(records), threshold)
    reuse = pd.DataFrame.from_records(records, columns=list(REUSE.columns)) if records \
        else REUSE.empty()
    reuse = reuse.sort_values(["article_a", "article_b"], kind="stable").reset_index(drop=True)
    if not keep_sibling_pairs and len(reuse):
        explained = common_sources(reuse, table, outlets=outlets)["explained"].to_numpy(bool)
        reuse = reuse[~explained].reset_index(drop=True)
    return validate(reuse, REUSE, where="find_reuse")


_LEAST_TEXTS = 50
"""Fewest articles in a partition of the shingling and signature steps sent to a worker."""

_CONTENT_ARTICLES = 10_000
"""Articles per partition of the shingle and boilerplate step, in-process too: its sorts then
stay the size of a 10,000-article corpus (cache-sized, and memory bounded by the partition), so
the step grows linearly with the corpus; only the merge of vocabularies is corpus-wide."""

_LEAST_BANDS = 8
"""Fewest LSH bands in a partition of the bucketing step sent to a worker."""

_LEAST_PAIRS = 20
"""Fewest candidate pairs in a partition sent to a worker (a task costs about a millisecond)."""


@dataclass
class PairPartition:
    """A slice of candidate pairs with what verifying them needs: only the articles they touch.

    Attributes:
        pairs: ``(n, 2)`` indices into the attributes below (``i < j`` in article order).
        sets: shingle sets (boilerplate removed) of the articles touched, one CSR row each
            (:func:`mediaprov.reuse.minhash.shingle_sets`); None when ``similarity`` is given.
        texts: their analysis texts (:func:`mediaprov.text.analysis_text`): a list or an Arrow
            string array (:func:`mediaprov.reuse.content.take_texts`).
        outlet_code: their outlet codes (for per-outlet boilerplate).
        article_id: their ids; ``outlet_id``, ``credited_source``, ``published`` likewise.
        similarity: the exact Jaccard of each pair when the caller computed it already (a
            cluster run: the workers score the candidates where the sets are, and only the pairs
            that pass are sent to be aligned).
    """

    pairs: np.ndarray
    sets: sparse.csr_matrix | None
    texts: Texts
    outlet_code: np.ndarray
    article_id: list
    outlet_id: list
    credited_source: list
    published: list
    similarity: np.ndarray | None = None


def _pair_partition(pairs: np.ndarray, sets: sparse.csr_matrix | None,
                    texts: Texts, outlet_code: np.ndarray,
                    table: pd.DataFrame, *, cut: bool,
                    similarity: np.ndarray | None = None) -> PairPartition:
    """Cut out the articles a slice of candidate pairs touches (indices renumbered).

    With ``cut=False`` (in-process: nothing is sent anywhere) every article, without copies.
    With ``similarity`` (the pairs' exact Jaccard, computed already) no shingle set is sent.
    """
    if not cut:
        return PairPartition(pairs, sets, texts, outlet_code, table["article_id"].tolist(),
                             table["outlet_id"].tolist(), table["credited_source"].tolist(),
                             list(table["published"]), similarity)
    if similarity is None and sets is None:
        raise ValueError("a cut pair partition needs the shingle sets or the pairs' similarity")
    docs = sorted_unique(pairs)
    return PairPartition(
        similarity=similarity,
        pairs=np.searchsorted(docs, pairs).reshape(-1, 2),
        sets=sets[docs] if sets is not None and similarity is None else None,
        texts=[] if isinstance(texts, FileTexts) else take_texts(texts, docs),  # else: pieces
        outlet_code=outlet_code[docs],
        article_id=table["article_id"].take(docs).tolist(),
        outlet_id=table["outlet_id"].take(docs).tolist(),
        credited_source=table["credited_source"].take(docs).tolist(),
        published=list(table["published"].take(docs)))


def verify_pairs(part: PairPartition, *, threshold: float, shingle: int, boilerplate: np.ndarray,
                 boilerplate_min_words: int, whole_copy_coverage: float,
                 min_passage_words: int) -> list[dict]:
    """Verify a partition of candidate pairs: exact Jaccard, then passages of those that pass.

    The partition-wise step of :func:`find_reuse`: each pair is decided on its own, so the
    records of consecutive partitions, concatenated, are those of one pass over all pairs.

    Args:
        part: the candidate pairs and the articles they touch.
        threshold: least exact Jaccard of the shingle sets.
        shingle: words per shingle.
        boilerplate: boilerplate shingle keys
            (:func:`mediaprov.reuse.boilerplate.boilerplate_keys`).
        boilerplate_min_words: see :func:`find_reuse`.
        whole_copy_coverage: see :func:`find_reuse`.
        min_passage_words: see :func:`find_reuse`.

    Returns:
        One ``reuse`` record (a dict of :data:`mediaprov.schema.REUSE` columns) per pair that
        passes, in the partition's pair order.

    Example:
        >>> body = " ".join(f"w{i}" for i in range(30))
        >>> from mediaprov.reuse.minhash import shingle_sets
        >>> same, _ = shingle_sets(np.array([1, 2, 1, 2], np.uint64), np.array([0, 0, 1, 1]), 2)
        >>> part = PairPartition(np.array([[0, 1]]), same, [body, body], np.array([0, 1]),
        ...     ["a", "b"], ["o1", "o2"], [None, None], [pd.NaT, pd.NaT])
        >>> options = dict(threshold=0.5, shingle=5, boilerplate=np.zeros(0, np.uint64),
        ...     boilerplate_min_words=12, whole_copy_coverage=0.8, min_passage_words=8)
        >>> [(r["article_a"], r["whole_copy"]) for r in verify_pairs(part, **options)]
        [('a', True)]
        >>> part.sets, _ = shingle_sets(np.array([1, 2], np.uint64), np.array([0, 1]), 2)
        >>> verify_pairs(part, **options)
        []
    """
    similarity = part.similarity
    if similarity is None:
        if part.sets is None:
            raise ValueError("a pair partition needs its shingle sets or their similarity")
        similarity = jaccard_pairs(part.sets, part.pairs)
    verified = similarity >= threshold
    prepared: dict[int, ShingledText] = {}
    used = sorted_unique(part.pairs[verified]).tolist()
    for first in range(0, len(used), _PREPARE_BATCH):
        docs = used[first: first + _PREPARE_BATCH]
        prepared.update(zip(docs, _prepared_texts(
            as_strings(take_texts(part.texts, np.array(docs, dtype=np.int64))),
            part.outlet_code[docs], boilerplate, k=shingle,
            min_words=boilerplate_min_words), strict=True))
    return [_pair_record(part, i, j, value, prepared.__getitem__,
                         whole_copy_coverage=whole_copy_coverage,
                         min_passage_words=min_passage_words)
            for (i, j), value in zip(part.pairs[verified].tolist(),
                                     similarity[verified].tolist(), strict=True)]


_PREPARE_BATCH = 2_000
"""Articles tokenised, and masked for boilerplate, in one vectorised pass of verification."""


def _prepared_texts(texts: Sequence[str], outlet_code: np.ndarray, boilerplate: np.ndarray, *,
                    k: int, min_words: int) -> list[ShingledText]:
    """Texts ready to align: shingled, their boilerplate not valid (one pass for all)."""
    prepared, shingle_doc = shingle_texts(texts, k=k)
    content = ~boilerplate_mask(np.concatenate([np.zeros(0, np.uint64)]
                                               + [text.shingles for text in prepared]),
                                shingle_doc, outlet_code[shingle_doc], boilerplate, k=k,
                                min_words=min_words)
    ends = np.cumsum([len(text.shingles) for text in prepared]).tolist()
    return [replace(text, valid=content[end - len(text.shingles): end])
            for text, end in zip(prepared, ends, strict=True)]


def _prepare(articles: pd.DataFrame, text_file: Path | None, *,
             engine: Engine) -> tuple[pd.DataFrame, Texts | FileTexts]:
    """Check the needed columns and ids; return them sorted by ``article_id``, and the texts.

    With ``text_file`` (holding the same ids, in any order) on a cluster whose workers can
    read it, the texts stay in the file (:class:`mediaprov.reuse.file_texts.FileTexts`);
    otherwise they are read here.

    The texts (:func:`mediaprov.text.analysis_text`) come as an Arrow array, in the order read
    with the permutation to id order (:class:`mediaprov.reuse.content.OrderedTexts`), and are
    left out of the table: sorting the text columns would copy the largest columns of the
    corpus. No Python string is made here: partitions are cut from the array
    (:func:`mediaprov.reuse.content.take_texts`) and converted where they are used.
    """
    needed = [c for c in NEEDED_COLUMNS if c != "text" or text_file is None]
    missing = [c for c in needed if c not in articles.columns]
    if missing:
        raise ValueError(f"articles table lacks columns {missing} needed for reuse detection; "
                         "pass the table written by `mediaprov ingest` "
                         f"(columns {list(NEEDED_COLUMNS)})")
    if articles["article_id"].isna().any():
        rows = articles.index[articles["article_id"].isna()].tolist()[:5]
        raise ValueError(f"articles table has missing article_id in rows {rows}; every article "
                         "needs an id (re-run ingestion)")
    repeated = articles["article_id"][articles["article_id"].duplicated()].unique().tolist()
    if repeated:
        raise ValueError(f"article_id repeats in the articles table: {repeated[:5]}; ids must be "
                         "unique (drop duplicate rows before reuse detection)")
    table = articles.loc[:, [c for c in NEEDED_COLUMNS if c != "text"]].reset_index(drop=True)
    table["published"] = pd.to_datetime(table["published"], utc=True)
    order = table["article_id"].argsort(kind="stable").to_numpy()
    if not np.array_equal(order, np.arange(len(order))):
        table = table.take(order).reset_index(drop=True)
    if text_file is None:
        texts, rows = arrow_texts(articles), order  # in the order of the table's rows
    else:  # matched by id: the table may be in any order
        text_file = readable_path(Path(text_file)).resolve()  # the workers may run elsewhere
        rows = rows_in_file(text_file, table["article_id"].to_numpy(object))
        if workers_can_read(text_file, engine=engine):
            return table, FileTexts(text_file, rows)
        texts = arrow_texts(read_analysis_articles(text_file, []))
    return table, texts if np.array_equal(rows, np.arange(len(rows))) else OrderedTexts(texts, rows)


def _band_keys_of(part: tuple[ContentSets, np.ndarray], *, frequent: np.ndarray, num_perm: int,
                  seed: int, bands: int, rows: int, cuts: list[int]) -> list[np.ndarray]:
    """LSH band keys of a partition's articles from their searched shingles, cut at ``cuts``.

    ``part`` is the partition's content sets and the corpus column of each value of its
    vocabulary (:func:`mediaprov.reuse.content.corpus_columns`); shingles whose corpus column
    is in ``frequent`` are not searched.

    Signatures are made :data:`_SIGNATURE_BATCH` articles at a time (each article's depends on
    its shingles alone), so memory stays bounded whatever the partition's size.
    """
    (sets, values, _), columns = part
    searched_column = ~np.isin(columns, frequent, assume_unique=True)
    searched = searched_column[sets.indices]
    searched_before = np.zeros(len(searched) + 1, dtype=np.int64)
    np.cumsum(searched, out=searched_before[1:])
    per_article = np.diff(searched_before[sets.indptr])
    found = [np.zeros((0, bands), dtype=np.uint64)]
    for first in range(0, sets.shape[0], _SIGNATURE_BATCH):
        last = min(first + _SIGNATURE_BATCH, sets.shape[0])
        lo, hi = sets.indptr[first], sets.indptr[last]
        hashes = values[sets.indices[lo:hi][searched[lo:hi]]]
        doc = np.repeat(np.arange(last - first), per_article[first:last])
        signature = signatures_from_shingles(hashes, doc, last - first, num_perm=num_perm,
                                             seed=seed)
        found.append(band_keys(signature, bands=bands, rows=rows))
    return band_slices(np.concatenate(found), cuts=cuts)


def _pair_record(table: PairPartition, i: int, j: int, similarity: float, prepared_text,
                 *, whole_copy_coverage: float, min_passage_words: int) -> dict:
    """Build one ``reuse`` row for articles ``i < j`` (indices into the sorted table)."""
    date_i, date_j = table.published[i], table.published[j]
    dated = not (pd.isna(date_i) or pd.isna(date_j))
    order = published_before(date_i, date_j) if dated else None
    directed = order is not None
    a, b = (j, i) if order is False else (i, j)
    text_a, text_b = prepared_text(a), prepared_text(b)
    spans = align(text_a, text_b, min_passage_words=min_passage_words)
    shared_a = covered_chars(spans, text_a, side="a")
    coverage = min(1.0, shared_a / max(text_a.content_chars(), 1))
    outlet_a, outlet_b = table.outlet_id[a], table.outlet_id[b]
    credit_a, credit_b = table.credited_source[a], table.credited_source[b]
    b_credits_a, a_credits_b = _same(credit_b, outlet_a), _same(credit_a, outlet_b)
    credited = b_credits_a or (not directed and a_credits_b)
    if not directed and not b_credits_a:
        # no date order: the credited article is the source; without credit, either way round
        shared_b = covered_chars(spans, text_b, side="b")
        coverage_b = min(1.0, shared_b / max(text_b.content_chars(), 1))
        coverage = coverage_b if a_credits_b else max(coverage, coverage_b)
    return {
        "article_a": table.article_id[a], "article_b": table.article_id[b],
        "similarity": round(float(similarity), 12), "directed": bool(directed),
        "credited": bool(credited), "whole_copy": bool(coverage >= whole_copy_coverage),
        "shared_chars": int(shared_a), "passages": passage_offsets(text_a, text_b, spans),
        "lag": _lag(table.published[a], table.published[b]) if dated else np.nan,
    }


def _lag(a: pd.Timestamp, b: pd.Timestamp) -> float:
    """Days from ``a`` to ``b``; whole days when either has no time of day (midnight)."""
    if a == a.normalize() or b == b.normalize():
        a, b = a.normalize(), b.normalize()
    return float((b - a) / _DAY)


def _same(left: object, right: object) -> bool:
    """True when both values are present and equal."""
    return not (pd.isna(left) or pd.isna(right)) and str(left) == str(right)


def reuse_and_sources(articles: pd.DataFrame, *, threshold: float, shingle: int,
                      engine: Engine | None = None,
                      text_file: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``reuse`` stage's two tables, in memory: pairs without siblings, and every pair's source.

    Example: ``reuse, common = reuse_and_sources(articles, threshold=0.15, shingle=5)``.
    """
    found = find_reuse(articles, threshold=threshold, shingle=shingle, keep_sibling_pairs=True,
                       engine=engine, text_file=text_file)
    common = common_sources(found, articles).reset_index(drop=True)
    return found[~common["explained"].to_numpy(bool)].reset_index(drop=True), common


@stage_writer("reuse", reads=("ingest",))
def run_reuse(dir: Path, *, threshold: float = 0.15, shingle: int = 5,
              window_days: float = 1.0, workers: int | None = None,
              scheduler: str | None = None) -> Path:
    """Read ``dir/articles.parquet``, write ``dir/reuse.parquet`` (and the coordination table).

    ``reuse.parquet`` leaves out sibling pairs (two copies of a common source). Besides it, writes
    ``dir/reuse_common_sources.parquet`` (every pair found, siblings included, with the common
    source and the evidence: :func:`mediaprov.reuse.sources.common_sources`) and
    ``dir/reuse_coordination.parquet``: outlet pairs that published the same content within
    ``window_days`` of each other (:func:`mediaprov.reuse.network.coordination`).

    Args:
        dir: a processed corpus folder holding ``articles.parquet``.
        threshold: Jaccard threshold (see :func:`find_reuse`).
        shingle: words per shingle.
        window_days: co-publication window for the coordination table, in days.
        workers: verify candidate pairs on a local Dask cluster of this many worker processes
            (:class:`mediaprov.engine.Engine`); default in this process. Not a parameter of the
            tables: they are the same either way.
        scheduler: address of a running Dask scheduler to run on instead (default the
            ``MEDIAPROV_SCHEDULER`` environment variable, if set).

    Returns:
        The path of ``reuse.parquet``.

    Raises:
        FileNotFoundError: when ``dir/articles.parquet`` is missing (run `mediaprov ingest`).

    Example:
        >>> import tempfile
        >>> from mediaprov.schema import ARTICLES
        >>> folder = Path(tempfile.mkdtemp())
        >>> table = ARTICLES.empty()
        >>> _ = write_table(table, folder / "articles.parquet", ARTICLES)
        >>> run_reuse(folder).name
        'reuse.parquet'
    """
    from mediaprov.reuse.network import COORDINATION, coordination

    folder = Path(dir)
    path = folder / "articles.parquet"
    engine = Engine.resolve(workers, scheduler)
    if engine.parallel:  # texts read from the file by the workers, or by find_reuse when they cannot
        articles = read_table(path, ARTICLES, columns=[
            c for c in _READ_COLUMNS if c not in ("text", ANALYSIS_TEXT_COLUMN)])
    else:
        articles = read_analysis_articles(path, _READ_COLUMNS)
    reuse, siblings = reuse_and_sources(articles, threshold=threshold, shingle=shingle,
                                        engine=engine, text_file=path if engine.parallel else None)
    path = write_table(reuse, folder / "reuse.parquet", REUSE)
    write_table(siblings, folder / "reuse_common_sources.parquet", COMMON_SOURCES)
    write_table(coordination(reuse, articles, window_days=window_days),
                folder / "reuse_coordination.parquet", COORDINATION)
    return path
