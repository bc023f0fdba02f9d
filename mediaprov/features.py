"""Features of the articles table: mentions, quotes, citations and embedded posts, with offsets.

One pass per article: the entity gazetteer (:mod:`mediaprov.entities`) finds mentions, which
:mod:`mediaprov.quotes` uses to attribute quotes; name discovery (:mod:`mediaprov.names`) adds
the names no curated pack lists; and :mod:`mediaprov.citations` turns quotes, embedded posts,
outlet names, news sources named with a source cue, credit lines, links and handles into
citations. Articles are read through :func:`mediaprov.text.analysis_text`. Every row keeps
``start``/``end`` into ``articles.text``; :func:`mediaprov.evidence` prints them in
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

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mediaprov import reference
from mediaprov.citations import (KeptSources, OutletIndex, citations_in_text, citations_table,
                                 kept_source_ids, kept_sources, load_outlets, source_candidates,
                                 source_cues)
from mediaprov.engine import Engine, iter_partitions, partition_bounds, session
from mediaprov.entities import Gazetteer, load_entities
from mediaprov.io import stage_writer
from mediaprov.parquet import ChunkedTableWriter, read_rows, row_count
from mediaprov.name_merge import NameCounts, fold_names, name_folds, sum_counts
from mediaprov.names import coverage_line, discover_names
from mediaprov.quotes import embed_rows, embeds_table, quote_rows, quotes_in_text, quotes_table
from mediaprov.schema import ARTICLES, CITATIONS, MENTIONS, QUOTES, Schema, validate
from mediaprov.spool import RangeSpool, key_bounds
from mediaprov.text import ANALYSIS_TEXT_COLUMN, analysis_text


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
        coverage: actor coverage, ``(spans, curated, resolved)``: capitalised name spans found
            by the name chunker (:mod:`mediaprov.names`), how many a curated mention covers, and
            how many a curated or discovered mention covers (:func:`mediaprov.names.coverage_line`).
    """

    mentions: pd.DataFrame
    quotes: pd.DataFrame
    citations: pd.DataFrame
    embeds: pd.DataFrame
    ambiguous: pd.DataFrame
    coverage: tuple[int, int, int] = (0, 0, 0)

    def coverage_line(self) -> str:
        """The actor-coverage figure, one line (see :func:`mediaprov.names.coverage_line`).

        Example:
            >>> e = pd.DataFrame()
            >>> Features(e, e, e, e, e, (10, 2, 9)).coverage_line()
            'actor coverage: 10 capitalised name spans, 20.0% resolved by curated packs, 90.0% with discovered names'
        """
        return coverage_line(*self.coverage)


def _value(row: dict, column: str) -> str | None:
    value = row.get(column)
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value)


