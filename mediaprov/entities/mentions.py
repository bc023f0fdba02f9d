"""Mentions of entities in a table of articles, and names the gazetteer missed, for curation.

:func:`find_mentions` runs :meth:`mediaprov.entities.Gazetteer.match` on every article and
returns a ``mentions`` table; :func:`suggest_aliases` lists the capitalised names no mention
covers (spaCy entities when a model is installed), most frequent first.

Example:
    >>> import pandas as pd
    >>> from mediaprov.entities.gazetteer import Gazetteer
    >>> g = Gazetteer.build([("nb", "person", "Nela Brun", [])])
    >>> articles = pd.DataFrame({"article_id": ["a"], "text": ["Nela Brun met Ivo Rask."]})
    >>> find_mentions(articles, g)[["entity_id", "surface", "start"]].values.tolist()
    [['nb', 'Nela Brun', 0]]
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from mediaprov.entities.gazetteer import Gazetteer
from mediaprov.schema import MENTIONS, validate

def find_mentions(articles: pd.DataFrame, gazetteer: Gazetteer, *, fuzzy: bool = True,
                  keep_ambiguous: bool = False) -> pd.DataFrame:
    """Find entity mentions in every article.

    Args:
        articles: a table with ``article_id`` and ``text``.
        gazetteer: compiled names (:meth:`Gazetteer.from_entities`).
        fuzzy: match spelling variants one edit away from alias words.
        keep_ambiguous: also return bare surnames or first names shared by several persons
            mentioned in the article (``method == "ambiguous"``, ``entity_id`` = ``a|b|c``).

    Returns:
        A ``mentions`` table (mediaprov.schema.MENTIONS), sorted by article, start and end.

    Example:
        >>> g = Gazetteer.build([("mek", "org", "MEK", ["PMOI"])])
        >>> articles = pd.DataFrame({"article_id": ["a"], "text": ["PMOI (MEK)"]})
        >>> find_mentions(articles, g).entity_id.tolist()
        ['mek', 'mek']
    """
    rows = []
    for article_id, text in zip(articles["article_id"], articles["text"], strict=True):
        if not isinstance(text, str) or not text:
            continue
        for m in gazetteer.match(text, fuzzy=fuzzy):
            if m.method == "ambiguous" and not keep_ambiguous:
                continue
            entity_id = "|".join(m.ids)
            kind = gazetteer.kinds.get(m.ids[0], "") if len(m.ids) == 1 else "ambiguous"
            rows.append((article_id, entity_id, text[m.start:m.end], m.start, m.end, kind,
                         m.method))
    table = pd.DataFrame(rows, columns=list(MENTIONS.columns))
    table = table.sort_values(["article_id", "start", "end"], kind="stable")
    return validate(table, MENTIONS, where="find_mentions")


_CAPITALISED = re.compile(
    r"\b[A-Z][\w'’\-]+(?:[ \t]+(?:(?:of|the|for|de|al|el|e|van|von|bin)[ \t]+)?[A-Z][\w'’\-]+)*")
_SENTENCE_WORDS = {"The", "A", "An", "In", "On", "At", "But", "And", "It", "He", "She", "They",
                   "This", "That", "These", "Those", "We", "I", "His", "Her", "Their", "Its",
                   "As", "After", "Before", "While", "When", "If", "For", "With", "By", "From",
                   "To", "Of", "Our", "Some", "Many", "Most", "Others", "All", "Although",
                   "Then", "Later", "Now", "Yet", "So", "Also", "Meanwhile", "However"}


def suggest_aliases(articles: pd.DataFrame, mentions: pd.DataFrame, *, min_count: int = 2,
                    top: int = 100) -> pd.DataFrame:
    """List capitalised names the gazetteer did not match, by frequency, for curation.

    Uses spaCy named entities when a model (``en_core_web_sm``) is installed, else capitalised
    word sequences. Names that overlap a mention are left out.

    Args:
        articles: ``article_id`` and ``text``.
        mentions: the mentions already found (:func:`find_mentions`).
        min_count: smallest number of occurrences to list.
        top: longest list returned.

    Returns:
        Columns ``name``, ``count``, ``articles`` (number of articles), ``example_article``,
        ``start``, ``end`` (one occurrence), sorted by count then name.

    Example:
        >>> t = pd.DataFrame({"article_id": ["a"], "text": ["Saber wrote. Saber said."]})
        >>> suggest_aliases(t, MENTIONS.empty()).name.tolist()
        ['Saber']
    """
    covered: dict[str, list[tuple[int, int]]] = {}
    for row in mentions.itertuples(index=False):
        covered.setdefault(row.article_id, []).append((int(row.start), int(row.end)))
    nlp = _spacy_model()
    counts: Counter[str] = Counter()
    article_sets: dict[str, set[str]] = {}
    first: dict[str, tuple[str, int, int]] = {}
    for article_id, text in zip(articles["article_id"], articles["text"], strict=True):
        if not isinstance(text, str):
            continue
        spans = covered.get(article_id, [])
        if nlp is not None:
            found = [(e.start_char, e.end_char, e.text) for e in nlp(text).ents
                     if e.label_ in {"PERSON", "ORG", "NORP", "GPE", "FAC"}]
        else:
            found = []
            for m in _CAPITALISED.finditer(text):
                name = m.group()
                start = m.start()
                words = name.split()
                while words and words[0] in _SENTENCE_WORDS:
                    start += len(words[0]) + 1
                    words = words[1:]
                if words:
                    found.append((start, m.end(), " ".join(words)))
        for start, end, name in found:
            name = name.rstrip("’'s").strip() if name.endswith(("’s", "'s")) else name
            if len(name) < 3 or any(s < end and start < e for s, e in spans):
                continue
            counts[name] += 1
            article_sets.setdefault(name, set()).add(article_id)
            first.setdefault(name, (article_id, start, end))
    rows = [(n, c, len(article_sets[n]), *first[n]) for n, c in counts.items() if c >= min_count]
    table = pd.DataFrame(rows, columns=["name", "count", "articles", "example_article", "start",
                                        "end"])
    table = table.sort_values(["count", "name"], ascending=[False, True], kind="stable")
    return table.head(top).reset_index(drop=True)


def _spacy_model():  # pragma: no cover - depends on an optional model
    """Return a loaded spaCy English model, or ``None`` when spaCy or a model is missing."""
    try:
        import spacy  # type: ignore[import-not-found]
    except ImportError:
        return None
    for name in ("en_core_web_sm", "en_core_web_md", "en_core_web_lg"):
        try:
            return spacy.load(name, disable=["parser", "lemmatizer"])
        except OSError:
            continue
    return None
