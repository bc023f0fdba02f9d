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

import numpy as np
import pandas as pd

from mediaprov.schema import require_columns

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
        _day(t) == _day(g) for t, g in zip(kept.published, kept.published_got, strict=True)]
    add("published date exact match", sum(published_ok), len(kept))
    invented = [_day(t) is None and _day(g) is not None for t, g in zip(kept.published, kept.published_got, strict=True)]
    add("dates given where truth has none", sum(invented), int(kept.published.isna().sum()))
    add("outlet accuracy", sum(_none(t) == _none(g) for t, g in zip(kept.outlet, kept.outlet_id_got, strict=True)), len(kept))
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
        for s, r, e in zip(bad.status, bad.reason, bad.expected_reason, strict=True))), len(bad))
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
        log: the ingest log (``article_id``, ``raw_path``, ``record``, ``duplicate_of``), for
            ``key="log"``.

    Example:
        >>> frame = pd.DataFrame({"raw_path": ["a", "b"], "record": [0, 0], "duplicate_of": [None, "a#0"]})
        >>> duplicate_pairs(frame, key="truth")
        {('a#0', 'b#0')}
    """
    if key == "truth":
        links = [(f"{p}#{r}", d) for p, r, d in zip(joined.raw_path, joined.record, joined.duplicate_of, strict=True)
                 if isinstance(d, str)]
    else:
        assert log is not None
        record_of = {a: f"{p}#{r}" for a, p, r in zip(log.article_id, log.raw_path, log.record, strict=True) if isinstance(a, str)}
        links = [(f"{p}#{r}", record_of[d]) for p, r, d in zip(log.raw_path, log.record, log.duplicate_of, strict=True)
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
        articles: the ingested ``articles`` table.
        log: the ingest log (``raw_path``, ``record``, ``status``, ``reason``).
        truth: the truth records (``raw_path``, ``record``, ``expected_status`` and the measure).
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
        mask = [_day(t) != _day(g) for t, g in zip(kept.published, kept.published_got, strict=True)]
    else:
        mask = [_none(t) != _none(g) for t, g in zip(kept[measure], kept[column_got], strict=True)]
    return kept[mask][["raw_path", "record", measure, column_got]]


REUSE_TARGETS: dict[str, float] = {
    "reuse pair precision": 0.95,
    "reuse pair recall": 0.95,
    "direction right (dated pairs)": 0.95,
    "credited right": 0.95,
}
"""Targets of the reuse issue on the demo corpus; the test suite checks them."""


def article_keys(articles: pd.DataFrame, truth: pd.DataFrame, *,
                 column: str = "article_key") -> pd.Series:
    """The truth's key of each ingested article, joining the two tables on ``(raw_path, record)``.

    Records with a missing ``record`` or a key that is not text are left out, as are articles the
    truth does not know.

    Args:
        articles: the ``articles`` table (``article_id``, ``raw_path``, ``record``).
        truth: one row per input record with ``raw_path``, ``record`` and ``column``
            (:func:`load_truth`).
        column: the truth column to read the key from.

    Returns:
        The keys (``string``), indexed by ``article_id`` in the order of ``articles``.

    Raises:
        ValueError: a table lacks a column needed for the join.

    Example:
        >>> a = pd.DataFrame({"article_id": ["i1", "i2"], "raw_path": ["x", "y"], "record": [0, 0]})
        >>> d = pd.DataFrame({"raw_path": ["x"], "record": [0], "article_key": ["k1"]})
        >>> article_keys(a, d).to_dict()
        {'i1': 'k1'}
    """
    for name, table, columns in (("articles", articles, ("article_id", "raw_path", "record")),
                                 ("truth documents", truth, ("raw_path", "record", column))):
        missing = [c for c in columns if c not in table.columns]
        if missing:
            raise ValueError(f"{name} table lacks columns {missing} needed to join reuse to truth; "
                             "pass the ingested articles and truth/documents.jsonl (load_truth)")
    key = {(str(p), int(r)): k for p, r, k in zip(truth.raw_path, truth.record, truth[column], strict=True)
           if not pd.isna(r) and isinstance(k, str)}
    pairs = [(a, key[(str(p), int(r))]) for a, p, r in zip(articles.article_id, articles.raw_path,
                                                           articles.record, strict=True)
             if not pd.isna(r) and (str(p), int(r)) in key]
    return pd.Series([k for _, k in pairs], dtype="string", name=column,
                     index=pd.Index([a for a, _ in pairs], dtype=object, name="article_id"))


def reuse_scores(reuse: pd.DataFrame, articles: pd.DataFrame, truth_documents: pd.DataFrame,
                 truth_reuse: pd.DataFrame) -> pd.DataFrame:
    """Score reuse pairs against the planted copies of a corpus's ground truth.

    Articles are joined to the truth by ``(raw_path, record)``; a pair is a truth pair when its
    two articles are a source and its copy of ``truth_reuse`` (either order). Measures:

    * ``reuse pair precision``: found pairs that are truth pairs. Pairs of two articles that the
      truth says are one article (duplicates that ingestion kept apart) are left out and counted
      in ``pairs of one article (left out)``; pairs with an article the truth does not know count
      as false.
    * ``false pairs that are siblings``: false pairs whose two articles copied one source.
    * ``reuse pair recall``: truth pairs with both articles ingested that were found.
    * ``direction right (dated pairs)``: found truth pairs with ``directed`` True whose
      ``article_a`` is the source; ``truth pairs with a direction``: the share of found truth
      pairs that are directed at all (dates of both known and different).
    * ``credited right``: found truth pairs whose ``credited`` equals the truth's.
    * ``whole/partial right``: found truth pairs whose ``whole_copy`` equals ``kind == whole``.

    Args:
        reuse: a ``reuse`` table.
        articles: the ``articles`` table (``article_id``, ``raw_path``, ``record``).
        truth_documents: one row per input record with ``raw_path``, ``record``, ``article_key``
            (:func:`load_truth`).
        truth_reuse: ``source_key``, ``copy_key``, ``kind`` (whole | partial), ``credited``
            (``truth/reuse.csv`` of the demo corpus).

    Returns:
        A table ``measure, value, hits, n, target`` (value = hits / n; NaN when n is 0).

    Raises:
        ValueError: when a table lacks a needed column.

    Example:
        >>> docs = pd.DataFrame({"raw_path": ["s.txt", "c.txt", "o.txt"], "record": [0, 0, 0],
        ...     "article_key": ["k1", "k2", "k3"]})
        >>> articles = pd.DataFrame({"article_id": ["i1", "i2", "i3"], "raw_path": docs.raw_path,
        ...     "record": [0, 0, 0]})
        >>> truth = pd.DataFrame({"source_key": ["k1"], "copy_key": ["k2"], "kind": ["whole"],
        ...     "credited": [True]})
        >>> reuse = pd.DataFrame({"article_a": ["i1", "i2"], "article_b": ["i2", "i3"],
        ...     "directed": [True, False], "credited": [True, False], "whole_copy": [True, False]})
        >>> scores = reuse_scores(reuse, articles, docs, truth).set_index("measure")
        >>> precision = scores.loc["reuse pair precision"]
        >>> float(precision.value), int(scores.loc["reuse pair recall", "hits"])
        (0.5, 1)
    """
    missing = [c for c in ("source_key", "copy_key", "kind", "credited") if c not in truth_reuse]
    missing += [c for c in ("article_a", "article_b", "directed", "credited", "whole_copy")
                if c not in reuse]
    if missing:
        raise ValueError(f"reuse or truth_reuse lacks columns {missing}; pass a reuse table and "
                         "truth/reuse.csv")
    key_of = article_keys(articles, truth_documents).to_dict()
    truth = {}
    for source, copy, kind, credited in zip(truth_reuse.source_key, truth_reuse.copy_key,
                                            truth_reuse.kind, truth_reuse.credited, strict=True):
        truth[frozenset((source, copy))] = (source, kind == "whole", _truthy(credited))
    rows = []

    def add(measure: str, hits: int, n: int) -> None:
        rows.append({"measure": measure, "value": hits / n if n else float("nan"), "hits": hits,
                     "n": n, "target": REUSE_TARGETS.get(measure)})

    source_of = {copy: source for source, copy in zip(truth_reuse.source_key, truth_reuse.copy_key, strict=True)}
    found: dict[frozenset, list] = {}
    same_article = siblings = 0
    for a, b, directed, credited, whole in zip(reuse.article_a, reuse.article_b, reuse.directed,
                                               reuse.credited, reuse.whole_copy, strict=True):
        key_a, key_b = key_of.get(a), key_of.get(b)
        if key_a is None or key_b is None:
            continue
        if key_a == key_b:
            same_article += 1
            continue
        pair = frozenset((key_a, key_b))
        if pair in truth:
            found.setdefault(pair, []).append((key_a, bool(directed), bool(credited), bool(whole)))
        elif source_of.get(key_a) is not None and source_of.get(key_a) == source_of.get(key_b):
            siblings += 1
    true_rows = sum(len(v) for v in found.values())
    scored = len(reuse) - same_article  # pairs with an article unknown to the truth count as false
    add("reuse pair precision", true_rows, scored)
    add("false pairs that are siblings", siblings, scored - true_rows)
    add("pairs of one article (left out)", same_article, len(reuse))
    ingested = set(key_of.values())
    findable = [p for p in truth if p <= ingested]
    add("reuse pair recall", sum(p in found for p in findable), len(findable))
    # each truth pair scored once: its first reuse row (two rows only when ingestion kept a
    # duplicate of one of its articles)
    first = {pair: rows_[0] for pair, rows_ in found.items()}
    directed = [(pair, row) for pair, row in first.items() if row[1]]
    add("direction right (dated pairs)",
        sum(row[0] == truth[pair][0] for pair, row in directed), len(directed))
    add("truth pairs with a direction", len(directed), len(first))
    add("credited right", sum(row[2] == truth[pair][2] for pair, row in first.items()), len(first))
    add("whole/partial right", sum(row[3] == truth[pair][1] for pair, row in first.items()),
        len(first))
    return pd.DataFrame(rows, columns=["measure", "value", "hits", "n", "target"])


def _truthy(value: object) -> bool:
    """Read a truth flag written as bool, ``true``/``false`` text or 0/1."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value) and not pd.isna(value)


