"""Measure a stage against ground truth: the demo corpus's ``truth/`` or a hand-annotated file.

Ground truth is one JSON object per input record (``truth/documents.jsonl`` of the demo corpus;
the seeds' ``expected.json`` has the same keys per document). This module joins it to what
ingestion produced, by ``(raw_path, record)``, and reports each measure with the number of
records behind it, so that a notebook can show both the score and the cases that miss.

Example:
    >>> truth = pd.DataFrame([{"raw_path": "a.txt", "record": 0, "expected_status": "ingested",
    ...     "published": "2022-01-02", "outlet": "x", "credited_source": None,
    ...     "boilerplate_lines": [], "body_paragraphs": ["Body."], "expected_reason": None, "duplicate_of": None}])
    >>> articles = pd.DataFrame({"raw_path": ["a.txt"], "record": [0], "article_id": ["id1"],
    ...     "published": [pd.Timestamp("2022-01-02", tz="UTC")], "outlet_id": ["x"],
    ...     "credited_source": [None], "chrome_lines": [[]], "text": ["Body."]})
    >>> log = pd.DataFrame({"raw_path": ["a.txt"], "record": [0], "status": ["ingested"], "reason": [None],
    ...     "article_id": ["id1"], "duplicate_of": [None]})
    >>> scores = ingest_scores(articles, log, truth)
    >>> float(scores.set_index("measure").loc["published date exact match", "value"])
    1.0
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

INGEST_TARGETS: dict[str, float] = {
    "published date exact match": 0.98,
    "outlet accuracy": 0.99,
    "credited source precision": 0.98,
    "credited source recall": 0.98,
    "chrome lines removed": 0.98,
    "body paragraphs kept": 1.0,
    "bad files quarantined with reason": 1.0,
    "quarantine decisions correct": 1.0,
    "duplicate pairs recall": 0.95,
    "duplicate pairs precision": 0.95,
}
"""Targets of the ingestion issue; the test suite checks them on the demo corpus."""


def load_truth(corpus_dir: Path) -> pd.DataFrame:
    """Read ``truth/documents.jsonl`` of a corpus folder into a DataFrame (one row per record).

    Raises:
        FileNotFoundError: with the path expected.

    Example:
        >>> from mediaprov import paths
        >>> "expected_status" in load_truth(paths.raw_dir("demo")).columns
        True
    """
    path = Path(corpus_dir) / "truth" / "documents.jsonl"
    if not path.exists():
        raise FileNotFoundError(f"no ground truth at {path}: regenerate the demo corpus with `mediaprov demo`")
    with open(path, encoding="utf-8") as handle:
        return pd.DataFrame([json.loads(line) for line in handle if line.strip()])


def _day(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date().isoformat()


def _none(value: object) -> object:
    return None if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)) else value


def join_truth(articles: pd.DataFrame, log: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Join truth records to the ingest log and to the articles they produced.

    Returns:
        One row per truth record with ``status``/``reason`` from the log and the article's
        columns suffixed ``_got`` (missing when the record produced no article).

    Example: see :func:`ingest_scores`.
    """
    got = articles.rename(columns={c: f"{c}_got" for c in articles.columns if c not in ("raw_path", "record")})
    joined = truth.merge(log[["raw_path", "record", "status", "reason"]], on=["raw_path", "record"], how="left")
    joined["record"] = joined["record"].astype("int64")
    got["record"] = got["record"].astype("int64")
    return joined.merge(got, on=["raw_path", "record"], how="left")


