"""Words and word shingles as 64-bit hashes, computed for a whole corpus at once in NumPy.

A *word* is a maximal run of Unicode letters and digits (``str.isalnum``); case is folded with
``str.lower`` (one character to one character). Everything else (spaces, punctuation, symbols,
emoji) separates words. Words are hashed from their code points, so the same word has the same hash
in every run, on every machine, whatever the order of the corpus: no Python ``hash()`` (salted per
process) and no vocabulary built in input order.

A *shingle* is ``k`` consecutive words of one text; its hash combines the word hashes in order.
Texts shorter than ``k`` words have no shingles and can never be found as reuse.

Texts are encoded to UTF-32 and processed as arrays of code points, so no Python string is made
per word: this is what makes candidate generation fast (see ``benchmarks/bench_reuse.py``).

Example:
    >>> words = tokenize(["Hello, World!", "hello world again"])
    >>> words.doc.tolist(), words.start.tolist(), words.end.tolist()
    ([0, 0, 1, 1, 1], [0, 7, 0, 6, 12], [5, 12, 5, 11, 17])
    >>> bool(words.hash[0] == words.hash[2])
    True
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

_U64 = np.uint64
_U32 = np.uint32
_WORD_PRIME = _U32(0x01000193)  # odd: has an inverse modulo 2**32
_SHINGLE_PRIME = _U64(0x9E3779B97F4A7C15)
_MAX_CODE_POINT = 0x110000


def mix64(values: np.ndarray) -> np.ndarray:
    """Return the SplitMix64 finaliser of ``values`` (uint64, wrapping): a fast, well-mixed hash.

    Args:
        values: an array of ``uint64``.

    Returns:
        An array of ``uint64`` of the same shape.

    Example:
        >>> mix64(np.array([1, 2], dtype=np.uint64)).dtype
        dtype('uint64')
    """
    x = np.asarray(values, dtype=_U64)
    x = (x ^ (x >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> _U64(27))) * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


@lru_cache(maxsize=1)
def _code_point_table() -> np.ndarray:
    """Return, for every code point, 0 for a non-word character or the hash of its lower case."""
    points = np.arange(_MAX_CODE_POINT, dtype=np.int64)
    is_word = np.fromiter((chr(c).isalnum() for c in range(_MAX_CODE_POINT)), dtype=bool,
                          count=_MAX_CODE_POINT)
    lowered = points.copy()
    for c in np.flatnonzero(is_word):
        low = chr(c).lower()
        if len(low) == 1:
            lowered[c] = ord(low)
    table = (mix64(lowered.astype(_U64) + _U64(1)) >> _U64(32)).astype(_U32) | _U32(1)
    table[~is_word] = 0  # a word character never hashes to 0
    return table


_POWER_CACHE: list[tuple[np.ndarray, np.ndarray]] = []


def _powers(length: int) -> tuple[np.ndarray, np.ndarray]:
    """Return ``P**i`` and ``P**-i`` (mod 2**32) for ``i < length`` (cached, grown on demand)."""
    if _POWER_CACHE and len(_POWER_CACHE[0][0]) >= length:
        power, inverse_power = _POWER_CACHE[0]
        return power[:length], inverse_power[:length]
    size = max(length, 1 << 20)
    inverse = _U32(pow(int(_WORD_PRIME), -1, 1 << 32))
    power = np.full(size, _WORD_PRIME, dtype=_U32)
    power[0] = 1
    inverse_power = np.full(size, inverse, dtype=_U32)
    inverse_power[0] = 1
    _POWER_CACHE[:] = [(np.multiply.accumulate(power, dtype=_U32),
                        np.multiply.accumulate(inverse_power, dtype=_U32))]
    return _POWER_CACHE[0][0][:length], _POWER_CACHE[0][1][:length]


@dataclass(frozen=True)
class Words:
    """The words of a batch of texts, in text order.

    Attributes:
        hash: ``uint64`` hash of each word (case-folded).
        doc: index of the text each word belongs to (``int64``), non-decreasing.
        start: character offset of the word in its text (``int64``).
        end: end offset, exclusive.

    Example:
        >>> tokenize(["two words"]).end.tolist()
        [3, 9]
    """

    hash: np.ndarray
    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray


BATCH_CHARS = 1 << 18
"""Characters tokenised per NumPy pass: small enough to stay in cache and to reuse memory."""


def batches(texts: Sequence[str | None], *,
            max_chars: int = BATCH_CHARS) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(first_index, texts)`` batches of about ``max_chars`` characters each.

    Args:
        texts: the texts (``None`` counts as empty).
        max_chars: character budget of one batch (a longer text makes a batch of its own).

    Example:
        >>> [(i, len(b)) for i, b in batches(["ab", "cd", "ef"], max_chars=6)]
        [(0, 2), (2, 1)]
    """
    batch: list[str] = []
    size = 0
    first = 0
    for index, text in enumerate(texts):
        text = "" if text is None else str(text)
        if batch and size + len(text) > max_chars:
            yield first, batch
            batch, size, first = [], 0, index
        batch.append(text)
        size += len(text) + 1
    if batch:
        yield first, batch


