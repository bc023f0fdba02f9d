"""Candidate pairs of texts by MinHash LSH over word shingles, vectorised in NumPy.

Signatures use *one-permutation hashing* (Li, Owen and Zhang 2012): each shingle hash is hashed
once (SplitMix64 with the seed); its top bits pick one of ``num_perm`` bins and the rest is its
value; a text's signature keeps the minimum value per bin. Empty bins are filled by *rotation
densification* (Shrivastava and Li 2014): an empty bin borrows the value of the next non-empty bin
to its right (circularly), re-hashed with the distance, so two texts agree on a bin with
probability equal to the Jaccard similarity of their shingle sets, as with ``num_perm`` separate
permutations but at the cost of one hash per shingle instead of ``num_perm``.

LSH: the signature is cut into ``bands`` bands of ``rows`` rows; texts whose band hashes are equal
in at least one band are candidates. :func:`lsh_params` chooses ``(bands, rows)`` for a Jaccard
threshold. A band takes its rows *strided* across the signature (band ``b`` reads positions
``b, b + bands, b + 2 * bands, ...``), not side by side: densification copies one bin into the
empty bins to its left, so neighbouring positions of a short text are not independent, and bands
of neighbours made pairs of short texts candidates far more often than their Jaccard says (on
10,000 demo articles: 0.90M candidates, 0.24% verified, against 48k strided). A bucket (texts
sharing one band hash) larger than ``max_bucket`` pairs each text with its next ``max_bucket - 1``
neighbours only, and says so in the log. Candidates are verified with the exact Jaccard of the
shingle sets afterwards (:func:`shingle_sets`, :func:`jaccard_pairs`, vectorised).

Example:
    >>> texts = ["one two three four five six seven eight nine ten"] * 2 + ["other words here"]
    >>> candidate_pairs(texts, k=3, threshold=0.5).tolist()
    [[0, 1]]
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from mediaprov.arrays import sorted_unique
from mediaprov.reuse.tokens import batches, mix64, shingle_hashes, tokenize

_U64 = np.uint64
_EMPTY = np.iinfo(np.uint64).max
_LOG = logging.getLogger(__name__)


def lsh_params(threshold: float, num_perm: int, *, max_miss: float = 0.01) -> tuple[int, int]:
    """Choose LSH ``(bands, rows)`` for a Jaccard ``threshold``: few false candidates, few misses.

    The probability that a pair of Jaccard ``s`` becomes a candidate is
    ``1 - (1 - s**rows)**bands``. Among the ``(bands, rows)`` with ``bands * rows <= num_perm``
    whose miss probability averaged over ``s`` in ``[threshold, 1]`` is at most ``max_miss`` and
    whose miss probability at ``s = threshold`` is at most 0.1, this returns the one with the most
    rows (the fewest false candidates); with none, the one with the fewest misses.

    Args:
        threshold: Jaccard similarity above which pairs must be found, in ``(0, 1)``.
        num_perm: signature length.
        max_miss: tolerated average miss probability above the threshold.

    Returns:
        ``(bands, rows)``.

    Raises:
        ValueError: when ``threshold`` is not in ``(0, 1)``.

    Example:
        >>> lsh_params(0.5, 128)
        (42, 3)
    """
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be between 0 and 1 (exclusive), got {threshold}")
    grid = np.linspace(threshold, 1.0, 201)
    best: tuple[float, int, int] | None = None
    fallback: tuple[float, int, int] | None = None
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        miss = (1.0 - grid**rows) ** bands
        mean_miss = float(np.trapezoid(miss, grid) / (1.0 - threshold))
        if fallback is None or mean_miss < fallback[0]:
            fallback = (mean_miss, bands, rows)
        if mean_miss <= max_miss and miss[0] <= 0.1:
            best = (mean_miss, bands, rows)
    chosen = best or fallback
    assert chosen is not None
    return chosen[1], chosen[2]


def signatures_from_shingles(shingles: np.ndarray, doc: np.ndarray, n_docs: int, *,
                             num_perm: int = 256, seed: int = 0) -> np.ndarray:
    """Return densified one-permutation MinHash signatures, one row per document.

    Args:
        shingles: shingle hashes (``uint64``), any order.
        doc: document index (``0 .. n_docs - 1``) of each shingle.
        n_docs: number of documents (rows).
        num_perm: signature length, a power of two.
        seed: changes every hash; same seed, same signatures.

    Returns:
        ``(n_docs, num_perm)`` ``uint64`` array; rows of documents without shingles are all
        ``2**64 - 1``.

    Raises:
        ValueError: when ``num_perm`` is not a power of two >= 2.

    Example:
        >>> s = np.array([1, 2, 3], dtype=np.uint64)
        >>> signatures_from_shingles(s, np.array([0, 0, 1]), 2, num_perm=8).shape
        (2, 8)
    """
    if num_perm < 2 or num_perm & (num_perm - 1):
        raise ValueError(f"num_perm must be a power of two >= 2, got {num_perm}")
    bits = num_perm.bit_length() - 1
    hashed = mix64(shingles ^ mix64(np.array([seed + 0x51ED], dtype=_U64))[0])
    bins = (hashed >> _U64(64 - bits)).astype(np.int64)
    values = hashed & _U64((1 << (64 - bits)) - 1)
    flat = np.full(n_docs * num_perm, _EMPTY, dtype=_U64)
    np.minimum.at(flat, np.asarray(doc, dtype=np.int64) * num_perm + bins, values)
    return _densify(flat.reshape(n_docs, num_perm))


def _densify(signature: np.ndarray) -> np.ndarray:
    """Fill empty bins from the next non-empty bin to the right, re-hashed with the distance."""
    n_docs, width = signature.shape
    empty = signature == _EMPTY
    if not empty.any():
        return signature
    doubled = np.concatenate([signature, signature], axis=1)
    column = np.where(np.concatenate([~empty, ~empty], axis=1),
                      np.arange(2 * width), 2 * width)
    nearest = np.minimum.accumulate(column[:, ::-1], axis=1)[:, ::-1][:, :width]
    has_any = nearest[:, 0] < 2 * width
    rows = np.nonzero(empty & has_any[:, None])
    source = nearest[rows]
    distance = (source - rows[1]).astype(_U64)
    out = signature.copy()
    out[rows] = mix64(doubled[rows[0], source] + distance * _U64(0x9E3779B97F4A7C15))
    return out


def signatures(texts: Sequence[str | None], *, k: int = 5, num_perm: int = 256,
               seed: int = 0) -> np.ndarray:
    r"""Return MinHash signatures of texts (word ``k``-shingles), computed in cache-sized batches.

    Args:
        texts: the texts.
        k: words per shingle.
        num_perm: signature length (power of two).
        seed: hash seed.

    Returns:
        ``(len(texts), num_perm)`` ``uint64`` array (see :func:`signatures_from_shingles`).

    Example:
        >>> same = signatures(["a b c d e f"], k=2, num_perm=8).tolist()[0]
        >>> signatures(["a b c d e f", "a b c d e f"], k=2, num_perm=8).tolist()[0] == same
        True
    """
    out = np.full((len(texts), num_perm), _EMPTY, dtype=_U64)
    for first, batch in batches(texts):
        words = tokenize(batch)
        hashes, first_word = shingle_hashes(words.hash, words.doc, k=k)
        out[first: first + len(batch)] = signatures_from_shingles(
            hashes, words.doc[first_word], len(batch), num_perm=num_perm, seed=seed)
    return out


def lsh_pairs(signature: np.ndarray, *, bands: int, rows: int,
              max_bucket: int | None = None) -> np.ndarray:
    """Return the document pairs that agree on all rows of at least one band.

    Band ``b`` reads the signature positions ``b, b + bands, ..., b + (rows - 1) * bands``
    (strided; see the module docstring).

    Args:
        signature: ``(n_docs, num_perm)`` signatures; rows that are all empty are skipped.
        bands: number of bands.
        rows: rows per band (``bands * rows <= num_perm``).
        max_bucket: in a bucket (documents with one band hash) larger than this, each document
            is paired with its next ``max_bucket - 1`` documents only (in index order), so one
            huge bucket cannot make a quadratic number of candidates; each capped bucket is
            counted in an INFO log line. ``None``: no cap.

    Returns:
        ``(n_pairs, 2)`` ``int64`` array of ``(i, j)`` with ``i < j``, sorted, without repeats.

    Raises:
        ValueError: when the bands do not fit in the signature or ``max_bucket`` is below 2.

    Example:
        >>> sig = np.array([[1, 2], [1, 3], [4, 2]], dtype=np.uint64)
        >>> lsh_pairs(sig, bands=2, rows=1).tolist()
        [[0, 1], [0, 2]]
    """
    return bucket_pairs(band_keys(signature, bands=bands, rows=rows), max_bucket=max_bucket)


def band_keys(signature: np.ndarray, *, bands: int, rows: int) -> np.ndarray:
    """Return one 64-bit hash per document and band: its bucket in that band.

    Args:
        signature: ``(n_docs, num_perm)`` signatures.
        bands: number of bands.
        rows: rows per band (``bands * rows <= num_perm``), strided (see the module docstring).

    Returns:
        ``(n_docs, bands)`` ``uint64`` keys; 0 for documents without shingles (never a bucket).

    Raises:
        ValueError: when the bands do not fit in the signature.

    Example:
        >>> sig = np.array([[1, 2], [1, 3]], dtype=np.uint64)
        >>> keys = band_keys(sig, bands=2, rows=1)
        >>> bool(keys[0, 0] == keys[1, 0]), bool(keys[0, 1] == keys[1, 1])
        (True, False)
    """
    n_docs, width = signature.shape
    if bands * rows > width or bands < 1 or rows < 1:
        raise ValueError(f"{bands} bands of {rows} rows do not fit a signature of {width}")
    keys = np.empty((n_docs, bands), dtype=_U64)
    for band in range(bands):
        key = np.full(n_docs, _U64(band + 1), dtype=_U64)
        for column in range(band, band + rows * bands, bands):
            key = mix64(key * _U64(0x9E3779B97F4A7C15) + signature[:, column])
        keys[:, band] = key | _U64(1)
    keys[signature[:, 0] == _EMPTY] = 0
    return keys


def bucket_pairs(keys: np.ndarray, *, max_bucket: int | None = None) -> np.ndarray:
    """Return the document pairs that share a bucket in at least one band.

    Args:
        keys: ``(n_docs, bands)`` bucket keys from :func:`band_keys` (0: never a bucket).
        max_bucket: see :func:`lsh_pairs`.

    Returns:
        ``(n_pairs, 2)`` ``int64`` array of ``(i, j)`` with ``i < j``, sorted, without repeats.

    Raises:
        ValueError: when ``max_bucket`` is below 2.

    Example:
        >>> bucket_pairs(np.array([[3, 5], [3, 7], [0, 5]], dtype=np.uint64)).tolist()
        [[0, 1]]
    """
    pairs, capped, capped_docs = bucket_pairs_counted(keys, max_bucket=max_bucket)
    log_capped_buckets(capped, capped_docs, max_bucket)
    return pairs


def bucket_pairs_counted(keys: np.ndarray, *, max_bucket: int | None = None
                         ) -> tuple[np.ndarray, int, int]:
    """:func:`bucket_pairs` without logging: the pairs and how many buckets were capped.

    Bands are independent, so the pairs of all bands are the union of the pairs of slices of
    bands: a partitioned run calls this per slice of columns, joins the pairs with
    :func:`union_pairs` and logs the summed counts once (:func:`log_capped_buckets`).

    Args:
        keys: ``(n_docs, bands)`` bucket keys (any slice of bands).
        max_bucket: see :func:`lsh_pairs`.

    Returns:
        ``(pairs, capped, capped_docs)``: the pairs as :func:`bucket_pairs` returns them, the
        number of (band, bucket)s over ``max_bucket`` and the documents in them.

    Raises:
        ValueError: when ``max_bucket`` is below 2.

    Example:
        >>> keys = np.array([[3, 5], [3, 5], [3, 5]], dtype=np.uint64)
        >>> pairs, capped, docs = bucket_pairs_counted(keys, max_bucket=2)
        >>> pairs.tolist(), capped, docs
        ([[0, 1], [1, 2]], 2, 6)
    """
    if max_bucket is not None and max_bucket < 2:
        raise ValueError(f"max_bucket must be at least 2 (got {max_bucket})")
    n_docs, bands = keys.shape
    live = np.flatnonzero(keys[:, 0] != 0) if bands else np.zeros(0, dtype=np.int64)
    found: list[np.ndarray] = []
    capped, capped_docs = 0, 0
    for band in range(bands):
        key = np.ascontiguousarray(keys[live, band])
        colliding = np.flatnonzero(pd.Series(key, copy=False).duplicated(keep=False).to_numpy())
        if len(colliding) == 0:
            continue
        order = colliding[np.lexsort((live[colliding], key[colliding]))]
        ordered = key[order]
        pairs, n_capped, n_capped_docs = _pairs_in_runs(live[order], ordered[1:] == ordered[:-1],
                                                        max_run=max_bucket)
        found.append(pairs)
        capped, capped_docs = capped + n_capped, capped_docs + n_capped_docs
    return union_pairs(found, n_docs), capped, capped_docs


def band_slices(keys: np.ndarray, *, cuts: list[int]) -> list[np.ndarray]:
    """A partition's band keys cut into slices of bands at ``cuts``: the send side of the shuffle.

    Example:
        >>> [piece.tolist() for piece in band_slices(np.array([[1, 2, 3]], np.uint64), cuts=[2])]
        [[[1, 2]], [[3]]]
    """
    return [np.ascontiguousarray(piece) for piece in np.split(keys, cuts, axis=1)]


def bucket_band_slice(pieces: list[np.ndarray], *, docs: list[np.ndarray], n_docs: int,
                      max_bucket: int | None = None) -> tuple[np.ndarray, int, int]:
    """:func:`bucket_pairs_counted` of one slice of bands, from every partition's piece of it.

    The receive side of the shuffle on band keys: the pieces (:func:`band_slices`) are put back
    in article order, then bucketed. ``pieces`` is emptied as they are placed, so each is freed
    once copied (in-process the caller holds no other reference to them).

    Args:
        pieces: each partition's keys of this slice of bands, rows in the partition's order.
        docs: the article index of each partition's rows.
        n_docs: articles in the corpus.
        max_bucket: see :func:`lsh_pairs`.

    Returns:
        What :func:`bucket_pairs_counted` returns for the slice's keys of all articles.

    Example:
        >>> pieces = [np.array([[7]], np.uint64), np.array([[7], [5]], np.uint64)]
        >>> pairs, _, _ = bucket_band_slice(pieces, docs=[np.array([1]), np.array([2, 0])],
        ...                                 n_docs=3)
        >>> pairs.tolist()
        [[1, 2]]
    """
    width = pieces[0].shape[1] if pieces else 0
    keys = np.zeros((n_docs, width), dtype=np.uint64)
    for rows in reversed(docs):
        keys[rows] = pieces.pop()
    return bucket_pairs_counted(keys, max_bucket=max_bucket)


def union_pairs(parts: list[np.ndarray], n_docs: int) -> np.ndarray:
    """The sorted distinct pairs of several ``(n, 2)`` arrays of pairs ``i < j < n_docs``.

    Example:
        >>> union_pairs([np.array([[1, 2], [0, 1]]), np.array([[0, 1]])], 3).tolist()
        [[0, 1], [1, 2]]
    """
    if not parts:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(parts).astype(np.int64, copy=False)
    codes = sorted_unique(pairs[:, 0] * np.int64(max(n_docs, 1)) + pairs[:, 1])
    return np.stack([codes // n_docs, codes % n_docs], axis=1)


def log_capped_buckets(capped: int, capped_docs: int, max_bucket: int | None) -> None:
    """Log the LSH buckets that :func:`bucket_pairs_counted` capped (nothing when none were).

    Example:
        >>> log_capped_buckets(0, 0, 1000)
    """
    if capped:
        _LOG.info("LSH: %d buckets held more than %d documents (%d documents in all); each "
                  "document there was paired with its next %d only", capped, max_bucket,
                  capped_docs, (max_bucket or 0) - 1)


def _pairs_in_runs(ids: np.ndarray, same: np.ndarray, *,
                   max_run: int | None = None) -> tuple[np.ndarray, int, int]:
    """All pairs within each run of equal keys (``same[i]``: item ``i + 1`` equals item ``i``).

    In a run longer than ``max_run`` each item pairs with its next ``max_run - 1`` items only.
    Returns the pairs, the number of runs so capped and the items in them.
    """
    flags = np.zeros(len(same) + 2, dtype=bool)
    flags[1:-1] = same
    edges = np.flatnonzero(flags[1:] != flags[:-1])
    starts, stops = edges[0::2], edges[1::2] + 1  # runs of equal keys: [start, stop)
    run_of = np.repeat(np.arange(len(starts)), stops - starts - 1)
    left = _ranges(starts, stops - 1)
    partners = stops[run_of] - left - 1  # later items in the same run
    n_capped = n_capped_docs = 0
    if max_run is not None:
        partners = np.minimum(partners, max_run - 1)
        long_runs = (stops - starts) > max_run
        n_capped, n_capped_docs = int(long_runs.sum()), int((stops - starts)[long_runs].sum())
    first = np.repeat(left, partners)
    step = np.arange(len(first)) - np.repeat(np.cumsum(partners) - partners, partners)
    pairs = np.stack([ids[first], ids[first + 1 + step]], axis=1)
    return np.sort(pairs, axis=1), n_capped, n_capped_docs


def _ranges(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(start, stop)`` for all runs, vectorised."""
    sizes = stops - starts
    return np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))