# --------------------------------------------------------------------------------------------
# Ground truth: planted republication chains
# --------------------------------------------------------------------------------------------

FIRST_MOVER_TARGET = 0.95
"""The issue's target: the first mover is right for at least this share of planted chains that
get one (chains whose first mover stays uncertain are counted apart, as coverage)."""


def chain_first_movers(movers: pd.DataFrame, stories: pd.DataFrame, articles: pd.DataFrame,
                       truth_documents: pd.DataFrame,
                       truth_reuse: pd.DataFrame) -> pd.DataFrame:
    """Compare named first movers with the planted republication chains of a synthetic corpus.

    A chain is one planted source article and its copies (``truth/reuse.csv`` of the demo
    corpus). It is judged in the story that holds its source article.

    Args:
        movers: from :func:`first_movers`.
        stories: the STORIES table the movers were computed on.
        articles: the ARTICLES table (``article_id``, ``raw_path``, ``record``).
        truth_documents: ``truth/documents.jsonl`` (``raw_path``, ``record``, ``article_key``),
            e.g. from :func:`mediaprov.evaluate.load_truth`.
        truth_reuse: ``truth/reuse.csv`` (``source_key``, ``copy_key``, ``source_outlet``).

    Returns:
        One row per chain, sorted by ``source_key``: ``source_key``, ``source_outlet``,
        ``copies``, ``source_article`` and ``story_id`` (missing when ingestion lost the source),
        ``story_articles``, ``first_outlet``, ``order``, ``order_evidence`` and ``correct``
        (missing when no first mover is named).

    Example:
        >>> m = pd.DataFrame({"story_id": ["s"], "first_outlet": ["vna"], "order": ["decided"],
        ...     "order_evidence": ["credit"]})
        >>> s = pd.DataFrame({"article_id": ["i1", "i2"], "story_id": ["s", "s"]})
        >>> a = pd.DataFrame({"article_id": ["i1", "i2"], "raw_path": ["x", "y"], "record": [0, 0]})
        >>> d = pd.DataFrame({"raw_path": ["x", "y"], "record": [0, 0],
        ...     "article_key": ["k1", "k2"]})
        >>> r = pd.DataFrame({"source_key": ["k1"], "copy_key": ["k2"], "source_outlet": ["vna"]})
        >>> chain_first_movers(m, s, a, d, r).correct.tolist()
        [True]
    """
    from mediaprov.timelines.first_movers import UNCERTAIN

    require_columns(truth_reuse, ("source_key", "copy_key", "source_outlet"), "truth_reuse")
    require_columns(truth_documents, ("raw_path", "record", "article_key"), "truth_documents")
    require_columns(articles, ("article_id", "raw_path", "record"), "articles")
    keys = article_keys(articles, truth_documents)
    article_of = dict(zip(keys.astype(str), keys.index.astype(str), strict=True))
    story_of = dict(zip(stories["article_id"].astype(str), stories["story_id"].astype(str), strict=True))
    size_of = stories.groupby("story_id").size()
    chains = truth_reuse.astype({"source_key": str}).groupby("source_key", sort=True).agg(
        source_outlet=("source_outlet", "first"), copies=("copy_key", "size")).reset_index()
    chains["source_article"] = chains["source_key"].map(article_of)
    chains["story_id"] = chains["source_article"].map(story_of)
    chains["story_articles"] = chains["story_id"].map(size_of).astype("Int64")
    named = movers.loc[:, ["story_id", "first_outlet", "order", "order_evidence"]]
    chains = chains.merge(named.astype({"story_id": str}), on="story_id", how="left")
    chains["order_evidence"] = chains["order_evidence"].fillna(UNCERTAIN)
    correct = chains["first_outlet"].astype("string") == chains["source_outlet"].astype("string")
    chains["correct"] = correct.where(chains["first_outlet"].notna()).astype("boolean")
    chains = chains.astype({"source_key": "string", "source_outlet": "string",
                            "copies": "int64", "source_article": "string",
                            "story_id": "string", "first_outlet": "string", "order": "string",
                            "order_evidence": "string"})
    return chains.sort_values("source_key", kind="stable").reset_index(drop=True)