def tokenize(texts: Sequence[str | None]) -> Words:
    """Split texts into words and hash them, in vectorised batches.

    Args:
        texts: the texts; ``None`` counts as an empty text.

    Returns:
        The :class:`Words` of all texts, with offsets into each text (Python string indices).

    Example:
        >>> tokenize(["Ünïcode café", None, "x"]).doc.tolist()
        [0, 0, 2]
    """
    parts = [_tokenize_batch(batch, first) for first, batch in batches(texts)]
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Words(hash=np.zeros(0, dtype=_U64), doc=empty, start=empty, end=empty)
    if len(parts) == 1:
        return parts[0]
    return Words(*(np.concatenate([getattr(p, f) for p in parts])
                   for f in ("hash", "doc", "start", "end")))


def _tokenize_batch(cleaned: list[str], first: int) -> Words:
    """Tokenise one batch of texts; document indices start at ``first``."""
    table = _code_point_table()
    lengths = np.fromiter((len(t) + 1 for t in cleaned), dtype=np.int64, count=len(cleaned))
    text_start = np.zeros(len(cleaned), dtype=np.int64)
    if len(cleaned) > 1:
        np.cumsum(lengths[:-1], out=text_start[1:])
    joined = "\n".join(cleaned) + "\n"  # "\n" is not a word character: words never cross texts
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    weights = table[points]
    is_word = np.zeros(len(points) + 2, dtype=bool)
    np.not_equal(weights, 0, out=is_word[1:-1])
    edges = np.flatnonzero(is_word[1:] != is_word[:-1])
    starts, ends = edges[0::2], edges[1::2]
    power, inverse_power = _powers(len(points) + 1)
    prefix = np.zeros(len(points) + 1, dtype=_U32)
    np.cumsum(weights * power[: len(points)], dtype=_U32, out=prefix[1:])
    word_hash = mix64(((prefix[ends] - prefix[starts]) * inverse_power[starts]).astype(_U64)
                      + ((ends - starts).astype(_U64) << _U64(32)))
    doc = np.searchsorted(text_start, starts, side="right") - 1
    return Words(hash=word_hash, doc=doc + first, start=starts - text_start[doc],
                 end=ends - text_start[doc])


def shingle_hashes(word_hash: np.ndarray, word_doc: np.ndarray, *,
                   k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hash every run of ``k`` consecutive words that lies inside one text.

    Args:
        word_hash: word hashes in text order (from :func:`tokenize`).
        word_doc: the text of each word (non-decreasing).
        k: words per shingle (>= 1).

    Returns:
        ``(hashes, first_word)``: the shingle hashes and the index (into the word arrays) of each
        shingle's first word. Shingle ``i`` covers words ``first_word[i] .. first_word[i] + k - 1``.

    Raises:
        ValueError: when ``k`` is smaller than 1.

    Example:
        >>> w = tokenize(["a b c", "d e"])
        >>> shingle_hashes(w.hash, w.doc, k=2)[1].tolist()
        [0, 1, 3]
    """
    if k < 1:
        raise ValueError(f"shingle size must be at least 1 word, got k={k}")
    count = len(word_hash) - k + 1
    if count <= 0:
        return np.zeros(0, dtype=_U64), np.zeros(0, dtype=np.int64)
    combined = word_hash[:count].copy()
    for offset in range(1, k):
        combined = combined * _SHINGLE_PRIME + word_hash[offset: offset + count]
    first = np.flatnonzero(word_doc[:count] == word_doc[k - 1: k - 1 + count])
    return mix64(combined[first] + _U64(k)), first
