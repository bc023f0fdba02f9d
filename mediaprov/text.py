r"""Text normalisation that keeps offsets: typography folding and rewrites with an offset map.

Feature extraction matches names on a *folded* copy of ``articles.text`` and reports offsets into
the original. :func:`fold` maps every character to exactly one character, so a match at
``[start, end)`` in the folded text is the same span in the original text. Rewrites that change
lengths (fuzzy spelling corrections) go through :func:`rewrite`, which returns an
:class:`OffsetMap` back to the original positions.

Folding rules (one character in, one character out):

* letters are lower-cased and stripped of diacritics (``é`` -> ``e``, ``Ş`` -> ``s``);
* curly and angled quotes become ``'`` or ``"``; the typographic apostrophe ``’`` becomes ``'``;
* hyphens and dashes (``-``, ``‐``, ``–``, ``—``, ...) become a space, so ``Sani-Khani``,
  ``Sani Khani`` and ``Sani–Khani`` fold alike;
* every whitespace character (newline, tab, no-break space) becomes a space.

Example:
    >>> fold("Mojahedin-e Khalq’s “Ashraf”")
    'mojahedin e khalq\'s "ashraf"'
    >>> len(fold("İstanbul")) == len("İstanbul")
    True
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable
    from pathlib import Path

    import numpy as np
    import pandas as pd
    import pyarrow as pa

_SPECIAL: dict[str, str] = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"',
    "-": " ", "\u2010": " ", "\u2011": " ", "\u2012": " ", "\u2013": " ", "\u2014": " ",
    "\u2015": " ", "\u2212": " ", "\u00ad": " ",
    "\u00df": "s", "\u00e6": "a", "\u00c6": "a", "\u0153": "o", "\u0152": "o", "\u00f8": "o",
    "\u00d8": "o", "\u0142": "l", "\u0141": "l", "\u0111": "d", "\u0110": "d", "\u0131": "i",
}


class _FoldTable(dict):
    """A ``str.translate`` table that computes and caches the fold of each code point."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _fold_char(char)
        self[code] = folded
        return folded


def _fold_char(char: str) -> str:
    """Return the one-character fold of ``char`` (see the module docstring)."""
    if char in _SPECIAL:
        return _SPECIAL[char]
    if char.isspace():
        return " "
    lowered = char.lower()
    if len(lowered) != 1:
        lowered = char
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base if len(base) == 1 else lowered


_TABLE = _FoldTable()
_ASCII_TABLE = bytes(ord(_fold_char(chr(code))) for code in range(128)) + bytes(range(128, 256))
"""The fold of every ASCII character, as a ``bytes.translate`` table (each folds to one ASCII
character): ASCII texts are folded in C, without a look-up per character."""


def fold(text: str) -> str:
    """Fold case, diacritics, quotes, dashes and whitespace, keeping the length unchanged.

    Args:
        text: any text.

    Returns:
        A string of the same length as ``text``; position ``i`` of the result is the fold of
        position ``i`` of the input, so offsets carry over unchanged.

    Example:
        >>> fold("Sani–Khani’s")
        "sani khani's"
    """
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_TABLE).decode("ascii")
    return text.translate(_TABLE)


@dataclass(frozen=True)
class OffsetMap:
    """Maps positions in a rewritten text back to the text it was made from.

    Attributes:
        new_starts: start of each replaced piece in the rewritten text, ascending.
        new_ends: end of each replaced piece in the rewritten text.
        old_starts: start of each replaced piece in the original text.
        old_ends: end of each replaced piece in the original text.
    """

    new_starts: tuple[int, ...]
    new_ends: tuple[int, ...]
    old_starts: tuple[int, ...]
    old_ends: tuple[int, ...]

    def start(self, position: int) -> int:
        """Return the original position of a span start at ``position`` of the rewritten text.

        A start inside a replaced piece maps to the start of the original piece.

        Example:
            >>> new, offsets = rewrite("a bc d", [(2, 4, "xyz")])
            >>> offsets.start(new.index("d"))
            5
        """
        index = bisect.bisect_right(self.new_starts, position) - 1
        if index < 0:
            return position
        if position < self.new_ends[index]:
            return self.old_starts[index]
        return self.old_ends[index] + (position - self.new_ends[index])

    def end(self, position: int) -> int:
        """Return the original position of a span end at ``position`` of the rewritten text.

        An end inside (or at the end of) a replaced piece maps to the end of the original piece.

        Example:
            >>> new, offsets = rewrite("a bc d", [(2, 4, "xyz")])
            >>> offsets.end(5)
            4
        """
        index = bisect.bisect_left(self.new_starts, position) - 1
        if index < 0:
            return position
        if position <= self.new_ends[index]:
            return self.old_ends[index]
        return self.old_ends[index] + (position - self.new_ends[index])


