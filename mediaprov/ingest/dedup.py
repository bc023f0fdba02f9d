"""Exact and near-duplicate detection within one outlet.

A *duplicate* is the same article of the same outlet met twice: the same page scraped twice, a
byte-identical copy under another file name, or the same story in an outlet's feed and in its
scraped pages, perhaps with different chrome and a corrected typo. When both records carry
publication dates more than ``max_days_apart`` apart, they are two publications of one text (an
outlet re-running a press release a week later) and both are kept. Duplicates are merged: the first
record (in the deterministic input order) is kept, the others are logged with ``duplicate_of``.

The same text published by *another* outlet is not a duplicate: it is reuse, the very thing
mediaprov measures, so it is kept as a separate article (see ``mediaprov.reuse``).

Near duplicates are found with MinHash LSH (``datasketch``) over word shingles of the normalised
body and confirmed by the MinHash estimate of their Jaccard similarity.

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
import re
from datetime import date, datetime
from datasketch import MinHash, MinHashLSH

from mediaprov.ingest.outlets import normalise_name

_TOKEN = re.compile(r"\w+", re.UNICODE)


def normalise_body(text: str) -> str:
    """Lowercase, fold typography and collapse white space: what "same text" means here.

    Example:
        >>> normalise_body("It’s  here.\\n\\nNow")
        "it's here. now"
    """
    return normalise_name(text)


def shingles(text: str, *, size: int = 5) -> set[bytes]:
    """Return the set of word ``size``-grams of the normalised text, as UTF-8 bytes.

    Example:
        >>> len(shingles("a b c d e f", size=5))
        2
    """
    tokens = _TOKEN.findall(normalise_body(text))
    if len(tokens) < size:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i:i + size]).encode() for i in range(len(tokens) - size + 1)}


class DuplicateFinder:
    """Remembers the articles seen so far and tells whether a new one duplicates one of them.

    Two records are the same article when their outlets agree (two records with no known outlet
    count as agreeing; a record with no known outlet never merges into a known outlet's article,
    since a copy whose publisher is unknown may be reuse by another outlet), their texts are the
    same or nearly so, and their publication dates, when both are known, are at most
    ``max_days_apart`` apart.

    Args:
        threshold: minimum estimated Jaccard similarity of shingle sets for a near duplicate.
        num_perm: MinHash permutations (more: better estimates, more memory).
        shingle: words per shingle.
        seed: MinHash seed (fixed for reproducible results).
        max_days_apart: records whose publication dates differ by more than this are never
            merged (both dates must be known).
    """

    def __init__(self, *, threshold: float = 0.8, num_perm: int = 64, shingle: int = 5,
                 seed: int = 1, max_days_apart: int = 1) -> None:
        self.threshold = threshold
        self.max_days_apart = max_days_apart
        self.shingle = shingle
        # LSH bands tuned for recall (10 bands of 6 rows at 64 permutations: a pair at Jaccard
        # 0.8 becomes a candidate with probability 0.95, at 0.9 with 0.999); every candidate is
        # then confirmed by its estimated Jaccard, so the extra candidates cost little.
        self._index = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.05, 0.95))
        self._template = MinHash(num_perm=num_perm, seed=seed)
        self._exact: dict[str, list[str]] = {}
        self._signatures: dict[str, MinHash] = {}
        self._group: dict[str, str | None] = {}
        self._published: dict[str, date | None] = {}

    def _minhash(self, text: str) -> MinHash | None:
        grams = shingles(text, size=self.shingle)
        if len(grams) < 3:
            return None
        signature = self._template.copy()
        signature.update_batch(sorted(grams))
        return signature

    def _compatible(self, candidate: str, group: str | None, day: date | None) -> bool:
        if self._group[candidate] != group:
            return False
        other_day = self._published[candidate]
        return day is None or other_day is None or abs((day - other_day).days) <= self.max_days_apart

    def add(self, article_id: str, group: str | None, text: str, *,
            published: date | datetime | None = None) -> tuple[str | None, str | None]:
        """Register an article; return ``(duplicate_of, reason)`` or ``(None, None)`` if new.

        Args:
            article_id: id of the new article.
            group: the duplicate scope: the outlet id, or ``None`` when the outlet is unknown.
            text: the clean body.
            published: the publication date, when known.

        Returns:
            The id of the earlier article this one duplicates and why ("exact duplicate" or
            "near duplicate (estimated Jaccard 0.93)"), or ``(None, None)``.

        Example: see the module docstring.
        """
        day = published.date() if isinstance(published, datetime) else published
        digest = hashlib.sha256(normalise_body(text).encode()).hexdigest()
        for original in self._exact.get(digest, []):
            if self._compatible(original, group, day):
                return original, "exact duplicate (same normalised text, same outlet)"
        signature = self._minhash(text)
        best_id, best_score = None, 0.0
        if signature is not None:
            for candidate in sorted(self._index.query(signature)):
                if not self._compatible(candidate, group, day):
                    continue
                score = float(signature.jaccard(self._signatures[candidate]))
                if score >= self.threshold and score > best_score:
                    best_id, best_score = candidate, score
        if best_id is not None:
            return best_id, f"near duplicate (estimated Jaccard {best_score:.2f}, same outlet)"
        if signature is not None:
            self._index.insert(article_id, signature)
            self._signatures[article_id] = signature
        self._exact.setdefault(digest, []).append(article_id)
        self._group[article_id] = group
        self._published[article_id] = day
        return None, None


def stable_id(*parts: str, length: int = 16) -> str:
    """A short, stable hex id from the given parts (same input, same id, on every machine).

    Example:
        >>> stable_id("a", "b") == stable_id("a", "b") != stable_id("a", "c")
        True
    """
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return digest[:length // 2].hex() if length <= 64 else digest.hex()

