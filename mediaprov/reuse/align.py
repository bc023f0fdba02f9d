"""Passage alignment: the shared passages of two texts, with character offsets in both.

Anchors are the word shingles the two texts share, except shingles that are boilerplate in both
texts (``valid`` False on both sides) and shingles that repeat more than ``max_repeats`` times in a
text (too common to anchor). Anchors on
the same diagonal (same offset between the texts) at consecutive positions form a run: an exact
shared stretch of words. Runs are taken longest first, skipping any run that overlaps one already
taken in either text, and runs shorter than ``min_passage_words`` words are dropped. The cost is
about linear in the length of the texts (a sort of the anchors).

A passage runs from the first character of its first word to the last character of its last word,
in both texts; for verbatim copies both slices are identical strings. Words are compared after case
folding and punctuation is not compared, so an edited copy can yield slices that differ in case,
punctuation or spacing between the words.

Example:
    >>> a = "Alpha beta gamma delta epsilon zeta eta theta iota kappa. Unrelated tail here."
    >>> b = "Some intro. Alpha beta gamma delta epsilon zeta eta theta iota kappa. Other end."
    >>> p = align_texts(a, b, shingle=3, min_passage_words=5)[0]
    >>> a[p["a_start"]:p["a_end"]] == b[p["b_start"]:p["b_end"]]
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mediaprov.reuse.tokens import shingle_hashes, tokenize


@dataclass(frozen=True)
class ShingledText:
    """One text prepared for alignment.

    Attributes:
        text: the text.
        k: words per shingle.
        word_start: character offset of each word.
        word_end: end offset of each word (exclusive).
        shingles: hash of the shingle starting at each word position ``0 .. n_words - k``.
        valid: which shingles may anchor passages (``False`` for boilerplate).

    Example:
        >>> shingle_text("a b c", k=2).valid.tolist()
        [True, True]
    """

    text: str
    k: int
    word_start: np.ndarray
    word_end: np.ndarray
    shingles: np.ndarray
    valid: np.ndarray

    def content_chars(self) -> int:
        """Return the characters covered by valid shingles (words to words), the text's content.

        Example:
            >>> shingle_text("one two three", k=2).content_chars()
            13
        """
        return _covered_chars(np.flatnonzero(self.valid), self.k, self.word_start, self.word_end)


def shingle_text(text: str, *, k: int, boilerplate: np.ndarray | None = None) -> ShingledText:
    """Tokenise one text and hash its shingles by position.

    Args:
        text: the text.
        k: words per shingle.
        boilerplate: optional mask (one entry per shingle position) of shingles to ignore.

    Returns:
        The :class:`ShingledText`.

    Example:
        >>> len(shingle_text("a b c d", k=2).shingles)
        3
    """
    words = tokenize([text])
    hashes, _ = shingle_hashes(words.hash, words.doc, k=k)
    valid = np.ones(len(hashes), dtype=bool) if boilerplate is None else ~np.asarray(boilerplate)
    return ShingledText(text=text, k=k, word_start=words.start, word_end=words.end,
                        shingles=hashes, valid=valid)


def shingle_texts(texts: Sequence[str], *, k: int) -> tuple[list[ShingledText], np.ndarray]:
    """Tokenise many texts in one vectorised pass: :func:`shingle_text` of each, all valid.

    Args:
        texts: the texts.
        k: words per shingle.

    Returns:
        ``(prepared, shingle_doc)``: one :class:`ShingledText` per text (its arrays are views
        into arrays shared by the batch), and the text index of every shingle in the order the
        texts' ``shingles`` follow each other, for a boilerplate mask of the whole batch.

    Example:
        >>> prepared, doc = shingle_texts(["a b c d", "e f"], k=2)
        >>> [len(p.shingles) for p in prepared], doc.tolist()
        ([3, 1], [0, 0, 0, 1])
        >>> bool((prepared[0].shingles == shingle_text("a b c d", k=2).shingles).all())
        True
    """
    words = tokenize(texts)
    hashes, first_word = shingle_hashes(words.hash, words.doc, k=k)
    shingle_doc = words.doc[first_word]
    edges = np.arange(len(texts) + 1)
    word_bounds = np.searchsorted(words.doc, edges).tolist()
    shingle_bounds = np.searchsorted(shingle_doc, edges).tolist()
    valid = np.ones(len(hashes), dtype=bool)
    prepared = [ShingledText(text=text, k=k,
                             word_start=words.start[word_bounds[i]: word_bounds[i + 1]],
                             word_end=words.end[word_bounds[i]: word_bounds[i + 1]],
                             shingles=hashes[shingle_bounds[i]: shingle_bounds[i + 1]],
                             valid=valid[shingle_bounds[i]: shingle_bounds[i + 1]])
                for i, text in enumerate(texts)]
    return prepared, shingle_doc


def align(a: ShingledText, b: ShingledText, *, min_passage_words: int = 8,
          max_repeats: int = 4) -> list[tuple[int, int, int, int]]:
    """Return the shared passages of two texts as word spans.

    Args:
        a: the first text.
        b: the second text (same ``k``).
        min_passage_words: shortest passage kept, in words (at least ``k``).
        max_repeats: shingles repeated more often than this within a text are not anchors.

    Returns:
        ``(a_first_word, a_last_word, b_first_word, b_last_word)`` tuples (inclusive), sorted by
        position in ``a``; no two overlap in either text.

    Example:
        >>> x = shingle_text("p q r s t u", k=2); y = shingle_text("z p q r s", k=2)
        >>> align(x, y, min_passage_words=3)
        [(0, 3, 1, 4)]
    """
    k = a.k
    positions_a = np.arange(len(a.shingles))
    positions_b = np.arange(len(b.shingles))
    if len(positions_a) == 0 or len(positions_b) == 0:
        return []
    order = np.argsort(a.shingles[positions_a], kind="stable")
    sorted_a = a.shingles[positions_a][order]
    where_a = positions_a[order]
    hashes_b = b.shingles[positions_b]
    left = np.searchsorted(sorted_a, hashes_b, side="left")
    right = np.searchsorted(sorted_a, hashes_b, side="right")
    count = right - left
    keep = (count >= 1) & (count <= max_repeats)
    if not keep.any():
        return []
    anchor_b = np.repeat(positions_b[keep], count[keep])
    sizes = count[keep]
    index = np.repeat(left[keep] - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
    anchor_a = where_a[index]
    usable = a.valid[anchor_a] | b.valid[anchor_b]
    anchor_a, anchor_b = anchor_a[usable], anchor_b[usable]
    diagonal = anchor_b - anchor_a
    order = np.lexsort((anchor_a, diagonal))
    anchor_a, diagonal = anchor_a[order], diagonal[order]
    breaks = np.ones(len(anchor_a), dtype=bool)
    breaks[1:] = (diagonal[1:] != diagonal[:-1]) | (anchor_a[1:] != anchor_a[:-1] + 1)
    run_start = np.flatnonzero(breaks)
    run_stop = np.append(run_start[1:], len(anchor_a)) - 1
    first_a = anchor_a[run_start]
    last_a = anchor_a[run_stop] + k - 1  # last word
    shift = diagonal[run_start]
    words = last_a - first_a + 1
    long_enough = words >= max(min_passage_words, k)
    runs = sorted(zip((-words[long_enough]).tolist(), first_a[long_enough].tolist(),
                      last_a[long_enough].tolist(), shift[long_enough].tolist(), strict=True))
    taken: list[tuple[int, int, int, int]] = []
    for _, start_a, stop_a, offset in runs:
        start_b, stop_b = start_a + offset, stop_a + offset
        if any(start_a <= t[1] and t[0] <= stop_a or start_b <= t[3] and t[2] <= stop_b
               for t in taken):
            continue
        taken.append((start_a, stop_a, start_b, stop_b))
    taken = _extend(a, b, taken)
    trimmed = (_trim(a, b, span) for span in taken)
    return sorted(span for span in trimmed if span[1] - span[0] + 1 >= min_passage_words)


def _extend(a: ShingledText, b: ShingledText,
            taken: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Grow each passage along its diagonal while both texts keep the same shingles.

    Shingles repeated more than ``max_repeats`` times are not anchors, so a passage holding a
    repeated phrase ("the Harnholm think tank", five times) is cut into pieces and short pieces
    are lost. The texts are still identical there: extending every passage word by word while the
    shingles at the same offset agree (and are not boilerplate in both) closes such holes.
    Passages never grow into one another; two that meet on one diagonal are merged.
    """
    n_a, n_b = len(a.shingles), len(b.shingles)
    spans = sorted(taken)
    grown: list[list[int]] = [list(span) for span in spans]

    def same(pos_a: int, pos_b: int) -> bool:
        return (0 <= pos_a < n_a and 0 <= pos_b < n_b and a.shingles[pos_a] == b.shingles[pos_b]
                and bool(a.valid[pos_a] or b.valid[pos_b]))

    def free(word_a: int, word_b: int, own: int) -> bool:
        return not any(i != own and (g[0] <= word_a <= g[1] or g[2] <= word_b <= g[3])
                       for i, g in enumerate(grown))

    k = a.k
    for index, span in enumerate(grown):
        while same(span[1] - k + 2, span[3] - k + 2) and free(span[1] + 1, span[3] + 1, index):
            span[1], span[3] = span[1] + 1, span[3] + 1
        while same(span[0] - 1, span[2] - 1) and free(span[0] - 1, span[2] - 1, index):
            span[0], span[2] = span[0] - 1, span[2] - 1
    return [tuple(span) for span in grown]  # type: ignore[misc]


