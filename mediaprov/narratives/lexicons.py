"""Framing lexicons: editable CSVs of loaded terms, and finding them in text with offsets.

A lexicon is a CSV under ``data/reference/lexicons/`` with the columns ``term`` (one word or a
phrase; a trailing ``*`` on a word matches any word that starts with it: ``martyr*`` matches
``martyrs`` and ``martyrdom``), ``category`` (e.g. delegitimising, legitimising, violence,
victimhood), ``note`` (who uses it, its mirror term) and ``citation``. Terms are tokenised with
:func:`mediaprov.narratives.tokens.tokenize`, so matching follows the same rules as every other
narrative method (lowercase, letters joined by ``-`` or ``'``).

Example:
    >>> lexicon = pd.DataFrame({"term": ["freedom fighter*", "regime"], "category": ["a", "b"],
    ...     "note": ["", ""], "citation": ["", ""]})
    >>> [(m.term, m.start, m.end) for m in find_terms("Freedom fighters defy the regime.", lexicon)]
    [('freedom fighter*', 0, 16), ('regime', 26, 32)]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mediaprov.narratives.tokens import Token, tokenize
from mediaprov import reference
from mediaprov.paths import reference_dir

LEXICON_COLUMNS: tuple[str, ...] = ("term", "category", "note", "citation")


def lexicon_path(name: str = "framing") -> Path:
    """Return ``<reference>/lexicons/<name>.csv``.

    Example:
        >>> lexicon_path().name
        'framing.csv'
    """
    return reference_dir() / "lexicons" / f"{name}.csv"


def load_lexicon(path: Path | None = None) -> pd.DataFrame:
    """Read and check a lexicon CSV.

    Args:
        path: the CSV; default ``data/reference/lexicons/framing.csv``.

    Returns:
        A DataFrame with columns ``term, category, note, citation`` (terms lowercased and
        stripped), sorted by category then term.

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: a column is missing, or a row has an empty term or category, or a term is
            listed twice (the message gives the CSV line).

    Example:
        >>> sorted(load_lexicon().category.unique())[:2]
        ['delegitimising', 'legitimising']
    """
    path = Path(path) if path is not None else lexicon_path()
    if not path.exists():
        raise FileNotFoundError(f"lexicon {path} not found: see data/reference/lexicons/README.md")
    table = reference.read("framing", path=path)
    table = table.loc[:, list(LEXICON_COLUMNS)].copy()
    table["term"] = table["term"].str.strip().str.lower()
    table["category"] = table["category"].str.strip()
    for index, row in table.iterrows():
        line = int(index) + 2  # header is line 1
        if not row["term"] or not row["category"]:
            raise ValueError(f"{path}, line {line}: empty term or category; fill both or delete the row")
        if not tokenize(row["term"].replace("*", "")):
            raise ValueError(f"{path}, line {line}: term {row['term']!r} has no letters")
    duplicated = table["term"].duplicated(keep=False)
    if duplicated.any():
        lines = [int(i) + 2 for i in table.index[duplicated]]
        raise ValueError(f"{path}: term listed more than once on lines {lines}; keep one row per term")
    return table.sort_values(["category", "term"]).reset_index(drop=True)


@dataclass(frozen=True)
class TermMatch:
    """One lexicon term found in a text.

    Attributes:
        term: the lexicon entry (as written in the lexicon, with any ``*``).
        category: its category.
        surface: the text as it appears.
        start: character offset of the match.
        end: character offset just past the match.
        first_token: index of the first matched token in :func:`tokenize` output.
        last_token: index of the last matched token.
    """

    term: str
    category: str
    surface: str
    start: int
    end: int
    first_token: int
    last_token: int


def _pattern(term: str) -> list[tuple[str, bool]]:
    """Split a lexicon term into (word, is_prefix) pairs."""
    words = term.split()
    pattern: list[tuple[str, bool]] = []
    for word in words:
        prefix = word.endswith("*")
        core = word.rstrip("*")
        pattern.extend((t.text, False) for t in tokenize(core)[:-1])
        pattern.append((tokenize(core)[-1].text, prefix))
    return pattern


def _word_matches(token: str, word: str, prefix: bool) -> bool:
    return token.startswith(word) if prefix else token == word


_Entry = tuple[list[tuple[str, bool]], str, str]
LexiconIndex = tuple[dict[str, list[_Entry]], dict[int, dict[str, list[_Entry]]]]
"""Lexicon patterns indexed by first word (built by :func:`lexicon_index`, used by :func:`find_terms`)."""


def _index(lexicon: pd.DataFrame) -> LexiconIndex:
    """Index lexicon patterns by their first word: exact words, and prefixes by length."""
    exact: dict[str, list[_Entry]] = {}
    prefixed: dict[int, dict[str, list[_Entry]]] = {}
    for term, category in zip(lexicon["term"], lexicon["category"], strict=True):
        pattern = _pattern(str(term))
        word, prefix = pattern[0]
        entry = (pattern, str(term), str(category))
        if prefix:
            prefixed.setdefault(len(word), {}).setdefault(word, []).append(entry)
        else:
            exact.setdefault(word, []).append(entry)
    return exact, prefixed


def lexicon_index(lexicon: pd.DataFrame) -> LexiconIndex:
    """Index a lexicon once, for many :func:`find_terms` calls with ``index=``.

    Args:
        lexicon: a table with ``term`` and ``category`` (see :func:`load_lexicon`).

    Returns:
        An opaque index; pass it to :func:`find_terms` together with the same ``lexicon``.

    Example:
        >>> lexicon = pd.DataFrame({"term": ["cult"], "category": ["x"]})
        >>> index = lexicon_index(lexicon)
        >>> [m.start for text in ["a cult", "cult"] for m in find_terms(text, lexicon, index=index)]
        [2, 0]
    """
    return _index(lexicon)


def find_terms(text: str, lexicon: pd.DataFrame, *, tokens: list[Token] | None = None,
               index: LexiconIndex | None = None) -> list[TermMatch]:
    """Find every lexicon term in ``text``; overlapping matches keep the longest.

    Args:
        text: the text searched.
        lexicon: a table with ``term`` and ``category`` (see :func:`load_lexicon`).
        tokens: the tokens of ``text`` when already computed (saves re-tokenising).
        index: ``lexicon_index(lexicon)`` when already computed (saves re-indexing the lexicon
            for every text); it must come from the same ``lexicon``.

    Returns:
        Non-overlapping matches in reading order; at one position the entry with most words wins
        (``freedom fighters`` beats ``fighter*``), ties go to the lexicon row that sorts first.

    Example:
        >>> lexicon = pd.DataFrame({"term": ["cult"], "category": ["x"]})
        >>> find_terms("A cult, the Cult.", lexicon)[1].surface
        'Cult'
    """
    tokens = tokenize(text) if tokens is None else tokens
    exact, prefixed = _index(lexicon) if index is None else index
    lengths = sorted(prefixed, reverse=True)
    candidates: list[tuple[int, int, str, str]] = []
    for position, token in enumerate(tokens):
        options = list(exact.get(token.text, []))
        for length in lengths:
            if len(token.text) >= length:
                options.extend(prefixed[length].get(token.text[:length], []))
        for pattern, term, category in sorted(options, key=lambda item: (-len(item[0]), item[1])):
            width = len(pattern)
            if position + width > len(tokens):
                continue
            if all(_word_matches(tokens[position + k].text, word, prefix)
                   for k, (word, prefix) in enumerate(pattern)):
                candidates.append((position, position + width - 1, term, category))
                break  # longest (then alphabetical) pattern at this position
    matches: list[TermMatch] = []
    taken_until = -1
    for first, last, term, category in sorted(candidates, key=lambda c: (c[0], -(c[1] - c[0]))):
        if first <= taken_until:
            continue
        start, end = tokens[first].start, tokens[last].end
        matches.append(TermMatch(term, category, text[start:end], start, end, first, last))
        taken_until = last
    return matches


SUGGESTION_COLUMNS: tuple[str, ...] = (
    "group", "term", "z", "count_group", "count_rest", "in_lexicon", "category", "note", "citation",
)


def suggest_lexicon_terms(distinctive: pd.DataFrame, *, top: int = 20, min_z: float = 1.96,
                          lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Turn distinctive-terms output into a review sheet of candidate lexicon terms.

    The workflow (also in ``data/reference/lexicons/README.md``): run
    :func:`mediaprov.narratives.distinctive_terms` per camp, call this function, read each
    candidate in context (:func:`mediaprov.narratives.keyword_in_context`), and copy the rows a
    researcher accepts into ``framing.csv`` with a ``category`` and a ``citation``. Take the same
    number of candidates from every group, so no camp's vocabulary is favoured.

    Args:
        distinctive: output of ``distinctive_terms`` (``group, term, z, rank, count_*``).
        top: candidates per group (the first ``top`` ranks with ``z >= min_z``).
        min_z: smallest z-score (1.96 is two-sided 5 % for a single term, before any correction
            for the many terms tested).
        lexicon: the current lexicon, to mark terms already listed; default ``framing.csv``.

    Returns:
        Columns :data:`SUGGESTION_COLUMNS`; ``category``, ``note`` and ``citation`` are empty for
        the reviewer to fill. Sorted by group then descending z.

    Example:
        >>> d = pd.DataFrame({"group": ["x", "x"], "term": ["grouplet", "river"], "z": [4.0, 0.5],
        ...     "count_group": [9, 2], "count_rest": [0, 2], "rank": [1, 2]})
        >>> suggest_lexicon_terms(d, lexicon=pd.DataFrame({"term": ["cult"]})).term.tolist()
        ['grouplet']
    """
    lexicon = load_lexicon() if lexicon is None else lexicon
    listed = set(lexicon["term"].astype(str))
    prefixes = tuple(t.rstrip("*") for t in listed if t.endswith("*"))
    chosen = distinctive[distinctive["z"] >= min_z].sort_values(["group", "rank"], kind="mergesort")
    chosen = chosen.groupby("group", sort=True).head(top)
    out = chosen.loc[:, ["group", "term", "z", "count_group", "count_rest"]].copy()
    out["in_lexicon"] = out["term"].astype(str).map(
        lambda t: t in listed or any(w.startswith(prefixes) for w in t.split()) if prefixes else t in listed)
    for column in ("category", "note", "citation"):
        out[column] = ""
    out = out.sort_values(["group", "z", "term"], ascending=[True, False, True], kind="mergesort")
    return out.loc[:, list(SUGGESTION_COLUMNS)].reset_index(drop=True)


