"""The pipeline as a small DAG: build what a notebook needs, reuse what is already built.

Each table of a processed corpus (``data/processed/<corpus>/``) is made by one stage from the
tables before it::

    raw files --ingest--> articles, ingest_log, embeds --features--> mentions, quotes, citations
              --reuse--> reuse, reuse_common_sources --stories--> stories

:func:`load` returns the tables a notebook asks for, running the missing stages first (in order),
so that every notebook can run on its own and all of them agree on one set of files.

Example:
    >>> sorted(STAGES)
    ['features', 'ingest', 'reuse', 'stories']
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from mediaprov import paths, reference
from mediaprov.io import read_table
from mediaprov.schema import ALL

if TYPE_CHECKING:  # pragma: no cover
    from mediaprov.ingest.pipeline import IngestSummary


def _ingest(corpus: str, folder: Path) -> None:
    """Ingest ``data/raw/<corpus>``, or re-ingest what an earlier ``mediaprov ingest`` read."""
    from mediaprov.ingest.pipeline import ingest

    raw = paths.raw_dir(corpus)
    if raw.exists():
        ingest(raw, out=folder, corpus=corpus)
        return
    recorded = _manifest(folder)
    settings = recorded if recorded.get("source_path") else reference.corpus_settings(corpus)
    source = settings.get("source_path") or settings.get("source")
    if not source or not Path(source).exists():
        raise FileNotFoundError(
            f"data/raw/{corpus} is missing: for the demo corpus run `mediaprov demo`; for your own "
            f"corpus put its files under data/raw/{corpus}/, run `mediaprov ingest PATH --corpus {corpus}`, "
            f"or name its source in data/reference/{corpus}/corpus.json")
    ingest(Path(source), out=folder, corpus=corpus, format=settings.get("format") or "auto",
           columns=settings.get("columns"))


def _manifest(folder: Path) -> dict:
    path = folder / reference.MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except ValueError:
        return {}


def _features(corpus: str, folder: Path) -> None:
    from mediaprov.features import run_features

    run_features(folder)


def _reuse(corpus: str, folder: Path) -> None:
    from mediaprov.reuse import run_reuse

    run_reuse(folder)


def _stories(corpus: str, folder: Path) -> None:
    from mediaprov.stories import run_stories

    run_stories(folder)


STAGES: dict[str, tuple[tuple[str, ...], Callable[[str, Path], None]]] = {
    "ingest": (("articles", "ingest_log", "embeds"), _ingest),
    "features": (("mentions", "quotes", "citations"), _features),
    "reuse": (("reuse", "reuse_common_sources"), _reuse),
    "stories": (("stories",), _stories),
}
"""Stage name -> (tables it writes, function that runs it), in pipeline order."""

ORDER: tuple[str, ...] = tuple(STAGES)


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


def _names(tables: str | Iterable[str]) -> list[str]:
    """``"articles"`` or ``["articles", ...]`` -> a list of table names."""
    return [tables] if isinstance(tables, str) else list(tables)


def build(corpus: str, tables: str | Iterable[str], *, rebuild: bool = False) -> Path:
    """Run every stage needed for ``tables`` whose output is missing (or all, with ``rebuild``).

    Stages run in pipeline order. Like ``make``, a stage also reruns when a table it depends on
    is newer than its own output, so that a derived table never sits beside a newer version of
    what it was derived from.

    Args:
        corpus: the corpus name (a folder under ``data/raw``).
        tables: a table name or names (``articles``, ``mentions``, ``reuse``...).
        rebuild: rerun the needed stages even if their tables exist.

    Returns:
        The processed folder.
    """
    folder = paths.processed_dir(corpus)
    needed = {stage_of(t) for t in _names(tables)}
    last = max(ORDER.index(s) for s in needed) if needed else -1
    stale = rebuild
    newest_input = 0.0
    for stage in ORDER[: last + 1]:
        written, run = STAGES[stage]
        outputs = [folder / f"{t}.parquet" for t in written]
        missing = any(not p.exists() for p in outputs)
        outdated = not missing and min(p.stat().st_mtime for p in outputs) < newest_input
        if stale or missing or outdated:
            run(corpus, folder)
            stale = True  # everything downstream of a rebuilt stage is rebuilt too
        newest_input = max(newest_input, max(p.stat().st_mtime for p in outputs))
    return folder


def load(corpus: str, tables: str | Iterable[str], *, rebuild: bool = False) -> dict[str, pd.DataFrame]:
    """Return the requested tables of a processed corpus, building missing ones first.

    Args:
        corpus: the corpus name (``data/processed/<corpus>``; its raw files are ``data/raw/<corpus>``
            or the path an earlier ``mediaprov ingest`` recorded in its manifest).
        tables: a table name or a list of them; each is validated against its schema in
            :mod:`mediaprov.schema`.
        rebuild: rerun the stages even if their tables exist.

    Returns:
        Table name -> DataFrame.

    Example:
        >>> load("no-such-corpus", "articles")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        FileNotFoundError: data/raw/no-such-corpus is missing: ...
    """
    names = _names(tables)
    folder = build(corpus, names, rebuild=rebuild)
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


def ingest_summary(corpus: str) -> "IngestSummary":
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