def candidate_pairs(texts: Sequence[str | None], *, k: int = 5, threshold: float = 0.15,
                    num_perm: int = 256, seed: int = 0) -> np.ndarray:
    """Return candidate pairs of texts likely to have word-shingle Jaccard >= ``threshold``.

    Args:
        texts: the texts.
        k: words per shingle.
        threshold: Jaccard threshold the LSH is tuned for (:func:`lsh_params`).
        num_perm: signature length (power of two).
        seed: hash seed.

    Returns:
        ``(n_pairs, 2)`` array of text indices ``(i, j)``, ``i < j``, sorted.

    Example: see the module docstring.
    """
    bands, rows = lsh_params(threshold, num_perm)
    return lsh_pairs(signatures(texts, k=k, num_perm=num_perm, seed=seed), bands=bands, rows=rows)


def jaccard(left: np.ndarray, right: np.ndarray) -> float:
    """Return the Jaccard similarity of two sets given as sorted unique arrays.

    Args:
        left: first set (sorted, unique).
        right: second set (sorted, unique).

    Returns:
        ``|left & right| / |left | right|``; 0 when both are empty.

    Example:
        >>> jaccard(np.array([1, 2, 3]), np.array([2, 3, 4]))
        0.5
    """
    if len(left) == 0 and len(right) == 0:
        return 0.0
    shared = len(np.intersect1d(left, right, assume_unique=True))
    return shared / (len(left) + len(right) - shared)