def keyword_in_context(articles: pd.DataFrame, term: str, *, width: int = 60,
                       limit: int | None = 20) -> pd.DataFrame:
    """Show a term (or a lexicon pattern with ``*``) in context, with offsets, for review.

    Args:
        articles: articles with ``article_id`` and ``text``.
        term: a word, phrase or lexicon pattern.
        width: characters of context on each side.
        limit: largest number of lines returned (``None`` for all).

    Returns:
        Columns ``article_id, start, end, left, match, right`` in article order.

    Example:
        >>> keyword_in_context(pd.DataFrame({"article_id": ["a"], "text": ["the grouplet met"]}),
        ...     "grouplet", width=4).values.tolist()
        [['a', 4, 12, 'the ', 'grouplet', ' met']]
    """
    entry = pd.DataFrame({"term": [term.lower()], "category": [""]})
    rows = []
    ordered = articles.assign(_id=articles["article_id"].astype(str)).sort_values("_id", kind="mergesort")
    index = _index(entry) if len(ordered) else None  # once, not once per article
    for article_id, text in zip(ordered["_id"], ordered["text"].astype("string").fillna(""), strict=True):
        for match in find_terms(str(text), entry, index=index):
            rows.append((article_id, match.start, match.end,
                         str(text)[max(0, match.start - width):match.start], match.surface,
                         str(text)[match.end:match.end + width]))
            if limit is not None and len(rows) >= limit:
                break
        if limit is not None and len(rows) >= limit:
            break
    return pd.DataFrame(rows, columns=["article_id", "start", "end", "left", "match", "right"])
