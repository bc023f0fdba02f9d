"""Stories: group articles about the same story, the grouping timelines and narratives share.

Articles join one story when they are linked, directly or through a chain, by

* ``near-duplicate``: ingestion merged one record into another (``ingest_log`` rows with status
  ``duplicate`` and ``duplicate_of``);
* ``reuse``: a reuse pair (the REUSE table, optionally above a similarity threshold);
* ``shared-quote``: the same quotation (normalised text, long enough to be distinctive) appears
  in different articles of one burst of coverage (carriers at most 30 days apart in a chain;
  :mod:`mediaprov.quote_links`), so a line quoted again years later does not join two stories.

The groups are the connected components of these links (a sparse graph's components, linear in
the links; :class:`UnionFind` is the same idea for callers adding links one by one). Every article of
``articles`` gets a row, unlinked ones as a story of their own (``joined_by == "singleton"``).

Example:
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"article_id": ["a", "b", "c"]})
    >>> reuse = pd.DataFrame({"article_a": ["a"], "article_b": ["b"], "similarity": [0.9]})
    >>> table = build_stories(articles, reuse=reuse)
    >>> table.groupby("story_id").size().sort_values().tolist()
    [1, 2]
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from mediaprov.arrays import sorted_unique
from mediaprov.io import read_table, stage_writer, write_table
from mediaprov.schema import ARTICLES, INGEST_LOG, MENTIONS, QUOTES, REUSE, STORIES, validate
from mediaprov.dating import date_status, floor_times
from mediaprov.quote_links import QUOTE_WINDOW_DAYS, check_window, quote_links
from mediaprov.quote_links import normalise_quote as normalise_quote  # moved there; kept here
from mediaprov.schema import require_columns
from mediaprov.story_events import add_event_groups as add_event_groups  # moved there; kept here

LINK_KINDS: tuple[str, ...] = ("near-duplicate", "reuse", "shared-quote")
"""How an article can join a story."""

SINGLETON = "singleton"


class UnionFind:
    """Disjoint sets of string ids; each set's representative is its smallest id.

    Example:
        >>> sets = UnionFind()
        >>> sets.union("b", "a"); sets.union("c", "b")
        >>> sets.find("c")
        'a'
    """

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def add(self, item: str) -> None:
        """Add ``item`` as a set of its own if it is new."""
        self._parent.setdefault(item, item)

    def find(self, item: str) -> str:
        """Return the representative of ``item``'s set (adding ``item`` if new)."""
        self.add(item)
        root = item
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[item] != root:  # path compression
            self._parent[item], item = root, self._parent[item]
        return root

    def union(self, first: str, second: str) -> None:
        """Merge the sets of ``first`` and ``second``; the smaller id stays representative."""
        a, b = self.find(first), self.find(second)
        if a != b:
            low, high = sorted((a, b))
            self._parent[high] = low

    def items(self) -> list[str]:
        """Return every id, sorted."""
        return sorted(self._parent)


