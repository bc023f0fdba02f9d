"""Ingestion: raw files in, a trustworthy ``articles`` table and a complete ``ingest_log`` out.

Every input record ends in exactly one of three states, logged in ``ingest_log``:

* ``ingested``: it became a row of ``articles``;
* ``duplicate``: it is the same article of the same outlet as an earlier record
  (``duplicate_of`` names it);
* ``quarantined``: it could not be used, and ``reason`` says why (empty file, binary, undecodable,
  malformed line, no body text...).

so that ``inputs == ingested + duplicates + quarantined`` always holds (checked at the end of
every run). Records are streamed and written in chunks, so memory stays bounded; tables are written
to temporary files and renamed into place only when the run completes.

Example:
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("A Title\\n\\nThe body of a short article, here.\\n")
    >>> _ = (folder / "empty.txt").write_bytes(b"")
    >>> result = ingest(folder, out=folder / "out")
    >>> result.summary.ingested, result.summary.quarantined
    (1, 1)
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from mediaprov import paths
from mediaprov.io import ChunkedTableWriter, atomic_write, read_table, sha256_file
from mediaprov.ingest.dates import DATE_CONFIDENCE, parse_structured_date
from mediaprov.ingest.dedup import DuplicateFinder, stable_id
from mediaprov.ingest.outlets import OutletRegistry, provisional_outlet_id
from mediaprov.ingest.readers import iter_records
from mediaprov.ingest.records import ParsedArticle, RawRecord, clean_text
from mediaprov.ingest.scrape import (
    BoilerplatePattern, load_boilerplate, strip_chrome_lines, parse_scrape,
)
from mediaprov.ingest.templates import clean_ingested, summary_lines
from mediaprov.embeds import embed_rows as embed_table_rows, find_embeds
from mediaprov.schema import ARTICLES, EMBEDS, INGEST_LOG

CHUNK_SIZE = 2_000


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
        ]
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


def parse_fields(
    fields: Mapping[str, Any],
    *,
    registry: OutletRegistry,
    folder: str | None = None,
    boilerplate: tuple[BoilerplatePattern, ...] | None = None,
) -> ParsedArticle:
    """Turn the canonical fields of a structured or HTML record into an article.

    Args:
        fields: canonical fields (see :mod:`mediaprov.ingest.records`).
        registry: outlet registry for the ``outlet``, ``url`` and ``credit`` fields.
        folder: the folder holding the file, a last-resort outlet hint.
        boilerplate: chrome line patterns stripped from the start and end of the body.

    Returns:
        The parsed article; a bad date gives ``published=None`` and a ``date_flag``.

    Example:
        >>> parsed = parse_fields({"title": "T", "text": "Body.", "date": "9/6/17",
        ...     "outlet": "The Guardian"}, registry=OutletRegistry.load())
        >>> parsed.outlet_id, parsed.published, parsed.date_flag
        ('the-guardian', None, 'ambiguous short date: 9/6/17')
    """
    text, chrome = strip_chrome_lines(str(fields.get("text") or ""), boilerplate=boilerplate)
    article = ParsedArticle(text=text, chrome_lines=chrome)
    article.title = clean_text(fields.get("title"))
    article.byline = clean_text(fields.get("author"))
    article.language = clean_text(fields.get("language"))
    article.url = clean_text(fields.get("url"))
    published, flag = parse_structured_date(fields.get("date"))
    if published is not None:
        article.published = published
        article.date_source = str(fields.get("date_source") or "structured")
    elif fields.get("date") not in (None, ""):
        article.date_flag = flag
    if fields.get("page_date"):  # a date the page shows outside trusted metadata: kept apart
        article.page_date, _ = parse_structured_date(fields.get("page_date"))
    article.date_confidence = DATE_CONFIDENCE.get(article.date_source, 0.5)
    outlet_name = clean_text(fields.get("outlet"))
    for evidence, candidate in (("field", outlet_name), ("url", article.url), ("folder", folder)):
        outlet = registry.resolve(candidate) if candidate else None
        if outlet:
            article.outlet_id, article.outlet_evidence = outlet, evidence
            break
    if article.outlet_id is None and outlet_name:
        article.outlet_id = provisional_outlet_id(outlet_name)
        article.outlet_evidence = "field-unregistered"
    credit = clean_text(fields.get("credit"))
    if credit:
        article.credit_line = credit
        article.credited_source = registry.resolve(credit)
    article.embeds = find_embeds(text)
    return article




def parse_record(
    record: RawRecord, *, registry: OutletRegistry, boilerplate: tuple[BoilerplatePattern, ...]
) -> ParsedArticle:
    """Parse one raw record of any format (text scrapes by :func:`parse_scrape`, the rest by
    :func:`parse_fields`).

    Example:
        >>> rec = RawRecord("a.txt", 0, "0" * 64, "text", text="Headline\\n\\nBody text here.")
        >>> parse_record(rec, registry=OutletRegistry.load(), boilerplate=load_boilerplate()).title
        'Headline'
    """
    if record.format == "text":
        return parse_scrape(record.text or "", registry=registry, folder=record.folder,
                            boilerplate=boilerplate)
    return parse_fields(record.fields, registry=registry, folder=record.folder, boilerplate=boilerplate)


def ingest(
    path: Path | str,
    *,
    out: Path | str | None = None,
    format: str = "auto",
    columns: str | Mapping[str, str] | None = None,
    registry: OutletRegistry | None = None,
    near_duplicate_threshold: float = 0.8,
    chunk_size: int = CHUNK_SIZE,
    progress: bool = False,
) -> Ingested:
    """Ingest a file or folder of raw inputs into ``articles``, ``ingest_log`` and ``embeds``.

    Args:
        path: a file or a folder (walked recursively) of text scrapes, HTML, JSONL, CSV or WARC.
        out: output folder (default ``data/processed/<name of path>``).
        format: ``auto`` (detect per file) or one of text, html, jsonl, csv, warc.
        columns: column mapping for JSONL/CSV: a preset name (``mediacloud``, ``allsides``,
            ``default``), a mapping canonical field -> input column, or ``"title=headline,..."``.
        registry: outlet registry (default ``data/reference/outlets.csv``).
        near_duplicate_threshold: estimated Jaccard above which two texts of one outlet are the
            same article.
        chunk_size: records per written chunk (bounds memory).
        progress: show a progress bar on standard error.

    Returns:
        :class:`Ingested` with the output folder and an :class:`IngestSummary`.

    Raises:
        mediaprov.ingest.readers.IngestInputError: the path is missing or the format or column
            mapping is unknown (nothing is written then).
        RuntimeError: the counts do not reconcile (a bug: nothing is renamed into place).

    Example: see the module docstring.
    """
    started = time.perf_counter()
    source = Path(path)
    target = Path(out) if out is not None else paths.processed_dir(source.stem if source.is_file() else source.name)
    registry = registry or OutletRegistry.load()
    boilerplate = load_boilerplate()
    records: Iterable[RawRecord] = iter_records(source, format=format, columns=columns)
    if progress:
        from tqdm import tqdm

        records = tqdm(records, desc=f"ingest {source.name}", unit=" records")
    summary = IngestSummary()
    finder = DuplicateFinder(threshold=near_duplicate_threshold)
    files: set[str] = set()
    article_rows: list[dict[str, Any]] = []
    log_rows: list[dict[str, Any]] = []
    embed_rows: list[tuple] = []
    with ChunkedTableWriter(target / "articles.parquet", ARTICLES) as articles_out, \
            ChunkedTableWriter(target / "ingest_log.parquet", INGEST_LOG) as log_out, \
            ChunkedTableWriter(target / "embeds.parquet", EMBEDS) as embeds_out:
        pending: list[tuple[RawRecord, str, ParsedArticle | str]] = []
        for record in records:
            summary.inputs += 1
            files.add(record.raw_path)
            summary.by_format[record.format] = summary.by_format.get(record.format, 0) + 1
            article_id = stable_id(record.raw_sha256, record.raw_path, str(record.record))
            pending.append((record, article_id, _parse(record, registry=registry, boilerplate=boilerplate)))
            if len(pending) >= chunk_size:
                _settle(pending, finder=finder, summary=summary, article_rows=article_rows,
                        embed_rows=embed_rows, log_rows=log_rows)
                _flush(articles_out, article_rows, log_out, log_rows, embeds_out, embed_rows)
        _settle(pending, finder=finder, summary=summary, article_rows=article_rows,
                embed_rows=embed_rows, log_rows=log_rows)
        _flush(articles_out, article_rows, log_out, log_rows, embeds_out, embed_rows)
        summary.files = len(files)
        summary.seconds = round(time.perf_counter() - started, 3)
        if not summary.reconciles():
            raise RuntimeError(f"ingest counts do not reconcile: {summary}")
    summary.templates = clean_ingested(target, registry=registry, curated=boilerplate)
    _write_manifest(target, source, summary)
    return Ingested(out_dir=target, summary=summary)


def _parse(record: RawRecord, *, registry: OutletRegistry,
           boilerplate: tuple[BoilerplatePattern, ...]) -> ParsedArticle | str:
    """Parse one record; return the article, or the reason to quarantine it."""
    if record.error:
        return record.error
    try:
        parsed = parse_record(record, registry=registry, boilerplate=boilerplate)
    except Exception as error:  # a parser bug must not lose the record: quarantine and say why
        return f"parser error: {type(error).__name__}: {error}"
    if not parsed.text.strip():
        return "no body text after removing site chrome"
    return parsed


def _settle(
    pending: list[tuple[RawRecord, str, ParsedArticle | str]], *, finder: DuplicateFinder,
    summary: IngestSummary, article_rows: list[dict[str, Any]], embed_rows: list[tuple],
    log_rows: list[dict[str, Any]],
) -> None:
    """Deduplicate a batch of parsed records in input order and stage their rows (empties it)."""
    texts = [item.text for _, _, item in pending if isinstance(item, ParsedArticle)]
    signatures = iter(finder.signatures(texts)) if texts else iter(())
    for record, article_id, item in pending:
        status, reason, duplicate_of = "ingested", None, None
        if isinstance(item, str):
            status, reason, _ = _quarantine(summary, item)
        else:
            duplicate_of, reason = finder.add(article_id, item.outlet_id, item.text,
                                              published=item.published, signature=next(signatures))
            if duplicate_of is not None:
                status = "duplicate"
                summary.duplicates += 1
            else:
                _stage(record, article_id, item, summary=summary, article_rows=article_rows,
                       embed_rows=embed_rows)
        log_rows.append({
            "raw_path": record.raw_path, "record": record.record, "raw_sha256": record.raw_sha256,
            "format": record.format, "status": status, "reason": reason,
            "article_id": article_id if status != "quarantined" else None, "duplicate_of": duplicate_of,
        })
    pending.clear()


def _stage(record: RawRecord, article_id: str, parsed: ParsedArticle, *, summary: IngestSummary,
           article_rows: list[dict[str, Any]], embed_rows: list[tuple]) -> None:
    """Add one ingested article (and its embedded posts) to the rows to write."""
    summary.ingested += 1
    summary.date_sources[parsed.date_source] = summary.date_sources.get(parsed.date_source, 0) + 1
    summary.date_flags += parsed.date_flag is not None
    summary.outlets_found += parsed.outlet_id is not None
    summary.outlets_unregistered += parsed.outlet_evidence == "field-unregistered"
    article_rows.append({
        "article_id": article_id, "outlet_id": parsed.outlet_id, "outlet_evidence": parsed.outlet_evidence,
        "url": parsed.url, "title": parsed.title, "subtitle": parsed.subtitle,
        "published": parsed.published, "date_source": parsed.date_source,
        "date_confidence": parsed.date_confidence, "date_flag": parsed.date_flag,
        "page_date": parsed.page_date, "byline": parsed.byline,
        "credited_source": parsed.credited_source, "credit_line": parsed.credit_line,
        "language": parsed.language, "text": parsed.text, "chrome_lines": parsed.chrome_lines,
        "format": record.format, "raw_path": record.raw_path, "record": record.record,
        "raw_sha256": record.raw_sha256,
    })
    embed_rows.extend(embed_table_rows(article_id, parsed.embeds))


def _quarantine(summary: IngestSummary, reason: str) -> tuple[str, str, None]:
    summary.quarantined += 1
    summary.quarantine_reasons[reason] = summary.quarantine_reasons.get(reason, 0) + 1
    return "quarantined", reason, None


def _flush(articles_out: ChunkedTableWriter, article_rows: list, log_out: ChunkedTableWriter,
           log_rows: list, embeds_out: ChunkedTableWriter, embed_rows: list) -> None:
    for writer, rows, schema in ((articles_out, article_rows, ARTICLES), (log_out, log_rows, INGEST_LOG),
                                 (embeds_out, embed_rows, EMBEDS)):
        if rows:
            frame = pd.DataFrame(rows, columns=list(schema.columns))
            writer.write(frame)
            rows.clear()


def _write_manifest(target: Path, source: Path, summary: IngestSummary) -> None:
    """Record the run: inputs, counts and the SHA-256 of every table written."""
    outputs = {name: sha256_file(target / name)
               for name in ("articles.parquet", "ingest_log.parquet", "embeds.parquet")}
    content = {"source": source.name, "summary": {k: v for k, v in asdict(summary).items() if k != "seconds"},
               "outputs": outputs}
    with atomic_write(target / "ingest_manifest.json", "w", encoding="utf-8") as handle:
        json.dump(content, handle, indent=1, sort_keys=True)
        handle.write("\n")
