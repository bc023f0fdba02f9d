"""Boilerplate: passages that recur across many articles of one outlet (templates, sign-offs).

passim suppresses text shared between documents of the same *series* (issues of one newspaper
repeat mastheads and advertisements) and ignores n-grams above a document-frequency cap; TextPAIR
filters common n-grams the same way. mediaprov does it per outlet, in two steps:

1. a shingle found in at least ``min_articles`` distinct articles of one outlet is a boilerplate
   *candidate* for that outlet (:func:`boilerplate_keys`);
2. inside an article, only runs of consecutive candidate shingles covering at least ``min_words``
   words are boilerplate (:func:`boilerplate_mask`). A name or stock phrase that recurs in many
   articles ("the People's Union of ...") is a short run and stays content; a sign-off line, a
   template paragraph or a newsletter blurb is a long run and goes.

Boilerplate shingles are left out of that article's MinHash signature and Jaccard set, so a
shared template never makes two articles a reuse pair; in alignment a shingle is ignored only when
it is boilerplate in both articles, so another outlet that copies an article *with* its sign-off
still shows the sign-off inside the copied passage.

Caveat: an outlet that republishes the same story in ``min_articles`` or more of its own articles
has that story's text treated as its boilerplate (the articles still pair with other outlets'
copies through shingles those outlets do not repeat). Articles without an outlet are never
searched for boilerplate.

Example:
    >>> shingles = np.array([7, 8, 7, 8, 7, 8, 9], dtype=np.uint64)
    >>> doc, outlet = np.array([0, 0, 1, 1, 2, 2, 2]), np.array([0, 0, 0])
    >>> keys = boilerplate_keys(shingles, doc, outlet, min_articles=3)
    >>> boilerplate_mask(shingles, doc, outlet[doc], keys, k=2, min_words=3).tolist()
    [True, True, True, True, True, True, False]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mediaprov.reuse.tokens import mix64

_U64 = np.uint64


def outlet_shingle_keys(shingles: np.ndarray, outlet: np.ndarray) -> np.ndarray:
    """Return a 64-bit key for each ``(outlet, shingle)``; outlet ``-1`` (unknown) gives 0.

    Args:
        shingles: shingle hashes.
        outlet: outlet code of each shingle's article.

    Returns:
        ``uint64`` keys, never 0 for a known outlet.

    Example:
        >>> outlet_shingle_keys(np.array([5], dtype=np.uint64), np.array([-1])).tolist()
        [0]
    """
    outlet = np.asarray(outlet, dtype=np.int64)
    keys = mix64(np.asarray(shingles, dtype=_U64) ^ mix64((outlet + 1).astype(_U64))) | _U64(1)
    keys[outlet < 0] = 0
    return keys


def boilerplate_keys(shingles: np.ndarray, doc: np.ndarray, doc_outlet: np.ndarray, *,
                     min_articles: int = 5) -> np.ndarray:
    """Find the ``(outlet, shingle)`` keys in ``min_articles`` or more articles of the outlet.

    Args:
        shingles: shingle hashes of all articles.
        doc: article index of each shingle.
        doc_outlet: outlet code of each article (``-1`` when unknown).
        min_articles: how many distinct articles of one outlet make a shingle boilerplate (>= 2).

    Returns:
        Sorted unique ``uint64`` keys (see :func:`outlet_shingle_keys`).

    Raises:
        ValueError: when ``min_articles`` is below 2.

    Example: see the module docstring.
    """
    return boilerplate_candidates(shingles, doc, doc_outlet, min_articles=min_articles)[0]


def boilerplate_candidates(shingles: np.ndarray, doc: np.ndarray, doc_outlet: np.ndarray, *,
                           min_articles: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """:func:`boilerplate_keys`, and which of these shingles are candidates, from one sort.

    The mask is what :func:`is_candidate` returns for the same shingles and keys, read off the
    sort that counts the keys' articles instead of a binary search per shingle.

    Args:
        shingles: shingle hashes of all articles.
        doc: article index of each shingle (non-decreasing, as
            :func:`mediaprov.reuse.tokens.shingle_hashes` returns them, saves a sort key).
        doc_outlet: outlet code of each article (``-1`` when unknown).
        min_articles: how many distinct articles of one outlet make a shingle boilerplate (>= 2).

    Returns:
        ``(keys, candidate)``: the sorted unique keys, and a boolean array over ``shingles``.

    Raises:
        ValueError: when ``min_articles`` is below 2.

    Example:
        >>> shingles = np.array([7, 8, 7, 7, 9], dtype=np.uint64)
        >>> keys, candidate = boilerplate_candidates(shingles, np.array([0, 0, 1, 2, 2]),
        ...                                          np.array([0, 0, 0]), min_articles=3)
        >>> len(keys), candidate.tolist()
        (1, [True, False, True, True, False])
    """
    if min_articles < 2:
        raise ValueError(f"min_articles must be at least 2 (got {min_articles}): a shingle in one "
                         "article is not boilerplate")
    doc = np.asarray(doc, dtype=np.int64)
    candidate = np.zeros(len(doc), dtype=bool)
    outlet = np.asarray(doc_outlet, dtype=np.int64)[doc]
    sizes = np.bincount(outlet[outlet >= 0], minlength=1)
    eligible = np.flatnonzero((outlet >= 0) & (sizes[np.maximum(outlet, 0)] >= min_articles))
    keys = outlet_shingle_keys(shingles[eligible], outlet[eligible])
    docs = doc[eligible]
    if len(keys) == 0:
        return np.zeros(0, dtype=_U64), candidate
    if bool(np.all(docs[1:] >= docs[:-1])):
        order = np.argsort(keys, kind="stable")  # articles stay in order inside each key
    else:
        order = np.lexsort((docs, keys))
    keys, docs = keys[order], docs[order]
    new_key = np.ones(len(keys), dtype=bool)
    new_key[1:] = keys[1:] != keys[:-1]
    new_article = new_key.copy()
    new_article[1:] |= docs[1:] != docs[:-1]
    key_run = np.cumsum(new_key) - 1
    articles_per_key = np.bincount(key_run, weights=new_article)
    frequent = articles_per_key >= min_articles
    candidate[eligible[order]] = frequent[key_run]
    return keys[new_key][frequent], candidate


def is_candidate(shingles: np.ndarray, outlet: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Return a mask: which shingles (of articles of the given outlets) are boilerplate candidates.

    Args:
        shingles: shingle hashes.
        outlet: outlet code of the article each shingle comes from (``-1`` when unknown).
        keys: boilerplate keys from :func:`boilerplate_keys` (any order).

    Returns:
        Boolean array, one entry per shingle.

    Example:
        >>> one = np.array([5], dtype=np.uint64)
        >>> is_candidate(one, np.array([-1]), one).tolist()
        [False]
    """
    if len(keys) == 0:
        return np.zeros(len(shingles), dtype=bool)
    own = outlet_shingle_keys(shingles, outlet)
    # a hash table of the keys: 8 times faster than a binary search per shingle into 300,000
    # keys (cache misses), and np.isin would sort every key on every call
    member = pd.Series(own, copy=False).isin(np.asarray(keys, dtype=_U64)).to_numpy()
    return member & (own != 0)