def rewrite(text: str, replacements: list[tuple[int, int, str]]) -> tuple[str, OffsetMap]:
    """Apply non-overlapping replacements and return the new text with a map back to ``text``.

    Args:
        text: the original text.
        replacements: ``(start, end, new)`` triples, non-overlapping, in any order.

    Returns:
        The rewritten text and an :class:`OffsetMap` from its positions to ``text``.

    Raises:
        ValueError: two replacements overlap, or one falls outside ``text``.

    Example:
        >>> rewrite("sani kani", [(5, 9, "khani")])[0]
        'sani khani'
    """
    pieces: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    old_starts: list[int] = []
    old_ends: list[int] = []
    cursor = 0
    length = 0
    for start, end, new in sorted(replacements):
        if start < cursor or end > len(text) or start > end:
            raise ValueError(
                f"replacement ({start}, {end}) overlaps another or falls outside the text "
                f"(length {len(text)}): pass non-overlapping spans inside the text"
            )
        pieces.append(text[cursor:start])
        length += start - cursor
        new_starts.append(length)
        old_starts.append(start)
        pieces.append(new)
        length += len(new)
        new_ends.append(length)
        old_ends.append(end)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), OffsetMap(tuple(new_starts), tuple(new_ends), tuple(old_starts),
                                      tuple(old_ends))


ANALYSIS_TEXT_COLUMN = "clean_text"
"""Column of ``articles`` that analyses read when ingest provides it: ``text`` with page-template
spans blanked out *character for character* (same length), so that every offset found in it is
also an offset into ``articles.text``."""


def analysis_text(articles: pd.DataFrame) -> pd.Series:
    """Return the text every analysis reads: ``clean_text`` where present, else ``text``.

    ``clean_text`` is ``text`` with learnt page templates (captions, widgets, licence lines...)
    replaced by spaces of the same length, so offsets into it are offsets into ``text`` and
    evidence still points at the extracted article. Rows whose ``clean_text`` is missing fall back
    to ``text``.

    Args:
        articles: an ``articles`` table (at least ``text``).

    Returns:
        A string Series aligned with ``articles``.

    Example:
        >>> import pandas as pd
        >>> arts = pd.DataFrame({"text": ["Body. Advertisement", "Other"],
        ...                      "clean_text": ["Body.              ", None]})
        >>> analysis_text(arts).tolist()
        ['Body.              ', 'Other']
    """
    text = articles["text"].fillna("").astype(str)
    if ANALYSIS_TEXT_COLUMN not in articles.columns:
        return text
    clean = articles[ANALYSIS_TEXT_COLUMN]
    return clean.where(clean.notna(), text).astype(str)


def analysis_texts(articles: pd.DataFrame) -> pd.Series:
    """:func:`analysis_text` without a Python string per article: a ``string`` Series, no NA.

    The same texts, left in the table's storage (Arrow for tables read from Parquet), for code that
    hands them on as Arrow arrays or converts a slice at a time.

    Args:
        articles: an ``articles`` table (at least ``text``).

    Returns:
        A ``string`` Series aligned with ``articles`` (missing texts are ``""``).

    Example:
        >>> import pandas as pd
        >>> arts = pd.DataFrame({"text": ["Body. Advertisement", None],
        ...                      "clean_text": ["Body.              ", None]})
        >>> analysis_texts(arts).tolist()
        ['Body.              ', '']
    """
    text = articles["text"].astype("string").fillna("")
    if ANALYSIS_TEXT_COLUMN not in articles.columns:
        return text
    clean = articles[ANALYSIS_TEXT_COLUMN].astype("string")
    missing = clean.isna()
    return clean if not missing.any() else clean.where(~missing, text)  # no copy when complete