def story_links(*, articles: pd.DataFrame | None = None, ingest_log: pd.DataFrame | None = None,
                reuse: pd.DataFrame | None = None, quotes: pd.DataFrame | None = None,
                min_similarity: float = 0.0, min_quote_chars: int = 40,
                quote_kinds: tuple[str, ...] = ("direct", "embedded_post"),
                quote_window_days: float | None = QUOTE_WINDOW_DAYS) -> pd.DataFrame:
    """List the links that put two articles in one story, each with its kind and evidence.

    Args:
        articles: ``published`` (and ``date_confidence``) cut a quote's carriers into bursts
            (:func:`mediaprov.quote_links.quote_links`); ``text`` gives a quote's text from
            ``articles.text[start:end]`` when the quotes table has no ``text`` for it.
        ingest_log: INGEST_LOG rows; ``duplicate`` rows link ``article_id`` to ``duplicate_of``.
        reuse: REUSE rows; pairs with ``similarity`` below ``min_similarity`` are ignored.
        quotes: QUOTES rows; quotes of ``quote_kinds`` whose normalised text has at least
            ``min_quote_chars`` characters link the articles that carry them within one burst of
            coverage (short scare quotes and labels would join unrelated stories, so they are
            left out; a quote repeated months later is a callback, not the same story).
        min_similarity: the lowest reuse similarity that links.
        min_quote_chars: the shortest normalised quote that links.
        quote_kinds: the quote kinds that link.
        quote_window_days: the largest gap in days between consecutive dated carriers of a
            quote in one burst (``None``: every carrier links, whatever the dates).

    Returns:
        ``article_a``, ``article_b`` (``a < b``), ``kind`` (one of :data:`LINK_KINDS`),
        ``evidence`` (the similarity or the normalised quote), sorted and without duplicates.

    Example:
        >>> log = pd.DataFrame({"article_id": ["d"], "status": ["duplicate"],
        ...     "duplicate_of": ["a"]})
        >>> story_links(ingest_log=log).loc[0, ["article_a", "article_b", "kind"]].tolist()
        ['a', 'd', 'near-duplicate']
    """
    check_window(quote_window_days)
    parts: list[pd.DataFrame] = []
    if ingest_log is not None and len(ingest_log):
        require_columns(ingest_log, ("article_id", "status", "duplicate_of"), "ingest_log")
        dup = ingest_log.loc[(ingest_log["status"] == "duplicate")
                             & ingest_log["article_id"].notna()
                             & ingest_log["duplicate_of"].notna()]
        parts.append(pd.DataFrame({"x": dup["article_id"], "y": dup["duplicate_of"],
                                   "kind": "near-duplicate", "evidence": "ingest_log"}))
    if reuse is not None and len(reuse):
        require_columns(reuse, ("article_a", "article_b"), "reuse")
        kept = reuse
        if "similarity" in reuse.columns:
            kept = reuse.loc[reuse["similarity"].fillna(0.0) >= min_similarity]
            evidence = kept["similarity"].map(lambda s: f"similarity={s:.3f}")
        else:
            evidence = pd.Series("reuse", index=kept.index)
        parts.append(pd.DataFrame({"x": kept["article_a"], "y": kept["article_b"],
                                   "kind": "reuse", "evidence": evidence}))
    if quotes is not None and len(quotes):
        parts.append(quote_links(quotes, articles=articles, min_quote_chars=min_quote_chars,
                                 quote_kinds=quote_kinds, window_days=quote_window_days))
    columns = {"article_a": "string", "article_b": "string", "kind": "string",
               "evidence": "string"}
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    links = pd.concat(parts, ignore_index=True).astype("string")
    links = links.loc[links["x"] != links["y"]]
    low, high = links[["x", "y"]].min(axis=1), links[["x", "y"]].max(axis=1)
    links = pd.DataFrame({"article_a": low, "article_b": high, "kind": links["kind"],
                          "evidence": links["evidence"]}).astype(columns)
    links = links.drop_duplicates(["article_a", "article_b", "kind"])
    return links.sort_values(["article_a", "article_b", "kind"], kind="stable").reset_index(
        drop=True)


def _components(article_ids: pd.Series, links: pd.DataFrame) -> pd.DataFrame:
    """Stories as connected components of the links (sparse graph, linear in the links).

    Returns ``article_id`` (every article and every id in a link, sorted), ``story_id`` (from the
    component's smallest id, as :class:`UnionFind` names it) and ``joined_by``.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    a, b = links["article_a"].astype(str), links["article_b"].astype(str)
    ids = pd.Index(pd.concat([article_ids, a, b], ignore_index=True).unique()).sort_values()
    n = len(ids)
    left, right = ids.get_indexer(a), ids.get_indexer(b)
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    # ids are sorted, so the first member of each component is its smallest id
    first = np.full(label.max() + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(first, label, np.arange(n))
    representative = ids.to_numpy()[first[label]] if n else np.zeros(0, dtype=object)
    story = pd.Series(representative).map(_story_id) if n else pd.Series([], dtype=object)
    # each article's kinds of link, sorted and "+"-joined: (article, kind) cells as sorted numbers
    kind_names, kind_code = np.unique(np.concatenate([links["kind"].astype(str).to_numpy()] * 2),
                                      return_inverse=True)
    cells = sorted_unique(np.concatenate([left, right]).astype(np.int64) * len(kind_names)
                          + kind_code.ravel())
    ends = np.searchsorted(cells // max(len(kind_names), 1), np.arange(n + 1))
    joined = ["+".join(kind_names[cells[start:stop] % len(kind_names)]) if stop > start else SINGLETON
              for start, stop in zip(ends[:-1], ends[1:], strict=True)]
    return pd.DataFrame({"article_id": list(ids), "story_id": story.tolist(), "joined_by": joined})


def _story_id(representative: str) -> str:
    """A stable story id: a short hash of the story's smallest article id."""
    return "story-" + hashlib.sha1(representative.encode("utf-8")).hexdigest()[:12]


