r"""Ingestion: raw files in, a trustworthy ``articles`` table and a complete ``ingest_log`` out.

Every input record ends in exactly one of three states, logged in ``ingest_log``:

* ``ingested``: it became a row of ``articles``;
* ``duplicate``: it is the same article of the same outlet as an earlier record
  (``duplicate_of`` names it);
* ``quarantined``: it could not be used, and ``reason`` says why (empty file, binary, undecodable,
  malformed line, no body text...).

so that ``inputs == ingested + duplicates + quarantined`` always holds (checked at the end of
every run). Any exception while reading, parsing or storing one record quarantines that record
with its reason, and the run goes on; each record is normalised first (valid UTF-8, dates in a
plausible range for the run's recorded reference day ``as_of``, or flagged) and bounded (a size
cap and a time budget). Entries of the input folder that are not inputs (hidden, reference files,
ground truth) are listed in the summary and the manifest. Records are streamed and written in
chunks, so memory stays bounded; the tables of a run are published together, atomically, under a
lock (:func:`mediaprov.io.stage_output`).

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("A Title\n\nThe body of a short article, here.\n")
    >>> _ = (folder / "empty.txt").write_bytes(b"")
    >>> result = ingest(folder, out=folder / "out")
    >>> result.summary.ingested, result.summary.quarantined
    (1, 1)
"""

from __future__ import annotations

import contextlib
import json
import time
from collections import Counter
from datetime import date
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from mediaprov import paths
from mediaprov import reference
from mediaprov.engine import Engine, session
from mediaprov.io import atomic_write, read_table, sha256_file, stage_output
from mediaprov.parquet import ChunkedTableWriter, rows_table
from mediaprov.ingest.dates import judging_as_of
from mediaprov.ingest.dedup import DuplicateFinder
from mediaprov.ingest.outlets import OutletRegistry
from mediaprov.ingest.parsing import parse_fields, parse_record
from mediaprov.ingest.partitioned import ParseSettings, Parsed, parsed_inputs, sends_files, stage
from mediaprov.ingest.readers import (
    MAX_RECORD_BYTES, IngestInputError, WalkEntry, plan_input, safe_name,
)
from mediaprov.ingest.records import ParsedArticle
from mediaprov.ingest.scrape import BoilerplatePattern, load_boilerplate
from mediaprov.ingest.staging import StagedTables, kept_tables
from mediaprov.ingest.templates import clean_ingested, summary_lines
from mediaprov.schema import ARTICLES, EMBEDS, INGEST_LOG

__all__ = ["CHUNK_SIZE", "RECORD_SECONDS", "IngestSummary", "Ingested", "ingest", "parse_fields",
           "parse_record"]

CHUNK_SIZE = 2_000
RECORD_SECONDS = 30.0
"""Default time budget to read and parse one record; a slower record is quarantined."""


@dataclass
class IngestSummary:
    """Counts of one ingest run (they reconcile: ``inputs == ingested + duplicates + quarantined``)."""

    inputs: int = 0
    ingested: int = 0
    duplicates: int = 0
    quarantined: int = 0
    files: int = 0
    seconds: float = 0.0
    by_format: dict[str, int] = field(default_factory=dict)
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    date_sources: dict[str, int] = field(default_factory=dict)
    date_flags: int = 0
    outlets_found: int = 0
    outlets_unregistered: int = 0
    text_replacements: int = 0
    text_repaired: int = 0
    skipped: dict[str, str] = field(default_factory=dict)
    dedup_capped_buckets: int = 0
    templates: dict[str, Any] = field(default_factory=dict)  # mediaprov.ingest.templates.clean_ingested

    def reconciles(self) -> bool:
        """True when every input is accounted for."""
        return self.inputs == self.ingested + self.duplicates + self.quarantined

    def render(self) -> str:
        """A one-screen, human-readable summary.

        Example:
            >>> print(IngestSummary(inputs=2, ingested=1, quarantined=1).render().splitlines()[0])
            inputs 2 = ingested 1 + duplicates 0 + quarantined 1
        """
        lines = [
            f"inputs {self.inputs} = ingested {self.ingested} + duplicates {self.duplicates} + "
            f"quarantined {self.quarantined}" + ("" if self.reconciles() else "  (DOES NOT RECONCILE)"),
            f"files read: {self.files}; formats: " + ", ".join(f"{k} {v}" for k, v in sorted(self.by_format.items())),
            "publication dates from: " + ", ".join(f"{k} {v}" for k, v in sorted(self.date_sources.items())),
            f"dates rejected and flagged: {self.date_flags}",
            f"articles with an outlet: {self.outlets_found} (unregistered names: {self.outlets_unregistered})",
            f"characters replaced to make text valid (lone surrogates, control characters): "
            f"{self.text_replacements}",
        ]
        if self.text_repaired:
            lines.append(f"records whose text was repaired (HTML character references, mojibake; ftfy): "
                         f"{self.text_repaired}")
        if self.dedup_capped_buckets:
            lines.append(f"near-duplicate candidates capped in {self.dedup_capped_buckets} crowded "
                         "LSH buckets (exact duplicates are still all found)")
        if self.skipped:
            reasons = Counter(self.skipped.values())
            lines.append(f"skipped {len(self.skipped)} entries that are not inputs (listed in "
                         "ingest_manifest.json):")
            lines += [f"  {n:6d}  {reason}" for reason, n in
                      sorted(reasons.items(), key=lambda item: (-item[1], item[0]))]
        lines += summary_lines(self.templates)
        if self.quarantine_reasons:
            lines.append("quarantined because:")
            lines += [f"  {n:6d}  {reason}" for reason, n in
                      sorted(self.quarantine_reasons.items(), key=lambda item: (-item[1], item[0]))]
        return "\n".join(lines)


