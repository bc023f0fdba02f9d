"""The AllSides development set: gold direct quotes with speakers, and same-event article groups.

The fixtures in ``tests/fixtures/allsides_dev`` hold only identifiers, character offsets and labels
(see the datasheet ``README.md`` there); the words themselves are read at run time from the corpus
in ``../shared/corpora/allsides_iran/articles.jsonl``. Every loader returns ``None`` when
``../shared`` (or the corpus in it) is absent, so tests that use the set can skip cleanly.

Offsets are into the record's ``content_original`` field, Python slice convention: ``start`` is the
opening quotation mark and ``end`` is one past the closing mark, so ``text[start:end]`` begins and
ends with a quotation mark.

Example:
    >>> quotes = load_quotes()
    >>> quotes is None or {"text", "speaker", "difficulty"} <= set(quotes.columns)
    True
"""

from __future__ import annotations

import bisect
import json
import re
import string
import unicodedata
from functools import lru_cache
from pathlib import Path
from collections.abc import Mapping
from typing import Any

import pandas as pd

from mediaprov.paths import shared_dir

FIXTURES: Path = Path(__file__).resolve().parent / "fixtures" / "allsides_dev"
"""Folder of the fixture files (``quotes.csv``, ``events.csv``, ``README.md``)."""

CORPUS_RELATIVE: str = "corpora/allsides_iran/articles.jsonl"
"""Path of the corpus inside ``../shared``."""

QUOTE_MARKS: frozenset[str] = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')
"""Characters that may open or close a gold quote span (straight and curly double marks)."""

DIFFICULTIES: frozenset[str] = frozenset({
    "plain", "pronoun", "title", "transcript", "embedded_post", "multi_paragraph", "after_cue",
    "according_to", "appositive", "other_mentioned",
})
"""The allowed values of the ``difficulty`` column of ``quotes.csv``."""

_QUOTE_COLUMNS = ["ID", "line", "start", "end", "speaker", "speaker_aliases", "speaker_kind",
                  "difficulty", "note"]
_EVENT_COLUMNS = ["event", "ID", "line", "outlet", "note"]


def corpus_path() -> Path | None:
    """Return the path of ``articles.jsonl`` in ``../shared``, or ``None`` when it is absent."""
    shared = shared_dir()
    if shared is None:
        return None
    path = shared / CORPUS_RELATIVE
    return path if path.is_file() else None


@lru_cache(maxsize=2)
def _records(path: str) -> tuple[dict[str, Any], ...]:
    with open(path, encoding="utf-8") as handle:
        return tuple(json.loads(line) for line in handle if line.strip())


def corpus_records() -> tuple[dict[str, Any], ...] | None:
    """Return the corpus records in file order (index = 0-based line number), or ``None``.

    Blank lines are not expected in the corpus (every line is one JSON object).
    """
    path = corpus_path()
    return None if path is None else _records(str(path))


def _read_fixture(name: str, columns: list[str]) -> pd.DataFrame:
    frame = pd.read_csv(FIXTURES / name, dtype=str, keep_default_na=False)
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{name}: missing columns {missing}")
    frame["line"] = frame["line"].astype(int)
    return frame


def load_quotes() -> pd.DataFrame | None:
    """Load the gold quotes, each row carrying its span ``text`` read from the corpus.

    Returns:
        One row per gold quote with the fixture columns (``ID, line, start, end, speaker,
        speaker_aliases, speaker_kind, difficulty, note``; ``start``/``end`` as ints, empty
        strings for empty speakers and aliases) plus ``text`` (the gold span from
        ``content_original``), ``outlet`` and ``bias`` (the record's ``source`` and ``bias_text``),
        and ``corpus_id`` (the ID found on that line, for checking). ``None`` when the corpus is
        absent.
    """
    records = corpus_records()
    if records is None:
        return None
    frame = _read_fixture("quotes.csv", _QUOTE_COLUMNS)
    frame["start"] = frame["start"].astype(int)
    frame["end"] = frame["end"].astype(int)
    texts, outlets, biases, ids = [], [], [], []
    for line, start, end in zip(frame["line"], frame["start"], frame["end"], strict=True):
        record = records[line] if 0 <= line < len(records) else {}
        texts.append((record.get("content_original") or "")[start:end])
        outlets.append(record.get("source"))
        biases.append(record.get("bias_text"))
        ids.append(record.get("ID"))
    frame["text"] = texts
    frame["outlet"] = outlets
    frame["bias"] = biases
    frame["corpus_id"] = ids
    return frame