def build_stories(articles: pd.DataFrame, *, ingest_log: pd.DataFrame | None = None,
                  reuse: pd.DataFrame | None = None, quotes: pd.DataFrame | None = None,
                  min_similarity: float = 0.0, min_quote_chars: int = 40,
                  quote_kinds: tuple[str, ...] = ("direct", "embedded_post"),
                  quote_window_days: float | None = QUOTE_WINDOW_DAYS) -> pd.DataFrame:
    """Group articles into stories: connected components of near-duplicate, reuse and quote links.

    Args:
        articles: needs ``article_id`` (``published`` for quote bursts, ``text`` when quotes
            carry only offsets).
        ingest_log: INGEST_LOG rows (``duplicate`` rows link an article to its original).
        reuse: REUSE rows.
        quotes: QUOTES rows.
        min_similarity: the lowest reuse similarity that links (:func:`story_links`).
        min_quote_chars: the shortest normalised quote that links.
        quote_kinds: the quote kinds that link.
        quote_window_days: the largest gap in days inside a quote's burst (:func:`story_links`).

    Returns:
        The STORIES table, sorted by story then article: ``article_id``, ``story_id``
        (``story-`` + a hash of the story's smallest article id, so ids do not depend on row
        order) and ``joined_by``: the kinds of link that touch the article, ``+``-joined
        (``reuse+shared-quote``), or ``singleton``. Ids that appear only in links (merged
        duplicates) get rows too.

    Example:
        >>> q = pd.DataFrame({"article_id": ["a", "b"], "kind": ["direct", "direct"],
        ...     "text": ["we will not be silenced by anyone at all"] * 2})
        >>> build_stories(pd.DataFrame({"article_id": ["a", "b"]}), quotes=q,
        ...     min_quote_chars=10).joined_by.tolist()
        ['shared-quote', 'shared-quote']
    """
    require_columns(articles, ("article_id",), "articles")
    links = story_links(articles=articles, ingest_log=ingest_log, reuse=reuse, quotes=quotes,
                        min_similarity=min_similarity, min_quote_chars=min_quote_chars,
                        quote_kinds=quote_kinds, quote_window_days=quote_window_days)
    table = _components(articles["article_id"].dropna().astype(str), links)
    table = table.sort_values(["story_id", "article_id"], kind="stable").reset_index(drop=True)
    return validate(table, STORIES, where="stories")  # event columns stay empty until add_event_groups