def first_mover_scores(chains: pd.DataFrame) -> pd.DataFrame:
    """Summarise :func:`chain_first_movers`: coverage, accuracy, and accuracy per evidence.

    Args:
        chains: from :func:`chain_first_movers`.

    Returns:
        ``measure``, ``value`` (= hits / n), ``hits``, ``n``, ``target``: the share of chains with
        a named first mover (coverage: no target, reported as it is), the share correct among
        named ones (target :data:`FIRST_MOVER_TARGET`), then coverage and accuracy per kind of
        evidence.

    Example:
        >>> c = pd.DataFrame({"order_evidence": ["date", "credit", "uncertain"],
        ...     "correct": pd.array([True, True, pd.NA], dtype="boolean")})
        >>> first_mover_scores(c).set_index("measure").value.round(3).tolist()[:2]
        [0.667, 1.0]
    """
    require_columns(chains, ("order_evidence", "correct"), "chains")
    named = chains.loc[chains["correct"].notna()]
    rows = [
        {"measure": "chains with a named first mover", "hits": len(named), "n": len(chains),
         "target": np.nan},
        {"measure": "first mover correct, among named", "hits": int(named["correct"].sum()),
         "n": len(named), "target": FIRST_MOVER_TARGET},
    ]
    from mediaprov.stories import ORDER_EVIDENCE

    for evidence in ORDER_EVIDENCE:
        part = named.loc[named["order_evidence"] == evidence]
        rows.append({"measure": f"named by {evidence}", "hits": len(part), "n": len(chains),
                     "target": np.nan})
        rows.append({"measure": f"correct when named by {evidence}",
                     "hits": int(part["correct"].sum()), "n": len(part), "target": np.nan})
    table = pd.DataFrame(rows)
    table["value"] = (table["hits"] / table["n"].where(table["n"] > 0)).astype("float64")
    return table.loc[:, ["measure", "value", "hits", "n", "target"]].astype(
        {"measure": "string", "hits": "int64", "n": "int64", "target": "float64"})


