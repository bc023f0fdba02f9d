"""Exact and near-duplicate detection within one outlet.

A *duplicate* is the same article of the same outlet met twice: the same page scraped twice, a
byte-identical copy under another file name, or the same story in an outlet's feed and in its
scraped pages, perhaps with different chrome and a corrected typo. Duplicates are merged: the first
record (in the deterministic input order) is kept, the others are logged with ``duplicate_of``.

The same text published by *another* outlet is not a duplicate: it is reuse, the very thing
mediaprov measures, so it is kept as a separate article (see ``mediaprov.reuse``).

Near duplicates are found with MinHash LSH (``datasketch``) over word shingles of the normalised
body, one index per outlet, and confirmed by the MinHash estimate of their Jaccard similarity.

Example:
    >>> finder = DuplicateFinder(threshold=0.8)
    >>> body = " ".join(f"word{i}" for i in range(300))
    >>> finder.add("a1", "outlet-x", body)
    (None, None)
    >>> finder.add("a2", "outlet-x", body.replace("word150", "wordX"))[0]
    'a1'
    >>> finder.add("a3", "outlet-y", body)
    (None, None)
"""

from __future__ import annotations

import hashlib
import re
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

    Args:
        threshold: minimum estimated Jaccard similarity of shingle sets for a near duplicate.
        num_perm: MinHash permutations (more: better estimates, more memory).
        shingle: words per shingle.
        seed: MinHash seed (fixed for reproducible results).
    """

    def __init__(self, *, threshold: float = 0.8, num_perm: int = 64, shingle: int = 5,
                 seed: int = 1) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self.seed = seed
        self._exact: dict[tuple[str, str], str] = {}
        self._indexes: dict[str, MinHashLSH] = {}
        self._signatures: dict[str, MinHash] = {}
        self._template = MinHash(num_perm=num_perm, seed=seed)

    def _minhash(self, text: str) -> MinHash | None:
        grams = shingles(text, size=self.shingle)
        if len(grams) < 3:
            return None
        signature = self._template.copy()
        signature.update_batch(sorted(grams))
        return signature

    def add(self, article_id: str, group: str, text: str) -> tuple[str | None, str | None]:
        """Register an article; return ``(duplicate_of, reason)`` or ``(None, None)`` if new.

        Args:
            article_id: id of the new article.
            group: the duplicate scope, normally the outlet id (unknown outlets: their folder).
            text: the clean body.

        Returns:
            The id of the earlier article this one duplicates and why ("exact duplicate" or
            "near duplicate (estimated Jaccard 0.93)"), or ``(None, None)``.

        Example: see the module docstring.
        """
        digest = hashlib.sha256(normalise_body(text).encode()).hexdigest()
        original = self._exact.get((group, digest))
        if original is not None:
            return original, "exact duplicate (same normalised text, same outlet)"
        self._exact[(group, digest)] = article_id
        signature = self._minhash(text)
        if signature is None:
            return None, None
        index = self._indexes.get(group)
        if index is None:
            index = self._indexes[group] = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        best_id, best_score = None, 0.0
        for candidate in sorted(index.query(signature)):
            score = float(signature.jaccard(self._signatures[candidate]))
            if score >= self.threshold and score > best_score:
                best_id, best_score = candidate, score
        if best_id is not None:
            del self._exact[(group, digest)]
            return best_id, f"near duplicate (estimated Jaccard {best_score:.2f}, same outlet)"
        index.insert(article_id, signature)
        self._signatures[article_id] = signature
        return None, None


def stable_id(*parts: str, length: int = 16) -> str:
    """A short, stable hex id from the given parts (same input, same id, on every machine).

    Example:
        >>> stable_id("a", "b") == stable_id("a", "b") != stable_id("a", "c")
        True
    """
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return digest[:length // 2].hex() if length <= 64 else digest.hex()