def load_events() -> pd.DataFrame | None:
    """Load the same-event groups, each row carrying the article's ``title`` and ``date``.

    Returns:
        One row per (event, article) with ``event, ID, line, outlet, note`` plus ``title``,
        ``date`` (the corpus ``date`` string, empty when undated), ``bias`` and ``corpus_id``.
        ``None`` when the corpus is absent.
    """
    records = corpus_records()
    if records is None:
        return None
    frame = _read_fixture("events.csv", _EVENT_COLUMNS)
    rows = [records[line] if 0 <= line < len(records) else {} for line in frame["line"]]
    frame["title"] = [row.get("title") for row in rows]
    frame["date"] = [row.get("date") or "" for row in rows]
    frame["bias"] = [row.get("bias_text") for row in rows]
    frame["corpus_id"] = [row.get("ID") for row in rows]
    return frame


def _normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Collapse every whitespace run to one space.

    Returns:
        The text and, per output character, the index of the input character it came from.
    """
    chars: list[str] = []
    origin: list[int] = []
    previous_space = False
    for index, char in enumerate(text):
        if char.isspace():
            if previous_space:
                continue
            chars.append(" ")
            previous_space = True
        else:
            chars.append(char)
            previous_space = False
        origin.append(index)
    return "".join(chars), origin


def _nearest(haystack: str, needle: str, target: int) -> int | None:
    """Start of the occurrence of ``needle`` in ``haystack`` nearest to ``target`` (or ``None``)."""
    if not needle:
        return None
    best: int | None = None
    position = haystack.find(needle)
    while position != -1:
        if best is None or abs(position - target) < abs(best - target):
            best = position
        position = haystack.find(needle, position + 1)
    return best


def locate_span(span: str, text: str, original_start: int) -> tuple[int, int] | None:
    r"""Find a gold span in an ingested article text.

    Exact substring search first, taking the occurrence nearest ``original_start``; then the same
    search on whitespace-normalised copies of both, mapped back to offsets in ``text``.

    Returns:
        ``(start, end)`` in ``text`` (slice convention) or ``None`` when the span is not found.

    Example:
        >>> locate_span('"b c"', 'nav\n\na "b c" d', 7)
        (7, 12)
        >>> locate_span('"b\n\nc"', 'a "b c" d', 2)
        (2, 7)
    """
    start = _nearest(text, span, original_start)
    if start is not None:
        return start, start + len(span)
    flat_text, origin = _normalise_with_map(text)
    flat_span = " ".join(span.split())
    target = bisect.bisect_left(origin, original_start)
    flat_start = _nearest(flat_text, flat_span, target)
    if flat_start is None:
        return None
    flat_end = flat_start + len(flat_span) - 1
    return origin[flat_start], origin[flat_end] + 1


def locate(gold_quotes: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Map gold quote spans onto an ingested ``articles`` table.

    The article of a gold row is the ingested row whose ``record`` equals the gold ``line``
    (restricted to rows whose ``raw_path`` names ``articles.jsonl`` when that column is present);
    the span is then found in ``articles.text`` by :func:`locate_span`, since ingest may have
    removed navigation lines before the body.

    Args:
        gold_quotes: the frame from :func:`load_quotes` (needs ``line``, ``start``, ``text``).
        articles: an ingested articles table (``article_id``, ``record``, ``text``, optionally
            ``raw_path``).

    Returns:
        A frame indexed like ``gold_quotes`` with ``article_id``, ``start``, ``end``; all three are
        missing (``None``/``NA``) for a quote whose article or span is not found.
    """
    table = articles
    if "raw_path" in table.columns:
        named = table[table["raw_path"].astype(str).str.endswith("articles.jsonl")]
        if len(named):
            table = named
    by_record: dict[int, tuple[str, str]] = {}
    for article_id, record, text in zip(table["article_id"], table["record"], table["text"], strict=True):
        if record is not None and not pd.isna(record):
            by_record.setdefault(int(record), (article_id, text or ""))
    rows: list[dict[str, Any]] = []
    for line, start, span in zip(gold_quotes["line"], gold_quotes["start"], gold_quotes["text"], strict=True):
        found = by_record.get(int(line))
        where = locate_span(span, found[1], int(start)) if found is not None else None
        if where is None:
            rows.append({"article_id": None, "start": pd.NA, "end": pd.NA})
        else:
            rows.append({"article_id": found[0], "start": where[0], "end": where[1]})
    result = pd.DataFrame(rows, index=gold_quotes.index, columns=["article_id", "start", "end"])
    result["start"] = result["start"].astype("Int64")
    result["end"] = result["end"].astype("Int64")
    return result