@stage_writer("stories", reads=("ingest", "features", "reuse"))
def run_stories(dir: Path, *, min_similarity: float = 0.0, min_quote_chars: int = 40,
                quote_window_days: float | None = QUOTE_WINDOW_DAYS,
                event_min_similarity: float = 0.1, event_max_span_days: float | None = None,
                workers: int | None = None, scheduler: str | None = None) -> Path:
    """Build ``dir/stories.parquet`` from the tables of a processed corpus folder.

    Reads ``dir/articles.parquet`` (required) and, when present, ``ingest_log.parquet``,
    ``reuse.parquet`` and ``quotes.parquet``; with ``mentions.parquet`` present the stories are
    also grouped into events (:func:`add_event_groups`).

    Args:
        dir: a processed corpus folder (``data/processed/<corpus>``).
        min_similarity: the lowest reuse similarity that links (:func:`story_links`).
        min_quote_chars: the shortest normalised quote that links (:func:`story_links`).
        quote_window_days: the largest gap in days inside a quote's burst (:func:`story_links`).
        event_min_similarity: least similarity for event groups (:func:`add_event_groups`; 0.1 with
            titles joined and a day penalty, its news settings).
        event_max_span_days: an event group of dated articles spanning more than this many
            days is linked again at a higher similarity until none does (:func:`add_event_groups`;
            ``None``: never, and groups linked over more than 30 days are named in a warning).
            30 parts the chains of a dense corpus, at a cost that grows with the articles per
            window (see ``NEWS_SETTINGS``).
        workers: count the texts for event grouping on a local Dask cluster of this many worker
            processes (:class:`mediaprov.engine.Engine`; the links and groups are found in this
            process, the undated articles matched on as many threads); default in this process.
            Not a parameter of the table: it is the same either way.
        scheduler: address of a running Dask scheduler to count on instead (default the
            ``MEDIAPROV_SCHEDULER`` environment variable, if set).

    Returns:
        The path written.

    Raises:
        FileNotFoundError: ``dir/articles.parquet`` is missing (run ``mediaprov ingest DIR``).
        ValueError: ``event_max_span_days`` is negative.

    Example:
        >>> run_stories(Path("data/processed/demo"))  # doctest: +SKIP
        PosixPath('data/processed/demo/stories.parquet')
    """
    dir = Path(dir)
    if event_max_span_days is not None and not event_max_span_days >= 0:
        raise ValueError(f"the event span limit must be 0 days or more, not {event_max_span_days}")
    articles, tables = story_inputs(dir)
    stories = build_stories(articles, ingest_log=tables["ingest_log"], reuse=tables["reuse"],
                            quotes=tables["quotes"], min_similarity=min_similarity,
                            min_quote_chars=min_quote_chars, quote_window_days=quote_window_days)
    del tables  # links made: event grouping needs none of these
    articles = articles.drop(columns="text", errors="ignore")  # read for quotes known by offsets
    if (dir / "mentions.parquet").exists():
        stories = group_events_of_folder(dir, stories, articles, min_similarity=event_min_similarity,
                                         max_span_days=event_max_span_days, workers=workers,
                                         scheduler=scheduler)
    return write_table(stories, dir / "stories.parquet", STORIES)


def group_events_of_folder(dir: Path, stories: pd.DataFrame, articles: pd.DataFrame, *,
                           min_similarity: float = 0.1, max_span_days: float | None = None,
                           workers: int | None = None, scheduler: str | None = None,
                           threads: int | None = None) -> pd.DataFrame:
    """The event step of :func:`run_stories`: the folder's texts counted, then :func:`add_event_groups`.

    The texts are counted from ``dir/articles.parquet`` a slice at a time
    (:meth:`~mediaprov.narratives.articleterms.TermCounts.of_table`), on Dask workers when
    ``workers`` or ``scheduler`` say so; the links and groups are found in this process, the
    undated match on ``threads`` threads.

    Args:
        dir: a processed corpus folder with ``articles.parquet`` and ``mentions.parquet``.
        stories: the STORIES table of its articles.
        articles: its articles' metadata (:func:`story_inputs`, without ``text``).
        min_similarity: as ``event_min_similarity`` of :func:`run_stories`.
        max_span_days: as ``event_max_span_days`` of :func:`run_stories`.
        workers: as in :func:`run_stories`.
        scheduler: as in :func:`run_stories`.
        threads: threads of the undated match (``add_event_groups``; the same table whatever the
            number). Default :attr:`mediaprov.engine.Engine.threads`: as many as the local
            cluster's workers (it has stopped by then: their cores are free), else 1.

    Returns:
        ``stories`` with its event columns filled.

    Example:
        >>> folder = Path("data/processed/demo")  # doctest: +SKIP
        >>> group_events_of_folder(folder, read_table(folder / "stories.parquet", STORIES),
        ...                        story_inputs(folder)[0]).event_group.notna().all()  # doctest: +SKIP
        True
    """
    from mediaprov.engine import Engine, session
    from mediaprov.narratives.articleterms import TermCounts

    with session(Engine.resolve(workers, scheduler)) as engine:
        counts = TermCounts.of_table(dir / "articles.parquet", engine=engine)
    threads = engine.threads if threads is None else threads
    coded = ["article_id", "entity_id"]  # each id once: the mentions are ten times the articles
    mentions = read_table(dir / "mentions.parquet", MENTIONS, columns=coded, categorical=coded)
    return add_event_groups(stories, articles, mentions, min_similarity=min_similarity,
                            max_span_days=max_span_days, counts=counts, threads=threads)