def _trim(a: ShingledText, b: ShingledText,
          span: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """Drop edge words whose raw text (case, attached punctuation) differs between the texts.

    Words are matched case-folded, so a run can start on "ka." in one text and "Ka" in the other;
    trimming makes verbatim copies give identical slices.
    """
    start_a, stop_a, start_b, stop_b = span

    def raw(text: ShingledText, word: int, *, leading: bool) -> str:
        if leading:  # the word and what follows it, up to the next word
            last = word + 1 >= len(text.word_start)
            end = text.word_end[word] if last else text.word_start[word + 1]
            return text.text[text.word_start[word]: end]
        begin = text.word_end[word - 1] if word > 0 else text.word_start[word]
        return text.text[begin: text.word_end[word]]

    while start_a < stop_a and raw(a, start_a, leading=True) != raw(b, start_b, leading=True):
        start_a, start_b = start_a + 1, start_b + 1
    while stop_a > start_a and raw(a, stop_a, leading=False) != raw(b, stop_b, leading=False):
        stop_a, stop_b = stop_a - 1, stop_b - 1
    return start_a, stop_a, start_b, stop_b


def passage_offsets(a: ShingledText, b: ShingledText,
                    spans: list[tuple[int, int, int, int]]) -> list[dict[str, int]]:
    """Turn word spans from :func:`align` into character offsets in both texts.

    Args:
        a: the first text.
        b: the second text.
        spans: word spans from :func:`align`.

    Returns:
        ``{"a_start", "a_end", "b_start", "b_end"}`` dicts (ends exclusive).

    Example:
        >>> x = shingle_text("p q r s", k=2); y = shingle_text("z p q r s", k=2)
        >>> passage_offsets(x, y, align(x, y, min_passage_words=2))
        [{'a_start': 0, 'a_end': 7, 'b_start': 2, 'b_end': 9}]
    """
    return [{"a_start": int(a.word_start[fa]), "a_end": int(a.word_end[la]),
             "b_start": int(b.word_start[fb]), "b_end": int(b.word_end[lb])}
            for fa, la, fb, lb in spans]


def align_texts(text_a: str, text_b: str, *, shingle: int = 5,
                min_passage_words: int = 8) -> list[dict[str, int]]:
    """Return the shared passages of two texts with character offsets in both.

    Args:
        text_a: first text.
        text_b: second text.
        shingle: words per shingle (anchor length).
        min_passage_words: shortest passage kept, in words.

    Returns:
        ``{"a_start", "a_end", "b_start", "b_end"}`` dicts, sorted by position in ``text_a``.

    Example: see the module docstring.
    """
    a = shingle_text(text_a, k=shingle)
    b = shingle_text(text_b, k=shingle)
    return passage_offsets(a, b, align(a, b, min_passage_words=min_passage_words))


def covered_chars(spans: list[tuple[int, int, int, int]], text: ShingledText, *,
                  side: str = "a") -> int:
    """Return the characters of one text (``side`` ``"a"`` or ``"b"``) covered by passages.

    Args:
        spans: word spans from :func:`align`.
        text: the text on that side.
        side: ``"a"`` or ``"b"``.

    Returns:
        The summed length of the passages in that text (they never overlap).

    Example:
        >>> x = shingle_text("p q r s", k=2); y = shingle_text("z p q r s", k=2)
        >>> covered_chars(align(x, y, min_passage_words=2), x)
        7
    """
    first, last = (0, 1) if side == "a" else (2, 3)
    return int(sum(text.word_end[s[last]] - text.word_start[s[first]] for s in spans))


def _covered_chars(first_words: np.ndarray, k: int, start: np.ndarray, end: np.ndarray) -> int:
    """Characters from first to last word of each maximal stretch of words covered by shingles."""
    if len(first_words) == 0:
        return 0
    depth = np.zeros(len(start) + 1, dtype=np.int64)
    np.add.at(depth, first_words, 1)
    np.add.at(depth, first_words + k, -1)
    covered = np.cumsum(depth[:-1]) > 0
    flags = np.zeros(len(covered) + 2, dtype=bool)
    flags[1:-1] = covered
    edges = np.flatnonzero(flags[1:] != flags[:-1])
    firsts, lasts = edges[0::2], edges[1::2] - 1
    return int((end[lasts] - start[firsts]).sum())
