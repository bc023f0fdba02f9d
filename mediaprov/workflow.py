"""The pipeline as a small DAG: build what a notebook needs, reuse what is already built.

Each table of a processed corpus (``data/processed/<corpus>/``) is made by one stage from the
tables before it::

    raw files --ingest--> articles, ingest_log, embeds --features--> mentions, quotes, citations
              --reuse--> reuse, reuse_common_sources --stories--> stories

:func:`load` returns the tables a notebook asks for, running the missing stages first (in order),
so that every notebook can run on its own and all of them agree on one set of files.

Ingest judges dates against a reference day, ``as_of`` (:func:`mediaprov.ingest.pipeline.ingest`;
default: the day it runs), recorded in ``ingest_manifest.json``. A rebuild of the same raw input
reuses the recorded day (:func:`recorded_as_of`), so it gives the same tables whatever day it runs,
and the staleness check compares the recorded day, so a new calendar day never makes ingest stale.
Only an ``as_of`` given explicitly, or a changed raw input, brings in another day.

Example:
    >>> sorted(STAGES)
    ['features', 'ingest', 'reuse', 'stories']
"""

from __future__ import annotations

import inspect
import json
import logging
import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from mediaprov import paths, provenance, reference
from mediaprov.io import check_run, read_table
from mediaprov.schema import ALL

log = logging.getLogger(__name__)

if TYPE_CHECKING:  # pragma: no cover
    from mediaprov.ingest.pipeline import IngestSummary


def _ingest(corpus: str, folder: Path, **parameters: Any) -> None:
    """Ingest ``data/raw/<corpus>``, or re-ingest what an earlier ``mediaprov ingest`` read.

    Unless ``as_of`` is given, the reference day of the last ingest is reused when the raw input
    is the one it read (:func:`recorded_as_of`); otherwise it is today. ``workers`` and
    ``scheduler`` say where the files are read (:mod:`mediaprov.ingest.partitioned`).
    """
    from mediaprov.engine import Engine
    from mediaprov.ingest.pipeline import ingest

    as_of = parameters.pop("as_of", None)
    parameters["engine"] = Engine.resolve(parameters.pop("workers", None), parameters.pop("scheduler", None))
    raw = paths.raw_dir(corpus)
    if raw.exists():
        day = _as_of_date(as_of) or recorded_as_of(folder, raw)
        ingest(raw, out=folder, corpus=corpus, as_of=day, **parameters)
        return
    recorded = _manifest(folder)
    settings = recorded if recorded.get("source_path") else reference.corpus_settings(corpus)
    source = settings.get("source_path") or settings.get("source")
    if not source or not Path(source).exists():
        raise FileNotFoundError(
            f"data/raw/{corpus} is missing: for the demo corpus run `mediaprov demo`; for your own "
            f"corpus put its files under data/raw/{corpus}/, run `mediaprov ingest PATH --corpus {corpus}`, "
            f"or name its source in data/reference/{corpus}/corpus.json")
    day = _as_of_date(as_of) or recorded_as_of(folder, Path(source))
    ingest(Path(source), out=folder, corpus=corpus, format=settings.get("format") or "auto",
           columns=settings.get("columns"), as_of=day, **parameters)