TEMPLATE_TARGETS: dict[str, float] = {"template lines precision": 0.98, "template lines recall": 0.95}
"""Targets of the page-template issue (planted template lines blanked from ``clean_text``)."""


def template_scores(articles: pd.DataFrame, truth: pd.DataFrame, *, blanked_share: float = 0.5) -> pd.DataFrame:
    r"""Score the template cleaner against planted template lines (``truth.template_lines``).

    A line of ``articles.text`` counts as removed when at least ``blanked_share`` of its
    non-space characters are blank in ``clean_text``. Lines are matched as multisets per article,
    so the second and third copies of a repeated body count, and its first copy must stay.

    Args:
        articles: ``articles`` with ``raw_path``, ``record``, ``text`` and ``clean_text``.
        truth: ``truth/documents.jsonl`` rows (``template_lines``).
        blanked_share: share of a line's non-space characters that must be blank for the line to
            count as removed.

    Returns:
        ``measure, value, n`` rows: precision (removed lines that were planted), recall (planted
        lines removed), and the counts.

    Example:
        >>> arts = pd.DataFrame({"raw_path": ["a"], "record": [0], "text": ["Body.\nAdvertisement"],
        ...                      "clean_text": ["Body.\n             "]})
        >>> truth = pd.DataFrame({"raw_path": ["a"], "record": [0], "template_lines": [["Advertisement"]]})
        >>> float(template_scores(arts, truth).set_index("measure").loc["template lines recall", "value"])
        1.0
    """
    from collections import Counter

    if "template_lines" not in truth.columns:
        raise KeyError("truth has no template_lines: regenerate the demo corpus with `mediaprov demo`")
    planted = {(p, int(r)): lines for p, r, lines in zip(truth["raw_path"], truth["record"], truth["template_lines"], strict=True)
               if isinstance(lines, list)}
    hits = removed = expected = 0
    for path, record, text, clean in zip(articles["raw_path"], articles["record"], articles["text"],
                                         articles["clean_text"], strict=True):
        lines = planted.get((path, int(record)))
        if lines is None or clean is None or clean is pd.NA:
            continue
        gone: Counter = Counter()
        for raw, cleaned in zip(str(text).split("\n"), str(clean).split("\n"), strict=True):
            content = len(raw) - raw.count(" ")
            if raw.strip() and len(cleaned) - cleaned.count(" ") <= (1 - blanked_share) * content:
                gone[raw.strip()] += 1
        want = Counter(line.strip() for line in lines)
        hit = sum(min(gone[line], n) for line, n in want.items())
        hits, removed, expected = hits + hit, removed + sum(gone.values()), expected + sum(want.values())
    return pd.DataFrame([
        {"measure": "template lines precision", "value": hits / removed if removed else 1.0, "n": removed},
        {"measure": "template lines recall", "value": hits / expected if expected else 1.0, "n": expected},
    ])
