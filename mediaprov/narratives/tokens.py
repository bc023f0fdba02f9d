"""Tokenisation shared by every narrative method: one definition of what a "term" is.

Rules (documented once, used by distinctive terms, topics, event grouping and actor frames):

* Text is lowercased; the curly apostrophe ``’`` is read as ``'`` (same length, offsets kept).
* A token is a run of letters, optionally joined by ``-`` or ``'`` to further letters
  (``pro-government``, ``o'neill``); a possessive ``'s`` is not part of the token
  (``regime's`` -> ``regime``); digits and punctuation are never part of a token.
* Stopwords come from ``data/reference/lexicons/stopwords.csv`` (editable data, column ``term``);
  no word list lives in the code.
* Terms are unigrams (stopwords removed) and, when ``ngram_max >= 2``, n-grams of ``n``
  consecutive tokens separated only by whitespace or a possessive ``'s`` (an n-gram never spans a
  comma or a sentence end), joined by one space: ``"freedom fighters"``, ``"regime front"`` from
  "the regime's front". An n-gram never starts or ends with a stopword, but may hold one inside
  (``"rule of law"``, ``"government in orlet"``: trigrams) unless ``inner_stopwords=False``.

Example:
    >>> [t.text for t in tokenize("The Regime’s so-called 'reforms', 2024.")]
    ['the', 'regime', 'so-called', 'reforms']
    >>> extract_terms("Freedom fighters of the valley", stopwords=frozenset({"of", "the"}))
    ['freedom', 'fighters', 'valley', 'freedom fighters']
    >>> extract_terms("the rule of law", ngram_max=3, stopwords=frozenset({"of", "the"}))
    ['rule', 'law', 'rule of law']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


from mediaprov import reference
from mediaprov.paths import reference_dir

TOKEN_PATTERN = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
"""Letters, optionally joined by a hyphen or apostrophe to more letters."""

_JOINING_GAP = re.compile(r"(?:['\u2019]s)?\s+\Z")
"""What may separate two words of one n-gram: whitespace, after an optional possessive 's."""


@dataclass(frozen=True)
class Token:
    """One token with its character offsets into the original text.

    Attributes:
        text: the lowercased token.
        start: offset of its first character in the text.
        end: offset just past its last character.
    """

    text: str
    start: int
    end: int


def normalise(text: str) -> str:
    """Lowercase ``text`` and read curly apostrophes as straight ones, keeping every offset.

    Example:
        >>> normalise("Regime’s")
        "regime's"
    """
    return text.lower().replace("\u2019", "'")


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into lowercased tokens with character offsets.

    Args:
        text: any text; ``None``-like values should be replaced by ``""`` by the caller.

    Returns:
        The tokens in reading order.

    Example:
        >>> tokenize("Sect, cult")[1]
        Token(text='cult', start=6, end=10)
    """
    tokens = []
    for match in TOKEN_PATTERN.finditer(_lowered(text)):
        word, end = match.group(0), match.end()
        if word.endswith("'s") and len(word) > 2:
            word, end = word[:-2], end - 2
        tokens.append(Token(word, match.start(), end))
    return tokens


def _lowered(text: str) -> str:
    """:func:`normalise`, one character for one (a few change length when lowercased, e.g. 'İ')."""
    lowered = normalise(text)
    if len(lowered) != len(text):
        lowered = "".join(ch.lower()[:1] or ch for ch in text).replace("\u2019", "'")
    return lowered


def _words(text: str) -> list[str]:
    """The texts of :func:`tokenize`'s tokens, without building tokens (unigrams need no offsets)."""
    return [w[:-2] if len(w) > 2 and w.endswith("'s") else w for w in TOKEN_PATTERN.findall(_lowered(text))]


def stopwords_path() -> Path:
    """Return the path of the stopword list (``<reference>/lexicons/stopwords.csv``).

    Example:
        >>> stopwords_path().name
        'stopwords.csv'
    """
    return reference_dir() / "lexicons" / "stopwords.csv"