def _as_of_date(value: object) -> date | None:
    """An ``as_of`` given as a date or as ``YYYY-MM-DD`` text (``None`` stays ``None``)."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"ingest parameter as_of={value!r}: write a day as YYYY-MM-DD") from None


def recorded_as_of(folder: Path, source: Path | None = None) -> date | None:
    """The reference day (``as_of``) the last ingest into ``folder`` recorded in its manifest.

    Args:
        folder: a processed corpus folder.
        source: the raw input about to be ingested. When given, the day is returned only if the
            last ingest's provenance shows that it read this input unchanged (same files, sizes
            and modification times): new or changed files are a new ingest, judged as of today,
            so that articles newer than the recorded day keep their dates.

    Returns:
        The recorded day, or ``None`` (no manifest, a manifest from before ``as_of`` was
        recorded, or a changed raw input).

    Example:
        >>> recorded_as_of(Path("/nonexistent")) is None
        True
    """
    day = _manifest(folder).get("as_of")
    if not day:
        return None
    if source is not None:
        stored = (provenance.read_records(folder).get("ingest") or {}).get("inputs") or {}
        if not Path(source).exists() or stored.get("raw") != provenance.raw_digest(Path(source)):
            return None
    return _as_of_date(day)


def _manifest(folder: Path) -> dict:
    path = folder / reference.MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except ValueError:
        return {}


def _features(corpus: str, folder: Path, **parameters: Any) -> None:
    from mediaprov.features import run_features

    run_features(folder, **parameters)


def _reuse(corpus: str, folder: Path, **parameters: Any) -> None:
    from mediaprov.reuse import run_reuse

    run_reuse(folder, **parameters)


def _stories(corpus: str, folder: Path, **parameters: Any) -> None:
    from mediaprov.stories import run_stories

    run_stories(folder, **parameters)


STAGES: dict[str, tuple[tuple[str, ...], Callable[..., None]]] = {
    "ingest": (("articles", "ingest_log", "embeds", "templates", "template_spans"), _ingest),
    "features": (("mentions", "quotes", "citations"), _features),
    "reuse": (("reuse", "reuse_common_sources"), _reuse),
    "stories": (("stories",), _stories),
}
"""Stage name -> (tables it writes, function that runs it), in pipeline order."""

ORDER: tuple[str, ...] = tuple(STAGES)

READS: dict[str, tuple[str, ...]] = {
    "ingest": (),
    "features": ("articles",),
    "reuse": ("articles",),
    "stories": ("articles", "ingest_log", "reuse", "quotes", "mentions"),
}
"""Stage name -> the tables it reads: a stage reruns when one of them changes, and only then."""


def stage_of(table: str) -> str:
    """The stage that writes ``table``.

    Example:
        >>> stage_of("quotes")
        'features'
    """
    for stage, (tables, _) in STAGES.items():
        if table in tables:
            return stage
    raise KeyError(f"no stage writes a table named {table!r}; known: "
                   + ", ".join(t for tables, _ in STAGES.values() for t in tables))


_NOT_PARAMETERS = frozenset({"dir", "path", "out", "corpus", "registry", "progress", "report", "chunk_size",
                             "workers", "scheduler", "engine"})
"""Arguments that are not parameters of the tables (where and how a stage runs, not what it makes)."""

ENGINE_STAGES: tuple[str, ...] = ("ingest", "features", "reuse", "stories")
"""Stages whose partitions can run on Dask workers (:mod:`mediaprov.engine`)."""


def _stage_function(stage: str) -> Callable[..., object]:
    """The library function a stage runs (its signature holds the parameters' defaults)."""
    if stage == "ingest":
        from mediaprov.ingest.pipeline import ingest

        return ingest
    if stage == "features":
        from mediaprov.features import run_features

        return run_features
    if stage == "reuse":
        from mediaprov.reuse import run_reuse

        return run_reuse
    from mediaprov.stories import run_stories

    return run_stories


def resolved_parameters(stage: str, parameters: dict[str, object] | None = None) -> dict[str, object]:
    """A stage's parameters with its defaults filled in.

    A run given a default explicitly and one relying on it so record the same provenance.

    Args:
        stage: a stage name (``ingest``, ``features``, ``reuse``, ``stories``, ``timelines``).
        parameters: the parameters given (others take the stage function's defaults).

    Returns:
        Every parameter of the stage with its value.

    Example:
        >>> resolved_parameters("reuse", {"threshold": 0.2})["threshold"], resolved_parameters("reuse")["shingle"]
        (0.2, 5)
    """
    signature = inspect.signature(inspect.unwrap(_stage_function(stage)))
    values: dict[str, object] = {
        name: p.default for name, p in signature.parameters.items()
        if name not in _NOT_PARAMETERS and p.default is not inspect.Parameter.empty
        and (p.default is None or isinstance(p.default, (bool, int, float, str)))}
    values.update({k: v for k, v in (parameters or {}).items() if k not in _NOT_PARAMETERS})
    as_of = values.get("as_of")
    if isinstance(as_of, date):  # recorded as text, as the ingest manifest has it
        values["as_of"] = as_of.isoformat()
    return values


def expected_record(stage: str, folder: Path, *, corpus: str | None = None, source: Path | None = None,
                    parameters: dict[str, object] | None = None) -> dict[str, object]:
    """The provenance a run of ``stage`` on ``folder`` would record now (see :mod:`mediaprov.provenance`).

    Args:
        stage: a stage name.
        folder: the processed folder.
        corpus: the corpus (default: as recorded in ``folder``).
        source: for ingest, the raw input (default: :func:`raw_source`).
        parameters: the stage's parameters. For ingest, an ``as_of`` not given is the one
            recorded in ``folder``'s manifest (:func:`recorded_as_of`): the recorded day is what
            is compared, so a default ``as_of`` does not make ingest stale on a new day.

    Returns:
        The fingerprint.
    """
    corpus = corpus or reference.corpus_of(folder)
    if stage == "ingest":
        raw = Path(source) if source is not None else raw_source(corpus)
        inputs = {"raw": provenance.raw_digest(raw)} if raw.exists() else {}
        if (parameters or {}).get("as_of") is None:
            parameters = {**(parameters or {}), "as_of": recorded_as_of(folder)}
    else:
        inputs = provenance.table_digests(folder, READS[stage])
    return provenance.stage_record(stage, inputs=inputs, parameters=resolved_parameters(stage, parameters),
                                   corpus=corpus)


def record_stage(stage: str, folder: Path, *, corpus: str | None = None, source: Path | None = None,
                 parameters: dict[str, object] | None = None) -> None:
    """Record that ``stage`` just ran on ``folder`` (the CLI and :func:`build` call it after a run)."""
    provenance.write_record(folder, expected_record(stage, folder, corpus=corpus, source=source,
                                                    parameters=parameters))


def stale_stages(corpus: str, *, parameters: dict[str, dict[str, object]] | None = None) -> dict[str, str | None]:
    """Why each stage of a processed corpus would rerun now (``None``: its tables are current).

    Args:
        corpus: the corpus name.
        parameters: stage name -> parameters a run would use (default: each stage's defaults).

    Returns:
        Stage name -> reason or ``None``, in pipeline order. A stage is judged on the tables it reads
        as they are now, so a stage below a stale one may look current until that one reruns.

    Example:
        >>> stale_stages("no-such-corpus")["ingest"]
        'outputs missing'
    """
    folder = paths.processed_dir(corpus)
    stored = provenance.read_records(folder)
    reasons: dict[str, str | None] = {}
    for stage in ORDER:
        written, _ = STAGES[stage]
        if any(not (folder / f"{t}.parquet").exists() for t in written):
            reasons[stage] = "outputs missing"
            continue
        expected = expected_record(stage, folder, corpus=corpus, parameters=(parameters or {}).get(stage))
        reasons[stage] = provenance.stale_reason(stored.get(stage), expected)
    return reasons


def _names(tables: str | Iterable[str]) -> list[str]:
    """``"articles"`` or ``["articles", ...]`` -> a list of table names."""
    return [tables] if isinstance(tables, str) else list(tables)


def build(corpus: str, tables: str | Iterable[str], *, rebuild: bool = False,
          parameters: dict[str, dict[str, object]] | None = None, workers: int | None = None,
          scheduler: str | None = None) -> Path:
    """Run every stage needed for ``tables`` whose output is missing or stale (or all, with ``rebuild``).

    Stages run in pipeline order. A stage reruns when its tables are missing, or when what made
    them has changed: the package version or source, the reference tables, its parameters, or one
    of the tables it reads (:data:`READS`), as recorded in ``provenance.json``. Only the stages
    downstream of a change rerun: a new reuse threshold reruns reuse and stories, not features.

    Args:
        corpus: the corpus name (a folder under ``data/raw``, or one ingested from elsewhere).
        tables: a table name or names (``articles``, ``mentions``, ``reuse``...).
        rebuild: rerun the needed stages even if their tables are current.
        parameters: stage name -> keyword arguments of its run (e.g. ``{"reuse": {"threshold": 0.2}}``).
        workers: run the partitioned stages (:data:`ENGINE_STAGES`) on a local Dask cluster of this
            many worker processes (:mod:`mediaprov.engine`); default in this process.
        scheduler: or on the running Dask cluster at this address (default ``$MEDIAPROV_SCHEDULER``).
            Neither is recorded in provenance: the tables are the same, so a corpus built with
            workers is current for a run without, and the other way round.

    Returns:
        The processed folder.

    Example:
        >>> build("no-such-corpus", "mentions", workers=2)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        FileNotFoundError: data/raw/no-such-corpus is missing: ...
    """
    engine = {k: v for k, v in (("workers", workers), ("scheduler", scheduler)) if v is not None}
    folder = paths.processed_dir(corpus)
    needed = {stage_of(t) for t in _names(tables)}
    wanted = {stage for stage in ORDER if any(ORDER.index(stage) <= ORDER.index(n) for n in needed)}
    stored = provenance.read_records(folder)
    for stage in ORDER:
        if stage not in wanted:
            continue
        written, run = STAGES[stage]
        options = dict((parameters or {}).get(stage) or {})
        missing = any(not (folder / f"{t}.parquet").exists() for t in written)
        if rebuild:
            reason: str | None = "rebuild asked"
        elif missing:
            reason = "outputs missing"
        else:
            expected = expected_record(stage, folder, corpus=corpus, parameters=options)
            reason = provenance.stale_reason(stored.get(stage), expected)
        if reason is not None:
            log.info("%s: running %s (%s)", corpus, stage, reason)
            started = time.perf_counter()
            run(corpus, folder, **options, **(engine if stage in ENGINE_STAGES else {}))
            log.info("%s: %s done in %.1f s", corpus, stage, time.perf_counter() - started)
            record_stage(stage, folder, corpus=corpus, parameters=options)
    return folder


def load(corpus: str, tables: str | Iterable[str], *, rebuild: bool = False,
         parameters: dict[str, dict[str, object]] | None = None,
         workers: int | None = None) -> dict[str, pd.DataFrame]:
    """Return the requested tables of a processed corpus, building missing ones first.

    Args:
        corpus: the corpus name (``data/processed/<corpus>``; its raw files are ``data/raw/<corpus>``
            or the path an earlier ``mediaprov ingest`` recorded in its manifest).
        tables: a table name or a list of them; each is validated against its schema in
            :mod:`mediaprov.schema`.
        rebuild: rerun the stages even if their tables exist.
        parameters: stage name -> keyword arguments of its run (see :func:`build`): the tables
            are those of a run with these parameters, built first when the last run used others
            (``{"reuse": {"threshold": 0.2}}`` reruns reuse, once).
        workers: build missing partitioned stages on a local Dask cluster of this many processes
            (see :func:`build`); the tables are the same without.

    Returns:
        Table name -> DataFrame.

    Example:
        >>> load("no-such-corpus", "articles")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        FileNotFoundError: data/raw/no-such-corpus is missing: ...
    """
    names = _names(tables)
    folder = build(corpus, names, rebuild=rebuild, parameters=parameters, workers=workers)
    check_run(folder, names)  # the tables belong to one published run of each stage
    return {name: read_table(folder / f"{name}.parquet", ALL[name]) for name in names}


def current_tables(corpus: str, tables: str | Iterable[str], *,
                   parameters: dict[str, dict[str, object]] | None = None) -> dict[str, pd.DataFrame] | None:
    """The tables as their stages last wrote them, if those runs are current and used ``parameters``.

    Nothing is built or written: a notebook that wants a stage's tables at its own settings reads
    them when the corpus has them, and otherwise computes what it needs in memory, leaving the
    corpus's tables as the pipeline made them.

    Args:
        corpus: the corpus name.
        tables: a table name or names.
        parameters: stage name -> the parameters that matter to the caller
            (``{"reuse": {"threshold": 0.15}}``); the stage's other parameters may be anything
            its last run used.

    Returns:
        Table name -> DataFrame, or ``None`` when a table is missing, its stage is out of date
        (:func:`stale_stages` would rerun it) or its last run used other values of ``parameters``.

    Example:
        >>> current_tables("no-such-corpus", "reuse") is None
        True
    """
    names = _names(tables)
    folder = paths.processed_dir(corpus)
    if any(not (folder / f"{name}.parquet").exists() for name in names):
        return None
    stored = provenance.read_records(folder)
    for stage in {stage_of(name) for name in names}:
        record = stored.get(stage)
        if not record:
            return None
        wanted = {**(record.get("parameters") or {}), **((parameters or {}).get(stage) or {})}
        expected = expected_record(stage, folder, corpus=corpus, parameters=wanted)
        if provenance.stale_reason(record, expected) is not None:
            return None
    check_run(folder, names)
    return {name: read_table(folder / f"{name}.parquet", ALL[name]) for name in names}


def raw_source(corpus: str) -> Path:
    """What was ingested for a corpus: ``data/raw/<corpus>``, else the path ingest recorded.

    Args:
        corpus: the corpus name.

    Returns:
        A folder or a single file (``articles.raw_path`` is relative to a folder).

    Example:
        >>> raw_source("demo").name
        'demo'
    """
    raw = paths.raw_dir(corpus)
    if raw.exists():
        return raw
    settings = _manifest(paths.processed_dir(corpus)) or {}
    source = settings.get("source_path") or reference.corpus_settings(corpus).get("source")
    return Path(source) if source else raw


def ingest_summary(corpus: str) -> IngestSummary:
    """The counts of the corpus's last ingest run, as its manifest recorded them.

    Args:
        corpus: the corpus name (its ``articles`` must have been built).

    Returns:
        A :class:`mediaprov.ingest.pipeline.IngestSummary` (``render()`` prints it).

    Raises:
        FileNotFoundError: the corpus has not been ingested.
    """
    from mediaprov.ingest.pipeline import IngestSummary

    manifest = _manifest(paths.processed_dir(corpus))
    if "summary" not in manifest:
        raise FileNotFoundError(f"corpus {corpus!r} has no ingest manifest: run `mediaprov ingest` or "
                                f"workflow.build({corpus!r}, ['articles'])")
    known = set(IngestSummary.__dataclass_fields__)
    return IngestSummary(**{k: v for k, v in manifest["summary"].items() if k in known})