def extract_features(articles: pd.DataFrame, *, entities: pd.DataFrame | Gazetteer | None = None,
                     outlets: pd.DataFrame | OutletIndex | None = None,
                     fuzzy: bool = True, discover: bool = True,
                     engine: Engine | None = None) -> Features:
    """Extract mentions, quotes, citations and embedded posts from every article.

    The articles are cut into contiguous partitions (several per worker on a Dask cluster:
    :mod:`mediaprov.engine`; in-process, one per 10,000 articles); each partition's tables are
    made independently, then concatenated in article order, and the steps that look across
    articles (news sources kept by :func:`mediaprov.citations.keep_sources`, names merged across
    articles) run on the whole. The tables are therefore the same whichever way it runs.
    :func:`run_features` reads each partition's articles from disk as it is sent, so at no time
    does one process hold every text of a large corpus.

    Args:
        articles: a table with ``article_id`` and ``text``; ``outlet_id``, ``credited_source``
            and ``credit_line`` are used when present.
        entities: the entities table (:func:`mediaprov.entities.load_entities`) or a compiled
            gazetteer; default ``data/reference/entities.csv``, all packs.
        outlets: the outlets table (:func:`mediaprov.citations.load_outlets`) or a compiled
            index; default ``data/reference/outlets.csv``.
        fuzzy: match spelling variants of names.
        discover: also find names no curated pack lists (:func:`mediaprov.names.discover_names`;
            ``mentions.method`` ``discovered`` / ``discovered-partial``, ids ``name:...``),
            merged across articles (:func:`mediaprov.name_merge.merge_across_articles`).
        engine: where the partitions run (:class:`mediaprov.engine.Engine`); default
            :meth:`Engine.resolve() <mediaprov.engine.Engine.resolve>` (in-process unless
            ``MEDIAPROV_SCHEDULER`` is set).

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
    engine = engine if engine is not None else Engine.resolve()
    columns = [c for c in _ARTICLE_COLUMNS if c in articles.columns]
    partitions = (articles.iloc[start:stop][columns] for start, stop in _slices(engine, len(articles)))
    with session(engine):
        corpus = _extract(partitions, entities=entities, outlets=outlets, fuzzy=fuzzy,
                          discover=discover, engine=engine)
        [tables] = list(corpus.pieces)
    return Features(mentions=tables.mentions, quotes=tables.quotes, citations=tables.citations,
                    embeds=tables.embeds, ambiguous=tables.ambiguous, coverage=corpus.coverage)


_ARTICLE_COLUMNS = ("article_id", "outlet_id", "credited_source", "credit_line", "text",
                    ANALYSIS_TEXT_COLUMN)
"""The columns of ``articles`` that feature extraction reads."""


@dataclass
class _Corpus:
    """The feature tables of a corpus, finished by the steps that look across articles.

    Attributes:
        pieces: the tables, as one piece (in memory, even when empty) or key range after key
            range (spooled), each finished (:meth:`_CorpusSteps.finish`) and sorted as the whole
            table is.
        coverage: actor coverage over the corpus.
    """

    pieces: Iterator[_Tables]
    coverage: tuple[int, int, int]


def _extract(partitions: Iterable[pd.DataFrame], *, entities: pd.DataFrame | Gazetteer | None,
             outlets: pd.DataFrame | OutletIndex | None, fuzzy: bool, discover: bool,
             engine: Engine, spool: RangeSpool | None = None) -> _Corpus:
    """The feature tables of consecutive partitions of articles.

    The partitions may come lazily: a cluster gets each one as it is read, so this process never
    holds every text at once. Each partition's tables come back with the counts the corpus-wide
    steps need (names per article, source cues), which are summed; the tables are kept in memory,
    or with ``spool`` put aside on disk by key range so that this process never holds every
    partition's tables either (:func:`run_features`). Either way the tables come out the same.
    """
    if not isinstance(entities, Gazetteer):
        entities = Gazetteer.from_entities(entities if entities is not None else load_entities())
    if not isinstance(outlets, OutletIndex):
        outlets = OutletIndex.from_table(outlets if outlets is not None else load_outlets())
    names: list[NameCounts] = []
    cues: list[pd.DataFrame] = []
    coverage = [0, 0, 0]
    kept: list[_Tables] = []
    for found in iter_partitions(_feature_tables, partitions, engine=engine,
                                 shared={"entities": entities, "outlets": outlets, "fuzzy": fuzzy,
                                         "discover": discover}):
        names.append(found.names)
        cues.append(found.cues)
        coverage = [total + count for total, count in zip(coverage, found.tables.coverage, strict=True)]
        if spool is None:
            kept.append(found.tables)
        else:
            spool.add({name: getattr(found.tables, name) for name in _SPOOLED})
    steps = _CorpusSteps.decide(NameCounts.total(names), sum_counts(cues, empty=source_cues(_NO_SOURCES)),
                                discover=discover)
    if spool is None:
        pieces: Iterable[_Tables] = [_Tables.concat(kept)]  # no partition: empty tables
    else:
        pieces = (_Tables.concat([_Tables.of_frames(piece, i) for i in range(len(piece["mentions"]))])
                  for piece in spool.ranges())
    return _Corpus(pieces=(steps.finish(piece) for piece in pieces),
                   coverage=(coverage[0], coverage[1], coverage[2]))


@dataclass(frozen=True)
class _CorpusSteps:
    """The steps that look across articles, decided once and applied to any articles' tables.

    Decided from the corpus's counts: which news sources count
    (:func:`mediaprov.citations.kept_source_ids`) and which discovered names fold into others
    (:func:`mediaprov.name_merge.name_folds`). Applied to the tables of any set of whole
    articles (the corpus, or one key range of it).
    """

    sources: KeptSources
    folds: dict[str, tuple[str, str]]
    cited_as: dict[str, str]
    """Folded ids a mention of the corpus has -> their new id: what citations are renamed by
    (a fold can name an id no mention has, e.g. an acronym defined in a text; a citation of
    such an id, a speaker discovery missed, keeps it)."""

    @classmethod
    def decide(cls, names: NameCounts, cues: pd.DataFrame, *, discover: bool) -> _CorpusSteps:
        """Decide from the counts of the whole corpus."""
        folds = name_folds(names) if discover else {}
        mentioned = names.names.index
        return cls(sources=kept_source_ids(cues, names.names["rows"]), folds=folds,
                   cited_as={name: target for name, (target, _) in folds.items() if name in mentioned})

    def finish(self, tables: _Tables) -> _Tables:
        """The finished tables of some articles: kept sources among the citations, folded names."""
        sources = kept_sources(tables.sources, self.sources)
        citations = citations_table(_concat([tables.citations, sources]))
        mentions = tables.mentions
        if self.cited_as:
            mentions = validate(fold_names(mentions, self.folds), MENTIONS, where="mentions")
            citations = citations.copy()
            citations["source_id"] = citations["source_id"].map(
                lambda s: self.cited_as.get(s, s)).astype(citations["source_id"].dtype)
        return _Tables(mentions=mentions, ambiguous=tables.ambiguous, quotes=tables.quotes,
                       citations=citations, embeds=tables.embeds, sources=tables.sources.iloc[:0])


_LEAST_ARTICLES = 50
"""Fewest articles in a partition sent to a worker (a partition costs a few milliseconds)."""

_MOST_ARTICLES = 10_000
"""Most articles in a partition, in-process too: a partition's rows are Python tuples until its
tables are made, and 100,000 articles' tuples alone took a gigabyte."""


