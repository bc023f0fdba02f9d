r"""The records of an ingest, parsed in this process or by the workers of a Dask cluster, in order.

Reading and parsing each input (decoding, HTML extraction, the date and outlet rules) is most
of an ingest's time and needs nothing from any other input, so on a parallel engine
(:mod:`mediaprov.engine`: ``--workers N`` or ``--scheduler``) the walk is cut into tasks: runs of
at most :data:`FILES_PER_PARTITION` one-article files (text scrapes, HTML pages) and
:data:`BYTES_PER_PARTITION` bytes, and each JSONL, CSV or WARC file alone. A worker reads and
parses a task's files, computes what the duplicate check needs (MinHash signatures, exact
keys) and makes its articles' rows Arrow tables (:mod:`mediaprov.ingest.staging`). A many-record file larger than a task may read is read by this process, in its place in
the walk. What depends on the order of the inputs stays in this process: merging duplicates
(the first record of an article wins), writing the tables, learning the page templates.
:func:`parsed_inputs` yields the records in walk order whichever way they were parsed, so the
tables are the same.

Each record's time budget holds on the workers too (:func:`mediaprov.ingest.limits.record_budget`
in a thread: Python code is interrupted, a call into C when it returns). A cluster attached by
address whose workers cannot see the input folder is not used: this process reads it, and says so.

Example:
    >>> import tempfile
    >>> from mediaprov.engine import Engine
    >>> from mediaprov.ingest.outlets import OutletRegistry
    >>> from mediaprov.ingest.readers import plan_input
    >>> folder = Path(tempfile.mkdtemp()); _ = (folder / "a.txt").write_text("T\n\nA body.")
    >>> options, entries = plan_input(folder)
    >>> settings = ParseSettings(options, OutletRegistry.load(), (), date(2026, 1, 1))
    >>> [(parsed.record.raw_path, parsed.item.title) for parsed in
    ...  parsed_inputs(entries, settings, engine=Engine())]
    [('a.txt', 'T')]
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import NamedTuple

import numpy as np

from mediaprov.engine import Engine, iter_partitions, session, workers_can_read
from mediaprov.ingest.dates import judging_as_of
from mediaprov.ingest.dedup import DuplicateFinder, stable_id, text_exact_key
from mediaprov.ingest.folders import WalkEntry
from mediaprov.ingest.limits import ReadOptions, describe_error
from mediaprov.ingest.outlets import OutletRegistry
from mediaprov.ingest.parsing import parse_checked
from mediaprov.ingest.readers import holds_many_records, read_entry
from mediaprov.ingest.records import ParsedArticle, RawRecord
from mediaprov.ingest.scrape import BoilerplatePattern
from mediaprov.ingest.staging import StagedTables, stage_rows
from mediaprov.reuse.minhash import signatures as minhash_signatures

__all__ = ["AHEAD_PER_WORKER", "BYTES_PER_PARTITION", "FILES_PER_PARTITION", "ParseSettings", "Parsed",
           "parse_files", "parsed_inputs", "sends_files", "stage"]

FILES_PER_PARTITION = 500
"""The most one-article files read and parsed by one task on a cluster."""

BYTES_PER_PARTITION = 16_000_000
"""The most input bytes one task reads: a run of files ends before it passes them, and a JSONL,
CSV or WARC file larger than this is read by this process. A task's records come back whole (its
articles' rows as Arrow tables, :func:`stage`), a few times the size of their bytes: with
:data:`AHEAD_PER_WORKER`, a worker holds at most (2 + 8) results of this much input."""

AHEAD_PER_WORKER = 8
"""Parsed partitions that may wait on each worker for this process to take them: the workers
go on through a stretch of files that are quick to parse (text scrapes) while this process,
which merges duplicates and writes the tables, is the slower one, and this process through a
stretch of slow ones (HTML pages)."""

_LOG = logging.getLogger(__name__)

class Parsed(NamedTuple):
    """One input record, parsed.

    Attributes:
        record: the raw record (parsed on a worker: only what the log needs, no text or fields).
        article_id: its stable id.
        item: the article, or the reason it is quarantined.
        replaced: characters replaced to make its text valid.
        signature: the MinHash signature of the article's text (``None``: not computed yet).
        exact_key: the article's :func:`mediaprov.ingest.dedup.text_exact_key` (``None``: not
            computed yet).
        tables: the Arrow tables holding the article's rows (:func:`stage`; ``None``: not
            staged yet). The articles of one batch share one.
        row: the article's row in ``tables.articles``.
    """

    record: RawRecord
    article_id: str
    item: ParsedArticle | str
    replaced: int
    signature: np.ndarray | None = None
    exact_key: str | None = None
    tables: StagedTables | None = None
    row: int | None = None


@dataclass(frozen=True)
class ParseSettings:
    """What parsing a record needs besides the record: the same in this process and on workers.

    Attributes:
        options: the read options (:func:`mediaprov.ingest.readers.plan_input`).
        registry: outlet registry.
        boilerplate: chrome line patterns stripped from bodies.
        as_of: the run's reference day (:func:`mediaprov.ingest.dates.judging_as_of`).
        minhash: the duplicate check's MinHash settings
            (:attr:`mediaprov.ingest.dedup.DuplicateFinder.minhash`), so that the workers'
            signatures are the ones it would compute.
    """

    options: ReadOptions
    registry: OutletRegistry
    boilerplate: tuple[BoilerplatePattern, ...]
    as_of: date
    minhash: dict[str, int] = field(default_factory=lambda: DuplicateFinder().minhash)


def parsed_inputs(entries: list[WalkEntry], settings: ParseSettings, *, engine: Engine,
                  skipped: list[WalkEntry] | None = None, source: Path | None = None,
                  files_per_partition: int | None = None,
                  bytes_per_partition: int | None = None) -> Generator[Parsed, None, None]:
    """Read and parse every input of a walk, yielding its records in walk order.

    In-process, record by record (signatures and exact keys ``None``: the duplicate check
    computes them). On a parallel engine, runs of files on the workers (with the signatures and
    exact keys of their articles) and files too large for one task here, in their place; run it
    inside the ingest's ``judging_as_of`` block either way.

    Args:
        entries: the walk (:func:`mediaprov.ingest.readers.plan_input`).
        settings: what parsing needs.
        engine: where to parse.
        skipped: a list that receives the entries skipped as no input.
        source: the walked path, asked of the workers of a cluster attached by address (default:
            the first entry's path).
        files_per_partition: the most one-article files per task (default
            :data:`FILES_PER_PARTITION`).
        bytes_per_partition: the most input bytes per task (default :data:`BYTES_PER_PARTITION`).

    Yields:
        One :class:`Parsed` per input record.

    Example: see the module docstring.
    """
    inputs = [entry for entry in entries if not entry.skipped]
    if skipped is not None:
        skipped.extend(entry for entry in entries if entry.skipped)
    if engine.parallel and inputs and not workers_can_read(source or inputs[0].path, engine=engine):
        _LOG.warning("ingest: the cluster's workers cannot see %s; this process reads every file",
                     source or inputs[0].path)
        engine = Engine()
    if not engine.parallel:
        yield from _parsed_here(inputs, settings)
        return
    runs = list(_runs(inputs, settings.options, files_per_partition, bytes_per_partition))
    tasks = [run for run in runs if isinstance(run, list)]
    with session(engine) if tasks else contextlib.nullcontext(engine):
        parts = iter_partitions(parse_files, tasks, engine=engine, shared={"settings": settings},
                                ahead_per_worker=AHEAD_PER_WORKER, errors=True, inline=True)
        for run in runs:
            if not isinstance(run, list):  # a large stream of records: read here, in its place
                yield from _parsed_here([run], settings)
                continue
            result = next(parts)
            if isinstance(result, BaseException):  # a worker lost, a task that failed: read here
                _LOG.warning("ingest: the task reading %s and %d more files failed (%s); this "
                             "process reads them", run[0].raw_path, len(run) - 1,
                             describe_error(result))
                yield from _parsed_here(run, settings)
                continue
            parsed, signatures = result
            rows = iter(signatures)
            yield from (found._replace(signature=next(rows))
                        if isinstance(found.item, ParsedArticle) else found for found in parsed)
        if tasks:
            next(parts, None)  # the stream ends (and says how many tasks it ran)


def sends_files(entries: list[WalkEntry], options: ReadOptions, *, files_per_partition: int | None = None,
                bytes_per_partition: int | None = None) -> bool:
    r"""Whether :func:`parsed_inputs` on a parallel engine sends any of these files to the workers.

    It does not when every input is skipped, or a many-record file too large for a task: an
    ingest then starts no cluster.

    Args:
        entries: the walk (:func:`mediaprov.ingest.readers.plan_input`).
        options: its read options.
        files_per_partition: as :func:`parsed_inputs`'.
        bytes_per_partition: as :func:`parsed_inputs`'.

    Returns:
        True when at least one task would be sent.

    Example:
        >>> import tempfile
        >>> from mediaprov.ingest.readers import plan_input
        >>> folder = Path(tempfile.mkdtemp()); _ = (folder / "a.txt").write_text("T\n\nA body.")
        >>> options, entries = plan_input(folder)
        >>> sends_files(entries, options)
        True
    """
    return any(isinstance(run, list) for run in _runs(entries, options, files_per_partition, bytes_per_partition))


def parse_files(entries: list[WalkEntry], *,
                settings: ParseSettings) -> tuple[list[Parsed], np.ndarray]:
    r"""Read and parse a run of files (a worker's task), with what the duplicate check needs.

    Args:
        entries: entries of the walk, none skipped.
        settings: what parsing needs.

    Returns:
        The files' records, in order, staged (:func:`stage`: each article's rows in one pair of
        Arrow tables the records share, the article itself slimmed to what the duplicate check
        and the summary read), without their raw text or fields, each article with its exact key
        (:func:`mediaprov.ingest.dedup.text_exact_key`); and the articles' MinHash signatures
        (:meth:`mediaprov.ingest.dedup.DuplicateFinder.signatures`), a row per article in order
        (one array: pickling a row per article cost the workers seconds at 100,000).

    Example:
        >>> import tempfile
        >>> from mediaprov.ingest.readers import plan_input
        >>> folder = Path(tempfile.mkdtemp()); _ = (folder / "a.txt").write_text("T\n\nA body.")
        >>> options, entries = plan_input(folder)
        >>> [parsed], signatures = parse_files(entries, settings=ParseSettings(
        ...     options, OutletRegistry.load(), (), date(2026, 1, 1)))
        >>> parsed.tables.articles["text"][parsed.row].as_py(), signatures.shape
        ('A body.', (1, 64))
    """
    with judging_as_of(settings.as_of):
        parsed = [_parsed(record, settings, slim=True)
                  for entry in entries for record in read_entry(entry, settings.options)]
    staged = stage(parsed, slim=True)
    texts = [found.item.text for found, after in zip(parsed, staged, strict=True)
             if isinstance(found.item, ParsedArticle)
             and isinstance(after.item, ParsedArticle)]  # the articles their tables take
    keys = iter([text_exact_key(text) for text in texts])
    return [found._replace(exact_key=next(keys)) if isinstance(found.item, ParsedArticle) else found
            for found in staged], minhash_signatures(texts, **settings.minhash)


def stage(parsed: list[Parsed], *, slim: bool = False) -> list[Parsed]:
    """A batch of parsed records with their articles' rows made Arrow tables (:mod:`~mediaprov.ingest.staging`).

    Records already staged, and quarantined ones, pass as they are. The articles the tables
    refuse become quarantined records, with the reason.

    Args:
        parsed: records in input order.
        slim: drop from each staged article what its rows now hold (text, chrome lines, source
            fields, embedded posts), keeping what the duplicate check and the summary read.

    Returns:
        The records, in order, each article with its ``tables`` and ``row``.

    Example:
        >>> record = RawRecord(raw_path="a.txt", record=0, raw_sha256="0" * 64, format="text")
        >>> [found] = stage([Parsed(record, "id-a", ParsedArticle(text="A body."), 0)], slim=True)
        >>> found.row, found.item.text, found.tables.articles["text"].to_pylist()
        (0, '', ['A body.'])
    """
    todo = [(position, found.item) for position, found in enumerate(parsed)
            if found.tables is None and isinstance(found.item, ParsedArticle)]
    if not todo:
        return list(parsed)
    tables, refused = stage_rows([(parsed[position].record, parsed[position].article_id, item)
                                  for position, item in todo])
    staged = list(parsed)
    row = 0
    for place, (position, item) in enumerate(todo):
        found = staged[position]
        if place in refused:
            staged[position] = found._replace(item=refused[place], signature=None, exact_key=None)
            continue
        if slim:
            item = replace(item, text="", chrome_lines=[], source_fields={}, embeds=[])
        staged[position] = found._replace(item=item, tables=tables, row=row)
        row += 1
    return staged


def _parsed_here(entries: list[WalkEntry], settings: ParseSettings) -> Iterator[Parsed]:
    """The records of ``entries`` read and parsed in this process, one at a time."""
    for entry in entries:
        for record in read_entry(entry, settings.options):
            yield _parsed(record, settings)


def _parsed(record: RawRecord, settings: ParseSettings, *, slim: bool = False) -> Parsed:
    """One record parsed (``slim``: without the raw text and fields it was parsed from)."""
    article_id = stable_id(record.raw_sha256, record.raw_path, str(record.record))
    item, replaced = parse_checked(record, registry=settings.registry, boilerplate=settings.boilerplate,
                                   seconds=settings.options.seconds, as_of=settings.as_of)
    if slim:
        record = replace(record, text=None, fields={})
    return Parsed(record, article_id, item, replaced)


def _runs(entries: list[WalkEntry], options: ReadOptions, files_per_partition: int | None,
          bytes_per_partition: int | None) -> Iterator[list[WalkEntry] | WalkEntry]:
    """The walk cut into tasks (lists of entries) and files read here (entries), in order.

    Runs of files of at most ``files_per_partition`` files and ``bytes_per_partition`` bytes
    (``None``: :data:`FILES_PER_PARTITION`, :data:`BYTES_PER_PARTITION`); a file that may hold
    many records (JSONL, CSV or WARC by name or by ``--format``, or larger than one record may
    be) is a task alone, or read here when larger than a task may read. Skipped entries are left
    out. Paths are made absolute (workers elsewhere do not share this process's directory).
    """
    files_per_partition = files_per_partition or FILES_PER_PARTITION
    bytes_per_partition = bytes_per_partition or BYTES_PER_PARTITION
    run: list[WalkEntry] = []
    run_bytes = 0
    for entry in entries:
        if entry.skipped:
            continue
        entry = replace(entry, path=entry.path.absolute())
        size = _size(entry)
        many = (options.format in _MANY_RECORD_FORMATS or size > options.max_bytes
                or holds_many_records(entry.path.name, options))
        if run and (many or len(run) >= files_per_partition or run_bytes + size > bytes_per_partition):
            yield run
            run, run_bytes = [], 0
        if many:
            yield [entry] if size <= bytes_per_partition else entry
            continue
        run.append(entry)
        run_bytes += size
    if run:
        yield run


_MANY_RECORD_FORMATS = ("jsonl", "csv", "warc")


def _size(entry: WalkEntry) -> int:
    """The entry's size in bytes as the walk saw it (0 when it cannot be read: its task says why)."""
    return 0 if entry.error or entry.size is None else entry.size
