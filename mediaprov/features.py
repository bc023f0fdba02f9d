"""Features of the articles table: mentions, quotes, citations and embedded posts, with offsets.

One pass per article: the entity gazetteer (:mod:`mediaprov.entities`) finds mentions, which
:mod:`mediaprov.quotes` uses to attribute quotes, and :mod:`mediaprov.citations` turns quotes,
embedded posts, outlet names, credit lines, links and handles into citations. Every row keeps
``start``/``end`` into ``articles.text``; :func:`mediaprov.evidence.evidence` prints them in
context.

Example:
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"article_id": ["a"], "outlet_id": [None],
    ...     "text": ["Petra Halloran told Global Wire Service: “We were told to wait.”"]})
    >>> features = extract_features(articles)
    >>> features.quotes[["speaker_id", "cue"]].values.tolist()
    [['petra-halloran', 'told']]
    >>> sorted(features.citations.source_id)
    ['global-wire', 'petra-halloran']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mediaprov.citations import OutletIndex, citations_in_text, citations_table, load_outlets
from mediaprov.entities import Gazetteer, load_entities
from mediaprov.io import read_table, stage_writer, write_table
from mediaprov.quotes import embed_rows, embeds_table, quote_rows, quotes_in_text, quotes_table
from mediaprov.schema import ARTICLES, CITATIONS, MENTIONS, QUOTES, validate


@dataclass
class Features:
    """The feature tables of a set of articles.

    Attributes:
        mentions: entity mentions (mediaprov.schema.MENTIONS).
        quotes: direct quotes, scare quotes and embedded posts (QUOTES).
        citations: sources each article leans on (CITATIONS).
        embeds: embedded social-media posts (EMBEDS).
        ambiguous: bare names shared by several persons mentioned in the same article, kept apart
            for review (MENTIONS columns; ``entity_id`` lists the candidates joined by ``|``).
    """

    mentions: pd.DataFrame
    quotes: pd.DataFrame
    citations: pd.DataFrame
    embeds: pd.DataFrame
    ambiguous: pd.DataFrame


def _value(row: dict, column: str) -> str | None:
    value = row.get(column)
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value)


def extract_features(articles: pd.DataFrame, *, entities: pd.DataFrame | Gazetteer | None = None,
                     outlets: pd.DataFrame | OutletIndex | None = None,
                     fuzzy: bool = True) -> Features:
    """Extract mentions, quotes, citations and embedded posts from every article.

    Args:
        articles: a table with ``article_id`` and ``text``; ``outlet_id``, ``credited_source``
            and ``credit_line`` are used when present.
        entities: the entities table (:func:`mediaprov.entities.load_entities`) or a compiled
            gazetteer; default ``data/reference/entities.csv``, all packs.
        outlets: the outlets table (:func:`mediaprov.citations.load_outlets`) or a compiled
            index; default ``data/reference/outlets.csv``.
        fuzzy: match spelling variants of names.

    Returns:
        A :class:`Features` with validated tables, sorted by article and offset.

    Raises:
        ValueError: ``articles`` has no ``article_id`` or ``text`` column.

    Example: see the module docstring.
    """
    missing = [c for c in ("article_id", "text") if c not in articles.columns]
    if missing:
        raise ValueError(f"articles table lacks columns {missing}: pass the articles table "
                         f"written by `mediaprov ingest` (mediaprov.schema.ARTICLES)")
    if not isinstance(entities, Gazetteer):
        entities = Gazetteer.from_entities(entities if entities is not None else load_entities())
    if not isinstance(outlets, OutletIndex):
        outlets = OutletIndex.from_table(outlets if outlets is not None else load_outlets())
    mention_rows: list[tuple] = []
    ambiguous_rows: list[tuple] = []
    quote_table_rows: list[tuple] = []
    citation_rows: list[tuple] = []
    embed_table_rows: list[tuple] = []
    columns = [c for c in ("article_id", "text", "outlet_id", "credited_source", "credit_line")
               if c in articles.columns]
    for row in articles[columns].to_dict("records"):
        text = row["text"]
        if not isinstance(text, str) or not text:
            continue
        article_id = str(row["article_id"])
        matches = entities.match(text, fuzzy=fuzzy)
        for m in matches:
            kind = entities.kinds.get(m.ids[0], "") if len(m.ids) == 1 else "ambiguous"
            target = ambiguous_rows if m.method == "ambiguous" else mention_rows
            target.append((article_id, "|".join(m.ids), text[m.start:m.end], m.start, m.end,
                           kind, m.method))
        resolved = [m for m in matches if m.method != "ambiguous"]
        quotes, embeds = quotes_in_text(text, entities, mentions=resolved)
        quote_table_rows.extend(quote_rows(article_id, text, quotes))
        embed_table_rows.extend(embed_rows(article_id, embeds))
        citation_rows.extend(citations_in_text(
            article_id, text, outlets, quotes=quotes, embeds=embeds,
            own_outlet=_value(row, "outlet_id"), credited_source=_value(row, "credited_source"),
            credit_line=_value(row, "credit_line"),
        ))
    return Features(
        mentions=_mentions_table(mention_rows),
        quotes=quotes_table(quote_table_rows),
        citations=citations_table(citation_rows),
        embeds=embeds_table(embed_table_rows),
        ambiguous=_mentions_table(ambiguous_rows),
    )


def _mentions_table(rows: list[tuple]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=list(MENTIONS.columns))
    table = table.sort_values(["article_id", "start", "end"], kind="stable")
    return validate(table, MENTIONS, where="mentions")


OUTPUTS: dict[str, tuple[str, object]] = {
    "mentions": ("mentions.parquet", MENTIONS),
    "quotes": ("quotes.parquet", QUOTES),
    "citations": ("citations.parquet", CITATIONS),
    "ambiguous": ("ambiguous_mentions.parquet", MENTIONS),
}


@stage_writer("features")
def run_features(dir: Path, *, entities_path: Path | None = None,  # noqa: A002 - CLI name
                 outlets_path: Path | None = None) -> dict[str, Path]:
    """Read ``dir/articles.parquet`` and write the feature tables beside it.

    Args:
        dir: a processed corpus folder (``data/processed/<corpus>``).
        entities_path: the entities CSV; default ``data/reference/entities.csv``.
        outlets_path: the outlets CSV; default ``data/reference/outlets.csv``.

    Returns:
        Table name -> path written: ``mentions``, ``quotes``, ``citations`` and ``ambiguous``
        (``ambiguous_mentions.parquet``). Embedded posts are ingestion's table
        (``embeds.parquet``, written by ``mediaprov ingest``); ``Features.embeds`` holds the
        same rows in memory (built by :func:`mediaprov.embeds.embed_rows`).

    Raises:
        FileNotFoundError: ``dir/articles.parquet`` or a reference file is missing.

    Example:
        >>> import tempfile, pandas as pd
        >>> from mediaprov.schema import ARTICLES
        >>> folder = Path(tempfile.mkdtemp())
        >>> table = ARTICLES.empty()
        >>> table.loc[0, ["article_id", "text", "raw_path", "raw_sha256"]] = ["a", "MEK.", "x", "0"]
        >>> _ = write_table(table, folder / "articles.parquet", ARTICLES)
        >>> sorted(run_features(folder))
        ['ambiguous', 'citations', 'mentions', 'quotes']
    """
    folder = Path(dir)
    articles = read_table(folder / "articles.parquet", ARTICLES)
    features = extract_features(articles, entities=load_entities(entities_path),
                                outlets=load_outlets(outlets_path))
    written = {}
    for name, (file_name, schema) in OUTPUTS.items():
        written[name] = write_table(getattr(features, name), folder / file_name, schema)
    return written