@lru_cache(maxsize=8)
def _read_stopwords(path: str) -> frozenset[str]:
    table = reference.read("stopwords", path=path)
    return frozenset(normalise(t).strip() for t in table["term"] if t.strip())


def load_stopwords(path: Path | None = None) -> frozenset[str]:
    """Read the stopword list (a CSV with a ``term`` column).

    Args:
        path: another list; default :func:`stopwords_path`.

    Returns:
        The lowercased stopwords.

    Raises:
        FileNotFoundError: the file is missing (say where it was looked for).
        ValueError: the file has no ``term`` column.

    Example:
        >>> "the" in load_stopwords()
        True
    """
    path = Path(path) if path is not None else stopwords_path()
    if not path.exists():
        raise FileNotFoundError(f"stopword list {path} not found: restore "
                                "data/reference/lexicons/stopwords.csv or pass path=")
    return _read_stopwords(str(path))


def extract_terms(text: str, *, ngram_max: int = 2, stopwords: frozenset[str] | None = None,
                  inner_stopwords: bool = True) -> list[str]:
    """Return the terms of one text: unigrams, then n-grams up to ``ngram_max`` (see module doc).

    Args:
        text: the text.
        ngram_max: 1 for unigrams only, 2 to add bigrams, 3 for trigrams as well.
        stopwords: words to drop; default :func:`load_stopwords`.
        inner_stopwords: let n-grams of three or more tokens hold stopwords inside
            (``rule of law``, ``government in orlet``); they never start or end with one.

    Returns:
        Unigrams in reading order followed by the n-grams, with repetitions (counts matter).

    Raises:
        ValueError: ``ngram_max`` is below 1.

    Example:
        >>> extract_terms("Martyrs, martyrs", ngram_max=1, stopwords=frozenset())
        ['martyrs', 'martyrs']
    """
    if ngram_max < 1:
        raise ValueError(f"ngram_max must be at least 1, got {ngram_max}")
    stop = load_stopwords() if stopwords is None else stopwords
    text = text or ""
    if ngram_max == 1:
        return [w for w in _words(text) if w not in stop]
    tokens = tokenize(text)
    unigrams = [t.text for t in tokens if t.text not in stop]
    # runs of consecutive tokens separated only by whitespace (or a possessive 's)
    runs: list[list[Token]] = []
    run: list[Token] = []
    for token in tokens:
        if run and not _JOINING_GAP.match(text[run[-1].end:token.start]):
            runs.append(run)
            run = []
        run.append(token)
    runs.append(run)
    grams: list[str] = []
    for n in range(2, ngram_max + 1):
        for run in runs:
            for i in range(len(run) - n + 1):
                words = [t.text for t in run[i:i + n]]
                if words[0] in stop or words[-1] in stop:
                    continue
                if not inner_stopwords and any(w in stop for w in words[1:-1]):
                    continue
                grams.append(" ".join(words))
    return unigrams + grams


def mask_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank the given character spans with ``|`` (same length: offsets stay valid).

    Masked words are not counted and no n-gram spans a masked stretch. Used to leave actors' names
    (the ``mentions`` table) out of vocabulary comparisons.

    Example:
        >>> mask_spans("Mara Voss met the sect", [(0, 9)])
        '||||||||| met the sect'
    """
    chars = list(text)
    for start, end in spans:
        chars[max(0, start):max(0, end)] = "|" * (min(end, len(text)) - max(0, start))
    return "".join(chars)


def term_analyzer(*, ngram_max: int = 2, stopwords: frozenset[str] | None = None,
                  inner_stopwords: bool = True):
    """Return a callable ``text -> terms`` for scikit-learn vectorizers (``analyzer=``).

    Example:
        >>> term_analyzer(ngram_max=1, stopwords=frozenset())("A b")
        ['a', 'b']
    """
    stop = load_stopwords() if stopwords is None else stopwords

    def analyse(text: str) -> list[str]:
        return extract_terms(text, ngram_max=ngram_max, stopwords=stop,
                             inner_stopwords=inner_stopwords)

    return analyse