def ingest_scores(articles: pd.DataFrame, log: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Score ingestion against truth.

    Args:
        articles: the ``articles`` table.
        log: the ``ingest_log`` table.
        truth: one row per input record with ``expected_status``, ``published``, ``outlet``,
            ``credited_source``, ``boilerplate_lines``, ``body_paragraphs``, ``expected_reason``.

    Returns:
        A table ``measure, value, hits, n, target`` (value = hits / n).

    Example: see the module docstring.
    """
    joined = join_truth(articles, log, truth)
    rows = []

    def add(measure: str, hits: int, n: int) -> None:
        rows.append({"measure": measure, "value": hits / n if n else float("nan"), "hits": hits, "n": n,
                     "target": INGEST_TARGETS.get(measure)})

    quarantine_expected = joined.expected_status == "quarantined"
    add("quarantine decisions correct", int(((joined.status == "quarantined") == quarantine_expected).sum()),
        len(joined))
    # Every record that produced an article is scored against its own truth row: when a record and
    # its duplicate carry the same article, either may be the one kept.
    kept = joined[~quarantine_expected & joined.article_id_got.notna()]
    published_ok = [
        _day(t) == _day(g) for t, g in zip(kept.published, kept.published_got)]
    add("published date exact match", sum(published_ok), len(kept))
    invented = [_day(t) is None and _day(g) is not None for t, g in zip(kept.published, kept.published_got)]
    add("dates given where truth has none", sum(invented), int(kept.published.isna().sum()))
    add("outlet accuracy", sum(_none(t) == _none(g) for t, g in zip(kept.outlet, kept.outlet_id_got)), len(kept))
    predicted = kept[kept.credited_source_got.notna()]
    actual = kept[kept.credited_source.notna()]
    add("credited source precision",
        int((predicted.credited_source_got == predicted.credited_source).sum()), len(predicted))
    add("credited source recall", int((actual.credited_source_got == actual.credited_source).sum()), len(actual))
    chrome_hits = chrome_n = body_hits = body_n = 0
    for row in kept.itertuples():
        removed = set(row.chrome_lines_got) if isinstance(row.chrome_lines_got, (list, tuple)) or hasattr(row.chrome_lines_got, "__len__") else set()
        text = row.text_got if isinstance(row.text_got, str) else ""
        for line in row.boilerplate_lines:
            chrome_n += 1
            chrome_hits += line.strip() in removed or line.strip() not in text
        for paragraph in row.body_paragraphs:
            body_n += 1
            body_hits += paragraph.strip() in text
    add("chrome lines removed", chrome_hits, chrome_n)
    add("body paragraphs kept", body_hits, body_n)
    bad = joined[joined.expected_status == "quarantined"]
    add("bad files quarantined with reason", int(sum(
        s == "quarantined" and isinstance(r, str) and (not isinstance(e, str) or e.lower() in r.lower())
        for s, r, e in zip(bad.status, bad.reason, bad.expected_reason))), len(bad))
    truth_pairs = duplicate_pairs(joined, key="truth")
    found_pairs = duplicate_pairs(joined, key="log", log=log)
    add("duplicate pairs recall", len(truth_pairs & found_pairs), len(truth_pairs))
    add("duplicate pairs precision", len(truth_pairs & found_pairs), len(found_pairs))
    return pd.DataFrame(rows)


def duplicate_pairs(joined: pd.DataFrame, *, key: str, log: pd.DataFrame | None = None) -> set[tuple[str, str]]:
    """Unordered pairs of record keys (``raw_path#record``) that are the same article.

    Args:
        joined: output of :func:`join_truth`.
        key: ``truth`` (pairs from ``duplicate_of`` in the truth) or ``log`` (pairs the ingest
            log merged; needs ``log``).

    Example:
        >>> frame = pd.DataFrame({"raw_path": ["a", "b"], "record": [0, 0], "duplicate_of": [None, "a#0"]})
        >>> duplicate_pairs(frame, key="truth")
        {('a#0', 'b#0')}
    """
    if key == "truth":
        links = [(f"{p}#{r}", d) for p, r, d in zip(joined.raw_path, joined.record, joined.duplicate_of)
                 if isinstance(d, str)]
    else:
        assert log is not None
        record_of = {a: f"{p}#{r}" for a, p, r in zip(log.article_id, log.raw_path, log.record) if isinstance(a, str)}
        links = [(f"{p}#{r}", record_of[d]) for p, r, d in zip(log.raw_path, log.record, log.duplicate_of)
                 if isinstance(d, str)]
    groups: dict[str, set[str]] = {}
    for left, right in links:
        merged = groups.get(left, {left}) | groups.get(right, {right})
        for member in merged:
            groups[member] = merged
    pairs = set()
    for members in {id(g): g for g in groups.values()}.values():
        ordered = sorted(members)
        pairs |= {(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]}
    return pairs


def ingest_misses(articles: pd.DataFrame, log: pd.DataFrame, truth: pd.DataFrame, *, measure: str) -> pd.DataFrame:
    """Return the records behind the misses of one measure (for notebooks and debugging).

    Args:
        measure: ``published``, ``outlet``, ``credited_source`` or ``status``.

    Example:
        >>> ingest_misses(pd.DataFrame(columns=["raw_path", "record", "article_id", "published"]),
        ...     pd.DataFrame(columns=["raw_path", "record", "status", "reason"]),
        ...     pd.DataFrame(columns=["raw_path", "record", "expected_status", "published"]), measure="status").empty
        True
    """
    joined = join_truth(articles, log, truth)
    if measure == "status":
        return joined[joined.status != joined.expected_status][["raw_path", "record", "expected_status", "status", "reason"]]
    kept = joined[(joined.expected_status == "ingested") & joined.article_id_got.notna()]
    column_got = {"published": "published_got", "outlet": "outlet_id_got", "credited_source": "credited_source_got"}[measure]
    if measure == "published":
        mask = [_day(t) != _day(g) for t, g in zip(kept.published, kept.published_got)]
    else:
        mask = [_none(t) != _none(g) for t, g in zip(kept[measure], kept[column_got])]
    return kept[mask][["raw_path", "record", measure, column_got]]
