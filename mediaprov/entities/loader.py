"""The entities reference table: read, scoped by pack or corpus, and checked line by line.

:func:`load_entities` reads ``entities.csv`` through :mod:`mediaprov.reference` (packs scoped
by corpus, a corpus's own table added) and refuses aliases that would misfire
(:func:`mediaprov.entities.aliases.refused_aliases`), naming the CSV line.
:func:`pack_from_truth` turns the demo's ground truth into rows of the same table.

Example:
    >>> list(load_entities(packs=["iran"]).columns) == [*ENTITY_COLUMNS, *ENTITY_OPTIONAL_COLUMNS]
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from mediaprov import reference
from mediaprov.entities.aliases import name_parts, refused_aliases, split_aliases

ENTITY_COLUMNS: tuple[str, ...] = ("entity_id", "kind", "canonical_name", "aliases", "citation",
                                   "pack")
ENTITY_OPTIONAL_COLUMNS: tuple[str, ...] = ("ambiguous_aliases",)
"""Columns the entities CSV may have: ``ambiguous_aliases`` lists (``|``-separated) names that
would misfire as plain aliases (a bare first name, a common word, ``the Mojahedin``); they
resolve only where the entity is named in full in the same article and the context allows."""


def load_entities(path: Path | None = None, *, packs: Iterable[str] | None = None,
                  corpus: str | None = None) -> pd.DataFrame:
    """Read and check the entities reference table (via :func:`mediaprov.reference.read`).

    Args:
        path: the CSV; default ``<reference>/entities.csv``.
        packs: keep only rows of these packs (e.g. ``["iran"]``); default all.
        corpus: keep the rows whose pack applies to this corpus (demo entities only on the demo:
            see ``packs.csv``) and add ``data/reference/<corpus>/entities.csv``.

    Returns:
        The table with columns :data:`ENTITY_COLUMNS` then :data:`ENTITY_OPTIONAL_COLUMNS`
        (empty when the CSV lacks them), sorted by ``entity_id``.

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: a column is missing, a row has an empty or duplicate id, kind or name, or an
            alias is a bare first name or a common word not marked ambiguous (the message gives
            the CSV line).

    Example:
        >>> "mek" in set(load_entities(packs=["iran"]).entity_id)
        True
        >>> "council-of-nations" in set(load_entities(corpus="allsides_iran").entity_id)
        False
    """
    where = Path(path) if path is not None else reference.table_path("entities")
    files = [(where, reference.read("entities", path=path))]
    if corpus is not None and (reference.local_dir(corpus) / "entities.csv").exists():
        own = reference.local_dir(corpus) / "entities.csv"
        files.append((own, reference.read("entities", path=own)))
    for file, rows in files:  # every file's rows, in file order, so errors can name the line
        for line, row in enumerate(rows.itertuples(index=False), start=2):
            refused = refused_aliases(str(row.canonical_name), str(row.kind),
                                      split_aliases(row.aliases))
            if refused:
                raise ValueError(f"{file}:{line}: alias(es) {refused} of '{row.entity_id}' are a bare "
                                 "first name or a common word and would misfire; move them to the "
                                 "'ambiguous_aliases' column (matched only in context) or delete them")
    table = reference.read("entities", corpus=corpus, path=path)
    if packs is not None:
        table = table[table.pack.isin(list(packs))]
    columns = [*ENTITY_COLUMNS, *ENTITY_OPTIONAL_COLUMNS]
    return table.loc[:, columns].sort_values("entity_id").reset_index(drop=True)


def pack_from_truth(path: Path, *, pack: str = "demo",
                    citation: str = "demo ground truth: data/raw/demo/truth/entities.csv"
                    ) -> pd.DataFrame:
    r"""Build gazetteer rows from a demo ground-truth ``entities.csv``.

    Bare surnames and first names are left out of the aliases:
    :meth:`mediaprov.entities.Gazetteer.match` derives them from the full names and resolves them
    only within an article.

    Args:
        path: ``data/raw/demo/truth/entities.csv`` (``entity_id, kind, canonical_name, aliases``).
        pack: the pack name written in the ``pack`` column.
        citation: the text of the ``citation`` column.

    Returns:
        Rows with :data:`ENTITY_COLUMNS`, sorted by ``entity_id``.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "e.csv"
        >>> _ = p.write_text("entity_id,kind,canonical_name,aliases\n"
        ...                  "x,person,Ana Bel,Bel|Ana Bell\n")
        >>> pack_from_truth(p).aliases.tolist()
        ['Ana Bell']
    """
    truth = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = []
    for r in truth.itertuples(index=False):
        parts = {p.lower() for p in name_parts(r.canonical_name)} if r.kind == "person" else set()
        aliases = [a for a in split_aliases(r.aliases) if a.lower() not in parts]
        rows.append((r.entity_id, r.kind, r.canonical_name, "|".join(aliases),
                     citation, pack))
    table = pd.DataFrame(rows, columns=list(ENTITY_COLUMNS))
    return table.sort_values("entity_id").reset_index(drop=True)