def boilerplate_mask(shingles: np.ndarray, doc: np.ndarray, outlet: np.ndarray, keys: np.ndarray,
                     *, k: int, min_words: int = 12) -> np.ndarray:
    """Return which shingles are boilerplate: long runs of candidates inside one article.

    Args:
        shingles: shingle hashes, consecutive positions of each article in order (as
            :func:`mediaprov.reuse.tokens.shingle_hashes` returns them).
        doc: article index of each shingle.
        outlet: outlet code of the article of each shingle (``-1`` when unknown).
        keys: candidate keys from :func:`boilerplate_keys`.
        k: words per shingle.
        min_words: shortest run of candidate words that counts as boilerplate.

    Returns:
        Boolean array, one entry per shingle.

    Example: see the module docstring.
    """
    return boilerplate_runs(is_candidate(shingles, outlet, keys), doc, k=k, min_words=min_words)


def boilerplate_runs(candidate: np.ndarray, doc: np.ndarray, *, k: int,
                     min_words: int = 12) -> np.ndarray:
    """Return which shingles are boilerplate: runs of candidates of ``min_words`` words or more.

    Args:
        candidate: which shingles are candidates (:func:`is_candidate`,
            :func:`boilerplate_candidates`), consecutive positions of each article in order.
        doc: article index of each shingle.
        k: words per shingle.
        min_words: shortest run of candidate words that counts as boilerplate.

    Returns:
        Boolean array, one entry per shingle.

    Example:
        >>> boilerplate_runs(np.array([True, True, False, True]), np.zeros(4, int), k=2,
        ...                  min_words=3).tolist()
        [True, True, False, False]
    """
    candidate = np.asarray(candidate, dtype=bool)
    if not candidate.any():
        return candidate
    doc = np.asarray(doc)
    # a run starts at a candidate after a non-candidate or a new article, and ends likewise;
    # runs never cross articles. No sort: every flag is read off neighbours.
    new_article = np.ones(len(candidate) + 1, dtype=bool)
    new_article[1:-1] = doc[1:] != doc[:-1]
    before = np.zeros(len(candidate) + 1, dtype=bool)  # before[i]: shingle i - 1 is a candidate
    before[1:] = candidate
    starts = np.flatnonzero(candidate & (new_article[:-1] | ~before[:-1]))
    after = np.zeros(len(candidate) + 1, dtype=bool)  # after[i]: shingle i + 1 is a candidate
    after[:-2] = candidate[1:]
    stops = np.flatnonzero(candidate & (new_article[1:] | ~after[:-1])) + 1
    long_runs = (stops - starts) + k - 1 >= min_words
    depth = np.zeros(len(candidate) + 1, dtype=np.int64)
    depth[starts[long_runs]] += 1  # starts are distinct, and so are stops
    depth[stops[long_runs]] -= 1
    return np.cumsum(depth[:-1]) > 0