@dataclass
class Ingested:
    """The result of :func:`ingest`: where the tables are, and the run's summary.

    The tables are read from disk on access (``articles``, ``log``, ``embeds``), so a large corpus
    is not held in memory unless asked for.
    """

    out_dir: Path
    summary: IngestSummary

    @property
    def articles(self) -> pd.DataFrame:
        """The ``articles`` table."""
        return read_table(self.out_dir / "articles.parquet", ARTICLES)

    @property
    def log(self) -> pd.DataFrame:
        """The ``ingest_log`` table."""
        return read_table(self.out_dir / "ingest_log.parquet", INGEST_LOG)

    @property
    def embeds(self) -> pd.DataFrame:
        """The ``embeds`` table (posts embedded in articles, with offsets)."""
        return read_table(self.out_dir / "embeds.parquet", EMBEDS)


def ingest(
    path: Path | str,
    *,
    out: Path | str | None = None,
    format: str = "auto",
    columns: str | Mapping[str, str] | None = None,
    corpus: str | None = None,
    registry: OutletRegistry | None = None,
    near_duplicate_threshold: float = 0.8,
    chunk_size: int = CHUNK_SIZE,
    progress: bool = False,
    follow_outside_links: bool = False,
    max_record_bytes: int = MAX_RECORD_BYTES,
    record_seconds: float | None = RECORD_SECONDS,
    as_of: date | None = None,
    engine: Engine | None = None,
) -> Ingested:
    """Ingest a file or folder of raw inputs into ``articles``, ``ingest_log`` and ``embeds``.

    Args:
        path: a file or a folder (walked recursively) of text scrapes, HTML, JSONL, CSV or WARC.
        out: output folder (default ``data/processed/<corpus>``).
        format: ``auto`` (detect per file) or one of text, html, jsonl, csv, warc.
        columns: column mapping for JSONL/CSV: a preset name (``mediacloud``, ``allsides``,
            ``default``), a mapping canonical field -> input column, or ``"title=headline,..."``.
        corpus: the corpus name, recorded in ``ingest_manifest.json`` and used to scope the
            reference tables (default: the folder's name, or a file's folder's name:
            ``corpora/allsides_iran/articles.jsonl`` is ``allsides_iran``).
        registry: outlet registry (default ``data/reference/outlets.csv`` scoped to ``corpus``).
        near_duplicate_threshold: estimated Jaccard above which two texts of one outlet are the
            same article.
        chunk_size: records per written chunk (bounds memory).
        progress: show a progress bar on standard error.
        follow_outside_links: read symbolic links whose target lies outside ``path`` (refused,
            with a quarantine reason, by default).
        max_record_bytes: the most one record may hold (larger ones are quarantined unread).
        record_seconds: time budget to read and to parse one record (``None``: no budget);
            a slower record is quarantined with "took more than N s".
        as_of: the reference day: dates after it are implausible (structured dates in a year after
            ``as_of.year + 1`` are flagged; HTML and byline dates after ``as_of`` are not taken).
            Default: the day the ingest runs, fixed at its start. The day used is recorded in
            ``ingest_manifest.json`` (``as_of``), and :mod:`mediaprov.workflow` rebuilds with it,
            so the same files give the same tables whatever day they are ingested again.
        engine: where the files are read and parsed (:mod:`mediaprov.ingest.partitioned`) and
            the articles cleaned of page templates in batches
            (:func:`mediaprov.ingest.templates.clean_ingested`); default :meth:`Engine.resolve()
            <mediaprov.engine.Engine.resolve>` (in this process unless ``MEDIAPROV_SCHEDULER``
            is set). A cluster is started only for work it gets: no file to send (one large
            JSONL read here) and the cleaning is its only use; one batch of articles and it is
            cleaned here. Not a parameter of the tables: they are the same whichever way it runs.

    Returns:
        :class:`Ingested` with the output folder and an :class:`IngestSummary`.

    Raises:
        mediaprov.ingest.readers.IngestInputError: the path is missing or the format or column
            mapping is unknown (nothing is written then).
        RuntimeError: the counts do not reconcile (a bug: nothing is renamed into place).

    Example: see the module docstring.
    """
    started = time.perf_counter()
    if isinstance(path, str) and not path.strip():
        raise IngestInputError("empty input path: name a file or a folder to ingest")
    source = Path(path)
    corpus = corpus or reference.corpus_name(source)
    options, entries = plan_input(
        source, format=format, columns=columns, follow_outside_links=follow_outside_links,
        max_record_bytes=max_record_bytes, record_seconds=record_seconds)
    target = Path(out) if out is not None else paths.processed_dir(safe_name(corpus))
    registry = registry or OutletRegistry.load(corpus=corpus)
    boilerplate = load_boilerplate(corpus=corpus)
    summary = IngestSummary()
    finder = DuplicateFinder(threshold=near_duplicate_threshold)
    skipped: list[WalkEntry] = []
    files: set[str] = set()
    engine = engine if engine is not None else Engine.resolve()
    # no file to send: no cluster for the reading (the template pass starts one if it has batches)
    parse_engine = engine if engine.parallel and sends_files(entries, options) else Engine()
    with judging_as_of(as_of) as day, \
            stage_output(target, "ingest") as staging, \
            session(parse_engine), \
            ChunkedTableWriter(staging / "articles.parquet", ARTICLES) as articles_out, \
            ChunkedTableWriter(staging / "ingest_log.parquet", INGEST_LOG) as log_out, \
            ChunkedTableWriter(staging / "embeds.parquet", EMBEDS) as embeds_out:
        settings = ParseSettings(options, registry, boilerplate, day, finder.minhash)
        stream = parsed_inputs(entries, settings, engine=parse_engine, skipped=skipped, source=source)
        parsed: Iterable[Parsed] = stream
        if progress:
            from tqdm import tqdm

            parsed = tqdm(stream, desc=f"ingest {source.name}", unit=" records")
        with contextlib.closing(stream):  # its tasks are released now, even on an error
            _stage_parsed(parsed, chunk_size=chunk_size, finder=finder, summary=summary,
                          files=files, writers=(articles_out, log_out, embeds_out))
        summary.files = len(files)
        summary.dedup_capped_buckets = finder.capped_buckets
        summary.skipped = {entry.raw_path: entry.skipped for entry in skipped if entry.skipped}
        summary.seconds = round(time.perf_counter() - started, 3)
        if not summary.reconciles():
            raise RuntimeError(f"ingest counts do not reconcile: {summary}")
        for writer in (articles_out, log_out, embeds_out):
            writer.close()
        summary.templates = _finalise_tables(staging, registry=registry, boilerplate=boilerplate, engine=engine)
        _write_manifest(staging, source, summary, corpus=corpus, format=format, columns=columns,
                        as_of=day)
    return Ingested(out_dir=target, summary=summary)


