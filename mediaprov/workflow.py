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

from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from mediaprov import paths
from mediaprov.io import read_table
from mediaprov.schema import ALL


def _ingest(corpus: str, folder: Path) -> None:
    from mediaprov.ingest.pipeline import ingest

    raw = paths.raw_dir(corpus)
    if not raw.is_dir():
        raise FileNotFoundError(
            f"data/raw/{corpus} is missing: for the demo corpus run `mediaprov demo`; for your own "
            f"corpus put its files under data/raw/{corpus}/")
    ingest(raw, out=folder)


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


def build(corpus: str, tables: Iterable[str], *, rebuild: bool = False) -> Path:
    """Run every stage needed for ``tables`` whose output is missing (or all, with ``rebuild``).

    Stages run in pipeline order. Like ``make``, a stage also reruns when a table it depends on
    is newer than its own output, so that a derived table never sits beside a newer version of
    what it was derived from.

    Args:
        corpus: the corpus name (a folder under ``data/raw``).
        tables: table names (``articles``, ``mentions``, ``reuse``...).
        rebuild: rerun the needed stages even if their tables exist.

    Returns:
        The processed folder.
    """
    folder = paths.processed_dir(corpus)
    needed = {stage_of(t) for t in tables}
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


def load(corpus: str, tables: Iterable[str], *, rebuild: bool = False) -> dict[str, pd.DataFrame]:
    """Return the requested tables of a processed corpus, building missing ones first.

    Args:
        corpus: the corpus name.
        tables: table names; each is validated against its schema in :mod:`mediaprov.schema`.
        rebuild: rerun the stages even if their tables exist.

    Returns:
        Table name -> DataFrame.
    """
    names = list(tables)
    folder = build(corpus, names, rebuild=rebuild)
    return {name: read_table(folder / f"{name}.parquet", ALL[name]) for name in names}