def arrow_strings(values: pd.Series) -> pa.Array:
    """A Series' strings as one Arrow array, without making a Python string per value.

    Example:
        >>> import pandas as pd
        >>> arrow_strings(pd.Series(["a", None])).to_pylist()
        ['a', None]
    """
    import pyarrow as pa

    array = pa.array(values.astype("string").array)
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def string_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """An integer code per value and the distinct values (Arrow's dictionary encoding).

    Millions of repeated ids (an article's, an entity's) are coded without a Python string per
    value: only the distinct values become Python strings.

    Args:
        values: strings, none missing; or a ``Categorical`` of strings (a column read coded,
            :func:`mediaprov.io.read_table`'s ``categorical``), whose codes are renumbered to the
            categories that occur (no string is touched).

    Returns:
        ``(codes, distinct)``: ``int64`` codes into ``distinct`` (an object array, in order of
        first appearance; for a ``Categorical``, the categories that occur, in category order).

    Raises:
        ValueError: a value is missing.

    Example:
        >>> import pandas as pd
        >>> codes, distinct = string_codes(pd.Series(["b", "a", "b"]))
        >>> codes.tolist(), distinct.tolist()
        ([0, 1, 0], ['b', 'a'])
        >>> coded = pd.Series(["b", "a", "b"], dtype=pd.CategoricalDtype(["a", "b", "c"]))
        >>> [part.tolist() for part in string_codes(coded)]  # "c" does not occur
        [[1, 0, 1], ['a', 'b']]
    """
    import numpy as np
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        if (codes < 0).any():
            raise ValueError("string_codes: a value is missing")
        used = np.bincount(codes, minlength=len(values.cat.categories)) > 0  # unused ones left out
        renumbered = np.cumsum(used) - 1
        return renumbered[codes].astype(np.int64), values.cat.categories.to_numpy(dtype=object)[used]
    encoded = arrow_strings(values).dictionary_encode()
    if encoded.null_count:
        raise ValueError("string_codes: a value is missing")
    return (encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
            np.array(encoded.dictionary.to_pylist(), dtype=object))


def read_analysis_articles(path: Path, columns: Iterable[str], *,
                           rows: tuple[int, int] | None = None) -> pd.DataFrame:
    """Read ``columns`` of an articles table with ``text`` holding what analyses read.

    When every row read has a ``clean_text``, that column is read once and serves as ``text``
    too (:func:`analysis_text` then gives the same), so the raw ``text`` of a million articles
    stays on disk; otherwise ``text`` is read as well. Only :func:`analysis_texts` of the result
    is the same whatever is read: ``text`` may be the raw text or ``clean_text`` (of a slice
    where every row has one, even if other rows of the table lack it).

    Args:
        path: an ``articles.parquet`` file.
        columns: the other ARTICLES columns wanted.
        rows: ``(start, stop)``: read only these rows (:func:`mediaprov.parquet.read_rows`; the
            rule then holds for the slice); default every row.

    Returns:
        The table: ``columns``, then ``clean_text`` and ``text``.

    Raises:
        FileNotFoundError: with a hint about which command writes the table.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> from mediaprov.io import write_table
        >>> from mediaprov.schema import ARTICLES
        >>> table = ARTICLES.empty()
        >>> table.loc[0, ["article_id", "text", "clean_text", "raw_path", "raw_sha256"]] = [
        ...     "a", "Body. Ad", "Body.   ", "x", "0"]
        >>> path = write_table(table, Path(tempfile.mkdtemp()) / "articles.parquet", ARTICLES)
        >>> read_analysis_articles(path, ["article_id"]).loc[0, "text"]
        'Body.   '
        >>> len(read_analysis_articles(path, ["article_id"], rows=(1, 1)))
        0
    """
    from mediaprov.io import read_table
    from mediaprov.parquet import read_rows
    from mediaprov.schema import ARTICLES

    def read(wanted: list[str]) -> pd.DataFrame:
        if rows is None:
            return read_table(path, ARTICLES, columns=wanted)
        return read_rows(path, rows[0], rows[1], ARTICLES, columns=wanted)

    articles = read([*(c for c in columns if c not in (ANALYSIS_TEXT_COLUMN, "text")), ANALYSIS_TEXT_COLUMN])
    clean = articles[ANALYSIS_TEXT_COLUMN]
    if not clean.isna().any():
        articles["text"] = clean  # every analysis text is clean_text: `text` stays on disk
    else:
        articles["text"] = read(["text"])["text"]
    return articles