def _finalise_tables(staging: Path, *, registry: OutletRegistry,
                     boilerplate: tuple[BoilerplatePattern, ...], engine: Engine) -> dict[str, Any]:
    """Post-process the complete tables of a run before they are published together.

    The one place where ``staging/articles.parquet``... are post-processed: page templates are learnt
    over the whole corpus and blanked in ``articles.clean_text``
    (:func:`mediaprov.ingest.templates.clean_ingested`).

    Args:
        staging: the run's staging folder, holding ``articles.parquet``.
        registry: outlet registry (credit lines).
        boilerplate: curated boilerplate patterns (curated template lines).
        engine: where the articles are cleaned of templates (the run's session is open).

    Returns:
        The template figures for the ingest summary.
    """
    return clean_ingested(staging, registry=registry, curated=boilerplate, engine=engine)



def _stage_parsed(parsed: Iterable[Parsed], *, chunk_size: int, finder: DuplicateFinder,
                  summary: IngestSummary, files: set[str],
                  writers: tuple[ChunkedTableWriter, ChunkedTableWriter, ChunkedTableWriter]) -> None:
    """Count, deduplicate and write the parsed records in order, ``chunk_size`` at a time."""
    kept: list[tuple[StagedTables, int]] = []
    log_rows: list[dict[str, Any]] = []
    pending: list[Parsed] = []
    for found in parsed:
        summary.inputs += 1
        summary.text_replacements += found.replaced
        if isinstance(found.item, ParsedArticle) and found.item.text_repaired:
            summary.text_repaired += 1
        files.add(found.record.raw_path)
        summary.by_format[found.record.format] = summary.by_format.get(found.record.format, 0) + 1
        pending.append(found)
        if len(pending) >= chunk_size:
            _settle(pending, finder=finder, summary=summary, kept=kept, log_rows=log_rows)
            _flush(writers, kept, log_rows)
    _settle(pending, finder=finder, summary=summary, kept=kept, log_rows=log_rows)
    _flush(writers, kept, log_rows)