def story_inputs(dir: Path) -> tuple[pd.DataFrame, dict[str, pd.DataFrame | None]]:
    """The tables :func:`run_stories` reads, each with only the columns it uses.

    Event grouping reads no text from here: it counts the texts slice by slice
    (:meth:`~mediaprov.narratives.articleterms.TermCounts.of_table`).

    Args:
        dir: a processed corpus folder.

    Returns:
        ``(articles, tables)``: the articles (metadata, and ``text`` only when a quote known by
        offsets alone needs it) and ``ingest_log``, ``reuse``, ``quotes`` (None when absent).

    Example:
        >>> story_inputs(Path("data/processed/demo"))[0].columns.tolist()  # doctest: +SKIP
        ['article_id', 'published', 'date_confidence', 'title']
    """
    tables: dict[str, pd.DataFrame | None] = {}
    for name, schema, columns in (("ingest_log", INGEST_LOG, ["article_id", "status", "duplicate_of"]),
                                  ("reuse", REUSE, ["article_a", "article_b", "similarity"]),
                                  ("quotes", QUOTES, ["article_id", "kind", "text", "start", "end"])):
        path = dir / f"{name}.parquet"
        tables[name] = read_table(path, schema, columns=columns) if path.exists() else None
    metadata = ["article_id", "published", "date_confidence", "title"]
    quotes = tables["quotes"]
    by_offsets = quotes is not None and bool(quotes["text"].isna().any())  # quotes read in text
    return read_table(dir / "articles.parquet", ARTICLES, columns=metadata + (["text"] if by_offsets else [])), tables


# --------------------------------------------------------------------------------------------
# Who came first inside a story: the evidence that orders two of its articles
# --------------------------------------------------------------------------------------------

ORDER_EVIDENCE: tuple[str, ...] = ("date", "credit", "source-kind", "containment")
"""The evidence that can put one article of a story before another, strongest first:

* ``date``: both articles have a trusted date and one is strictly earlier (beyond the tie
  window, at the resolution compared);
* ``credit``: of two articles linked by text reuse, one credits the other's outlet as its origin
  (``credited_source``) and not the other way round;
* ``source-kind``: of two articles linked by text reuse, one comes from an outlet of a kind that
  issues items for others to republish (``kind`` in ``outlets.csv``: by default a press office
  before agencies and outlets, an agency before outlets, :data:`mediaprov.reuse.SOURCE_KINDS`);
* ``containment``: the common-source rule of :func:`mediaprov.reuse.common_sources` found that two
  copies took their shared text from a third article, which holds what both share.

Each pair is decided by the first rule that decides it; weaker rules never overrule stronger."""

PRECEDENCE_COLUMNS: dict[str, str] = {
    "story_id": "string", "before": "string", "after": "string", "outlet_before": "string",
    "outlet_after": "string", "evidence": "string", "detail": "string",
}


