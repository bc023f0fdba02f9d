"""Exact and near-duplicate detection within one outlet.

A *duplicate* is the same article of the same outlet met twice: the same page scraped twice, a
byte-identical copy under another file name, or the same story in an outlet's feed and in its
scraped pages, perhaps with different chrome and a corrected typo. When both records carry
publication dates more than ``max_days_apart`` apart, they are two publications of one text (an
outlet re-running a press release a week later) and both are kept. Duplicates are merged: the first
record (in the deterministic input order) is kept, the others are logged with ``duplicate_of``.

The same text published by *another* outlet is not a duplicate: it is reuse, the very thing
mediaprov measures, so it is kept as a separate article (see ``mediaprov.reuse``).

Near duplicates are found with MinHash LSH over word shingles (the vectorised signatures of
:mod:`mediaprov.reuse.minhash`) and confirmed by the signatures' estimate of their Jaccard
similarity.

Example:
    >>> finder = DuplicateFinder(threshold=0.8)
    >>> body = " ".join(f"word{i}" for i in range(300))
    >>> finder.add("a1", "outlet-x", body)
    (None, None)
    >>> finder.add("a2", "outlet-x", body.replace("word150", "wordX"))[0]
    'a1'
    >>> finder.add("a3", "outlet-y", body)
    (None, None)
    >>> import datetime as dt
    >>> finder.add("a4", "outlet-y", body, published=dt.date(2022, 1, 1))[0]
    'a3'
    >>> finder.add("a5", "outlet-z", body, published=dt.date(2022, 1, 1))
    (None, None)
    >>> finder.add("a6", "outlet-z", body, published=dt.date(2022, 3, 1))
    (None, None)
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import numpy as np

from mediaprov.ingest.outlets import normalise_name

_EMPTY = np.iinfo(np.uint64).max

class DuplicateFinder:
    """Remembers the articles seen so far and tells whether a new one duplicates one of them.

    Two records are the same article when their outlets agree (two records with no known outlet
    count as agreeing; a record with no known outlet never merges into a known outlet's article,
    since a copy whose publisher is unknown may be reuse by another outlet), their texts are the
    same or nearly so, and their publication dates, when both are known, are at most
    ``max_days_apart`` apart.

    Signatures are the NumPy MinHash of :mod:`mediaprov.reuse.minhash` (the same shingles as
    reuse detection); compute them for a batch of texts with :meth:`signatures` and pass each to
    :meth:`add`, which is much faster than one text at a time.

    Args:
        threshold: minimum estimated Jaccard similarity of shingle sets for a near duplicate.
        num_perm: MinHash signature length (a power of two).
        shingle: words per shingle.
        seed: hash seed (fixed for reproducible results).
        max_days_apart: records whose publication dates differ by more than this are never
            merged (both dates must be known).
        max_bucket: the most articles one LSH bucket holds. Thousands of short texts sharing
            one phrase fall into one bucket, and comparing each new text with all of them is
            quadratic; a full bucket takes no more members (``capped_buckets`` counts them),
            so work stays linear. Exact duplicates are still all found by hash.
    """

    def __init__(self, *, threshold: float = 0.8, num_perm: int = 64, shingle: int = 5,
                 seed: int = 1, max_days_apart: int = 1, max_bucket: int = 64) -> None:
        from mediaprov.reuse.minhash import lsh_params

        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self.seed = seed
        self.max_days_apart = max_days_apart
        self.max_bucket = max_bucket
        self.capped_buckets = 0
        # Bands tuned for recall (at 64 permutations: 10 bands of 6 rows, a pair at Jaccard 0.8
        # is a candidate with probability 0.95, at 0.9 with 0.999); every candidate is confirmed
        # by its estimated Jaccard, so extra candidates cost little.
        self.bands, self.rows = lsh_params(threshold, num_perm)
        self._buckets: list[dict[bytes, list[str]]] = [{} for _ in range(self.bands)]
        self._exact: dict[tuple[str, str | None], list[str]] = {}
        self._signatures: dict[str, np.ndarray] = {}
        self._group: dict[str, str | None] = {}
        self._published: dict[str, date | None] = {}

    def signatures(self, texts: list[str]) -> np.ndarray:
        """MinHash signatures of a batch of texts, shape ``(len(texts), num_perm)``.

        Example:
            >>> DuplicateFinder().signatures(["a b c d e f g", "x"]).shape
            (2, 64)
        """
        from mediaprov.reuse.minhash import signatures

        return signatures(texts, **self.minhash)

    @property
    def minhash(self) -> dict[str, int]:
        """The settings of :func:`mediaprov.reuse.minhash.signatures` that :meth:`signatures` uses.

        Example:
            >>> DuplicateFinder().minhash
            {'k': 5, 'num_perm': 64, 'seed': 1}
        """
        return {"k": self.shingle, "num_perm": self.num_perm, "seed": self.seed}

    def _compatible(self, candidate: str, group: str | None, day: date | None) -> bool:
        if self._group[candidate] != group:
            return False
        other_day = self._published[candidate]
        return day is None or other_day is None or abs((day - other_day).days) <= self.max_days_apart

    def add(self, article_id: str, group: str | None, text: str, *,
            published: date | datetime | None = None,
            signature: np.ndarray | None = None,
            exact_key: str | None = None) -> tuple[str | None, str | None]:
        """Register an article; return ``(duplicate_of, reason)`` or ``(None, None)`` if new.

        Args:
            article_id: id of the new article.
            group: the duplicate scope: the outlet id, or ``None`` when the outlet is unknown.
            text: the clean body.
            published: the publication date, when known.
            signature: the text's MinHash signature (from :meth:`signatures`); computed when
                not given.
            exact_key: the text's :func:`text_exact_key`; computed when not given.

        Returns:
            The id of the earlier article this one duplicates and why ("exact duplicate" or
            "near duplicate (estimated Jaccard 0.93)"), or ``(None, None)``.

        Example: see the module docstring.
        """
        day = published.date() if isinstance(published, datetime) else published
        digest = exact_key if exact_key is not None else text_exact_key(text)
        for original in self._exact.get((digest, group), []):
            if self._compatible(original, group, day):
                return original, "exact duplicate (same normalised text, same outlet)"
        if signature is None:
            signature = self.signatures([text])[0]
        usable = bool((signature != _EMPTY).any())
        keys = [signature[b * self.rows:(b + 1) * self.rows].tobytes() for b in range(self.bands)] if usable else []
        best_id, best_score = None, 0.0
        candidates = sorted({c for band, key in enumerate(keys) for c in self._buckets[band].get(key, ())})
        compatible = [c for c in candidates if self._compatible(c, group, day)]
        if compatible:
            scores = (np.stack([self._signatures[c] for c in compatible]) == signature).mean(axis=1)
            for candidate, score in zip(compatible, scores.tolist(), strict=True):
                if score >= self.threshold and score > best_score:
                    best_id, best_score = candidate, score
        if best_id is not None:
            return best_id, f"near duplicate (estimated Jaccard {best_score:.2f}, same outlet)"
        for band, key in enumerate(keys):
            bucket = self._buckets[band].setdefault(key, [])
            if len(bucket) < self.max_bucket:
                bucket.append(article_id)
                self.capped_buckets += len(bucket) == self.max_bucket
        if usable:
            self._signatures[article_id] = signature
        self._exact.setdefault((digest, group), []).append(article_id)
        self._group[article_id] = group
        self._published[article_id] = day
        return None, None


def text_exact_key(text: str) -> str:
    """The key two texts share when they are the same article word for word: a SHA-256.

    Of the text normalised by :func:`mediaprov.ingest.outlets.normalise_name` (case and spacing
    aside).

    Example:
        >>> text_exact_key("The  Pier reopened.") == text_exact_key("the pier reopened.")
        True
    """
    return hashlib.sha256(normalise_name(text).encode()).hexdigest()


def stable_id(*parts: str, length: int = 16) -> str:
    """A short, stable hex id from the given parts (same input, same id, on every machine).

    Example:
        >>> stable_id("a", "b") == stable_id("a", "b") != stable_id("a", "c")
        True
    """
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return digest[:length // 2].hex() if length <= 64 else digest.hex()