def _slices(engine: Engine, n_articles: int) -> list[tuple[int, int]]:
    """The ``(start, stop)`` partitions of ``n_articles``: the engine's, cut finer when too large.

    Cut finer, they are a multiple of the workers (:meth:`mediaprov.engine.Engine.balanced`).
    """
    bounds = engine.partitions(n_articles, least=_LEAST_ARTICLES)
    wanted = -(-n_articles // _MOST_ARTICLES)
    if len(bounds) >= wanted:
        return bounds
    return partition_bounds(n_articles, engine.balanced(wanted))


@dataclass
class _Rows:
    """The rows one partition of articles contributes to each feature table, in article order."""

    mentions: list[tuple] = field(default_factory=list)
    ambiguous: list[tuple] = field(default_factory=list)
    quotes: list[tuple] = field(default_factory=list)
    citations: list[tuple] = field(default_factory=list)
    embeds: list[tuple] = field(default_factory=list)
    sources: list[tuple] = field(default_factory=list)
    coverage: tuple[int, int, int] = (0, 0, 0)


_SOURCE_COLUMNS = ["article_id", "source_id", "start", "end", "news_word"]
_NO_SOURCES = pd.DataFrame(columns=_SOURCE_COLUMNS)

_SPOOLED = ("mentions", "ambiguous", "quotes", "citations", "sources")
"""The tables :func:`run_features` puts aside by key range (embedded posts are ingest's table)."""


@dataclass
class _Tables:
    """One partition's feature tables (or the corpus's, once concatenated).

    ``mentions``, ``ambiguous``, ``quotes`` and ``embeds`` are validated and sorted;
    ``citations`` holds the rows found in each text and ``sources`` the news-source candidates,
    both unsorted until the corpus-wide steps have run (:meth:`_CorpusSteps.finish`). A
    partition returns tables rather than Python tuples: a million articles' 30 million mentions
    as tuples took more memory than this machine has.
    """

    mentions: pd.DataFrame
    ambiguous: pd.DataFrame
    quotes: pd.DataFrame
    citations: pd.DataFrame
    embeds: pd.DataFrame
    sources: pd.DataFrame
    coverage: tuple[int, int, int] = (0, 0, 0)

    @classmethod
    def of(cls, rows: _Rows) -> _Tables:
        """The tables of one partition's rows."""
        return cls(mentions=_mentions_table(rows.mentions), ambiguous=_mentions_table(rows.ambiguous),
                   quotes=quotes_table(rows.quotes), embeds=embeds_table(rows.embeds),
                   citations=pd.DataFrame(rows.citations, columns=list(CITATIONS.columns)),
                   sources=pd.DataFrame(rows.sources, columns=_SOURCE_COLUMNS),
                   coverage=rows.coverage)

    @classmethod
    def of_frames(cls, piece: dict[str, list[pd.DataFrame]], index: int) -> _Tables:
        """Partition ``index``'s tables in a spooled range (tables not spooled are empty)."""
        return cls(embeds=embeds_table([]), **{name: frames[index] for name, frames in piece.items()})

    @classmethod
    def concat(cls, parts: list[_Tables]) -> _Tables:
        """The tables of consecutive partitions, as if found in one pass (same rows, same order)."""
        if len(parts) <= 1:  # in-process: one partition, nothing to copy
            return parts[0] if parts else cls.of(_Rows())
        sorted_by = {"mentions": ["article_id", "start", "end"], "ambiguous": ["article_id", "start", "end"],
                     "quotes": ["article_id", "start", "end"], "embeds": ["article_id", "start"]}
        coverage = tuple(sum(p.coverage[i] for p in parts) for i in range(3))
        tables = {name: _concat_sorted(_taken(parts, name), by) for name, by in sorted_by.items()}
        unsorted = {name: _concat(_taken(parts, name)) for name in ("citations", "sources")}
        return cls(**tables, **unsorted, coverage=(coverage[0], coverage[1], coverage[2]))


def _taken(parts: list[_Tables], name: str) -> list[pd.DataFrame]:
    """Every part's ``name`` table, taken out of the parts.

    Once the corpus's table is assembled the parts' copies are gone, instead of lasting through
    the corpus-wide steps (at a million articles, 3 GB of mentions).
    """
    taken = [getattr(part, name) for part in parts]
    for part in parts:
        setattr(part, name, None)
    return taken


def _concat_sorted(tables: list[pd.DataFrame], by: list[str]) -> pd.DataFrame:
    """Concatenate tables each sorted by ``by`` (stably) into one sorted the same way.

    An article's rows all come from one partition, so when the partitions follow each other in
    ``article_id`` order the concatenation is already sorted; otherwise (ingest writes articles in
    the order it reads them, and ids are hashes) one stable sort gives what sorting all rows at
    once gives.
    """
    table = _concat(tables)
    if table["article_id"].is_monotonic_increasing:
        return table
    return table.sort_values(by, kind="stable", ignore_index=True)


def _concat(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Rows of the tables one after another (empty ones skipped: they carry no dtypes to mix)."""
    filled = [t for t in tables if len(t)]
    if len(filled) == 1:
        return filled[0].reset_index(drop=True)
    return pd.concat(filled or tables[:1], ignore_index=True)


@dataclass
class _Found:
    """One partition's tables and the counts the corpus-wide steps need of them."""

    tables: _Tables
    names: NameCounts
    cues: pd.DataFrame


def _feature_tables(articles: pd.DataFrame, *, entities: Gazetteer, outlets: OutletIndex,
                    fuzzy: bool, discover: bool) -> _Found:
    """One partition's work, as tables with their counts (see :func:`_feature_rows`)."""
    tables = _Tables.of(_feature_rows(articles, entities=entities, outlets=outlets, fuzzy=fuzzy,
                                      discover=discover))
    return _Found(tables=tables, names=NameCounts.of(tables.mentions), cues=source_cues(tables.sources))


def _feature_rows(articles: pd.DataFrame, *, entities: Gazetteer, outlets: OutletIndex,
                  fuzzy: bool, discover: bool) -> _Rows:
    """One partition's work: every article on its own (no look across articles here)."""
    rows = _Rows()
    coverage = [0, 0, 0]
    columns = [c for c in ("article_id", "outlet_id", "credited_source", "credit_line")
               if c in articles.columns]
    for row, text in zip(articles[columns].to_dict("records"), analysis_text(articles),
                         strict=True):
        if not isinstance(text, str) or not text:
            continue
        article_id = str(row["article_id"])
        matches = entities.match(text, fuzzy=fuzzy)
        for m in matches:
            kind = entities.kinds.get(m.ids[0], "") if len(m.ids) == 1 else "ambiguous"
            target = rows.ambiguous if m.method == "ambiguous" else rows.mentions
            target.append((article_id, "|".join(m.ids), text[m.start:m.end], m.start, m.end,
                           kind, m.method))
        resolved = [m for m in matches if m.method != "ambiguous"]
        discovered = []
        if discover:
            found = discover_names(text, curated=matches)
            discovered = found.matches
            coverage[0] += found.spans
            coverage[1] += found.curated
            coverage[2] += found.resolved
            rows.mentions.extend((article_id, m.ids[0], text[m.start:m.end], m.start, m.end,
                                  m.kind, m.method) for m in discovered)
            own = _value(row, "outlet_id")
            rows.sources.extend((article_id, *c) for c in source_candidates(text, discovered, outlets)
                                if c[0] != own)
        quotes, embeds = quotes_in_text(text, entities, mentions=resolved)
        rows.quotes.extend(quote_rows(article_id, text, quotes))
        rows.embeds.extend(embed_rows(article_id, embeds))
        rows.citations.extend(citations_in_text(
            article_id, text, outlets, quotes=quotes, embeds=embeds,
            own_outlet=_value(row, "outlet_id"), credited_source=_value(row, "credited_source"),
            credit_line=_value(row, "credit_line"), names=discovered,
        ))
    rows.coverage = (coverage[0], coverage[1], coverage[2])
    return rows


def _mentions_table(rows: list[tuple]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=list(MENTIONS.columns))
    table = table.sort_values(["article_id", "start", "end"], kind="stable")
    return validate(table, MENTIONS, where="mentions")


OUTPUTS: dict[str, tuple[str, Schema]] = {
    "mentions": ("mentions.parquet", MENTIONS),
    "quotes": ("quotes.parquet", QUOTES),
    "citations": ("citations.parquet", CITATIONS),
    "ambiguous": ("ambiguous_mentions.parquet", MENTIONS),
}


@stage_writer("features", reads=("ingest",))
def run_features(dir: Path, *, entities_path: Path | None = None,  # noqa: A002 - CLI name
                 outlets_path: Path | None = None, corpus: str | None = None,
                 report: Callable[[str], None] | None = None, workers: int | None = None,
                 scheduler: str | None = None) -> dict[str, Path]:
    """Read ``dir/articles.parquet`` and write the feature tables beside it.

    Each partition's tables are put aside on disk by article-id range as they come
    (:class:`mediaprov.spool.RangeSpool`, a ``.spool.*.tmp`` folder in ``dir`` about the size of
    the tables uncompressed: 3.7 GB at a million demo articles), then finished and written range
    by range, so this process holds counts and one range (:data:`RANGE_ARTICLES` articles) at a
    time. The tables are the same as :func:`extract_features` gives.

    Args:
        dir: a processed corpus folder (``data/processed/<corpus>``).
        entities_path: the entities CSV; default ``data/reference/entities.csv``.
        outlets_path: the outlets CSV; default ``data/reference/outlets.csv``.
        corpus: the corpus name, which decides the entity packs that apply
            (:func:`mediaprov.entities.load_entities`); default the folder's name.
        report: called with the actor-coverage line (:meth:`Features.coverage_line`), e.g.
            ``print``; ``mediaprov features`` prints it.
        workers: run on a local Dask cluster of this many worker processes
            (:class:`mediaprov.engine.Engine`); default in this process. Not a parameter of the
            tables: they are the same either way.
        scheduler: address of a running Dask scheduler to run on instead (default the
            ``MEDIAPROV_SCHEDULER`` environment variable, if set).

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
        >>> from mediaprov.io import write_table
        >>> _ = write_table(table, folder / "articles.parquet", ARTICLES)
        >>> sorted(run_features(folder))
        ['ambiguous', 'citations', 'mentions', 'quotes']
    """
    folder = Path(dir)
    corpus = corpus or reference.corpus_of(folder)  # demo entities and outlets never apply elsewhere
    engine = Engine.resolve(workers, scheduler)
    path = folder / "articles.parquet"
    columns = [c for c in _ARTICLE_COLUMNS if c in ARTICLES.columns]
    n_articles = row_count(path)
    bounds = key_bounds(read_rows(path, 0, n_articles, ARTICLES, columns=["article_id"])["article_id"],
                        per_range=RANGE_ARTICLES)
    with session(engine), RangeSpool(folder, bounds) as spool:
        # each slice is read as it is sent, and each partition's tables put aside as they come:
        # no process holds every text, nor every partition's tables
        partitions = (read_rows(path, start, stop, ARTICLES, columns=columns)
                      for start, stop in _slices(engine, n_articles))
        found = _extract(partitions, entities=load_entities(entities_path, corpus=corpus),
                         outlets=load_outlets(outlets_path, corpus=corpus), fuzzy=True,
                         discover=True, engine=engine, spool=spool)
        if report is not None:
            report(coverage_line(*found.coverage))
        with contextlib.ExitStack() as stack:  # on an error every writer drops its file
            writers = {name: stack.enter_context(ChunkedTableWriter(folder / file_name, schema))
                       for name, (file_name, schema) in OUTPUTS.items()}
            for tables in found.pieces:  # key range after key range: the sorted tables
                for name, writer in writers.items():
                    if len(getattr(tables, name)):
                        writer.write(getattr(tables, name))
        # closed into the stage's folder, published when the stage ends
        return {name: folder / file_name for name, (file_name, _) in OUTPUTS.items()}


RANGE_ARTICLES = 20_000
"""Articles per key range of :func:`run_features`' spool: one range's tables are what it holds
at a time once every partition is in (at the demo's density, 600,000 mentions)."""