def precedence(articles: pd.DataFrame, stories: pd.DataFrame, *,
               reuse: pd.DataFrame | None = None, common: pd.DataFrame | None = None,
               outlets: pd.DataFrame | None = None, source_kinds: tuple[str, ...] | None = None,
               min_confidence: float = 0.5, tie_window: pd.Timedelta = pd.Timedelta(0),
               resolution: str | None = "day", full_pairs_up_to: int = 500) -> pd.DataFrame:
    """List the pairs of articles of one story whose publication order the evidence decides.

    Dates decide first; where they cannot (a missing or low-confidence date, or a tie), the
    provenance of copied text can: who credits whom, which outlet is a press office or an agency,
    and which article holds the text two copies share (:data:`ORDER_EVIDENCE`). Pairs that no
    rule decides are not listed: their order stays uncertain, never guessed.

    Args:
        articles: needs ``article_id``, ``outlet_id``, ``published`` (``date_confidence`` and
            ``credited_source`` used when present).
        stories: the STORIES table (``article_id``, ``story_id``).
        reuse: the REUSE table (``article_a``, ``article_b``; ``passages`` and ``directed`` for the
            containment rule). Without it only dates order articles.
        common: the table of :func:`mediaprov.reuse.common_sources` for ``reuse`` (the reuse
            stage writes it as ``reuse_common_sources.parquet``); computed when missing and
            ``reuse`` has passages.
        outlets: the outlet registry (``outlet_id``, ``kind``); default ``outlets.csv``.
        source_kinds: outlet kinds that issue items for others to republish, first issuer first
            (default :data:`mediaprov.reuse.SOURCE_KINDS`).
        min_confidence: dates with a lower ``date_confidence`` are not trusted.
        tie_window: trusted dates closer than this do not order two articles.
        resolution: the time resolution dates are compared at (``"day"``: calendar days, as in
            :func:`mediaprov.timelines.story_timing`; ``None``: exact times).
        full_pairs_up_to: in a story with more dated articles than this, the ``date`` rows
            are only the pairs no third article orders in between (the transitive reduction:
            each article before the articles of the earliest later dates), so a story of
            ``n`` dated articles does not make ``n**2 / 2`` rows; every other pair follows by
            transitivity, which is how :func:`mediaprov.timelines.first_movers` reads the table.
            Stories up to this size list every decided pair.

    Returns:
        One row per decided pair, sorted by story, ``before``, ``after``: ``story_id``,
        ``before``, ``after`` (article ids), ``outlet_before``, ``outlet_after`` (missing when
        unknown), ``evidence`` (one of :data:`ORDER_EVIDENCE`) and ``detail`` (the dates, the
        credit or the kinds that decided, in words).

    Raises:
        ValueError: a needed column is missing.

    Example:
        >>> a = pd.DataFrame({"article_id": ["p", "n"], "outlet_id": ["vna", "orlet-tribune"],
        ...     "published": pd.to_datetime([None, "2024-01-03"], utc=True),
        ...     "credited_source": [None, "vna"]})
        >>> s = pd.DataFrame({"article_id": ["p", "n"], "story_id": ["s", "s"]})
        >>> r = pd.DataFrame({"article_a": ["p"], "article_b": ["n"]})
        >>> precedence(a, s, reuse=r)[["before", "after", "evidence"]].values.tolist()
        [['p', 'n', 'credit']]
    """
    from mediaprov.reuse.sources import SOURCE_KINDS, common_sources, outlet_kinds

    require_columns(articles, ("article_id", "outlet_id", "published"), "articles")
    require_columns(stories, ("article_id", "story_id"), "stories")
    published = floor_times(pd.to_datetime(articles["published"], utc=True), resolution)
    trusted = (date_status(articles, min_confidence=min_confidence) == "dated").to_numpy()
    credits = (articles["credited_source"] if "credited_source" in articles.columns
               else pd.Series(pd.NA, index=articles.index))
    ids = articles["article_id"].astype(str).tolist()
    outlet_of = {i: (None if pd.isna(o) else str(o)) for i, o in zip(ids, articles["outlet_id"], strict=True)}
    time_of = {i: t for i, t, ok in zip(ids, published, trusted, strict=True) if ok and not pd.isna(t)}
    credit_of = {i: str(c) for i, c in zip(ids, credits, strict=True) if not pd.isna(c)}
    story_of = {str(a): str(s) for a, s in zip(stories["article_id"], stories["story_id"], strict=True)
                if str(a) in outlet_of}

    decided: dict[tuple[str, str], tuple[str, str, str]] = {}  # sorted pair -> (before, rule, why)

    def by_date(x: str, y: str) -> bool:
        """True when trusted dates order ``x`` and ``y`` (of one story) beyond the tie window."""
        return x in time_of and y in time_of and abs(time_of[x] - time_of[y]) > tie_window

    def decide(before: str, after: str, rule: str, why: str) -> None:
        key = (min(before, after), max(before, after))
        if key not in decided and not by_date(before, after):
            decided[key] = (before, rule, why)

    # 1. dates: pairs of trusted dates inside a story, beyond the tie window (vectorised)
    date_rows = _date_pairs(story_of, time_of, tie_window=tie_window,
                            full_pairs_up_to=full_pairs_up_to)

    # 2-3. credit, then outlet kind, on the pairs that text reuse links
    pairs: list[tuple[str, str]] = []
    if reuse is not None and len(reuse):
        require_columns(reuse, ("article_a", "article_b"), "reuse")
        for a, b in zip(reuse["article_a"].astype(str), reuse["article_b"].astype(str), strict=True):
            if a != b and a in story_of and story_of.get(b) == story_of[a]:
                pairs.append((a, b))
    registry_kinds = outlet_kinds(outlets) if pairs else {}
    order = tuple(SOURCE_KINDS if source_kinds is None else source_kinds)
    rank = {kind: position for position, kind in enumerate(order)}
    for a, b in pairs:
        if (min(a, b), max(a, b)) not in decided:
            found = _credit_or_kind(a, b, outlet_of, credit_of, registry_kinds, rank)
            if found is not None:
                decide(*found)

    # 4. containment: a common source identified by the text both copies share
    if pairs and common is None and reuse is not None \
            and {"passages", "directed"} <= set(reuse.columns):
        common = (common_sources(reuse, articles, outlets=outlets) if source_kinds is None else
                  common_sources(reuse, articles, outlets=outlets, source_kinds=order))
    if common is not None and len(common):
        require_columns(common, ("article_a", "article_b", "explained", "common_source", "evidence"),
                 "common")
        explained = common.loc[common["explained"].fillna(False).astype(bool)
                               & common["evidence"].astype("string").str.contains(
                                   "containment", regex=False).fillna(False)]
        for x, y, c in zip(explained["article_a"].astype(str), explained["article_b"].astype(str),
                           explained["common_source"].astype(str), strict=True):
            for copy, sibling in ((x, y), (y, x)):
                if c in story_of and story_of.get(copy) == story_of[c]:
                    decide(c, copy, "containment",
                           f"{c} holds the text {copy} shares with {sibling}")

    rows = [{"story_id": story_of[before], "before": before,
             "after": pair[1] if pair[0] == before else pair[0],
             "evidence": rule, "detail": why}
            for pair, (before, rule, why) in decided.items()]
    table = pd.concat([date_rows, pd.DataFrame(
        rows, columns=["story_id", "before", "after", "evidence", "detail"])], ignore_index=True)
    table["outlet_before"] = table["before"].map(outlet_of)
    table["outlet_after"] = table["after"].map(outlet_of)
    table = table.loc[:, list(PRECEDENCE_COLUMNS)].astype(PRECEDENCE_COLUMNS)
    return table.sort_values(["story_id", "before", "after"], kind="stable").reset_index(drop=True)


