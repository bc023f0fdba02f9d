"""The reference layer: one reader for every curated reference table, scoped by corpus.

Reference tables are CSV files researchers edit and cite (``data/reference/``):

========== ================================ ===============================================
table      file                             what
========== ================================ ===============================================
outlets    ``outlets.csv``                  outlet ids, names, aliases, domains, kind, camp
entities   ``entities.csv``                 actors with their aliases (names only)
events     ``events.csv``                   dated events overlaid on timelines
boilerplate ``boilerplate.csv``             site-chrome line patterns
framing    ``lexicons/framing.csv``         framing terms with their citation
stopwords  ``lexicons/stopwords.csv``       stopwords of the term counts
packs      ``packs.csv``                    which corpora each pack of rows applies to
========== ================================ ===============================================

Every other module reads these files through :func:`read` (or a loader built on it); none
calls ``pd.read_csv`` on them itself.

**Scope.** A row may name its ``pack`` (``demo``, ``iran``...). ``packs.csv`` says which corpora
a pack applies to (``fnmatch`` patterns, ``|``-separated); a pack it does not list applies to
every corpus. The fictional ``demo`` pack applies only to the demo corpus, so a demo outlet,
entity or event never shows up in the outputs of a real corpus. A corpus may also carry its own
tables in ``data/reference/<corpus>/`` (same file names): their rows are added, and replace a
global row with the same key (``outlet_id``, ``entity_id``...). With ``corpus=None`` every row is
returned (no scoping), which is what a library call on a single table wants.

Example:
    >>> outlets = read("outlets", corpus="allsides_iran")
    >>> "freedom-herald" in set(outlets.outlet_id)  # a fictional demo outlet
    False
    >>> "freedom-herald" in set(read("outlets", corpus="demo").outlet_id)
    True
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mediaprov import paths

__all__ = ["TABLES", "ReferenceSpec", "ReferenceError", "read", "table_path", "packs_for",
           "applies", "corpus_of", "corpus_name", "local_dir"]


class ReferenceError(ValueError):
    """A reference table is malformed; the message names the file, the line and the fix."""


@dataclass(frozen=True)
class ReferenceSpec:
    """How one reference table is stored and checked.

    Attributes:
        file: path relative to the reference folder.
        required: columns every file of the table must have.
        optional: columns filled with ``""`` when a file lacks them.
        key: the column that identifies a row (a corpus-local row replaces a global one with the
            same key); ``None`` when rows have no identity (patterns, stopwords).
        not_empty: columns that may not hold an empty cell.
        must_exist: a missing global file is an error (else it reads as an empty table).
    """

    file: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    key: str | None = None
    not_empty: tuple[str, ...] = ()
    must_exist: bool = True

    @property
    def columns(self) -> tuple[str, ...]:
        """Required then optional columns."""
        return self.required + tuple(c for c in self.optional if c not in self.required)


TABLES: dict[str, ReferenceSpec] = {
    "outlets": ReferenceSpec(
        "outlets.csv", ("outlet_id",),
        ("name", "aliases", "domains", "country", "language", "kind", "camp", "affiliation", "affiliation_citation", "pack"),
        key="outlet_id", not_empty=("outlet_id",)),
    "entities": ReferenceSpec(
        "entities.csv", ("entity_id", "kind", "canonical_name", "aliases"), ("citation", "pack"),
        key="entity_id", not_empty=("entity_id", "kind", "canonical_name")),
    "events": ReferenceSpec(
        "events.csv", ("date", "label"), ("citation", "event_id", "pack"), key="event_id",
        not_empty=("date", "label"), must_exist=False),
    "boilerplate": ReferenceSpec(
        "boilerplate.csv", ("pattern", "where", "kind"), ("note", "pack"), not_empty=("pattern", "where")),
    "framing": ReferenceSpec(
        "lexicons/framing.csv", ("term", "category", "note", "citation"), ("pack",),
        not_empty=("term", "category")),
    "stopwords": ReferenceSpec("lexicons/stopwords.csv", ("term",), ("pack",), not_empty=("term",)),
    "packs": ReferenceSpec("packs.csv", ("pack", "corpora"), ("description",), key="pack",
                           not_empty=("pack", "corpora"), must_exist=False),
}
"""Every reference table mediaprov reads, by name."""


def table_path(table: str) -> Path:
    """The global file of one reference table.

    Args:
        table: a name of :data:`TABLES`.

    Returns:
        ``<reference>/<file>`` (``$MEDIAPROV_DATA/reference`` when it exists, else the project's).

    Example:
        >>> table_path("events").name
        'events.csv'
    """
    return paths.reference_dir() / _spec(table).file


def local_dir(corpus: str) -> Path:
    """The folder of a corpus's own reference tables: ``<reference>/<corpus>/``.

    Example:
        >>> local_dir("allsides_iran").name
        'allsides_iran'
    """
    return paths.reference_dir() / corpus


def _spec(table: str) -> ReferenceSpec:
    try:
        return TABLES[table]
    except KeyError:
        raise KeyError(f"no reference table named {table!r}; known: {', '.join(TABLES)}") from None


def _read_csv(path: Path, spec: ReferenceSpec) -> pd.DataFrame:
    """Read one file of a table: strings, empty cells ``""``, checked columns and cells."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, comment=None)
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame(columns=list(spec.required))
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise ReferenceError(f"{path}: not a readable CSV ({error}); save it as UTF-8 CSV") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in spec.required if c not in frame.columns]
    if missing:
        raise ReferenceError(f"{path}: missing columns {missing}; expected at least {list(spec.required)}")
    for column in spec.optional:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame.astype(str)
    for column in spec.not_empty:
        empty = frame.index[frame[column].str.strip() == ""]
        if len(empty):
            raise ReferenceError(f"{path}:{int(empty[0]) + 2}: empty '{column}'; fill it or "
                                 "delete the row")
    if spec.key:
        doubled = frame[spec.key].duplicated(keep="first") & (frame[spec.key] != "")
        if doubled.any():
            index = int(frame.index[doubled][0])
            first = int(frame.index[frame[spec.key] == frame[spec.key].iloc[index]][0])
            raise ReferenceError(f"{path}:{index + 2}: {spec.key} {frame[spec.key].iloc[index]!r} "
                                 f"already used on line {first + 2}; ids must be unique")
    return frame


