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
from array import array
from datetime import date, datetime

import numpy as np
import pandas as pd

from mediaprov.ingest.outlets import normalise_name

_EMPTY = np.iinfo(np.uint64).max


def _mixers(count: int) -> np.ndarray:
    """``count`` odd 64-bit constants, splitmix64 of 1, 2, ...: the multipliers of a band's rows.

    A band's rows are summed times these, modulo 2**64, into its bucket key.

    Example:
        >>> _mixers(2).dtype, bool((_mixers(9) % 2 == 1).all()), len(set(_mixers(64).tolist()))
        (dtype('uint64'), True, 64)
    """
    with np.errstate(over="ignore"):
        z = np.arange(1, count + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return (z ^ (z >> np.uint64(31))) | np.uint64(1)


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

    What it remembers of each article is compact, since an ingest of a million articles holds it
    all: an index, not the id, in each bucket (a bucket of one holds the index itself, not a
    list); one row of a growing array per signature; the outlet and day as numbers. A band's
    bucket key is one 64-bit number made from its rows (:func:`_mixers`); two bands that are not
    equal share a key about once in 2**64, and then the pair is only one more candidate, whose
    estimated Jaccard still decides.

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
        if max_bucket < 1:
            raise ValueError(f"max_bucket must be at least 1, got {max_bucket}")
        self.max_bucket = max_bucket
        self.capped_buckets = 0
        # Bands tuned for recall (at 64 permutations: 10 bands of 6 rows, a pair at Jaccard 0.8
        # is a candidate with probability 0.95, at 0.9 with 0.999); every candidate is confirmed
        # by its estimated Jaccard, so extra candidates cost little.
        self.bands, self.rows = lsh_params(threshold, num_perm)
        self._mix = _mixers(self.rows)
        self._buckets: list[dict[int, int | list[int]]] = [{} for _ in range(self.bands)]
        self._exact: dict[tuple[str, int], int | list[int]] = {}
        self._ids: list[str] = []
        self._group_codes: dict[str | None, int] = {}
        self._groups = array("l")
        self._days = array("l")  # date ordinals; 0: no date
        self._signatures = np.zeros((0, num_perm), dtype=np.uint64)

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

    def _compatible(self, candidate: int, group: int, day: int) -> bool:
        if self._groups[candidate] != group:
            return False
        other_day = self._days[candidate]
        return not day or not other_day or abs(day - other_day) <= self.max_days_apart

    def add(self, article_id: str, group: str | None, text: str, *,
            published: date | datetime | None = None,
            signature: np.ndarray | None = None,
            exact_key: str | None = None) -> tuple[str | None, str | None]:
        """Register an article; return ``(duplicate_of, reason)`` or ``(None, None)`` if new.

        Args:
            article_id: id of the new article.
            group: the duplicate scope: the outlet id, or ``None`` when the outlet is unknown.
            text: the clean body.
            published: the publication date, when known (a date, datetime or pandas Timestamp;
                None, NaT and NaN count as unknown).
            signature: the text's MinHash signature (from :meth:`signatures`); computed when
                not given.
            exact_key: the text's :func:`text_exact_key`; computed when not given.

        Returns:
            The id of the earlier article this one duplicates and why ("exact duplicate" or
            "near duplicate (estimated Jaccard 0.93)"), or ``(None, None)``.

        Example: see the module docstring.
        """
        day = _ordinal(published)
        code = self._group_codes.setdefault(group, len(self._group_codes))
        digest = exact_key if exact_key is not None else text_exact_key(text)
        exact = (digest, code)
        for original in _members(self._exact.get(exact)):
            if self._compatible(original, code, day):
                return self._ids[original], "exact duplicate (same normalised text, same outlet)"
        if signature is None:
            signature = self.signatures([text])[0]
        usable = bool((signature != _EMPTY).any())
        keys: list[int] = ((signature[:self.bands * self.rows].reshape(self.bands, self.rows) * self._mix)
                           .sum(axis=1, dtype=np.uint64).tolist() if usable else [])
        candidates: set[int] = set()
        for bucket, key in zip(self._buckets, keys, strict=False):  # no keys: no bucket
            members = bucket.get(key)
            if members is not None:
                candidates.update(_members(members))
        compatible = sorted((c for c in candidates if self._compatible(c, code, day)),
                            key=self._ids.__getitem__)  # by id: of equal scores, the smallest id wins
        best, best_score = -1, 0.0
        if compatible:
            scores = (self._signatures[compatible] == signature).mean(axis=1)
            for candidate, score in zip(compatible, scores.tolist(), strict=True):
                if score >= self.threshold and score > best_score:
                    best, best_score = candidate, score
        if best >= 0:
            return self._ids[best], f"near duplicate (estimated Jaccard {best_score:.2f}, same outlet)"
        index = len(self._ids)
        if keys:
            self._register(index, keys)
        if usable:
            if index >= len(self._signatures):
                grown = np.zeros((max(1024, 2 * len(self._signatures), index + 1), self.num_perm),
                                 dtype=np.uint64)
                grown[:len(self._signatures)] = self._signatures
                self._signatures = grown
            self._signatures[index] = signature
        members = self._exact.get(exact)
        if members is None:
            self._exact[exact] = index
        elif isinstance(members, int):
            self._exact[exact] = [members, index]
        else:
            members.append(index)
        self._ids.append(article_id)
        self._groups.append(code)
        self._days.append(day)
        return None, None


    def _register(self, index: int, keys: list[int]) -> None:
        """Put article ``index`` in the bucket of each band key, unless the bucket is full."""
        for bucket, key in zip(self._buckets, keys, strict=True):
            members = bucket.get(key)
            if members is None:
                bucket[key] = index
                self.capped_buckets += self.max_bucket == 1
            elif isinstance(members, int):
                if self.max_bucket > 1:
                    bucket[key] = [members, index]
                    self.capped_buckets += self.max_bucket == 2
            elif len(members) < self.max_bucket:
                members.append(index)
                self.capped_buckets += len(members) == self.max_bucket


def _ordinal(published: object) -> int:
    """The day of a publication date as an ordinal; 0 when there is none (None, NaT, NaN)."""
    if published is None or bool(pd.isna(published)):
        return 0
    day = published if isinstance(published, date) else pd.Timestamp(published)  # np.datetime64...
    return (day.date() if isinstance(day, datetime) else day).toordinal()


def _members(members: int | list[int] | None) -> list[int]:
    """The indices a bucket holds (one index is held alone, not in a list)."""
    if members is None:
        return []
    return [members] if isinstance(members, int) else members


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