def _credit_or_kind(a: str, b: str, outlet_of: dict[str, str | None], credit_of: dict[str, str],
                    registry_kinds: dict[str, str], rank: dict[str, int]
                    ) -> tuple[str, str, str, str] | None:
    """Order two reuse-linked articles by credit, else by outlet kind: (before, after, rule, why).

    ``None`` when neither decides (one outlet or two unknown ones, no one-sided credit, a kind
    missing or the same rank).
    """
    outlet_a, outlet_b = outlet_of.get(a), outlet_of.get(b)
    if outlet_a == outlet_b:
        return None  # one outlet (or two unknown): neither credit nor kind can tell them apart
    b_credits_a = outlet_a is not None and credit_of.get(b) == outlet_a
    a_credits_b = outlet_b is not None and credit_of.get(a) == outlet_b
    if b_credits_a != a_credits_b:
        first, second = (a, b) if b_credits_a else (b, a)
        return first, second, "credit", f"{second} credits {outlet_of[first]}"
    kind_a, kind_b = registry_kinds.get(outlet_a or ""), registry_kinds.get(outlet_b or "")
    if kind_a is None or kind_b is None:
        return None
    rank_a, rank_b = rank.get(kind_a, len(rank)), rank.get(kind_b, len(rank))
    if rank_a == rank_b:
        return None
    first, second = (a, b) if rank_a < rank_b else (b, a)
    outlet_first, outlet_second = outlet_of[first] or "", outlet_of[second] or ""
    return (first, second, "source-kind",
            f"{outlet_first} ({registry_kinds[outlet_first]}) issues items "
            f"{outlet_second} ({registry_kinds[outlet_second]}) carries")