def _pack_table() -> pd.DataFrame:
    path = table_path("packs")
    if not path.exists():
        return pd.DataFrame(columns=list(TABLES["packs"].columns))
    return _read_csv(path, TABLES["packs"])


def packs_for(corpus: str) -> dict[str, bool]:
    """Which listed packs apply to a corpus.

    Args:
        corpus: the corpus name.

    Returns:
        ``{pack: applies}`` for every pack of ``packs.csv``; a pack not listed there applies to
        every corpus.

    Example:
        >>> packs_for("demo")["demo"], packs_for("allsides_iran")["demo"]
        (True, False)
    """
    return {row.pack: any(fnmatch.fnmatchcase(corpus, pattern.strip())
                          for pattern in row.corpora.split("|") if pattern.strip())
            for row in _pack_table().itertuples(index=False)}


def applies(pack: str, corpus: str | None) -> bool:
    """Whether rows of ``pack`` apply to ``corpus`` (every pack applies when ``corpus`` is None).

    Example:
        >>> applies("demo", "narrative_frames"), applies("iran", "narrative_frames"), applies("demo", None)
        (False, True, True)
    """
    if corpus is None or not pack:
        return True
    return packs_for(corpus).get(pack, True)


def read(table: str, *, corpus: str | None = None, path: Path | str | None = None) -> pd.DataFrame:
    """Read a reference table: the one reader of every ``data/reference`` file.

    Args:
        table: ``outlets``, ``entities``, ``events``, ``boilerplate``, ``framing``, ``stopwords`` or
            ``packs``.
        corpus: keep only rows whose pack applies to this corpus and add the corpus's own rows from
            ``<reference>/<corpus>/`` (``None``: every row of the global file, nothing added).
        path: read this file instead of the global one (still scoped and completed by ``corpus``).

    Returns:
        A table of strings (empty cells ``""``) with at least the spec's columns, in file order
        (global rows first, then the corpus's own).

    Raises:
        FileNotFoundError: a table that must exist is missing (the message says where).
        ReferenceError: a column is missing, a required cell is empty or a key is used twice.

    Example:
        >>> read("events", corpus="allsides_iran").empty
        True
        >>> len(read("events", corpus="demo")) > 0
        True
    """
    spec = _spec(table)
    source = Path(path) if path is not None else table_path(table)
    if source.exists():
        frame = _read_csv(source, spec)
    elif spec.must_exist and not (path is None and corpus and (local_dir(corpus) / spec.file).exists()):
        option = {"outlets": "--outlets FILE", "entities": "--entities FILE"}.get(table)
        raise FileNotFoundError(f"reference table {table!r} not found at {source}: "
                                + (f"pass {option} or " if option else "")
                                + f"create it with columns {', '.join(spec.columns)} (see data/reference/)")
    else:
        frame = pd.DataFrame({c: pd.Series(dtype=str) for c in spec.columns})
    if corpus is not None:
        if table != "packs" and len(frame):
            scope = packs_for(corpus)
            frame = frame[[scope.get(p, True) if p else True for p in frame["pack"]]]
        own = local_dir(corpus) / spec.file
        if own.exists() and own.resolve() != source.resolve():
            extra = _read_csv(own, spec)
            if spec.key:
                frame = frame[~frame[spec.key].isin(set(extra[spec.key]))]
            frame = pd.concat([frame, extra.loc[:, [c for c in extra.columns]]], ignore_index=True)
    return frame.reset_index(drop=True).fillna("")


MANIFEST = "ingest_manifest.json"


def corpus_name(path: Path | str) -> str:
    """The corpus name an input path stands for: a folder's name, or a file's folder name.

    Example:
        >>> corpus_name("data/raw/demo"), corpus_name("corpora/allsides_iran/articles.jsonl")
        ('demo', 'allsides_iran')
    """
    source = Path(path)
    looks_like_file = source.is_file() or (not source.exists() and source.suffix != "")
    name = (source.resolve().parent.name if source.exists() else source.parent.name) if looks_like_file \
        else (source.resolve().name if source.exists() else source.name)
    return name or "corpus"


def corpus_of(folder: Path | str) -> str:
    """The corpus a processed folder belongs to: as recorded by ingest, else the folder's name.

    Args:
        folder: a processed folder (``data/processed/<corpus>``).

    Example:
        >>> corpus_of("/nonexistent/processed/demo")
        'demo'
    """
    folder = Path(folder)
    manifest = folder / MANIFEST
    if manifest.exists():
        try:
            recorded = json.loads(manifest.read_text(encoding="utf-8")).get("corpus")
        except (OSError, ValueError):
            recorded = None
        if recorded:
            return str(recorded)
    return folder.name