def shingle_sets(shingles: np.ndarray, doc: np.ndarray,
                 n_docs: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Return each document's set of shingles as one row of a sparse 0/1 matrix.

    Args:
        shingles: shingle hashes (``uint64``), any order, repeats allowed.
        doc: document index (``0 .. n_docs - 1``) of each shingle.
        n_docs: number of documents (rows).

    Returns:
        ``(sets, values)``: a ``(n_docs, n_distinct_shingles)`` CSR matrix of ``int32`` ones with
        sorted indices (row sums are the set sizes, column sums the document frequencies) and
        the sorted distinct hashes, one per column.

    Example:
        >>> s = np.array([5, 5, 6, 5], dtype=np.uint64)
        >>> sets, values = shingle_sets(s, np.array([0, 0, 0, 1]), 3)
        >>> sets.toarray().tolist(), values.tolist()
        ([[1, 1], [1, 0], [0, 0]], [5, 6])
    """
    # sort-based np.unique with return_inverse (the hash-based path without it is slower here)
    values, column = np.unique(np.asarray(shingles, dtype=_U64), return_inverse=True)
    matrix = sparse.csr_matrix((np.ones(len(column), dtype=np.int32),
                                (np.asarray(doc, dtype=np.int64), column.ravel())),
                               shape=(n_docs, len(values)))
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix, values


def jaccard_pairs(sets: sparse.csr_matrix, pairs: np.ndarray, *,
                  batch: int = 100_000) -> np.ndarray:
    """Return the exact Jaccard similarity of many pairs of sets at once (vectorised).

    Args:
        sets: 0/1 rows from :func:`shingle_sets`.
        pairs: ``(n_pairs, 2)`` row indices.
        batch: pairs per sparse product (bounds the memory used).

    Returns:
        ``float64`` array, one similarity per pair, as :func:`jaccard` computes it (0 when both
        sets are empty).

    Example:
        >>> m, _ = shingle_sets(np.array([1, 2, 3, 2, 3, 4], dtype=np.uint64),
        ...                     np.array([0, 0, 0, 1, 1, 1]), 2)
        >>> jaccard_pairs(m, np.array([[0, 1]])).tolist()
        [0.5]
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    sizes = np.diff(sets.indptr).astype(np.int64)
    shared = np.zeros(len(pairs), dtype=np.int64)
    for first in range(0, len(pairs), batch):
        part = pairs[first: first + batch]
        both = sets[part[:, 0]].multiply(sets[part[:, 1]])
        shared[first: first + len(part)] = np.asarray(both.sum(axis=1)).ravel()
    union = sizes[pairs[:, 0]] + sizes[pairs[:, 1]] - shared
    return np.divide(shared, union, out=np.zeros(len(pairs), dtype=np.float64),
                     where=union > 0)