def _date_pairs(story_of: dict[str, str], time_of: dict[str, pd.Timestamp], *,
                tie_window: pd.Timedelta, full_pairs_up_to: int) -> pd.DataFrame:
    """The ``date`` rows of :func:`precedence`, vectorised per story (see ``full_pairs_up_to``).

    Pairs ``(early, late)`` of one story, sorted by (date, id), with ``late - early`` beyond
    ``tie_window``; in stories above ``full_pairs_up_to`` dated articles, only those ``late``
    no later than the earliest date beyond ``early`` plus ``tie_window``.
    """
    columns = ["story_id", "before", "after", "evidence", "detail"]
    dated = [(story, article, time_of[article]) for article, story in story_of.items()
             if article in time_of]
    if not dated:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(dated, columns=["story", "article", "time"])
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    frame = frame.sort_values(["story", "time", "article"], kind="stable").reset_index(drop=True)
    story = frame["story"].to_numpy()
    ns = frame["time"].to_numpy("datetime64[ns]").view(np.int64)
    window = int(pd.Timedelta(tie_window).value)
    bounds = np.flatnonzero(np.r_[True, story[1:] != story[:-1], True])
    size = np.diff(bounds)
    stop = np.repeat(bounds[1:], size)  # end of each article's story (exclusive)
    # the first later article beyond the tie window, in each article's story
    begin = stop.copy()  # an article alone in its story has no later article
    for first, last in zip(bounds[:-1][size > 1], bounds[1:][size > 1], strict=True):
        begin[first:last] = first + np.searchsorted(ns[first:last], ns[first:last] + window,
                                                    side="right")
    end = stop.copy()
    big = np.repeat(size > full_pairs_up_to, size) & (begin < stop)
    if big.any():  # transitive reduction: up to the earliest later date plus the tie window
        for first, last in zip(bounds[:-1], bounds[1:], strict=True):
            if last - first > full_pairs_up_to:
                part = slice(first, last)
                inside = begin[part] < last
                reach = np.full(last - first, last, dtype=np.int64)
                nearest = ns[np.minimum(begin[part], last - 1)] + window
                reach[inside] = first + np.searchsorted(ns[part], nearest[inside], side="right")
                end[part] = reach
    count = np.maximum(end - begin, 0)
    early = np.repeat(np.arange(len(frame)), count)
    late = np.repeat(begin - np.cumsum(count) + count, count) + np.arange(int(count.sum()))
    article = frame["article"].to_numpy()
    when = [_when(t) for t in frame["time"]]
    return pd.DataFrame({
        "story_id": story[early], "before": article[early], "after": article[late],
        "evidence": "date", "detail": [f"{when[e]} < {when[x]}" for e, x in zip(early, late, strict=True)],
    }, columns=columns)


def _when(time: pd.Timestamp) -> str:
    """A timestamp in words: the date alone at midnight, else date and time (UTC)."""
    return f"{time:%Y-%m-%d}" if time == time.normalize() else f"{time:%Y-%m-%d %H:%M}"