def _settle(pending: list[Parsed], *, finder: DuplicateFinder, summary: IngestSummary,
            kept: list[tuple[StagedTables, int]], log_rows: list[dict[str, Any]]) -> None:
    """Deduplicate a batch of parsed records in input order and stage their rows (empties it).

    Records parsed in this process are staged here, a batch at a time
    (:func:`mediaprov.ingest.partitioned.stage`: their rows made tables, the rows a table refuses
    quarantined), and their articles get their signatures. Each article kept is added to ``kept``
    as ``(tables, row)``; each record gets its ``ingest_log`` row.
    """
    staged = stage(pending)
    missing = [found.item.text for found in staged
               if isinstance(found.item, ParsedArticle) and found.signature is None]
    computed = iter(finder.signatures(missing)) if missing else iter(())
    for found in staged:
        record, article_id, item = found.record, found.article_id, found.item
        status, reason, duplicate_of = "ingested", None, None
        if isinstance(item, str):
            status, reason, _ = _quarantine(summary, item)
        else:
            signature = next(computed) if found.signature is None else found.signature
            duplicate_of, reason = finder.add(article_id, item.outlet_id, item.text, published=item.published,
                                              signature=signature, exact_key=found.exact_key)
            if duplicate_of is not None:
                status = "duplicate"
                summary.duplicates += 1
            else:
                _count_ingested(summary, item)
                if found.tables is None or found.row is None:  # stage() gives every article its row
                    raise RuntimeError(f"ingest: {record.key} was not staged")
                kept.append((found.tables, found.row))
        log_rows.append({
            "raw_path": record.raw_path, "record": record.record, "raw_sha256": record.raw_sha256,
            "format": record.format, "status": status, "reason": reason,
            "article_id": article_id if status != "quarantined" else None, "duplicate_of": duplicate_of,
        })
    pending.clear()


def _count_ingested(summary: IngestSummary, parsed: ParsedArticle) -> None:
    """Count one ingested article in the summary."""
    summary.ingested += 1
    summary.date_sources[parsed.date_source] = summary.date_sources.get(parsed.date_source, 0) + 1
    summary.date_flags += parsed.date_flag is not None
    summary.outlets_found += parsed.outlet_id is not None
    summary.outlets_unregistered += parsed.outlet_evidence == "field-unregistered"


def _quarantine(summary: IngestSummary, reason: str) -> tuple[str, str, None]:
    summary.quarantined += 1
    summary.quarantine_reasons[reason] = summary.quarantine_reasons.get(reason, 0) + 1
    return "quarantined", reason, None


def _flush(writers: tuple[ChunkedTableWriter, ChunkedTableWriter, ChunkedTableWriter],
           kept: list[tuple[StagedTables, int]], log_rows: list[dict[str, Any]]) -> None:
    """Write the rows of the articles kept and the log rows staged so far (empties both)."""
    articles_out, log_out, embeds_out = writers
    if kept:
        articles, embeds = kept_tables(kept)
        articles_out.write_arrow(articles)
        if embeds.num_rows:
            embeds_out.write_arrow(embeds)
        kept.clear()
    if log_rows:
        log_out.write_arrow(rows_table(log_rows, INGEST_LOG, where="ingest_log"))
        log_rows.clear()


def _write_manifest(target: Path, source: Path, summary: IngestSummary, *, corpus: str, format: str,
                    columns: str | Mapping[str, str] | None, as_of: date) -> None:
    """Record the run: corpus, what was read and how (reference day ``as_of``), counts, table SHA-256s."""
    outputs = {name: sha256_file(target / name)
               for name in ("articles.parquet", "ingest_log.parquet", "embeds.parquet")}
    content = {"source": source.name, "corpus": corpus, "source_path": str(source.resolve()),
               "format": format, "as_of": as_of.isoformat(),
               "columns": columns if columns is None or isinstance(columns, str) else dict(columns),
               "summary": {k: v for k, v in asdict(summary).items() if k != "seconds"},
               "outputs": outputs}
    with atomic_write(target / "ingest_manifest.json", "w", encoding="utf-8") as handle:
        json.dump(content, handle, indent=1, sort_keys=True)
        handle.write("\n")