_PUNCTUATION = re.compile(rf"[{re.escape(string.punctuation)}\u2018\u2019\u201c\u201d\u2013\u2014]")


def normalise_name(name: str | None) -> str:
    """Fold a name for comparison: accents removed, lower case, punctuation dropped, spaces collapsed.

    Example:
        >>> normalise_name("  Mr. Trump’s ")
        'mr trumps'
    """
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _PUNCTUATION.sub("", text.casefold())
    return " ".join(text.split())


def speaker_matches(predicted: str | None, gold_row: Mapping[str, Any]) -> bool:
    """Whether a predicted speaker surface names the gold speaker.

    True when the prediction, compared case- and punctuation-insensitively, equals the gold
    ``speaker``, one of its ``speaker_aliases`` (``|``-separated), or, for a person, the last word
    of the gold name (the surname). An empty gold speaker matches nothing (a prediction there is
    a wrong speaker; predicting nothing is scored separately by the caller).

    Example:
        >>> row = {"speaker": "Donald Trump", "speaker_aliases": "Mr. Trump|the president",
        ...        "speaker_kind": "person"}
        >>> speaker_matches("TRUMP", row), speaker_matches("The President", row)
        (True, True)
        >>> speaker_matches("Pompeo", row), speaker_matches(None, row)
        (False, False)
    """
    guess = normalise_name(predicted)
    gold = normalise_name(gold_row.get("speaker"))
    if not guess or not gold:
        return False
    names = {gold}
    aliases = gold_row.get("speaker_aliases") or ""
    if isinstance(aliases, str):
        names.update(normalise_name(alias) for alias in aliases.split("|") if alias.strip())
    if gold_row.get("speaker_kind") == "person":
        names.add(gold.split()[-1])
    return guess in names


def event_scores(gold: pd.DataFrame, predicted: Mapping[str, str]) -> dict[str, Any]:
    """Score an event grouping on the gold same-event groups, and list what it got wrong.

    Args:
        gold: one row per gold article with ``event`` and ``article_id`` (e.g. :func:`load_events`
            with ``article_id`` added from an ingested table) and ``line``.
        predicted: article id -> predicted group (articles missing from it count as alone).

    Returns:
        ``ari`` (adjusted Rand index over the gold articles), ``precision`` and ``recall`` of the
        pairs of gold articles put in one group, and ``split`` (gold events spread over several
        predicted groups) and ``merged`` (predicted groups holding several gold events), each a
        dict of label -> sorted corpus ``line`` numbers.

    Example:
        >>> gold = pd.DataFrame({"event": ["e1", "e1", "e2", "e2"], "article_id": list("abcd"),
        ...                      "line": [1, 2, 3, 4]})
        >>> scores = event_scores(gold, {"a": "g1", "b": "g1", "c": "g1", "d": "g2"})
        >>> round(scores["precision"], 3), scores["recall"], scores["split"], scores["merged"]
        (0.333, 0.5, {'e2': [3, 4]}, {'g1': [1, 2, 3]})
    """
    from itertools import combinations

    from sklearn.metrics import adjusted_rand_score

    events = gold["event"].tolist()
    groups = [predicted.get(a, f"alone:{a}") for a in gold["article_id"]]
    same_event = same_group = both = 0
    for i, j in combinations(range(len(events)), 2):
        event, group = events[i] == events[j], groups[i] == groups[j]
        same_event += event
        same_group += group
        both += event and group
    table = gold.assign(group=groups)
    split = {e: sorted(part["line"].tolist()) for e, part in table.groupby("event") if part["group"].nunique() > 1}
    merged = {g: sorted(part["line"].tolist()) for g, part in table.groupby("group") if part["event"].nunique() > 1}
    return {"ari": adjusted_rand_score(events, groups), "precision": both / max(same_group, 1),
            "recall": both / max(same_event, 1), "split": split, "merged": merged}
