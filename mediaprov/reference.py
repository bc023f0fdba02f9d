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
        "entities.csv", ("entity_id", "kind", "canonical_name", "aliases"),
        ("citation", "pack", "ambiguous_aliases"),
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


def source_field(articles: pd.DataFrame, name: str) -> pd.Series:
    """One source field of every article (kept by ingest in ``articles.source_fields``).

    Args:
        articles: an ``articles`` table.
        name: the field (``bias_text``, ``mbfc``, ``camp``...).

    Returns:
        A string Series aligned with ``articles``; missing where an article lacks the field.

    Example:
        >>> arts = pd.DataFrame({"source_fields": ['{"bias_text": "left"}', None]})
        >>> source_field(arts, "bias_text").tolist()
        ['left', <NA>]
    """
    if "source_fields" not in articles.columns:
        return pd.Series(pd.NA, index=articles.index, dtype="string")
    values = [json.loads(cell).get(name) if isinstance(cell, str) and cell else None
              for cell in articles["source_fields"]]
    return pd.Series(values, index=articles.index, dtype="string")


def outlets_with_camps(articles: pd.DataFrame, *, corpus: str | None = None, field: str | None = None,
                       citation: str | None = None, outlets: pd.DataFrame | None = None) -> pd.DataFrame:
    """The outlet registry of a corpus with every outlet of its articles, and camps from the data.

    Camps are researcher-supplied data. They come either from the registry's ``camp`` column
    (``field=None``) or from a source field of the corpus itself (``field="bias_text"``: the
    AllSides rating shipped with the AllSides corpus), taken per outlet as the most common value
    of its articles (ties: alphabetical). Outlets of the articles that the registry lacks
    (``unregistered:...``) get a row, so every outlet can carry a camp. ``affiliation_citation``
    says where each camp comes from: the registry row's citation, or ``citation``.

    Args:
        articles: an ``articles`` table (``outlet_id``, and ``source_fields`` when ``field`` is set).
        corpus: scope of the registry (see :func:`read`).
        field: a source field holding each article's outlet rating, or ``None`` for the registry.
        citation: where the field's ratings come from (required with ``field``).
        outlets: a registry table to start from instead of reading ``outlets.csv``.

    Returns:
        Registry columns, one row per outlet (registry outlets first, then the others sorted),
        with ``camp`` (missing when unknown), ``camp_source`` and ``affiliation_citation``.

    Raises:
        ValueError: ``field`` without ``citation``, or no article carries ``field``.

    Example:
        >>> arts = pd.DataFrame({"outlet_id": ["unregistered:x", "unregistered:x"],
        ...                      "source_fields": ['{"bias_text": "left"}'] * 2})
        >>> t = outlets_with_camps(arts, corpus="allsides_iran", field="bias_text", citation="AllSides")
        >>> t.set_index("outlet_id").loc["unregistered:x", ["camp", "camp_source"]].tolist()
        ['left', 'bias_text']
    """
    registry = (outlets.copy() if outlets is not None else read("outlets", corpus=corpus))
    registry = registry.astype("string").replace("", pd.NA)
    present = articles["outlet_id"].dropna().astype(str).unique()
    missing = sorted(set(present) - set(registry["outlet_id"].dropna()))
    if missing:
        extra = pd.DataFrame({"outlet_id": missing, "name": [m.split(":", 1)[-1] for m in missing]})
        registry = pd.concat([registry, extra.astype("string")], ignore_index=True)
    registry["camp_source"] = pd.Series(pd.NA, index=registry.index, dtype="string")
    if field is None:
        registry.loc[registry["camp"].notna(), "camp_source"] = "outlets.csv"
        return registry.reset_index(drop=True)
    if not citation:
        raise ValueError(f"camps from the source field {field!r} need a citation: say where the ratings "
                         "come from (for example the corpus datasheet)")
    values = pd.DataFrame({"outlet_id": articles["outlet_id"], "camp": source_field(articles, field)}).dropna()
    if values.empty:
        raise ValueError(f"no article carries the source field {field!r}: ingest with a column mapping "
                         f"that names it (e.g. --columns allsides, or '{field}=COLUMN')")
    counts = values.groupby(["outlet_id", "camp"]).size().reset_index(name="n")
    counts = counts.sort_values(["outlet_id", "n", "camp"], ascending=[True, False, True], kind="stable")
    camp = counts.drop_duplicates("outlet_id").set_index("outlet_id")["camp"]
    registry["camp"] = registry["outlet_id"].map(camp).astype("string")
    registry["camp_source"] = pd.Series(pd.NA, index=registry.index, dtype="string")
    registry.loc[registry["camp"].notna(), "camp_source"] = field
    registry["affiliation_citation"] = registry["affiliation_citation"].astype("string") \
        if "affiliation_citation" in registry else pd.NA
    registry.loc[registry["camp"].notna(), "affiliation_citation"] = citation
    return registry.reset_index(drop=True)


SETTINGS_FILE = "corpus.json"
"""A corpus's own settings, ``<reference>/<corpus>/corpus.json``: where its raw input is, how to
read it, and the notebook parameters that suit it (for example camps from its own rating column,
with the rating's citation)."""


def corpus_settings(corpus: str) -> dict:
    """The settings a corpus carries in ``data/reference/<corpus>/corpus.json`` (empty if none).

    Keys (all optional): ``source`` (the raw input, relative to the project root or absolute),
    ``columns`` and ``format`` (as for ``mediaprov ingest``), ``parameters`` (notebook parameters,
    e.g. ``{"CAMP_FIELD": "bias_text", "CAMP_CITATION": "..."}``), ``description``.

    Args:
        corpus: the corpus name.

    Returns:
        The settings, with ``source`` made an absolute path when given.

    Raises:
        ReferenceError: the file is not a JSON object.

    Example:
        >>> corpus_settings("no-such-corpus")
        {}
    """
    path = local_dir(corpus) / SETTINGS_FILE
    if not path.exists():
        return {}
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ReferenceError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(settings, dict):
        raise ReferenceError(f"{path}: expected a JSON object with keys source, columns, parameters")
    if settings.get("source"):
        source = Path(settings["source"])
        settings["source"] = str(source if source.is_absolute() else (paths.PROJECT_ROOT / source).resolve())
    return settings
