r"""Page templates learnt from the corpus, blanked out of the text that analyses read.

A scrape keeps whatever the page showed around the article: gallery captions, "Replay More
Videos" strips, newsletter sign-up widgets with a country list, licence and copyright lines,
contributor bios, "Advertisement" slots. Curated patterns (``data/reference/boilerplate.csv``)
catch the generic ones at the top and bottom of a page; this module learns the rest from the
corpus itself, **per outlet**: what recurs across many articles of one outlet is that outlet's
template; what recurs across *different* outlets is reuse (a wire story in forty outlets) and is
never learnt here.

``articles.text`` stays the extracted article. :func:`clean_frame` adds ``clean_text``: ``text``
with every template span replaced by spaces of the same length (newlines kept), so an offset into
``clean_text`` is an offset into ``text`` and evidence still points at the original. What was
blanked is recorded: the ``templates`` table (one row per learnt pattern, with its support and an
example) and the ``template_spans`` table (one row per blanked span of an article).

The work is split in three modules, re-exported here (import from this module):

* :mod:`mediaprov.ingest.template_units`: what a line is cut into (lines, segments, prefixes,
  bigrams of short lines), normalised and hashed to keys;
* :mod:`mediaprov.ingest.template_learning`: :func:`learn`, the per-outlet thresholds of
  :class:`TemplateConfig`, cross-outlet widgets, a bounded sample of each outlet;
* :mod:`mediaprov.ingest.template_cleaning`: :func:`clean_article`, the rules that blank spans
  (repeated bodies, galleries, curated lines, credit lines, template units).

This module holds the tables: :func:`clean_frame` for an in-memory table, :func:`clean_ingested`
for the ingest's ``articles.parquet`` (two streamed passes: learn from the sampled rows, then clean
every batch), the ``templates`` and ``template_spans`` rows, and the summary lines. Embedded posts
(the signature line and the post text above it) are never templates.

Review and override: the ``templates`` table is written beside ``articles``. To keep a learnt
pattern in the text, add a row to ``data/reference/template_overrides.csv`` (columns ``outlet_id``,
``kind``, ``pattern``, ``action``) with ``action=keep`` and the ``outlet_id``, ``kind`` and
``pattern`` as the table shows them; ``action=remove`` adds a pattern that was not learnt.
``outlet_id`` ``*`` applies to every outlet.

Example:
    >>> import pandas as pd
    >>> body = "The {n} story about the harbour.\n\nReplay More Videos ...\n\nAdvertisement"
    >>> words = ["first", "second", "third", "fourth", "fifth"]
    >>> arts = pd.DataFrame({"article_id": [str(n) for n in range(5)], "outlet_id": ["x"] * 5,
    ...                      "text": [body.format(n=w) for w in words]})
    >>> cleaned = clean_frame(arts)
    >>> cleaned.articles.loc[0, "clean_text"].split()
    ['The', 'first', 'story', 'about', 'the', 'harbour.']
    >>> len(cleaned.articles.loc[0, "clean_text"]) == len(arts.loc[0, "text"])
    True
    >>> sorted(cleaned.templates["pattern"])
    ['advertisement', 'replay more videos ...']
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from mediaprov import paths
from mediaprov.engine import Engine, iter_partitions, session, workers_can_read
from mediaprov.ingest.limits import describe_error
from mediaprov.ingest.template_cleaning import (_AGENCIES, BODY_REPEAT_SHARE, GRAM_LINE_SHARE, REPEAT_MIN_LINES,
                                                REPEAT_MIN_WORDS, SELF_REPEAT_WORDS, SHORT_LINE_SHARE, Cleaned,
                                                clean_article, curated_regex)
from mediaprov.ingest.template_learning import (GLOBAL, TemplateConfig, TemplateModel, _rates, _sampled,
                                                learn)
from mediaprov.ingest.template_units import (LONG_WORDS, PREFIX_LENGTHS, SHORT_LINE_WORDS, WIDGET_WORDS,
                                             _key)
from mediaprov.parquet import arrow_rows, arrow_table

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

    from mediaprov.ingest.outlets import OutletRegistry

__all__ = [
    "BODY_REPEAT_SHARE", "CLEAN_BATCH_ROWS", "FAILED_IN_A_ROW", "GLOBAL", "GRAM_LINE_SHARE", "KINDS", "LEARNT_KINDS", "LONG_WORDS", "PREFIX_LENGTHS",
    "REPEAT_MIN_LINES", "REPEAT_MIN_WORDS", "SELF_REPEAT_WORDS", "SHORT_LINE_SHARE", "SHORT_LINE_WORDS",
    "WIDGET_WORDS", "CleanResult", "Cleaned", "TemplateConfig", "TemplateModel", "clean_article",
    "clean_frame", "clean_ingested", "clean_slice", "curated_regex", "learn", "load_overrides", "summary_lines",
]

_LOG = logging.getLogger(__name__)

CLEAN_BATCH_ROWS = 5_000
"""Rows of ``articles.parquet`` cleaned of templates at a time (one task on a cluster)."""

KINDS: tuple[str, ...] = ("line", "segment", "prefix", "gram", "gallery", "curated", "credit", "repeat")
LEARNT_KINDS: tuple[str, ...] = ("line", "segment", "prefix", "gram")


def _template_id(scope: str, kind: str, pattern: str) -> str:
    return hashlib.sha1(f"{scope}|{kind}|{pattern}".encode()).hexdigest()[:12]


@dataclass
class _Collector:
    """Accumulates the template and span rows, and the per-outlet figures, while cleaning."""

    model: TemplateModel
    spans: list[tuple] = field(default_factory=list)
    examples: dict[tuple[str, str, str], list] = field(default_factory=dict)
    leftover: Counter = field(default_factory=Counter)
    tokens: Counter = field(default_factory=Counter)
    repeated_bodies: int = 0
    credits: int = 0

    def add(self, article_id: str, outlet: str | None, cleaned: Cleaned, text: str) -> None:
        outlet = outlet or ""
        own = self.model.keys.get(outlet, set())
        for start, end, kind, pattern, key in sorted(cleaned.spans):
            if kind in LEARNT_KINDS:
                scope = outlet if key in own else GLOBAL
            else:
                scope = ""
            entry = (scope, kind, pattern)
            example = self.examples.get(entry)
            if example is None:
                example = self.examples[entry] = [article_id, start, end, 0,
                                                  self.model.support.get((outlet, key)), None,
                                                  _template_id(*entry)]
            if example[5] != article_id:
                example[3] += 1
                example[5] = article_id
            self.spans.append((article_id, example[6], kind, start, end))
        self.leftover[outlet] += cleaned.leftover_tokens
        self.tokens[outlet] += cleaned.tokens
        self.repeated_bodies += cleaned.body_copies > 1
        self.credits += cleaned.credit_line is not None

    def merge(self, other: _Collector) -> None:
        """Add what another collector gathered over later articles (a worker's slice, in order).

        The first example of a pattern stays; articles counts add up (no article is in two slices).
        """
        for entry, example in other.examples.items():
            mine = self.examples.get(entry)
            if mine is None:
                self.examples[entry] = example
            else:  # an article counts once, even were it at the end of one batch and the start of the next
                mine[3] += example[3] - (mine[5] == example[0])
                mine[5] = example[5]
        self.spans.extend(other.spans)
        self.leftover.update(other.leftover)
        self.tokens.update(other.tokens)
        self.repeated_bodies += other.repeated_bodies
        self.credits += other.credits

    def detached(self) -> _Collector:
        """This collector without its model (an empty one of the same config), to be sent back."""
        return _Collector(TemplateModel(self.model.config), self.spans, self.examples, self.leftover,
                          self.tokens, self.repeated_bodies, self.credits)

    def templates(self) -> pd.DataFrame:
        from mediaprov.schema import TEMPLATES, validate

        rows = []
        for (scope, kind, pattern), (article, start, end, applied, support, *_) in self.examples.items():
            if kind not in LEARNT_KINDS:
                continue
            if scope == GLOBAL:
                support = sum(self.model.support.get((o, k), 0) for o in self.model.keys
                              for k in (_key(kind, pattern, pattern.count(" ") + 1),))
            rows.append({"template_id": _template_id(scope, kind, pattern), "outlet_id": scope,
                         "kind": kind, "pattern": pattern, "support": support,
                         "sampled": self.model.sampled.get(scope) if scope != GLOBAL
                         else sum(self.model.sampled.values()),
                         "articles": applied, "example_article": article, "example_start": start,
                         "example_end": end})
        table = pd.DataFrame(rows, columns=list(TEMPLATES.columns))
        table = table.sort_values(["outlet_id", "kind", "articles", "pattern"],
                                  ascending=[True, True, False, True], kind="stable")
        return validate(table.reset_index(drop=True), TEMPLATES, where="templates")

    def span_table(self) -> pd.DataFrame:
        from mediaprov.schema import TEMPLATE_SPANS, validate

        table = pd.DataFrame(self.spans, columns=["article_id", "template_id", "kind", "start", "end"])
        return validate(table, TEMPLATE_SPANS, where="template_spans")

    def leftover_by_outlet(self) -> pd.Series:
        """Share of clean tokens in lines that recur within the outlet, per outlet."""
        outlets = sorted(o for o in self.tokens if self.tokens[o])
        return pd.Series({o or "(unknown)": round(self.leftover[o] / self.tokens[o], 4) for o in outlets},
                         name="leftover_template_share", dtype=float)


_AGENCY_NAMES = {**_AGENCIES, **{name.lower(): name for name in _AGENCIES.values()}}
"""Agency acronyms and lower-cased full names -> full name ("ap", "associated press")."""

_AGENCY_STAFF = re.compile(
    r"^(?P<agency>" + "|".join(re.escape(name.lower()) for name in _AGENCIES.values()) + r")\s+\S"
    r"|^(?P<acronym>" + "|".join(_AGENCIES) + r")\s+(?:staff\s+)?(?:writers?|reporters?|correspondents?"
    r"|photographers?|editors?)\b")
"""A credit to an agency's own journalist: "Associated Press writer Jane Roe in Kade", "AP reporter ..."."""


def _agency_of_part(part: str) -> str | None:
    """The agency one credited contributor stands for: the agency itself or one of its journalists."""
    part = part.strip().lower().removeprefix("the ").strip()
    if part in _AGENCY_NAMES:
        return _AGENCY_NAMES[part]
    staff = _AGENCY_STAFF.match(part)
    if staff:
        return _AGENCY_NAMES[staff.group("agency") or staff.group("acronym")]
    return None


def _agency_name(who: str) -> str:
    """The name a credit line's ``who`` is resolved by: agencies by their full name, no "The".

    When several contributors are credited and one is a news agency ("Fox News' Jane Roe and The
    Associated Press"), or the contributor is an agency's own journalist ("Associated Press
    writer Jane Roe in Kade"), the agency is the source the text came from.

    Example:
        >>> _agency_name("The Associated Press"), _agency_name("AP"), _agency_name("the Tribune")
        ('Associated Press', 'Associated Press', 'Tribune')
        >>> _agency_name("Fox News' Jane Roe and The Associated Press")
        'Associated Press'
        >>> _agency_name("Associated Press writers Jane Roe in Kade and Ivo Rask in Brask")
        'Associated Press'
        >>> _agency_name("Jane Roe, Daily Orlet; The Associated Press"), _agency_name("Apex staff")
        ('Associated Press', 'Apex staff')
    """
    named = _AGENCY_NAMES.get(who.lower().removeprefix("the ").strip())
    if named:
        return named
    agencies = {agency for part in re.split(r",|;|\band\b|&", who, flags=re.IGNORECASE)
                if (agency := _agency_of_part(part))}
    if len(agencies) == 1:
        return agencies.pop()
    return who.strip().removeprefix("The ").removeprefix("the ")


def _missing(value: object) -> bool:
    """Whether a cell is missing: ``None``, ``pd.NA`` or a float NaN, never a string.

    pandas 3 gives a string column's nulls as NaN in ``tolist()``, so ``is pd.NA`` is not enough.
    """
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _clean_rows(frame: pd.DataFrame, model: TemplateModel, collector: _Collector, *,
                curated: re.Pattern[str] | None, registry: Any = None, copy: bool = True,
                texts: list[str | None] | None = None) -> pd.DataFrame:
    """Add ``clean_text``, ``template_chars``, ``body_copies`` (and credits) to a chunk of articles.

    Args:
        frame: the articles: ``article_id`` and ``text``, and ``outlet_id``, ``credit_line`` and
            ``credited_source`` when present (missing ones are read as nulls).
        model: learnt templates (:func:`learn`).
        collector: gathers each article's blanked spans, the patterns they came from and the
            leftover counts.
        curated: one regular expression of the curated ``where=any`` line patterns (:func:`curated_regex`).
        registry: outlet registry (``resolve``), to turn a credit's name into ``credited_source``;
            agency and press credits it does not resolve (all of them when ``None``) get a
            provisional outlet id.
        copy: add the columns to a copy of ``frame``; when false, ``frame`` itself is changed.
        texts: ``frame["text"]`` as Python strings (nulls as ``None``), when the caller has them
            (from Arrow, twice as fast as from pandas).

    Returns:
        The articles with the added columns; ``credit_line`` and ``credited_source`` are filled where
        they were null and a credit was found.
    """
    clean, blanked, copies = [], [], []
    credit_lines = frame["credit_line"].tolist() if "credit_line" in frame else [None] * len(frame)
    credited = frame["credited_source"].tolist() if "credited_source" in frame else [None] * len(frame)
    outlets = frame["outlet_id"].tolist() if "outlet_id" in frame else [None] * len(frame)
    rows = zip(frame["article_id"].tolist(), outlets, frame["text"].tolist() if texts is None else texts, strict=True)
    credits_found = False
    for i, (article_id, outlet, text) in enumerate(rows):
        text = "" if _missing(text) else str(text)
        outlet = None if _missing(outlet) else str(outlet)
        cleaned = clean_article(text, outlet, model, curated=curated)
        collector.add(str(article_id), outlet, cleaned, text)
        clean.append(cleaned.clean_text)
        blanked.append(sum(e - s for s, e, *_ in cleaned.spans) if cleaned.spans else 0)
        copies.append(cleaned.body_copies)
        if cleaned.credit_line is not None and _missing(credit_lines[i]):
            credit_lines[i] = cleaned.credit_line
            credits_found = True
            who = cleaned.credit_who
            if who and _missing(credited[i]):
                name = _agency_name(who)
                resolved = registry.resolve(name) if registry is not None else None
                if resolved is None and (who.lower() in _AGENCIES or "press" in who.lower()
                                         or "reuters" in who.lower()):
                    from mediaprov.ingest.outlets import provisional_outlet_id

                    resolved = provisional_outlet_id(name)
                credited[i] = resolved
    out = frame.copy() if copy else frame
    out["clean_text"] = clean
    out["template_chars"] = blanked
    out["body_copies"] = copies
    if credits_found or "credit_line" not in out:  # else the columns are as they came
        out["credit_line"] = credit_lines
    if credits_found or "credited_source" not in out:
        out["credited_source"] = credited
    return out


@dataclass
class CleanResult:
    """The result of :func:`clean_frame`.

    The articles with ``clean_text``, the learnt templates, the blanked spans and the
    leftover-template share per outlet.
    """

    articles: pd.DataFrame
    templates: pd.DataFrame
    spans: pd.DataFrame
    leftover: pd.Series
    repeated_bodies: int = 0


def clean_frame(articles: pd.DataFrame, *, curated: tuple[Any, ...] = (), registry: Any = None,
                config: TemplateConfig | None = None, overrides: pd.DataFrame | None = None) -> CleanResult:
    """Learn templates from an in-memory ``articles`` table and add ``clean_text`` to it.

    Args:
        articles: at least ``article_id``, ``outlet_id`` and ``text``.
        curated: curated line patterns (:func:`mediaprov.ingest.scrape.load_boilerplate`).
        registry: outlet registry, to resolve credit lines to outlets.
        config: learning thresholds.
        overrides: reviewed template rows (see the module docstring).

    Returns:
        A :class:`CleanResult`.

    Example: see the module docstring.
    """
    sizes = articles["outlet_id"].fillna("").value_counts().to_dict() if len(articles) else {}
    model = learn(zip(articles["article_id"].astype(str), articles["outlet_id"], articles["text"].fillna(""),
                      strict=True),
                  outlet_sizes=sizes, config=config, overrides=overrides)
    collector = _Collector(model)
    cleaned = _clean_rows(articles, model, collector, curated=curated_regex(curated), registry=registry)
    return CleanResult(cleaned, collector.templates(), collector.span_table(), collector.leftover_by_outlet(),
                       collector.repeated_bodies)


def load_overrides(path: Path | None = None) -> pd.DataFrame | None:
    """Read reviewed template overrides (``data/reference/template_overrides.csv``), if present.

    Example:
        >>> load_overrides(Path("/nonexistent.csv")) is None
        True
    """
    csv_path = Path(path) if path else paths.reference_dir() / "template_overrides.csv"
    if not csv_path.exists():
        return None
    table = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    missing = {"outlet_id", "kind", "pattern", "action"} - set(table.columns)
    if missing:
        raise ValueError(f"{csv_path}: missing columns {sorted(missing)}; expected outlet_id, kind, pattern, "
                         f"action (keep | remove)")
    return table


def clean_ingested(folder: Path, *, registry: OutletRegistry | None = None, curated: tuple[Any, ...] = (),
                   config: TemplateConfig | None = None, batch_size: int | None = None,
                   engine: Engine | None = None) -> dict[str, Any]:
    r"""The ingest hook: learn templates from ``folder/articles.parquet`` and clean it.

    Rewrites it with ``clean_text`` (atomically), and writes ``templates.parquet`` and
    ``template_spans.parquet``. Streams the table twice in batches (learn from the sampled rows
    here, then clean every batch: :func:`clean_slice`), so memory stays bounded. On a parallel
    engine the batches are cleaned by the workers (each reads its rows when it can open the file,
    else this process sends them) and written here in order: the same tables.

    Args:
        folder: an ingest output folder.
        registry: outlet registry (credit lines).
        curated: curated line patterns.
        config: learning thresholds.
        batch_size: rows per batch (and per row group of the rewritten table; default
            :data:`CLEAN_BATCH_ROWS`).
        engine: where the batches are cleaned (default: in this process; a table of one batch
            always is). Inside an open :func:`mediaprov.engine.session` its cluster is used.

    Returns:
        Figures for the ingest summary: ``templates``, ``blanked_spans``, ``repeated_bodies``,
        ``credit_lines`` and ``leftover`` (share per outlet).

    Example:
        >>> import tempfile
        >>> from mediaprov.ingest.pipeline import ingest
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "a.txt").write_text("A Title\n\nThe body of a short article, here.\n")
        >>> figures = ingest(folder, out=folder / "out").summary.templates
        >>> figures["templates"], (folder / "out" / "templates.parquet").exists()
        (0, True)
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from mediaprov.io import write_table
    from mediaprov.parquet import ChunkedTableWriter
    from mediaprov.schema import ARTICLES, TEMPLATE_SPANS, TEMPLATES

    path = (Path(folder) / "articles.parquet").absolute()
    batch_size = batch_size or CLEAN_BATCH_ROWS
    outlets = pq.read_table(path, columns=["outlet_id"]).column(0).to_pylist()
    sizes = Counter(o or "" for o in outlets)
    rows = len(outlets)
    del outlets

    rates = _rates(dict(sizes), config or TemplateConfig())

    def triples() -> Iterator[tuple[str, str | None, str]]:
        """The rows that learning samples (only their text becomes Python strings)."""
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size,
                                                        columns=["article_id", "outlet_id", "text"]):
            ids, outlets = batch.column(0).to_pylist(), batch.column(1).to_pylist()
            keep = [_sampled(a, rates.get(o or "", 1.0)) for a, o in zip(ids, outlets, strict=True)]
            if any(keep):
                texts = batch.column(2).filter(pa.array(keep)).to_pylist()
                yield from zip(compress(ids, keep), compress(outlets, keep), (t or "" for t in texts),
                               strict=True)

    model = learn(triples(), outlet_sizes=dict(sizes), config=config, overrides=load_overrides())
    collector = _Collector(model)
    bounds = [(start, min(start + batch_size, rows)) for start in range(0, rows, batch_size)]
    engine = engine if engine is not None and engine.parallel and len(bounds) > 1 else Engine()
    shared = {"path": path, "model": model, "curated": curated_regex(curated), "registry": registry}
    with session(engine), ChunkedTableWriter(path, ARTICLES) as writer:
        sent: Iterator[tuple[int, int] | pa.Table] = iter(bounds)
        readable = not engine.parallel or workers_can_read(path, engine=engine)
        if not readable:  # this process reads the rows and sends them
            sent = (arrow_rows(path, start, stop) for start, stop in bounds)
        results = iter_partitions(clean_slice, sent, engine=engine, shared=shared, errors=engine.parallel,
                                  inline=readable)
        with contextlib.closing(results):  # on an error, the tasks still queued are let go
            for table, part in _cleaned_batches(bounds, results, shared, name=path.name):
                writer.write_arrow(table)
                collector.merge(part)
    templates = collector.templates()
    write_table(templates, Path(folder) / "templates.parquet", TEMPLATES)
    write_table(collector.span_table(), Path(folder) / "template_spans.parquet", TEMPLATE_SPANS)
    leftover = collector.leftover_by_outlet()
    return {"templates": len(templates), "blanked_spans": len(collector.spans),
            "repeated_bodies": collector.repeated_bodies, "credit_lines": collector.credits,
            "leftover": {k: float(v) for k, v in leftover.items()}}


FAILED_IN_A_ROW = 3
"""Batches that fail on the workers one after the other before this process cleans the rest
itself (workers that all lack a package, a scheduler gone: one warning, not one per batch)."""


def _cleaned_batches(bounds: list[tuple[int, int]], results: Iterator[Any], shared: dict[str, Any], *,
                     name: str) -> Iterator[tuple[pa.Table, _Collector]]:
    """The workers' cleaned batches in order, a failed one cleaned here in its place."""
    failed = 0
    for index, (start, stop) in enumerate(bounds):
        result = next(results)
        if not isinstance(result, BaseException):
            failed = 0
            yield result
            continue
        failed += 1
        if failed < FAILED_IN_A_ROW:  # a worker lost: this process cleans the batch
            _LOG.warning("ingest: the task cleaning rows %d-%d of %s failed (%s); this process cleans "
                         "them", start, stop, name, describe_error(result))
            yield clean_slice((start, stop), **shared)
            continue
        _LOG.warning("ingest: %d tasks cleaning %s failed in a row (the last: %s); this process cleans "
                     "the remaining %d batches", failed, name, describe_error(result), len(bounds) - index)
        for rest in bounds[index:]:
            yield clean_slice(rest, **shared)
        return
    next(results, None)  # the stream ends (and says how many tasks it ran)


def clean_slice(rows: tuple[int, int] | pa.Table, *, path: Path, model: TemplateModel,
                curated: re.Pattern[str] | None,
                registry: OutletRegistry | None = None) -> tuple[pa.Table, _Collector]:
    r"""Clean one batch of ``articles.parquet`` (a worker's task in :func:`clean_ingested`).

    Args:
        rows: the batch: its row bounds ``(start, stop)`` in ``path``, or its rows.
        path: the ``articles.parquet`` being cleaned (read for bounds).
        model: the learnt templates.
        curated: :func:`curated_regex` of the curated patterns.
        registry: outlet registry (credit lines).

    Returns:
        The rows with ``clean_text`` and the other added columns, as the Arrow table that is
        written (:func:`mediaprov.parquet.arrow_table`), and what cleaning them gathered: the
        collector of the batch, without the model (its blanked ``spans``, the first ``examples``
        of each pattern, ``leftover`` and ``tokens`` per outlet, ``repeated_bodies`` and
        ``credits``), which :func:`clean_ingested` merges into the run's in batch order.

    Example:
        >>> import tempfile
        >>> from mediaprov.ingest.pipeline import ingest
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "a.txt").write_text("A Title\n\nThe body of a short article, here.\n")
        >>> path = ingest(folder, out=folder / "out").out_dir / "articles.parquet"
        >>> table, gathered = clean_slice((0, 1), path=path, model=learn([]), curated=None)
        >>> table.column("clean_text").to_pylist(), len(gathered.spans)
        (['The body of a short article, here.'], 0)
    """
    from mediaprov.schema import ARTICLES

    table = arrow_rows(path, *rows) if isinstance(rows, tuple) else rows
    collector = _Collector(model)
    frame = _clean_rows(table.to_pandas(), model, collector, curated=curated, registry=registry, copy=False,
                        texts=table.column("text").to_pylist())
    return arrow_table(frame, ARTICLES, where=str(path)), collector.detached()


def summary_lines(figures: dict[str, Any], *, top: int = 5) -> list[str]:
    """Lines of the ingest summary for the template pass (empty when it did not run).

    Example:
        >>> summary_lines({"templates": 2, "blanked_spans": 9, "repeated_bodies": 1, "credit_lines": 0,
        ...                "leftover": {"a": 0.01, "b": 0.2}})[1]
        'leftover template share (tokens of clean_text in lines that recur within the outlet): b 0.200, a 0.010'
    """
    if not figures:
        return []
    leftover = sorted(figures.get("leftover", {}).items(), key=lambda item: (-item[1], item[0]))
    return [
        f"page templates learnt: {figures['templates']}; spans blanked in clean_text: {figures['blanked_spans']}; "
        f"credit lines: {figures['credit_lines']}; repeated bodies collapsed: {figures['repeated_bodies']}",
        "leftover template share (tokens of clean_text in lines that recur within the outlet): "
        + (", ".join(f"{o} {v:.3f}" for o, v in leftover[:top]) or "none"),
    ]
